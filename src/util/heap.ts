/**
 * A tighter garbage-collected heap for the long site builds. V8 lets its old generation grow to
 * a multiple of what the last full collection found live (up to 4× when collections are cheap,
 * as they are in a build), so a 3,000-day build whose live data is ~60 MB grew its heap past
 * 200 MB. Growing by at most 25% instead kept that build's peak at 255 MB instead of 290-380 MB,
 * with no measurable cost in CPU (its collections take well under 1% of it).
 */
import { setFlagsFromString } from 'node:v8';

let tightened = false;

/**
 * Make V8 grow the heap by at most 25% past the live data after each full collection
 * (process-wide, once; a full site build calls it).
 */
export function keepHeapTight(): void {
  if (tightened) return;
  tightened = true;
  // A GC heuristic read after every full collection, so setting it at run time takes effect.
  setFlagsFromString('--heap-growing-percent=25');
}
