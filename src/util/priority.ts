/**
 * Thread priority for a build's background threads. A site build's builder thread is its
 * critical path: the writer, search and paper page threads work beside it. On a machine with
 * fewer cores than busy threads (the 2-core machine: the builder, the paper pages, the writer,
 * the search index and V8's helpers), every slice they take from the builder's core lengthens
 * the build. At nice 10 they still get the idle core and the builder's pauses, but yield to it
 * when both want a core: a 300-day full build took ~5% less wall time in two sets of interleaved
 * runs (nice 10 and 19 measured alike) with the writer and search threads lowered; lowering the
 * paper page thread too, with its last pages made while the builder makes the list pages, made
 * the two cores ~5% busier (6 December 2026, docs/measurements.md).
 */
import { readdirSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value a background thread runs at (0 is the default; 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/**
 * Lower the calling thread's priority to BACKGROUND_NICE (never raise it). Linux only: there a
 * nice value belongs to one thread (setpriority on id 0 is the caller's); elsewhere it is the
 * whole process's, which must keep its own.
 */
export function lowerThreadPriority(): void {
  if (process.platform === 'linux') lowerThread(0);
}

/** Lower thread `id` (0: the caller) to BACKGROUND_NICE, never raising it; Linux only. */
function lowerThread(id: number): void {
  try {
    if (getPriority(id) < BACKGROUND_NICE) setPriority(id, BACKGROUND_NICE);
  } catch {
    // Not allowed here (a sandbox), or the thread is gone: it runs at the priority it has.
  }
}

/**
 * Start threads with `start` and lower each thread it started to BACKGROUND_NICE at once, before
 * its own code runs: a worker's start-up (its isolate, Node's bootstrap, its modules) then yields
 * to the thread that started it. Linux only (/proc/self/task lists the process's threads, and a
 * thread id is a valid target of setpriority); elsewhere `start` runs alone. A thread started by
 * a lowered one takes its priority: so would libuv's pool, were a lowered worker the first to use
 * it (the CLI uses it before, loading its own modules).
 */
export function lowerNewThreads<T>(start: () => T): T {
  if (process.platform !== 'linux') return start();
  const before = threadIds();
  const started = start();
  if (before) for (const id of threadIds() ?? []) if (!before.has(id)) lowerThread(Number(id));
  return started;
}

/** The ids of this process's threads (undefined when /proc cannot say). */
function threadIds(): Set<string> | undefined {
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return undefined;
  }
}
