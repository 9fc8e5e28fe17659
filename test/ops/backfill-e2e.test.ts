/**
 * Backfill end to end: ten mailing days served by stand-ins, the CLI killed part-way, then
 * started again: it skips the days done, finishes the rest, and ends with ten posts identical
 * to those of an uninterrupted backfill; `--publish` then commits them once.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { mailingDaysBetween } from '../../src/arxiv/schedule.js';
import { bareRepo, cliEnv, commitsOf, runCli, startStandIns, syntheticDays, tempDir } from './e2e-helpers.js';

const FROM = '2021-06-07';
const TO = '2021-06-18';

function args(dir: string, ...extra: string[]): string[] {
  return [
    'backfill',
    '--from',
    FROM,
    '--to',
    TO,
    '--db',
    join(dir, 'hp.db'),
    '--out',
    join(dir, 'posts'),
    ...extra,
  ];
}

test('backfill - 10 mailing days, killed part-way and resumed, ends with the 10 posts of an uninterrupted backfill', async (t) => {
  const days = mailingDaysBetween(FROM, TO);
  assert.equal(days.length, 10);
  const data = syntheticDays(days);
  const standIns = await startStandIns(data.papers, data.x, '2021-06-19T12:00:00Z');
  t.after(() => standIns.close());
  const names = days.map((d) => `${d}---Hot-Papers.md`);

  const refDir = tempDir('hp-bf-ref-');
  const reference = await runCli(args(refDir), refDir, cliEnv(standIns));
  assert.equal(reference.code, 0, reference.stderr);
  assert.deepEqual(readdirSync(join(refDir, 'posts')).sort(), names);
  assert.match(reference.stderr, /^backfill: 10 posts for 10 mailing days \(10 run, 0 already complete\)$/m);

  const dir = tempDir('hp-bf-');
  const remote = bareRepo(dir);
  const env = cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: remote });
  const killed = await runCli(args(dir, '--publish'), dir, env, { when: /\(4\/10, eta / });
  assert.equal(killed.signal, 'SIGKILL');
  const partial = readdirSync(join(dir, 'posts'));
  assert.ok(partial.length >= 4 && partial.length < 10, `killed part-way (${partial.length} posts)`);
  assert.deepEqual(commitsOf(remote), [], 'nothing published by the killed run');

  const resumed = await runCli(args(dir, '--publish'), dir, env);
  assert.equal(resumed.code, 0, resumed.stderr);
  const skipped = (resumed.stderr.match(/^backfill: \S+ skipped /gm) ?? []).length;
  assert.ok(skipped >= 4, `the days done were skipped (${skipped})`);
  assert.match(
    resumed.stderr,
    new RegExp(
      `^backfill: 10 posts for 10 mailing days \\(${10 - skipped} run, ${skipped} already complete\\)$`,
      'm',
    ),
  );
  assert.deepEqual(readdirSync(join(dir, 'posts')).sort(), names, 'ten posts, no stray files');
  for (const name of names) {
    assert.ok(
      readFileSync(join(dir, 'posts', name)).equals(readFileSync(join(refDir, 'posts', name))),
      `${name} as uninterrupted`,
    );
  }
  const db = new Database(join(dir, 'hp.db'), { readonly: true });
  const digests = db.prepare('SELECT count(*) AS n, count(DISTINCT day) AS d FROM digests').get() as {
    n: number;
    d: number;
  };
  db.close();
  assert.deepEqual(digests, { n: 10, d: 10 });

  // The range is published in one commit; publishing it again commits nothing.
  assert.equal(commitsOf(remote).length, 1);
  const tree = execFileSync(
    'git',
    ['--git-dir', remote, 'ls-tree', '--name-only', 'main', 'content/posts/'],
    { encoding: 'utf8' },
  );
  assert.deepEqual(
    tree.trim().split('\n'),
    names.map((n) => `content/posts/${n}`),
  );
  const again = await runCli(args(dir, '--publish'), dir, env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /^backfill: 10 posts for 10 mailing days \(0 run, 10 already complete\)$/m);
  assert.match(again.stderr, /^backfill: nothing new to publish$/m);
  assert.equal(commitsOf(remote).length, 1);
});
