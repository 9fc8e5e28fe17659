/**
 * A tighter garbage-collected heap for site builds, in both generations.
 *
 * The old one (keepHeapTight): V8 lets it grow to a multiple of what the last full collection
 * found live (up to 4× when collections are cheap, as they are in a build), so a 3,000-day
 * build whose live data is ~60 MB grew its heap past 200 MB. Growing by at most 25% instead
 * kept that build's peak at 255 MB instead of 290-380 MB, with no measurable cost in CPU (its
 * collections take well under 1% of it). The young one: see keepYoungSmall.
 */
import { setFlagsOnce } from './v8-flags.js';

/**
 * Make V8 grow the heap by at most 25% past the live data after each full collection
 * (process-wide, once; a full site build calls it).
 */
export function keepHeapTight(): void {
  // A GC heuristic read after every full collection, so setting it at run time takes effect.
  setFlagsOnce('tight', '--heap-growing-percent=25');
}

/**
 * Stop V8's young generation from growing past the size it has now (process-wide, once; every
 * site build calls it, first thing). V8 doubles it after scavenges, up to 16 MB a semi-space, and
 * with it grown each scavenge of a build (mostly short-lived strings) ran over fresh memory that
 * the kernel had to fault in. One new day into the 300-day site (2 cores, 2 December 2026, 7
 * interleaved pairs) took 585 ms of CPU instead of 715 and peaked at 74 MB instead of ~105.
 * What it holds in practice (measured 5 December 2026):
 * - An incremental `site` process reaches 4 MB a semi-space while it starts, before the build
 *   sets this, and stays there. Setting it at the process's start instead changed nothing
 *   measurable.
 * - A full build does not keep it: V8 resets the factor to at least 2 whenever an isolate is
 *   set up, so each worker thread started (site/threads.ts) undoes it, and the builder's young
 *   generation grows to 16 MB. That is the faster setting there: with 4 MB (`node
 *   --max-semi-space-size=4`) a full build took ~4.5% more CPU at 300 days and ~10% more at
 *   3,000, for ~20 MB less peak RSS (docs/measurements.md).
 * `--max-semi-space-size` itself is read only as the process starts; the factor is read at each
 * growth.
 */
export function keepYoungSmall(): void {
  setFlagsOnce('young', '--semi-space-growth-factor=1');
}
