/**
 * `hotpapers status`: is the daily operation keeping up? The recent runs, the mailing days due
 * that have no post (with the backfill that fills them), holidays told apart by the runs that met
 * them, and whether the Bluesky listener is still saving. Reads the store only.
 */
import { isNoMailingLine } from '../arxiv/no-mailing.js';
import { latestMailing, mailingDaysBetween, previousMailing } from '../arxiv/schedule.js';
import type { Db } from '../store/db.js';
import { liveHolderElsewhere, recentRuns } from '../store/runs.js';

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
  /** What needs a person, one line each (exit 1 when any). */
  problems: string[];
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

  report.window = windowOf(stored.first, lastDue(options.now, options.dueAfterHours), options.days);
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

  report.problems = problemsOf(report);
  return report;
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
  const first = db.prepare('SELECT min(day) FROM digests WHERE categories = ?').pluck().get(categories) as
    | string
    | null;
  const window = windowOf(first, previousMailing(day), days);
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

/** What needs a person: days missing, the newest run failed or cut short, a listener gone quiet. */
function problemsOf(report: StatusReport): string[] {
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
  if (report.stored.days === 0 && report.otherKeys.length > 0)
    problems.push(
      `no post stored for the categories ${report.categories}; the store has posts for ${report.otherKeys.join(' and ')} (HOTPAPERS_CATEGORIES?)`,
    );
  return problems;
}

/** Minutes as a person reads them: "45 min" or "3.5 h". */
export function hoursOrMinutes(minutes: number): string {
  return minutes < 120 ? `${minutes} min` : `${(minutes / 60).toFixed(1)} h`;
}
