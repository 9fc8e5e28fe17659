import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { acquireLock, lockPathOf, readLock, withLock } from '../../src/ops/lock.js';
import type { Logger } from '../../src/util/log.js';

const tmpDb = () => join(mkdtempSync(join(tmpdir(), 'hp-lock-')), 'hotpapers.db');

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
    progress() {},
  };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

/** A child process that takes the lock through withLock and waits to be killed. */
async function holder(db: string): Promise<ChildProcess> {
  const code = `
    const { withLock } = await import(${JSON.stringify(new URL('../../src/ops/lock.ts', import.meta.url).href)});
    await withLock(${JSON.stringify(db)}, 'run 2021-06-09', async () => {
      process.stdout.write('held\\n');
      await new Promise((r) => setTimeout(r, 60_000));
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('held') && resolve());
    child.on('exit', () => reject(new Error('holder exited early')));
  });
  return child;
}

test('acquireLock - creates <db>.lock with pid, host, startedAt and command; release removes it', () => {
  const db = tmpDb();
  const lock = acquireLock(db, 'run 2021-06-09', { clock: () => new Date('2021-06-10T18:07:48Z') });
  assert.equal(lock.path, `${db}.lock`);
  assert.deepEqual(JSON.parse(readFileSync(lock.path, 'utf8')), {
    pid: process.pid,
    host: hostname(),
    startedAt: '2021-06-10T18:07:48.000Z',
    command: 'run 2021-06-09',
  });
  lock.release();
  assert.equal(existsSync(lock.path), false);
  lock.release(); // twice is harmless
});

test('acquireLock - creates the store folder when it does not exist yet (first run, CI cache miss)', () => {
  const db = join(tmpDb(), '..', 'new', 'folder', 'hotpapers.db');
  const lock = acquireLock(db, 'run');
  assert.equal(existsSync(`${db}.lock`), true);
  lock.release();
});

test('acquireLock - a live holder stops a second run with one line naming it', () => {
  const db = tmpDb();
  const first = acquireLock(db, 'backfill 2021-06-01..2021-06-11', {
    clock: () => new Date('2021-06-10T18:07:48Z'),
  });
  assert.throws(() => acquireLock(db, 'run 2021-06-09'), {
    message: `lock: another hotpapers run (pid ${process.pid}, started 2021-06-10T18:07:48.000Z, command backfill 2021-06-01..2021-06-11) holds ${db}.lock`,
  });
  // The failed attempt did not disturb the holder's file.
  assert.equal((readLock(first.path) as { command: string }).command, 'backfill 2021-06-01..2021-06-11');
  first.release();
});

test('acquireLock - takes over a stale lock of a dead process on this host, with a warning', async () => {
  const db = tmpDb();
  const pid = await deadPid();
  writeFileSync(
    lockPathOf(db),
    JSON.stringify({ pid, host: hostname(), startedAt: '2021-06-10T00:00:00.000Z', command: 'run' }),
  );
  const log = recorder();
  const lock = acquireLock(db, 'run 2021-06-09', { log });
  assert.equal((readLock(lock.path) as { pid: number }).pid, process.pid);
  assert.deepEqual(log.lines, [
    `warn lock: took over a stale lock of pid ${pid} (started 2021-06-10T00:00:00.000Z, no longer running)`,
  ]);
  lock.release();
});

test('acquireLock - a lock from another host is never taken over (its pid cannot be checked)', async () => {
  const db = tmpDb();
  const pid = await deadPid();
  writeFileSync(lockPathOf(db), JSON.stringify({ pid, host: 'runner-7', startedAt: 'x', command: 'run' }));
  assert.throws(() => acquireLock(db, 'run'), {
    message: `lock: another hotpapers run (pid ${pid} on host runner-7, started x, command run) holds ${db}.lock`,
  });
});

test('acquireLock - an old empty lock (holder killed before writing) is taken over', () => {
  const db = tmpDb();
  const path = lockPathOf(db);
  writeFileSync(path, '');
  const old = new Date(Date.now() - 60_000);
  utimesSync(path, old, old);
  const log = recorder();
  const lock = acquireLock(db, 'run', { log });
  assert.match(log.lines[0]!, /^warn lock: removed an empty or damaged lock file /);
  lock.release();
});

test('withLock - returns the value and releases on success and on throw', async () => {
  const db = tmpDb();
  assert.equal(await withLock(db, 'run', async () => 42), 42);
  assert.equal(existsSync(lockPathOf(db)), false);
  await assert.rejects(
    withLock(db, 'run', async () => {
      assert.equal(existsSync(lockPathOf(db)), true);
      throw new Error('boom');
    }),
    { message: 'boom' },
  );
  assert.equal(existsSync(lockPathOf(db)), false);
});

test('withLock - across processes: held while the holder lives, released on SIGTERM, stale after SIGKILL', async () => {
  const db = tmpDb();
  const a = await holder(db);
  assert.throws(() => acquireLock(db, 'run'), {
    message: new RegExp(`^lock: another hotpapers run \\(pid ${a.pid}, `),
  });
  const exitA = new Promise<string | null>((r) => a.on('exit', (_code, signal) => r(signal)));
  a.kill('SIGTERM');
  assert.equal(await exitA, 'SIGTERM');
  assert.equal(existsSync(lockPathOf(db)), false, 'SIGTERM released the lock');

  const b = await holder(db);
  const exitB = new Promise((r) => b.on('exit', r));
  b.kill('SIGKILL');
  await exitB;
  assert.equal((readLock(lockPathOf(db)) as { pid: number }).pid, b.pid, 'SIGKILL leaves the lock behind');
  const log = recorder();
  const lock = acquireLock(db, 'run', { log });
  assert.match(log.lines[0]!, new RegExp(`took over a stale lock of pid ${b.pid}`));
  lock.release();
});
