import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { HttpClient } from '../../src/http/client.js';
import {
  createHfSource,
  type HfDailyItem,
  hfDatesFor,
  parseDailyPapers,
  postFromDailyItem,
} from '../../src/sources/hf.js';
import type { SourceContext } from '../../src/sources/source.js';
import { hfDailyItem, startHfStandIn } from '../../src/standins/hf.js';
import { closedPort } from '../../src/standins/server.js';
import type { Paper, Post } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/hf/${name}`, import.meta.url), 'utf8'));
const D20 = fixture('daily-2026-08-20.json') as HfDailyItem[];
const D21 = fixture('daily-2026-08-21.json') as HfDailyItem[];
const DAYS = { '2026-08-20': D20, '2026-08-21': D21 };

const DAY = '2026-08-20';
const ANNOUNCED = new Date('2026-08-20T00:00:00Z');
const NOW = new Date('2026-08-21T12:00:00Z');

function paper(id: string): Paper {
  return {
    id,
    version: 1,
    title: id,
    abstract: '',
    authors: [],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    announceType: 'new',
    method: 'rss',
  };
}
const PAPERS = ['2608.12345', '2608.12377', '2608.12400', '2608.12411'].map(paper);

function context(apiUrl: string, now = NOW) {
  const waits: number[] = [];
  const http = new HttpClient({
    retryBaseMs: 5,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const config = configSchema.parse({ hfApiUrl: apiUrl });
  const ctx: SourceContext = { http, config, now, day: DAY, announcedAt: ANNOUNCED, log: silentLogger };
  return { ctx, waits };
}

const ids = (posts: Post[]) => posts.map((p) => p.id).sort();

test('postFromDailyItem - id, paper URL as the link, title, submitter, upvotes and comments, githubRepo in raw', () => {
  const post = postFromDailyItem(D20[0], '2026-08-20');
  assert.deepEqual(post, {
    source: 'hf',
    id: '2608.12345',
    authorId: '60f1ed6bbf1e3c0a3e5b0000',
    authorHandle: 'akhaliq',
    authorName: 'AK',
    url: 'https://huggingface.co/papers/2608.12345',
    links: ['https://huggingface.co/papers/2608.12345'],
    text: 'Sparse Attention at Scale',
    createdAt: '2026-08-20T04:12:33.000Z',
    metrics: { reposts: 0, likes: 57, replies: 3, quotes: 0 },
    raw: {
      date: '2026-08-20',
      githubRepo: 'https://github.com/org/repo',
      githubStars: 1234,
      arxivPublishedAt: '2026-08-19T17:59:58.000Z',
      submittedOnDailyAt: '2026-08-20T04:12:33.000Z',
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2608.12345.png',
    },
  });
  assert.equal(
    (postFromDailyItem(D20[1], '2026-08-20')!.raw as Record<string, unknown>).githubRepo,
    undefined,
  );
  assert.equal(postFromDailyItem({ paper: {} }, 'd'), null);
  assert.equal(postFromDailyItem({ paper: { id: '2608.00001v3' } }, 'd')?.id, '2608.00001');
});

test('parseDailyPapers - an array is required', () => {
  assert.equal(parseDailyPapers(D21, '2026-08-21', 'GET h/p').length, 2);
  assert.deepEqual(parseDailyPapers([], 'd', 'GET h/p'), []);
  assert.throws(() => parseDailyPapers({ error: 'x' }, 'd', 'GET h/p'), {
    message: 'hf: unexpected response for GET h/p: expected a JSON array',
  });
});

test('hfDatesFor - D and D+1, never after now', () => {
  assert.deepEqual(hfDatesFor('2026-08-20', NOW), ['2026-08-20', '2026-08-21']);
  assert.deepEqual(hfDatesFor('2026-08-20', new Date('2026-08-20T09:00:00Z')), ['2026-08-20']);
  assert.deepEqual(hfDatesFor('2026-08-31', new Date('2026-09-05T00:00:00Z')), ['2026-08-31', '2026-09-01']);
  assert.deepEqual(hfDatesFor('2026-08-20', new Date('2026-08-19T23:00:00Z')), ['2026-08-20']);
});

test('collect - reads D and D+1 and joins on the day papers', async (t) => {
  const s = await startHfStandIn({ days: DAYS });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHfSource().collect(PAPERS, ctx);
  // 2608.05555 (an earlier mailing) and 2608.13000 (the next one) are not this day's.
  assert.deepEqual(ids(result.posts), ['2608.12345', '2608.12377', '2608.12400']);
  const late = result.posts.find((p) => p.id === '2608.12400');
  assert.deepEqual(late?.metrics, { reposts: 0, likes: 7, replies: 1, quotes: 0 });
  assert.equal((late!.raw as Record<string, unknown>).date, '2026-08-21');
  assert.deepEqual(
    s.requests.map((r) => [r.path, r.query.get('date'), r.query.get('limit'), r.query.get('p')]),
    [
      ['/api/daily_papers', '2026-08-20', '100', '0'],
      ['/api/daily_papers', '2026-08-20', '100', '1'],
      ['/api/daily_papers', '2026-08-21', '100', '0'],
      ['/api/daily_papers', '2026-08-21', '100', '1'],
    ],
  );
  assert.ok(
    result.notes.includes(
      'hf: 5 Daily Papers entries on 2026-08-20, 2026-08-21 (4 requests), 3 of them from this day',
    ),
    result.notes.join(' | '),
  );
});

test('collect - pages with p until an empty page', async (t) => {
  const items = Array.from({ length: 5 }, (_, i) =>
    hfDailyItem({ id: `2608.2000${i}`, title: `P${i}`, upvotes: i, submittedAt: '2026-08-20T05:00:00.000Z' }),
  );
  const s = await startHfStandIn({ days: { '2026-08-20': items } });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, new Date('2026-08-20T20:00:00Z'));
  const result = await createHfSource({ pageSize: 2 }).collect(
    items.map((it) => paper(it.paper.id)),
    ctx,
  );
  assert.equal(result.posts.length, 5);
  assert.deepEqual(
    s.requests.map((r) => r.query.get('p')),
    ['0', '1', '2', '3'],
  );
});

test('collect - a short page is not the last: HF may serve fewer than limit', async (t) => {
  const items = Array.from({ length: 5 }, (_, i) =>
    hfDailyItem({ id: `2608.3000${i}`, title: `P${i}`, upvotes: i, submittedAt: '2026-08-20T05:00:00.000Z' }),
  );
  // The server caps pages at 2 whatever limit asks: every page is short of our 100.
  const s = await startHfStandIn({ days: { '2026-08-20': items } }, { maxLimit: 2 });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, new Date('2026-08-20T20:00:00Z'));
  const result = await createHfSource().collect(
    items.map((it) => paper(it.paper.id)),
    ctx,
  );
  assert.equal(result.posts.length, 5);
  assert.deepEqual(
    s.requests.map((r) => r.query.get('p')),
    ['0', '1', '2', '3'],
  );
});

test('collect - a date with more pages than the cap says so in a note', async (t) => {
  const items = Array.from({ length: 6 }, (_, i) =>
    hfDailyItem({ id: `2608.4000${i}`, title: `P${i}`, upvotes: i, submittedAt: '2026-08-20T05:00:00.000Z' }),
  );
  const s = await startHfStandIn({ days: { '2026-08-20': items } });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, new Date('2026-08-20T20:00:00Z'));
  const result = await createHfSource({ pageSize: 2, maxPages: 2 }).collect(
    items.map((it) => paper(it.paper.id)),
    ctx,
  );
  assert.equal(result.posts.length, 4);
  assert.ok(
    result.notes.includes('hf: stopped after 2 pages on 2026-08-20; later entries were not read'),
    result.notes.join(' | '),
  );
});

test('postFromDailyItem - 2026 shape: time from submittedOnDailyAt, handle from submittedOnDailyBy.user', () => {
  const item = hfDailyItem({
    id: '2611.01234',
    title: 'T',
    upvotes: 9,
    submitter: 'janer',
    submitterFullname: 'Jane R',
    submittedAt: '2026-11-25T03:00:00.000Z',
    publishedAt: '2026-11-24T15:00:00.000Z',
  });
  assert.equal(item.publishedAt, '2026-11-24T15:00:00.000Z', 'the stand-in serves the 2026 shape');
  assert.equal(item.paper.submittedOnDailyBy?.name, undefined);
  const post = postFromDailyItem(item, '2026-11-25')!;
  assert.equal(post.createdAt, '2026-11-25T03:00:00.000Z');
  assert.equal(post.authorHandle, 'janer');
  assert.equal(post.authorName, 'Jane R');
  assert.equal((post.raw as Record<string, unknown>).arxivPublishedAt, '2026-11-24T15:00:00.000Z');
  // The 2025 shape (with `name`) still reads.
  const old = postFromDailyItem(
    hfDailyItem({
      id: '2611.01235',
      title: 'T',
      upvotes: 1,
      submitter: 'ak',
      submittedAt: '2026-11-25T03:00:00.000Z',
      shape: '2025',
    }),
    '2026-11-25',
  )!;
  assert.equal(old.authorHandle, 'ak');
  // Without submittedOnDailyAt: the listed date, never the arXiv time.
  const bare = postFromDailyItem(
    { paper: { id: '2611.01236', publishedAt: '2026-11-20T00:00:00Z' }, publishedAt: '2026-11-20T00:00:00Z' },
    '2026-11-25',
  )!;
  assert.equal(bare.createdAt, '2026-11-25T00:00:00.000Z');
});

test('collect - a server that ignores p stops after a page of repeats', async (t) => {
  const items = [D20[0]!, D20[1]!];
  const s = await startHfStandIn(
    { days: {} },
    { override: () => ({ status: 200, body: JSON.stringify(items) }) },
  );
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, new Date('2026-08-20T20:00:00Z'));
  const result = await createHfSource({ pageSize: 2 }).collect(PAPERS, ctx);
  assert.equal(result.posts.length, 2);
  assert.equal(s.requests.length, 2);
});

test('collect - 404 for a date means no entries that day, not a failure', async (t) => {
  const s = await startHfStandIn({ days: DAYS }, { notFoundDates: ['2026-08-21'] });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHfSource().collect(PAPERS, ctx);
  assert.deepEqual(ids(result.posts), ['2608.12345', '2608.12377']);
  assert.equal(s.requests.length, 3, 'D read to its empty page; the 404 of D+1 ends that date at once');
});

test('collect - empty arrays are no entries', async (t) => {
  const s = await startHfStandIn({ days: {} });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHfSource().collect(PAPERS, ctx);
  assert.deepEqual(result.posts, []);
  assert.ok(result.notes[0]?.startsWith('hf: 0 Daily Papers entries'));
});

test('collect - malformed JSON is one line naming hf', async (t) => {
  const s = await startHfStandIn({ days: DAYS }, { malformed: true });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  await assert.rejects(createHfSource().collect(PAPERS, ctx), {
    message: /^hf: malformed JSON for GET 127\.0\.0\.1:\d+\/api\/daily_papers$/,
  });
});

test('collect - an object where the array belongs is a one-line error', async (t) => {
  const s = await startHfStandIn(
    { days: DAYS },
    { override: () => ({ status: 200, body: '{"error":"Invalid date"}' }) },
  );
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  await assert.rejects(createHfSource().collect(PAPERS, ctx), {
    message: /^hf: unexpected response for GET 127\.0\.0\.1:\d+\/api\/daily_papers: expected a JSON array$/,
  });
});

test('collect - 429 waits for the RateLimit t= seconds, then carries on', async (t) => {
  const s = await startHfStandIn({ days: DAYS }, { rateLimit: { times: 1, resetInSeconds: 11 } });
  t.after(() => s.close());
  const { ctx, waits } = context(s.apiUrl);
  const result = await createHfSource().collect(PAPERS, ctx);
  assert.equal(result.posts.length, 3);
  assert.deepEqual(waits, [11_000]);
});

test('collect - 503 every time fails with one line after 4 attempts', async (t) => {
  const s = await startHfStandIn({ days: DAYS }, { fail: { status: 503, times: 99 } });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  await assert.rejects(createHfSource().collect(PAPERS, ctx), {
    message: /^hf: HTTP 503 Service Unavailable for GET 127\.0\.0\.1:\d+\/api\/daily_papers after 4 attempts/,
  });
  assert.equal(s.requests.length, 4);
});

test('collect - connection refused is one line naming hf', async () => {
  const base = await closedPort();
  const { ctx } = context(`${base}/api`);
  await assert.rejects(createHfSource().collect(PAPERS, ctx), {
    message:
      /^hf: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\) for GET 127\.0\.0\.1:\d+\/api\/daily_papers after 4 attempts$/,
  });
});

test('embed - none for hf, and no request', async (t) => {
  const s = await startHfStandIn({ days: DAYS });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  assert.equal(await createHfSource().embed(postFromDailyItem(D20[0], DAY)!, ctx), null);
  assert.equal(s.requests.length, 0);
});

test('stand-in - /papers/{id} answers known papers and 404s the rest', async (t) => {
  const s = await startHfStandIn({ days: DAYS });
  t.after(() => s.close());
  const http = new HttpClient({ retryBaseMs: 5 });
  const known = await http.getJson<{ id: string; upvotes: number }>('hf', `${s.apiUrl}/papers/2608.12345`);
  assert.deepEqual([known.id, known.upvotes], ['2608.12345', 57]);
  const missing = await http.request({
    service: 'hf',
    url: `${s.apiUrl}/papers/2608.99999`,
    acceptStatuses: [404],
  });
  assert.equal(missing.status, 404);
});
