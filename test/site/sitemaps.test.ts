/** The site's sitemaps and robots.txt: what they list, that it is the whole site, and what a new day rewrites. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { resolveBaseUrl } from '../../src/site/base-url.js';
import { generateSiteToDir } from '../../src/site/generate.js';
import type { ListDay } from '../../src/site/model.js';
import { monthUrls, SITEMAP_MAX_URLS, sitemapPaths, splitUrls, urlSet } from '../../src/site/sitemaps.js';
import { openStore } from '../../src/store/db.js';
import type { DayDigest } from '../../src/types.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';
import { snapshot } from './same-as-full.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-sitemaps-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// Served under a path, as a GitHub Pages project site is.
const BASE = 'https://example.org/hot/';

const xml = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => name === 'url' || name === 'sitemap',
});

/** The <loc>s (as site paths) and <lastmod>s of a sitemap or sitemap index. */
function entries(text: string): Array<{ path: string; lastmod?: string }> {
  const doc = xml.parse(text) as {
    urlset?: { '@_xmlns': string; url?: Array<{ loc: string; lastmod?: string }> };
    sitemapindex?: { '@_xmlns': string; sitemap?: Array<{ loc: string; lastmod?: string }> };
  };
  const root = doc.urlset ?? doc.sitemapindex;
  assert.equal(root?.['@_xmlns'], 'http://www.sitemaps.org/schemas/sitemap/0.9');
  const list = doc.urlset?.url ?? doc.sitemapindex?.sitemap ?? [];
  return list.map((e) => {
    assert.ok(e.loc.startsWith(BASE), e.loc);
    const path = e.loc.slice(BASE.length) || 'index.html';
    return e.lastmod === undefined ? { path } : { path, lastmod: e.lastmod };
  });
}

/** May and June 2021 days (two papers a day; 2105.00001 ranked again in June). */
function days(): DayDigest[] {
  const may = ['2021-05-27', '2021-05-28'].map((day, k) =>
    digest(day, [
      ranked(1, paper(`2105.0000${k}`), [post('x', `m${k}`, 30, 90)]),
      ranked(2, paper(`2105.0001${k}`, { categories: ['cs.CV'] }), [post('x', `n${k}`, 5, 60)]),
    ]),
  );
  const again = digest('2021-06-11', [ranked(1, paper('2105.00001'), [post('x', 'again', 50, 200)])]);
  return [...sampleDigests(), ...may, again];
}

function storeWith(name: string, digests: readonly DayDigest[]): string {
  const path = join(dir, name);
  const db = openStore(path);
  fillStore(db, digests);
  db.close();
  return path;
}

test('the sitemap index names a sitemap per month and the list pages; together they list every day and paper page', async () => {
  const db = storeWith('whole.db', days());
  const out = join(dir, 'whole');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const site = snapshot(out);
  const text = (path: string) => site.get(path)!.bytes.toString('utf8');

  assert.deepEqual(entries(text('sitemap.xml')), [
    { path: 'sitemaps/lists.xml' },
    { path: 'sitemaps/2021-06.xml' },
    { path: 'sitemaps/2021-05.xml' },
  ]);
  assert.equal(text('robots.txt'), `User-agent: *\nAllow: /\n\nSitemap: ${BASE}sitemap.xml\n`);

  const june = entries(text('sitemaps/2021-06.xml'));
  const may = entries(text('sitemaps/2021-05.xml'));
  const lists = entries(text('sitemaps/lists.xml'));
  // Every URL is a page of the site.
  for (const e of [...june, ...may, ...lists]) assert.ok(site.has(e.path), e.path);
  // Every day and paper page is in a month's sitemap; the months' archive pages too.
  const pages = [...site.keys()].filter((p) => /^(days|papers)\/[^/]+\.html$/.test(p)).sort();
  assert.deepEqual(
    [pages.filter((p) => p.startsWith('days/')).length, pages.filter((p) => p.startsWith('papers/')).length],
    [6, 9],
    'six day pages and nine paper pages to find',
  );
  const listed = new Set([...june, ...may].map((e) => e.path));
  assert.deepEqual(
    pages.filter((p) => !listed.has(p)),
    [],
  );
  assert.equal(june[0]!.path, 'archive/2021-06.html');
  assert.equal(may[0]!.path, 'archive/2021-05.html');
  // Dated by their day's observation; a paper ranked on two days by the later, in each month it was ranked.
  const byPath = new Map(june.map((e) => [e.path, e.lastmod]));
  const june11 = days().find((d) => d.day === '2021-06-11')!;
  assert.equal(byPath.get('days/2021-06-11.html'), june11.observedAt);
  assert.equal(byPath.get('papers/2105.00001.html'), june11.observedAt);
  assert.ok(may.some((e) => e.path === 'papers/2105.00001.html'));
  assert.equal(june.filter((e) => e.path === 'papers/2105.00001.html').length, 1, 'once in a month');
  // The list pages: the latest days, the archive, the categories and each one's page, the search page.
  for (const p of [
    'index.html',
    'archive/index.html',
    'categories/index.html',
    'categories/cs.CV.html',
    'search.html',
  ])
    assert.ok(
      lists.some((e) => e.path === p),
      p,
    );
  // Titles with markup and the like never reach a sitemap: its URLs are site paths.
  assert.doesNotMatch(text('sitemaps/2021-06.xml'), /<script|&lt;/);
});

test("a new day rewrites its month's sitemap only; a new month adds one and rewrites the index", async () => {
  const db = storeWith('steps.db', days());
  const out = join(dir, 'steps');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const add = (d: DayDigest) => {
    const h = openStore(db);
    fillStore(h, [d]);
    h.close();
  };

  add(digest('2021-06-14', [ranked(1, paper('2106.00100'), [post('x', 'new', 20, 80)])]));
  const june = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(june.full, false);
  const sitemaps = (paths: readonly string[]) => paths.filter((p) => p.startsWith('sitemap')).sort();
  assert.deepEqual(sitemaps(june.writtenPaths), ['sitemaps/2021-06.xml']);
  assert.ok(june.writtenPaths.includes('days/2021-06-14.html'));

  add(digest('2021-07-01', [ranked(1, paper('2107.00001'), [post('x', 'july', 20, 80)])]));
  const july = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.deepEqual(sitemaps(july.writtenPaths), ['sitemap.xml', 'sitemaps/2021-07.xml']);
  const index = snapshot(out).get('sitemap.xml')!.bytes.toString('utf8');
  assert.deepEqual(
    entries(index).map((e) => e.path),
    ['sitemaps/lists.xml', 'sitemaps/2021-07.xml', 'sitemaps/2021-06.xml', 'sitemaps/2021-05.xml'],
  );
});

test('a month past 50,000 URLs is split into sitemaps of at most 50,000', () => {
  const papers = Array.from({ length: 30_000 }, (_, i) => ({
    rank: i + 1,
    score: 1,
    paper: {
      id: `2106.${String(i).padStart(5, '0')}`,
      title: 't',
      categories: ['cs.LG'],
      primaryCategory: 'cs.LG',
    },
  }));
  const day = (d: string, from: number): ListDay => ({
    day: d,
    categoriesKey: 'cs',
    horizon: '24h',
    digest: {
      categories: ['cs'],
      observedAt: `${d}T18:00:00.000Z`,
      listed: 30_000,
      postsFound: 1,
      papers: papers.map((p, i) => ({ ...p, paper: { ...p.paper, id: `${from + i}` } })),
    },
  });
  // Two days of 30,000 papers each, 10,000 of them on both: 50,001 URLs once each.
  const urls = monthUrls('2021-06', [day('2021-06-02', 20_000), day('2021-06-01', 0)]);
  assert.equal(urls.length, 1 + 2 + 50_000);
  const parts = splitUrls(urls);
  assert.deepEqual(
    parts.map((p) => p.length),
    [SITEMAP_MAX_URLS, 3],
  );
  assert.deepEqual(parts.flat(), urls);
  assert.equal(sitemapPaths.month('2021-06', 2), 'sitemaps/2021-06-2.xml');
  assert.equal(entries(urlSet(parts[1]!, BASE)).length, 3);
});

test('without a base URL the warning names the sitemaps among what points at localhost', () => {
  assert.deepEqual(resolveBaseUrl('https://example.org/hot/'), { baseUrl: 'https://example.org/hot/' });
  const { baseUrl, warning } = resolveBaseUrl(undefined);
  assert.equal(baseUrl, 'http://localhost:8080/');
  assert.match(
    warning ?? '',
    /: feeds, canonical links, Open Graph tags and sitemaps point at http:\/\/localhost:8080\/$/,
  );
});
