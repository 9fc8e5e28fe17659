/**
 * Jetstream wire format (bluesky-social/jetstream README; research/social-sources.md §11.3),
 * pure: one JSON message per event, `kind` commit | identity | account, `time_us` the cursor.
 * A post commit becomes what the listener stores: the post with the arXiv ids it links, or a
 * deletion. Identity and account events only move the cursor.
 */
import { arxivIdsInLinks } from '../match/links.js';
import { extractRecordLinks } from '../sources/bluesky.js';
import type { Post } from '../types.js';

const POST_COLLECTION = 'app.bsky.feed.post';

/** A Jetstream event as the listener reads it. */
export type JetstreamEvent =
  | {
      kind: 'commit';
      did: string;
      timeUs: number;
      operation: 'create' | 'update' | 'delete';
      collection: string;
      rkey: string;
      cid?: string;
      record?: Record<string, unknown>;
    }
  | { kind: 'identity' | 'account' | 'other'; did: string; timeUs: number };

/** What one event asks of the store. */
export type StreamAction =
  /** A created or updated post linking papers: store it with the ids it links. */
  | { type: 'upsert'; post: Post; paperIds: string[]; observedAt: string; update: boolean }
  /** An updated post that links no paper any more: drop its paper links if stored. */
  | { type: 'unlink'; postId: string }
  /** A deleted post: mark it if stored. */
  | { type: 'delete'; postId: string; at: string };

/** Parse one message; null when it is not a Jetstream event (no did or time_us). */
export function parseJetstreamMessage(text: string): JetstreamEvent | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(body) || typeof body.did !== 'string' || !isTimeUs(body.time_us)) return null;
  const base = { did: body.did, timeUs: body.time_us };
  if (body.kind === 'identity' || body.kind === 'account') return { kind: body.kind, ...base };
  if (body.kind !== 'commit' || !isObject(body.commit)) return { kind: 'other', ...base };
  const c = body.commit;
  const operation = c.operation;
  if (
    (operation !== 'create' && operation !== 'update' && operation !== 'delete') ||
    typeof c.collection !== 'string' ||
    typeof c.rkey !== 'string'
  ) {
    return { kind: 'other', ...base };
  }
  return {
    kind: 'commit',
    ...base,
    operation,
    collection: c.collection,
    rkey: c.rkey,
    cid: typeof c.cid === 'string' ? c.cid : undefined,
    record: isObject(c.record) ? c.record : undefined,
  };
}

/** The store action an event calls for, or null (other collections, identity, account, no paper). */
export function actionOf(event: JetstreamEvent): StreamAction | null {
  if (event.kind !== 'commit' || event.collection !== POST_COLLECTION) return null;
  const postId = `at://${event.did}/${POST_COLLECTION}/${event.rkey}`;
  const at = isoOfTimeUs(event.timeUs);
  if (event.operation === 'delete') return { type: 'delete', postId, at };
  const record = event.record;
  if (!record) return null;
  const links = extractRecordLinks(record);
  const paperIds = arxivIdsInLinks(links).map((r) => r.id);
  if (paperIds.length === 0) return event.operation === 'update' ? { type: 'unlink', postId } : null;
  const text = typeof record.text === 'string' ? stripControl(record.text) : '';
  const post: Post = {
    source: 'bluesky',
    id: postId,
    authorId: event.did,
    // The stream names no handle: the web address uses the DID until a refresh brings the handle.
    url: `https://bsky.app/profile/${event.did}/post/${event.rkey}`,
    text,
    createdAt: isoOrUndefined(record.createdAt) ?? at,
    links,
    metrics: { reposts: 0, likes: 0, replies: 0, quotes: 0 },
    // No `raw`: the store keeps no payload for Bluesky (see keptRaw) and nothing reads it.
  };
  return { type: 'upsert', post, paperIds, observedAt: at, update: event.operation === 'update' };
}

/** The subscribe URL: wanted collection posts, and a cursor when resuming. */
export function subscribeUrl(base: string, cursorUs?: number): string {
  const url = new URL(base);
  url.searchParams.set('wantedCollections', POST_COLLECTION);
  if (cursorUs !== undefined) url.searchParams.set('cursor', String(Math.max(0, Math.floor(cursorUs))));
  else url.searchParams.delete('cursor');
  return url.toString();
}

/** ISO instant of a `time_us` (unix microseconds). */
export function isoOfTimeUs(timeUs: number): string {
  return new Date(Math.floor(timeUs / 1000)).toISOString();
}

function isTimeUs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

// C0/C1 controls other than newline and tab never reach the store.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
