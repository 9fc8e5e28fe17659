import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  enrichPapers,
  enrichRanked,
  idsToRefresh,
  parsePaperPage,
  unknownPaper,
} from '../../src/enrich/hf-papers.js';
import { HttpClient } from '../../src/http/client.js';
import { matchPosts } from '../../src/match/match.js';
import { dailyThumbnails, postFromDailyItem } from '../../src/sources/hf.js';
import { hfDailyItem, startHfStandIn } from '../../src/standins/hf.js';
import { closedPort } from '../../src/standins/server.js';
import { openStore } from '../../src/store/db.js';
import { loadEnrichments } from '../../src/store/enrichment.js';
import { savePosts } from '../../src/store/posts.js';
import { type Logger, silentLogger } from '../../src/util/log.js';

const NOW = new Date('2026-11-26T12:00:00Z');
const AT = NOW.toISOString();

const ON_DAILY = hfDailyItem({
  id: '2611.01001',
  title: 'On Daily Papers',
  upvotes: 30,
  submittedAt: '2026-11-25T03:00:00.000Z',
  githubRepo: 'https://github.com/org/repo',
  githubStars: 321,
  projectPage: 'https://org.github.io/project',
});
/** Known to HF (a paper page) but never on Daily Papers. */
const PAGE_ONLY = {
  id: '2611.01002',
  title: 'Only a paper page',
  upvotes: 0,
  ai_summary: 'A  TL;DR\nwith\u0007 a bell.',
  // A number among the keywords: whatever HF sends is checked.
  ai_keywords: ['graphs', 'graphs', 42, 'GNN'] as unknown as string[],
  githubRepo: 'javascript:alert(1)',
  projectPage: '',
};
const UNKNOWN = '2611.01003';

function http(sleep?: (ms: number) => Promise<void>) {
  return new HttpClient({ retryBaseMs: 5, maxAttempts: 2, ...(sleep ? { sleep } : {}) });
}

function capture(): { log: Logger; warnings: string[] } {
  const warnings: string[] = [];
  return { log: { ...silentLogger, warn: (m) => warnings.push(m) }, warnings };
}

test('parsePaperPage - the fields HF has, cleaned; bad URLs and types left out', () => {
  const e = parsePaperPage({ ...ON_DAILY.paper, thumbnail: 'https://cdn.example/t.png' }, '2611.01001', AT);
  assert.deepEqual(e, {
    paperId: '2611.01001',
    status: 'ok',
    fetchedAt: AT,
    githubRepo: 'https://github.com/org/repo',
    githubStars: 321,
    projectPage: 'https://org.github.io/project',
    aiSummary: 'One-sentence summary.',
    aiKeywords: ['keyword'],
    thumbnail: 'https://cdn.example/t.png',
  });
  assert.deepEqual(parsePaperPage(PAGE_ONLY, '2611.01002', AT), {
    paperId: '2611.01002',
    status: 'ok',
    fetchedAt: AT,
    aiSummary: 'A TL;DR with a bell.',
    aiKeywords: ['graphs', 'GNN'],
  });
  assert.throws(() => parsePaperPage([], '2611.01002', AT), {
    message: 'hf: paper page of 2611.01002 is not a JSON object',
  });
  assert.throws(() => parsePaperPage({ id: '2611.09999' }, '2611.01002', AT), {
    message: 'hf: paper page of 2611.01002 describes "2611.09999"',
  });
});

test('idsToRefresh - missing or a day old; younger answers are reused', () => {
  const stored = new Map([
    ['a', unknownPaper('a', '2026-11-26T00:00:00.000Z')],
    ['b', unknownPaper('b', '2026-11-25T11:59:59.000Z')],
    ['c', unknownPaper('c', 'garbage')],
  ]);
  assert.deepEqual(idsToRefresh(['a', 'b', 'c', 'd', 'd'], stored, NOW), ['b', 'c', 'd']);
});

test('enrichPapers - stores ok and unknown, reuses them within a day, refreshes after', async (t) => {
  const hf = await startHfStandIn({ days: { '2026-11-25': [ON_DAILY] }, papers: [PAGE_ONLY] });
  t.after(() => hf.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  // The run's HF source saw the Daily Papers entry, with its thumbnail; the stored post keeps
  // no `raw` (a store may trim it): the thumbnail must come from the run, not from the store.
  const post = postFromDailyItem(ON_DAILY, '2026-11-25')!;
  savePosts(db, matchPosts([{ ...post, raw: undefined }], new Set(['2611.01001'])), AT);
  const daily = dailyThumbnails([post]);
  const ids = ['2611.01001', '2611.01002', UNKNOWN];
  const { log, warnings } = capture();
  const client = http();

  const first = await enrichPapers({
    db,
    http: client,
    hfApiUrl: hf.apiUrl,
    paperIds: ids,
    now: NOW,
    log,
    dailyThumbnails: daily,
  });
  assert.deepEqual(hf.requests.map((r) => r.path).sort(), [
    '/api/papers/2611.01001',
    '/api/papers/2611.01002',
    '/api/papers/2611.01003',
  ]);
  assert.deepEqual(warnings, []);
  assert.equal(first.requested, 3);
  assert.equal(first.cached, 0);
  const stored = loadEnrichments(db, ids);
  assert.deepEqual(stored.get('2611.01001'), {
    paperId: '2611.01001',
    status: 'ok',
    fetchedAt: AT,
    githubRepo: 'https://github.com/org/repo',
    githubStars: 321,
    projectPage: 'https://org.github.io/project',
    aiSummary: 'One-sentence summary.',
    aiKeywords: ['keyword'],
    thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2611.01001.png',
  });
  assert.equal(stored.get('2611.01002')?.status, 'ok');
  assert.deepEqual(JSON.parse(JSON.stringify(stored.get(UNKNOWN))), {
    paperId: UNKNOWN,
    status: 'unknown',
    fetchedAt: AT,
  });

  // Later the same day: nothing asked.
  const later = new Date(NOW.getTime() + 6 * 3_600_000);
  const second = await enrichPapers({
    db,
    http: client,
    hfApiUrl: hf.apiUrl,
    paperIds: ids,
    now: later,
    log,
  });
  assert.equal(hf.requests.length, 3);
  assert.equal(second.cached, 3);
  assert.equal(second.enrichments.get(UNKNOWN)?.status, 'unknown');

  // A day on: asked again; without this run's Daily Papers entry the stored thumbnail stays.
  const nextDay = new Date(NOW.getTime() + 24 * 3_600_000);
  await enrichPapers({ db, http: client, hfApiUrl: hf.apiUrl, paperIds: ids, now: nextDay, log });
  assert.equal(hf.requests.length, 6);
  assert.equal(loadEnrichments(db, [UNKNOWN]).get(UNKNOWN)?.fetchedAt, nextDay.toISOString());
  assert.equal(
    loadEnrichments(db, ['2611.01001']).get('2611.01001')?.thumbnail,
    'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2611.01001.png',
  );
  assert.equal(loadEnrichments(db, ['2611.01002']).get('2611.01002')?.thumbnail, undefined);
});

test('enrichPapers - a bad body fails that paper only; HF down stops asking and keeps stored answers', async (t) => {
  const db = openStore(':memory:');
  t.after(() => db.close());
  const bad = await startHfStandIn(
    { days: { '2026-11-25': [ON_DAILY] }, papers: [PAGE_ONLY] },
    {
      override: (req) =>
        req.path === '/api/papers/2611.01002' ? { status: 200, body: '<html>oops</html>' } : undefined,
    },
  );
  t.after(() => bad.close());
  const one = capture();
  const report = await enrichPapers({
    db,
    http: http(),
    hfApiUrl: bad.apiUrl,
    paperIds: ['2611.01001', '2611.01002', UNKNOWN],
    now: NOW,
    log: one.log,
  });
  assert.equal(report.failures.length, 1);
  assert.match(
    report.failures[0]!,
    /^hf: got HTML where JSON was expected for GET .*\/api\/papers\/2611\.01002$/,
  );
  assert.deepEqual(report.skipped, []);
  assert.deepEqual([...loadEnrichments(db, ['2611.01001', '2611.01002', UNKNOWN]).keys()].sort(), [
    '2611.01001',
    UNKNOWN,
  ]);
  assert.equal(one.warnings.length, 1);
  assert.match(one.warnings[0]!, /^hf: enrichment incomplete, 1 paper page\(s\) failed: hf: got HTML/);

  // A day later HF answers 503 to everything: the first paper fails after its retries, the
  // rest are not asked, and yesterday's answers stay.
  const down = await startHfStandIn({ days: {} }, { fail: { status: 503, times: 1000 } });
  t.after(() => down.close());
  const two = capture();
  const waits: number[] = [];
  const report2 = await enrichRanked({
    enabled: true,
    db,
    http: http(async (ms) => {
      waits.push(ms);
    }),
    hfApiUrl: down.apiUrl,
    paperIds: ['2611.01001', '2611.01002', UNKNOWN],
    now: new Date(NOW.getTime() + 25 * 3_600_000),
    log: two.log,
    concurrency: 1,
  });
  assert.ok(report2, 'enrichment ran');
  assert.equal(report2.failures.length, 1);
  assert.deepEqual(report2.skipped, ['2611.01002', UNKNOWN]);
  assert.equal(
    down.requests.length,
    2,
    'one paper page, two attempts; nothing asked after HF failed for good',
  );
  assert.equal(waits.length, 1);
  assert.match(two.warnings[0]!, /^hf: enrichment incomplete, .*HTTP 503/);
  assert.equal(loadEnrichments(db, ['2611.01001']).get('2611.01001')?.fetchedAt, AT, 'kept');
});

test('enrichRanked - off when the HF source is not enabled; connection refused is a warning', async (t) => {
  const db = openStore(':memory:');
  t.after(() => db.close());
  const closed = await closedPort();
  const off = await enrichRanked({
    enabled: false,
    db,
    http: http(),
    hfApiUrl: `${closed}/api`,
    paperIds: ['2611.01001'],
    now: NOW,
    log: silentLogger,
  });
  assert.equal(off, undefined);
  const { log, warnings } = capture();
  const report = await enrichRanked({
    enabled: true,
    db,
    http: http(async () => {}),
    hfApiUrl: `${closed}/api`,
    paperIds: ['2611.01001', '2611.01002'],
    now: NOW,
    log,
    concurrency: 1,
  });
  assert.equal(report?.failures.length, 1);
  assert.match(
    warnings[0]!,
    /^hf: enrichment incomplete, 1 paper page\(s\) failed, 1 not asked after HF failed: hf: cannot connect/,
  );
  assert.equal(loadEnrichments(db, ['2611.01001', '2611.01002']).size, 0);
});
