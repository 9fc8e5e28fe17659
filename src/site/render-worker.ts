/**
 * Worker thread of a full site build's paper pages (startRenderThread in render-thread.ts): gets
 * batches of paper tasks and sends each batch's pages back, in order. Every task it has dealt
 * with is counted in `progress`; a thread that stops leaves WRITER_STOPPED there.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import type { PageSpec, ShellContext } from './layout.js';
import { type PaperTask, type RenderedPage, renderPaperTask } from './render-thread.js';
import { WRITER_STOPPED } from './threads.js';

/** What its first message tells the thread: the pages' shell and feeds, its count, its port. */
interface Init {
  shell: ShellContext;
  feeds: NonNullable<PageSpec['feeds']>;
  progress: SharedArrayBuffer;
  port: MessagePort;
}

let init: Init | undefined;
let done: Int32Array | undefined;

// A thread that stops (an error it did not expect, or terminated) says so in the count the
// builder waits on, so the builder stops at once instead of waiting for pages that never come.
process.on('exit', () => {
  if (!done) return;
  Atomics.store(done, 0, WRITER_STOPPED);
  Atomics.notify(done, 0);
});

parentPort!.on('message', (m: { init: Init } | { tasks: PaperTask[] }) => {
  if ('init' in m) {
    // What its build is (the thread may have been started ahead of it, threads.ts).
    init = m.init;
    done = new Int32Array(m.init.progress);
    return;
  }
  const { shell, feeds, port } = init!;
  try {
    const pages: RenderedPage[] = m.tasks.map((task) => [
      task.spec.path,
      ...renderPaperTask(task, shell, feeds),
    ]);
    port.postMessage({ pages });
  } catch (error) {
    port.postMessage({ failure: String((error as Error)?.message ?? error) });
  }
  // Counted after the pages are posted: once the count covers a batch, its pages can be received.
  Atomics.add(done!, 0, m.tasks.length);
  Atomics.notify(done!, 0);
});
