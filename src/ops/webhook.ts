/**
 * Notification after a run: the day's top papers as Slack-compatible JSON (`text` for
 * clients that only read that, `blocks` for the rest). A webhook URL is a credential (its
 * path is the secret), so it is never logged or put in an error: only its host is.
 */
import { HotpapersError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { HttpError } from '../http/errors.js';
import type { DayDigest } from '../types.js';
import { describeCounts } from './horizon.js';

/** What Slack (and Mattermost, Discord's /slack endpoint, …) accept as an incoming-webhook body. */
export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'context'; elements: Array<{ type: 'mrkdwn'; text: string }> };

// Slack limits: 150 characters in a header, 3000 in a section, 50 blocks in a message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const PAPERS_MAX = 45;

/** Build the message for the top `topN` papers of a digest (pure). */
export function webhookPayload(digest: DayDigest, topN = 10): SlackPayload {
  const top = digest.papers.slice(0, Math.max(0, Math.min(topN, PAPERS_MAX)));
  const title = `Hot Papers ${digest.day}`;
  const counts = describeCounts(digest.horizon, digest.ageHours);
  const summary =
    top.length === 0
      ? `${title}: no paper reached the threshold (${digest.listed} papers listed, ${digest.postsFound} posts found)`
      : `${title}: top ${top.length} of ${digest.papers.length} ranked papers (${counts})`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clipText(title, HEADER_MAX) } },
  ];
  for (const entry of top) {
    const link = `https://arxiv.org/abs/${entry.paper.id}`;
    const line = `*${entry.rank}.* <${link}|${escapeMrkdwn(entry.paper.title).replace(/\|/g, '¦')}> · score ${entry.score}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clipText(line, SECTION_MAX) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(summary) }] });
  const lines = top.map(
    (e) => `${e.rank}. ${e.paper.title} (score ${e.score}) https://arxiv.org/abs/${e.paper.id}`,
  );
  // Slack parses `text` as mrkdwn too: escaped, a title's `<!channel>` or `<https://evil|click>` stays text.
  return { text: escapeMrkdwn([summary, ...lines].join('\n')), blocks };
}

/** POST the payload to a Slack-compatible webhook; errors name the host only. */
export async function postWebhook(
  http: HttpClient,
  url: string,
  digest: DayDigest,
  topN = 10,
): Promise<void> {
  const host = webhookHost(url);
  try {
    await http.request({
      service: 'webhook',
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhookPayload(digest, topN)),
    });
  } catch (error) {
    // The HTTP layer names method, host and path; a webhook's path is its secret, so rebuild.
    if (error instanceof HttpError) throw new HotpapersError('webhook', `HTTP ${error.status} from ${host}`);
    if (error instanceof HotpapersError) {
      throw new HotpapersError('webhook', `no answer from ${host} (${failureKind(error)})`);
    }
    throw error;
  }
}

/** The host of a webhook URL (what logs may show); throws for a URL that is not http(s). */
export function webhookHost(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HotpapersError('webhook', 'the webhook URL is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new HotpapersError('webhook', 'the webhook URL must be http(s)');
  }
  return parsed.host;
}

/** Escape the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function failureKind(error: HotpapersError): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code.toLowerCase() : 'network error';
}
