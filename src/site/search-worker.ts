/**
 * Worker thread of a full site build's search index (startSearchThread in search-build.ts): gets
 * each day's fragment, oldest first, and sends each segment, but its head, once a day of a later
 * segment comes (or the end). Every message it has dealt with is counted in `progress`; after
 * the end the thread exits.
 */
import type { MessagePort } from 'node:worker_threads';
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../util/priority.js';
import { addFragment } from './search-build.js';
import { segmentBuilder, segmentOf } from './search-index.js';

/** What its first message tells the thread: the build's newest day, its count, its port. */
interface Init {
  newest: string;
  progress: SharedArrayBuffer;
  port: MessagePort;
}

// A background thread: it yields to the renderer (util/priority.ts).
lowerThreadPriority();

let newest = '';
let done = new Int32Array(new SharedArrayBuffer(4));
let port: MessagePort | undefined;
let open: { id: string; days: number; builder: ReturnType<typeof segmentBuilder> } | undefined;
const made = new Set<string>();
let failure: string | null = null;

/** Make the open segment's files and send them. */
function close(): void {
  if (!open) return;
  const files: Array<[string, string]> = [];
  const body = open.builder.finishBody((path, data) => void files.push([path, data]));
  port!.postMessage({ id: open.id, days: open.days, files, body });
  made.add(open.id);
  open = undefined;
}

parentPort!.on('message', (m: { init: Init } | { day: string; fragment: string } | { end: true }) => {
  if ('init' in m) {
    // What its build is (the thread may have been started ahead of it, threads.ts); not counted.
    ({ newest, port } = m.init);
    done = new Int32Array(m.init.progress);
    return;
  }
  try {
    if (failure !== null) {
      // Nothing more is made after a failure; the end still reports it.
    } else if ('end' in m) close();
    else {
      const id = segmentOf(m.day, newest);
      if (open?.id !== id) {
        close();
        if (made.has(id)) throw new Error(`the days of segment ${id} came out of order`);
        open = { id, days: 0, builder: segmentBuilder(id) };
      }
      open!.days++;
      addFragment(open!.builder, m.fragment);
    }
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  // Sent before the message is counted: once the count is in, every reply can be received.
  if ('end' in m) port!.postMessage({ failure });
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
  // Its work is done: the thread ends now, its heap freed while the builder makes the list pages
  // (the builder takes the replies later; posted messages outlive the thread that sent them).
  if ('end' in m) process.exit(0);
});
