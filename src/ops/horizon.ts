/**
 * Fixed horizons: engagement measured at a set age of the announcement (24 h or 72 h after
 * 20:00 US Eastern), so that days are comparable whatever time the run happened. Pure: the
 * calendar comes from src/arxiv/schedule.ts, "now" is a parameter.
 */
import { announcementOf, latestMailing, previousMailing } from '../arxiv/schedule.js';
import { HotpapersError } from '../errors.js';

export type Horizon = '24h' | '72h';

export const HORIZONS: readonly Horizon[] = ['24h', '72h'];

const HOUR_MS = 3_600_000;

/** Validate a `--horizon` value; throws `horizon: must be 24h or 72h, got "…"`. */
export function parseHorizon(value: string): Horizon {
  const v = value.trim().toLowerCase();
  if ((HORIZONS as readonly string[]).includes(v)) return v as Horizon;
  throw new HotpapersError('horizon', `must be ${HORIZONS.join(' or ')}, got ${JSON.stringify(value)}`);
}

/** Length of a horizon in hours. */
export function horizonHours(horizon: Horizon): number {
  return horizon === '24h' ? 24 : 72;
}

/** The instant mailing `day` reaches the horizon: its announcement plus 24 h or 72 h (absolute time). */
export function horizonInstant(day: string, horizon: Horizon): Date {
  return new Date(announcementOf(day).getTime() + horizonHours(horizon) * HOUR_MS);
}

/** Whether mailing `day` has reached the horizon at `now`. */
export function horizonReached(day: string, horizon: Horizon, now: Date): boolean {
  return now.getTime() >= horizonInstant(day, horizon).getTime();
}

/**
 * The default day of a horizon run: among the mailings already announced at `now`, the one
 * whose horizon instant is nearest (the later day on a tie). A run scheduled near the
 * horizon thus targets the right day even when the scheduler fires early or late by hours.
 */
export function horizonDay(now: Date, horizon: Horizon): string {
  let day = latestMailing(now);
  let best = day;
  let bestGap = Number.POSITIVE_INFINITY;
  // Horizons are at most 72 h, so the nearest instant is among the last few mailings.
  for (let i = 0; i < 6; i++) {
    const gap = Math.abs(horizonInstant(day, horizon).getTime() - now.getTime());
    if (gap < bestGap) {
      best = day;
      bestGap = gap;
    }
    day = previousMailing(day);
  }
  return best;
}

/** Hours from the announcement of `day` to `instant`, to one decimal (negative before it). */
export function ageHours(day: string, instant: Date): number {
  return Math.round(((instant.getTime() - announcementOf(day).getTime()) / HOUR_MS) * 10) / 10;
}

/** One phrase for posts, pages and logs: which counts are shown, e.g. "24h horizon: counts 24 h after the announcement". */
export function describeCounts(horizon: string | undefined, age: number | undefined): string {
  const at = age === undefined ? 'counts as observed' : `counts ${formatHours(age)} after the announcement`;
  return horizon ? `${horizon} horizon: ${at}` : at;
}

function formatHours(hours: number): string {
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
