/**
 * A tighter garbage-collected heap for site builds, in both generations.
 *
 * The old one (keepHeapTight): V8 lets it grow to a multiple of what the last full collection
 * found live (up to 4× when collections are cheap, as they are in a build), so a 3,000-day
 * build whose live data is ~60 MB grew its heap past 200 MB. Growing by at most 25% instead
 * kept that build's peak at 255 MB instead of 290-380 MB, with no measurable cost in CPU (its
 * collections take well under 1% of it). The young one: see keepYoungSmall.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { setFlags, setFlagsOnce } from './v8-flags.js';

/** What keepYoungSmall and letYoungGrow last set (undefined: neither, V8's default). */
let young: 'held' | 'grows' | undefined;

/**
 * Make V8 grow the heap by at most 25% past the live data after each full collection
 * (process-wide, once; a full site build calls it).
 */
export function keepHeapTight(): void {
  // A GC heuristic read after every full collection, so setting it at run time takes effect.
  setFlagsOnce('tight', '--heap-growing-percent=25');
}

/**
 * Stop V8's young generation from growing past the size it has now (process-wide). V8 doubles it
 * after scavenges, up to 16 MB a semi-space, and with it grown each scavenge of a build (mostly
 * short-lived strings) ran over fresh memory that the kernel had to fault in. One new day into the
 * 300-day site (2 cores, 2 December 2026, 7 interleaved pairs) took 585 ms of CPU instead of 715
 * and peaked at 74 MB instead of ~105. An incremental `site` process reaches 4 MB a semi-space
 * while it starts, before the build sets this, and stays there.
 *
 * V8 resets the factor to at least 2 whenever an isolate is set up: a worker thread whose start
 * comes after this call undoes it (site/threads.ts starts three for a full build; the `site
 * --full` command starts them as it loads its modules, so they are usually up before the build
 * calls this). Applied at every call: a build after one that let it grow (letYoungGrow) holds it
 * again. `--max-semi-space-size` itself is read only as the process starts; the factor is read at
 * each growth.
 */
export function keepYoungSmall(): void {
  setFlags('young', '--semi-space-growth-factor=1');
  young = 'held';
}

/**
 * Let the young generation grow again as V8 does by default (a factor of 2), after
 * keepYoungSmall: a full build of a small history is faster with it grown (site/generate.ts
 * HOLD_YOUNG_FROM_DAYS). Nothing when it was never held.
 */
export function letYoungGrow(): void {
  if (young !== 'held') return;
  setFlags('grow', '--semi-space-growth-factor=2');
  young = 'grows';
}

/**
 * Hold the young generation once it has grown to `semiMb` a semi-space, letting V8 grow it until
 * then. Called at each day of a large full build (site/generate.ts), it ends the build at that
 * size whatever size the build began with, and whichever thread started meanwhile (each start
 * resets V8's growth factor). Held from its start instead, a 3,000-day build whose process began
 * with a smaller young generation (presumably kept: its size was not read) took ~38% more CPU
 * than with V8's own (three interleaved pairs, 5 December 2026).
 */
export function holdYoungAt(semiMb: number): void {
  if (youngSemiSpaceBytes() >= semiMb * 1024 * 1024) keepYoungSmall();
  else letYoungGrow();
}

/** V8's pages (Page::kPageSize), which a semi-space is made of. */
const V8_PAGE_BYTES = 256 * 1024;

/**
 * The young generation's size now, a semi-space, in bytes (0 when V8 does not report it). Read from
 * its capacity (used + available: each page's area without its header), rounded up to whole pages,
 * not from its committed size: V8 uncommits the idle semi-space at times, which halves that figure
 * with no change of size (seen in 1 of 48 processes).
 */
export function youngSemiSpaceBytes(): number {
  const space = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  if (!space) return 0;
  return Math.ceil((space.space_used_size + space.space_available_size) / V8_PAGE_BYTES) * V8_PAGE_BYTES;
}
