/**
 * arXiv's announcement calendar in US Eastern time (research §5). Mailing day D (Mon–Fri) is
 * announced at 20:00 America/New_York the evening before; its submissions are those received
 * between two 14:00 ET cut-offs. Every conversion goes through the time-zone database (luxon),
 * never a fixed offset, so both DST changes are handled.
 */
import { DateTime } from 'luxon';
import { HotpapersError } from '../errors.js';

export const ARXIV_ZONE = 'America/New_York';
const ANNOUNCE_HOUR = 20;
const CUTOFF_HOUR = 14;
const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Validate a YYYY-MM-DD calendar date; throws a one-line HotpapersError naming `service`. */
export function assertDay(day: string, service = 'hotpapers'): string {
  if (
    typeof day !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
    !DateTime.fromISO(day, { zone: ARXIV_ZONE }).isValid
  ) {
    throw new HotpapersError(
      service,
      `date must be a calendar day as YYYY-MM-DD, got ${JSON.stringify(day)}`,
    );
  }
  return day;
}

/** The day at 00:00 in New York. */
function etDay(day: string): DateTime {
  assertDay(day);
  return DateTime.fromISO(day, { zone: ARXIV_ZONE }).startOf('day');
}

function fmt(d: DateTime): string {
  return d.toFormat('yyyy-MM-dd');
}

/** Name of the weekday of D, e.g. "Saturday". */
export function weekdayName(day: string): string {
  return WEEKDAY_NAMES[etDay(day).weekday]!;
}

/** True for Monday to Friday; holidays are not known here (they are detected from data). */
export function isMailingDay(day: string): boolean {
  return etDay(day).weekday <= 5;
}

/** The America/New_York calendar date of an instant. */
export function etDate(now: Date): string {
  return fmt(DateTime.fromJSDate(now, { zone: ARXIV_ZONE }));
}

/** 20:00 ET on the evening before D (Sunday 20:00 for Monday): when D's papers went public. */
export function announcementOf(day: string): Date {
  return etDay(day).minus({ days: 1 }).set({ hour: ANNOUNCE_HOUR }).toJSDate();
}

/** 14:00 ET on `day`, the daily submission cut-off. */
function cutoffOf(day: DateTime): Date {
  return day.set({ hour: CUTOFF_HOUR }).toJSDate();
}

function previousWeekday(d: DateTime): DateTime {
  let out = d.minus({ days: 1 });
  while (out.weekday > 5) out = out.minus({ days: 1 });
  return out;
}

function nextWeekday(d: DateTime): DateTime {
  let out = d.plus({ days: 1 });
  while (out.weekday > 5) out = out.plus({ days: 1 });
  return out;
}

/**
 * Nominal submission window [start, end) of mailing D: from the cut-off of the weekday two
 * mailings back to the cut-off of the previous weekday (Wed: [Mon, Tue), Mon: [Thu, Fri),
 * Tue: [Fri, Mon)). Throws for Saturday and Sunday, which have no mailing.
 */
export function submissionWindow(day: string): { start: Date; end: Date } {
  const d = etDay(day);
  if (d.weekday > 5)
    throw new HotpapersError(
      'arxiv',
      `${day} is a ${WEEKDAY_NAMES[d.weekday]}; arXiv mails Monday to Friday`,
    );
  const endDay = previousWeekday(d);
  return { start: cutoffOf(previousWeekday(endDay)), end: cutoffOf(endDay) };
}

/** The mailing day after D (D itself need not be a mailing day). */
export function nextMailing(day: string): string {
  return fmt(nextWeekday(etDay(day)));
}

/** The mailing day before D (D itself need not be a mailing day). */
export function previousMailing(day: string): string {
  return fmt(previousWeekday(etDay(day)));
}

/** The latest mailing day whose 20:00 ET announcement is at or before `now`. */
export function latestMailing(now: Date): string {
  // The newest candidate is tomorrow (ET): after 20:00 tonight its papers are out.
  let candidate: DateTime = DateTime.fromJSDate(now, { zone: ARXIV_ZONE }).startOf('day').plus({ days: 1 });
  if (candidate.weekday > 5) candidate = previousWeekday(candidate);
  while (announcementOf(fmt(candidate)).getTime() > now.getTime()) candidate = previousWeekday(candidate);
  return fmt(candidate);
}

/** Mailing days from `from` to `to`, both inclusive, weekdays only, in order. */
export function mailingDaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = etDay(to);
  for (let d: DateTime = etDay(from); d <= end; d = d.plus({ days: 1 })) {
    if (d.weekday <= 5) out.push(fmt(d));
  }
  return out;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(etDay(to).diff(etDay(from), 'days').days);
}
