/**
 * What a feed keeps of its items for the next build (see build.ts's writeFeeds): beside its three
 * files, an index (`.hotpapers/feeds/NAME.txt`) of each item's key, date and length in bytes in
 * each file, and where the items begin in each. The next build that writes the feed again cuts
 * the items whose key it finds out of the feed's previous files, as bytes, neither decoded nor
 * encoded again, and makes only the new ones.
 *
 * Until 6 December 2026 the index held the items' texts themselves (~3 MB read and written again
 * by a new day at 300 days in the site bench, the same bytes as the feeds); now it is a few KB.
 * An index or a feed that does not read back as the index says (another format, a length or a
 * frame that does not match, a file cut or changed by hand) gives no items: they are made again.
 */
import { ITEM_FRAMES, type ItemBytes } from './feeds.js';
import { FEED_KINDS, type FeedKind } from './model.js';

/** The index's format (another one reads as no items). */
const FORMAT = 3;

/** The index of a feed's items: where they begin in each file (`open`), and each item's key and bytes. */
export function packFeedIndex(
  open: Readonly<Record<FeedKind, number>>,
  items: ReadonlyArray<readonly [string, ItemBytes]>,
): string {
  return `${JSON.stringify({
    format: FORMAT,
    open: FEED_KINDS.map((k) => open[k]),
    items: items.map(([key, t]) => [key, t.updated, t.atom.length, t.rss.length, t.json.length]),
  })}\n`;
}

/**
 * The items of a feed by key, cut out of its previous files (`feed`, by format) as its index
 * (`index`) places them (views of those files' bytes): none when either does not read back so.
 */
export function keptFeedItems(
  index: Buffer | undefined,
  feed: (kind: FeedKind) => Buffer | undefined,
): Map<string, ItemBytes> {
  const none = new Map<string, ItemBytes>();
  const parsed = index && parseIndex(index);
  if (!parsed || parsed.items.length === 0) return none;
  const cut: Record<FeedKind, Buffer[]> = { atom: [], rss: [], json: [] };
  for (const [i, kind] of FEED_KINDS.entries()) {
    const bytes = feed(kind);
    if (!bytes) return none;
    const { between, close, first, last } = ITEM_FRAMES[kind];
    let at = parsed.open[i]!;
    for (const [n, item] of parsed.items.entries()) {
      if (n > 0) {
        if (!startsAt(bytes, between, at)) return none;
        at += between.length;
      }
      const end = at + (item[2 + i] as number);
      if (end > bytes.length || !startsAt(bytes, first, at) || !startsAt(bytes, last, end - last.length))
        return none;
      cut[kind].push(bytes.subarray(at, end));
      at = end;
    }
    if (bytes.length - at !== close.length || !startsAt(bytes, close, at)) return none;
  }
  const out = new Map<string, ItemBytes>();
  parsed.items.forEach(([key, updated], n) => {
    out.set(key, { updated, atom: cut.atom[n]!, rss: cut.rss[n]!, json: cut.json[n]! });
  });
  return out;
}

type IndexItem = [key: string, updated: string, atom: number, rss: number, json: number];

/** The index in `bytes`, or undefined when it is not one of this format. */
function parseIndex(bytes: Buffer): { open: number[]; items: IndexItem[] } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString());
  } catch {
    return undefined;
  }
  const v = value as { format?: unknown; open?: unknown; items?: unknown } | null;
  if (!v || v.format !== FORMAT) return undefined;
  const size = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  if (!Array.isArray(v.open) || v.open.length !== FEED_KINDS.length || !v.open.every(size)) return undefined;
  if (!Array.isArray(v.items)) return undefined;
  for (const item of v.items as unknown[])
    if (
      !Array.isArray(item) ||
      item.length !== 5 ||
      typeof item[0] !== 'string' ||
      typeof item[1] !== 'string' ||
      !item.slice(2).every(size)
    )
      return undefined;
  return { open: v.open as number[], items: v.items as IndexItem[] };
}

/** Whether `bytes` holds `part` at `at`. */
function startsAt(bytes: Buffer, part: Buffer, at: number): boolean {
  return (
    at >= 0 &&
    at + part.length <= bytes.length &&
    bytes.compare(part, 0, part.length, at, at + part.length) === 0
  );
}
