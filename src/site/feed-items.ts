/**
 * The file in which a feed keeps its items' texts for the next build (see build.ts's writeFeeds):
 * each item's key and its ItemTexts, every text framed by its length, not escaped. A new day
 * reads and writes every changed feed's file (17 files, ~3 MB at 300 days in the site bench); as
 * JSON, its escaping and parsing cost ~30 ms of such a build's CPU, as frames a few.
 *
 * The file: a first line naming the format, then per item five fields (key, updated, atom, rss,
 * json), each as its length in UTF-16 units, a line feed, the text and a line feed; then a last
 * line `end N` with the count of items. A file that is not whole in that form reads as no items.
 */
import type { ItemTexts } from './feeds.js';

/** First line of the file: the format and its version (another one reads as no items). */
const MAGIC = 'hotpapers feed items 1\n';
const END = 'end ';

/** The file's text for `items` (item key and texts, in the feed's order). */
export function packFeedItems(items: ReadonlyArray<readonly [string, ItemTexts]>): string {
  const out: string[] = [MAGIC];
  for (const [key, t] of items)
    for (const field of [key, t.updated, t.atom, t.rss, t.json]) out.push(`${field.length}\n`, field, '\n');
  out.push(`${END}${items.length}\n`);
  return out.join('');
}

/** The item texts of a file packFeedItems made, by item key: none when the text is not whole in that form. */
export function unpackFeedItems(text: string): Map<string, ItemTexts> {
  const out = new Map<string, ItemTexts>();
  if (!text.startsWith(MAGIC)) return out;
  let at = MAGIC.length;
  let count = 0;
  const fields: string[] = [];
  /** The next field at `at` (moving `at` past it), or undefined when the frame is broken. */
  const field = (): string | undefined => {
    const eol = text.indexOf('\n', at);
    if (eol <= at || eol - at > 15) return undefined;
    const digits = text.slice(at, eol);
    if (!/^\d+$/.test(digits)) return undefined;
    const start = eol + 1;
    const end = start + Number(digits);
    if (end >= text.length || text.charCodeAt(end) !== 10) return undefined;
    at = end + 1;
    return text.slice(start, end);
  };
  while (!text.startsWith(END, at)) {
    fields.length = 0;
    for (let i = 0; i < 5; i++) {
      const f = field();
      if (f === undefined) return new Map();
      fields.push(f);
    }
    const [key, updated, atom, rss, json] = fields as [string, string, string, string, string];
    out.set(key, { updated, atom, rss, json });
    count++;
  }
  return text.slice(at) === `${END}${count}\n` ? out : new Map();
}
