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
import { basename, dirname, join, resolve } from 'node:path';
import { MessageChannel, type MessagePort, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import { HotpapersError } from '../errors.js';
import { isAlive } from '../util/atomic.js';
import { waitWhile } from '../util/wait.js';
import { type GenerationOutput, SITE_MARKER, type SiteFiles } from './build.js';
import { MANIFEST_PATH, type Manifest, readManifest as readSlices } from './manifest.js';
import { safeJoin } from './safe-join.js';
import { type DirectWrites, exited, reserveWrite, takeWriterThread, writeCost } from './threads.js';

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

/** Files a generation writes on the calling thread before a worker thread takes over. */
const SYNC_WRITES = 400;

/** Unwritten kilobytes the builder may run ahead of the worker before it waits (bounds memory). */
const MAX_PENDING_KB = 8 * 1024;

/** A batch goes to the worker once it holds this many files or kilobytes. */
const BATCH_FILES = 64;
const BATCH_KB = 512;

/** Why a build's files were not written when its writer thread ended before they were. */
const WRITER_GONE = 'the writer thread stopped';

/** Writer threads started and batches posted to them by site writers in this process (tests count them). */
export const writerStats = { threads: 0, batches: 0 };

/**
 * A writer thread fed in batches, started on the first file: `add` queues a file (absolute path),
 * `finish` sends the last batch and waits for every write (null when all went well, else why not).
 */
function writerThread() {
  const shared = new SharedArrayBuffer(4);
  const pending = new Int32Array(shared);
  const channel = new MessageChannel();
  let worker: Worker | undefined;
  let targets: string[] = [];
  let data: Array<string | Buffer | Buffer[]> = [];
  let keys: Array<string | null> = [];
  let transfer = new Set<ArrayBuffer>();
  let cost = 0;
  /** Why the worker can no longer write, once it cannot. */
  let stopped: string | undefined;
  /**
   * Throw once the worker has stopped, or when the wait for it gave up (`answered` false): its
   * files will never be written.
   */
  const check = (answered: boolean) => {
    // A stopped writer leaves the count far below zero (WRITER_STOPPED); a live one never does.
    if (!stopped && answered && Atomics.load(pending, 0) >= 0) return;
    stopped ??= answered ? WRITER_GONE : `${WRITER_GONE} answering`;
    throw new HotpapersError('site', `cannot write the site (${stopped})`);
  };
  const flush = () => {
    if (targets.length === 0 || stopped) return;
    // Back-pressure: wait while the worker is far behind (blocking is fine: the builder is synchronous).
    check(reserveWrite(pending, cost, MAX_PENDING_KB));
    worker ??= startWorker(shared, channel.port2);
    worker.postMessage({ targets, data, keys, cost }, [...transfer]);
    writerStats.batches++;
    targets = [];
    data = [];
    keys = [];
    transfer = new Set();
    cost = 0;
  };
  return {
    /** Queue a file; with a `key`, `content` is a text the thread encodes and hashes (see `hashes`). */
    add(target: string, content: string | Buffer | Buffer[], bytes: number, key: string | null = null): void {
      targets.push(target);
      data.push(content);
      keys.push(key);
      cost += writeCost(bytes);
      // A Buffer with an ArrayBuffer of its own moves to the worker without a copy; the sink owns it.
      if (
        typeof content !== 'string' &&
        !Array.isArray(content) &&
        content.byteOffset === 0 &&
        content.byteLength === content.buffer.byteLength
      )
        transfer.add(content.buffer as ArrayBuffer);
      if (targets.length >= BATCH_FILES || cost >= BATCH_KB) flush();
    },
    /** A port for another thread to post batches of its own on (counted in the same `pending`). */
    connect(): { port: MessagePort; pending: SharedArrayBuffer } {
      check(true);
      worker ??= startWorker(shared, channel.port2);
      const link = new MessageChannel();
      worker.postMessage({ port: link.port2 }, [link.port2]);
      return { port: link.port1, pending: shared };
    },
    /** Wait until every queued file is written; the hashes and sizes of those queued with a key, by key. */
    hashes(into: Map<string, string>, sizes: Map<string, number>): void {
      flush();
      check(stopped !== undefined || waitWhile(pending, (k) => k > 0));
      for (let m = receiveMessageOnPort(channel.port1); m; m = receiveMessageOnPort(channel.port1))
        for (const [key, hash, size] of m.message as Array<[string, string, number]>) {
          into.set(key, hash);
          sizes.set(key, size);
        }
    },
    finish(): Promise<string | null> {
      try {
        flush();
      } catch (error) {
        // A writer found stopped is this promise's answer, not a second error.
        if (!stopped) throw error;
      }
      channel.port1.close();
      if (!worker) channel.port2.close();
      if (stopped) {
        void worker?.terminate();
        return Promise.resolve(stopped);
      }
      return endWorker(worker);
    },
  };
}

function startWorker(shared: SharedArrayBuffer, hashes: MessagePort): Worker {
  writerStats.threads++;
  const worker = takeWriterThread();
  // Its first message: the count it lowers and the port its hashes go to.
  worker.postMessage({ init: { pending: shared, hashes } }, [hashes]);
  return worker;
}

/** Like openSiteWriter, but the files are written by a worker thread as they come. */
export function openThreadedSiteWriter(outDir: string): ThreadedSiteWriter {
  const job = prepare(outDir);
  const sizes = new Map<string, number>();
  const thread = writerThread();
  let done = false;

  const abort = async () => {
    if (done) return;
    done = true;
    await thread.finish().catch(() => null);
    rmSync(job.temp, { recursive: true, force: true });
  };

  return {
    add(path, data) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      const target = safeJoin(job.temp, path);
      const bytes = byteLength(data);
      thread.add(target, data, bytes);
      sizes.set(path, bytes);
    },
    async commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      await finishWrites(thread.finish, job.dir, () => rmSync(job.temp, { recursive: true, force: true }));
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
  return writeResult(job.dir, sizes);
}

/** Tell a writer thread to finish its queued writes: null when all went well, else why not. */
async function endWorker(worker: Worker | undefined): Promise<string | null> {
  if (!worker) return null;
  // Its 'exit' event is past (the thread died during the build): nothing will answer.
  if (exited(worker)) return WRITER_GONE;
  return new Promise<string | null>((resolvePromise, reject) => {
    worker.once('message', (m: { failure: string | null }) => resolvePromise(m.failure));
    worker.once('error', reject);
    // A thread that stopped without an error (killed) would otherwise leave the commit waiting.
    worker.once('exit', () => resolvePromise(WRITER_GONE));
    worker.postMessage({ end: true });
  }).finally(() => worker.terminate());
}

/**
 * Wait for the writes to end; when one failed (a thrown error counts), run `cleanup` and throw
 * one line naming `where`.
 */
async function finishWrites(
  finish: () => Promise<string | null>,
  where: string,
  cleanup: () => void,
): Promise<void> {
  let failure: string | null;
  try {
    failure = await finish();
  } catch (error) {
    failure = (error as Error).message;
  }
  if (failure === null) return;
  cleanup();
  throw new HotpapersError('site', `cannot write ${where} (${failure})`);
}

/** What a writer reports: the folder, its files and the bytes written. */
function writeResult(dir: string, sizes: ReadonlyMap<string, number>, unnamed = 0): WriteResult {
  let bytes = 0;
  for (const n of sizes.values()) bytes += n;
  return { dir, files: sizes.size + unnamed, bytes };
}

/** The size in bytes of a text (as UTF-8), a buffer or a file made of chunks. */
function byteLength(data: string | Buffer | Buffer[]): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  return Array.isArray(data) ? data.reduce((k, c) => k + c.length, 0) : data.length;
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

/** A generation being written: `commit` makes it the live site (swapped in whole, or renamed in file by file). */
export interface Generation extends GenerationOutput {
  /** Absolute path of the folder the generation is written into. */
  readonly temp: string;
  /** Whether the generation updates the live folder in place (only changed files are written). */
  readonly inPlace: boolean;
  commit(): Promise<WriteResult>;
  abort(): Promise<void>;
}

/** Folder (site path) of the files an in-place build writes before renaming them over their targets. */
export const PENDING_DIR = '.hotpapers/pending';
/** The journal of an in-place build: its renames and removals, written once every new file is whole. */
export const JOURNAL_PATH = '.hotpapers/journal.json';

interface Journal {
  /** [pending file name, site path], applied in order. */
  renames: Array<[string, string]>;
  /** Site paths to remove once the renames are done. */
  removals: string[];
}

/**
 * Start the next generation of the site at `outDir`.
 * - With `into`, the generation goes to a folder the caller manages (`serve`): unchanged files of
 *   `from` are hard-linked into it, and `commit` only finishes the writes.
 * - Into `outDir` whose manifest was made by the same `engine`: in place. Changed files are written
 *   under `.hotpapers/pending/`, then a journal of renames is written, then each file is renamed
 *   over its target (and files no longer in the site removed). Unchanged files are not touched, so
 *   the cost follows the change, not the size of the site. A build that dies before the journal
 *   leaves the live site as it was; one that dies after it is finished by the next build
 *   (`recoverSite`), so every file is always whole and the site is consistent once recovered.
 * - Otherwise (no previous site, another engine, `--full`): every file goes into a fresh folder
 *   beside `outDir`, which then replaces it by rename.
 */
export function openGeneration(
  outDir: string,
  opts: { from?: string; into?: string; engine?: string } = {},
): Generation {
  if (opts.into) return linkedGeneration(outDir, opts.into, opts.from);
  const dir = resolve(outDir);
  if (dir === dirname(dir)) throw new HotpapersError('site', `cannot write the site over ${dir}`);
  mkdirSync(dirname(dir), { recursive: true });
  if (existsSync(dir)) {
    checkReplaceable(dir);
    removeScratch(dirname(dir), basename(dir));
    recoverSite(dir);
  }
  // A full build (no engine to match) reads no manifest: at 3,000 days it is ~100,000 entries.
  const previous = opts.engine === undefined ? undefined : readSiteManifest(dir);
  if (previous && opts.engine !== undefined && previous.engine === opts.engine)
    return inPlaceGeneration(dir, previous);
  const unlock = lockSite(dir);
  let job: Job;
  try {
    job = prepare(outDir);
  } catch (error) {
    unlock();
    throw error;
  }
  const sink = fileSink();
  const sizes = new Map<string, number>();
  let done = false;
  return {
    temp: job.temp,
    inPlace: false,
    previous,
    readPrevious: (path) => readOrUndefined(safeJoin(dir, path)),
    readCurrent: (path) => readOrUndefined(safeJoin(job.temp, path)),
    append(path, chunk) {
      sink.append(safeJoin(job.temp, path), chunk, path);
      sizes.set(path, (sizes.get(path) ?? 0) + chunk.length);
    },
    remove(path) {
      rmSync(safeJoin(job.temp, path), { force: true });
      sizes.delete(path);
    },
    write(path, data, now = false) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      sizes.set(path, sink.write(safeJoin(job.temp, path), data, path, now));
    },
    writeHashed(path, data) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      sink.writeHashed(safeJoin(job.temp, path), data, path);
      // Its size in bytes comes back from the writer thread with its hash.
      sizes.set(path, 0);
    },
    directWrites: () => sink.connect(job.temp),
    noteHashed(path) {
      // Its size in bytes comes back from the writer thread with its hash (or came already).
      if (!sizes.has(path)) sizes.set(path, 0);
    },
    writtenHashes: () => sink.hashes(sizes),
    keep: () => false,
    async commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      try {
        await finishWrites(sink.finish, outDir, () => rmSync(job.temp, { recursive: true, force: true }));
        return swap(job, sizes);
      } finally {
        unlock();
      }
    },
    async abort() {
      if (done) return;
      done = true;
      await sink.finish().catch(() => null);
      rmSync(job.temp, { recursive: true, force: true });
      unlock();
    },
  };
}

/** The manifest of the site at `dir` (undefined when there is none or it does not parse). */
export function readSiteManifest(dir: string): Manifest | undefined {
  return readSlices((path) => readOrUndefined(safeJoin(dir, path)));
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Finish or undo what an in-place build that died left in the site at `dir`: with a journal,
 * every rename and removal it lists is done (those already done are skipped); without one, the
 * pending files are dropped (the live site was not touched yet).
 */
export function recoverSite(dir: string): void {
  const root = resolve(dir);
  const journalPath = join(root, JOURNAL_PATH);
  let journal: Journal | undefined;
  try {
    journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal;
  } catch {
    journal = undefined;
  }
  if (journal) {
    try {
      applyJournal(root, journal);
    } catch (error) {
      throw asSiteError(error, `cannot finish the interrupted build of ${root}`);
    }
    rmSync(journalPath, { force: true });
  }
  rmSync(`${journalPath}.tmp`, { force: true });
  rmSync(join(root, PENDING_DIR), { recursive: true, force: true });
}

/** Renames whose pending file is gone were done before; mkdir for targets in new folders. */
function applyJournal(root: string, journal: Journal, afterRename?: () => void): void {
  const made = new Set<string>();
  const pending = join(root, PENDING_DIR);
  for (const [name, path] of journal.renames) {
    const target = safeJoin(root, path);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    try {
      renameSync(join(pending, name), target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    afterRename?.();
  }
  for (const path of journal.removals) rmSync(safeJoin(root, path), { force: true });
}

/**
 * Fault points for the crash tests: `HOTPAPERS_SITE_CRASH=before-journal` makes an in-place build
 * SIGKILL its own process once its new files are written and before its journal is;
 * `HOTPAPERS_SITE_CRASH=rename:N` after N of its renames (in the middle of applying the journal).
 */
function crashPoint(at: 'before-journal' | 'rename'): (() => void) | undefined {
  const spec = process.env.HOTPAPERS_SITE_CRASH ?? '';
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (at === 'before-journal') return spec === 'before-journal' ? die : undefined;
  const m = /^rename:(\d+)$/.exec(spec);
  if (!m) return undefined;
  let done = 0;
  return () => {
    if (++done >= Number(m[1])) die();
  };
}

/** Order of the renames: pages before the lists that link them, the manifest last. */
function renameOrder(path: string): number {
  if (path === MANIFEST_PATH) return 3;
  if (path.startsWith('papers/') || path.startsWith('assets/') || path.startsWith('.hotpapers/')) return 0;
  if (path.startsWith('days/')) return 1;
  return 2;
}

/** The lock file of the site folder `dir` (beside it, so that a swap of the folder keeps it). */
function lockPathOf(dir: string): string {
  return join(dirname(dir), `.${basename(dir)}.lock`);
}

/** The live process holding the lock of the site folder `dir` (a build writing it), if any. */
export function siteLockHolder(dir: string): number | undefined {
  const holder = Number(readOrUndefined(lockPathOf(resolve(dir)))?.toString());
  return Number.isInteger(holder) && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

/** Lock of one site folder: one build writes into it at a time (a lock of a dead process is taken over). */
function lockSite(dir: string): () => void {
  const path = lockPathOf(dir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0)
        throw asSiteError(error, `cannot lock ${dir}`);
      const holder = siteLockHolder(dir);
      if (holder !== undefined)
        throw new HotpapersError(
          'site',
          `another build (pid ${holder}) is writing ${dir}; try again when it ends`,
        );
      rmSync(path, { force: true });
    }
  }
}

/** An in-place generation of the site at `dir` (see openGeneration). */
function inPlaceGeneration(dir: string, previous: Manifest): Generation {
  const unlock = lockSite(dir);
  // Recovered again under the lock: another build may have died between the first look and now.
  recoverSite(dir);
  const pending = join(dir, PENDING_DIR);
  mkdirSync(pending, { recursive: true });
  const sink = fileSink();
  const names = new Map<string, string>();
  const removals = new Set<string>();
  const sizes = new Map<string, number>();
  let n = 0;
  /** Files kept without being named (keepUnread). */
  let unnamed = 0;
  let done = false;
  const nameOf = (path: string) => {
    safeJoin(dir, path);
    let name = names.get(path);
    if (!name) {
      name = String(n++);
      names.set(path, name);
    }
    removals.delete(path);
    return join(pending, name);
  };
  const end = () => {
    rmSync(pending, { recursive: true, force: true });
    unlock();
  };
  return {
    temp: dir,
    inPlace: true,
    previous,
    readPrevious: (path) => readOrUndefined(safeJoin(dir, path)),
    readCurrent(path) {
      const name = names.get(path);
      return name === undefined ? undefined : readOrUndefined(join(pending, name));
    },
    append(path, chunk) {
      sink.append(nameOf(path), chunk, path);
      sizes.set(path, (sizes.get(path) ?? 0) + chunk.length);
    },
    remove(path) {
      const name = names.get(path);
      if (name !== undefined) rmSync(join(pending, name), { force: true });
      names.delete(path);
      sizes.delete(path);
      removals.add(path);
    },
    write(path, data, now = false) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      sizes.set(path, sink.write(nameOf(path), data, path, now));
    },
    keep(path) {
      // The file is already in place; the manifest says it is whole (`site --full` rewrites all).
      sizes.set(path, 0);
      return true;
    },
    keepUnread(count) {
      unnamed += count;
    },
    async commit() {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      done = true;
      await finishWrites(sink.finish, dir, end);
      const journal: Journal = {
        renames: [...names]
          .sort((a, b) => renameOrder(a[0]) - renameOrder(b[0]))
          .map(([path, name]) => [name, path]),
        removals: [...removals],
      };
      const journalPath = join(dir, JOURNAL_PATH);
      crashPoint('before-journal')?.();
      try {
        writeFileSync(`${journalPath}.tmp`, JSON.stringify(journal));
        renameSync(`${journalPath}.tmp`, journalPath);
      } catch (error) {
        end();
        throw asSiteError(error, `cannot write ${dir}`);
      }
      // From here on the build is committed: a failure leaves the journal for the next build.
      try {
        applyJournal(dir, journal, crashPoint('rename'));
        rmSync(journalPath, { force: true });
      } catch (error) {
        unlock();
        throw asSiteError(error, `cannot update ${dir} (the next build finishes it)`);
      }
      end();
      return writeResult(dir, sizes, unnamed);
    },
    async abort() {
      if (done) return;
      done = true;
      await sink.finish().catch(() => null);
      end();
    },
  };
}

/** A generation in a folder the caller manages, unchanged files hard-linked from `from` (serve). */
function linkedGeneration(outDir: string, into: string, fromDir: string | undefined): Generation {
  const temp = resolve(into);
  mkdirSync(temp, { recursive: true });
  const from = resolve(fromDir ?? outDir);
  const sink = fileSink();
  const sizes = new Map<string, number>();
  const made = new Set<string>([temp]);
  let done = false;
  const drop = () => rmSync(temp, { recursive: true, force: true });
  return {
    temp,
    inPlace: false,
    previous: readSiteManifest(from),
    readPrevious: (path) => readOrUndefined(safeJoin(from, path)),
    readCurrent: (path) => readOrUndefined(safeJoin(temp, path)),
    append(path, chunk) {
      sink.append(safeJoin(temp, path), chunk, path);
      sizes.set(path, (sizes.get(path) ?? 0) + chunk.length);
    },
    remove(path) {
      rmSync(safeJoin(temp, path), { force: true });
      sizes.delete(path);
    },
    write(path, data, now = false) {
      if (done) throw new HotpapersError('site', 'the site writer is closed');
      sizes.set(path, sink.write(safeJoin(temp, path), data, path, now));
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
      await finishWrites(sink.finish, into, drop);
      return writeResult(temp, sizes);
    },
    async abort() {
      if (done) return;
      done = true;
      await sink.finish().catch(() => null);
      drop();
    },
  };
}

/**
 * Writes files by absolute path: the first SYNC_WRITES on the calling thread (an incremental
 * build writes few: no thread to start), then by a worker thread, so a full build renders while
 * its files are written.
 */
function fileSink() {
  const made = new Set<string>();
  const hashes = new Map<string, string>();
  const thread = writerThread();
  let threaded = false;
  let syncWrites = 0;
  const folderFor = (target: string) => {
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
  };
  return {
    /** Write `data` to `target` (`now`: before returning); its size. */
    write(target: string, data: Buffer | Buffer[], path: string, now: boolean): number {
      const bytes = byteLength(data);
      if (now || (!threaded && syncWrites < SYNC_WRITES)) {
        syncWrites++;
        try {
          folderFor(target);
          writeFileSync(target, Array.isArray(data) ? Buffer.concat(data) : data);
        } catch (error) {
          throw asSiteError(error, `cannot write ${path}`);
        }
        return bytes;
      }
      threaded = true;
      thread.add(target, data, bytes);
      return bytes;
    },
    /**
     * Write the text `data` to `target`, its content hash (see `hashes`) made by whichever thread
     * writes it: the writer thread encodes and hashes what it writes, off the builder's thread.
     */
    writeHashed(target: string, data: string | Buffer | Buffer[], path: string): void {
      // Only a full build hands texts over to be hashed later: it writes thousands of files, so
      // they all go to the thread (its first few hundred on this thread cost ~0.2 s of rendering).
      threaded = true;
      hashes.delete(path);
      // The length in UTF-16 units stands for a text's bytes in the back-pressure count: measuring
      // the UTF-8 length here cost the rendering thread ~0.1 s of a 300-day build.
      thread.add(target, data, typeof data === 'string' ? data.length : byteLength(data), path);
    },
    /**
     * A way for another thread to write texts under `root` as writeHashed does (see DirectWrites).
     * Their hashes come back as writeHashed's do, keyed by site path; unlike writeHashed, none is
     * dropped when the builder hears of the file: its hash may have come back already.
     */
    connect(root: string): DirectWrites {
      threaded = true;
      return { ...thread.connect(), root, maxPendingKb: MAX_PENDING_KB };
    },
    /**
     * The hashes of the files written by writeHashed, by site path, their sizes in bytes into
     * `sizes` (waits for the writer thread).
     */
    hashes(sizes: Map<string, number>): Map<string, string> {
      thread.hashes(hashes, sizes);
      return hashes;
    },
    /** Append to `target` now. */
    append(target: string, chunk: Buffer, path: string): void {
      try {
        folderFor(target);
        appendFileSync(target, chunk);
      } catch (error) {
        throw asSiteError(error, `cannot write ${path}`);
      }
    },
    /** Wait for the worker's writes: null when all went well, else why not. */
    finish: () => thread.finish(),
  };
}
