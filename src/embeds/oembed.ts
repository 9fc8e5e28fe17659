/**
 * oEmbed fetching shared by the post-based sources (X, Bluesky), and the one whitespace rule
 * that keeps an embed a single Markdown HTML block.
 */
import { clip, HotpapersError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget } from '../http/errors.js';

/** Statuses meaning "this post cannot be embedded" (deleted, protected, gone), not a failure. */
const NOT_EMBEDDABLE: readonly number[] = [403, 404, 410];

/**
 * GET `endpoint?url=<postUrl>` and return the oEmbed `html` as received (unsanitised), or
 * null when the provider says the post is not embeddable (403/404/410). A body that is not
 * JSON, or JSON without an `html` string, is a one-line error naming `service`.
 */
export async function fetchOembedHtml(
  http: HttpClient,
  service: string,
  endpoint: string,
  postUrl: string,
): Promise<string | null> {
  const url = `${endpoint}${endpoint.includes('?') ? '&' : '?'}url=${encodeURIComponent(postUrl)}`;
  const response = await http.request({ service, url, acceptStatuses: NOT_EMBEDDABLE });
  if (NOT_EMBEDDABLE.includes(response.status)) return null;
  const target = describeTarget('GET', url);
  const body = parseJsonBody<unknown>(service, response, target);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HotpapersError(service, `oEmbed response for ${target} is not a JSON object`);
  }
  const html = (body as { html?: unknown }).html;
  if (typeof html !== 'string' || html.trim() === '') {
    throw new HotpapersError(
      service,
      `oEmbed response for ${target} has no html (${clip(JSON.stringify(body), 80)})`,
    );
  }
  return html;
}

/**
 * Make embed HTML safe to drop into Markdown: line endings normalised, blank lines inside
 * removed (a blank line ends a CommonMark HTML block), surrounding whitespace trimmed
 * (oEmbed html ends with `\n` or `\n\n` depending on the year).
 */
export function trimEmbed(html: string): string {
  // A one-line embed (most) has no line break to normalise.
  if (!html.includes('\n') && !html.includes('\r')) return html.trim();
  return html
    .replace(/\r\n?/g, '\n')
    .replace(/\n[ \t]*(?:\n[ \t]*)+/g, '\n')
    .trim();
}
