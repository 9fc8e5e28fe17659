/**
 * Crash safety (DESIGN §8): a run killed with SIGKILL at random points and started again ends
 * with the same post, the same pushed commit, no duplicate rows and no partial or stray files.
 * The kill points come from a seeded generator (HOTPAPERS_CRASH_SEED, logged) so a failure can
 * be replayed; where they land in the run still depends on the machine's speed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { seededRandom } from '../../src/standins/random.js';
import { isTempName } from '../../src/util/atomic.js';
import { bareRepo, cliEnv, commitsOf, runCli, startDemoStandIns, tempDir } from './e2e-helpers.js';

const POST = '2021-06-09---Hot-Papers.md';
const KILLS = 4;

/** Each table with the columns that identify a row (its primary key). */
const KEYS: Record<string, string> = {
  papers: 'id',
  listing_days: 'day, categories',
  listings: 'day, categories, paper_id',
  posts: 'source, id',
  post_papers: 'source, post_id, paper_id',
  snapshots: 'source, post_id, observed_at',
  embeds: 'source, post_id',
  digests: 'day, categories, horizon',
};

function tableCounts(dbPath: string): Record<string, { rows: number; distinct: number }> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const out: Record<string, { rows: number; distinct: number }> = {};
    for (const [table, key] of Object.entries(KEYS)) {
      const rows = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const distinct = (
        db.prepare(`SELECT count(*) AS n FROM (SELECT DISTINCT ${key} FROM ${table})`).get() as { n: number }
      ).n;
      out[table] = { rows, distinct };
    }
    return out;
  } finally {
    db.close();
  }
}

function args(dir: string): string[] {
  return [
    'run',
    '--date',
    '2021-06-09',
    '--publish',
    '--db',
    join(dir, 'hp.db'),
    '--out',
    join(dir, 'content', 'posts'),
  ];
}

test('crash - SIGKILL at random points, then a re-run: same post and commit as an uninterrupted run, no duplicates, no stray files', async (t) => {
  const seed = Number(process.env.HOTPAPERS_CRASH_SEED ?? 20210609);
  t.diagnostic(`seed ${seed} (replay with HOTPAPERS_CRASH_SEED=${seed})`);
  const random = seededRandom(seed);
  // A little latency on every answer spreads the run over its stages, so kills land in all of them.
  const standIns = await startDemoStandIns(5);
  t.after(() => standIns.close());

  // The reference: one uninterrupted run in its own store and repository.
  const refDir = tempDir('hp-crash-ref-');
  const refRemote = bareRepo(refDir);
  const reference = await runCli(
    args(refDir),
    refDir,
    cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: refRemote }),
  );
  // Kill points: after a random line of the run's log (so in a random stage), plus a random
  // delay into the work that follows it.
  const lines = reference.stderr.split('\n').length - 1;
  assert.equal(reference.code, 0, reference.stderr);
  const expected = readFileSync(join(refDir, 'content', 'posts', POST));

  // The same run killed again and again in another store, then left to finish.
  const dir = tempDir('hp-crash-');
  const remote = bareRepo(dir);
  const env = cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: remote });
  const outcomes: string[] = [];
  for (let i = 0; i < KILLS; i++) {
    const afterLines = 1 + Math.floor(random() * (lines - 1));
    const delay = Math.round(150 * random());
    const killed = await runCli(args(dir), dir, env, { afterLines, afterMs: delay });
    // Where it died: the last thing it logged.
    const stage = killed.stderr.trim().split('\n').at(-1)?.slice(0, 48) || 'start-up';
    outcomes.push(
      `line ${afterLines}+${delay}ms: ${killed.signal ?? `exit ${killed.code}`} after "${stage}"`,
    );
    if (killed.signal === null) assert.equal(killed.code, 0, killed.stderr);
  }
  t.diagnostic(`kills: ${outcomes.join('; ')}`);
  assert.ok(
    outcomes.some((o) => o.includes('SIGKILL')),
    'at least one run was killed',
  );

  const last = await runCli(args(dir), dir, env);
  assert.equal(last.code, 0, last.stderr);
  assert.ok(
    readFileSync(join(dir, 'content', 'posts', POST)).equals(expected),
    'the post equals the uninterrupted run’s, byte for byte',
  );

  // One commit, holding the same post, however many runs reached the push.
  const commits = commitsOf(remote);
  assert.equal(commits.length, 1, `one commit, got ${commits.length}`);
  assert.ok(
    execFileSync('git', ['--git-dir', remote, 'show', `main:content/posts/${POST}`]).equals(expected),
  );

  // No duplicate rows, and the same rows as the uninterrupted store.
  const counts = tableCounts(join(dir, 'hp.db'));
  for (const [table, c] of Object.entries(counts)) assert.equal(c.rows, c.distinct, `duplicates in ${table}`);
  assert.deepEqual(counts, tableCounts(join(refDir, 'hp.db')));

  // No partial or temporary files, and no lock left behind.
  assert.deepEqual(readdirSync(join(dir, 'content', 'posts')), [POST]);
  assert.equal(existsSync(join(dir, 'hp.db.lock')), false);
  const strays = readdirSync(dir).filter((n) => isTempName(n) || n.includes('.stale-'));
  assert.deepEqual(strays, []);
});
