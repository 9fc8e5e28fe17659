/**
 * One run at a time per store: a lock file beside the database (`<db>.lock`), created with
 * O_EXCL and holding who made it. A lock left by a process that died on this host is taken
 * over; one held by a live process (or by another host, which we cannot check) stops the run.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { HotpapersError } from '../errors.js';
import { isAlive } from '../util/atomic.js';
import { type Logger, silentLogger } from '../util/log.js';

/** What a lock file holds. */
export interface LockInfo {
  pid: number;
  host: string;
  /** ISO instant, real clock. */
  startedAt: string;
  /** What the holder runs, e.g. `run 2021-06-09`; never raw arguments (they may hold secrets). */
  command: string;
}

/** A held lock. */
export interface Lock {
  path: string;
  info: LockInfo;
  /** Remove the lock file if it is still ours; safe to call twice. */
  release(): void;
}

export interface LockOptions {
  log?: Logger;
  /** Clock of `startedAt` (real time; replaceable for tests). */
  clock?: () => Date;
}

/** The lock file of a store. */
export function lockPathOf(dbPath: string): string {
  return `${dbPath}.lock`;
}

/** Take the store's lock or throw `lock: another hotpapers run (…) holds <path>`. */
export function acquireLock(dbPath: string, command: string, options: LockOptions = {}): Lock {
  const path = lockPathOf(dbPath);
  const log = options.log ?? silentLogger;
  const host = hostname();
  const info: LockInfo = {
    pid: process.pid,
    host,
    startedAt: (options.clock?.() ?? new Date()).toISOString(),
    command,
  };
  const body = `${JSON.stringify(info)}\n`;
  // The first run of a new store (e.g. a CI cache miss) may find no folder for it yet.
  mkdirSync(dirname(path), { recursive: true });
  // A few rounds cover the races: the holder releasing between our attempts, or two runs
  // taking over the same stale lock at once.
  for (let round = 0; round < 40; round++) {
    if (tryCreate(path, body)) return makeLock(path, info, body);
    const holder = readLock(path);
    if (holder === 'missing') continue;
    if (holder === 'unreadable') {
      // A holder killed between create and write leaves an empty file. A young one may be a
      // live holder about to write, so it gets a moment; an older one is stale.
      if (ageMs(path) < 2000) {
        pause(100);
        continue;
      }
      if (takeOver(path, null)) log.warn(`lock: removed an empty or damaged lock file ${path}`);
      continue;
    }
    if (holder.host === host && !isAlive(holder.pid)) {
      if (takeOver(path, holder)) {
        log.warn(
          `lock: took over a stale lock of pid ${holder.pid} (started ${holder.startedAt}, no longer running)`,
        );
      }
      continue;
    }
    const where = holder.host === host ? '' : ` on host ${holder.host}`;
    throw new HotpapersError(
      'lock',
      `another hotpapers run (pid ${holder.pid}${where}, started ${holder.startedAt}, command ${holder.command}) holds ${path}`,
    );
  }
  throw new HotpapersError('lock', `could not take ${path}: it keeps changing; is another run starting?`);
}

/** Run `fn` holding the store's lock; the lock goes on return, throw, exit or SIGINT/SIGTERM/SIGHUP. */
export async function withLock<T>(
  dbPath: string,
  command: string,
  fn: (lock: Lock) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = acquireLock(dbPath, command, options);
  const onExit = () => lock.release();
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    lock.release();
    detach();
    // Re-raise so the process ends the way the signal means (exit status 128+n).
    process.kill(process.pid, signal);
  };
  const detach = () => {
    process.off('exit', onExit);
    for (const s of signals) process.off(s, onSignal);
  };
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
  try {
    return await fn(lock);
  } finally {
    lock.release();
    detach();
  }
}

/** Read a lock file: its holder, `missing`, or `unreadable` (empty or not our JSON). */
export function readLock(path: string): LockInfo | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw new HotpapersError(
      'lock',
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.host === 'string') {
      return {
        pid: value.pid,
        host: value.host,
        startedAt: String(value.startedAt ?? '?'),
        command: String(value.command ?? '?'),
      };
    }
  } catch {
    // fall through
  }
  return 'unreadable';
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

// acquireLock is synchronous (it runs before anything else); a short blocking pause is fine.
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function tryCreate(path: string, body: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new HotpapersError('lock', `cannot create ${path} (${code ?? 'error'})`);
  }
  try {
    writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Move a stale lock out of the way. It is renamed to a private name first and checked: when
 * another run replaced it in the meantime we moved a live lock, so it is put back.
 */
function takeOver(path: string, stale: LockInfo | null): boolean {
  const grave = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, grave);
  } catch {
    return false;
  }
  const moved = readLock(grave);
  const same =
    stale === null
      ? moved === 'unreadable'
      : moved !== 'missing' &&
        moved !== 'unreadable' &&
        moved.pid === stale.pid &&
        moved.startedAt === stale.startedAt;
  if (!same) {
    try {
      linkSync(grave, path);
    } catch {
      // Someone holds a newer lock already; theirs stands.
    }
  }
  try {
    unlinkSync(grave);
  } catch {
    // already gone
  }
  return same;
}

function makeLock(path: string, info: LockInfo, body: string): Lock {
  let released = false;
  return {
    path,
    info,
    release() {
      if (released) return;
      released = true;
      try {
        // Only our own lock: a takeover by someone else (after we were thought dead) stands.
        if (readFileSync(path, 'utf8') === body) unlinkSync(path);
      } catch {
        // already gone
      }
    },
  };
}
