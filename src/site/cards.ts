/**
 * Posts as HTML. By default a static card built from the stored text (author, date, text,
 * link, counts) with no third-party script, and a note when the post has since been deleted.
 * With live embeds, the provider's widget HTML, passed through the DESIGN §8 allowlist.
 */
import { sanitizeEmbed } from '../embeds/sanitize.js';
import type { Metrics, Post, SourceId } from '../types.js';
import { remembered } from '../util/remember.js';
import { escapeHtml, safeHttpUrl } from './escape.js';
import { num } from './fragments.js';
import type { EmbedRecord } from './model.js';

/** The fields of a post a card shows (ScoredPost and StoredPost both fit). */
export type CardPost = Pick<
  Post,
  'source' | 'id' | 'url' | 'authorHandle' | 'authorName' | 'text' | 'createdAt' | 'metrics'
>;

export interface CardOptions {
  /** Use the provider's widget HTML (sanitised) when the store has it. */
  liveEmbeds?: boolean;
  /** Cut the text after this many characters (day pages keep their weight down). */
  maxText?: number;
  /** Extra line under the counts (score contribution, flags), already HTML. */
  noteHtml?: string;
}

/** Display name of each source. */
export const SOURCE_NAMES: Record<SourceId, string> = {
  x: 'X',
  bluesky: 'Bluesky',
  hn: 'Hacker News',
  hf: 'Hugging Face',
};

/** A post's counts in the words of its source, e.g. `12 reposts · 30 likes`. */
export function countsText(source: SourceId, m: Metrics): string {
  // The first count always, the others when not zero (built directly: this runs for every post shown).
  const more = (n: number, one: string, many: string) => (n > 0 ? ` · ${count(n, one, many)}` : '');
  if (source === 'hn') return `${count(m.likes, 'point', 'points')}${more(m.replies, 'comment', 'comments')}`;
  if (source === 'hf')
    return `${count(m.likes, 'upvote', 'upvotes')}${more(m.replies, 'comment', 'comments')}`;
  return `${count(m.reposts, 'repost', 'reposts')}${more(m.likes, 'like', 'likes')}${more(m.replies, 'reply', 'replies')}${more(m.quotes, 'quote', 'quotes')}`;
}

/** `n one` or `n many`; num, not toLocaleString: the same text for counts (integers), without Intl's cost. */
function count(n: number, one: string, many: string): string {
  return `${num(n)} ${n === 1 ? one : many}`;
}

/** An ISO instant as `YYYY-MM-DD HH:MM UTC` (empty when missing or malformed). */
export function formatInstant(iso: string | undefined): string {
  if (!iso) return '';
  // A day's posts and snapshots share a few instants; each is shown on several pages.
  return instantText(iso);
}

const instantText = remembered(makeInstant);

function makeInstant(iso: string): string {
  // Stored instants are ISO UTC (`…Z`): cut them without a Date (this runs for every post shown).
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(iso))
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One post as HTML: the live widget (sanitised) or the static archival card. */
export function renderPost(
  post: CardPost,
  embed: EmbedRecord | undefined,
  options: CardOptions = {},
): string {
  const deleted = embed?.status === 'unavailable';
  if (options.liveEmbeds && !deleted && embed?.html) {
    const html = sanitizeEmbed(embed.html).trim();
    if (html !== '')
      return `<div class="post live">${html}${options.noteHtml ? `<p class="note">${options.noteHtml}</p>` : ''}</div>`;
  }
  return staticCard(post, deleted, options);
}

function staticCard(post: CardPost, deleted: boolean, options: CardOptions): string {
  const source = SOURCE_NAMES[post.source] ?? post.source;
  const name = post.authorName?.trim();
  const handle = post.authorHandle?.trim();
  const who = name || (handle ? `@${handle}` : 'unknown author');
  const url = safeHttpUrl(post.url);
  const when = formatInstant(post.createdAt);
  let text = post.text.trim();
  const max = options.maxText;
  const cut = Boolean(max && text.length > max);
  if (cut) text = clipText(text, max!);
  // Compact markup: cards are most of a day page's weight (budget: 100 KB).
  return [
    `<article class="post${deleted ? ' gone' : ''}">`,
    `<p class="meta"><span class="src">${escapeHtml(source)}</span> <b>${escapeHtml(who)}</b>`,
    name && handle ? ` @${escapeHtml(handle)}` : '',
    when ? ` · <time datetime="${escapeHtml(post.createdAt ?? '')}">${when}</time>` : '',
    '</p>',
    deleted
      ? '<p class="deleted" role="note">This post has since been deleted; below is the copy we stored.</p>'
      : '',
    text ? `<p>${linkify(text)}${cut ? '&hellip;' : ''}</p>` : '',
    `<p class="counts">${escapeHtml(countsText(post.source, post.metrics))}`,
    url
      ? ` · <a href="${escapeHtml(url)}" rel="nofollow ugc">${deleted ? 'original link' : `view on ${escapeHtml(source)}`}</a>`
      : '',
    '</p>',
    options.noteHtml ? `<p class="note">${options.noteHtml}</p>` : '',
    '</article>',
  ].join('');
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gi;

/**
 * `text` cut to at most `max` characters at a word boundary, never inside a URL: a URL that
 * would be cut is dropped whole (a fragment like `https://t.co/` must not become a link).
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  // Back to the last whitespace at or before the limit, unless the limit falls on one.
  if (!/\s/.test(text[end] ?? '')) {
    const space = text.slice(0, end + 1).search(/\s\S*$/);
    if (space > 0) end = space;
  }
  for (const m of text.matchAll(URL_IN_TEXT)) {
    if (m.index >= end) break;
    if (m.index + m[0].length > end) {
      end = m.index;
      break;
    }
  }
  return text.slice(0, end).trimEnd();
}

/** Post text as HTML: escaped, line breaks kept, and only http(s) URLs made into links. */
export function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    // Trailing punctuation belongs to the sentence, not the link.
    const raw = m[0].replace(/[).,;:!?\]]+$/, '');
    const href = safeHttpUrl(raw);
    out += escapeHtml(text.slice(last, m.index));
    out += href ? `<a href="${escapeHtml(href)}" rel="nofollow ugc">${escapeHtml(raw)}</a>` : escapeHtml(raw);
    last = m.index + raw.length;
  }
  out += escapeHtml(text.slice(last));
  return out.replace(/\r?\n/g, '<br>');
}

/** A post as one compact line (the day page's top post): author (linking the post), source, clipped text. */
export function compactPost(post: CardPost, embed: EmbedRecord | undefined, maxText = 110): string {
  const deleted = embed?.status === 'unavailable';
  const source = SOURCE_NAMES[post.source] ?? post.source;
  const name = post.authorName?.trim();
  const handle = post.authorHandle?.trim();
  const who = escapeHtml(name || (handle ? `@${handle}` : 'unknown author'));
  const url = safeHttpUrl(post.url);
  const full = post.text.trim();
  const text = clipText(full, maxText);
  return [
    `<p class="top${deleted ? ' gone' : ''}">`,
    url ? `<a href="${escapeHtml(url)}" rel="nofollow ugc">${who}</a>` : `<b>${who}</b>`,
    ` on ${escapeHtml(source)}${deleted ? ' (since deleted)' : ''}`,
    text ? `: ${linkify(text)}${text.length < full.length ? '&hellip;' : ''}` : '',
    '</p>',
  ].join('');
}
