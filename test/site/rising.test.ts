/**
 * The rising pages, and what keeps kept pages from going stale: enrichment changes redo the
 * pages that show them, and "This week" / "This month" are stable addresses.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateSiteToDir } from '../../src/site/generate.js';
import { openStore } from '../../src/store/db.js';
import { saveEnrichments } from '../../src/store/enrichment.js';
import { savePosts } from '../../src/store/posts.js';
import type { PaperEnrichment, ScoredPost } from '../../src/types.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-rising-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BASE = 'https://example.org/';

function store(name: string): string {
  const path = join(dir, name);
  const db = openStore(path);
  fillStore(db, sampleDigests());
  db.close();
  return path;
}

/** Store new counts of these posts (linking `paperId`), observed at `at`, as a run would. */
function snapshot(path: string, at: string, paperId: string, posts: ScoredPost[]): void {
  const db = openStore(path);
  savePosts(
    db,
    posts.map((p) => ({ post: { ...p, links: [] }, paperIds: [paperId] })),
    at,
  );
  db.close();
}

const read = (out: string, path: string) => readFileSync(join(out, path), 'utf8');
const inode = (out: string, path: string) => {
  const s = statSync(join(out, path));
  return `${s.ino}:${s.mtimeMs}`;
};
const risingIds = (html: string) =>
  [...html.matchAll(/<li><span class="n">\d+\.<\/span> <a href="\.\.\/papers\/([^"]+)\.html">/g)].map(
    (m) => m[1],
  );

test('the rising page orders the recent papers by their gain over the last 24 h of snapshots', async () => {
  const db = store('rising.db');
  // A day after the newest digest: 2106.00001's X post gains 400, 2106.00002's second post 110.
  snapshot(db, '2021-06-11T12:00:00.000Z', '2106.00001', [post('x', '1001', 40, 520)]);
  snapshot(db, '2021-06-11T12:00:00.000Z', '2106.00002', [post('x', '1006', 11, 110)]);
  const out = join(dir, 'site');
  const first = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(first.rising, 'rendered');
  const html = read(out, 'top/rising.html');
  // hep-th/9901001 (2021-06-10): 72 at 2021-06-10T12:00, 145 since: +73. The others did not grow.
  assert.deepEqual(risingIds(html), ['2106.00001', '2106.00002', 'hep-th_9901001']);
  assert.match(html, /<b>\+400 in the last 24 h<\/b>/);
  assert.match(html, /<b>\+110 in the last 24 h<\/b>/);
  assert.match(html, /<b>\+73 in the last 24 h<\/b>/);
  // Score now, the day it was announced and its rank that day.
  assert.match(
    html,
    /score now 675 · announced <a href="\.\.\/days\/2021-06-09\.html">2021-06-09<\/a> \(#1 that day\)/,
  );
  assert.match(html, /2021-06-11 12:00 UTC/);
  // Linked from the index and every window page; a page per category, linked from the category.
  assert.ok(read(out, 'index.html').includes('<a href="top/rising.html">Rising</a>'));
  assert.ok(read(out, 'top/all.html').includes('<a href="../top/rising.html">Rising</a>'));
  assert.ok(read(out, 'categories/cs.LG.html').includes('href="../categories/cs.LG-rising.html"'));
  assert.deepEqual(risingIds(read(out, 'categories/cs.LG-rising.html')), [
    '2106.00001',
    '2106.00002',
    'hep-th_9901001',
  ]);
  assert.deepEqual(risingIds(read(out, 'categories/hep-th-rising.html')), ['hep-th_9901001']);

  // Nothing changed: the rising pages are kept as they were, no snapshot is read.
  const before = inode(out, 'top/rising.html');
  const again = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(again.rising, 'kept');
  assert.deepEqual(again.writtenPaths, []);
  assert.equal(inode(out, 'top/rising.html'), before);

  // A new snapshot of a recent paper: redone, and the order follows the new gains.
  snapshot(db, '2021-06-11T13:00:00.000Z', 'hep-th/9901001', [post('x', '2001', 230, 600)]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.rising, 'rendered');
  assert.ok(third.writtenPaths.includes('top/rising.html'));
  assert.deepEqual(risingIds(read(out, 'top/rising.html')), ['hep-th_9901001', '2106.00001', '2106.00002']);
});

test('an enrichment stored after the build redoes the pages that show it, and only those', async () => {
  const db = store('enrich.db');
  const out = join(dir, 'site-enrich');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const enrichment: PaperEnrichment = {
    paperId: '2106.00002',
    status: 'ok',
    aiSummary: 'A quokka-sized summary of robust graph networks.',
    githubRepo: 'https://github.com/example/robust-graphs',
    githubStars: 1234,
    fetchedAt: '2021-06-12T00:00:00.000Z',
  };
  let handle = openStore(db);
  saveEnrichments(handle, [enrichment]);
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  const written = second.writtenPaths.filter(
    (p) => !p.startsWith('assets/search/') && !p.startsWith('.hotpapers/'),
  );
  assert.deepEqual(written.sort(), ['days/2021-06-09.html', 'papers/2106.00002.html']);
  for (const page of ['days/2021-06-09.html', 'papers/2106.00002.html']) {
    assert.ok(read(out, page).includes('quokka-sized summary'), `${page}: TL;DR`);
    assert.ok(read(out, page).includes('1,234'), `${page}: stars`);
  }
  // Search finds it by its TL;DR: the day's fragment and the index were redone too.
  assert.ok(second.writtenPaths.includes('.hotpapers/search/2021-06-09.txt'));

  // The same answer fetched again (a new fetchedAt only): nothing is redone.
  handle = openStore(db);
  saveEnrichments(handle, [{ ...enrichment, fetchedAt: '2021-06-13T00:00:00.000Z' }]);
  handle.close();
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.daysLoaded, 0);
  assert.deepEqual(third.writtenPaths, []);

  // More stars: redone again.
  handle = openStore(db);
  saveEnrichments(handle, [{ ...enrichment, githubStars: 2000, fetchedAt: '2021-06-14T00:00:00.000Z' }]);
  handle.close();
  const fourth = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.ok(fourth.writtenPaths.includes('papers/2106.00002.html'));
  assert.ok(read(out, 'days/2021-06-09.html').includes('2,000'));
});

test('a page kept from an older build links the current week and month, not those of its build', async () => {
  const db = store('weeks.db');
  const out = join(dir, 'site-weeks');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const kept = inode(out, 'days/2021-06-09.html');
  // A day of the next week and of the next month.
  const handle = openStore(db);
  fillStore(handle, [
    digest('2021-07-01', [
      ranked(1, paper('2107.00001', { title: 'A July paper' }), [post('x', '7001', 50, 150)]),
    ]),
  ]);
  handle.close();
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // The old day page was not rewritten, and its navigation leads to the new week and month.
  assert.equal(inode(out, 'days/2021-06-09.html'), kept);
  const page = read(out, 'days/2021-06-09.html');
  assert.ok(page.includes('<a href="../top/week.html">This week</a>'));
  assert.ok(page.includes('<a href="../top/month.html">This month</a>'));
  assert.match(read(out, 'top/week.html'), /<h1>Top papers of the week 28 June 2021 to 4 July 2021<\/h1>/);
  assert.ok(read(out, 'top/week.html').includes('A July paper'));
  assert.match(read(out, 'top/month.html'), /<h1>Top papers of July 2021<\/h1>/);
  assert.ok(!read(out, 'top/month.html').includes('Robust Graph Networks'));
  // The dated pages of past windows stay, linked from the current one.
  assert.ok(read(out, 'top/month.html').includes('href="../top/month-2021-06.html"'));
});
