/**
 * The faithful search stand-in (free text against text and alt text only, filters against
 * links, the 10,000-result window) and the sweep that relies on it: a link-card-only post is
 * found, a day with more posts than one query can page through is read whole, and stored posts
 * get their counts from getPosts in batches of 25.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Config, configSchema } from '../../src/config/schema.js';
import { HttpClient } from '../../src/http/client.js';
import { matchPosts } from '../../src/match/match.js';
import {
  BLUESKY_GET_POSTS_BATCH,
  BLUESKY_SEARCH_WINDOW,
  type BlueskyPostView,
  createBlueskySource,
} from '../../src/sources/bluesky.js';
import type { SourceContext } from '../../src/sources/source.js';
import { type BlueskyStandInOptions, blueskyPost, startBlueskyStandIn } from '../../src/standins/bluesky.js';
import type { RecordedRequest } from '../../src/standins/server.js';
import type { Paper } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';

const HANDLE = 'hotpapers.bsky.social';
const PASSWORD = 'app-pass-word-1234';
const ANNOUNCED = new Date('2026-08-20T00:00:00Z');
const NOW = new Date('2026-08-21T00:00:00Z');

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

function context(s: { apiUrl: string; oembedUrl: string; url: string }, extra: Partial<Config> = {}) {
  const http = new HttpClient({ retryBaseMs: 1, random: () => 0.5, sleep: async () => {} });
  const config = configSchema.parse({
    blueskyHandle: HANDLE,
    blueskyAppPassword: PASSWORD,
    blueskyApiUrl: s.apiUrl,
    blueskyOembedUrl: s.oembedUrl,
    blueskyAppviewUrl: `${s.url}/xrpc`,
    ...extra,
  });
  const ctx: SourceContext = {
    http,
    config,
    now: NOW,
    day: '2026-08-20',
    announcedAt: ANNOUNCED,
    log: silentLogger,
  };
  return ctx;
}

async function standIn(posts: BlueskyPostView[], options: BlueskyStandInOptions = {}) {
  return startBlueskyStandIn({ handle: HANDLE, password: PASSWORD, posts }, options);
}

/** Log in and GET searchPosts with `params`; resolves to status and body. */
async function searchRaw(s: { apiUrl: string }, params: Record<string, string>) {
  const login = await fetch(`${s.apiUrl}/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: HANDLE, password: PASSWORD }),
  });
  const { accessJwt } = (await login.json()) as { accessJwt: string };
  const response = await fetch(`${s.apiUrl}/app.bsky.feed.searchPosts?${new URLSearchParams(params)}`, {
    headers: { authorization: `Bearer ${accessJwt}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as { posts?: BlueskyPostView[]; cursor?: string; hitsTotal?: number },
  };
}

const rkeys = (posts: BlueskyPostView[] | undefined) =>
  (posts ?? []).map((p) => p.uri.split('/').pop()).sort();

// The commonest way a paper is shared: a few words and a link card.
const CARD_ONLY = blueskyPost({
  rkey: '3cardonly',
  handle: 'ada.bsky.social',
  text: 'Great new paper!',
  createdAt: '2026-08-20T15:00:00.000Z',
  link: 'https://arxiv.org/abs/2608.20001',
  linkIn: 'external',
  likes: 40,
  reposts: 12,
});
const FACET = blueskyPost({
  rkey: '3facet',
  handle: 'ben.bsky.social',
  text: 'Read this',
  createdAt: '2026-08-20T16:00:00.000Z',
  link: 'https://www.arxiv.org/pdf/2608.20002v1',
  linkIn: 'facet',
});
const EXPORT_HOST = blueskyPost({
  rkey: '3export',
  handle: 'cy.bsky.social',
  text: 'API link',
  createdAt: '2026-08-20T17:00:00.000Z',
  link: 'https://export.arxiv.org/abs/2608.20003',
  linkIn: 'external',
});
const ALT_TEXT = blueskyPost({
  rkey: '3alt',
  handle: 'dee.bsky.social',
  text: 'Figure 1 is wild',
  createdAt: '2026-08-20T18:00:00.000Z',
  alt: 'screenshot of arxiv.org abstract page',
});
const TEXT_ONLY = blueskyPost({
  rkey: '3text',
  handle: 'eli.bsky.social',
  text: 'arxiv.org is down again',
  createdAt: '2026-08-20T19:00:00.000Z',
});
const ALL = [CARD_ONLY, FACET, EXPORT_HOST, ALT_TEXT, TEXT_ONLY];

test('stand-in searchPosts - free text matches text and alt text only, never links', async (t) => {
  const s = await standIn(ALL);
  t.after(() => s.close());
  // The old sweep's query: the card-only and facet posts do not match the free text.
  const old = await searchRaw(s, { q: 'arxiv.org', limit: '100' });
  assert.equal(old.status, 200);
  assert.deepEqual(rkeys(old.body.posts), ['3alt', '3text']);
  const oldWithDomain = await searchRaw(s, { q: 'arxiv.org', domain: 'arxiv.org', limit: '100' });
  assert.deepEqual(rkeys(oldWithDomain.body.posts), []);
  // Phrases, negation and OR.
  assert.deepEqual(rkeys((await searchRaw(s, { q: '"great new paper"' })).body.posts), ['3cardonly']);
  assert.deepEqual(rkeys((await searchRaw(s, { q: 'arxiv.org -down' })).body.posts), ['3alt']);
  assert.deepEqual(rkeys((await searchRaw(s, { q: 'wild | read' })).body.posts), ['3alt', '3facet']);
});

test('stand-in searchPosts - domain:, URL tokens and parameters match facet links and cards', async (t) => {
  const s = await standIn(ALL);
  t.after(() => s.close());
  // A q of filter tokens only matches every post passing them; www. is not part of the domain.
  const domain = await searchRaw(s, { q: 'domain:arxiv.org' });
  assert.deepEqual(rkeys(domain.body.posts), ['3cardonly', '3facet']);
  assert.equal(domain.body.hitsTotal, 2);
  // export.arxiv.org is a domain of its own.
  assert.deepEqual(rkeys((await searchRaw(s, { q: 'domain:export.arxiv.org' })).body.posts), ['3export']);
  assert.deepEqual(rkeys((await searchRaw(s, { q: '*', domain: 'export.arxiv.org' })).body.posts), [
    '3export',
  ]);
  // A full URL token matches the normalised link (scheme, www. and trailing slash aside).
  assert.deepEqual(rkeys((await searchRaw(s, { q: 'http://arxiv.org/pdf/2608.20002v1/' })).body.posts), [
    '3facet',
  ]);
  // since: inclusive, until: exclusive, on the record's createdAt; parameters win over tokens.
  const bounded = await searchRaw(s, {
    q: 'domain:arxiv.org since:2026-08-20T15:30:00Z until:2026-08-20T16:00:00Z',
  });
  assert.deepEqual(rkeys(bounded.body.posts), []);
  const widened = await searchRaw(s, {
    q: 'domain:arxiv.org since:2026-08-20T15:30:00Z until:2026-08-20T16:00:00Z',
    until: '2026-08-20T16:00:00.001Z',
  });
  assert.deepEqual(rkeys(widened.body.posts), ['3facet']);
  // A malformed datetime parameter is refused, as the service does.
  const bad = await searchRaw(s, { q: 'domain:arxiv.org', since: 'yesterday' });
  assert.equal(bad.status, 400);
});

test('stand-in searchPosts - no paging past 10,000 results: no cursor at the mark, errors past it', async (t) => {
  const posts = Array.from({ length: 10_050 }, (_, i) =>
    blueskyPost({
      rkey: `3many${i}`,
      handle: `u${i % 50}.bsky.social`,
      text: 'paper',
      createdAt: new Date(Date.parse('2026-08-20T01:00:00Z') + i * 1000).toISOString(),
      link: `https://arxiv.org/abs/2608.${String(30000 + (i % 100))}`,
      linkIn: 'external',
    }),
  );
  const s = await standIn(posts);
  t.after(() => s.close());
  const first = await searchRaw(s, { q: 'domain:arxiv.org', limit: '100' });
  assert.equal(first.status, 200);
  // Over 10,000 hits the index does not count exactly: no hitsTotal.
  assert.equal(first.body.hitsTotal, undefined);
  assert.equal(first.body.cursor, '100');
  const last = await searchRaw(s, { q: 'domain:arxiv.org', limit: '100', cursor: '9900' });
  assert.equal(last.status, 200);
  assert.equal(last.body.posts?.length, 100);
  assert.equal(last.body.cursor, undefined, 'no cursor that would page past the window');
  const straddling = await searchRaw(s, { q: 'domain:arxiv.org', limit: '100', cursor: '9950' });
  assert.equal(straddling.status, 500);
  const beyond = await searchRaw(s, { q: 'domain:arxiv.org', limit: '100', cursor: '10001' });
  assert.equal(beyond.status, 400);
  assert.match(JSON.stringify(beyond.body), /can't paginate so deep/);
});

test('collect - a link-card-only post is found by the domain: sweep and counts for its paper', async (t) => {
  const s = await standIn(ALL);
  t.after(() => s.close());
  const result = await createBlueskySource().collect([paper('2608.20001'), paper('2608.20003')], context(s));
  const matched = matchPosts(result.posts, new Set(['2608.20001', '2608.20003']));
  const card = matched.find((m) => m.post.id === CARD_ONLY.uri);
  assert.ok(card, 'the card-only post is found');
  assert.deepEqual(card.paperIds, ['2608.20001']);
  assert.deepEqual(card.post.metrics, { reposts: 12, likes: 40, replies: 0, quotes: 0 });
  // The export.arxiv.org card is found by that domain's own sweep.
  assert.ok(matched.some((m) => m.post.id === EXPORT_HOST.uri));
  // No sweep query carries free text: every q is made of filter tokens.
  const sweeps = s.requests.filter((r) => r.path.endsWith('searchPosts'));
  for (const r of sweeps) assert.match(String(r.query.get('q')), /^domain:\S+ since:\S+ until:\S+$/);
});

test('collect - a text query (the old sweep) misses the card-only post: the stand-in tells them apart', async (t) => {
  const s = await standIn(ALL);
  t.after(() => s.close());
  // The pre-fix sweep sent q=DOMAIN&domain=DOMAIN; replayed against the stand-in it finds nothing.
  const ctx = context(s);
  const old = await ctx.http.request({
    service: 'bluesky',
    url: `${s.apiUrl}/app.bsky.feed.searchPosts?q=arxiv.org&domain=arxiv.org&limit=100`,
    headers: { authorization: `Bearer ${await loginToken(s)}` },
  });
  assert.deepEqual((JSON.parse(old.text) as { posts: unknown[] }).posts, []);
});

async function loginToken(s: { apiUrl: string }): Promise<string> {
  const login = await fetch(`${s.apiUrl}/com.atproto.server.createSession`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: HANDLE, password: PASSWORD }),
  });
  return ((await login.json()) as { accessJwt: string }).accessJwt;
}

/** 12,000 posts in one day: more than one query can page through. */
function crowdedDay(): BlueskyPostView[] {
  const start = Date.parse('2026-08-20T00:30:00Z');
  return Array.from({ length: 12_000 }, (_, i) =>
    blueskyPost({
      rkey: `3crowd${i}`,
      handle: `u${i % 97}.bsky.social`,
      text: 'look',
      // Seven posts share each second: the window edges cut through equal createdAt values.
      createdAt: new Date(start + Math.floor(i / 7) * 1000).toISOString(),
      link: `https://arxiv.org/abs/2608.${String(40000 + (i % 500))}`,
      linkIn: i % 2 === 0 ? 'external' : 'facet',
    }),
  );
}

function assertWithinWindow(requests: RecordedRequest[]) {
  for (const r of requests.filter((q) => q.path.endsWith('searchPosts'))) {
    const offset = Number(r.query.get('cursor') ?? '0');
    assert.ok(offset + Number(r.query.get('limit')) <= BLUESKY_SEARCH_WINDOW, `offset ${offset}`);
  }
}

test('collect - a day over 10,000 posts is read whole by narrowing the window (no hitsTotal)', async (t) => {
  const posts = crowdedDay();
  const s = await standIn(posts);
  t.after(() => s.close());
  const result = await createBlueskySource({ domains: ['arxiv.org'] }).collect([], context(s));
  assert.equal(result.posts.length, posts.length);
  assert.equal(new Set(result.posts.map((p) => p.id)).size, posts.length);
  assertWithinWindow(s.requests);
  // Every answer was a success: no query needed an offset past the window.
  const sweeps = s.requests.filter((r) => r.path.endsWith('searchPosts'));
  assert.ok(sweeps.length >= 120 && sweeps.length <= 125, `${sweeps.length} pages`);
  assert.ok(
    result.notes.some((n) => /arxiv\.org \d+ pages in 2 windows, 12000 posts/.test(n)),
    result.notes.join(' | '),
  );
});

test('collect - with hitsTotal over 10,000 the window is halved up front', async (t) => {
  const posts = crowdedDay();
  const s = await standIn(posts, { countAll: true });
  t.after(() => s.close());
  const result = await createBlueskySource({ domains: ['arxiv.org'] }).collect([], context(s));
  assert.equal(new Set(result.posts.map((p) => p.id)).size, posts.length);
  assertWithinWindow(s.requests);
  const untils = new Set(
    s.requests.filter((r) => r.path.endsWith('searchPosts')).map((r) => r.query.get('until')),
  );
  assert.ok(untils.size >= 3, 'the first window and its two halves');
});

test('collect - stored posts are refreshed with getPosts, 25 URIs a request, no login; missing ones are gone', async (t) => {
  const stored = Array.from({ length: 60 }, (_, i) =>
    blueskyPost({
      rkey: `3stored${i}`,
      handle: `s${i}.bsky.social`,
      text: 'hello',
      createdAt: '2026-08-20T12:00:00.000Z',
      link: 'https://arxiv.org/abs/2608.50000',
      linkIn: 'facet',
      likes: i,
    }),
  );
  const gone = [stored[3]!.uri, stored[40]!.uri];
  const s = await standIn(stored, { gone });
  t.after(() => s.close());
  // No app password: search is skipped, the refresh still works.
  const ctx = {
    ...context(s, { blueskyHandle: undefined, blueskyAppPassword: undefined }),
    storedPostIds: stored.map((p) => p.uri),
  };
  const result = await createBlueskySource().collect([paper('2608.50000')], ctx);
  const reads = s.requests.filter((r) => r.path.endsWith('getPosts'));
  assert.deepEqual(
    reads.map((r) => r.query.getAll('uris').length),
    [BLUESKY_GET_POSTS_BATCH, BLUESKY_GET_POSTS_BATCH, 10],
  );
  assert.equal(s.requests.length, reads.length, 'no login, no search');
  for (const r of reads) assert.equal(r.headers.authorization, undefined);
  assert.equal(result.posts.length, 58);
  assert.deepEqual(result.gone?.sort(), [...gone].sort());
  assert.equal(result.posts.find((p) => p.id === stored[7]!.uri)?.metrics.likes, 7);
  assert.ok(result.notes.some((n) => n.includes('search skipped')));
});

test('collect - search results and refreshed posts are merged, each post once', async (t) => {
  const s = await standIn(ALL);
  t.after(() => s.close());
  const ctx = { ...context(s), storedPostIds: [CARD_ONLY.uri, TEXT_ONLY.uri] };
  const result = await createBlueskySource().collect([paper('2608.20001')], ctx);
  // The card-only post came from search: only the other stored post is re-read.
  const reads = s.requests.filter((r) => r.path.endsWith('getPosts'));
  assert.deepEqual(
    reads.map((r) => r.query.getAll('uris')),
    [[TEXT_ONLY.uri]],
  );
  const idsSeen = result.posts.map((p) => p.id);
  assert.equal(new Set(idsSeen).size, idsSeen.length);
  assert.ok(idsSeen.includes(CARD_ONLY.uri) && idsSeen.includes(TEXT_ONLY.uri));
  assert.deepEqual(result.gone, []);
});

test('collect - a getPosts batch that comes back empty is not taken as 25 deletions', async (t) => {
  const stored = Array.from({ length: 26 }, (_, i) =>
    blueskyPost({
      rkey: `3batch${i}`,
      handle: `b${i}.bsky.social`,
      text: 'hi',
      createdAt: '2026-08-20T12:00:00.000Z',
      link: 'https://arxiv.org/abs/2608.50001',
      linkIn: 'facet',
    }),
  );
  // The AppView answers the first batch with no posts at all (an outage, not 25 deletions).
  const s = await standIn(stored, { gone: stored.slice(0, 25).map((p) => p.uri) });
  t.after(() => s.close());
  const ctx = {
    ...context(s, { blueskyHandle: undefined, blueskyAppPassword: undefined }),
    storedPostIds: stored.map((p) => p.uri),
  };
  const result = await createBlueskySource().collect([paper('2608.50001')], ctx);
  assert.deepEqual(result.gone, []);
  assert.deepEqual(
    result.posts.map((p) => p.id),
    [stored[25]!.uri],
  );
  assert.ok(
    result.notes.some((n) => n.includes('getPosts returned nothing for 25 (not taken as deleted)')),
    result.notes.join(' | '),
  );
});
