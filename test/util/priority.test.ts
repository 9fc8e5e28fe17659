/** Background threads of a full site build run at a lower priority than the thread that renders. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { prewarmSiteThreads, takeSearchThread, takeWriterThread } from '../../src/site/threads.js';
import { BACKGROUND_NICE } from '../../src/util/priority.js';

/** The nice value of each thread of this process (Linux: /proc/self/task/TID/stat, field 19). */
function threadNices(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(tid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

test('the writer and search threads lower their own priority; the rendering thread keeps its own', async () => {
  const own = getPriority(0);
  const before = process.platform === 'linux' ? threadNices() : new Map<string, number>();
  prewarmSiteThreads();
  const writer = takeWriterThread();
  const search = takeSearchThread();
  try {
    if (process.platform !== 'linux') {
      // Elsewhere a nice value is the process's: nothing is changed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(getPriority(0), own);
      return;
    }
    // Each thread lowers its priority as its code starts (the search thread once its modules load).
    const lowered = () =>
      [...threadNices()].filter(([tid, nice]) => !before.has(tid) && nice === Math.max(own, BACKGROUND_NICE));
    for (let waited = 0; lowered().length < 2 && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(lowered().length, 2, `threads: ${JSON.stringify([...threadNices()])}`);
    assert.equal(getPriority(0), own, 'this thread keeps its priority');
    assert.equal(threadNices().get(String(process.pid)), own);
  } finally {
    await writer.terminate();
    await search.terminate();
  }
});
