/**
 * `hotpapers status`: is the daily operation keeping up? The recent runs, the mailing days due
 * that have no post (with the backfill that fills them), holidays told apart by the runs that met
 * them, and whether the Bluesky listener is still saving. Reads the store only.
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { isNoMailingLine } from '../arxiv/no-mailing.js';
import { latestMailing, mailingDaysBetween, previousMailing } from '../arxiv/schedule.js';
import { X_DOLLARS_PER_POST_READ, X_DOLLARS_PER_USER_READ } from '../sources/x-pricing.js';
import type { Db } from '../store/db.js';
import { storeBytes } from '../store/maintenance.js';
import { healthOf, liveHolderElsewhere, recentRuns } from '../store/runs.js';
import { formatSize } from '../util/text.js';

/** One run as status shows it. */
export interface StatusRun {
  command: string;
  day: string | null;
  status: string;
  startedAt: string;
  endedAt: string | null;
  /** Sources that failed in it. */
  failedSources: string[];
  /** Its error line, for a run that failed. */
  detail: string | null;
}

/** What status found. */
export interface StatusReport {
  /** The categories key the days are counted for. */
  categories: string;
  /** Stored days of that key (any horizon): how many, the first and the last. */
  stored: { days: number; first: string | null; last: string | null };
  /** Other categories keys with stored days (when the configured one has none, a likely mix-up). */
  otherKeys: string[];
  /** The newest runs, newest first. */
  runs: StatusRun[];
  /** Whether a live process holds the store's run lock (a `running` row is then real). */
  runHeld: boolean;
  /** True when the only days stored are the demo's: no day is due yet. */
  demoOnly?: boolean;
  /** The mailing days looked at: the last `days` due, from the first stored day on (null: none). */
  window: { from: string; to: string } | null;
  /** Days of the window with a post. */
  posted: number;
  /** Days of the window with no post, oldest first. */
  missing: string[];
  /** Days of the window with no post whose run found no mailing (arXiv holidays). */
  holidays: string[];
  /** The Bluesky listener, when one ever saved a cursor in this store. */
  listener?: { lastEventAt: string; savedAt: string; minutesSinceSave: number; stale: boolean };
  /** X's billed reads by the runs started in the last `days` days; absent when none read X. */
  xReads?: XReads;
  /** The store's size, what a posted day adds on average, and the room left where it lives (absent in memory). */
  disk?: StoreDisk;
  /** What needs a person, one line each (exit 1 when any). */
  problems: string[];
}

/** The store on its disk. */
export interface StoreDisk {
  /** The store's file and its write-ahead log, in bytes. */
  bytes: number;
  /** Its size over the days it has a post of (any categories); null with none. */
  perDay: number | null;
  /** Free bytes for this user on the store's file system. */
  freeBytes: number;
  /** How many more days at perDay fit in freeBytes; null with no day yet. */
  daysLeft: number | null;
}

/** What the runs of a recent period read from X, and what X bills for it at most. */
export interface XReads {
  days: number;
  /** The period's start (real clock: X bills by it). */
  since: string;
  /** Runs in it whose X source ran. */
  runs: number;
  posts: number;
  users: number;
  /** The posts at X's rate per post read (an upper bound: X bills a post read twice in a UTC day once). */
  dollars: number;
  /** The users at its rate per user read, if X bills them. */
  userDollars: number;
}

export interface StatusOptions {
  /** Categories key of the configured categories (as digests are keyed). */
  categories: string;
  /** The instant whose due days are counted (the configured clock: HOTPAPERS_NOW in tests). */
  now: Date;
  /** The real clock, for the listener's last save (written by the real clock). */
  realNow: Date;
  /** How many of the latest due mailing days to look at. */
  days: number;
  /** A day is due once its announcement is this many hours old (the daily run has had its time). */
  dueAfterHours: number;
  /** The listener is stale once it has saved nothing for this many minutes. */
  listenerStaleMinutes: number;
  /** How many runs to list. */
  runs?: number;
  /** The period, in days up to `realNow`, whose X reads are added up (default 30). */
  xDays?: number;
  /** Free bytes on the file system of `path` (tests stand in for the disk; default statfs). */
  freeBytes?: (path: string) => number;
  /** Fewer days than this left on the store's disk need a person (default 30). */
  minDaysLeft?: number;
}

/** The status of the store `db` as of `options.now`. */
export function readStatus(db: Db, options: StatusOptions): StatusReport {
  const report: StatusReport = {
    categories: options.categories,
    stored: { days: 0, first: null, last: null },
    otherKeys: [],
    runs: latestRuns(db, options.runs ?? 5),
    runHeld: liveHolderElsewhere(db),
    window: null,
    posted: 0,
    missing: [],
    holidays: [],
    problems: [],
  };
  const stored = db
    .prepare(
      'SELECT count(DISTINCT day) AS days, min(day) AS first, max(day) AS last FROM digests WHERE categories = ?',
    )
    .get(options.categories) as { days: number; first: string | null; last: string | null };
  report.stored = stored;
  if (stored.days === 0) {
    report.otherKeys = db
      .prepare('SELECT DISTINCT categories FROM digests ORDER BY categories')
      .pluck()
      .all() as string[];
  }

  const first = firstPosted(db, options.categories);
  if (first === null && stored.days > 0) report.demoOnly = true;
  report.window = windowOf(first, lastDue(options.now, options.dueAfterHours), options.days);
  if (report.window) {
    const days = postedDays(db, options.categories, report.window.from, report.window.to);
    report.posted = days.posted;
    report.missing = days.missing;
    report.holidays = days.holidays;
  }

  // A store of an older schema (before the listener's table; the next run upgrades it) has no listener.
  const cursor = hasTable(db, 'stream_cursors')
    ? (db.prepare("SELECT time_us, updated_at FROM stream_cursors WHERE stream = 'jetstream'").get() as
        | { time_us: number | bigint; updated_at: string }
        | undefined)
    : undefined;
  if (cursor) {
    const minutes = (options.realNow.getTime() - Date.parse(cursor.updated_at)) / 60_000;
    report.listener = {
      lastEventAt: new Date(Number(cursor.time_us) / 1000).toISOString(),
      savedAt: cursor.updated_at,
      minutesSinceSave: Math.max(0, Math.round(minutes)),
      stale: minutes > options.listenerStaleMinutes,
    };
  }

  const xReads = xReadsSince(db, options.realNow, options.xDays ?? 30);
  if (xReads) report.xReads = xReads;
  if (db.name && db.name !== ':memory:') {
    const disk = diskOf(db, options.freeBytes ?? freeBytesOf);
    if (disk) report.disk = disk;
  }

  report.problems = problemsOf(report, options.minDaysLeft ?? 30);
  return report;
}

/** X's reads by the runs started in the `days` days up to `now`; undefined when none of them ran X. */
export function xReadsSince(db: Db, now: Date, days: number): XReads | undefined {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  // Each day's run (`post`, alone or within backfill or run) keeps its sources' health; a
  // backfill's own row keeps none, so nothing is counted twice.
  const rows = db
    // The demo's runs read X's stand-in, which bills nothing.
    .prepare("SELECT health FROM runs WHERE started_at >= ? AND health IS NOT NULL AND command != 'demo'")
    .pluck()
    .all(since) as string[];
  const out: XReads = { days, since, runs: 0, posts: 0, users: 0, dollars: 0, userDollars: 0 };
  for (const row of rows)
    for (const h of healthOf(row)) {
      if (h?.source !== 'x' || typeof h.postsRead !== 'number') continue;
      out.runs++;
      out.posts += h.postsRead;
      out.users += typeof h.usersRead === 'number' ? h.usersRead : 0;
    }
  if (out.runs === 0) return undefined;
  // In cents, then dollars: no 0.1 + 0.2 in a bill.
  out.dollars = Math.round(out.posts * X_DOLLARS_PER_POST_READ * 100) / 100;
  out.userDollars = Math.round(out.users * X_DOLLARS_PER_USER_READ * 100) / 100;
  return out;
}

/** The store's size, its average day and the room left beside it; undefined when the file system will not say. */
function diskOf(db: Db, freeBytes: (path: string) => number): StoreDisk | undefined {
  let free: number;
  try {
    free = freeBytes(dirname(db.name));
  } catch {
    return undefined;
  }
  const bytes = storeBytes(db.name);
  const days = db.prepare('SELECT count(DISTINCT day) FROM digests').pluck().get() as number;
  const perDay = days > 0 ? Math.round(bytes / days) : null;
  return { bytes, perDay, freeBytes: free, daysLeft: perDay ? Math.floor(free / perDay) : null };
}

/** Free bytes for this user on the file system of `dir`. */
function freeBytesOf(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** The mailing days from `from` to `to` with a post of `categories`: how many, and those without, holidays apart. */
function postedDays(
  db: Db,
  categories: string,
  from: string,
  to: string,
): { posted: number; missing: string[]; holidays: string[] } {
  const posted = new Set(
    db
      .prepare('SELECT DISTINCT day FROM digests WHERE categories = ? AND day BETWEEN ? AND ?')
      .pluck()
      .all(categories, from, to) as string[],
  );
  const noMailing = new Set(
    (
      db
        .prepare(
          "SELECT day, detail FROM runs WHERE command = 'post' AND status = 'failed' AND day BETWEEN ? AND ?",
        )
        .all(from, to) as Array<{ day: string; detail: string | null }>
    )
      .filter((r) => isNoMailingLine(r.detail))
      .map((r) => r.day),
  );
  const out = { posted: 0, missing: [] as string[], holidays: [] as string[] };
  for (const day of mailingDaysBetween(from, to)) {
    if (posted.has(day)) out.posted++;
    else if (noMailing.has(day)) out.holidays.push(day);
    else out.missing.push(day);
  }
  return out;
}

/**
 * The mailing days among the `days` before `day` (not before the first day posted for
 * `categories`) with no post and no run that met no mailing: what a daily run warns of.
 */
export function missingBefore(db: Db, categories: string, day: string, days = 20): string[] {
  const window = windowOf(firstPosted(db, categories), previousMailing(day), days);
  return window ? postedDays(db, categories, window.from, window.to).missing : [];
}

/**
 * `missing` (oldest first, one at least) in one line with the backfill that fills them:
 * "2 `which`mailing days with no post: …".
 */
export function missingLine(missing: readonly string[], which = ''): string {
  const days =
    missing.length <= 5
      ? missing.join(', ')
      : `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`;
  return `${missing.length} ${which}mailing day${missing.length === 1 ? '' : 's'} with no post: ${days} (hotpapers backfill --from ${missing[0]} --to ${missing[missing.length - 1]})`;
}

/**
 * The first day posted for `categories`, days only the demo posted apart: the demo replays a day
 * of 2021 against stand-ins, and a store that began with it owes no post for the days since.
 */
function firstPosted(db: Db, categories: string): string | null {
  return db
    .prepare(`
      SELECT min(day) FROM digests WHERE categories = ? AND day NOT IN (
        SELECT day FROM runs WHERE command = 'demo' AND day IS NOT NULL
        EXCEPT SELECT day FROM runs WHERE command = 'post' AND day IS NOT NULL)`)
    .pluck()
    .get(categories) as string | null;
}

/** Whether the store has a table `name`. */
function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** The latest mailing day whose announcement is at least `hours` old at `now`. */
function lastDue(now: Date, hours: number): string {
  return latestMailing(new Date(now.getTime() - hours * 3_600_000));
}

/**
 * The last `n` mailing days ending at `last`, not before `first` (the first day posted): none
 * when nothing is posted, or nothing before `last`.
 */
function windowOf(first: string | null, last: string, n: number): { from: string; to: string } | null {
  if (first === null || first > last) return null;
  let day = last;
  for (let k = 1; k < n; k++) {
    const before = previousMailing(day);
    if (before < first) break;
    day = before;
  }
  return { from: day < first ? first : day, to: last };
}

/** The newest `limit` runs, as status shows them. */
function latestRuns(db: Db, limit: number): StatusRun[] {
  return recentRuns(db, limit).map((r) => ({
    command: r.command,
    day: r.day,
    status: r.status,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    failedSources: r.health.filter((h) => h?.status === 'failed').map((h) => String(h.source)),
    detail: r.detail,
  }));
}

/** What needs a person: days missing, the newest run failed or cut short, a listener gone quiet, a disk filling up. */
function problemsOf(report: StatusReport, minDaysLeft: number): string[] {
  const problems: string[] = [];
  if (report.missing.length > 0) problems.push(missingLine(report.missing));
  const newest = report.runs[0];
  // A row still `running` with no live holder of the store's lock: killed or crashed (the next
  // run marks it interrupted).
  if (newest?.status === 'running' && !report.runHeld)
    problems.push(
      `the last run (${newest.command}${newest.day ? ` ${newest.day}` : ''}, started ${newest.startedAt}) ended without finishing (killed or crashed)`,
    );
  if (
    newest &&
    (newest.status === 'failed' || newest.status === 'interrupted') &&
    !isNoMailingLine(newest.detail)
  )
    problems.push(
      `the last run (${newest.command}${newest.day ? ` ${newest.day}` : ''}, started ${newest.startedAt}) ${
        newest.status === 'failed' ? `failed: ${newest.detail ?? 'no detail'}` : 'was interrupted'
      }`,
    );
  const listener = report.listener;
  if (listener?.stale)
    problems.push(
      `the listener has saved nothing for ${hoursOrMinutes(listener.minutesSinceSave)} (last at ${listener.savedAt}): is hotpapers listen running? Jetstream replays about a day`,
    );
  const disk = report.disk;
  if (disk?.daysLeft != null && disk.perDay && disk.daysLeft < minDaysLeft)
    problems.push(
      `the store's disk has room for about ${disk.daysLeft} more day${disk.daysLeft === 1 ? '' : 's'} (${formatSize(disk.freeBytes)} free, the store ${formatSize(disk.bytes)}, ~${formatSize(disk.perDay)} a day): free space, or move the store (HOTPAPERS_DB)`,
    );
  if (report.stored.days === 0 && report.otherKeys.length > 0)
    problems.push(
      `no post stored for the categories ${report.categories}; the store has posts for ${report.otherKeys.join(' and ')} (HOTPAPERS_CATEGORIES?)`,
    );
  return problems;
}

/** The store's size, its average day and the room left, in one line. */
export function diskLine(d: StoreDisk): string {
  const day = d.perDay ? ` (~${formatSize(d.perDay)} a day posted)` : '';
  const left = d.daysLeft !== null ? `: room for ~${d.daysLeft.toLocaleString('en-US')} more days` : '';
  return `store: ${formatSize(d.bytes)}${day}; ${formatSize(d.freeBytes)} free beside it${left}`;
}

/** What the runs read from X lately, and what X bills for it at most, in one line. */
export function xReadsLine(x: XReads): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const usd = (v: number) => `$${v.toFixed(2)}`;
  return `x, last ${x.days} days: ${n(x.posts)} posts read by ${x.runs} run${x.runs === 1 ? '' : 's'}, at most ${usd(x.dollars)} at $${X_DOLLARS_PER_POST_READ} a post; ${n(x.users)} users returned with them, ${usd(x.userDollars)} more if X bills them at $${X_DOLLARS_PER_USER_READ.toFixed(2)}`;
}

/** Minutes as a person reads them: "45 min" or "3.5 h". */
export function hoursOrMinutes(minutes: number): string {
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
