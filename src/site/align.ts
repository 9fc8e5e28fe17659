/** Two lists of days, newest first, matched up by day. */
export interface Alignment<B> {
  /** Per day of the first list, its place in the second (-1 when not there). */
  at: Int32Array;
  /** The days of the second list that the first has not, in their order. */
  gone: B[];
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
  let j = 0;
  for (let i = 0; i < now.length; i++) {
    const day = now[i]!.day;
    if (i > 0 && !(day < now[i - 1]!.day)) return alignByMap(now, before);
    while (j < before.length && before[j]!.day > day) {
      if (j > 0 && !(before[j]!.day < before[j - 1]!.day)) return alignByMap(now, before);
      gone.push(before[j++]!);
    }
    // Every day of `before` passed so far is newer than `day`: a match needs no order check.
    if (j < before.length && before[j]!.day === day) at[i] = j++;
  }
  for (; j < before.length; j++) {
    if (j > 0 && !(before[j]!.day < before[j - 1]!.day)) return alignByMap(now, before);
    gone.push(before[j]!);
  }
  return { at, gone };
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
  return { at, gone: before.filter((d) => !live.has(d.day)) };
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
