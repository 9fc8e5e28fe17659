/**
 * `hotpapers store` as a user runs it (child processes): figures on stdout, a damaged store or a
 * refused backup as exit 1 with one line on stderr naming the store, usage errors as exit 2.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { runCli } from '../helpers/cli.js';
import { damageLeafPage } from '../helpers/damage.js';
import { tempDir } from '../ops/e2e-helpers.js';

const dir = tempDir('hp-store-cli-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the store written by an older release (test/fixtures/store). */
function fixtureCopy(name: string): string {
  const path = join(dir, name);
  copyFileSync(new URL('../fixtures/store/fa51622.db', import.meta.url), path);
  return path;
}

test('store info, check and backup on a whole store', async () => {
  const db = fixtureCopy('whole.db');
  const info = await runCli(['store', 'info', '--json'], { HOTPAPERS_DB: db }, { cwd: dir });
  assert.equal(info.code, 0, info.stderr);
  const figures = JSON.parse(info.stdout) as { path: string; schema: { version: number }; pages: number };
  assert.equal(figures.path, db);
  assert.equal(figures.schema.version, 2);
  assert.ok(figures.pages > 0);

  // In words, on a copy upgraded as the next run would: its listings and what each costs.
  const current = fixtureCopy('current.db');
  openStore(current).close();
  const words = await runCli(['store', 'info', '--db', current], {}, { cwd: dir });
  assert.equal(words.code, 0, words.stderr);
  assert.match(
    words.stdout,
    /^.*current\.db: \d+ KB, schema \d+ \(current\)\npages: \d+ of \d+ bytes, \d+ free; journal wal\nlistings: 3 \(2020-12-14 to 2021-06-09\), ~\d+ KB each; digests: \d+\n$/,
  );

  const check = await runCli(['store', 'check', '--db', db], {}, { cwd: dir });
  assert.equal(check.code, 0, check.stderr);
  assert.match(
    check.stdout,
    /: ok \(pages, references\), schema 2 \(this hotpapers has \d+; the next post or listen upgrades it in place\)\n$/,
  );
  assert.equal(check.stderr, '');

  // Into a folder not made yet, as the weekly recipe of `init --cron` does.
  const copy = join(dir, 'backups', 'copy.db');
  const backup = await runCli(['store', 'backup', copy, '--db', db], {}, { cwd: dir });
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /whole\.db → .*copy\.db: \d+ KB, schema 2\n$/);
  const again = await runCli(['store', 'backup', copy, '--db', db], {}, { cwd: dir });
  assert.equal(again.code, 1);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /^store: .*copy\.db already exists \(add --force to replace it\)\n$/);
});

test('a damaged store: check exits 1, lists the problems and names the store in one line', async () => {
  const db = fixtureCopy('damaged.db');
  damageLeafPage(db, 'posts');
  const check = await runCli(['store', 'check', '--db', db], {}, { cwd: dir });
  assert.equal(check.code, 1);
  assert.match(check.stdout, /^ {2}\S/);
  const lines = check.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, check.stderr);
  assert.match(lines[0]!, /^store: .*damaged\.db: the check found \d+ problem\(s\), the first: /);
});

test('compact gives free pages back, and waits for no run: a held run lock stops it', async () => {
  const db = fixtureCopy('compact.db');
  const raw = new Database(db);
  raw.exec('CREATE TABLE scratch (x BLOB); INSERT INTO scratch SELECT randomblob(100000);');
  raw.exec('DROP TABLE scratch');
  raw.close();
  // A live holder: this test's own process, on this host.
  const lock = `${db}.lock`;
  writeFileSync(
    lock,
    `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command: 'run 2021-06-09' })}\n`,
  );
  const refused = await runCli(['store', 'compact', '--db', db], {}, { cwd: dir });
  assert.equal(refused.code, 1);
  assert.match(
    refused.stderr,
    /^lock: another hotpapers run \(pid \d+, started .*, command run 2021-06-09\) holds .*compact\.db\.lock\n$/,
  );
  rmSync(lock);
  const done = await runCli(['store', 'compact', '--db', db, '--json'], {}, { cwd: dir });
  assert.equal(done.code, 0, done.stderr);
  const result = JSON.parse(done.stdout) as { before: number; after: number };
  assert.ok(result.after < result.before - 50_000, `${result.before} → ${result.after}`);
  assert.equal(existsSync(lock), false, 'the lock is released');
});

test('no store, or no subcommand: a clear error, and nothing created', async () => {
  const absent = join(dir, 'absent.db');
  const info = await runCli(['store', 'info', '--db', absent], {}, { cwd: dir });
  assert.equal(info.code, 1);
  assert.equal(info.stderr, `store: no store at ${absent} (set HOTPAPERS_DB or --db)\n`);
  assert.equal(existsSync(absent), false);
  // compact takes the run lock: not before it knows there is a store (nor the folder made).
  const elsewhere = join(dir, 'no-such-folder', 'hp.db');
  const compact = await runCli(['store', 'compact', '--db', elsewhere], {}, { cwd: dir });
  assert.equal(compact.code, 1);
  assert.equal(compact.stderr, `store: no store at ${elsewhere} (set HOTPAPERS_DB or --db)\n`);
  assert.equal(existsSync(join(dir, 'no-such-folder')), false);
  const bare = await runCli(['store'], {}, { cwd: dir });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage: hotpapers store \[options\] \[command\]/);
});
