import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Config, configSchema } from '../../src/config/schema.js';
import { HttpClient } from '../../src/http/client.js';
import {
  BLUESKY_SWEEP_DOMAINS,
  type BlueskyPostView,
  blueskyPostUrl,
  createBlueskySource,
  extractBlueskyLinks,
  parseSearchPosts,
  postFromView,
} from '../../src/sources/bluesky.js';
import type { SourceContext } from '../../src/sources/source.js';
import { blueskyPost, startBlueskyStandIn } from '../../src/standins/bluesky.js';
import { closedPort, type RecordedRequest } from '../../src/standins/server.js';
import type { Paper, Post } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/bluesky/${name}`, import.meta.url), 'utf8'));
const POSTS = fixture('posts.json') as BlueskyPostView[];

const HANDLE = 'hotpapers.bsky.social';
const PASSWORD = 'abcd-efgh-SECRET-ijkl';
const DAY = '2026-08-20';
const ANNOUNCED = new Date('2026-08-20T00:00:00Z');
const NOW = new Date('2026-08-21T12:00:00Z');

function paper(id: string): Paper {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    abstract: '',
    authors: [],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    announceType: 'new',
    method: 'rss',
  };
}
const PAPERS = ['2608.12345', '2608.12377', '2608.12400', '2608.12411', '2608.12500'].map(paper);

function context(apiUrl: string, oembedUrl: string, extra: Partial<Config> = {}) {
  const waits: number[] = [];
  const http = new HttpClient({
    retryBaseMs: 5,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const config = configSchema.parse({
    blueskyHandle: HANDLE,
    blueskyAppPassword: PASSWORD,
    blueskyApiUrl: apiUrl,
    blueskyOembedUrl: oembedUrl,
    ...extra,
  });
  const ctx: SourceContext = { http, config, now: NOW, day: DAY, announcedAt: ANNOUNCED, log: silentLogger };
  return { ctx, waits };
}

const data = (posts: BlueskyPostView[] = POSTS) => ({ handle: HANDLE, password: PASSWORD, posts });
const paths = (requests: RecordedRequest[]) => requests.map((r) => r.path.replace('/xrpc/', ''));
const ids = (posts: Post[]) => posts.map((p) => p.id).sort();

/** No request line, header other than the login body, or message may carry the password. */
function assertNoPassword(requests: RecordedRequest[], ...texts: string[]) {
  for (const r of requests) {
    assert.ok(!r.url.includes(PASSWORD), `password in URL ${r.url}`);
    assert.ok(!JSON.stringify(r.headers).includes(PASSWORD), 'password in headers');
    if (!r.path.endsWith('createSession')) assert.ok(!r.body.includes(PASSWORD), 'password in a body');
  }
  for (const t of texts) assert.ok(!t.includes(PASSWORD), `password in ${t}`);
}

test('extractBlueskyLinks - facets, record card, view card and recordWithMedia, each once', () => {
  const [facetAndCard, cardOnly, quoteWithCard, twoFacets] = POSTS as [
    BlueskyPostView,
    BlueskyPostView,
    BlueskyPostView,
    BlueskyPostView,
  ];
  assert.deepEqual(extractBlueskyLinks(facetAndCard), ['https://arxiv.org/abs/2608.12345']);
  assert.deepEqual(extractBlueskyLinks(cardOnly), ['https://arxiv.org/pdf/2608.12377v2']);
  // The quoted post's facet link (2608.12345) belongs to the quoted post, not to the quote.
  assert.deepEqual(extractBlueskyLinks(quoteWithCard), ['https://www.alphaxiv.org/abs/2608.12400']);
  assert.deepEqual(extractBlueskyLinks(twoFacets), [
    'https://arxiv.org/abs/2608.12411',
    'https://arxiv.org/pdf/2608.99999',
  ]);
  // A view-only card (no record embed) still counts.
  const viewOnly = { ...cardOnly, record: { ...cardOnly.record, embed: undefined } };
  assert.deepEqual(extractBlueskyLinks(viewOnly), ['https://arxiv.org/pdf/2608.12377v2']);
});

test('postFromView - maps ids, author, web URL, text and counts; keeps no payload', () => {
  const post = postFromView(POSTS[0]);
  assert.ok(post);
  assert.equal(post.source, 'bluesky');
  assert.equal(post.id, 'at://did:plc:abc123xyz/app.bsky.feed.post/3lxyzabc2k2a');
  assert.equal(post.authorId, 'did:plc:abc123xyz');
  assert.equal(post.authorHandle, 'jane.bsky.social');
  assert.equal(post.authorName, 'Jane Researcher');
  assert.equal(post.url, 'https://bsky.app/profile/jane.bsky.social/post/3lxyzabc2k2a');
  assert.equal(post.text, 'New preprint: arxiv.org/abs/2608.12345');
  assert.equal(post.createdAt, '2026-08-20T14:05:00.000Z');
  assert.deepEqual(post.metrics, { reposts: 21, likes: 118, replies: 4, quotes: 2 });
  assert.equal(post.raw, undefined);
  // Missing counts are zero; a handle that no longer resolves falls back to the DID in the URL.
  const dave = postFromView(POSTS[3]);
  assert.deepEqual(dave?.metrics, { reposts: 0, likes: 1, replies: 0, quotes: 0 });
  assert.equal(dave?.url, 'https://bsky.app/profile/did:plc:dave000jkl/post/3ldavetwo003');
  assert.equal(dave?.authorName, undefined);
  assert.equal(
    blueskyPostUrl({
      uri: 'at://did:plc:x/app.bsky.feed.post/3k',
      author: { did: 'did:plc:x', handle: 'a.b' },
    }),
    'https://bsky.app/profile/a.b/post/3k',
  );
});

test('postFromView - a repost wrapper yields the original post, junk yields null', () => {
  const wrapped = {
    post: POSTS[1],
    reason: { $type: 'app.bsky.feed.defs#reasonRepost', by: { did: 'did:plc:z', handle: 'z.bsky.social' } },
  };
  assert.equal(postFromView(wrapped)?.id, 'at://did:plc:bob456def/app.bsky.feed.post/3lbobcard001');
  assert.equal(postFromView({ uri: 'not-an-at-uri', author: { did: 'did:plc:x' } }), null);
  assert.equal(postFromView(null), null);
  assert.equal(postFromView({ uri: 'at://did:plc:x/app.bsky.feed.post/1' }), null);
});

test('parseSearchPosts - reads cursor and hitsTotal, rejects bodies without posts', () => {
  const page = parseSearchPosts(fixture('search-response.json'), 'GET h/p');
  assert.equal(page.cursor, '100');
  assert.equal(page.hitsTotal, 1234);
  assert.equal(page.posts.length, 1);
  assert.equal(parseSearchPosts({ posts: [] }, 'GET h/p').cursor, undefined);
  assert.throws(() => parseSearchPosts({ error: 'x' }, 'GET h/p'), {
    message: 'bluesky: unexpected response for GET h/p: no "posts" array',
  });
});

test('collect - one session, a domain: sweep per arXiv host over the day window, following cursors', async (t) => {
  const s = await startBlueskyStandIn(data(), { pageSize: 2 });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource().collect(PAPERS, ctx);

  // Post 5 predates the announcement; the card beside a quote (carol) is not in the search
  // index (only the listener sees it); the card-only post (bob) is found through its link.
  assert.deepEqual(ids(result.posts), [
    'at://did:plc:abc123xyz/app.bsky.feed.post/3lxyzabc2k2a',
    'at://did:plc:bob456def/app.bsky.feed.post/3lbobcard001',
    'at://did:plc:dave000jkl/app.bsky.feed.post/3ldavetwo003',
    'at://did:plc:fay222pqr/app.bsky.feed.post/3lfayhide005',
  ]);

  // createSession, then 3 pages of arxiv.org (4 posts, 2 a page: a full page carries a
  // cursor), then one page for every other domain.
  const searches = s.requests.filter((r) => r.path.endsWith('searchPosts'));
  assert.equal(paths(s.requests)[0], 'com.atproto.server.createSession');
  assert.equal(s.requests.length, 1 + searches.length);
  assert.deepEqual(
    searches.map((r) => r.query.get('domain')),
    ['arxiv.org', 'arxiv.org', 'arxiv.org', ...BLUESKY_SWEEP_DOMAINS.slice(1)],
  );
  const login = s.requests[0]!;
  assert.equal(login.method, 'POST');
  assert.equal(login.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(login.body), { identifier: HANDLE, password: PASSWORD });
  const [first, second, third] = searches;
  assert.equal(
    first?.query.get('q'),
    'domain:arxiv.org since:2026-08-20T00:00:00.000Z until:2026-08-21T12:00:00.000Z',
  );
  assert.equal(first?.query.get('since'), '2026-08-20T00:00:00.000Z');
  assert.equal(first?.query.get('until'), '2026-08-21T12:00:00.000Z');
  assert.equal(first?.query.get('sort'), 'latest');
  assert.equal(first?.query.get('limit'), '100');
  assert.equal(first?.query.get('cursor'), null);
  assert.equal(second?.query.get('cursor'), '2');
  assert.equal(third?.query.get('cursor'), '4');
  assert.match(String(first?.headers.authorization), /^Bearer ey/);
  assert.ok(
    result.notes.some((n) => n.includes('arxiv.org 3 pages, 4 posts')),
    result.notes.join(' | '),
  );
  assertNoPassword(s.requests, ...result.notes);
});

test('collect - the session is kept by the source: a second day logs in no more', async (t) => {
  const s = await startBlueskyStandIn(data());
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const source = createBlueskySource();
  await source.collect(PAPERS, ctx);
  await source.collect(PAPERS, ctx);
  assert.equal(paths(s.requests).filter((p) => p.endsWith('createSession')).length, 1);
});

test('collect - an expired session is refreshed once and the search repeated once', async (t) => {
  const s = await startBlueskyStandIn(data(), { expireFirstSearch: true });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource().collect(PAPERS, ctx);
  assert.equal(result.posts.length, 4);
  assert.deepEqual(paths(s.requests).slice(0, 4), [
    'com.atproto.server.createSession',
    'app.bsky.feed.searchPosts',
    'com.atproto.server.refreshSession',
    'app.bsky.feed.searchPosts',
  ]);
  assert.equal(paths(s.requests).filter((p) => p.endsWith('Session')).length, 2);
  const refresh = s.requests[2]!;
  assert.equal(refresh.method, 'POST');
  // The refresh carries the refresh token, and the repeated search the new access token.
  assert.notEqual(refresh.headers.authorization, s.requests[1]!.headers.authorization);
  assert.notEqual(s.requests[3]!.headers.authorization, s.requests[1]!.headers.authorization);
  assertNoPassword(s.requests);
});

test('collect - a dead refresh token means a new login, still one retry', async (t) => {
  const s = await startBlueskyStandIn(data(), {
    expireFirstSearch: true,
    override: (req) =>
      req.path.endsWith('refreshSession')
        ? { status: 400, body: JSON.stringify({ error: 'ExpiredToken', message: 'Token has expired' }) }
        : undefined,
  });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource().collect(PAPERS, ctx);
  assert.equal(result.posts.length, 4);
  assert.deepEqual(paths(s.requests).slice(0, 5), [
    'com.atproto.server.createSession',
    'app.bsky.feed.searchPosts',
    'com.atproto.server.refreshSession',
    'com.atproto.server.createSession',
    'app.bsky.feed.searchPosts',
  ]);
});

test('collect - a session that stays expired fails after one renewal, not in a loop', async (t) => {
  const s = await startBlueskyStandIn(data(), {
    override: (req) =>
      req.path.endsWith('searchPosts')
        ? { status: 400, body: JSON.stringify({ error: 'ExpiredToken', message: 'Token has expired' }) }
        : undefined,
  });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), (e: Error) => {
    assert.match(
      e.message,
      /^bluesky: HTTP 400 Bad Request for GET 127\.0\.0\.1:\d+\/xrpc\/app\.bsky\.feed\.searchPosts \(.*ExpiredToken/,
    );
    assertNoPassword(s.requests, e.message);
    return true;
  });
  assert.equal(paths(s.requests).filter((p) => p.endsWith('searchPosts')).length, 2);
  assert.equal(paths(s.requests).filter((p) => p.endsWith('refreshSession')).length, 1);
});

test('collect - a wrong app password is one line naming the settings, never the password', async (t) => {
  const s = await startBlueskyStandIn({ handle: HANDLE, password: 'the-right-one', posts: POSTS });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), (e: Error) => {
    assert.match(
      e.message,
      /^bluesky: HTTP 401 Unauthorized for POST 127\.0\.0\.1:\d+\/xrpc\/com\.atproto\.server\.createSession \(check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD\)$/,
    );
    assertNoPassword(s.requests, e.message, String(e.stack));
    return true;
  });
  assert.equal(s.requests.length, 1, 'a 401 is not retried');
});

test('collect - missing credentials, no store: fails before any request', async (t) => {
  const s = await startBlueskyStandIn(data());
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl, { blueskyAppPassword: undefined });
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), {
    message: 'bluesky: BLUESKY_HANDLE and BLUESKY_APP_PASSWORD must both be set',
  });
  assert.equal(s.requests.length, 0);
});

test('collect - search refused (403) everywhere fails with one line', async (t) => {
  const s = await startBlueskyStandIn(data(), { forbidSearch: 'always' });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), (e: Error) => {
    assert.match(
      e.message,
      /^bluesky: HTTP 403 Forbidden for GET 127\.0\.0\.1:\d+\/xrpc\/app\.bsky\.feed\.searchPosts \(Request forbidden by administrative rules\.\)$/,
    );
    return true;
  });
  // Every domain's sweep refused on its first page, one per-paper probe refused: then it stops.
  assert.equal(
    paths(s.requests).filter((p) => p.endsWith('searchPosts')).length,
    BLUESKY_SWEEP_DOMAINS.length + 1,
  );
});

test('collect - a sweep cut short by a 403 on the cursor falls back to bounded per-paper searches', async (t) => {
  const s = await startBlueskyStandIn(data(), { forbidSearch: 'cursor', pageSize: 1 });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource({ fallbackMax: 3 }).collect(PAPERS, ctx);
  const searches = s.requests.filter((r) => r.path.endsWith('searchPosts'));
  // arxiv.org page 1, its cursor page (403), one page for each other domain, then 3 per-paper searches.
  const sweeps = 2 + BLUESKY_SWEEP_DOMAINS.length - 1;
  assert.equal(searches.length, sweeps + 3);
  const perPaper = searches.slice(sweeps);
  // The paper linked by the swept post (12411, the newest) is skipped.
  assert.deepEqual(
    perPaper.map((r) => r.query.get('q')),
    ['2608.12345', '2608.12377', '2608.12400'],
  );
  for (const r of perPaper) {
    assert.equal(r.query.get('domain'), null);
    assert.equal(r.query.get('cursor'), null);
  }
  // Free text matches text only: the newest post showing 2608.12345 is found (one page of
  // one post), the card-only post of 2608.12377 is not.
  assert.deepEqual(ids(result.posts), [
    'at://did:plc:abc123xyz/app.bsky.feed.post/3lxyzabc2k2a',
    'at://did:plc:dave000jkl/app.bsky.feed.post/3ldavetwo003',
  ]);
  assert.ok(
    result.notes.some((n) => /cut short after 1 pages \(bluesky: HTTP 403/.test(n)),
    result.notes.join(' | '),
  );
  assert.ok(
    result.notes.some((n) => n.includes('per-paper search for 3 of 4 papers (limit 3)')),
    result.notes.join(' | '),
  );
});

test('collect - a sweep that finds nothing tries the papers one by one, within the limit', async (t) => {
  const s = await startBlueskyStandIn(data([]));
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource({ fallbackMax: 2 }).collect(PAPERS, ctx);
  assert.deepEqual(result.posts, []);
  assert.equal(
    s.requests.filter((r) => r.path.endsWith('searchPosts')).length,
    BLUESKY_SWEEP_DOMAINS.length + 2,
  );
  assert.ok(result.notes.some((n) => n.includes('per-paper search for 2 of 5 papers (limit 2)')));
});

test('collect - malformed JSON is one line naming bluesky', async (t) => {
  const s = await startBlueskyStandIn(data(), { malformedSearch: true });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), (e: Error) => {
    assert.match(
      e.message,
      /^bluesky: malformed JSON for GET 127\.0\.0\.1:\d+\/xrpc\/app\.bsky\.feed\.searchPosts$/,
    );
    return true;
  });
});

test('collect - 429 waits until RateLimit-Reset, then carries on', async (t) => {
  const s = await startBlueskyStandIn(data(), { rateLimit: { times: 1, resetInSeconds: 4 } });
  t.after(() => s.close());
  const { ctx, waits } = context(s.apiUrl, s.oembedUrl);
  const result = await createBlueskySource().collect(PAPERS, ctx);
  assert.equal(result.posts.length, 4);
  assert.equal(waits.length, 1);
  // Reset is epoch seconds 4 s ahead of the stand-in's clock: the wait is 3–4 s, not the 5 ms backoff.
  assert.ok(waits[0]! > 2900 && waits[0]! <= 4000, `waited ${waits[0]} ms`);
  const limited = s.requests[1]!;
  assert.equal(limited.path, '/xrpc/app.bsky.feed.searchPosts');
  assert.equal(s.requests[2]!.url, limited.url, 'the same page is asked again');
});

test('collect - connection refused is one line naming bluesky and the host', async () => {
  const base = await closedPort();
  const { ctx } = context(`${base}/xrpc`, `${base}/oembed`);
  await assert.rejects(createBlueskySource().collect(PAPERS, ctx), (e: Error) => {
    assert.match(
      e.message,
      /^bluesky: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\) for POST 127\.0\.0\.1:\d+\/xrpc\/com\.atproto\.server\.createSession after 4 attempts$/,
    );
    assert.ok(!e.message.includes(PASSWORD));
    return true;
  });
});

test('embed - oEmbed html for a shown post; 403 and 404 mean no embed', async (t) => {
  const s = await startBlueskyStandIn(data());
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const source = createBlueskySource();
  const jane = postFromView(POSTS[0])!;
  const html = await source.embed(jane, ctx);
  assert.ok(
    html?.startsWith(
      '<blockquote class="bluesky-embed" data-bluesky-uri="at://did:plc:abc123xyz/app.bsky.feed.post/3lxyzabc2k2a"',
    ),
  );
  assert.ok(html?.includes('<p lang="en">New preprint: arxiv.org/abs/2608.12345</p>'));
  const asked = s.requests[0]!;
  assert.equal(asked.path, '/oembed');
  assert.equal(asked.query.get('url'), 'https://bsky.app/profile/jane.bsky.social/post/3lxyzabc2k2a');
  assert.equal(asked.query.get('format'), 'json');
  assert.equal(asked.headers.authorization, undefined, 'oEmbed is keyless');

  assert.equal(await source.embed(postFromView(POSTS[5])!, ctx), null, '403: author opted out');
  const gone = { ...jane, url: 'https://bsky.app/profile/jane.bsky.social/post/3deleted' };
  assert.equal(await source.embed(gone, ctx), null, '404: deleted');
});

test('embed - the real answer shape (provider_url quirk) yields its html verbatim', async (t) => {
  const body = readFileSync(new URL('../fixtures/bluesky/oembed.json', import.meta.url), 'utf8');
  const s = await startBlueskyStandIn(data(), {
    override: (req) =>
      req.path === '/oembed'
        ? { status: 200, headers: { 'content-type': 'application/json' }, body }
        : undefined,
  });
  t.after(() => s.close());
  const { ctx } = context(s.apiUrl, s.oembedUrl);
  const html = await createBlueskySource().embed(postFromView(POSTS[0])!, ctx);
  assert.equal(html, JSON.parse(body).html);
});

test('blueskyPost - builds PostViews whose links the source reads back', () => {
  const text = 'Ünïcödé 🧪 read';
  for (const linkIn of ['facet', 'external', 'recordWithMedia', 'facet+external'] as const) {
    const view = blueskyPost({
      rkey: `3k${linkIn.length}`,
      handle: 'x.bsky.social',
      text,
      createdAt: '2026-08-20T10:00:00.000Z',
      link: 'https://arxiv.org/abs/2608.12345',
      linkIn,
      likes: 3,
    });
    const post = postFromView(view);
    assert.deepEqual(post?.links, ['https://arxiv.org/abs/2608.12345'], linkIn);
    assert.equal(post?.metrics.likes, 3);
  }
  const view = blueskyPost({
    rkey: '3kf',
    handle: 'x.bsky.social',
    text,
    createdAt: '2026-08-20T10:00:00.000Z',
    link: 'https://arxiv.org/abs/2608.12345',
  });
  const index = view.record.facets?.[0]?.index;
  const bytes = Buffer.from(view.record.text ?? '', 'utf8');
  assert.equal(bytes.subarray(index!.byteStart, index!.byteEnd).toString('utf8'), 'arxiv.org/abs/2608.12345');
});
