/**
 * Looking after a store kept for years (src/store/maintenance.ts): what `store info` reports,
 * what `store check` finds in a damaged store, a backup taken while another connection writes,
 * and `store compact` giving free pages back, none of them changing what the store holds.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { matchPosts } from '../../src/match/match.js';
import { DEFAULT_THRESHOLDS, rankDay } from '../../src/rank/score.js';
import { tweetToPost } from '../../src/sources/x.js';
import { standInToPaper, worldDay } from '../../src/standins/world.js';
import { openStore } from '../../src/store/db.js';
import { storedPostId } from '../../src/store/derived.js';
import { observationsOf, saveDigest } from '../../src/store/digests.js';
import { saveListing } from '../../src/store/listings.js';
import { backupStore, checkStore, compactStore, storeInfo } from '../../src/store/maintenance.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { loadPostsForPapers, savePosts } from '../../src/store/posts.js';
import type { DayDigest } from '../../src/types.js';
import { isTempName } from '../../src/util/atomic.js';
import { damageLeafPage } from '../helpers/damage.js';
import { tempDir } from '../ops/e2e-helpers.js';

const dir = tempDir('hp-maintenance-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A store of `days` days of 40 papers and 300 posts each, ranked and digested as the pipeline writes them; closed. */
function makeStore(name: string, days = 2): { path: string; posts: number } {
  const path = join(dir, name);
  const db = openStore(path);
  let posts = 0;
  for (let d = 0; d < days; d++) {
    const day = `2026-01-0${5 + d}`;
    const at = `${day}T18:00:00.000Z`;
    const world = worldDay({ day, papers: 40, posts: 300, users: 40, seed: 11 + d });
    const papers = world.papers.map(standInToPaper);
    saveListing(db, { day, categories: ['cs', 'stat.ML'], method: 'api', papers, notes: [] }, at);
    const users = new Map(world.users.map((u) => [u.id, u]));
    const matched = matchPosts(
      world.tweets.map((t) => tweetToPost(t, users.get(t.author_id ?? ''))),
      new Set(papers.map((p) => p.id)),
    );
    savePosts(db, matched, at);
    posts += new Set(matched.map((m) => m.post.id)).size;
    // The day ranked and its digest saved, as `post` does.
    const loaded = loadPostsForPapers(
      db,
      papers.map((p) => p.id),
      at,
      ['x'],
    );
    const weights = { x: 1, bluesky: 1, hn: 1, hf: 1 };
    const thresholds = { ...DEFAULT_THRESHOLDS, minPaperScore: 5 };
    const ranked = rankDay({ papers, posts: loaded, weights, thresholds });
    const digest: DayDigest = {
      day,
      categories: ['cs', 'stat.ML'],
      observedAt: at,
      weights,
      thresholds,
      listed: papers.length,
      postsFound: loaded.length,
      papers: ranked,
      health: [{ source: 'x', status: 'ok', posts: loaded.length, requests: 1 }],
    };
    saveDigest(db, digest, {
      categoriesKey: 'cs,stat.ML',
      writtenAt: at,
      observedAt: observationsOf(loaded),
    });
  }
  db.close();
  return { path, posts };
}

/** What a store holds, table by table, in key order (compared before and after). */
function contents(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    const hash = createHash('sha256');
    for (const t of tables) {
      hash.update(`${t}\n`);
      const rows = (db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((row) =>
        JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)),
      );
      for (const row of rows.sort()) hash.update(`${row}\n`);
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

const fileHash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('info reports the days, digests, schema and (with counts) each table, changing nothing', () => {
  const { path, posts } = makeStore('info.db');
  const before = fileHash(path);
  const info = storeInfo(path, { counts: true });
  assert.deepEqual(info.schema, { version: MIGRATIONS.length, current: MIGRATIONS.length });
  assert.deepEqual(info.listings, { count: 2, first: '2026-01-05', last: '2026-01-06' });
  assert.equal(info.digests, 2);
  assert.equal(info.pageSize, 8192);
  assert.equal(info.fileBytes, info.pages * info.pageSize);
  const table = (name: string) => info.tables?.find((t) => t.name === name);
  assert.equal(table('post_rows')?.rows, posts);
  assert.equal(table('listings')?.rows, 80);
  assert.ok((table('post_rows')?.bytes ?? 0) > 0, 'bytes per table from dbstat');
  assert.equal(fileHash(path), before, 'the file is unchanged');
  // A read-only connection cannot remove the log when it closes: it leaves it empty.
  assert.ok(!existsSync(`${path}-wal`) || readFileSync(`${path}-wal`).length === 0, 'nothing logged');
});

test('info and check read an older store as it is: no migration', () => {
  const path = join(dir, 'old.db');
  copyFileSync(new URL('../fixtures/store/fa51622.db', import.meta.url), path);
  const before = fileHash(path);
  const info = storeInfo(path, { counts: true });
  assert.equal(info.schema.version, 2);
  assert.equal(info.tables, undefined, "an older schema's tables are not counted");
  const old = checkStore(path);
  assert.deepEqual(old.problems, []);
  assert.equal(old.digests, null, "an older schema's digests load once it is upgraded");
  assert.equal(fileHash(path), before);
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), 2);
  db.close();
});

test('check finds a link to a missing post, and a damaged page', () => {
  const { path } = makeStore('damaged.db');
  assert.deepEqual(checkStore(path).problems, []);
  assert.deepEqual(checkStore(path, { quick: true }).problems, []);

  // A link to a post the store does not hold, written with the references unchecked.
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  db.prepare(
    "INSERT INTO post_papers (source, post_id, paper_id) VALUES ('x', 'no-such-post', '2601.00001')",
  ).run();
  db.close();
  assert.deepEqual(checkStore(path).problems, [
    '1 row(s) of post_papers refer to a missing row of post_rows',
  ]);

  // Garbage over the cell pointers of one of post_rows' leaf pages.
  damageLeafPage(path, 'post_rows');
  const found = checkStore(path).problems;
  // SQLite lists what it finds, or stops at the page (which of the two depends on where the
  // garbage falls); either way a problem other than the link above is reported.
  assert.ok(
    found.some((p) => /page|cell|Tree|malformed/i.test(p) && !/missing row/.test(p)),
    `the damaged page is reported: ${found.join(' | ')}`,
  );
  assert.ok(checkStore(path, { quick: true }).problems.length > 0, 'the quick check finds it too');
});

test('check loads every digest back: a post a digest refers to, gone, is found', () => {
  const { path } = makeStore('digest.db');
  const whole = checkStore(path);
  assert.deepEqual(whole.problems, []);
  assert.equal(whole.digests, 2);
  const db = new Database(path);
  const [day, digest] = db.prepare('SELECT day, digest FROM digests ORDER BY day LIMIT 1').raw().get() as [
    string,
    string,
  ];
  // A post of the day's first ranked paper, by its key in the digest (format 3).
  const first = (JSON.parse(digest) as { papers: Array<{ ids: string[] }> }).papers[0]!.ids[0]!;
  const id = storedPostId(first);
  // Removed with its links and snapshots, so no reference between tables is left dangling.
  db.prepare("DELETE FROM post_papers WHERE source = 'x' AND post_id = ?").run(id);
  db.prepare("DELETE FROM snapshot_rows WHERE source = 'x' AND post_id = ?").run(id);
  db.prepare("DELETE FROM post_rows WHERE source = 'x' AND id = ?").run(id);
  db.close();
  const problems = checkStore(path).problems;
  assert.equal(problems.length, 1, problems.join(' | '));
  assert.match(
    problems[0]!,
    new RegExp(
      `^digest ${day} cs,stat\\.ML does not load: digest of ${day} refers to post x:${first} observed .*, not in the store$`,
    ),
  );
});

test('a backup is one consistent snapshot taken while another connection writes, and checks out', async () => {
  const { path } = makeStore('live.db');
  const target = join(dir, 'backups-live.db');
  const writer = openStore(path);
  // Another writer, as `listen` would be, mid-transaction: its rows are not committed yet.
  writer.exec('BEGIN IMMEDIATE');
  writer
    .prepare(
      "INSERT INTO runs (command, started_at, status) VALUES ('post', '2026-01-07T00:00:00Z', 'running')",
    )
    .run();
  const committed = contents(path);
  const result = await backupStore(path, target);
  writer.exec('COMMIT');
  writer.close();
  assert.equal(result.to, target);
  assert.equal(result.schema.version, MIGRATIONS.length);
  assert.equal(contents(target), committed, 'the copy holds what was committed when it was taken');
  assert.notEqual(contents(path), committed, 'the writer committed after it');
  assert.deepEqual(checkStore(target).problems, []);
  // The copy is a store like any other: the daily run opens it.
  openStore(target).close();
  assert.deepEqual(readdirSync(dir).filter(isTempName), [], 'no temporary copy left');
});

test('a backup removes the temporary copy a killed backup left, and only that', async () => {
  const { path } = makeStore('killed.db', 1);
  const target = join(dir, 'backups-killed.db');
  // Left by a process that is gone (a pid no process has), and one of a live process (this one).
  const stale = join(dir, '.backups-killed.db.2147483646.0badf00d.tmp');
  const live = join(dir, `.backups-killed.db.${process.pid}.0badf00d.tmp`);
  writeFileSync(stale, 'half a copy');
  writeFileSync(live, 'another backup at work');
  await backupStore(path, target);
  assert.equal(existsSync(stale), false, 'the dead process left it: removed');
  assert.equal(existsSync(live), true, 'a live process may still be writing it: kept');
  rmSync(live);
  assert.equal(contents(target), contents(path));
});

test('a backup never replaces a file unless forced, nor the store itself', async () => {
  const { path } = makeStore('src.db', 1);
  const target = join(dir, 'existing.db');
  copyFileSync(path, target);
  const before = fileHash(target);
  await assert.rejects(
    backupStore(path, target),
    /^StoreError: store: .*existing\.db already exists \(add --force/,
  );
  assert.equal(fileHash(target), before);
  await assert.rejects(backupStore(path, path, { force: true }), /onto itself/);
  // The same file by another name (a hard link, as a symbolic one or a second mount would be).
  const alias = join(dir, 'alias.db');
  linkSync(path, alias);
  await assert.rejects(backupStore(path, alias, { force: true }), /onto itself/);
  await backupStore(path, target, { force: true });
  assert.equal(contents(target), contents(path));
  await assert.rejects(backupStore(join(dir, 'absent.db'), join(dir, 'x.db')), /no store at .*absent\.db/);
  assert.equal(existsSync(join(dir, 'absent.db')), false, 'no store is created by asking');
});

test('compact gives the pages of deleted rows back and keeps every row', () => {
  const { path } = makeStore('compact.db', 3);
  const db = new Database(path);
  // Free pages, as an old migration or a cleanup leaves them.
  db.exec(
    'CREATE TABLE scratch (x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO scratch SELECT randomblob(4000) FROM n;',
  );
  db.close();
  const withScratch = storeInfo(path).fileBytes;
  const db2 = new Database(path);
  db2.exec('DROP TABLE scratch');
  db2.close();
  const kept = contents(path);
  assert.ok(storeInfo(path).freePages > 100, 'the dropped table left free pages');
  const result = compactStore(path);
  assert.ok(result.after < result.before, `${result.before} → ${result.after}`);
  assert.ok(result.after < withScratch - 1_500_000);
  assert.equal(storeInfo(path).freePages, 0);
  assert.equal(contents(path), kept, 'every row is still there');
  assert.deepEqual(checkStore(path).problems, []);
});
