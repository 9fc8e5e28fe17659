/** Two lists of days, newest first, matched up by day. */
export interface Alignment<B> {
  /** Per day of the first list, its place in the second (-1 when not there). */
  at: Int32Array;
  /** The days of the second list that the first has not, in their order. */
  gone: B[];
  /**
   * Where the lists' common tail begins in the first: from this index on, each item of the first
   * is the very object of the second at the same distance from the end (the days a build kept
   * from the previous generation, unread). The first list's length when they share none.
   */
  tail: number;
}

/**
 * Match the days of `now` with those of `before` (each newest first, one item per day) in one
 * walk down both: a build does it for every day of the history, and a map of 3,000 days, or a
 * search of one list per day of the other, costs several times more. Lists out of order are
 * matched through a map instead.
 */
export function alignDays<B extends { day: string }>(
  now: ReadonlyArray<{ day: string }>,
  before: readonly B[],
): Alignment<B> {
  const at = new Int32Array(now.length).fill(-1);
  const gone: B[] = [];
  // The common tail by identity first: a build's history past its newest months is the previous
  // generation's own objects, matched with no comparison of days (~3,000 of them at 3,000 days).
  let tail = now.length;
  let end = before.length;
  while (tail > 0 && end > 0 && now[tail - 1] === before[end - 1]) at[--tail] = --end;
  let j = 0;
  for (let i = 0; i < tail; i++) {
    const day = now[i]!.day;
    if (i > 0 && !(day < now[i - 1]!.day)) return alignByMap(now, before);
    while (j < end && before[j]!.day > day) {
      if (j > 0 && !(before[j]!.day < before[j - 1]!.day)) return alignByMap(now, before);
      gone.push(before[j++]!);
    }
    // Every day of `before` passed so far is newer than `day`: a match needs no order check.
    if (j < end && before[j]!.day === day) at[i] = j++;
  }
  for (; j < end; j++) {
    if (j > 0 && !(before[j]!.day < before[j - 1]!.day)) return alignByMap(now, before);
    gone.push(before[j]!);
  }
  // The tail's first day must be older than the day before it in both lists, as in days newest
  // first (its own days, the same objects in both, are matched whatever their order).
  if (tail < now.length) {
    if (tail > 0 && !(now[tail]!.day < now[tail - 1]!.day)) return alignByMap(now, before);
    if (end > 0 && !(before[end]!.day < before[end - 1]!.day)) return alignByMap(now, before);
  }
  return { at, gone, tail };
}

/** alignDays for lists in any order (the last item of a day counts in `before`). */
function alignByMap<B extends { day: string }>(
  now: ReadonlyArray<{ day: string }>,
  before: readonly B[],
): Alignment<B> {
  const place = new Map(before.map((d, j) => [d.day, j]));
  const at = new Int32Array(now.length).fill(-1);
  const live = new Set<string>();
  now.forEach((d, i) => {
    at[i] = place.get(d.day) ?? -1;
    live.add(d.day);
  });
  return { at, gone: before.filter((d) => !live.has(d.day)), tail: now.length };
}

/**
 * Days grouped by month, under `name(month)`, in their order. Days newest first come a month at a
 * time, so the month is cut out of a day once per month, not once per day of the history.
 */
export function byMonth<T extends { day: string }>(
  days: readonly T[],
  name: (month: string) => string = (month) => month,
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  let month = '';
  let list: T[] = [];
  for (const day of days) {
    // A month shorter than YYYY-MM (a day that is not a date) is cut again for the next day.
    if (month.length !== 7 || !day.day.startsWith(month)) {
      month = day.day.slice(0, 7);
      const key = name(month);
      list = out.get(key) ?? [];
      out.set(key, list);
    }
    list.push(day);
  }
  return out;
}
