/**
 * Atom 1.0 (RFC 4287), RSS 2.0 and JSON Feed 1.1, rendered from one plain model. Written here
 * rather than with the `feed` package because it emits JSON Feed 1.0, RSS authors that are not
 * e-mail addresses, and falls back to the clock for missing dates.
 */
import { escapeXml } from './escape.js';

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

/** Items' contents escaped for XML, by item. */
const escapedContent = new WeakMap<FeedItem, string>();

/** An item's content escaped for XML, once: Atom and RSS both carry it, and it is most of a feed's bytes. */
function contentXml(item: FeedItem): string {
  let text = escapedContent.get(item);
  if (text === undefined) {
    text = escapeXml(item.contentHtml);
    escapedContent.set(item, text);
  }
  return text;
}

/** The feed as Atom 1.0. */
export function atomFeed(spec: FeedSpec): string {
  const out = [
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
  for (const item of spec.items) {
    out.push(
      '<entry>',
      `<id>${escapeXml(item.id)}</id>`,
      `<title type="text">${escapeXml(item.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${escapeXml(item.url)}"/>`,
      `<published>${rfc3339(item.published)}</published>`,
      `<updated>${rfc3339(item.updated)}</updated>`,
      item.summary ? `<summary type="text">${escapeXml(item.summary)}</summary>` : '',
      ...(item.tags ?? []).map((t) => `<category term="${escapeXml(t)}"/>`),
      `<content type="html">${contentXml(item)}</content>`,
      '</entry>',
    );
  }
  out.push('</feed>');
  return `${out.filter(Boolean).join('\n')}\n`;
}

/** The feed as RSS 2.0 (with an atom:link to itself, as the RSS Advisory Board recommends). */
export function rssFeed(spec: FeedSpec): string {
  const out = [
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
  for (const item of spec.items) {
    out.push(
      '<item>',
      `<title>${escapeXml(item.title)}</title>`,
      `<link>${escapeXml(item.url)}</link>`,
      `<guid isPermaLink="${item.id === item.url ? 'true' : 'false'}">${escapeXml(item.id)}</guid>`,
      `<pubDate>${rfc822(item.published)}</pubDate>`,
      ...(item.tags ?? []).map((t) => `<category>${escapeXml(t)}</category>`),
      `<description>${contentXml(item)}</description>`,
      '</item>',
    );
  }
  out.push('</channel>', '</rss>');
  return `${out.join('\n')}\n`;
}

/** The feed as JSON Feed 1.1. */
export function jsonFeed(spec: FeedSpec): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: spec.title,
    home_page_url: spec.homeUrl,
    feed_url: spec.urls.json,
    description: spec.description,
    language: 'en',
    authors: [{ name: spec.author }],
    items: spec.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      content_html: item.contentHtml,
      ...(item.summary ? { summary: item.summary } : {}),
      date_published: rfc3339(item.published),
      date_modified: rfc3339(item.updated),
      ...(item.tags && item.tags.length > 0 ? { tags: item.tags } : {}),
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
