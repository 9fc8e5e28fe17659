/**
 * Bluesky contract fixtures (test/fixtures/contracts/README.md names the docs: lexicons
 * app.bsky.feed.searchPosts, app.bsky.feed.getPosts, app.bsky.feed.defs#postView; the Jetstream
 * README): the real parsers read them, and the stand-ins answer in no other shape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { actionOf, parseJetstreamMessage } from '../../src/listen/jetstream.js';
import { matchPosts } from '../../src/match/match.js';
import { parseGetPosts, parseSearchPosts } from '../../src/sources/bluesky.js';
import { blueskyPost, startBlueskyStandIn } from '../../src/standins/bluesky.js';
import {
  jetstreamAccount,
  jetstreamDelete,
  jetstreamIdentity,
  jetstreamLike,
  jetstreamPost,
  startJetstreamStandIn,
} from '../../src/standins/jetstream.js';
import { contract, contractJson, undocumented } from './shape.js';

const SEARCH = contractJson('bluesky/search-posts.json');
const GET_POSTS = contractJson('bluesky/get-posts.json');
const JETSTREAM_LINES = contract('bluesky/jetstream-events.jsonl').split('\n').filter(Boolean);

test('Bluesky contract - searchPosts: a card-only post, facets by byte offsets, alt text, handle.invalid', () => {
  const page = parseSearchPosts(SEARCH, 'GET api.bsky.app/xrpc/app.bsky.feed.searchPosts');
  assert.equal(page.cursor, '100');
  assert.equal(page.hitsTotal, 2483);
  assert.deepEqual(
    page.posts.map((p) => [p.authorHandle, p.links, p.metrics.reposts, p.metrics.likes]),
    [
      ['mlreader.bsky.social', ['https://arxiv.org/abs/2611.01234'], 17, 96],
      ['prof-lin.university.edu', ['https://arxiv.org/pdf/2611.01300v2'], 5, 22],
      // Alt text is no link: the image post links nothing.
      ['handle.invalid', [], 0, 3],
    ],
  );
  const [card, , alt] = page.posts;
  assert.equal(card?.text, 'Great new paper!');
  assert.equal(card?.url, 'https://bsky.app/profile/mlreader.bsky.social/post/3mbx7k2cardq2');
  assert.equal(alt?.url, 'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3mbx5yalt0001');
  assert.equal(card!.raw, undefined, 'the payload (and the caller’s viewer state in it) is not kept');
  assert.deepEqual(
    matchPosts(page.posts, new Set(['2611.01234', '2611.01300'])).map((m) => m.paperIds),
    [['2611.01234'], ['2611.01300']],
  );
});

test('Bluesky contract - getPosts: counts of stored posts, a card beside a quote', () => {
  const posts = parseGetPosts(GET_POSTS, 'GET public.api.bsky.app/xrpc/app.bsky.feed.getPosts');
  assert.deepEqual(
    posts.map((p) => [p.id, p.links, p.metrics]),
    [
      [
        'at://did:plc:w4xbfzo7kqfes5zb7r6qv3rw/app.bsky.feed.post/3mbx7k2cardq2',
        ['https://arxiv.org/abs/2611.01234'],
        { reposts: 31, likes: 204, replies: 5, quotes: 4 },
      ],
      [
        'at://did:plc:e3tv2pzlnuppocnc3wirsvl4/app.bsky.feed.post/3mbx8quote001',
        // The quoted post's card belongs to the quoted post; this one's own card is alphaXiv's.
        ['https://www.alphaxiv.org/abs/2611.01234'],
        { reposts: 2, likes: 11, replies: 0, quotes: 0 },
      ],
    ],
  );
  assert.throws(() => parseGetPosts({ error: 'InvalidRequest' }, 'GET h/p'), /no "posts" array/);
});

test('Bluesky contract - Jetstream events: what the listener keeps, deletes and ignores', () => {
  const actions = JETSTREAM_LINES.map((line) => {
    const event = parseJetstreamMessage(line);
    assert.ok(event, line.slice(0, 80));
    const action = actionOf(event);
    if (!action) return [event.kind, null];
    if (action.type === 'upsert')
      return [event.kind, action.type, action.post.id.split('/').pop(), action.paperIds];
    if (action.type === 'delete') return [event.kind, action.type, action.postId.split('/').pop(), action.at];
    return [event.kind, action.type, action.postId.split('/').pop()];
  });
  assert.deepEqual(actions, [
    ['commit', 'upsert', '3mbx7k2cardq2', ['2611.01234']],
    ['commit', 'upsert', '3mbx6zfacet01', ['2611.01300']],
    ['commit', 'upsert', '3mbx8quote001', ['2611.01234']],
    // A URL typed out in the text counts; one shortened with "..." does not.
    ['commit', 'upsert', '3mbx9bare0001', ['2611.01555']],
    ['commit', null],
    ['commit', 'upsert', '3mbx6zfacet01', ['2611.01300']],
    ['identity', null],
    ['account', null],
    ['commit', 'delete', '3mbx7k2cardq2', '2026-11-25T14:03:32.000Z'],
    ['commit', null],
  ]);
  const update = actionOf(parseJetstreamMessage(JETSTREAM_LINES[5]!)!);
  assert.equal(update?.type === 'upsert' && update.update, true);
  assert.equal(
    update?.type === 'upsert' ? update.post.raw : null,
    undefined,
    'no payload is kept (nothing reads it)',
  );
  assert.equal(parseJetstreamMessage('{"kind":"commit"}'), null);
  assert.equal(parseJetstreamMessage('not json'), null);
});

test('Bluesky contract - the searchPosts and getPosts stand-ins answer only in the documented shapes', async (t) => {
  const posts = [
    blueskyPost({
      rkey: '3a',
      handle: 'a.bsky.social',
      displayName: 'A',
      text: 'card',
      createdAt: '2026-11-25T10:00:00.000Z',
      link: 'https://arxiv.org/abs/2611.01234',
      linkIn: 'facet+external',
      authorLabels: ['!no-unauthenticated'],
    }),
    blueskyPost({
      rkey: '3b',
      handle: 'b.bsky.social',
      text: 'picture',
      createdAt: '2026-11-25T11:00:00.000Z',
      alt: 'a figure',
    }),
  ];
  const s = await startBlueskyStandIn({ handle: 'me.bsky.social', password: 'pw', posts });
  t.after(() => s.close());
  const login = (await (
    await fetch(`${s.apiUrl}/com.atproto.server.createSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'me.bsky.social', password: 'pw' }),
    })
  ).json()) as { accessJwt: string };
  const search = await (
    await fetch(`${s.apiUrl}/app.bsky.feed.searchPosts?q=*&limit=10`, {
      headers: { authorization: `Bearer ${login.accessJwt}` },
    })
  ).json();
  assert.deepEqual(undocumented(search, SEARCH), []);
  const uris = posts.map((p) => `uris=${encodeURIComponent(p.uri)}`).join('&');
  const got = await (await fetch(`${s.url}/xrpc/app.bsky.feed.getPosts?${uris}`)).json();
  // Both fixtures hold PostViews: getPosts and searchPosts serve the same view.
  const views = {
    posts: [...(SEARCH as { posts: unknown[] }).posts, ...(GET_POSTS as { posts: unknown[] }).posts],
  };
  assert.deepEqual(undocumented(got, views), []);
});

test('Bluesky contract - the Jetstream stand-in sends only the documented event shapes', async (t) => {
  const did = 'did:plc:w4xbfzo7kqfes5zb7r6qv3rw';
  const events = [
    jetstreamPost({
      did,
      rkey: '3a',
      timeUs: 10,
      text: 'x',
      link: 'https://arxiv.org/abs/2611.01234',
      linkIn: 'facet',
    }),
    jetstreamPost({
      did,
      rkey: '3b',
      timeUs: 11,
      text: 'x',
      link: 'https://arxiv.org/abs/2611.01234',
      linkIn: 'external',
    }),
    jetstreamPost({
      did,
      rkey: '3c',
      timeUs: 12,
      text: 'x',
      link: 'https://arxiv.org/abs/2611.01234',
      linkIn: 'recordWithMedia',
    }),
    jetstreamPost({ did, rkey: '3d', timeUs: 13, text: 'x', operation: 'update' }),
    jetstreamDelete(did, '3a', 14),
    jetstreamIdentity(did, 'x.bsky.social', 15, 1),
    jetstreamAccount(did, false, 16, 2),
    jetstreamLike(did, '3l', 17, `at://${did}/app.bsky.feed.post/3a`),
  ];
  const s = await startJetstreamStandIn(events);
  t.after(() => s.close());
  // Read them off the wire, as the listener does.
  const received: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    const ws = new WebSocket(`${s.url}?cursor=1`);
    ws.on('message', (data) => {
      received.push(JSON.parse(String(data)));
      if (received.length === events.length) {
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
  const documented = JETSTREAM_LINES.map((line) => JSON.parse(line) as unknown);
  assert.deepEqual(undocumented(received, documented), []);
});
