/**
 * The Jetstream listener in process, against the loopback Jetstream stand-in: what it keeps,
 * what it ignores, deletions, resuming from the saved cursor, reconnecting after a drop.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runListener } from '../../src/listen/listener.js';
import {
  type JetstreamWireEvent,
  jetstreamAccount,
  jetstreamDelete,
  jetstreamIdentity,
  jetstreamLike,
  jetstreamPost,
  startJetstreamStandIn,
} from '../../src/standins/jetstream.js';
import { type Db, openStore } from '../../src/store/db.js';
import { getEmbed, loadPostsForPapers } from '../../src/store/posts.js';
import { deletedAt, getStreamCursor, JETSTREAM, saveStreamCursor } from '../../src/store/stream.js';
import { silentLogger } from '../../src/util/log.js';

const T0 = 1_787_000_000_000_000; // 2026-08-17T… in microseconds
const ALICE = 'did:plc:alice00000000000000000000';
const BOB = 'did:plc:bob0000000000000000000000';
const uri = (did: string, rkey: string) => `at://${did}/app.bsky.feed.post/${rkey}`;

/** A history covering every case the listener must tell apart. */
function history(): JetstreamWireEvent[] {
  return [
    jetstreamPost({
      did: ALICE,
      rkey: '3card',
      timeUs: T0 + 1_000_000,
      text: 'Great new paper!',
      link: 'https://arxiv.org/abs/2608.11111',
      linkIn: 'external',
    }),
    jetstreamIdentity(BOB, 'bob.example.com', T0 + 1_500_000, 101),
    jetstreamPost({
      did: BOB,
      rkey: '3facet',
      timeUs: T0 + 2_000_000,
      text: 'Read',
      link: 'https://www.arxiv.org/pdf/2608.22222v2',
      linkIn: 'facet',
    }),
    jetstreamLike(BOB, '3like', T0 + 2_500_000, uri(ALICE, '3card')),
    jetstreamPost({
      did: ALICE,
      rkey: '3quote',
      timeUs: T0 + 3_000_000,
      text: 'Same here',
      link: 'https://alphaxiv.org/abs/2608.33333',
      linkIn: 'recordWithMedia',
    }),
    jetstreamPost({
      did: BOB,
      rkey: '3bare',
      timeUs: T0 + 4_000_000,
      text: 'typed by hand:',
      link: 'https://arxiv.org/abs/2608.44444',
      linkIn: 'text',
    }),
    jetstreamPost({ did: BOB, rkey: '3nolink', timeUs: T0 + 5_000_000, text: 'lunch' }),
    jetstreamPost({
      did: BOB,
      rkey: '3blog',
      timeUs: T0 + 5_500_000,
      text: 'my blog',
      link: 'https://example.com/arxiv-2608.55555',
      linkIn: 'external',
    }),
    jetstreamAccount(ALICE, false, T0 + 6_000_000, 102),
    jetstreamDelete(BOB, '3facet', T0 + 7_000_000),
    jetstreamDelete(BOB, '3neverseen', T0 + 7_500_000),
  ];
}
const LAST = T0 + 7_500_000;

async function listenUntil(
  db: Db,
  url: string,
  until: () => boolean,
  extra: Partial<Parameters<typeof runListener>[0]> = {},
) {
  const controller = new AbortController();
  const run = runListener({
    url,
    db,
    log: silentLogger,
    signal: controller.signal,
    flushMs: 10,
    backoffBaseMs: 5,
    backoffCapMs: 20,
    ...extra,
  });
  const deadline = Date.now() + 20_000;
  while (!until()) {
    if (Date.now() > deadline) {
      controller.abort();
      await run;
      throw new Error('listener did not get there');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  controller.abort();
  return run;
}

const postIds = (db: Db) =>
  (
    db.prepare("SELECT id FROM posts WHERE source = 'bluesky' ORDER BY id").all() as Array<{ id: string }>
  ).map((r) => r.id);
const paperLinks = (db: Db) =>
  db.prepare('SELECT post_id, paper_id FROM post_papers ORDER BY post_id, paper_id').all() as Array<{
    post_id: string;
    paper_id: string;
  }>;

test('listener - keeps posts linking papers (card, facet, card beside a quote, bare URL), ignores the rest', async (t) => {
  const s = await startJetstreamStandIn(history());
  t.after(() => s.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  saveStreamCursor(db, JETSTREAM, T0, new Date().toISOString());

  const stats = await listenUntil(db, s.url, () => getStreamCursor(db, JETSTREAM) === LAST);
  assert.deepEqual(postIds(db), [
    uri(ALICE, '3card'),
    uri(ALICE, '3quote'),
    uri(BOB, '3bare'),
    uri(BOB, '3facet'),
  ]);
  // Papers need not be listed yet: the ids are kept for `post` to match.
  assert.deepEqual(paperLinks(db), [
    { post_id: uri(ALICE, '3card'), paper_id: '2608.11111' },
    { post_id: uri(ALICE, '3quote'), paper_id: '2608.33333' },
    { post_id: uri(BOB, '3bare'), paper_id: '2608.44444' },
    { post_id: uri(BOB, '3facet'), paper_id: '2608.22222' },
  ]);
  // Zero counts at the event's time; the web address uses the DID (the stream names no handle).
  const card = db
    .prepare('SELECT url, text, created_at FROM posts WHERE id = ?')
    .get(uri(ALICE, '3card')) as { url: string; text: string; created_at: string };
  assert.equal(card.url, `https://bsky.app/profile/${ALICE}/post/3card`);
  assert.equal(card.text, 'Great new paper!');
  const snaps = db
    .prepare('SELECT observed_at, likes, reposts FROM snapshots WHERE post_id = ?')
    .all(uri(ALICE, '3card'));
  assert.deepEqual(snaps, [
    { observed_at: new Date((T0 + 1_000_000) / 1000).toISOString(), likes: 0, reposts: 0 },
  ]);

  // The delete of a stored post is recorded, and it stops counting; an unknown delete is ignored.
  assert.equal(deletedAt(db, 'bluesky', uri(BOB, '3facet')), new Date((T0 + 7_000_000) / 1000).toISOString());
  assert.equal(getEmbed(db, 'bluesky', uri(BOB, '3facet'))?.status, 'unavailable');
  assert.equal(deletedAt(db, 'bluesky', uri(BOB, '3neverseen')), undefined);
  const counted = loadPostsForPapers(db, ['2608.11111', '2608.22222'], '2030-01-01T00:00:00.000Z', [
    'bluesky',
  ]);
  assert.deepEqual(
    counted.map((m) => m.post.id),
    [uri(ALICE, '3card')],
  );
  const beforeDeletion = loadPostsForPapers(
    db,
    ['2608.22222'],
    new Date((T0 + 6_000_000) / 1000).toISOString(),
    ['bluesky'],
  );
  assert.equal(beforeDeletion.length, 1, 'counted while it existed');

  // It asked for posts only, resuming 5 s before the saved cursor; the like was never sent.
  const [first] = s.connections;
  assert.deepEqual(first?.wantedCollections, ['app.bsky.feed.post']);
  assert.equal(first?.cursor, T0 - 5_000_000);
  assert.equal(stats.events, history().length - 1);
  assert.equal(stats.stored, 4);
  assert.equal(stats.deleted, 1);
});

test('listener - without a saved cursor it starts live, then resumes from its own cursor', async (t) => {
  const s = await startJetstreamStandIn(history());
  t.after(() => s.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  const later = T0 + 60_000_000;
  let appended = false;
  await listenUntil(db, s.url, () => {
    // Append once connected: a live subscriber only sees what comes after it.
    if (!appended && s.connections.length === 1) {
      appended = true;
      s.append([
        jetstreamPost({
          did: ALICE,
          rkey: '3live',
          timeUs: later,
          text: 'live',
          link: 'https://arxiv.org/abs/2608.66666',
          linkIn: 'external',
        }),
      ]);
    }
    return getStreamCursor(db, JETSTREAM) === later;
  });
  assert.equal(s.connections[0]?.cursor, undefined);
  assert.deepEqual(postIds(db), [uri(ALICE, '3live')], 'the history before the first start is not replayed');

  // A second run resumes from the saved cursor, minus the overlap.
  await listenUntil(db, s.url, () => s.connections.length === 2 && s.connections[1]!.sent >= 1);
  assert.equal(s.connections[1]?.cursor, later - 5_000_000);
});

test('listener - reconnects after the server drops it, with the cursor, and misses nothing', async (t) => {
  // The server hangs up after every 3 events it sends.
  const s = await startJetstreamStandIn(history(), { dropAfter: 3 });
  t.after(() => s.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  saveStreamCursor(db, JETSTREAM, T0, new Date().toISOString());
  const stats = await listenUntil(db, s.url, () => getStreamCursor(db, JETSTREAM) === LAST);
  assert.ok(s.connections.length >= 4, `${s.connections.length} connections`);
  // Each reconnection resumes at the newest event it had heard, never from the start again.
  for (let i = 1; i < s.connections.length; i++) {
    assert.ok(
      (s.connections[i]!.cursor ?? 0) > (s.connections[i - 1]!.cursor ?? 0),
      `connection ${i} moved on`,
    );
  }
  assert.deepEqual(postIds(db), [
    uri(ALICE, '3card'),
    uri(ALICE, '3quote'),
    uri(BOB, '3bare'),
    uri(BOB, '3facet'),
  ]);
  assert.ok(deletedAt(db, 'bluesky', uri(BOB, '3facet')));
  assert.equal(stats.connections, s.connections.length);
  // Replays with overlap wrote nothing twice.
  const snapshots = db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number };
  assert.equal(snapshots.n, 4);
});

test('listener - an update that drops the paper link unlinks the post; one that adds a paper links it', async (t) => {
  const events = [
    jetstreamPost({
      did: ALICE,
      rkey: '3edit',
      timeUs: T0 + 1,
      text: 'v1',
      link: 'https://arxiv.org/abs/2608.70001',
      linkIn: 'external',
    }),
    jetstreamPost({
      did: ALICE,
      rkey: '3edit',
      timeUs: T0 + 2,
      text: 'v2',
      link: 'https://arxiv.org/abs/2608.70002',
      linkIn: 'external',
      operation: 'update',
    }),
    jetstreamPost({
      did: ALICE,
      rkey: '3gone',
      timeUs: T0 + 3,
      text: 'v1',
      link: 'https://arxiv.org/abs/2608.70003',
      linkIn: 'facet',
    }),
    jetstreamPost({ did: ALICE, rkey: '3gone', timeUs: T0 + 4, text: 'no link now', operation: 'update' }),
  ];
  const s = await startJetstreamStandIn(events);
  t.after(() => s.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  saveStreamCursor(db, JETSTREAM, T0, new Date().toISOString());
  await listenUntil(db, s.url, () => getStreamCursor(db, JETSTREAM) === T0 + 4);
  assert.deepEqual(paperLinks(db), [{ post_id: uri(ALICE, '3edit'), paper_id: '2608.70002' }]);
});

test('listener - a malformed endpoint is one line naming BLUESKY_JETSTREAM_URL', async () => {
  const db = openStore(':memory:');
  try {
    await assert.rejects(
      runListener({
        url: 'https://not-a-socket.example',
        db,
        log: silentLogger,
        signal: new AbortController().signal,
      }),
      {
        message:
          /^listen: BLUESKY_JETSTREAM_URL must be a ws\(s\) URL, got "https:\/\/not-a-socket\.example"/,
      },
    );
  } finally {
    db.close();
  }
});
