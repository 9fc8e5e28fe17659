/** Background threads of a full site build run at a lower priority than the thread that renders. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import {
  prewarmSiteThreads,
  takeRenderThread,
  takeSearchThread,
  takeWriterThread,
} from '../../src/site/threads.js';
import { BACKGROUND_NICE, lowerNewThreads } from '../../src/util/priority.js';

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

test('the writer, search and paper page threads run below the builder from their start; the builder keeps its priority', async () => {
  const own = getPriority(0);
  const before = process.platform === 'linux' ? threadNices() : new Map<string, number>();
  prewarmSiteThreads();
  // Read at once: the threads are lowered as they are made, before their own code runs.
  const atStart = process.platform === 'linux' ? threadNices() : new Map<string, number>();
  const writer = takeWriterThread();
  const search = takeSearchThread();
  const render = takeRenderThread();
  try {
    if (process.platform !== 'linux') {
      // Elsewhere a nice value is the process's: nothing is changed.
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(getPriority(0), own);
      return;
    }
    const lowered = (nices: Map<string, number>) =>
      [...nices].filter(([tid, nice]) => !before.has(tid) && nice === Math.max(own, BACKGROUND_NICE));
    // The three (a thread one of them started at once would take its priority too).
    const three = lowered(atStart).map(([tid]) => tid);
    assert.ok(three.length >= 3, `threads: ${JSON.stringify([...atStart])}`);
    // And they stay so once their code runs (each lowers itself too, never raises). Threads they
    // start themselves (a thread pool) take their priority: only these three are looked at.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = threadNices();
    assert.deepEqual(
      three.map((tid) => now.get(tid)),
      [0, 0, 0].map(() => Math.max(own, BACKGROUND_NICE)),
      `threads: ${JSON.stringify([...now])}`,
    );
    assert.equal(getPriority(0), own, 'this thread keeps its priority');
    assert.equal(threadNices().get(String(process.pid)), own);
  } finally {
    await writer.terminate();
    await search.terminate();
    await render.terminate();
  }
});

test('lowerNewThreads lowers the threads its function starts, and no other', async () => {
  if (process.platform !== 'linux') return;
  const own = getPriority(0);
  const low = Math.max(own, BACKGROUND_NICE);
  const { Worker } = await import('node:worker_threads');
  const before = threadNices();
  const plain = new Worker('setInterval(() => {}, 1000);', { eval: true });
  const between = threadNices();
  const lowered = lowerNewThreads(() => new Worker('setInterval(() => {}, 1000);', { eval: true }));
  const after = threadNices();
  try {
    const plainThreads = [...between].filter(([tid]) => !before.has(tid));
    const loweredThreads = [...after].filter(([tid]) => !between.has(tid));
    assert.ok(plainThreads.length >= 1 && loweredThreads.length >= 1, JSON.stringify([...after]));
    assert.ok(
      loweredThreads.every(([, nice]) => nice === low),
      `started by lowerNewThreads: ${JSON.stringify(loweredThreads)}`,
    );
    // A thread started outside it keeps the priority it was started with.
    for (const [tid] of plainThreads) assert.equal(after.get(tid), own, `thread ${tid}`);
    assert.equal(getPriority(0), own);
  } finally {
    await plain.terminate();
    await lowered.terminate();
  }
});
