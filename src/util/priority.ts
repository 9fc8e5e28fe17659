/**
 * Thread priority for a build's background threads. A site build's rendering thread is its
 * critical path: its writer and search threads only keep up with it. On a machine with fewer
 * cores than busy threads (the 2-core machine: the renderer, the writer, the search index and
 * V8's helpers), every slice they take from the renderer's core lengthens the build. At nice 10
 * they still get the idle core and the renderer's pauses, but yield to it when both want a core:
 * a 300-day full build took ~5% less wall time in two sets of interleaved runs (nice 10 and 19
 * measured alike).
 */
import { getPriority, setPriority } from 'node:os';

/** The nice value a background thread runs at (0 is the default; 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/**
 * Lower the calling thread's priority to BACKGROUND_NICE (never raise it). Linux only: there a
 * nice value belongs to one thread (setpriority on id 0 is the caller's); elsewhere it is the
 * whole process's, which must keep its own.
 */
export function lowerThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    if (getPriority(0) < BACKGROUND_NICE) setPriority(0, BACKGROUND_NICE);
  } catch {
    // Not allowed here (a sandbox): the thread runs at the priority it has.
  }
}
