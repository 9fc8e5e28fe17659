/**
 * The worker threads of a full site build: the writer (write.ts), the search index's
 * (search-build.ts) and the paper pages' (render-thread.ts). Each costs tens of milliseconds of
 * CPU to start (the search and render threads load their modules through an ESM loader of their
 * own); `prewarmSiteThreads` starts them as a command begins, so that cost overlaps the command's
 * own start (loading its modules, opening the store) instead of the first hundred milliseconds of
 * rendering, when the two cores are busiest.
 * A thread started ahead waits for its first message, which tells it its work.
 */
import { type MessagePort, Worker } from 'node:worker_threads';
import { moduleWorker } from '../util/module-worker.js';
import { BACKGROUND_NICE, lowerNewThreads } from '../util/priority.js';
import { waitWhile } from '../util/wait.js';

/** The count a writer or render thread leaves when it stops: far below zero, whatever the builder adds. */
export const WRITER_STOPPED = -(2 ** 30);

/** What a file of `size` bytes (or UTF-16 units, for a text) counts in the writer's unwritten kilobytes. */
export function writeCost(size: number): number {
  return Math.ceil(size / 1024) + 1;
}

/**
 * A writer's back-pressure, for each thread that posts it batches: wait while more than `maxKb`
 * is unwritten in `pending`, then count the batch's `cost` in. False when the wait gave up (the
 * writer stopped answering); a writer that stopped leaves the count far below zero
 * (WRITER_STOPPED), whatever is added.
 */
export function reserveWrite(pending: Int32Array, cost: number, maxKb: number): boolean {
  if (!waitWhile(pending, (k) => k > maxKb)) return false;
  Atomics.add(pending, 0, cost);
  return true;
}

/**
 * A way into a build's writer thread for another thread (the render thread): batches of texts
 * posted on `port` are written under `root` and hashed as the builder's own (keyed by site path),
 * their cost counted in `pending` first, as the builder counts its own, waiting while more than
 * `maxPendingKb` is unwritten.
 */
export interface DirectWrites {
  port: MessagePort;
  pending: SharedArrayBuffer;
  root: string;
  maxPendingKb: number;
}

// The writer: plain CommonJS evaluated from this string, so it needs no loader in dev or dist.
// Its first message gives it the count it lowers and the port its hashes go to; each later one
// is a batch of files (posting one message per file cost the builder more than the writes
// themselves: a full build posts ~10,000 files), or a port another thread's batches come on.
const WRITER = `
const { parentPort } = require('node:worker_threads');
// A background thread: yields to the builder (as util/priority.ts lowerThreadPriority does;
// this string cannot import it).
if (process.platform === 'linux') {
  try {
    const os = require('node:os');
    if (os.getPriority(0) < ${BACKGROUND_NICE}) os.setPriority(0, ${BACKGROUND_NICE});
  } catch {}
}
const { createHash, hash } = require('node:crypto');
const { closeSync, mkdirSync, openSync, writeFileSync, writeSync } = require('node:fs');
const { dirname } = require('node:path');
let pending = null;
let hashesPort = null;
const made = new Set();
let failure = null;
// A thread that stops (an error it did not expect, or terminated) says so in the count the builder
// waits on, so the builder stops at once instead of waiting for writes that never come.
process.on('exit', () => {
  if (pending) { Atomics.store(pending, 0, ${WRITER_STOPPED}); Atomics.notify(pending, 0); }
});
// Texts are encoded into one buffer reused from file to file: Buffer.from measures each text's
// UTF-8 length first and allocates per file (a 300-day build's pages: 79 ms that way, 50 ms so).
const encoder = new TextEncoder();
let scratch = Buffer.allocUnsafeSlow(1 << 20);
parentPort.on('message', (m) => {
  if (m.init) { pending = new Int32Array(m.init.pending); hashesPort = m.init.hashes; return; }
  if (m.end) { parentPort.postMessage({ failure }); return; }
  // Another thread's batches (the render thread's pages) come on a port of their own.
  if (m.port) { m.port.on('message', write); return; }
  write(m);
});
function write(m) {
  const hashes = [];
  for (let i = 0; failure === null && i < m.targets.length; i++) {
    try {
      const target = m.targets[i];
      let data = m.data[i];
      const folder = dirname(target);
      if (!made.has(folder)) { mkdirSync(folder, { recursive: true }); made.add(folder); }
      if (m.keys[i] !== null) {
        // A text to encode and hash here, off the builder's thread (as manifest.ts contentHash does:
        // this string cannot import it), or bytes to hash. At most three bytes of UTF-8 per UTF-16 unit.
        if (typeof data === 'string') {
          if (scratch.length < data.length * 3) scratch = Buffer.allocUnsafeSlow(data.length * 3);
          data = scratch.subarray(0, encoder.encodeInto(data, scratch).written);
        }
        if (Array.isArray(data)) {
          const h = createHash('sha1');
          let size = 0;
          for (const chunk of data) { h.update(chunk); size += chunk.length; }
          hashes.push([m.keys[i], h.digest('base64'), size]);
        } else hashes.push([m.keys[i], hash('sha1', data, 'base64'), data.length]);
      }
      if (Array.isArray(data)) {
        const fd = openSync(target, 'w');
        try { for (const chunk of data) writeSync(fd, chunk); } finally { closeSync(fd); }
      } else writeFileSync(target, data);
    } catch (error) { failure = String(error && error.message || error); }
  }
  // Sent before the batch is counted done: once nothing is pending, every hash can be received.
  if (hashes.length > 0) hashesPort.postMessage(hashes);
  Atomics.sub(pending, 0, m.cost);
  Atomics.notify(pending, 0);
}
`;

/**
 * The writer thread only copies buffers (kept outside its heap) to files: a small heap is enough,
 * and V8's default young generation alone would add tens of megabytes to a build's peak memory.
 */
const WRITER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };

/**
 * The search thread's heap holds one open segment and small summaries: a small young generation
 * keeps the process's peak memory down (V8's default adds tens of megabytes).
 */
const SEARCH_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * The render thread's pages are short-lived strings: a small young generation holds them as well
 * (a 3,000-day full build peaked ~25 MB lower with it than with V8's default, at no more CPU).
 */
const RENDER_LIMITS = { maxYoungGenerationSizeMb: 4 };

/** Threads started ahead and not taken yet. */
const spare: { writer?: Worker; search?: Worker; render?: Worker } = {};

/**
 * Start a writer, a search and a render thread now, for a full build about to begin (`site
 * --full`, or a folder with no site yet). Threads not taken by the end keep nothing alive: they
 * are unreferenced.
 */
export function prewarmSiteThreads(): void {
  spare.writer = live(spare.writer) ?? idle(newWriter());
  spare.search = live(spare.search) ?? idle(newSearchThread());
  spare.render = live(spare.render) ?? idle(newRenderThread());
}

/** Threads started ahead and not taken yet (tests). */
export function spareThreads(): number {
  return (spare.writer ? 1 : 0) + (spare.search ? 1 : 0) + (spare.render ? 1 : 0);
}

/** A writer thread (started ahead, or now); its first message must be its `init`. */
export function takeWriterThread(): Worker {
  const worker = live(spare.writer) ?? newWriter();
  spare.writer = undefined;
  // The build waits for it to end (write.ts endWorker): it keeps the process alive meanwhile.
  worker.ref();
  return worker;
}

/** A search thread (started ahead, or now); its first message must be its `init`. */
export function takeSearchThread(): Worker {
  const worker = live(spare.search) ?? newSearchThread();
  spare.search = undefined;
  return worker;
}

/** A paper page render thread (started ahead, or now); its first message must be its `init`. */
export function takeRenderThread(): Worker {
  const worker = live(spare.render) ?? newRenderThread();
  spare.render = undefined;
  return worker;
}

/** The spare search thread, not taken yet (tests). */
export function spareSearchThread(): Worker | undefined {
  return spare.search;
}

/** The spare writer thread, not taken yet (tests). */
export function spareWriterThread(): Worker | undefined {
  return spare.writer;
}

/** Whether `worker`'s thread has exited (its 'exit' event is past). */
export function exited(worker: Worker): boolean {
  // A Worker's threadId is -1 once the thread has exited.
  return worker.threadId === -1;
}

/** `worker` unless it has stopped (a spare can die before it is taken: it is not used then). */
function live(worker: Worker | undefined): Worker | undefined {
  return worker && !exited(worker) ? worker : undefined;
}

function newWriter(): Worker {
  // Lowered as it starts (util/priority.ts lowerNewThreads); its own first lines lower it too.
  const worker = lowerNewThreads(
    () => new Worker(WRITER, { eval: true, execArgv: [], resourceLimits: WRITER_LIMITS }),
  );
  // A writer that dies is noticed by the builder (the count it leaves, see WRITER_STOPPED) and by
  // the end of its generation (write.ts endWorker); unheard, this event would crash the process,
  // even for a spare thread that was never taken.
  worker.on('error', () => {});
  return worker;
}

function newSearchThread(): Worker {
  const worker = lowerNewThreads(() =>
    moduleWorker(import.meta.url, 'search-worker', null, { resourceLimits: SEARCH_LIMITS }),
  );
  // A thread that dies (out of memory) stops counting: the builder, blocked in waitWhile, cannot
  // hear this event, and fails on the stall instead; unheard, the event would crash the process.
  worker.on('error', () => {});
  return worker;
}

function newRenderThread(): Worker {
  const worker = lowerNewThreads(() =>
    moduleWorker(import.meta.url, 'render-worker', null, { resourceLimits: RENDER_LIMITS }),
  );
  // As the search thread's: a thread that dies leaves WRITER_STOPPED in its count for the builder.
  worker.on('error', () => {});
  return worker;
}

/** A spare thread does not keep the process alive. */
function idle(worker: Worker): Worker {
  worker.unref();
  return worker;
}
