/**
 * Upgrading a store written by the release before digest format 2 (fa51622): every digest
 * loads deep-equal to what that release loaded, is stored by key afterwards, and posts,
 * snapshots, embeds, papers and listings read back as before (abstracts packed, and of the
 * posts' payloads only HF's extract kept). And a store of the release before packing (the schema
 * before migration 7), and ones written just before the compact tables (migration 9) and the
 * compact snapshots (migration 10), and one written just before the integer post ids (migration 11).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { type Db, openStore } from '../../src/store/db.js';
import { listDigestFingerprints, listDigestMonths, loadDigest, readDigest } from '../../src/store/digests.js';
import { enrichmentChangesSince, enrichmentMark } from '../../src/store/enrichment.js';
import { loadListing } from '../../src/store/listings.js';
import {
  compactSnapshotsAndPapers,
  compactTables,
  integerPostIds,
  MIGRATIONS,
  type Migration,
  slimPostsAndAbstracts,
  viewsForDerivedColumns,
} from '../../src/store/migrations.js';
import { unpackText } from '../../src/store/packed.js';
import { getEmbed, linkedPapers, loadPostsForPapers, savePosts } from '../../src/store/posts.js';
import { deletedAt, storedPostIds } from '../../src/store/stream.js';
import { cachedThumbnailsSince } from '../../src/store/thumbnails.js';
import { storeJustBefore } from './old-store.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'store', 'fa51622.db');
const TABLES = ['papers', 'listings', 'listing_days', 'posts', 'post_papers', 'snapshots', 'embeds', 'runs'];

interface OldRow {
  day: string;
  categories: string;
  horizon: string;
  digest: string;
  path: string | null;
  markdown_sha256: string | null;
}

/** What the old release's loadDigest returned: the JSON as stored, plus the file's path and hash. */
function oldLoad(row: OldRow) {
  return {
    ...JSON.parse(row.digest),
    path: row.path ?? undefined,
    markdownSha256: row.markdown_sha256 ?? undefined,
  };
}

/**
 * What a reader reads of each table, in a form both schemas answer: since migration 9 a post's
 * first_seen/last_seen are its snapshots' first and last instants when not stored, and a
 * listing row's fetched_at is its day's.
 */
const READ: Record<string, string> = {
  posts: `SELECT source, CAST(id AS TEXT) AS id, author_id, author_handle, author_name, url, text, created_at, links, raw,
            coalesce(first_seen, (SELECT min(observed_at) FROM snapshots s WHERE s.source = p.source AND s.post_id = p.id)) AS first_seen,
            coalesce(last_seen, (SELECT max(observed_at) FROM snapshots s WHERE s.source = p.source AND s.post_id = p.id)) AS last_seen
          FROM posts p`,
  listings: `SELECT l.day, l.categories, l.paper_id, l.announce_type, l.method,
               coalesce(l.fetched_at, d.fetched_at) AS fetched_at
             FROM listings l LEFT JOIN listing_days d ON d.day = l.day AND d.categories = l.categories`,
  embeds: 'SELECT source, CAST(post_id AS TEXT) AS post_id, html, status, fetched_at FROM embeds',
  // Since migration 10 the instant is stored in \`observed\` and read back as observed_at.
  snapshots:
    'SELECT source, CAST(post_id AS TEXT) AS post_id, observed_at, reposts, likes, replies, quotes FROM snapshots',
  // Since migration 11 a long decimal id is stored as an integer, read back as text by CAST.
  post_papers: 'SELECT source, CAST(post_id AS TEXT) AS post_id, paper_id FROM post_papers',
};

/** Every row of TABLES as readers see them (abstracts and embeds unpacked). */
function dump(db: Database.Database): Record<string, Array<Record<string, unknown>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const t of TABLES)
    out[t] = (
      db.prepare(`${READ[t] ?? `SELECT * FROM ${t}`} ORDER BY 1, 2, 3`).all() as Array<
        Record<string, unknown>
      >
    ).map((row) =>
      t === 'papers' ? { ...row, abstract: unpackText(row.abstract as string | Buffer) } : row,
    );
  return out;
}

/** What the upgrade keeps of the rows: posts other than HF's lose their payload, nothing else changes. */
function upgraded(rows: Record<string, Array<Record<string, unknown>>>): typeof rows {
  return { ...rows, posts: rows.posts!.map((p) => (p.source === 'hf' ? p : { ...p, raw: null })) };
}

test('a store of the previous release upgrades in place with every digest loading as before', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hp-migrate-')), 'old.db');
  copyFileSync(FIXTURE, path);
  const raw = new Database(path);
  assert.equal(raw.pragma('user_version', { simple: true }), 2);
  const oldRows = raw.prepare('SELECT * FROM digests ORDER BY day, categories, horizon').all() as OldRow[];
  const before = dump(raw);
  const oldBytes = oldRows.reduce((n, r) => n + r.digest.length, 0);
  raw.close();
  assert.ok(oldRows.length >= 4, 'the fixture holds several digests');
  assert.ok(oldRows.some((r) => r.horizon === '24h'));

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    for (const row of oldRows) {
      const loaded = loadDigest(db, row.day, row.categories, row.horizon);
      assert.deepStrictEqual(loaded, oldLoad(row), `${row.day} ${row.categories} ${row.horizon}`);
      const { path: _p, markdownSha256: _h, ...digest } = oldLoad(row);
      assert.deepStrictEqual(readDigest(db, row.day, row.categories, row.horizon), digest);
    }
    // Every row is now stored by key, and much smaller.
    const now = db.prepare('SELECT digest FROM digests').pluck().all() as string[];
    for (const text of now) assert.equal(JSON.parse(text).format, 3);
    const newBytes = now.reduce((n, t) => n + t.length, 0);
    assert.ok(newBytes * 5 < oldBytes, `${newBytes} bytes by key vs ${oldBytes} whole`);
    // The fixture's posts of every source carried their payload; only HF's extract is left.
    for (const source of ['x', 'bluesky', 'hn', 'hf'])
      assert.ok(
        before.posts!.some((p) => p.source === source && p.raw !== null),
        `${source} had a payload`,
      );
    assert.deepStrictEqual(dump(db), upgraded(before));
    assert.ok(
      before.posts!.some((p) => p.source === 'hf' && p.raw !== null),
      'the HF extract (its thumbnail) is kept',
    );
    // Long abstracts are packed; each still reads back as before (compared in the dump).
    assert.ok(
      (db.prepare("SELECT count(*) FROM papers WHERE typeof(abstract) = 'blob'").pluck().get() as number) > 0,
    );
    assert.deepEqual(
      listDigestFingerprints(db).map(([day, categories, horizon]) => `${day}|${categories}|${horizon}`),
      // Newest first by day, categories and horizon: the old rows' order (all three ascending), reversed.
      [...oldRows].reverse().map((r) => `${r.day}|${r.categories}|${r.horizon}`),
    );
  } finally {
    db.close();
  }
});

test('a store of the release before packing upgrades: payloads trimmed, abstracts packed, all else as read before', () => {
  // The schema that release left, written as that release wrote its rows.
  const { path, old } = storeJustBefore(slimPostsAndAbstracts, 'before-packing.db');
  const abstract = `We study the packing of abstracts. ${'A sentence of an abstract, long enough to pack. '.repeat(12)}`;
  old
    .prepare(
      `INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category, published)
       VALUES (?, 1, ?, ?, '["Ada Author"]', '["cs.LG"]', 'cs.LG', '2026-03-02T10:00:00Z')`,
    )
    .run('2603.00001', 'Packed', abstract);
  old
    .prepare(
      `INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category)
       VALUES ('2603.00002', 2, 'Short', 'Too short to pack.', '[]', '["cs.LG"]', 'cs.LG')`,
    )
    .run();
  for (const id of ['2603.00001', '2603.00002'])
    old
      .prepare("INSERT INTO listings VALUES ('2026-03-03', 'cs', ?, 'new', 'api', '2026-03-03T01:00:00Z')")
      .run(id);
  old.exec("INSERT INTO listing_days VALUES ('2026-03-03', 'cs', 'api', '2026-03-03T01:00:00Z', 2)");
  const tweet = JSON.stringify({ id: '1', text: 'see https://t.co/a', public_metrics: { like_count: 3 } });
  const hf = JSON.stringify({ date: '2026-03-03', thumbnail: 'https://cdn.example/2603.00001.png' });
  const post = old.prepare(
    `INSERT INTO posts (source, id, url, text, links, raw, first_seen, last_seen)
     VALUES (?, ?, ?, 'text', '[]', ?, '2026-03-03T12:00:00Z', '2026-03-03T12:00:00Z')`,
  );
  post.run('x', '1', 'https://x.com/a/status/1', tweet);
  post.run('hf', '2603.00001', 'https://huggingface.co/papers/2603.00001', hf);
  post.run('hn', '9', 'https://news.ycombinator.com/item?id=9', null);
  const before = loadListingFrom(old);
  old.close();

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    const raws = db.prepare('SELECT source, raw FROM posts ORDER BY source').raw().all();
    assert.deepEqual(raws, [
      ['hf', hf],
      ['hn', null],
      ['x', null],
    ]);
    const types = db.prepare('SELECT id, typeof(abstract) FROM papers ORDER BY id').raw().all();
    assert.deepEqual(types, [
      ['2603.00001', 'blob'],
      ['2603.00002', 'text'],
    ]);
    const listing = loadListing(db, '2026-03-03', ['cs']);
    assert.deepStrictEqual(
      listing?.papers.map((p) => [p.id, p.abstract]),
      before.map((r) => [r.id, r.abstract]),
    );
    assert.equal(listing?.papers.find((p) => p.id === '2603.00001')?.abstract, abstract);
  } finally {
    db.close();
  }
});

/** The papers of the old store as plain rows, in id order. */
function loadListingFrom(db: Database.Database): Array<{ id: string; abstract: string }> {
  return db.prepare('SELECT id, abstract FROM papers ORDER BY id').all() as Array<{
    id: string;
    abstract: string;
  }>;
}

test('a store written just before the compact tables upgrades with every row read back as before', () => {
  const { path, old } = storeJustBefore(compactTables, 'before-compact.db');
  // As that release's savePosts, saveStreamPost, putEmbed and saveListing wrote them.
  old.exec(`
    INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category)
      VALUES ('2603.00001', 1, 'T', 'A', '[]', '["cs.LG"]', 'cs.LG');
    INSERT INTO listing_days VALUES ('2026-03-03', 'cs', 'api', '2026-03-03T01:00:00.000Z', 1);
    INSERT INTO listings VALUES ('2026-03-03', 'cs', '2603.00001', 'new', 'api', '2026-03-03T01:00:00.000Z');
    INSERT INTO listing_days VALUES ('2026-03-04', 'cs', 'api', '2026-03-04T01:00:00.000Z', 1);
    INSERT INTO listings VALUES ('2026-03-04', 'cs', '2603.00001', 'new', 'api', '2026-03-03T22:00:00.000Z');
  `);
  const insert = old.prepare(`
    INSERT INTO posts (source, id, author_id, author_handle, author_name, url, text, created_at, links, raw, first_seen, last_seen)
    VALUES (?, ?, NULL, ?, 'A', ?, 'text', ?, '[]', NULL, ?, ?)`);
  const link = old.prepare("INSERT INTO post_papers VALUES (?, ?, '2603.00001')");
  const snap = old.prepare('INSERT INTO snapshots VALUES (?, ?, ?, 1, 2, 3, 4)');
  const early = '2026-03-03T12:00:00.000Z';
  const late = '2026-03-04T12:00:00.000Z';
  const rows: Array<[string, string, string | null, string, string | null, string, string]> = [
    ['x', '1', 'ada', 'https://twitter.com/ada/status/1', '2026-03-03T10:00:00.123Z', early, late],
    ['x', '2', null, 'https://twitter.com/i/web/status/2', '2026-03-03T10:00:00Z', early, early],
    ['x', '3', 'ada', 'https://x.com/ada/status/3', null, early, late],
    [
      'bluesky',
      'at://did:plc:a/app.bsky.feed.post/k1',
      null,
      'https://bsky.app/profile/did:plc:a/post/k1',
      'x',
      early,
      late,
    ],
    [
      'bluesky',
      'at://did:plc:a/app.bsky.feed.post/k2',
      'b.bsky.social',
      'https://bsky.app/profile/b.bsky.social/post/k2',
      '2026-03-03T10:00:00.000+00:00',
      early,
      late,
    ],
    ['hn', '7', 'pg', 'https://news.ycombinator.com/item?id=7', '1969-12-31T23:59:59.500Z', early, late],
    // first/last seen its snapshots do not give: kept.
    [
      'hf',
      '2603.00001',
      null,
      'https://huggingface.co/papers/2603.00001',
      '2026-03-03T10:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      late,
    ],
  ];
  for (const [source, id, handle, url, created, first, last] of rows) {
    insert.run(source, id, handle, url, created, first, last);
    link.run(source, id);
    snap.run(source, id, early);
    if (last !== early) snap.run(source, id, late);
  }
  old
    .prepare('INSERT INTO embeds VALUES (?, ?, ?, ?, ?)')
    .run('x', '1', '<blockquote>hi</blockquote>', 'ok', late);
  const before = dump(old);
  const sources = ['x', 'bluesky', 'hn', 'hf'] as const;
  const loadedBefore = loadPostsForPapers(old as never, ['2603.00001'], late, sources);
  old.close();

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepStrictEqual(dump(db), before);
    assert.deepStrictEqual(loadPostsForPapers(db, ['2603.00001'], late, sources), loadedBefore);
    assert.equal(loadedBefore.length, rows.length);
    // What is derivable is no longer stored.
    const kept = db.prepare('SELECT id, own_url, first_seen, last_seen FROM posts ORDER BY id').raw().all();
    assert.deepEqual(
      kept.filter((r) => (r as unknown[]).slice(1).some((v) => v !== null)),
      [
        ['2603.00001', null, '2026-03-01T00:00:00.000Z', null],
        ['3', 'https://x.com/ada/status/3', null, null],
      ],
    );
    const times = db.prepare('SELECT id, typeof(created) FROM posts ORDER BY id').raw().all();
    assert.deepEqual(times, [
      ['1', 'integer'],
      ['2', 'text'],
      ['2603.00001', 'integer'],
      ['3', 'null'],
      ['7', 'text'],
      ['at://did:plc:a/app.bsky.feed.post/k1', 'text'],
      ['at://did:plc:a/app.bsky.feed.post/k2', 'text'],
    ]);
    assert.deepEqual(db.prepare('SELECT day, fetched_at FROM listings ORDER BY day').raw().all(), [
      ['2026-03-03', null],
      ['2026-03-04', '2026-03-03T22:00:00.000Z'],
    ]);
    // Since migration 14 the posts and snapshots views read the post_rows and snapshot_rows tables.
    for (const t of ['post_rows', 'post_papers', 'snapshot_rows', 'embeds', 'listings'])
      assert.match(
        db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(t) as string,
        /WITHOUT ROWID/,
      );
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  } finally {
    db.close();
  }
});

test('a store written just before the compact snapshots upgrades: instants read back as before, in 6 bytes when canonical', () => {
  const { path, old } = storeJustBefore(compactSnapshotsAndPapers, 'before-snapshots.db');
  old.exec(`
    INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category)
      VALUES ('2603.00001', 1, 'T', 'A', '[]', '["cs.LG"]', 'cs.LG');
    INSERT INTO posts (source, id, author_handle, author_name, text, created, links)
      VALUES ('x', '1', 'ada', 'A', 'one', NULL, '[]'), ('x', '2', 'bob', 'B', 'two', NULL, '[]');
    INSERT INTO post_papers VALUES ('x', '1', '2603.00001'), ('x', '2', '2603.00001');
    INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category, published, pdf_url)
      VALUES ('2603.00002', 2, 'U', 'A2', 'B', 'cs.CL', 'cs.CL', X'000102030405', 'v2');
    INSERT INTO listing_days VALUES ('2026-03-03', 'cs', 'api', '2026-03-03T01:00:00.000Z', 2);
    INSERT INTO listings VALUES ('2026-03-03', 'cs', '2603.00001', 'new', 'api', NULL),
      ('2026-03-03', 'cs', '2603.00002', 'cross', 'rss', '2026-03-02T01:00:00.000Z');
  `);
  // As savePosts and saveStreamPost wrote them: the run's instant as given (HOTPAPERS_NOW may
  // be written without milliseconds or with an offset).
  const snap = old.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, 2, 3, 4)');
  const instants = [
    '2026-03-03T12:00:00.000Z',
    '2026-03-03T13:00:00Z',
    '2026-03-03T14:00:00.000+00:00',
    '1969-12-31T23:59:59.500Z',
    '2026-03-04T12:00:00.123Z',
  ];
  instants.forEach((at, i) => {
    snap.run('x', '1', at, i);
  });
  snap.run('x', '2', '2026-03-04T12:00:00.123Z', 9);
  const before = dump(old);
  const listingBefore = loadListing(old as never, '2026-03-03', ['cs']);
  const late = '2026-03-04T12:00:00.123Z';
  const loadedBefore = loadPostsForPapers(old as never, ['2603.00001'], late, ['x']);
  const earlier = loadPostsForPapers(old as never, ['2603.00001'], '2026-03-03T13:30:00.000Z', ['x']);
  old.close();

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepStrictEqual(dump(db), before);
    assert.ok(listingBefore && listingBefore.papers.length === 2);
    assert.deepStrictEqual(loadListing(db, '2026-03-03', ['cs']), listingBefore);
    assert.deepStrictEqual(loadPostsForPapers(db, ['2603.00001'], late, ['x']), loadedBefore);
    assert.equal(loadedBefore.length, 2);
    assert.deepStrictEqual(
      loadPostsForPapers(db, ['2603.00001'], '2026-03-03T13:30:00.000Z', ['x']),
      earlier,
    );
    assert.equal(earlier[0]!.observedAt, '2026-03-03T13:00:00Z');
    const kinds = db
      .prepare("SELECT observed_at, typeof(observed) FROM snapshots WHERE post_id = '1' ORDER BY observed_at")
      .raw()
      .all();
    assert.deepEqual(kinds, [
      ['1969-12-31T23:59:59.500Z', 'text'],
      ['2026-03-03T12:00:00.000Z', 'integer'],
      ['2026-03-03T13:00:00Z', 'text'],
      ['2026-03-03T14:00:00.000+00:00', 'text'],
      ['2026-03-04T12:00:00.123Z', 'integer'],
    ]);
    // A save at a migrated instant updates that snapshot (the same key), not a second one.
    const post = loadedBefore[0]!.post;
    savePosts(
      db,
      [
        {
          post: { ...post, metrics: { reposts: 50, likes: 2, replies: 3, quotes: 4 } },
          paperIds: ['2603.00001'],
        },
      ],
      late,
    );
    const rows = db
      .prepare("SELECT observed_at, reposts FROM snapshots WHERE post_id = '1' AND observed_at = ?")
      .raw()
      .all(late);
    assert.deepEqual(rows, [[late, 50]]);
    for (const t of ['snapshot_rows', 'papers', 'listings'])
      assert.match(
        db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(t) as string,
        /WITHOUT ROWID/,
      );
    assert.equal(
      db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'listings_paper'").pluck().get(),
      0,
    );
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  } finally {
    db.close();
  }
});

/** One paper (2603.00001) listed on 2026-03-03, in the schema of migrations 10 to 13. */
const ONE_LISTED_PAPER = `
  INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category)
    VALUES ('2603.00001', 1, 'T', 'A', 'Ada', 'cs.LG', 'cs.LG');
  INSERT INTO listing_days VALUES ('2026-03-03', 'cs', 'api', '2026-03-03T01:00:00.000Z', 1);
  INSERT INTO listings VALUES ('2026-03-03', 'cs', '2603.00001', 'new', 'api', NULL);`;

test('a store written just before the integer post ids upgrades: every id reads back as the same text', () => {
  const { path, old } = storeJustBefore(integerPostIds, 'before-integer-ids.db');
  old.exec(ONE_LISTED_PAPER);
  // X's snowflakes become integers; an id an integer would not give back exactly stays text.
  const ids: Array<[string, string, 'integer' | 'text']> = [
    ['x', '1402589585109098500', 'integer'],
    ['x', '9223372036854775807', 'integer'],
    ['x', '9223372036854775808', 'text'],
    ['x', '0402589585109098500', 'text'],
    ['x', '140258958510909850', 'integer'],
    ['x', '1004', 'text'],
    ['x', '1402589585109098500 ', 'text'],
    ['hn', '40123456', 'text'],
    ['hf', '2603.00001', 'text'],
    ['bluesky', 'at://did:plc:abc/app.bsky.feed.post/3kz', 'text'],
  ];
  const post = old.prepare(
    "INSERT INTO posts (source, id, author_handle, own_url, text, created, links) VALUES (?, ?, 'ada', NULL, 'hi', NULL, '[]')",
  );
  const link = old.prepare("INSERT INTO post_papers VALUES (?, ?, '2603.00001')");
  const snap = old.prepare(
    'INSERT INTO snapshots (source, post_id, observed, reposts, likes, replies, quotes) VALUES (?, ?, ?, ?, 1, 0, 0)',
  );
  const embed = old.prepare("INSERT INTO embeds VALUES (?, ?, '<p>e</p>', 'ok', '2026-03-03T12:00:00.000Z')");
  ids.forEach(([source, id], i) => {
    post.run(source, id);
    link.run(source, id);
    snap.run(source, id, 1_772_539_200_000 + i, i);
    embed.run(source, id);
  });
  old.exec(
    `INSERT INTO post_deletions VALUES ('x', '1402589585109098500', '2026-03-05T00:00:00.000Z', 'refresh')`,
  );
  const at = '2026-03-04T00:00:00.000Z';
  const sources = ['x', 'hn', 'hf', 'bluesky'] as const;
  const before = dump(old);
  const loadedBefore = loadPostsForPapers(old as never, ['2603.00001'], at, [...sources]);
  const xBefore = storedPostIds(old as never, 'x', ['2603.00001'], at);
  old.close();

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepStrictEqual(dump(db), before);
    assert.equal(loadedBefore.length, ids.length);
    assert.deepStrictEqual(loadPostsForPapers(db, ['2603.00001'], at, [...sources]), loadedBefore);
    assert.deepStrictEqual(storedPostIds(db, 'x', ['2603.00001'], at), xBefore);
    const kinds = db.prepare('SELECT source, CAST(id AS TEXT), typeof(id) FROM posts').raw().all();
    assert.deepEqual(
      kinds.map((k) => (k as string[]).join(' ')).sort(),
      ids.map(([source, id, kind]) => `${source} ${id} ${kind}`).sort(),
    );
    for (const t of ['post_papers', 'snapshots', 'embeds'])
      assert.equal(
        db.prepare(`SELECT count(*) FROM ${t} WHERE typeof(post_id) = 'integer'`).pluck().get(),
        3,
        t,
      );
    for (const [source, id] of ids) {
      assert.equal(getEmbed(db, source as never, id)?.html, '<p>e</p>', id);
      assert.deepEqual(linkedPapers(db, source as never, id), ['2603.00001'], id);
    }
    assert.equal(deletedAt(db, 'x', '1402589585109098500'), '2026-03-05T00:00:00.000Z');
    // Saving a migrated post again updates its rows (the same key), it does not add a second.
    const again = loadedBefore.find((m) => m.post.id === '1402589585109098500')!;
    savePosts(db, [{ post: { ...again.post, text: 'edited' }, paperIds: ['2603.00001'] }], at);
    assert.equal(db.prepare("SELECT count(*) FROM posts WHERE source = 'x'").pluck().get(), 7);
    assert.equal(db.prepare("SELECT count(*) FROM snapshots WHERE source = 'x'").pluck().get(), 8);
    assert.equal(
      db.prepare("SELECT text FROM posts WHERE source = 'x' AND id = 1402589585109098500").pluck().get(),
      'edited',
    );
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  } finally {
    db.close();
  }
});

test('a store written just before the thumbnail log upgrades: its cached images are logged in order, failures not', () => {
  const { path, old } = storeJustBefore(MIGRATIONS[11]!, 'before-thumbnail-log.db');
  const row = old.prepare('INSERT INTO thumbnails (url, status, file, checked_at) VALUES (?, ?, ?, ?)');
  row.run('https://huggingface.co/b.png', 'ok', 'b.png', '2026-11-20T18:00:00.000Z');
  row.run('https://huggingface.co/x.png', 'failed', null, '2026-11-20T18:00:00.000Z');
  row.run('https://huggingface.co/a.png', 'ok', 'a.png', '2026-11-21T18:00:00.000Z');
  old.close();
  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepEqual(
      cachedThumbnailsSince(db, 0).map((t) => [t.seq, t.url, t.file]),
      [
        [1, 'https://huggingface.co/b.png', 'b.png'],
        [2, 'https://huggingface.co/a.png', 'a.png'],
      ],
    );
    assert.deepEqual(
      cachedThumbnailsSince(db, 1).map((t) => t.file),
      ['a.png'],
    );
  } finally {
    db.close();
  }
});

test('a store written just before the derived-column views upgrades: posts and snapshots read back the same, column for column', () => {
  const { path, old } = storeJustBefore(viewsForDerivedColumns, 'before-views.db');
  old.exec(ONE_LISTED_PAPER);
  // Every form a derived column is made from: the usual address or one of its own, with and
  // without a handle; a time in milliseconds, as text, as a (never written) real, or none.
  const posts: Array<
    [string, string | bigint, string | null, string | null, bigint | string | number | null]
  > = [
    ['x', 1_402_589_585_109_098_500n, 'ada', null, 1_772_539_200_123n],
    ['x', 1_402_589_585_109_098_501n, null, null, '2026-03-03T10:00:00Z'],
    ['x', '1004', 'bo', 'https://x.com/bo/status/1004', null],
    ['bluesky', 'at://did:plc:abc/app.bsky.feed.post/3kz', 'ada.bsky.social', null, 1_772_539_200_000n],
    ['bluesky', 'at://did:plc:abd/app.bsky.feed.post/3ky', null, null, 1_772_539_200_000.5],
    ['hn', '40123456', 'pg', null, 1_772_539_200_999n],
    ['hf', '2603.00001', 'akhaliq', null, 1_772_539_200_000n],
  ];
  const post = old.prepare(
    "INSERT INTO posts (source, id, author_handle, own_url, text, created, links) VALUES (?, ?, ?, ?, 'hi', ?, '[]')",
  );
  const link = old.prepare("INSERT INTO post_papers VALUES (?, ?, '2603.00001')");
  const snap = old.prepare(
    'INSERT INTO snapshots (source, post_id, observed, reposts, likes, replies, quotes) VALUES (?, ?, ?, ?, 1, 0, 0)',
  );
  posts.forEach(([source, id, handle, url, created], i) => {
    post.run(source, id, handle, url, created);
    link.run(source, id);
    snap.run(source, id, 1_772_539_200_000n + BigInt(i), i);
    snap.run(source, id, i % 2 === 0 ? '2026-03-04T00:00:00Z' : 1_772_600_000_000.25, i + 10);
  });
  const at = '2026-03-05T00:00:00.000Z';
  const sources = ['x', 'hn', 'hf', 'bluesky'] as const;
  /** The column names in order, and every row as an array. */
  const all = (db: Database.Database, sql: string) => {
    const statement = db.prepare(sql);
    return { columns: statement.columns().map((c) => c.name), rows: statement.raw().all() };
  };
  const postsBefore = all(old, 'SELECT * FROM posts ORDER BY source, id');
  const snapshotsBefore = all(old, 'SELECT * FROM snapshots ORDER BY source, post_id, observed');
  const before = dump(old);
  const loadedBefore = loadPostsForPapers(old as never, ['2603.00001'], at, [...sources]);
  old.close();

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    // The views give every column, in the same order, with the same values and types.
    assert.deepStrictEqual(all(db, 'SELECT * FROM posts ORDER BY source, id'), postsBefore);
    assert.deepStrictEqual(
      all(db, 'SELECT * FROM snapshots ORDER BY source, post_id, observed'),
      snapshotsBefore,
    );
    assert.deepStrictEqual(dump(db), before);
    assert.equal(loadedBefore.length, posts.length);
    assert.deepStrictEqual(loadPostsForPapers(db, ['2603.00001'], at, [...sources]), loadedBefore);
    // The tables no longer hold the derived columns, and the keys that referred to them follow.
    const columns = (t: string) =>
      (db.pragma(`table_xinfo(${t})`) as Array<{ name: string }>).map((c) => c.name);
    assert.deepEqual(columns('post_rows'), [
      'source',
      'id',
      'author_id',
      'author_handle',
      'author_name',
      'own_url',
      'text',
      'created',
      'links',
      'raw',
      'first_seen',
      'last_seen',
    ]);
    assert.deepEqual(columns('snapshot_rows'), [
      'source',
      'post_id',
      'observed',
      'reposts',
      'likes',
      'replies',
      'quotes',
    ]);
    for (const t of ['post_papers', 'snapshot_rows'])
      assert.deepEqual(
        [...new Set((db.pragma(`foreign_key_list(${t})`) as Array<{ table: string }>).map((k) => k.table))],
        ['post_rows'],
        t,
      );
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    // Writers write the tables: saving a post again updates its row (its trigger still logs the
    // change of what its day page shows) and adds this instant's snapshot.
    const again = loadedBefore.find((m) => m.post.id === '1402589585109098500')!;
    const mark = enrichmentMark(db);
    savePosts(db, [{ post: { ...again.post, text: 'edited' }, paperIds: ['2603.00001'] }], at);
    assert.equal(db.prepare("SELECT count(*) FROM posts WHERE source = 'x'").pluck().get(), 3);
    assert.equal(db.prepare("SELECT count(*) FROM snapshots WHERE source = 'x'").pluck().get(), 7);
    assert.deepEqual(
      db
        .prepare("SELECT text, url, created_at FROM posts WHERE source = 'x' AND id = 1402589585109098500")
        .raw()
        .get(),
      ['edited', 'https://twitter.com/ada/status/1402589585109098500', '2026-03-03T12:00:00.123Z'],
    );
    assert.deepEqual(enrichmentChangesSince(db, mark), ['2603.00001']);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
  } finally {
    db.close();
  }
});

test('a store written just before the digest revisions upgrades: its digests name their papers by key, and a later version of one changes that digest alone', () => {
  const { path, old } = twoPapersJustBefore(MIGRATIONS[14]!, 'before-revisions.db');
  const row = digestRows(old);
  // Format 3: the first paper by key, the second kept whole; the same day's 24h row in format 2
  // with the second by key; an older day in the first format (papers copied whole); a row that
  // does not parse.
  row.run(
    '2026-03-03',
    '',
    JSON.stringify({
      format: 3,
      papers: [{ id: '2603.00001' }, { id: '2603.00002', paper: { id: '2603.00002' } }],
    }),
  );
  row.run('2026-03-03', '24h', JSON.stringify({ format: 2, papers: [{ id: '2603.00002' }] }));
  row.run('2026-03-02', '', JSON.stringify({ papers: [{ paper: { id: '2603.00001' } }] }));
  row.run('2026-02-27', '', '{"format": 3, "papers": [');
  // The release before migration 15 already stored a newer version once: that is not counted.
  old.exec("UPDATE papers SET version = 2, title = 'T2' WHERE id = '2603.00001'");
  // The fingerprints as that release listed them (its listDigestFingerprints' query).
  const before = fingerprintsBefore15(old);
  old.close();
  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    assert.deepEqual(listDigestFingerprints(db), before);
    assert.deepEqual(db.prepare('SELECT * FROM digest_papers ORDER BY horizon').raw().all(), [
      ['2603.00001', '2026-03-03', 'cs', ''],
      ['2603.00002', '2026-03-03', 'cs', '24h'],
    ]);
    const revised = (rows: string[][], changed: Record<string, string>) =>
      rows.map(([day, categories, horizon, f]) => {
        const suffix = changed[`${day} ${horizon}`];
        return [day, categories, horizon, suffix ? `${f}${suffix}` : f];
      });
    // A later listing stores version 3 of the first paper: the row that refers to it by key changes.
    db.exec("UPDATE papers SET version = 3, title = 'T3' WHERE id = '2603.00001'");
    assert.deepEqual(listDigestFingerprints(db), revised(before, { '2026-03-03 ': '|r1#2603.00001' }));
    // The second paper's other texts: the 24h row only (the other keeps its own copy).
    db.exec("UPDATE papers SET abstract = 'B, revised' WHERE id = '2603.00002'");
    assert.deepEqual(
      listDigestFingerprints(db),
      revised(before, { '2026-03-03 ': '|r1#2603.00001', '2026-03-03 24h': '|r1#2603.00002' }),
    );
    // Stored again as it is: nothing counted.
    db.exec("UPDATE papers SET abstract = 'B, revised' WHERE id = '2603.00002'");
    assert.deepEqual(
      listDigestFingerprints(db),
      revised(before, { '2026-03-03 ': '|r1#2603.00001', '2026-03-03 24h': '|r1#2603.00002' }),
    );
  } finally {
    db.close();
  }
});

test('a store written just before the revised papers were logged upgrades: its counts stay, and each later change names its paper', () => {
  const { path, old } = twoPapersJustBefore(MIGRATIONS[15]!, 'before-revised-papers.db');
  const row = digestRows(old);
  row.run(
    '2026-03-03',
    '',
    JSON.stringify({ format: 3, papers: [{ id: '2603.00001' }, { id: '2603.00002' }] }),
  );
  row.run('2026-03-02', '', JSON.stringify({ format: 3, papers: [{ id: '2603.00002' }] }));
  old.exec(`INSERT INTO digest_papers (paper_id, day, categories, horizon) VALUES
    ('2603.00001', '2026-03-03', 'cs', ''), ('2603.00002', '2026-03-03', 'cs', ''), ('2603.00002', '2026-03-02', 'cs', '')`);
  // The release before counted two changes of the first paper, by migration 15's trigger.
  old.exec("UPDATE papers SET version = 2, title = 'T2' WHERE id = '2603.00001'");
  old.exec("UPDATE papers SET version = 3, title = 'T3' WHERE id = '2603.00001'");
  const fingerprint = (day: string) =>
    old
      .prepare(
        "SELECT categories || '|' || horizon || '|' || observed_at || '|' || written_at || '|' || ifnull(markdown_sha256, '') FROM digests WHERE day = ?",
      )
      .pluck()
      .get(day) as string;
  const [newer, older] = [fingerprint('2026-03-03'), fingerprint('2026-03-02')];
  old.close();
  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    const listed = () => listDigestFingerprints(db).map((r) => r[3]);
    // The counts made before stay as they were: an incremental site keeps those days.
    assert.deepEqual(listed(), [`${newer}|r2`, older]);
    // The second paper's newer version: both days that refer to it name it, the count goes on.
    db.exec("UPDATE papers SET version = 2, title = 'U2' WHERE id = '2603.00002'");
    assert.deepEqual(listed(), [`${newer}|r3#2603.00002`, `${older}|r1#2603.00002`]);
    db.exec("UPDATE papers SET comment = '9 pages' WHERE id = '2603.00001'");
    assert.deepEqual(listed(), [`${newer}|r4#2603.00002 2603.00001`, `${older}|r1#2603.00002`]);
  } finally {
    db.close();
  }
});

test("a store written just before the months' tokens upgrades: each month of digest rows gets one, and later writes renew their month's", () => {
  const { path, old } = twoPapersJustBefore(MIGRATIONS[16]!, 'before-month-tokens.db');
  const row = digestRows(old);
  const digest = JSON.stringify({ format: 3, papers: [{ id: '2603.00001' }] });
  row.run('2026-03-03', '', digest);
  row.run('2026-03-03', '24h', digest);
  row.run('2026-02-27', '', digest);
  old.exec(`INSERT INTO digest_papers (paper_id, day, categories, horizon) VALUES
    ('2603.00001', '2026-03-03', 'cs', ''), ('2603.00001', '2026-02-27', 'cs', '')`);
  old.exec("UPDATE papers SET version = 2, title = 'T2' WHERE id = '2603.00001'");
  const before = fingerprintsBefore15(old);
  old.close();
  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    // Nothing lost: the rows and their revisions list as before.
    assert.deepEqual(
      listDigestFingerprints(db).map(([day, categories, horizon, f]) => [
        day,
        categories,
        horizon,
        f.split('|r')[0],
      ]),
      before,
    );
    const tokens = () => new Map(listDigestMonths(db));
    const first = tokens();
    assert.deepEqual([...first.keys()].sort(), ['2026-02', '2026-03']);
    assert.notEqual(first.get('2026-02'), first.get('2026-03'));
    // The paper's newer version: both months show it (each has a row referring to it by key).
    db.exec("UPDATE papers SET version = 3, title = 'T3' WHERE id = '2603.00001'");
    const second = tokens();
    assert.notEqual(second.get('2026-02'), first.get('2026-02'));
    assert.notEqual(second.get('2026-03'), first.get('2026-03'));
    // A row of March written again: March's only.
    db.exec(
      "UPDATE digests SET written_at = '2026-03-04T00:00:00.000Z' WHERE day = '2026-03-03' AND horizon = '24h'",
    );
    const third = tokens();
    assert.equal(third.get('2026-02'), second.get('2026-02'));
    assert.notEqual(third.get('2026-03'), second.get('2026-03'));
  } finally {
    db.close();
  }
});

/** The digest rows' fingerprints as the releases before migration 15 listed them (their listDigestFingerprints' query). */
function fingerprintsBefore15(db: Db): string[][] {
  return db
    .prepare(
      `SELECT day, categories, horizon, categories || '|' || horizon || '|' || observed_at || '|' || written_at || '|' || ifnull(markdown_sha256, '')
       FROM digests ORDER BY day DESC, categories DESC, horizon DESC`,
    )
    .raw()
    .all() as string[][];
}

/** An insert of a digest row into `db` (categories `cs`, 3 March's instants), run with its day, horizon and digest JSON. */
function digestRows(db: Db): Database.Statement<[string, string, string]> {
  return db.prepare(
    "INSERT INTO digests (day, categories, horizon, observed_at, digest, written_at) VALUES (?, 'cs', ?, '2026-03-03T18:00:00.000Z', ?, '2026-03-03T18:05:00.000Z')",
  );
}

/** A store just before migration `step` holding the listed paper 2603.00001 and a second one, 2603.00002. */
function twoPapersJustBefore(step: Migration, file: string): ReturnType<typeof storeJustBefore> {
  const made = storeJustBefore(step, file);
  made.old.exec(ONE_LISTED_PAPER);
  made.old.exec(`INSERT INTO papers (id, version, title, abstract, authors, categories, primary_category)
    VALUES ('2603.00002', 1, 'U', 'B', 'Bo', 'cs.LG', 'cs.LG')`);
  return made;
}
