/** Small statistics shared by the bench parts. */

/** The run whose `key` is the median (the upper middle of an even count). */
export function medianBy<T>(runs: readonly T[], key: (run: T) => number): T {
  return [...runs].sort((x, y) => key(x) - key(y))[Math.floor(runs.length / 2)]!;
}

/** The median of `values` (the upper middle of an even count). */
export function median(values: readonly number[]): number {
  return medianBy(values, (x) => x);
}
