/**
 * The site's sitemaps (sitemaps.org protocol 0.9): `sitemap.xml`, an index of a sitemap per month
 * of days (its archive page, its day pages and the pages of the papers ranked on those days, each
 * dated by its day's observation) and one of the list pages; and `robots.txt`, which names the
 * index. A month's sitemap changes only when one of its days does: a new day rewrites its month's
 * (and the index when the month is new), and a build does not read the other months' days. The
 * index is not dated for that reason (a date per month would need every month's days). A paper
 * ranked again in a later month is listed in both months (a URL may be in several sitemaps).
 * Pure functions.
 */
import { escapeXml } from './escape.js';
import { absoluteUrl } from './layout.js';
import { type ListDay, paths } from './model.js';

/** At most this many URLs in one sitemap file (the protocol's limit); a larger month is split. */
export const SITEMAP_MAX_URLS = 50_000;

/** Where the sitemaps are, as site paths. */
export const sitemapPaths = {
  index: (): string => 'sitemap.xml',
  robots: (): string => 'robots.txt',
  lists: (): string => 'sitemaps/lists.xml',
  /** Part 1 of a month is `YYYY-MM.xml`, a further part `YYYY-MM-2.xml` and so on. */
  month: (month: string, part = 1): string => `sitemaps/${month}${part > 1 ? `-${part}` : ''}.xml`,
  /** The files of a month in `parts` parts, part 1 first. */
  monthParts: (month: string, parts: number): string[] =>
    Array.from({ length: parts }, (_, i) => sitemapPaths.month(month, i + 1)),
} as const;

/** One URL of a sitemap: a site path, and when its page last changed (an ISO instant) if known. */
export interface SitemapUrl {
  path: string;
  lastmod?: string;
}

/** A month's URLs: its archive page, then each day page (newest first) and the papers ranked that day. */
export function monthUrls(month: string, days: readonly ListDay[]): SitemapUrl[] {
  const newest = latestObservation(days);
  const out: SitemapUrl[] = [{ path: paths.month(month), ...(newest ? { lastmod: newest } : {}) }];
  // A paper ranked on several days of the month is listed once, dated by its latest day.
  const papers = new Map<string, string>();
  for (const day of days) {
    const at = day.digest.observedAt;
    out.push({ path: paths.day(day.day), lastmod: at });
    for (const r of day.digest.papers) {
      const before = papers.get(r.paper.id);
      if (before === undefined || at > before) papers.set(r.paper.id, at);
    }
  }
  for (const [id, at] of papers) out.push({ path: paths.paper(id), lastmod: at });
  return out;
}

/** The newest observation of `days` (ISO instants compare as strings); undefined for none. */
function latestObservation(days: readonly ListDay[]): string | undefined {
  let newest: string | undefined;
  for (const day of days)
    if (newest === undefined || day.digest.observedAt > newest) newest = day.digest.observedAt;
  return newest;
}

/** `urls` in sitemap files of at most SITEMAP_MAX_URLS each (one, unless there are more). */
export function splitUrls(urls: readonly SitemapUrl[]): SitemapUrl[][] {
  const parts: SitemapUrl[][] = [];
  for (let i = 0; i < urls.length; i += SITEMAP_MAX_URLS) parts.push(urls.slice(i, i + SITEMAP_MAX_URLS));
  return parts.length > 0 ? parts : [[]];
}

/** A sitemap of `urls` (absolute, under `baseUrl`). */
export function urlSet(urls: readonly SitemapUrl[], baseUrl: string): string {
  return sitemapXml('urlset', 'url', urls, baseUrl);
}

/** The sitemap index of the sitemap files `files` (site paths, each dated when known). */
export function sitemapIndex(files: readonly SitemapUrl[], baseUrl: string): string {
  return sitemapXml('sitemapindex', 'sitemap', files, baseUrl);
}

/** A sitemap document: `root` holding an `item` per entry, its location absolute, its date when known. */
function sitemapXml(root: string, item: string, entries: readonly SitemapUrl[], baseUrl: string): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<${root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`,
  ];
  for (const e of entries)
    lines.push(
      `<${item}><loc>${escapeXml(absoluteUrl(baseUrl, e.path))}</loc>${e.lastmod ? `<lastmod>${escapeXml(e.lastmod)}</lastmod>` : ''}</${item}>`,
    );
  lines.push(`</${root}>`, '');
  return lines.join('\n');
}

/**
 * robots.txt: every page may be crawled, and the sitemap index is named (crawlers read it at a
 * host's root only: a site served under a path gets it to copy there).
 */
export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${absoluteUrl(baseUrl, sitemapPaths.index())}\n`;
}
