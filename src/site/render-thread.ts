/**
 * Paper pages of a full site build rendered on a thread of their own (render-worker.ts). The
 * builder's thread is a full build's critical path (it loads every day and renders every page,
 * while the writer and the search index run beside it); the paper pages are its largest part,
 * and each is a pure function of a little of the day's data. The builder hands a paper page to
 * the thread while the thread keeps up, and renders it itself when the thread is behind, so the
 * two share the pages as the cores allow. The pages come back in the order handed over and go
 * through the builder's `put` as its own would: the site's bytes and manifest are the same. In a
 * build whose writer thread hashes what it writes, the thread writes its pages there itself and
 * only their paths come back (the builder neither receives the pages nor sends them on: a 300-day
 * full build took ~3% less CPU and wall time, 5 December 2026).
 */
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { HotpapersError } from '../errors.js';
import { waitWhile } from '../util/wait.js';
import type { Appearance, PageContext } from './fragments.js';
import { type PageSpec, renderTypesetPage, type ShellContext } from './layout.js';
import { type EmbedRecord, type ListAppearance, type PaperExtras, postKey, type SiteDay } from './model.js';
import { paperBody } from './pages.js';
import { type DirectWrites, takeRenderThread, WRITER_STOPPED } from './threads.js';

/**
 * When a full build renders paper pages on a thread (tests turn it on for small sites, or off),
 * and how many pages handed to the thread and not back yet make the builder render the next
 * ones itself. The thread runs below the builder's priority and may fall this far behind: the
 * pages it holds when the days end are made while the builder makes the list pages (~0.2 s of
 * its pages; each task is ~4 KB while it waits, ~6 MB at most).
 */
export const renderThreadPolicy = { minDays: 24, maxBehind: 1500 };

/** What a paper page is made from, as much as its page shows and no more (it is copied to the thread). */
export interface PaperTask {
  spec: Omit<PageSpec, 'body' | 'math' | 'feeds'>;
  appearances: [Appearance, ...ListAppearance[]];
  extras: PaperExtras | undefined;
  ctx: PageContext;
}

/** Its day as a paper page reads it: the date, the horizon, the digest's head and its count of papers. */
function dayOf(day: SiteDay | ListAppearance['day'], withCount: boolean): SiteDay {
  const d = day.digest as SiteDay['digest'];
  return {
    day: day.day,
    categoriesKey: day.categoriesKey,
    horizon: day.horizon,
    digest: {
      ...d,
      // Only the count is read (the breakdown's "rank r of n"): an array of that length with no
      // element is copied as its length alone.
      papers: withCount ? new Array(d.papers.length) : [],
    },
  };
}

/**
 * The task of a paper page: its appearances (newest first, the latest in full), what the store
 * adds, and of the day's context the paper's own enrichment, thumbnail and posts' embeds.
 */
export function paperTask(
  spec: PaperTask['spec'],
  appearances: readonly [Appearance, ...ListAppearance[]],
  extras: PaperExtras | undefined,
  ctx: PageContext,
): PaperTask {
  const [latest, ...older] = appearances;
  const id = latest.ranked.paper.id;
  const embeds = new Map<string, EmbedRecord>();
  for (const post of [...latest.ranked.posts, ...(extras?.posts ?? [])]) {
    const key = postKey(post);
    const record = ctx.embeds.get(key);
    if (record) embeds.set(key, record);
  }
  const enrichment = ctx.enrichments?.get(id);
  const thumb = ctx.thumbs?.get(id);
  return {
    spec,
    appearances: [
      { day: dayOf(latest.day, true), ranked: latest.ranked },
      ...older.map((a) => ({
        day: dayOf(a.day, false),
        ranked: {
          rank: a.ranked.rank,
          score: a.ranked.score,
          paper: { id, title: '', categories: [], primaryCategory: '' },
        },
      })),
    ],
    extras,
    ctx: {
      siteTitle: ctx.siteTitle,
      baseUrl: ctx.baseUrl,
      liveEmbeds: ctx.liveEmbeds,
      dayPosts: ctx.dayPosts,
      embeds,
      enrichments: enrichment ? new Map([[id, enrichment]]) : undefined,
      thumbs: thumb
        ? new Map([[id, { path: thumb.path, width: thumb.width, height: thumb.height }]])
        : undefined,
    },
  };
}

/** A paper page made from its task: the page, and whether it typesets math. */
export function renderPaperTask(
  task: PaperTask,
  shell: ShellContext,
  feeds: NonNullable<PageSpec['feeds']>,
): [html: string, math: boolean] {
  return renderTypesetPage(
    { ...task.spec, body: paperBody(task.appearances, task.extras, task.ctx), feeds },
    shell,
  );
}

/** A page the thread made: its path, the page (null: the thread wrote it, see DirectWrites), whether it typesets math. */
export type RenderedPage = [path: string, html: string | null, math: boolean];

/**
 * What the builder does with a page the thread made (its own `put`, with the entry's owner and
 * key; html null: the thread wrote it, and the builder only enters it).
 */
export type PutPage = (
  path: string,
  html: string | null,
  owner: string,
  math: boolean,
  key: string | undefined,
) => void;

/** The builder's side of the render thread. */
export interface RenderThread {
  /**
   * Whether to hand `path` over: the thread still holds a page of that path (order), or it keeps
   * up and, when it writes its pages itself, the path was not put before in this build (`putBefore`):
   * the writer takes the two threads' writes in no set order, so the builder writes it again,
   * after waiting for the writer when the thread may have written it.
   */
  wants(path: string, putBefore?: boolean): boolean;
  /** Pages handed over so far. */
  readonly handed: number;
  /** Hand a page over (sent with the others of the day at `flush`). */
  add(task: PaperTask, owner: string, key: string | undefined): void;
  /** Send the pages handed over since the last flush, and put those the thread has made so far. */
  flush(put: PutPage): void;
  /** Wait for every page handed over, put them, and stop the thread. */
  finish(put: PutPage): void;
  /** Stop the thread (a build that failed part-way). */
  stop(): void;
}

/**
 * Start a render thread for a full build whose pages have shell `shell` and advertise `feeds`;
 * with `direct`, the thread writes its pages itself and hands back only their paths: the pages
 * are not copied to the builder's thread and from it to the writer's.
 */
export function startRenderThread(
  shell: ShellContext,
  feeds: NonNullable<PageSpec['feeds']>,
  direct?: DirectWrites,
): RenderThread {
  const progress = new SharedArrayBuffer(4);
  const done = new Int32Array(progress);
  const channel = new MessageChannel();
  const worker = takeRenderThread();
  worker.postMessage({ init: { shell, feeds, progress, port: channel.port2, direct } }, [
    channel.port2,
    ...(direct ? [direct.port] : []),
  ]);
  // A build that fails part-way leaves the thread idle: it must not keep the process alive.
  worker.unref();
  /** Pages handed over in order, and not put yet: path, owner, key. */
  const queue: Array<[string, string, string | undefined]> = [];
  let head = 0;
  /** Pages handed over and dropped from the queue (put). */
  let handed = 0;
  /** Paths handed over and not put yet, with how many times each. */
  const pendingPaths = new Map<string, number>();
  let batch: PaperTask[] = [];
  let sent = 0;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    channel.port1.close();
    void worker.terminate();
  };
  const fail = (why: string): never => {
    stop();
    throw new HotpapersError('site', `the paper page thread failed: ${why}`);
  };
  /** Put every page the thread has made so far, in the order handed over. */
  const drain = (put: PutPage) => {
    for (let m = receiveMessageOnPort(channel.port1); m; m = receiveMessageOnPort(channel.port1)) {
      const message = m.message as { pages: RenderedPage[] } | { failure: string };
      if ('failure' in message) fail(message.failure);
      for (const [path, html, math] of (message as { pages: RenderedPage[] }).pages) {
        const [want, owner, key] = queue[head++]!;
        // What was put is dropped now and then (a build of 3,000 days hands over 75,000 pages).
        if (head >= 1024) {
          handed += head;
          queue.splice(0, head);
          head = 0;
        }
        if (want !== path) fail(`it made ${path} where ${want} was expected`);
        const left = pendingPaths.get(path)! - 1;
        if (left > 0) pendingPaths.set(path, left);
        else pendingPaths.delete(path);
        // The builder's own string of the path (the one the files' table keeps), not the copy.
        put(want, html, owner, math, key);
      }
    }
  };
  const behind = () => {
    const k = Atomics.load(done, 0);
    if (k === WRITER_STOPPED) fail('it stopped');
    return sent + batch.length - k;
  };
  const flush = (put: PutPage) => {
    if (batch.length > 0) {
      worker.postMessage({ tasks: batch });
      sent += batch.length;
      batch = [];
    }
    drain(put);
  };
  return {
    get handed() {
      return handed + queue.length;
    },
    wants: (path, putBefore = false) =>
      pendingPaths.has(path) || (!(direct && putBefore) && behind() < renderThreadPolicy.maxBehind),
    add(task, owner, key) {
      batch.push(task);
      queue.push([task.spec.path, owner, key]);
      pendingPaths.set(task.spec.path, (pendingPaths.get(task.spec.path) ?? 0) + 1);
    },
    flush,
    finish(put) {
      flush(put);
      if (!waitWhile(done, (k) => k !== WRITER_STOPPED && k < sent)) fail('it stopped answering');
      if (Atomics.load(done, 0) === WRITER_STOPPED) fail('it stopped');
      // Each batch's pages are posted before the batch is counted done: all are here now.
      drain(put);
      if (head < queue.length) fail(`${queue.length - head} page(s) did not come back`);
      stop();
    },
    stop,
  };
}
