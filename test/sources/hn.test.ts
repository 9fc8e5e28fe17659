import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { HttpClient } from '../../src/http/client.js';
import {
  createHnSource,
  type HnHit,
  hnCard,
  hnLinks,
  parseHnSearch,
  postFromHit,
} from '../../src/sources/hn.js';
import type { SourceContext } from '../../src/sources/source.js';
import { hnStory, startHnStandIn } from '../../src/standins/hn.js';
import { closedPort } from '../../src/standins/server.js';
import type { Post } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/hn/${name}`, import.meta.url), 'utf8'));
const HITS = fixture('hits.json') as HnHit[];

const DAY = '2026-08-20';
const ANNOUNCED = new Date('2026-08-20T00:00:00Z');
const NOW = new Date('2026-08-21T12:00:00Z');
const LO = ANNOUNCED.getTime() / 1000;
const HI = NOW.getTime() / 1000;

function context(apiUrl: string) {
  const waits: number[] = [];
  const http = new HttpClient({
    retryBaseMs: 5,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const config = configSchema.parse({ hnApiUrl: apiUrl });
  const ctx: SourceContext = { http, config, now: NOW, day: DAY, announcedAt: ANNOUNCED, log: silentLogger };
  return { ctx, waits };
}

const ids = (posts: Post[]) => posts.map((p) => p.id).sort();

test('postFromHit - link story: id, author, discussion URL, title, links and counts', () => {
  const post = postFromHit(HITS[0]);
  assert.deepEqual(post, {
    source: 'hn',
    id: '49100001',
    authorId: 'jdoe',
    authorHandle: 'jdoe',
    url: 'https://news.ycombinator.com/item?id=49100001',
    text: 'Sparse Attention at Scale [pdf]',
    createdAt: '2026-08-20T15:02:11.000Z',
    links: ['https://arxiv.org/pdf/2608.12345'],
    metrics: { reposts: 0, likes: 212, replies: 87, quotes: 0 },
  });
  // Older answers had milliseconds; both read the same.
  assert.equal(postFromHit(HITS[6])?.createdAt, '2026-08-18T12:00:00.000Z');
});

test('hnLinks - a text post (no url key) yields the hrefs of its story_text, entities decoded', () => {
  assert.equal('url' in HITS[2]!, false);
  assert.deepEqual(hnLinks(HITS[2]!), ['https://arxiv.org/abs/2608.12411']);
  assert.deepEqual(postFromHit(HITS[2])?.links, ['https://arxiv.org/abs/2608.12411']);
  // A text post without links is no post for us.
  assert.equal(postFromHit(HITS[3]), null);
  assert.equal(postFromHit({ title: 'no id', url: 'https://arxiv.org/abs/1' }), null);
});

test('parseHnSearch - reads the page fields; keeps no payload', () => {
  const page = parseHnSearch(fixture('search-response.json'), 'GET h/p');
  assert.deepEqual(
    { nbHits: page.nbHits, page: page.page, nbPages: page.nbPages },
    { nbHits: 2, page: 0, nbPages: 1 },
  );
  assert.deepEqual(
    page.posts.map((p) => p.id),
    ['49100001', '49100003'],
  );
  assert.equal(page.posts[0]!.raw, undefined);
  assert.throws(() => parseHnSearch({ message: 'x' }, 'GET h/p'), {
    message: 'hn: unexpected response for GET h/p: no "hits" array',
  });
});

test('hnCard - static blockquote with escaped title and counts', () => {
  const post = postFromHit(HITS[0])!;
  assert.equal(
    hnCard(post),
    '<blockquote class="hn-card"><p><a href="https://news.ycombinator.com/item?id=49100001">Sparse Attention at Scale [pdf]</a></p>&mdash; 212 points, 87 comments on Hacker News</blockquote>',
  );
  const nasty = {
    ...post,
    id: '7',
    text: '<script>alert("x")</script> & \'co\'',
    metrics: { ...post.metrics, likes: 1, replies: 1 },
  };
  assert.equal(
    hnCard(nasty),
    '<blockquote class="hn-card"><p><a href="https://news.ycombinator.com/item?id=7">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</a></p>&mdash; 1 point, 1 comment on Hacker News</blockquote>',
  );
});

test('collect - sweeps arxiv.org then alphaxiv.org over the day window, keeps linked stories', async (t) => {
  const s = await startHnStandIn({ hits: HITS });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHnSource().collect([], ctx);
  // Out of window: 49090000 (before the announcement), 49200000 (after now). Text posts have no
  // url, so a url-restricted query never finds them (49100003, 49100004).
  // The github.com/erin/arxiv.org-mirror story is returned: matching, not the query, decides.
  assert.deepEqual(ids(result.posts), ['49100001', '49100002', '49100005', '49100006']);
  assert.equal(s.requests.length, 2);
  const [arxiv, alpha] = s.requests;
  assert.equal(arxiv?.path, '/api/v1/search_by_date');
  assert.equal(arxiv?.query.get('query'), 'arxiv.org');
  assert.equal(arxiv?.query.get('restrictSearchableAttributes'), 'url');
  assert.equal(arxiv?.query.get('tags'), 'story');
  assert.equal(arxiv?.query.get('numericFilters'), `created_at_i>${LO - 1},created_at_i<${HI + 1}`);
  assert.ok(arxiv?.url.includes('numericFilters=created_at_i%3E'), 'the filter is URL-encoded');
  assert.equal(arxiv?.query.get('hitsPerPage'), '1000');
  assert.equal(arxiv?.query.get('page'), '0');
  assert.equal(alpha?.query.get('query'), 'alphaxiv.org');
  assert.deepEqual(result.posts.find((p) => p.id === '49100005')?.links, [
    'https://www.alphaxiv.org/abs/2608.12400',
  ]);
  assert.ok(
    result.notes.includes('hn: 4 stories from 2 requests (arxiv.org, alphaxiv.org)'),
    result.notes.join(' | '),
  );
});

test('collect - pages by nbPages when the server gives fewer hits per page', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { maxHitsPerPage: 2 });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHnSource({ queries: ['arxiv.org'] }).collect([], ctx);
  assert.deepEqual(ids(result.posts), ['49100001', '49100002', '49100006']);
  // 3 in-window hits whose url matches "arxiv.org", 2 a page: pages 0 and 1.
  assert.deepEqual(
    s.requests.map((r) => r.query.get('page')),
    ['0', '1'],
  );
});

test('collect - a window with 1000+ hits is split in halves until each fits', async (t) => {
  const hits: HnHit[] = [];
  const span = HI - LO;
  for (let i = 0; i < 2500; i++) {
    hits.push(
      hnStory({
        id: 50_000_000 + i,
        title: `Paper ${i}`,
        url: `https://arxiv.org/abs/2608.${String(10000 + i)}`,
        author: `u${i % 97}`,
        points: i % 300,
        comments: i % 50,
        createdAt: new Date((LO + 1 + Math.floor((i * (span - 2)) / 2500)) * 1000).toISOString(),
      }),
    );
  }
  const s = await startHnStandIn({ hits });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHnSource({ queries: ['arxiv.org'] }).collect([], ctx);
  assert.equal(result.posts.length, 2500);
  assert.equal(new Set(result.posts.map((p) => p.id)).size, 2500);
  // Whole window (2500) → halves (1250 each) → quarters (625): 1 + 2 + 4 requests.
  assert.equal(s.requests.length, 7);
  for (const r of s.requests) assert.equal(r.query.get('page'), '0');
  assert.ok(!result.notes.some((n) => n.includes('not read')));
});

test('collect - no hits is an empty result, not an error', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { empty: true });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHnSource().collect([], ctx);
  assert.deepEqual(result.posts, []);
  assert.equal(s.requests.length, 2);
  assert.ok(result.notes.includes('hn: 0 stories from 2 requests (arxiv.org, alphaxiv.org)'));
});

test('collect - 503 every time fails with one line after 4 attempts', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { fail: { status: 503, times: 99 } });
  t.after(() => s.close());
  const { ctx, waits } = context(s.apiUrl);
  await assert.rejects(createHnSource().collect([], ctx), (e: Error) => {
    assert.match(
      e.message,
      /^hn: HTTP 503 Service Unavailable for GET 127\.0\.0\.1:\d+\/api\/v1\/search_by_date after 4 attempts/,
    );
    assert.ok(!e.message.includes('\n'));
    return true;
  });
  assert.equal(s.requests.length, 4);
  assert.equal(waits.length, 3);
});

test('collect - a passing 503 is retried and the sweep completes', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { fail: { status: 503, times: 1 } });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const result = await createHnSource().collect([], ctx);
  assert.equal(result.posts.length, 4);
  assert.equal(s.requests.length, 3);
});

test('collect - malformed JSON is one line naming hn', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { malformed: true });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  await assert.rejects(createHnSource().collect([], ctx), {
    message: /^hn: malformed JSON for GET 127\.0\.0\.1:\d+\/api\/v1\/search_by_date$/,
  });
});

test('collect - HTML where JSON was expected is named as such', async (t) => {
  const s = await startHnStandIn(
    { hits: HITS },
    {
      override: () => ({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><p>blocked</p>',
      }),
    },
  );
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  await assert.rejects(createHnSource().collect([], ctx), {
    message: /^hn: got HTML where JSON was expected for GET /,
  });
});

test('collect - 429 with Retry-After waits what the server asked', async (t) => {
  const s = await startHnStandIn({ hits: HITS }, { rateLimit: { times: 1, retryAfterSeconds: 7 } });
  t.after(() => s.close());
  const { ctx, waits } = context(s.apiUrl);
  const result = await createHnSource().collect([], ctx);
  assert.equal(result.posts.length, 4);
  assert.deepEqual(waits, [7000]);
});

test('collect - connection refused is one line naming hn', async () => {
  const base = await closedPort();
  const { ctx } = context(`${base}/api/v1`);
  await assert.rejects(createHnSource().collect([], ctx), {
    message:
      /^hn: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\) for GET 127\.0\.0\.1:\d+\/api\/v1\/search_by_date after 4 attempts$/,
  });
});

test('embed - the card needs no request', async (t) => {
  const s = await startHnStandIn({ hits: HITS });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl);
  const html = await createHnSource().embed(postFromHit(HITS[1])!, ctx);
  assert.equal(
    html,
    '<blockquote class="hn-card"><p><a href="https://news.ycombinator.com/item?id=49100002">Diffusion for tabular data</a></p>&mdash; 64 points, 12 comments on Hacker News</blockquote>',
  );
  assert.equal(s.requests.length, 0);
});

test('hnStory - builds the 2026 hit shape', () => {
  const hit = hnStory({
    id: 1,
    title: 'T',
    author: 'a',
    points: 2,
    comments: 3,
    createdAt: '2026-08-20T15:02:11.456Z',
    storyText: 'x',
  });
  assert.equal(hit.created_at, '2026-08-20T15:02:11Z');
  assert.equal(hit.created_at_i, 1787238131);
  assert.equal('url' in hit, false);
  assert.deepEqual(hit._tags, ['story', 'author_a', 'story_1']);
});
