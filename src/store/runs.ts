/** The runs table: one row per command run, with its status and each source's health. */
import { hostname } from 'node:os';
import { lockPathOf, readLock } from '../ops/lock.js';
import type { SourceHealth } from '../types.js';
import { isAlive } from '../util/atomic.js';
import { redact } from '../util/redact.js';
import type { Db } from './db.js';

/**
 * Record the start of a run; returns its id. Rows still `running` from a run that was killed
 * are marked `interrupted` first, when the store's lock shows no live run holds them.
 */
export function startRun(db: Db, command: string, day: string | undefined, startedAt: string): number {
  if (!liveHolderElsewhere(db)) markInterrupted(db, startedAt);
  const info = db
    .prepare("INSERT INTO runs (command, day, started_at, status) VALUES (?, ?, ?, 'running')")
    .run(command, day ?? null, startedAt);
  return Number(info.lastInsertRowid);
}

/** Mark every `running` row as `interrupted` (its process ended without finishing); returns how many. */
export function markInterrupted(db: Db, at: string): number {
  return db
    .prepare(
      "UPDATE runs SET status = 'interrupted', ended_at = COALESCE(ended_at, ?), detail = COALESCE(detail, 'the run ended without finishing (killed or crashed)') WHERE status = 'running'",
    )
    .run(at).changes;
}

/**
 * True when the store's lock file names a live process other than this one: its `running`
 * rows may be real. A store without a lock (or in memory) has no other live run we could know.
 */
export function liveHolderElsewhere(db: Db): boolean {
  const file = db.name;
  if (!file || file === ':memory:') return false;
  let holder: ReturnType<typeof readLock>;
  try {
    holder = readLock(lockPathOf(file));
  } catch {
    return true; // cannot tell: leave the rows alone
  }
  if (holder === 'missing' || holder === 'unreadable') return false;
  if (holder.host !== hostname()) return true;
  return holder.pid !== process.pid && isAlive(holder.pid);
}

export interface RunEnd {
  status: 'ok' | 'partial' | 'failed';
  endedAt: string;
  health?: SourceHealth[];
  requests?: Record<string, number>;
  detail?: string;
}

/** Record how a run ended. */
export function finishRun(db: Db, id: number, end: RunEnd): void {
  db.prepare(
    'UPDATE runs SET status = ?, ended_at = ?, health = ?, requests = ?, detail = ? WHERE id = ?',
  ).run(
    end.status,
    end.endedAt,
    // Details may quote a service: the store never keeps what the redactor would mask.
    end.health ? redact(JSON.stringify(end.health)) : null,
    end.requests ? JSON.stringify(end.requests) : null,
    end.detail === undefined ? null : redact(end.detail),
    id,
  );
}

/** The most recent runs, newest first (`detail`: the error line of one that failed). */
export function recentRuns(
  db: Db,
  limit = 20,
): Array<{
  id: number;
  command: string;
  day: string | null;
  status: string;
  startedAt: string;
  endedAt: string | null;
  health: SourceHealth[];
  detail: string | null;
}> {
  const rows = db
    .prepare(
      'SELECT id, command, day, status, started_at, ended_at, health, detail FROM runs ORDER BY id DESC LIMIT ?',
    )
    .all(limit) as Array<{
    id: number;
    command: string;
    day: string | null;
    status: string;
    started_at: string;
    ended_at: string | null;
    health: string | null;
    detail: string | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    command: r.command,
    day: r.day,
    status: r.status,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    health: healthOf(r.health),
    detail: r.detail,
  }));
}

/** A run's stored health; none when the column is empty or not a list (a row damaged by hand). */
export function healthOf(stored: string | null): SourceHealth[] {
  if (!stored) return [];
  try {
    const list = JSON.parse(stored) as unknown;
    return Array.isArray(list) ? (list as SourceHealth[]) : [];
  } catch {
    return [];
  }
}

/**
 * A string that changes when a run finishes or a digest is written outside any run, and stays the
 * same while a run is in progress (runs started in the last `staleMs` and not ended), so a
 * watcher reacts once per finished run, not to its intermediate writes.
 */
export function finishedWorkSignature(db: Db, nowMs: number, staleMs = 30 * 60_000): string | undefined {
  const since = new Date(nowMs - staleMs).toISOString();
  const running = db
    .prepare("SELECT count(*) FROM runs WHERE status = 'running' AND started_at > ?")
    .pluck()
    .get(since) as number;
  if (running > 0) return undefined;
  const runs = db.prepare("SELECT max(id) FROM runs WHERE status != 'running'").pluck().get() as
    | number
    | null;
  const digests = db.prepare('SELECT count(*) AS n, max(written_at) AS w FROM digests').get() as {
    n: number;
    w: string | null;
  };
  return `${runs ?? 0}|${digests.n}|${digests.w ?? ''}`;
}
