/**
 * The mailing-day rules for a date given on the command line, checked before any output or
 * network call: a weekday, not before arXiv's first mailing, and already announced. Each refusal
 * is one line that suggests the nearest mailing day(s).
 */
import {
  announcementOf,
  latestMailing,
  nextMailing,
  previousMailing,
  weekdayName,
} from '../arxiv/schedule.js';
import { nowOf } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { clip } from '../errors.js';
import { isCalendarDay } from './options.js';
import { UsageError } from './usage.js';

/** arXiv's first submissions (hep-th/9108001); no listing method knows an earlier mailing. */
export const FIRST_MAILING = '1991-08-14';

/** Why `day` cannot be asked for at `now`, or undefined when it can (pure). */
export function mailingDayProblem(day: string, now: Date): string | undefined {
  if (!isCalendarDay(day)) return `must be a calendar day as YYYY-MM-DD, got "${clip(day, 40)}"`;
  const latest = latestMailing(now);
  if (day < FIRST_MAILING) {
    return `${day} is before arXiv's first mailing; the earliest day is ${FIRST_MAILING}`;
  }
  const weekday = weekdayName(day);
  const weekend = weekday === 'Saturday' || weekday === 'Sunday';
  if (day > latest) {
    const when = weekend
      ? ''
      : ` (announced ${announcementOf(day).toISOString()}, 20:00 ET the evening before)`;
    return `${day} is not out yet${when}; the latest mailing as of ${now.toISOString()} is ${latest} (${weekdayName(latest)})`;
  }
  if (weekend) {
    const before = previousMailing(day);
    const after = nextMailing(day);
    const nearest =
      after <= latest
        ? `${before} (${weekdayName(before)}) or ${after} (${weekdayName(after)})`
        : `${before} (${weekdayName(before)})`;
    return `${day} is a ${weekday}; arXiv mails Monday to Friday: try ${nearest}`;
  }
  return undefined;
}

/** Throw a UsageError (exit 2) naming `flag` when `day` is not a mailing day that is out at `now`. */
export function assertMailingDay(day: string, now: Date, command: string, flag = '--date'): string {
  const problem = mailingDayProblem(day, now);
  if (problem) throw new UsageError(command, `${flag} ${problem}`);
  return day;
}

/** The same checks for a range: both ends in arXiv's range and out at `now` (weekends allowed). */
export function assertMailingRange(from: string, to: string, now: Date, command: string): void {
  if (from > to) throw new UsageError(command, `--from ${from} is after --to ${to}`);
  for (const [flag, day] of [
    ['--from', from],
    ['--to', to],
  ] as const) {
    const problem = mailingDayProblem(day, now);
    // Inside a range a weekend end is fine: backfill skips it.
    if (problem && !/ is a (Saturday|Sunday);/.test(problem))
      throw new UsageError(command, `${flag} ${problem}`);
  }
}

/** The --date of `command`, checked against the mailing calendar at the config's "now" (exit 2 if not). */
export function checkedDay(day: string, config: Config, command: string): string {
  return assertMailingDay(day, nowOf(config), command);
}
