/**
 * The file in which a feed keeps its items' bytes for the next build (see build.ts's writeFeeds):
 * each item's key and its ItemBytes, every field framed by its length in bytes, not escaped. A
 * new day reads and writes every changed feed's file (15–17 files, ~3 MB at 300 days in the site
 * bench). It is read as bytes and its items are cut out of them: a kept item goes into the new
 * feeds without being decoded or encoded again (as text, that took ~20 ms of such a build).
 *
 * The file: a first line naming the format, then per item five fields (key, updated, atom, rss,
 * json), each as its length in bytes (of UTF-8), a line feed, the bytes and a line feed; then a
 * last line `end N` with the count of items. A file that is not whole in that form reads as no
 * items.
 */
import type { ItemBytes } from './feeds.js';

/** First line of the file: the format and its version (another one reads as no items). */
const MAGIC = Buffer.from('hotpapers feed items 2\n');
const END = Buffer.from('end ');
const LF = Buffer.from('\n');

/** The file's bytes for `items` (item key and bytes, in the feed's order). */
export function packFeedItems(items: ReadonlyArray<readonly [string, ItemBytes]>): Buffer {
  const out: Buffer[] = [MAGIC];
  for (const [key, t] of items)
    for (const field of [Buffer.from(key), Buffer.from(t.updated), t.atom, t.rss, t.json])
      out.push(Buffer.from(`${field.length}\n`), field, LF);
  out.push(END, Buffer.from(`${items.length}\n`));
  return Buffer.concat(out);
}

/**
 * The items of a file packFeedItems made, by item key (their bytes are views of `bytes`): none
 * when the file is not whole in that form.
 */
export function unpackFeedItems(bytes: Buffer): Map<string, ItemBytes> {
  const out = new Map<string, ItemBytes>();
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return out;
  let at = MAGIC.length;
  let count = 0;
  const fields: Buffer[] = [];
  /** The next field at `at` (moving `at` past it), or undefined when the frame is broken. */
  const field = (): Buffer | undefined => {
    const eol = bytes.indexOf(10, at);
    if (eol <= at || eol - at > 15) return undefined;
    let size = 0;
    for (let i = at; i < eol; i++) {
      const digit = bytes[i]! - 48;
      if (digit < 0 || digit > 9) return undefined;
      size = size * 10 + digit;
    }
    const start = eol + 1;
    const end = start + size;
    if (end >= bytes.length || bytes[end] !== 10) return undefined;
    at = end + 1;
    return bytes.subarray(start, end);
  };
  const startsWithEnd = () =>
    bytes.length - at >= END.length && bytes.subarray(at, at + END.length).equals(END);
  while (!startsWithEnd()) {
    fields.length = 0;
    for (let i = 0; i < 5; i++) {
      const f = field();
      if (f === undefined) return new Map();
      fields.push(f);
    }
    const [key, updated, atom, rss, json] = fields as [Buffer, Buffer, Buffer, Buffer, Buffer];
    out.set(key.toString(), { updated: updated.toString(), atom, rss, json });
    count++;
  }
  return bytes.subarray(at).toString() === `end ${count}\n` ? out : new Map();
}
