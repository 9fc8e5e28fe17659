/**
 * Worker thread of a full site build's paper pages (startRenderThread in render-thread.ts): gets
 * batches of paper tasks and sends each batch's pages back, in order; or, given a way into the
 * writer thread, writes them there and sends back their paths. Every task it has dealt with is
 * counted in `progress`; a thread that stops leaves WRITER_STOPPED there.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../util/priority.js';
import type { PageSpec, ShellContext } from './layout.js';
import { type PaperTask, type RenderedPage, renderPaperTask } from './render-thread.js';
import { safeJoin } from './safe-join.js';
import { type DirectWrites, reserveWrite, WRITER_STOPPED, writeCost } from './threads.js';

/** What its first message tells the thread: the pages' shell and feeds, its count, its port, the writer's (if it writes). */
interface Init {
  shell: ShellContext;
  feeds: NonNullable<PageSpec['feeds']>;
  progress: SharedArrayBuffer;
  port: MessagePort;
  direct?: DirectWrites;
}

/** The writer's way in (Init.direct) and its count of unwritten kilobytes (DirectWrites.pending) as an array. */
interface Writer {
  direct: DirectWrites;
  pending: Int32Array;
}

/**
 * Write the batch's pages through the writer thread as the builder's writer does (write.ts
 * writerThread): counted first, keyed by site path so the writer hashes them; their paths back.
 */
function writeDirect(
  { direct, pending }: Writer,
  pages: Array<[path: string, html: string, math: boolean]>,
): RenderedPage[] {
  const targets: string[] = [];
  const data: string[] = [];
  const keys: string[] = [];
  let cost = 0;
  for (const [path, html] of pages) {
    targets.push(safeJoin(direct.root, path));
    data.push(html);
    keys.push(path);
    cost += writeCost(html.length);
  }
  // Back-pressure as the builder's.
  if (!reserveWrite(pending, cost, direct.maxPendingKb))
    throw new Error('the writer thread stopped answering');
  direct.port.postMessage({ targets, data, keys, cost });
  return pages.map(([path, , math]) => [path, null, math]);
}

// A background thread: it yields to the builder (util/priority.ts). Its last pages are made
// while the builder makes the list pages.
lowerThreadPriority();

let init: Init | undefined;
let done: Int32Array | undefined;
/** The writer, when the thread writes its pages. */
let writer: Writer | undefined;

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
    writer = m.init.direct && { direct: m.init.direct, pending: new Int32Array(m.init.direct.pending) };
    return;
  }
  const { shell, feeds, port } = init!;
  try {
    const pages = m.tasks.map((task): [string, string, boolean] => [
      task.spec.path,
      ...renderPaperTask(task, shell, feeds),
    ]);
    // Posted to the writer before the paths go back: once the builder has them, their cost is counted.
    port.postMessage({ pages: writer ? writeDirect(writer, pages) : pages });
  } catch (error) {
    port.postMessage({ failure: String((error as Error)?.message ?? error) });
  }
  // Counted after the pages are posted: once the count covers a batch, its pages can be received.
  Atomics.add(done!, 0, m.tasks.length);
  Atomics.notify(done!, 0);
});
