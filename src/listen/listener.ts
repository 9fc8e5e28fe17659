/**
 * `hotpapers listen`: a long-running consumer of Bluesky's Jetstream that stores every post
 * linking an arXiv paper and every deletion of a stored post, so Bluesky counts do not depend
 * on search (and need no login): `post` refreshes the stored posts' counts with getPosts.
 *
 * Crash safety: events are applied in batches, each batch and the cursor (the newest `time_us`
 * applied) in one transaction, at least every `flushMs`. A process killed at any point has a
 * cursor that never runs ahead of what is stored; it resumes `overlapUs` before it, and the
 * writes are idempotent, so a replayed event changes nothing: no event lost, no duplicate.
 * Within one process a reconnection resumes at the newest event heard (kept in memory).
 * The connection is re-opened with capped exponential backoff (and jitter); an idle connection
 * (no event for `idleMs`, when the network is busy every second) counts as lost.
 */
import WebSocket from 'ws';
import { HotpapersError } from '../errors.js';
import { USER_AGENT } from '../http/client.js';
import type { Db } from '../store/db.js';
import {
  getStreamCursor,
  JETSTREAM,
  recordDeletions,
  saveStreamCursor,
  saveStreamPost,
  unlinkPost,
} from '../store/stream.js';
import type { Logger } from '../util/log.js';
import { actionOf, parseJetstreamMessage, type StreamAction, subscribeUrl } from './jetstream.js';

export interface ListenerOptions {
  /** Jetstream subscribe endpoint (BLUESKY_JETSTREAM_URL). */
  url: string;
  db: Db;
  log: Logger;
  /** Aborting stops the listener: the connection closes, the last batch and cursor are saved. */
  signal: AbortSignal;
  /** Replay this much before the saved cursor on resume (default 5 s). */
  overlapUs?: number;
  /** Longest time between two saves of batch and cursor (default 1 s). */
  flushMs?: number;
  /** A batch is saved as soon as it holds this many actions (default 500). */
  maxBatch?: number;
  /** First reconnect delay, doubling per failed attempt (default 1 s). */
  backoffBaseMs?: number;
  /** Longest reconnect delay (default 60 s). */
  backoffCapMs?: number;
  /** A connection silent this long is dropped and re-opened (default 60 s). */
  idleMs?: number;
  random?: () => number;
  /** Real clock for `updated_at` (never HOTPAPERS_NOW: this is bookkeeping). */
  clock?: () => Date;
}

/** What a listener did, for logs and tests. */
export interface ListenerStats {
  events: number;
  /** Posts linking a paper stored (created or updated). */
  stored: number;
  /** Deletions of stored posts recorded. */
  deleted: number;
  /** Connections opened. */
  connections: number;
  /** Newest `time_us` saved, if any. */
  cursorUs?: number;
}

export const DEFAULT_OVERLAP_US = 5_000_000;

/** Run until `signal` aborts; resolves with the stats once the final batch and cursor are saved. */
export async function runListener(options: ListenerOptions): Promise<ListenerStats> {
  const { db, log, signal } = options;
  const overlapUs = options.overlapUs ?? DEFAULT_OVERLAP_US;
  const flushMs = options.flushMs ?? 1000;
  const maxBatch = options.maxBatch ?? 500;
  const baseMs = options.backoffBaseMs ?? 1000;
  const capMs = options.backoffCapMs ?? 60_000;
  const idleMs = options.idleMs ?? 60_000;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? (() => new Date());
  // A malformed endpoint is a configuration error, not a connection to retry.
  subscribeUrlOrThrow(options.url);

  const stats: ListenerStats = { events: 0, stored: 0, deleted: 0, connections: 0 };
  const saved = getStreamCursor(db, JETSTREAM);
  stats.cursorUs = saved;
  /** Newest time_us seen (applied or in the pending batch). */
  let seenUs: number | undefined = saved;
  let pending: StreamAction[] = [];
  let pendingUs: number | undefined;

  const apply = db.transaction((actions: StreamAction[], cursorUs: number | undefined) => {
    for (const action of actions) {
      if (action.type === 'upsert') {
        saveStreamPost(db, action.post, action.paperIds, action.observedAt, action.update);
        stats.stored++;
      } else if (action.type === 'unlink') {
        unlinkPost(db, 'bluesky', action.postId);
      } else {
        stats.deleted += recordDeletions(db, 'bluesky', [action.postId], action.at, 'stream');
      }
    }
    if (cursorUs !== undefined) saveStreamCursor(db, JETSTREAM, cursorUs, clock().toISOString());
  });

  const flush = () => {
    if (pendingUs === undefined && pending.length === 0) return;
    const actions = pending;
    const cursorUs = pendingUs;
    try {
      apply(actions, cursorUs);
    } catch (error) {
      // E.g. the store busy beyond its timeout while `post` writes: keep the batch for the next save.
      log.warn(`listen: could not save a batch of ${actions.length} (${(error as Error).message}); retrying`);
      return;
    }
    pending = pending.slice(actions.length);
    if (pendingUs === cursorUs) pendingUs = undefined;
    if (cursorUs !== undefined) stats.cursorUs = Math.max(stats.cursorUs ?? 0, cursorUs);
  };

  const onMessage = (text: string) => {
    const event = parseJetstreamMessage(text);
    if (!event) return;
    stats.events++;
    const action = actionOf(event);
    if (action) pending.push(action);
    pendingUs = Math.max(pendingUs ?? 0, event.timeUs);
    seenUs = Math.max(seenUs ?? 0, event.timeUs);
    if (pending.length >= maxBatch) flush();
  };

  const timer = setInterval(flush, flushMs);
  let failures = 0;
  try {
    while (!signal.aborted) {
      // After a restart the overlap covers what the last process heard but had not saved; within
      // one process everything heard is kept, so a reconnection resumes at the newest event.
      const from = stats.events > 0 ? seenUs : seenUs === undefined ? undefined : seenUs - overlapUs;
      const url = subscribeUrl(options.url, from);
      stats.connections++;
      const outcome = await connectOnce(url, { signal, idleMs, onMessage, log });
      if (signal.aborted) break;
      // A connection that delivered events was healthy: start the backoff over.
      failures = outcome.received > 0 ? 0 : failures + 1;
      const delay = Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1)) * (0.5 + random() / 2);
      log.warn(
        `listen: connection to ${hostOf(options.url)} lost (${outcome.reason}); reconnecting in ${(delay / 1000).toFixed(1)} s`,
      );
      flush();
      await sleep(delay, signal);
    }
  } finally {
    clearInterval(timer);
    flush();
  }
  return stats;
}

interface ConnectOutcome {
  received: number;
  reason: string;
}

/** One connection: resolves when it closes, fails, idles out or the signal aborts. */
function connectOnce(
  url: string,
  options: { signal: AbortSignal; idleMs: number; onMessage: (text: string) => void; log: Logger },
): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    let received = 0;
    let settled = false;
    const ws = new WebSocket(url, { headers: { 'user-agent': USER_AGENT }, handshakeTimeout: 30_000 });
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () => finish(`no event for ${Math.round(options.idleMs / 1000)} s`, true),
        options.idleMs,
      );
    };
    const finish = (reason: string, terminate = false) => {
      if (settled) return;
      settled = true;
      if (idle) clearTimeout(idle);
      options.signal.removeEventListener('abort', onAbort);
      if (terminate) ws.terminate();
      else if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(1000);
      resolve({ received, reason });
    };
    const onAbort = () => finish('stopped');
    options.signal.addEventListener('abort', onAbort);
    ws.on('open', () => {
      options.log.info(`listen: connected to ${hostOf(url)}${cursorNote(url)}`);
      armIdle();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      if (settled) return;
      received++;
      armIdle();
      options.onMessage(rawText(data));
    });
    ws.on('unexpected-response', (_req, res) => finish(`HTTP ${res.statusCode ?? '?'} on connect`, true));
    ws.on('error', (error: Error) => finish(error.message.split('\n')[0] ?? 'error', true));
    ws.on('close', (code: number) => finish(`closed with code ${code}`));
  });
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function subscribeUrlOrThrow(base: string): void {
  try {
    const url = new URL(base);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error('not a ws(s) URL');
  } catch (error) {
    throw new HotpapersError(
      'listen',
      `BLUESKY_JETSTREAM_URL must be a ws(s) URL, got "${base}" (${(error as Error).message})`,
    );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function cursorNote(url: string): string {
  const cursor = new URL(url).searchParams.get('cursor');
  return cursor ? ` from cursor ${cursor}` : ' (live)';
}

/** Wait `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
