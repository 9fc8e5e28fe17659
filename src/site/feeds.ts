/**
 * Atom 1.0 (RFC 4287), RSS 2.0 and JSON Feed 1.1, rendered from one plain model. Written here
 * rather than with the `feed` package because it emits JSON Feed 1.0, RSS authors that are not
 * e-mail addresses, and falls back to the clock for missing dates.
 */
import { escapeXml } from './escape.js';
import type { FeedKind } from './model.js';

export interface FeedItem {
  /** Permanent unique id (an absolute URL). */
  id: string;
  /** Absolute URL of the item's page. */
  url: string;
  title: string;
  /** ISO instants. */
  published: string;
  updated: string;
  /** HTML content (escaped by the renderers where the format needs it). */
  contentHtml: string;
  summary?: string;
  tags?: string[];
}

export interface FeedSpec {
  title: string;
  description: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  homeUrl: string;
  /** Absolute URLs of this feed in each format. */
  urls: { atom: string; rss: string; json: string };
  /** ISO instant of the latest change (the newest item's `updated`). */
  updated: string;
  author: string;
  items: FeedItem[];
}

const rfc3339 = (iso: string) => new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/**
 * One item as each format writes it, with its date: what a feed keeps of an item for the next
 * build (see build.ts's writeFeeds), so an item whose inputs did not change is not made again.
 */
export interface ItemTexts {
  /** The item's `updated` instant (the feed's own date is the newest of its items'). */
  updated: string;
  atom: string;
  rss: string;
  /** The item as it stands in the JSON feed's `items` list (indented, no comma). */
  json: string;
}

/** A feed's own fields: a FeedSpec without its items. */
export type FeedHead = Omit<FeedSpec, 'items'>;

/** An item in the three formats, as feedTexts puts it in each feed. */
export function itemTexts(item: FeedItem): ItemTexts {
  // Escaped once: Atom and RSS both carry it, and it is most of a feed's bytes.
  const content = escapeXml(item.contentHtml);
  const atom = [
    '<entry>',
    `<id>${escapeXml(item.id)}</id>`,
    `<title type="text">${escapeXml(item.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(item.url)}"/>`,
    `<published>${rfc3339(item.published)}</published>`,
    `<updated>${rfc3339(item.updated)}</updated>`,
    item.summary ? `<summary type="text">${escapeXml(item.summary)}</summary>` : '',
    ...(item.tags ?? []).map((t) => `<category term="${escapeXml(t)}"/>`),
    `<content type="html">${content}</content>`,
    '</entry>',
  ];
  const rss = [
    '<item>',
    `<title>${escapeXml(item.title)}</title>`,
    `<link>${escapeXml(item.url)}</link>`,
    `<guid isPermaLink="${item.id === item.url ? 'true' : 'false'}">${escapeXml(item.id)}</guid>`,
    `<pubDate>${rfc822(item.published)}</pubDate>`,
    ...(item.tags ?? []).map((t) => `<category>${escapeXml(t)}</category>`),
    `<description>${content}</description>`,
    '</item>',
  ];
  const json = {
    id: item.id,
    url: item.url,
    title: item.title,
    content_html: item.contentHtml,
    ...(item.summary ? { summary: item.summary } : {}),
    date_published: rfc3339(item.published),
    date_modified: rfc3339(item.updated),
    ...(item.tags && item.tags.length > 0 ? { tags: item.tags } : {}),
  };
  return {
    updated: item.updated,
    atom: atom.filter(Boolean).join('\n'),
    rss: rss.join('\n'),
    // At the depth JSON.stringify(feed, null, 2) puts an item of `items`; a string value holds
    // no line break (JSON escapes it), so every line break is one of the layout's.
    json: `    ${JSON.stringify(json, null, 2).replaceAll('\n', '\n    ')}`,
  };
}

/**
 * An item's texts as UTF-8 bytes: what a feed keeps of an item for the next build. A kept item
 * goes into the next feeds as these bytes, neither decoded nor encoded again (as text, its
 * decoding and encoding took ~8% of a new day's CPU, profiled).
 */
export interface ItemBytes {
  updated: string;
  atom: Buffer;
  rss: Buffer;
  json: Buffer;
}

/** An item's texts as bytes (see ItemBytes). */
export function itemBytes(texts: ItemTexts): ItemBytes {
  return {
    updated: texts.updated,
    atom: Buffer.from(texts.atom),
    rss: Buffer.from(texts.rss),
    json: Buffer.from(texts.json),
  };
}

/** The three feeds of `head` and its items, made from the items' texts. */
export function feedTexts(
  head: FeedHead,
  items: readonly ItemTexts[],
): { atom: string; rss: string; json: string } {
  const f = frames(head, items.length > 0);
  const text = (frame: Frame, kind: FeedKind) =>
    framed<string, ItemTexts>(frame, items, kind, (s) => s).join('');
  return { atom: text(f.atom, 'atom'), rss: text(f.rss, 'rss'), json: text(f.json, 'json') };
}

/** The three feeds of `head` and its items as chunks of bytes: the bytes of feedTexts's texts. */
export function feedBytes(
  head: FeedHead,
  items: readonly ItemBytes[],
): { atom: Buffer[]; rss: Buffer[]; json: Buffer[] } {
  const f = frames(head, items.length > 0);
  const bytes = (frame: Frame, kind: FeedKind) =>
    framed<Buffer, ItemBytes>(frame, items, kind, (s) => Buffer.from(s));
  return { atom: bytes(f.atom, 'atom'), rss: bytes(f.rss, 'rss'), json: bytes(f.json, 'json') };
}

/** A feed around its items: `open`, the items with `between` between them, then `close`. */
interface Frame {
  open: string;
  between: string;
  close: string;
}

/** A feed as its chunks: the frame's texts (made by `chunk`) around each item's `kind` form. */
function framed<T, I extends Record<FeedKind, T>>(
  frame: Frame,
  items: readonly I[],
  kind: FeedKind,
  chunk: (text: string) => T,
): T[] {
  const out: T[] = [chunk(frame.open)];
  const between = chunk(frame.between);
  items.forEach((item, i) => {
    if (i > 0) out.push(between);
    out.push(item[kind]);
  });
  out.push(chunk(frame.close));
  return out;
}

/** Each format's frame for `head` (`some`: whether the feed has items). */
function frames(head: FeedHead, some: boolean): Record<FeedKind, Frame> {
  const tail = some ? '\n' : '';
  return {
    atom: { open: `${atomHead(head).join('\n')}\n`, between: '\n', close: `${tail}</feed>\n` },
    rss: { open: `${rssHead(head).join('\n')}\n`, between: '\n', close: `${tail}</channel>\n</rss>\n` },
    json: jsonFrame(head, some),
  };
}

function atomHead(spec: FeedHead): string[] {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">',
    `<id>${escapeXml(spec.urls.atom)}</id>`,
    `<title type="text">${escapeXml(spec.title)}</title>`,
    `<subtitle type="text">${escapeXml(spec.description)}</subtitle>`,
    `<updated>${rfc3339(spec.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(spec.urls.atom)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(spec.homeUrl)}"/>`,
    `<author><name>${escapeXml(spec.author)}</name></author>`,
    '<generator>hotpapers</generator>',
  ];
}

function rssHead(spec: FeedHead): string[] {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${escapeXml(spec.title)}</title>`,
    `<link>${escapeXml(spec.homeUrl)}</link>`,
    `<description>${escapeXml(spec.description)}</description>`,
    '<language>en</language>',
    `<lastBuildDate>${rfc822(spec.updated)}</lastBuildDate>`,
    '<generator>hotpapers</generator>',
    '<docs>https://www.rssboard.org/rss-specification</docs>',
    `<atom:link href="${escapeXml(spec.urls.rss)}" rel="self" type="application/rss+xml"/>`,
  ];
}

/** Where jsonFrame puts the items (a value no feed field holds). */
const ITEMS_MARK = '\u0000items';

/** The JSON feed as JSON.stringify(feed, null, 2) lays it out, the items in the mark's place. */
function jsonFrame(spec: FeedHead, some: boolean): Frame {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: spec.title,
    home_page_url: spec.homeUrl,
    feed_url: spec.urls.json,
    description: spec.description,
    language: 'en',
    authors: [{ name: spec.author }],
    items: some ? [ITEMS_MARK] : [],
  };
  const text = JSON.stringify(feed, null, 2);
  if (!some) return { open: `${text}\n`, between: '', close: '' };
  // The mark stands alone on the last line but two of the text: the items go in its place.
  const mark = `    ${JSON.stringify(ITEMS_MARK)}\n`;
  const at = text.lastIndexOf(mark);
  return { open: text.slice(0, at), between: ',\n', close: `\n${text.slice(at + mark.length)}\n` };
}

/**
 * What stands in every feed of a format around its items, whatever its head: the bytes between
 * two items, after the last, and how each item begins and ends (a kept feed's items are cut out
 * of it by their lengths, and these are checked: see feed-items.ts).
 */
export const ITEM_FRAMES: Readonly<
  Record<FeedKind, { between: Buffer; close: Buffer; first: Buffer; last: Buffer }>
> = (() => {
  const any = frames(
    {
      title: '',
      description: '',
      homeUrl: '',
      urls: { atom: '', rss: '', json: '' },
      updated: '1970-01-01T00:00:00.000Z',
      author: '',
    },
    true,
  );
  const marks: Record<FeedKind, [string, string]> = {
    atom: ['<entry>', '</entry>'],
    rss: ['<item>', '</item>'],
    json: ['    {', '    }'],
  };
  const of = (kind: FeedKind) => ({
    between: Buffer.from(any[kind].between),
    close: Buffer.from(any[kind].close),
    first: Buffer.from(marks[kind][0]),
    last: Buffer.from(marks[kind][1]),
  });
  return { atom: of('atom'), rss: of('rss'), json: of('json') };
})();
