/**
 * The search index of a site build, a time segment at a time (the segments are described in
 * search-index.ts). A segment is made from the search fragments of its days alone, plus the list
 * of its papers ranked again later (masked): when neither changed since the previous generation
 * its files are kept whole without being read, so one new day rebuilds the open segment and the
 * heads of the segments whose papers it ranks again. Only one segment's papers are in memory at
 * a time, so a full build's memory does not grow with the history.
 */
import { createHash } from 'node:crypto';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { HotpapersError } from '../errors.js';
import { remembered } from '../util/remember.js';
import { waitWhile } from '../util/wait.js';
import {
  finishHead,
  headPath,
  type SearchEntry,
  type SegmentBody,
  type SegmentSummary,
  segmentBuilder,
  segmenter,
} from './search-index.js';
import { type Patched, patchSegment } from './search-patch.js';
import { takeSearchThread } from './threads.js';

/** What the build gives the search index: its days' fragments and the previous generation. */
export interface SearchBuildIo {
  /** The day's search fragment (lines `paperId\tSearchEntry JSON`). */
  fragment(day: string): Buffer;
  /** The content hash of the day's fragment. */
  fragmentHash(day: string): string;
  /** A file of the previous generation (undefined when missing). */
  readPrevious(path: string): Buffer | undefined;
  /**
   * Whether segment `id`'s days are those of the previous generation, each with the same search
   * fragment (none reloaded, none gone): its body key is then the previous summary's, and no
   * fragment hash of its days is asked for. Without it, every segment's days are hashed.
   */
  stable?(id: string): boolean;
  /** The content hash of the day's search fragment in the previous generation (undefined: none). */
  previousFragmentHash?(day: string): string | undefined;
  /** The day's search fragment in the previous generation. */
  previousFragment?(day: string): Buffer | undefined;
  /** Keep every file of the previous generation owned by `owner` unchanged, but those of `except`. */
  keepOwned(owner: string, except?: readonly string[]): void;
  /** Hand a file of this generation over (kept when its bytes did not change). */
  put(path: string, data: string, owner: string): void;
  /** Give the previous generation up (the build is made in full): `why` it cannot be followed. */
  stale(why: string): never;
}

/** Version of the segment files' layout: part of each segment's key. */
const FORMAT = 'search-segment-2';

/** The owner of a segment's files in the manifest. */
export function segmentOwner(id: string): string {
  return `s:${id}`;
}

/**
 * Build (or keep) every segment of `days` (newest first), counted from the site's newest day
 * `newest`. `masks`: per segment, its papers
 * ranked again in a later segment (maskedBySegment). `summaries`: folder of the per-segment
 * summary files (site path). Returns the segments, newest first.
 */
export function buildSearchSegments(
  days: readonly string[],
  newest: string,
  masks: ReadonlyMap<string, readonly string[]>,
  summaries: string,
  io: SearchBuildIo,
): SegmentSummary[] {
  const out: SegmentSummary[] = [];
  for (const [id, segDays] of bySegmentOf(days, newest)) {
    const owner = segmentOwner(id);
    const masked = maskedOf(masks, id);
    const path = `${summaries}/${id}.json`;
    const bodyFile = bodyPath(summaries, id);
    const emit = (p: string, data: string) => io.put(p, data, owner);
    const before = io.readPrevious(path);
    const previous =
      before && (JSON.parse(before.toString()) as SegmentSummary & { key: string; body?: string });
    // A stable segment's fragments are the previous generation's: so is its body key.
    const known =
      previous && typeof previous.body === 'string' && io.stable?.(id) ? previous.body : undefined;
    const bodyKey = known ?? bodyKeyOf(segDays, io.fragmentHash);
    const key = keyOf(bodyKey, masked);
    if (previous) {
      if (previous.key === key) {
        io.keepOwned(owner);
        out.push(previous);
        continue;
      }
      // Only its masked papers changed (a later day ranked one of them again): its head alone
      // is made again, from the body the build that made the segment left beside its summary
      // (a summary written before bodies were kept names none: the segment is made again).
      if (previous.body === bodyKey) {
        const body = readBody(io.readPrevious(bodyFile), id);
        if (!body) io.stale(`${bodyFile} is missing or does not parse`);
        io.keepOwned(owner, [headPath(id), path]);
        const made = finishHead(body, new Set(masked), emit);
        io.put(path, summaryFile({ key, bodyKey }, made), owner);
        out.push(made);
        continue;
      }
    }
    // Only some of its papers' entries changed (their rows): the files they are in are changed.
    // The previous files the patch reads are kept for the comparison below: each is read once
    // (none forgotten: a segment's files are bounded).
    const readOnce = remembered((p: string) => io.readPrevious(p), Number.POSITIVE_INFINITY);
    const patched =
      typeof previous?.body === 'string'
        ? patchOf(segDays, previous.body, bodyFile, id, { ...io, readPrevious: readOnce })
        : undefined;
    if (patched) {
      const files = new Map(patched.files).set(bodyFile, JSON.stringify(patched.body));
      const made = finishHead(patched.body, new Set(masked), (p, data) => files.set(p, data));
      // A file the segment keeps is handed over only when it changed: one taken over with the
      // segment and handed over again counts as written.
      for (const [p, data] of files) if (readOnce(p)?.equals(Buffer.from(data))) files.delete(p);
      io.keepOwned(owner, [path, ...files.keys()]);
      for (const [p, data] of files) emit(p, data);
      io.put(path, summaryFile({ key, bodyKey }, made), owner);
      out.push(made);
      continue;
    }
    const builder = segmentBuilder(id);
    for (const day of segDays) addFragment(builder, io.fragment(day).toString());
    const body = builder.finishBody(emit);
    io.put(bodyFile, JSON.stringify(body), owner);
    const summary = finishHead(body, new Set(masked), emit);
    io.put(path, summaryFile({ key, bodyKey }, summary), owner);
    out.push(summary);
  }
  return out;
}

/** Site path of a segment's body (what its head is made from; see finishHead), beside its summary. */
function bodyPath(summaries: string, id: string): string {
  return `${summaries}/${id}.body.json`;
}

/** A segment body file read back, or undefined when it is missing or not one of segment `id`. */
function readBody(bytes: Buffer | undefined, id: string): SegmentBody | undefined {
  if (!bytes) return undefined;
  try {
    const body = JSON.parse(bytes.toString()) as SegmentBody;
    const ok =
      body.id === id &&
      Array.isArray(body.papers) &&
      Array.isArray(body.categories) &&
      body.papers.length === body.categories.length &&
      typeof body.scores === 'object' &&
      body.scores !== null;
    return ok ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Segment `id` patched in place (search-patch.ts), when its days are those of the previous
 * generation, whose body key was `before`, and only some of their fragments changed.
 */
function patchOf(
  days: readonly string[],
  before: string,
  bodyFile: string,
  id: string,
  io: SearchBuildIo,
): Patched | undefined {
  const { previousFragmentHash, previousFragment } = io;
  if (!previousFragmentHash || !previousFragment) return undefined;
  const hashes = new Map(days.map((day) => [day, previousFragmentHash(day)]));
  if ([...hashes.values()].includes(undefined)) return undefined;
  if (bodyKeyOf(days, (day) => hashes.get(day)!) !== before) return undefined;
  const body = readBody(io.readPrevious(bodyFile), id);
  if (typeof body?.bytes !== 'number') return undefined;
  const changed = days.filter((day) => hashes.get(day) !== io.fragmentHash(day));
  return patchSegment(body, changed, {
    fragment: (day) => io.fragment(day),
    previousFragment,
    readPrevious: (path) => io.readPrevious(path),
  });
}

/** The days of `days` (newest first) by segment counted from `newest`, newest segment first. */
function bySegmentOf(days: readonly string[], newest = days[0] ?? ''): Map<string, string[]> {
  const bySegment = new Map<string, string[]>();
  const segmentOfDay = segmenter(newest);
  for (const day of days) {
    const s = segmentOfDay(day);
    const list = bySegment.get(s);
    if (list) list.push(day);
    else bySegment.set(s, [day]);
  }
  return bySegment;
}

/** Add a day's search fragment (lines `paperId TAB SearchEntry JSON`) to a segment. */
export function addFragment(builder: { add(e: SearchEntry): void }, fragment: string): void {
  for (const line of fragment.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab >= 0) builder.add(JSON.parse(line.slice(tab + 1)) as SearchEntry);
  }
}

/** A segment's masked papers, sorted (as its key takes them). */
function maskedOf(masks: ReadonlyMap<string, readonly string[]>, id: string): string[] {
  return [...(masks.get(id) ?? [])].sort();
}

/**
 * A segment's body key: a hash of its days' fragments (newest first), what every file but the
 * head is made from.
 */
function bodyKeyOf(days: readonly string[], hashOf: (day: string) => string): string {
  // One text, hashed in one call (the same bytes as a line at a time): a segment has up to 256 days.
  return createHash('sha1')
    .update(FORMAT)
    .update(days.map((day) => `\n${day}\t${hashOf(day)}`).join(''))
    .digest('base64');
}

/**
 * A segment's key: of its body key and its masked papers (sorted). Made from the body key, not
 * the fragments, so a stable segment's key needs none of its days' fragment hashes.
 */
function keyOf(bodyKey: string, masked: readonly string[]): string {
  return createHash('sha1')
    .update(`${FORMAT}\n${bodyKey}\n${masked.join(' ')}`)
    .digest('base64');
}

/** A segment's keys, from its days' fragment hashes (a segment just made). */
function segmentKeys(
  days: readonly string[],
  hashOf: (day: string) => string,
  masked: readonly string[],
): { key: string; bodyKey: string } {
  const bodyKey = bodyKeyOf(days, hashOf);
  return { key: keyOf(bodyKey, masked), bodyKey };
}

/** A segment's summary file: its keys and what the meta needs, read back by the next build. */
function summaryFile(keys: { key: string; bodyKey: string }, summary: SegmentSummary): string {
  return JSON.stringify({ key: keys.key, body: keys.bodyKey, ...summary });
}

/** Each paper's ranking days, newest first, for the papers ranked more than once. */
export function* rankingDays(
  appearances: ReadonlyMap<string, ReadonlyArray<{ day: { day: string } }>>,
): Iterable<[string, string[]]> {
  for (const [id, list] of appearances) if (list.length > 1) yield [id, list.map((a) => a.day.day)];
}

/**
 * Days a full build needs before its index gets a thread of its own (starting one costs ~25 ms
 * of CPU), and the fragments the builder may run ahead of the thread before it waits. That bounds
 * memory: a day's fragment is ~45 KB, so ~6 MB at most. The thread makes a whole segment when
 * the next one begins (hundreds of ms for a large one): with 32 the builder of a 300-day full
 * build waited ~230 ms for it, with 128 it goes on meanwhile (whole builds ~2% faster, 5 December
 * 2026).
 */
export const searchThreadPolicy = { minDays: 24, maxBehind: 128 };

/** A finished segment as the search thread sends it: every file but the head, and what the head needs. */
interface MadeSegment {
  id: string;
  days: number;
  files: Array<[string, string]>;
  body: SegmentBody;
}

/**
 * The search index of a full build, made on a worker thread (search-worker.ts) while the builder
 * renders: each day's fragment is handed over as it is made, oldest first, and the thread makes
 * a segment as soon as a day of the next one comes; its files are handed to `put` at the next
 * fragment. Only the heads wait for the end, when the masked papers are known.
 */
export interface SearchThread {
  /** Hand a day's fragment over (days oldest first). */
  add(day: string, fragment: string): void;
  /**
   * Tell the thread that no day follows: it makes its last segments while the builder goes on
   * (finish then waits for them). Once; finish does it when it was not done.
   */
  end(): void;
  /**
   * Wait for the last segment and hand every file over, as buildSearchSegments would have made
   * them for `days`; returns the segments, the days of any segment the thread could not make
   * (`rebuild`: when the newest day failed to load, the thread counted the last segment from it)
   * and a function that puts the summary files, to call once the fragments' hashes are known.
   */
  finish(
    days: readonly string[],
    masks: ReadonlyMap<string, readonly string[]>,
    summaries: string,
  ): {
    segments: SegmentSummary[];
    rebuild: string[];
    putSummaries(fragmentHash: (day: string) => string): void;
  };
}

/** Start the search thread of a full build whose newest day is `newest`; its files go to `put`. */
export function startSearchThread(
  newest: string,
  put: (path: string, data: string, owner: string) => void,
): SearchThread {
  const progress = new SharedArrayBuffer(4);
  const done = new Int32Array(progress);
  const channel = new MessageChannel();
  const worker = takeSearchThread();
  // Its first message: the newest day, the count it raises and the port its segments go to.
  worker.postMessage({ init: { newest, progress, port: channel.port2 } }, [channel.port2]);
  // A build that fails part-way leaves the thread idle: it must not keep the process alive.
  worker.unref();
  let sent = 0;
  let ended = false;
  /** The segments handed over so far: what their heads need. */
  const made = new Map<string, Pick<MadeSegment, 'days' | 'body'>>();
  let failure: string | null | undefined;
  const fail = (why: string): never => {
    void worker.terminate();
    throw new HotpapersError('site', `the search index thread failed: ${why}`);
  };
  /** Each message the thread has sent so far: its failure noted, each segment to `take`. */
  const drain = (take: (segment: MadeSegment) => void) => {
    for (let m = receiveMessageOnPort(channel.port1); m; m = receiveMessageOnPort(channel.port1)) {
      const message = m.message as MadeSegment | { failure: string | null };
      if ('failure' in message) failure = message.failure;
      else take(message);
    }
  };
  const end = () => {
    if (ended) return;
    ended = true;
    worker.postMessage({ end: true });
    sent++;
  };
  /** Hand over the files of every segment the thread has made so far. */
  const receive = () =>
    drain((segment) => {
      const owner = segmentOwner(segment.id);
      for (const [path, data] of segment.files) put(path, data, owner);
      made.set(segment.id, { days: segment.days, body: segment.body });
    });
  return {
    add(day, fragment) {
      receive();
      const max = searchThreadPolicy.maxBehind;
      if (sent - Atomics.load(done, 0) > max && !waitWhile(done, (k) => sent - k > max))
        fail('it stopped answering');
      worker.postMessage({ day, fragment });
      sent++;
    },
    end,
    finish(days, masks, summaries) {
      end();
      if (!waitWhile(done, (k) => k < sent)) fail('it stopped answering');
      // The segments closed by a later day were handed over by `add`. The last ones, made at the
      // end, are handed over only if the build wants them: when the newest day failed to load,
      // the thread counted the last segment from it.
      const last = new Map<string, MadeSegment>();
      drain((segment) => last.set(segment.id, segment));
      channel.port1.close();
      void worker.terminate();
      if (failure === undefined) fail('it stopped before the end');
      if (failure) fail(failure);
      const want = bySegmentOf(days);
      for (const [id, segment] of made)
        if (want.get(id)?.length !== segment.days)
          fail(`it made segment ${id} of other days than the build's`);
      const out: SegmentSummary[] = [];
      const rebuild: string[] = [];
      const keys: Array<[string, string[], string[], SegmentSummary]> = [];
      for (const [id, segDays] of want) {
        const segment = made.get(id) ?? last.get(id);
        if (segment?.days !== segDays.length) {
          rebuild.push(...segDays);
          continue;
        }
        const owner = segmentOwner(id);
        for (const [path, data] of last.get(id)?.files ?? []) put(path, data, owner);
        const masked = maskedOf(masks, id);
        put(bodyPath(summaries, id), JSON.stringify(segment.body), owner);
        const summary = finishHead(segment.body, new Set(masked), (path, data) => put(path, data, owner));
        keys.push([id, segDays, masked, summary]);
        out.push(summary);
      }
      return {
        segments: out,
        rebuild,
        putSummaries(fragmentHash) {
          for (const [id, segDays, masked, summary] of keys)
            put(
              `${summaries}/${id}.json`,
              summaryFile(segmentKeys(segDays, fragmentHash, masked), summary),
              segmentOwner(id),
            );
        },
      };
    },
  };
}
