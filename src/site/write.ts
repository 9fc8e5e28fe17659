/**
 * Writes a built site to its folder as a whole: every file goes into a fresh temporary folder
 * beside the target, which then replaces the target by rename. A build that dies part-way
 * leaves the previous site untouched (and a temporary folder the next build removes).
 *
 * Two writers share that protocol: a synchronous one, and a threaded one whose files are written
 * by a worker thread while the builder renders the next pages (creating ~8,000 files is mostly
 * kernel time, which then overlaps the rendering instead of adding to it).
 */
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { HotpapersError } from '../errors.js';
import { isAlive } from '../util/atomic.js';
import { type GenerationOutput, MANIFEST_PATH, type Manifest, SITE_MARKER, type SiteFiles } from './build.js';

export interface WriteResult {
  /** Absolute path of the site folder. */
  dir: string;
  files: number;
  bytes: number;
}

/** A site being written: files go into a temporary folder until `commit` swaps it in. */
export interface SiteWriter {
  /** Write one file (site path → content); a later write of the same path replaces it. */
  add(path: string, data: string | Buffer): void;
  /** Replace the target folder with everything added. */
  commit(): WriteResult;
  /** Drop everything added; the target folder is untouched. */
  abort(): void;
}

/** A writer whose files are written by a worker thread; `commit` and `abort` wait for it. */
export interface ThreadedSiteWriter {
  add(path: string, data: string | Buffer): void;
  commit(): Promise<WriteResult>;
  abort(): Promise<void>;
}

/** Temporary and retired folders look like `.NAME.site-PID-RANDOM` and `.NAME.old-PID-RANDOM`. */
const SCRATCH = /^\.(.+)\.(site|old)-(\d+)-[0-9a-f]{8}$/;

/** Replace the folder `outDir` with exactly `files` (site paths → content). */
export function writeSite(files: SiteFiles, outDir: string): WriteResult {
  const writer = openSiteWriter(outDir);
  try {
    for (const [path, data] of files) writer.add(path, data);
  } catch (error) {
    writer.abort();
    throw error;
  }
  return writer.commit();
}

/** Start writing a site that will replace `outDir` (checked now, so a wrong --out fails before any work). */
export function openSiteWriter(outDir: string): SiteWriter {
  const job = prepare(outDir);
  const made = new Set<string>([job.temp]);
  const sizes = new Map<string, number>();
  let done = false;
  const abort = () => {
    done = true;
    rmSync(job.temp, { recursive: true, force: true });
  };
  return {
    add(path, data) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      try {
        const target = safeJoin(job.temp, path);
        const folder = dirname(target);
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        writeFileSync(target, data);
        sizes.set(path, byteLength(data));
      } catch (error) {
        abort();
        throw asSiteError(error, `cannot write ${job.dir}`);
      }
    },
    commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      return swap(job, sizes);
    },
    abort,
  };
}

// The worker: plain CommonJS evaluated from this string, so it needs no loader in dev or dist.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, mkdirSync, openSync, writeFileSync, writeSync } = require('node:fs');
const { dirname } = require('node:path');
const pending = new Int32Array(workerData.pending);
const made = new Set();
let failure = null;
parentPort.on('message', (m) => {
  if (m.end) { parentPort.postMessage({ failure }); return; }
  if (failure === null) {
    try {
      const folder = dirname(m.target);
      if (!made.has(folder)) { mkdirSync(folder, { recursive: true }); made.add(folder); }
      if (Array.isArray(m.data)) {
        const fd = openSync(m.target, 'w');
        try { for (const chunk of m.data) writeSync(fd, chunk); } finally { closeSync(fd); }
      } else writeFileSync(m.target, m.data);
    } catch (error) { failure = String(error && error.message || error); }
  }
  Atomics.sub(pending, 0, m.cost);
  Atomics.notify(pending, 0);
});
`;

/** Files a generation writes on the calling thread before a worker thread takes over. */
const SYNC_WRITES = 400;

/** Unwritten kilobytes the builder may run ahead of the worker before it waits (bounds memory). */
const MAX_PENDING_KB = 8 * 1024;

/** Like openSiteWriter, but the files are written by a worker thread as they come. */
export function openThreadedSiteWriter(outDir: string): ThreadedSiteWriter {
  const job = prepare(outDir);
  const sizes = new Map<string, number>();
  const shared = new SharedArrayBuffer(4);
  const pending = new Int32Array(shared);
  const worker = new Worker(WORKER, { eval: true, workerData: { pending: shared }, execArgv: [] });
  let done = false;

  const finish = () => endWorker(worker);

  const abort = async () => {
    if (done) return;
    done = true;
    await finish().catch(() => null);
    rmSync(job.temp, { recursive: true, force: true });
  };

  return {
    add(path, data) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      const target = safeJoin(job.temp, path);
      const bytes = byteLength(data);
      const cost = Math.ceil(bytes / 1024) + 1;
      // Back-pressure: wait while the worker is far behind (blocking is fine: the builder is synchronous).
      for (let now = Atomics.load(pending, 0); now > MAX_PENDING_KB; now = Atomics.load(pending, 0)) {
        Atomics.wait(pending, 0, now, 100);
      }
      Atomics.add(pending, 0, cost);
      // A Buffer with an ArrayBuffer of its own moves to the worker without a copy; the sink owns it.
      const own =
        typeof data !== 'string' && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      worker.postMessage({ target, data, cost }, own ? [data.buffer as ArrayBuffer] : []);
      sizes.set(path, bytes);
    },
    async commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      const failure = await writesFailure(finish);
      if (failure !== null) {
        rmSync(job.temp, { recursive: true, force: true });
        throw new HotpapersError('site', `cannot write ${job.dir} (${failure})`);
      }
      return swap(job, sizes);
    },
    abort,
  };
}

interface Job {
  dir: string;
  parent: string;
  name: string;
  tag: string;
  temp: string;
}

/** Check the target, clean leftovers and make the temporary folder. */
function prepare(outDir: string): Job {
  const dir = resolve(outDir);
  const parent = dirname(dir);
  const name = basename(dir);
  if (dir === parent) throw new HotpapersError('site', `cannot write the site over ${dir}`);
  mkdirSync(parent, { recursive: true });
  checkReplaceable(dir);
  removeScratch(parent, name);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${name}.site-${tag}`);
  mkdirSync(temp);
  return { dir, parent, name, tag, temp };
}

/** The old site steps aside, the new one takes its name, the old one is removed. */
function swap(job: Job, sizes: ReadonlyMap<string, number>): WriteResult {
  const old = join(job.parent, `.${job.name}.old-${job.tag}`);
  const hadOld = existsSync(job.dir);
  try {
    if (hadOld) renameSync(job.dir, old);
    try {
      renameSync(job.temp, job.dir);
    } catch (error) {
      if (hadOld) renameSync(old, job.dir);
      throw error;
    }
  } catch (error) {
    rmSync(job.temp, { recursive: true, force: true });
    throw asSiteError(error, `cannot replace ${job.dir}`);
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
  let bytes = 0;
  for (const n of sizes.values()) bytes += n;
  return { dir: job.dir, files: sizes.size, bytes };
}

/** Tell a writer thread to finish its queued writes: null when all went well, else why not. */
async function endWorker(worker: Worker | undefined): Promise<string | null> {
  if (!worker) return null;
  return new Promise<string | null>((resolvePromise, reject) => {
    worker.once('message', (m: { failure: string | null }) => resolvePromise(m.failure));
    worker.once('error', reject);
    worker.postMessage({ end: true });
  }).finally(() => worker.terminate());
}

/** Wait for the writes to end; a thrown error becomes the failure's message. */
async function writesFailure(finish: () => Promise<string | null>): Promise<string | null> {
  try {
    return await finish();
  } catch (error) {
    return (error as Error).message;
  }
}

function byteLength(data: string | Buffer): number {
  return typeof data === 'string' ? Buffer.byteLength(data) : data.length;
}

function asSiteError(error: unknown, what: string): HotpapersError {
  if (error instanceof HotpapersError) return error;
  return new HotpapersError('site', `${what} (${(error as Error).message})`, { cause: error });
}

/** Refuse to replace a folder that is not a hotpapers site (e.g. `--out .` by mistake). */
function checkReplaceable(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new HotpapersError('site', `${dir} exists and is not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(SITE_MARKER)) {
    throw new HotpapersError(
      'site',
      `${dir} is not empty and was not written by hotpapers site; choose another --out`,
    );
  }
}

/** Remove temporary or retired folders of this target left by builds that died. */
function removeScratch(parent: string, name: string): void {
  for (const entry of readdirSync(parent)) {
    const m = SCRATCH.exec(entry);
    if (!m || m[1] !== name || isAlive(Number(m[3]))) continue;
    rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** `root/path`, refusing paths that would leave `root`. */
function safeJoin(root: string, path: string): string {
  const target = resolve(root, path);
  if (!target.startsWith(root + sep))
    throw new HotpapersError('site', `refusing to write outside the site: ${path}`);
  return target;
}

/** A generation being written beside the live site; `commit` swaps it in whole. */
export interface Generation extends GenerationOutput {
  /** Absolute path of the folder the generation is written into. */
  readonly temp: string;
  commit(): Promise<WriteResult>;
  abort(): Promise<void>;
}

/**
 * Start the next generation of the site at `outDir` (or, with `into`, of a folder the caller
 * manages: then `commit` only finishes the writes). Unchanged files of the previous generation
 * (`from`, default `outDir`) are hard-linked; new ones are written by a worker thread.
 */
export function openGeneration(outDir: string, opts: { from?: string; into?: string } = {}): Generation {
  const job = opts.into ? undefined : prepare(outDir);
  const temp = opts.into ? resolve(opts.into) : job!.temp;
  if (opts.into) mkdirSync(temp, { recursive: true });
  const from = resolve(opts.from ?? outDir);
  const sizes = new Map<string, number>();
  const made = new Set<string>([temp]);
  const shared = new SharedArrayBuffer(4);
  const pending = new Int32Array(shared);
  // The first files are written here (an incremental build writes few: no thread to start);
  // past SYNC_WRITES a worker thread takes over, so a full build renders while files are written.
  let worker: Worker | undefined;
  let syncWrites = 0;
  let done = false;
  let previous: Manifest | undefined;
  try {
    previous = JSON.parse(readFileSync(join(from, MANIFEST_PATH), 'utf8')) as Manifest;
  } catch {
    previous = undefined;
  }
  const finish = () => endWorker(worker);
  const drop = () => rmSync(temp, { recursive: true, force: true });
  return {
    temp,
    previous,
    readPrevious(path) {
      try {
        return readFileSync(safeJoin(from, path));
      } catch {
        return undefined;
      }
    },
    readCurrent(path) {
      try {
        return readFileSync(safeJoin(temp, path));
      } catch {
        return undefined;
      }
    },
    append(path, chunk) {
      const target = safeJoin(temp, path);
      try {
        const folder = dirname(target);
        if (!made.has(folder)) {
          mkdirSync(folder, { recursive: true });
          made.add(folder);
        }
        appendFileSync(target, chunk);
      } catch (error) {
        throw asSiteError(error, `cannot write ${path}`);
      }
      sizes.set(path, (sizes.get(path) ?? 0) + chunk.length);
    },
    remove(path) {
      rmSync(safeJoin(temp, path), { force: true });
      sizes.delete(path);
    },
    write(path, data, now = false) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      const target = safeJoin(temp, path);
      const bytes = Array.isArray(data) ? data.reduce((n, c) => n + c.length, 0) : data.length;
      sizes.set(path, bytes);
      if (now || (!worker && syncWrites < SYNC_WRITES)) {
        syncWrites++;
        try {
          const folder = dirname(target);
          if (!made.has(folder)) {
            mkdirSync(folder, { recursive: true });
            made.add(folder);
          }
          writeFileSync(target, Array.isArray(data) ? Buffer.concat(data) : data);
        } catch (error) {
          throw asSiteError(error, `cannot write ${path}`);
        }
        return;
      }
      worker ??= new Worker(WORKER, { eval: true, workerData: { pending: shared }, execArgv: [] });
      const cost = Math.ceil(bytes / 1024) + 1;
      for (let now = Atomics.load(pending, 0); now > MAX_PENDING_KB; now = Atomics.load(pending, 0)) {
        Atomics.wait(pending, 0, now, 100);
      }
      Atomics.add(pending, 0, cost);
      const own = !Array.isArray(data) && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
      worker.postMessage({ target, data, cost }, own ? [(data as Buffer).buffer as ArrayBuffer] : []);
    },
    keep(path) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      const target = safeJoin(temp, path);
      const folder = dirname(target);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const source = safeJoin(from, path);
      try {
        linkSync(source, target);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return false;
        // A file system without hard links: a copy keeps the content (not the inode).
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') copyFileSync(source, target);
        else throw asSiteError(error, `cannot link ${path} into the new site`);
      }
      sizes.set(path, 0);
      return true;
    },
    async commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      const failure = await writesFailure(finish);
      if (failure !== null) {
        drop();
        throw new HotpapersError('site', `cannot write ${opts.into ?? outDir} (${failure})`);
      }
      if (!job) {
        let bytes = 0;
        for (const n of sizes.values()) bytes += n;
        return { dir: temp, files: sizes.size, bytes };
      }
      return swap(job, sizes);
    },
    async abort() {
      if (done) return;
      done = true;
      await finish().catch(() => null);
      drop();
    },
  };
}
