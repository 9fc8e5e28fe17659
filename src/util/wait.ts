/**
 * Blocking waits on a counter shared with a worker thread, for synchronous code (the site
 * builder) that cannot yield to the event loop.
 */

/** A thread that makes no progress for this long is given up on. */
const STALL_MS = 60_000;

/**
 * Block while `busy(count)`, waking when the other thread changes the count; gives up when the
 * count has not moved for STALL_MS (a thread that died never moves it). True when no longer busy.
 */
export function waitWhile(counter: Int32Array, busy: (k: number) => boolean): boolean {
  let stalled = 0;
  for (let k = Atomics.load(counter, 0); busy(k); ) {
    const woke = Atomics.wait(counter, 0, k, 100);
    const now = Atomics.load(counter, 0);
    stalled = now === k && woke === 'timed-out' ? stalled + 100 : 0;
    if (stalled >= STALL_MS) return false;
    k = now;
  }
  return true;
}
