/**
 * Time windows over the ranked papers: the top papers of a calendar week, month, year or of
 * all time (each paper once, at its latest ranking, ordered by score), and "rising": the papers
 * whose engagement grew most over the last 24 hours of snapshots. Pure: plain data in and out.
 */
import { remembered } from '../util/remember.js';
import { type EngagementPoint, slug } from './model.js';

/** What a window needs of a ranking: its day and the paper's id, rank and score. */
export interface Ranking {
  day: { day: string };
  ranked: { rank: number; score: number; paper: { id: string } };
}

export type WindowKind = 'week' | 'month' | 'year' | 'all';

/** One window: its kind and key (`2021-W23`, `2021-06`, `2021`, `all`). */
export interface TimeWindow {
  kind: WindowKind;
  key: string;
}

/** Site paths of the window pages (site-wide, and per category for the current windows). */
export const windowPaths = {
  window: (w: TimeWindow): string =>
    w.kind === 'all' ? 'top/all.html' : `top/${w.kind}-${slug(w.key)}.html`,
  /**
   * The stable page of the current window of a kind (`top/week.html`: always this week). Day
   * and paper pages link these, so a page kept from an older build never links a past week.
   */
  current: (kind: WindowKind): string => `top/${kind}.html`,
  rising: (): string => 'top/rising.html',
  category: (cat: string, kind: WindowKind): string => `categories/${slug(cat)}-top-${kind}.html`,
  categoryRising: (cat: string): string => `categories/${slug(cat)}-rising.html`,
} as const;

/** The ISO-8601 week of a day: `2021-06-09` → `2021-W23` (weeks start on Monday). */
export function isoWeek(day: string): string {
  return weekOf(day);
}

/**
 * Weeks already worked out, by day: the list pages ask for every ranking's week on every build.
 * Bounded well above the days of a history (a few thousand).
 */
const weekOf = remembered(computeIsoWeek, 100_000);

function computeIsoWeek(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
  d.setUTCDate(d.getUTCDate() - weekday + 3); // the Thursday decides the year
  const year = d.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const firstThursday = jan4.getTime() + (3 - ((jan4.getUTCDay() + 6) % 7)) * 86_400_000;
  const week = 1 + Math.round((d.getTime() - firstThursday) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday and Sunday (YYYY-MM-DD) of an ISO week `2021-W23`. */
export function weekDays(week: string): [string, string] {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return [week, week];
  const jan4 = new Date(Date.UTC(Number(m[1]), 0, 4));
  const monday = new Date(
    jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (Number(m[2]) - 1) * 7 * 86_400_000,
  );
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  return [monday.toISOString().slice(0, 10), sunday.toISOString().slice(0, 10)];
}

/** The first day (YYYY-MM-DD) of the window `key` of `kind` (`all`: the empty string, before every day). */
export function windowStart(kind: WindowKind, key: string): string {
  return kind === 'week'
    ? weekDays(key)[0]
    : kind === 'month'
      ? `${key}-01`
      : kind === 'year'
        ? `${key}-01-01`
        : '';
}

/** The window of `kind` that holds `day`. */
export function windowOf(kind: WindowKind, day: string): TimeWindow {
  const key =
    kind === 'week'
      ? isoWeek(day)
      : kind === 'month'
        ? day.slice(0, 7)
        : kind === 'year'
          ? day.slice(0, 4)
          : 'all';
  return { kind, key };
}

/** Order: score descending, then the earlier ranking day, then id (stable across builds). */
export function byScore(a: Ranking, b: Ranking): number {
  return (
    b.ranked.score - a.ranked.score ||
    (a.day.day < b.day.day ? -1 : a.day.day > b.day.day ? 1 : 0) ||
    (a.ranked.paper.id < b.ranked.paper.id ? -1 : a.ranked.paper.id > b.ranked.paper.id ? 1 : 0)
  );
}

/**
 * Group each paper (given once, at its latest ranking) into the windows of `kind` by the day
 * of that ranking; each window's papers ordered by score, or (`keepOrder`) in the order of
 * `latest` (by score when `latest` is). Keys newest first.
 */
export function groupByWindow<A extends Ranking>(
  latest: readonly A[],
  kind: WindowKind,
  keepOrder = false,
): Array<[string, A[]]> {
  const groups = new Map<string, A[]>();
  // Worked out once a day, not once a paper.
  const keys = new Map<string, string>();
  for (const a of latest) {
    let key = keys.get(a.day.day);
    if (key === undefined) {
      key = windowOf(kind, a.day.day).key;
      keys.set(a.day.day, key);
    }
    const list = groups.get(key);
    if (list) list.push(a);
    else groups.set(key, [a]);
  }
  if (!keepOrder) for (const list of groups.values()) list.sort(byScore);
  return [...groups].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
}

/**
 * The first `k` of `list` by score (byScore), without sorting the rest: a window page shows its
 * top 100 of what may be every paper of the history.
 */
export function topByScore<A extends Ranking>(list: readonly A[], k: number): A[] {
  if (k <= 0) return [];
  if (list.length <= 4 * k) return [...list].sort(byScore).slice(0, k);
  const top = list.slice(0, k).sort(byScore);
  let worst = top[k - 1]!.ranked.score;
  for (let i = k; i < list.length; i++) {
    const a = list[i]!;
    // Most papers score below the last one kept: one comparison of numbers.
    if (a.ranked.score < worst || byScore(a, top[k - 1]!) >= 0) continue;
    // Its place among the kept ones (binary search), the last one dropped.
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (byScore(a, top[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.pop();
    top.splice(lo, 0, a);
    worst = top[k - 1]!.ranked.score;
  }
  return top;
}

/** Engagement growth over the 24 h before the last snapshot at or before `until`. */
export interface Growth {
  /** Engagement gained (reposts + likes, points, upvotes). */
  gain: number;
  /** Engagement at the last snapshot. */
  now: number;
  /** Instant of that snapshot. */
  at: string;
}

const DAY_MS = 86_400_000;

/**
 * What a paper's engagement gained in the 24 h before `until` (default: its last snapshot):
 * the last value at or before `until` minus the last value at or before `until − 24 h` (0
 * before the first snapshot). Undefined with fewer than two snapshots: a single count says
 * nothing about growth.
 */
export function growthLast24h(history: readonly EngagementPoint[], until?: string): Growth | undefined {
  if (history.length < 2) return undefined;
  const end = until ? Date.parse(until) : Date.parse(history[history.length - 1]!.at);
  if (Number.isNaN(end)) return undefined;
  let last: EngagementPoint | undefined;
  let before: EngagementPoint | undefined;
  for (const p of history) {
    const t = Date.parse(p.at);
    if (t <= end) last = p;
    if (t <= end - DAY_MS) before = p;
  }
  if (!last) return undefined;
  return { gain: last.engagement - (before?.engagement ?? 0), now: last.engagement, at: last.at };
}

/** A rising paper: its latest ranking and its growth. */
export interface Rising<A extends Ranking = Ranking> {
  appearance: A;
  growth: Growth;
}

/**
 * The papers ranked on the newest `recentDays` days whose engagement grew most over the 24 h
 * before the newest snapshot of any of them (the site's "now", never the clock).
 */
export function risingPapers<A extends Ranking>(
  latest: readonly A[],
  historyOf: (id: string) => readonly EngagementPoint[] | undefined,
  recentDays = 10,
  limit = 50,
): Array<Rising<A>> {
  const days = [...new Set(latest.map((a) => a.day.day))].sort().reverse().slice(0, recentDays);
  const recent = new Set(days);
  const candidates = latest.filter((a) => recent.has(a.day.day));
  let now = '';
  for (const a of candidates) {
    const h = historyOf(a.ranked.paper.id);
    const at = h && h.length > 0 ? h[h.length - 1]!.at : '';
    if (at > now) now = at;
  }
  if (!now) return [];
  const out: Array<Rising<A>> = [];
  for (const a of candidates) {
    const g = growthLast24h(historyOf(a.ranked.paper.id) ?? [], now);
    if (g && g.gain > 0) out.push({ appearance: a, growth: g });
  }
  out.sort((x, y) => y.growth.gain - x.growth.gain || byScore(x.appearance, y.appearance));
  return out.slice(0, limit);
}
