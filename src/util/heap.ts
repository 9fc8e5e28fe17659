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
 * Keep V8's young generation at its first size (1 MB a semi-space) instead of letting it double
 * up to 16 MB (process-wide, once; every site build calls it). With the larger young generation,
 * each scavenge of a build (mostly short-lived strings) ran over fresh memory that the kernel had
 * to fault in. One new day into the 300-day site (2 cores, 2 December 2026, 7 interleaved pairs)
 * took 585 ms of CPU instead of 715 and peaked at 74 MB instead of ~105; a full build took no
 * more CPU (its young generation still grows, by another path of V8's). Starting node with
 * `--max-semi-space-size=2` or `4` did the same, but that flag is read only as the process
 * starts; the growth factor is read at each growth.
 */
export function keepYoungSmall(): void {
  setFlagsOnce('young', '--semi-space-growth-factor=1');
}
