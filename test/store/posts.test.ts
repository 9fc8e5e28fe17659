import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate, openStore } from '../../src/store/db.js';
import { isoTimeSql } from '../../src/store/derived.js';
import { enrichmentChangesSince, enrichmentMark } from '../../src/store/enrichment.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { packTime } from '../../src/store/packed.js';
import { getEmbed, loadPostsForPapers, putEmbed, SavedPosts, savePosts } from '../../src/store/posts.js';
import { finishRun, recentRuns, startRun } from '../../src/store/runs.js';
import { recordDeletions, unlinkPost } from '../../src/store/stream.js';
import type { MatchedPost } from '../../src/types.js';
import { storeJustBefore } from './old-store.js';

const store = () => openStore(join(mkdtempSync(join(tmpdir(), 'hp-store-')), 'nested', 'hp.db'));

const post = (id: string, likes: number, paperIds: string[], source: 'x' | 'hn' = 'x'): MatchedPost => ({
  post: {
    source,
    id,
    authorHandle: `user${id}`,
    url: `https://twitter.com/user${id}/status/${id}`,
    text: 'see arxiv',
    links: paperIds.map((p) => `https://arxiv.org/abs/${p}`),
    metrics: { reposts: 1, likes, replies: 0, quotes: 0 },
  },
  paperIds,
});

test('store - migrations run once and are idempotent', () => {
  const db = store();
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  migrate(db);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
});

test('savePosts - saving the same posts twice at the same instant adds no rows', () => {
  const db = store();
  const batch = [post('1', 10, ['2106.04554', '2106.04560']), post('2', 5, ['2106.04554'])];
  savePosts(db, batch, '2021-06-10T18:07:48.000Z');
  savePosts(db, batch, '2021-06-10T18:07:48.000Z');
  const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  assert.equal(count('posts'), 2);
  assert.equal(count('post_papers'), 3);
  assert.equal(count('snapshots'), 2);
  // The write skips the foreign-key checks for itself only: they are on again, and hold.
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.deepEqual(db.pragma('foreign_key_check'), []);
});

test("savePosts - of the payloads as received only HF's extract is stored", () => {
  const db = store();
  const x = post('1', 10, ['2106.04554']);
  x.post.raw = { id: '1', text: 'see arxiv', public_metrics: { like_count: 10 } };
  const hf: MatchedPost = {
    post: {
      source: 'hf',
      id: '2106.04554',
      url: 'https://huggingface.co/papers/2106.04554',
      text: 'A paper',
      links: ['https://huggingface.co/papers/2106.04554'],
      metrics: { reposts: 0, likes: 7, replies: 0, quotes: 0 },
      raw: { date: '2021-06-10', thumbnail: 'https://cdn.example/t.png' },
    },
    paperIds: ['2106.04554'],
  };
  savePosts(db, [x, hf], '2021-06-10T18:07:48.000Z');
  const raws = db.prepare('SELECT source, raw FROM posts ORDER BY source').raw().all();
  assert.deepEqual(raws, [
    ['hf', JSON.stringify(hf.post.raw)],
    ['x', null],
  ]);
});

test('loadPostsForPapers - latest snapshot at or before asOf, only chosen sources and papers', () => {
  const db = store();
  savePosts(
    db,
    [post('1', 10, ['2106.04554', '2106.04560']), post('h1', 99, ['2106.04554'], 'hn')],
    '2021-06-10T00:00:00.000Z',
  );
  savePosts(db, [post('1', 30, ['2106.04554', '2106.04560'])], '2021-06-11T00:00:00.000Z');

  const early = loadPostsForPapers(db, ['2106.04554'], '2021-06-10T12:00:00.000Z', ['x']);
  assert.equal(early.length, 1);
  assert.equal(early[0]?.post.metrics.likes, 10);
  assert.deepEqual(early[0]?.paperIds, ['2106.04554']);

  const late = loadPostsForPapers(db, ['2106.04554', '2106.04560'], '2021-06-12T00:00:00.000Z', ['x', 'hn']);
  assert.deepEqual(
    late.map((m) => [m.post.source, m.post.id, m.post.metrics.likes, m.paperIds]),
    [
      ['hn', 'h1', 99, ['2106.04554']],
      ['x', '1', 30, ['2106.04554', '2106.04560']],
    ],
  );
  assert.deepEqual(loadPostsForPapers(db, ['2106.04554'], '2021-06-09T00:00:00.000Z', ['x']), []);
});

test('embeds and runs - cached html, remembered unavailability, run status', () => {
  const db = store();
  assert.equal(getEmbed(db, 'x', '1'), undefined);
  putEmbed(db, 'x', '1', '<blockquote>hi</blockquote>', '2021-06-10T00:00:00.000Z');
  putEmbed(db, 'x', '2', null, '2021-06-10T00:00:00.000Z');
  assert.deepEqual(getEmbed(db, 'x', '1'), {
    html: '<blockquote>hi</blockquote>',
    status: 'ok',
    fetchedAt: '2021-06-10T00:00:00.000Z',
  });
  assert.equal(getEmbed(db, 'x', '2')?.status, 'unavailable');

  const id = startRun(db, 'post', '2021-06-09', '2026-01-01T00:00:00.000Z');
  finishRun(db, id, {
    status: 'partial',
    endedAt: '2026-01-01T00:01:00.000Z',
    health: [{ source: 'hn', status: 'failed', posts: 0, requests: 4, detail: 'hn: down' }],
  });
  const [run] = recentRuns(db);
  assert.equal(run?.status, 'partial');
  assert.equal(run?.health[0]?.detail, 'hn: down');
});

test('loadPostsForPapers - fallbackAfter takes the earliest later snapshot when none is old enough', () => {
  const db = store();
  savePosts(db, [post('1', 10, ['2106.04554'])], '2021-06-11T00:00:00.000Z');
  savePosts(db, [post('1', 30, ['2106.04554'])], '2021-06-12T00:00:00.000Z');
  assert.deepEqual(loadPostsForPapers(db, ['2106.04554'], '2021-06-10T00:00:00.000Z', ['x']), []);
  const [m] = loadPostsForPapers(db, ['2106.04554'], '2021-06-10T00:00:00.000Z', ['x'], {
    fallbackAfter: true,
  });
  assert.equal(m?.post.metrics.likes, 10);
  assert.equal(m?.observedAt, '2021-06-11T00:00:00.000Z');
});

test('loadPostsForPapers - with what the run saved, the same posts as read back from the store', () => {
  const db = store();
  const day = ['2106.04554', '2106.04560'];
  const earlier = '2021-06-09T12:00:00.000Z';
  const now = '2021-06-10T18:07:48.000Z';
  // An earlier run's post (not saved now), another on a paper of another day.
  savePosts(db, [post('e1', 3, ['2106.04554']), post('o1', 8, ['2105.00001'])], earlier);
  // This run: a new post, one seen before with new counts, an HN post with an author id, and
  // a post later recorded deleted.
  const hn = post('h1', 40, ['2106.04560', '2106.04554'], 'hn');
  hn.post.authorId = '';
  hn.post.createdAt = '2021-06-09T20:00:00Z';
  hn.post.raw = { objectID: 'h1' };
  const batch = [
    post('n1', 12, ['2106.04554']),
    post('e1', 9, ['2106.04554']),
    hn,
    post('d1', 5, ['2106.04560']),
  ];
  const saved = new SavedPosts();
  savePosts(db, batch, now, saved);
  assert.equal(saved.size, 4);
  recordDeletions(db, 'x', ['d1'], now, 'refresh');

  for (const [asOf, fallbackAfter] of [
    [now, false],
    // A horizon before this run: its snapshots are not the ones it wrote, so all are read back.
    ['2021-06-10T00:00:00.000Z', false],
    ['2021-06-09T00:00:00.000Z', true],
  ] as const) {
    const read = loadPostsForPapers(db, day, asOf, ['x', 'hn'], { fallbackAfter });
    const mixed = loadPostsForPapers(db, day, asOf, ['x', 'hn'], { fallbackAfter, saved });
    assert.ok(read.length >= 1, `${asOf}: posts found`);
    assert.deepStrictEqual(mixed, read, asOf);
  }
  const atNow = loadPostsForPapers(db, day, now, ['x', 'hn'], { saved });
  assert.deepEqual(
    atNow.map((m) => `${m.post.source}:${m.post.id} ${m.post.metrics.likes} ${m.paperIds.join(',')}`),
    ['hn:h1 40 2106.04554,2106.04560', 'x:e1 9 2106.04554', 'x:n1 12 2106.04554'],
  );
  // The payload is never part of a loaded post, whichever way it came.
  assert.equal(atNow[0]?.post.raw, undefined);
  assert.equal('raw' in atNow[0]!.post, false);
});

test('loadPostsForPapers - with what the run saved, papers the run does not account for are read from the store', () => {
  const db = store();
  const day = ['2106.04554', '2106.04560', '2106.04570'];
  const now = '2021-06-10T18:07:48.000Z';
  // Written at this very instant by an earlier run (the same HOTPAPERS_NOW), not by this one.
  savePosts(db, [post('s1', 7, ['2106.04570'])], now);
  // An earlier save of a post this run saves again with fewer links: the store keeps both.
  savePosts(db, [post('w1', 2, ['2106.04554', '2106.04560'])], '2021-06-09T00:00:00.000Z');
  // A post of a source this run does not rank.
  savePosts(db, [post('b1', 50, ['2106.04560'], 'hn')], now);
  const saved = new SavedPosts();
  savePosts(
    db,
    [
      post('w1', 20, ['2106.04560']),
      // Ids that UTF-16 and UTF-8 order differently (SQLite orders by bytes).
      post('\u{1F600}', 30, ['2106.04554']),
      post('\uFB01', 31, ['2106.04554']),
      post('z9', 4, ['2106.04554', '2106.04554']),
      post('gone', 8, ['2106.04554']),
    ],
    now,
    saved,
  );
  recordDeletions(db, 'x', ['gone'], now, 'refresh');
  const read = loadPostsForPapers(db, day, now, ['x']);
  const mixed = loadPostsForPapers(db, day, now, ['x'], { saved });
  assert.deepStrictEqual(mixed, read);
  assert.deepEqual(
    mixed.map((m) => `${m.post.id} ${m.post.metrics.likes} ${m.paperIds.join(',')}`),
    [
      's1 7 2106.04570',
      'w1 20 2106.04554,2106.04560',
      'z9 4 2106.04554',
      '\uFB01 31 2106.04554',
      '\u{1F600} 30 2106.04554',
    ],
  );
  // Nothing but the run's own posts: the same again.
  const clean = store();
  const mine = new SavedPosts();
  savePosts(clean, [post('a', 1, ['2106.04554']), post('b', 2, ['2106.04560', '2106.04554'])], now, mine);
  assert.deepStrictEqual(
    loadPostsForPapers(clean, day, now, ['x'], { saved: mine }),
    loadPostsForPapers(clean, day, now, ['x']),
  );
});

test('loadPostsForPapers - a post given twice to one save, and a source saved twice, count once with the later copy', () => {
  const db = store();
  const day = ['2106.04554', '2106.04560'];
  const now = '2021-06-10T18:07:48.000Z';
  const saved = new SavedPosts();
  // One save: `r` twice (the later copy, with other counts and another paper, is kept), with
  // a post on either side of it.
  savePosts(
    db,
    [
      post('r', 3, ['2106.04554']),
      post('q', 1, ['2106.04554']),
      post('r', 9, ['2106.04560']),
      post('s', 2, ['2106.04560']),
    ],
    now,
    saved,
  );
  assert.equal(saved.size, 3);
  assert.deepEqual(
    [...saved.values()].map((s) => `${s.post.id} ${s.post.metrics.likes}`),
    ['q 1', 'r 9', 's 2'],
  );
  // The same source saved again: `s` is replaced in its place, `t` comes last.
  savePosts(db, [post('t', 4, ['2106.04554']), post('s', 7, ['2106.04560'])], now, saved);
  assert.deepEqual(
    [...saved.values()].map((s) => `${s.post.id} ${s.post.metrics.likes}`),
    ['q 1', 'r 9', 's 7', 't 4'],
  );
  assert.equal(saved.size, 4);
  // The store holds both of r's links: its paper 04554 is read back, and the result is the store's.
  const read = loadPostsForPapers(db, day, now, ['x']);
  assert.deepStrictEqual(loadPostsForPapers(db, day, now, ['x'], { saved }), read);
  assert.deepEqual(
    read.map((m) => `${m.post.id} ${m.post.metrics.likes} ${m.paperIds.join(',')}`),
    ['q 1 2106.04554', 'r 9 2106.04554,2106.04560', 's 7 2106.04560', 't 4 2106.04554'],
  );
});

test('loadPostsForPapers - a link of the run dropped by another writer before the load is not shown', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hp-store-')), 'hp.db');
  const run = openStore(path);
  const listener = openStore(path);
  const day = ['2106.04554', '2106.04570'];
  const now = '2021-06-10T18:07:48.000Z';
  // An earlier run's link to 04570: with the run's two links there, the store has two links to
  // it as the run counts two, though one of the run's is gone.
  savePosts(run, [post('old', 3, ['2106.04570'])], '2021-06-09T00:00:00.000Z');
  const saved = new SavedPosts();
  savePosts(run, [post('a', 12, ['2106.04554', '2106.04570']), post('b', 20, ['2106.04570'])], now, saved);
  // The listener, meanwhile: an edit removed `b`'s link, and `a`'s to 04570.
  unlinkPost(listener, 'x', 'b');
  unlinkPost(listener, 'x', 'a', ['2106.04554']);
  const read = loadPostsForPapers(run, day, now, ['x']);
  assert.deepEqual(
    read.map((m) => `${m.post.id} ${m.paperIds.join(',')}`),
    ['a 2106.04554', 'old 2106.04570'],
  );
  assert.deepStrictEqual(loadPostsForPapers(run, day, now, ['x'], { saved }), read);
  run.close();
  listener.close();
});

/** Posts whose address and creation time are, or are not, what the store can derive. */
function diversePosts(): MatchedPost[] {
  const base = { text: 'see', links: ['https://arxiv.org/abs/2106.04554'], paperIds: ['2106.04554'] };
  const metrics = { reposts: 1, likes: 2, replies: 3, quotes: 4 };
  const posts: Array<Partial<MatchedPost['post']> & Pick<MatchedPost['post'], 'source' | 'id' | 'url'>> = [
    { source: 'x', id: '1001', authorHandle: 'ada', url: 'https://twitter.com/ada/status/1001' },
    { source: 'x', id: '1002', url: 'https://twitter.com/i/web/status/1002' },
    { source: 'x', id: '1003', authorHandle: 'ada', url: 'https://x.com/ada/status/1003' },
    { source: 'x', id: '1004', authorHandle: '', url: 'https://twitter.com/i/web/status/1004' },
    {
      source: 'bluesky',
      id: 'at://did:plc:abc/app.bsky.feed.post/3kx',
      authorHandle: 'ada.bsky.social',
      url: 'https://bsky.app/profile/ada.bsky.social/post/3kx',
    },
    {
      source: 'bluesky',
      id: 'at://did:plc:abc/app.bsky.feed.post/3ky',
      url: 'https://bsky.app/profile/did:plc:abc/post/3ky',
    },
    {
      source: 'bluesky',
      id: 'at://did:plc:abc/app.bsky.feed.post/3kz',
      authorHandle: 'handle.invalid',
      url: 'https://bsky.app/profile/did:plc:abc/post/3kz',
    },
    { source: 'bluesky', id: 'not-an-at-uri', url: 'https://bsky.app/profile/x/post/y' },
    { source: 'hn', id: '4242', url: 'https://news.ycombinator.com/item?id=4242' },
    { source: 'hn', id: 'a b', url: 'https://news.ycombinator.com/item?id=a%20b' },
    { source: 'hf', id: '2106.04554', url: 'https://huggingface.co/papers/2106.04554' },
  ];
  const times = [
    '2021-06-09T12:34:56.789Z',
    '2021-06-09T12:34:56Z',
    '2021-06-09T12:34:56.000+00:00',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '2021-06-09T12:34:56.78Z',
    'yesterday',
    '9999-12-31T23:59:59.999Z',
    '2024-02-29T23:59:59.999Z',
    undefined,
    '2021-06-09T00:00:00.001Z',
  ];
  return posts.map((p, i) => ({
    post: {
      ...p,
      text: `${base.text} ${i}`,
      links: base.links,
      metrics,
      createdAt: times[i],
    } as MatchedPost['post'],
    paperIds: base.paperIds,
  }));
}

test('savePosts - every address and creation time reads back as given, derived or not', () => {
  const db = store();
  const batch = diversePosts();
  savePosts(db, batch, '2021-06-10T18:07:48.000Z');
  const back = loadPostsForPapers(db, ['2106.04554'], '2021-06-10T18:07:48.000Z', [
    'x',
    'bluesky',
    'hn',
    'hf',
  ]);
  const key = (p: { source: string; id: string }) => `${p.source}:${p.id}`;
  const byKey = new Map(back.map((m) => [key(m.post), m.post]));
  assert.equal(byKey.size, batch.length);
  for (const { post: p } of batch) {
    const got = byKey.get(key(p))!;
    assert.equal(got.url, p.url, key(p));
    assert.equal(got.createdAt, p.createdAt, key(p));
  }
  // The usual addresses and the canonical instants are the ones left out or made numbers.
  const kept = db.prepare('SELECT id FROM posts WHERE own_url IS NOT NULL ORDER BY id').pluck().all();
  assert.deepEqual(kept, ['1003', '1004', 'a b', 'at://did:plc:abc/app.bsky.feed.post/3kz', 'not-an-at-uri']);
  const numbers = db.prepare("SELECT count(*) FROM posts WHERE typeof(created) = 'integer'").pluck().get();
  assert.equal(numbers, 5);
});

test('packTime and the store read back the same instant for many canonical times', () => {
  const db = store();
  const read = db.prepare(`SELECT ${isoTimeSql('v')} FROM (SELECT ? AS v)`).pluck();
  let seed = 7;
  for (let i = 0; i < 2000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const ms = Math.floor((seed / 2 ** 31) * 253_402_300_799_999);
    const iso = new Date(ms).toISOString();
    const packed = packTime(iso);
    assert.equal(packed, BigInt(ms));
    assert.equal(read.get(packed), iso);
  }
});

test('every write of posts, links, snapshots and embeds logs the papers it changed', () => {
  const db = store();
  const log = () => db.prepare('SELECT paper_id FROM paper_changes ORDER BY seq').pluck().all();
  savePosts(
    db,
    [post('1', 10, ['2106.04554', '2106.04560']), post('2', 5, ['2106.04561'])],
    '2021-06-10T00:00:00.000Z',
  );
  assert.deepEqual(log(), ['2106.04554', '2106.04560', '2106.04561']);
  // A paper changed again moves to the end, keeping one row.
  putEmbed(db, 'x', '2', '<blockquote>hi</blockquote>', '2021-06-10T00:00:00.000Z');
  assert.deepEqual(log(), ['2106.04554', '2106.04560', '2106.04561']);
  putEmbed(db, 'x', '1', null, '2021-06-10T00:00:00.000Z');
  assert.deepEqual(log(), ['2106.04561', '2106.04554', '2106.04560']);
  recordDeletions(db, 'x', ['2'], '2021-06-11T00:00:00.000Z', 'stream');
  assert.deepEqual(log(), ['2106.04554', '2106.04560', '2106.04561']);
});

test('savePosts - links read back as given, common beginnings stored short', () => {
  const db = store();
  const lists = [
    ['https://arxiv.org/abs/2106.04554', 'https://github.com/org/repo', 'http://example.org/a'],
    ['https://arxiv.org/pdf/2106.04554v2.pdf', 'https://huggingface.co/papers/2106.04554'],
    ['https://www.alphaxiv.org/abs/2106.04554', 'https://arxiv.org/html/2106.04554v1#S3'],
    ['[not json]', 'https://arxiv.org/abs/2106.04554'],
    ['line\nbreak https://arxiv.org/abs/2106.04554'],
    ['\u0001starts with a code', 'https://arxiv.org/abs/2106.04554'],
    ['', 'https://arxiv.org/abs/2106.04554', ''],
    ['ftp://arxiv.org/abs/2106.04554'],
    // What makes a list JSON may come after links already packed.
    ['https://arxiv.org/abs/2106.04554', 'a later\nbreak'],
    ['https://arxiv.org/abs/2106.04554', '\u0008a later code'],
    [],
  ];
  const batch = lists.map((links, i) => {
    const m = post(String(i), 1, ['2106.04554']);
    m.post.links = links;
    return m;
  });
  savePosts(db, batch, '2021-06-10T18:07:48.000Z');
  const back = loadPostsForPapers(db, ['2106.04554'], '2021-06-10T18:07:48.000Z', ['x']);
  // In the store's order of ids as text ('10' before '2'): put back in the lists' order.
  back.sort((a, b) => Number(a.post.id) - Number(b.post.id));
  assert.deepEqual(
    back.map((m) => m.post.links),
    lists,
  );
  const stored = db.prepare("SELECT links FROM posts WHERE id = '0'").pluck().get() as string;
  assert.equal(stored, '\u00012106.04554\n\u0006org/repo\n\u0008example.org/a');
  const late = db.prepare("SELECT links FROM posts WHERE id = '8'").pluck().get() as string;
  assert.equal(late, JSON.stringify(lists[8]));
});

test('a stored post shown differently (author, text, embed, deletion) logs the papers it links for their day pages; a first save, counts or the same again do not', () => {
  // A store at migration 12 (before the log of shown changes), brought up to date.
  const { path, old } = storeJustBefore(MIGRATIONS[12]!, 'hp.db');
  old.close();
  const db = openStore(path);
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  const logged = (from: number) => enrichmentChangesSince(db, from).sort();
  const both = ['2106.04554', '2106.04560'];
  const first = post('7', 10, both);
  let mark = enrichmentMark(db);
  savePosts(db, [first], '2021-06-09T18:00:00.000Z');
  assert.deepEqual(logged(mark), [], 'a post first stored shows on no day page yet');
  savePosts(db, [post('7', 90, both)], '2021-06-10T18:00:00.000Z');
  savePosts(db, [post('7', 90, both)], '2021-06-10T18:00:00.000Z');
  assert.deepEqual(logged(mark), [], 'new counts are snapshots: the day pages show the counts of their day');
  const renamed = { ...first, post: { ...first.post, authorName: 'A New Name' } };
  savePosts(db, [renamed], '2021-06-11T18:00:00.000Z');
  assert.deepEqual(logged(mark), both, "the author's new name");
  mark = enrichmentMark(db);
  savePosts(
    db,
    [{ ...renamed, post: { ...renamed.post, text: 'see arxiv (edited)' } }],
    '2021-06-11T19:00:00.000Z',
  );
  assert.deepEqual(logged(mark), both, 'an edited text');
  mark = enrichmentMark(db);
  putEmbed(db, 'x', '7', '<blockquote>Nice</blockquote>', '2021-06-12T00:00:00.000Z');
  assert.deepEqual(logged(mark), both, 'an embed fetched');
  mark = enrichmentMark(db);
  putEmbed(db, 'x', '7', '<blockquote>Nice</blockquote>', '2021-06-13T00:00:00.000Z');
  assert.deepEqual(logged(mark), [], 'the same embed fetched again');
  recordDeletions(db, 'x', ['7'], '2021-06-14T00:00:00.000Z', 'stream');
  assert.deepEqual(logged(mark), both, 'deleted');
  mark = enrichmentMark(db);
  recordDeletions(db, 'x', ['7'], '2021-06-15T00:00:00.000Z', 'refresh');
  assert.deepEqual(logged(mark), [], 'heard of as deleted again, later: the first deletion stands');
  db.close();
});
