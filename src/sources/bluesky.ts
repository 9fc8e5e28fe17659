/**
 * Bluesky source (research/social-sources.md §3): an app-password session, then a domain sweep
 * of `app.bsky.feed.searchPosts` over the day's window, with a bounded per-paper fallback when
 * the sweep is cut short. Posts are returned as found; the pipeline matches them through `links`.
 *
 * Request budget per run: 1 createSession (the session is kept by the source object, so a
 * backfill reuses it), ⌈posts / 100⌉ search pages for `arxiv.org` plus usually one for
 * `alphaxiv.org`, and at most BLUESKY_FALLBACK_MAX per-paper searches when the sweep fails.
 * `huggingface.co` is not swept: most of its links are models and datasets, and the hf source
 * covers HF paper pages.
 */
import { HotpapersError, ParseError } from '../errors.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget, HttpError } from '../http/errors.js';
import type { Post } from '../types.js';
import { registerSecret } from '../util/redact.js';
import type { Source, SourceContext } from './source.js';

/** Link domains swept, in order. `arxiv.org` also covers `www.` and `export.` hosts. */
export const BLUESKY_SWEEP_DOMAINS: readonly string[] = ['arxiv.org', 'alphaxiv.org'];
/** Pages read per domain sweep (100 posts each) before giving up on the rest. */
export const BLUESKY_MAX_PAGES = 40;
/** Per-paper searches allowed when the sweep fails or finds nothing. */
export const BLUESKY_FALLBACK_MAX = 50;
/**
 * The sweep window runs from the announcement to now, but at most this long: posts about a
 * day's papers come in the first days, and a backfill of an old day must not sweep years.
 */
export const BLUESKY_WINDOW_MS = 14 * 24 * 3600_000;

// ---------------------------------------------------------------------------------------------
// Wire format (lexicons app.bsky.feed.defs#postView, app.bsky.richtext.facet, app.bsky.embed.*)

export interface BlueskyFacetFeature {
  $type?: string;
  uri?: string;
  [key: string]: unknown;
}

export interface BlueskyFacet {
  /** UTF-8 byte offsets into `text`: never used to slice a JS string. */
  index?: { byteStart: number; byteEnd: number };
  features?: BlueskyFacetFeature[];
}

export interface BlueskyExternal {
  uri?: string;
  title?: string;
  description?: string;
  thumb?: unknown;
}

/** Record embed or its view: external, images, record, recordWithMedia (media + record). */
export interface BlueskyEmbed {
  $type?: string;
  external?: BlueskyExternal;
  media?: BlueskyEmbed;
  record?: unknown;
  images?: unknown[];
  [key: string]: unknown;
}

export interface BlueskyRecord {
  $type?: string;
  text?: string;
  createdAt?: string;
  langs?: string[];
  facets?: BlueskyFacet[];
  embed?: BlueskyEmbed;
  [key: string]: unknown;
}

export interface BlueskyAuthor {
  did: string;
  handle: string;
  displayName?: string;
  avatar?: string;
  labels?: Array<{ val: string; [key: string]: unknown }>;
  createdAt?: string;
  [key: string]: unknown;
}

export interface BlueskyPostView {
  uri: string;
  cid: string;
  author: BlueskyAuthor;
  record: BlueskyRecord;
  embed?: BlueskyEmbed;
  replyCount?: number;
  repostCount?: number;
  likeCount?: number;
  quoteCount?: number;
  bookmarkCount?: number;
  indexedAt: string;
  labels?: unknown[];
  viewer?: unknown;
  [key: string]: unknown;
}

export interface BlueskySearchResponse {
  cursor?: string;
  hitsTotal?: number;
  posts: BlueskyPostView[];
}

/** One parsed searchPosts page. */
export interface BlueskyPage {
  posts: Post[];
  cursor?: string;
  hitsTotal?: number;
}

// ---------------------------------------------------------------------------------------------
// Pure parsing

const LINK_FACET = 'app.bsky.richtext.facet#link';

/** Every link a PostView carries: facet links, the record's external embed and the view's. */
export function extractBlueskyLinks(view: BlueskyPostView): string[] {
  const links: string[] = [];
  const add = (uri: unknown) => {
    if (typeof uri === 'string' && uri.trim() !== '' && !links.includes(uri.trim())) links.push(uri.trim());
  };
  for (const facet of asArray(view.record?.facets)) {
    for (const feature of asArray((facet as BlueskyFacet | null)?.features)) {
      const f = feature as BlueskyFacetFeature | null;
      if (f && f.$type === LINK_FACET) add(f.uri);
    }
  }
  for (const embed of [view.record?.embed, view.embed]) {
    add(embed?.external?.uri);
    // recordWithMedia keeps the link card under `media`; the quoted record's links are the
    // quoted post's, which is counted on its own.
    add(embed?.media?.external?.uri);
  }
  return links;
}

/** Web address of a post: https://bsky.app/profile/{handle or did}/post/{rkey}. */
export function blueskyPostUrl(view: Pick<BlueskyPostView, 'uri' | 'author'>): string {
  const rkey = view.uri.split('/').pop() ?? '';
  const handle = view.author.handle;
  const actor = handle && handle !== 'handle.invalid' ? handle : view.author.did;
  return `https://bsky.app/profile/${actor}/post/${rkey}`;
}

/** A PostView as a Post; null when it lacks the fields every post has (uri, author did). */
export function postFromView(item: unknown): Post | null {
  // Feed views wrap the post as {post, reason}; a repost wrapper is not a post of its own, and
  // the original's counts already include the repost.
  const candidate = isObject(item) && isObject(item.post) && !('uri' in item) ? item.post : item;
  if (!isObject(candidate)) return null;
  const view = candidate as unknown as BlueskyPostView;
  if (typeof view.uri !== 'string' || !view.uri.startsWith('at://')) return null;
  if (!isObject(view.author) || typeof view.author.did !== 'string') return null;
  const record: BlueskyRecord = isObject(view.record) ? view.record : {};
  const { viewer: _viewer, ...kept } = view;
  return {
    source: 'bluesky',
    id: view.uri,
    authorId: view.author.did,
    authorHandle: typeof view.author.handle === 'string' ? view.author.handle : undefined,
    authorName:
      typeof view.author.displayName === 'string' && view.author.displayName.trim()
        ? view.author.displayName
        : undefined,
    url: blueskyPostUrl({ uri: view.uri, author: view.author }),
    text: typeof record.text === 'string' ? record.text : '',
    createdAt: isoOrUndefined(record.createdAt) ?? isoOrUndefined(view.indexedAt),
    links: extractBlueskyLinks({ ...view, record }),
    metrics: {
      reposts: count(view.repostCount),
      likes: count(view.likeCount),
      replies: count(view.replyCount),
      quotes: count(view.quoteCount),
    },
    // The viewer block is the searching account's own state, not the post's.
    raw: kept,
  };
}

/** Parse a searchPosts body (already JSON-decoded); throws ParseError on a wrong shape. */
export function parseSearchPosts(body: unknown, target: string): BlueskyPage {
  if (!isObject(body) || !Array.isArray(body.posts)) {
    throw new ParseError('bluesky', `unexpected response for ${target}: no "posts" array`);
  }
  const posts: Post[] = [];
  for (const item of body.posts) {
    const post = postFromView(item);
    if (post) posts.push(post);
  }
  const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
  const hitsTotal = typeof body.hitsTotal === 'number' ? body.hitsTotal : undefined;
  return { posts, cursor, hitsTotal };
}

// ---------------------------------------------------------------------------------------------
// Session

interface Session {
  accessJwt: string;
  refreshJwt: string;
  did: string;
}

const EXPIRED_ERRORS = new Set(['ExpiredToken', 'InvalidToken']);

/** True for the 400/401 answers that mean "get a new access token". */
export function isExpiredSession(error: unknown): boolean {
  if (!(error instanceof HttpError) || (error.status !== 400 && error.status !== 401)) return false;
  try {
    const body = JSON.parse(error.body) as { error?: unknown };
    return typeof body.error === 'string' && EXPIRED_ERRORS.has(body.error);
  } catch {
    return false;
  }
}

const CREDENTIAL_HINT = 'check BLUESKY_HANDLE and BLUESKY_APP_PASSWORD';

/** Failures of createSession/refreshSession: never mistaken for a refused search. */
const sessionFailures = new WeakSet<object>();

/** Keeps one session per XRPC base and handle; the password is read from config when needed, never kept. */
class SessionKeeper {
  private session: Session | undefined;
  private key = '';

  async access(ctx: SourceContext): Promise<string> {
    const key = `${ctx.config.blueskyApiUrl}|${ctx.config.blueskyHandle ?? ''}`;
    if (!this.session || this.key !== key) {
      this.session = await markSessionFailure(createSession(ctx));
      this.key = key;
    }
    return this.session.accessJwt;
  }

  /** Refresh the session; when the refresh token is dead too, log in again. */
  async renew(ctx: SourceContext): Promise<void> {
    const current = this.session;
    if (current) {
      try {
        this.session = await markSessionFailure(refreshSession(ctx, current.refreshJwt));
        return;
      } catch (error) {
        if (!(error instanceof HttpError && (error.status === 400 || error.status === 401))) throw error;
      }
    }
    this.session = await markSessionFailure(createSession(ctx));
  }
}

async function markSessionFailure<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (typeof error === 'object' && error !== null) sessionFailures.add(error);
    throw error;
  }
}

async function createSession(ctx: SourceContext): Promise<Session> {
  const { blueskyHandle, blueskyAppPassword } = ctx.config;
  if (!blueskyHandle || !blueskyAppPassword) {
    throw new HotpapersError('bluesky', 'BLUESKY_HANDLE and BLUESKY_APP_PASSWORD must both be set');
  }
  const url = `${xrpcBase(ctx)}/com.atproto.server.createSession`;
  const response = await ctx.http.request({
    service: 'bluesky',
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ identifier: blueskyHandle.replace(/^@/, ''), password: blueskyAppPassword }),
    // Masked wherever an answer repeats it; never sent across a redirect to another origin.
    secrets: [blueskyAppPassword],
    // The hint replaces the body in the message: nothing the server echoes can leak.
    hintForStatus: (status) => (status === 400 || status === 401 ? CREDENTIAL_HINT : undefined),
  });
  return readSession(parseJsonBody('bluesky', response, describeTarget('POST', url)), url);
}

async function refreshSession(ctx: SourceContext, refreshJwt: string): Promise<Session> {
  const url = `${xrpcBase(ctx)}/com.atproto.server.refreshSession`;
  const response = await ctx.http.request({
    service: 'bluesky',
    url,
    method: 'POST',
    headers: { authorization: `Bearer ${refreshJwt}`, accept: 'application/json' },
  });
  return readSession(parseJsonBody('bluesky', response, describeTarget('POST', url)), url);
}

function readSession(body: unknown, url: string): Session {
  if (
    !isObject(body) ||
    typeof body.accessJwt !== 'string' ||
    typeof body.refreshJwt !== 'string' ||
    typeof body.did !== 'string'
  ) {
    throw new ParseError(
      'bluesky',
      `unexpected response for ${describeTarget('POST', url)}: no session tokens`,
    );
  }
  // Secrets from here on: masked wherever a service echoes them back.
  registerSecret(body.accessJwt, body.refreshJwt);
  return { accessJwt: body.accessJwt, refreshJwt: body.refreshJwt, did: body.did };
}

// ---------------------------------------------------------------------------------------------
// The source

export interface BlueskySourceOptions {
  domains?: readonly string[];
  maxPages?: number;
  fallbackMax?: number;
}

interface SweepOutcome {
  pages: number;
  added: number;
  /** Set when a 4xx (other than auth) cut the sweep short. */
  stoppedBy?: HttpError;
  capped: boolean;
}

/** The Bluesky source (needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD). */
export function createBlueskySource(options: BlueskySourceOptions = {}): Source {
  const domains = options.domains ?? BLUESKY_SWEEP_DOMAINS;
  const maxPages = options.maxPages ?? BLUESKY_MAX_PAGES;
  const fallbackMax = options.fallbackMax ?? BLUESKY_FALLBACK_MAX;
  const keeper = new SessionKeeper();

  /** GET an XRPC query with the session; an expired session is renewed once and the call repeated once. */
  async function authedGetJson(ctx: SourceContext, url: string): Promise<unknown> {
    const send = async () =>
      ctx.http.request({
        service: 'bluesky',
        url,
        headers: { authorization: `Bearer ${await keeper.access(ctx)}`, accept: 'application/json' },
      });
    let response: Awaited<ReturnType<typeof send>>;
    try {
      response = await send();
    } catch (error) {
      if (!isExpiredSession(error)) throw error;
      ctx.log.info('bluesky: session expired; renewing it');
      await keeper.renew(ctx);
      response = await send();
    }
    return parseJsonBody('bluesky', response, describeTarget('GET', url));
  }

  function searchUrl(ctx: SourceContext, params: Record<string, string>): string {
    return `${xrpcBase(ctx)}/app.bsky.feed.searchPosts?${new URLSearchParams(params).toString()}`;
  }

  return {
    id: 'bluesky',

    async collect(papers, ctx) {
      const found = new Map<string, Post>();
      const notes: string[] = [];
      const since = ctx.announcedAt;
      const until = new Date(Math.min(ctx.now.getTime(), since.getTime() + BLUESKY_WINDOW_MS));
      if (until.getTime() <= since.getTime()) {
        notes.push(`bluesky: nothing to search, "now" (${ctx.now.toISOString()}) is before the announcement`);
        return { posts: [], notes };
      }
      const window = { since: since.toISOString(), until: until.toISOString() };

      const sweep = async (domain: string): Promise<SweepOutcome> => {
        const outcome: SweepOutcome = { pages: 0, added: 0, capped: false };
        let cursor: string | undefined;
        while (true) {
          if (outcome.pages >= maxPages) {
            outcome.capped = true;
            break;
          }
          const params: Record<string, string> = {
            q: domain,
            domain,
            ...window,
            sort: 'latest',
            limit: '100',
          };
          if (cursor) params.cursor = cursor;
          const url = searchUrl(ctx, params);
          let page: BlueskyPage;
          try {
            page = parseSearchPosts(await authedGetJson(ctx, url), describeTarget('GET', url));
          } catch (error) {
            if (isNonAuthClientError(error)) {
              outcome.stoppedBy = error;
              break;
            }
            throw error;
          }
          outcome.pages++;
          let fresh = 0;
          for (const post of page.posts) {
            if (!found.has(post.id)) {
              found.set(post.id, post);
              fresh++;
            }
          }
          outcome.added += fresh;
          if (!page.cursor || fresh === 0 || page.cursor === cursor) break;
          cursor = page.cursor;
        }
        return outcome;
      };

      const summaries: string[] = [];
      let cutShort: HttpError | undefined;
      for (const domain of domains) {
        const outcome = await sweep(domain);
        summaries.push(
          `${domain} ${outcome.pages} page${outcome.pages === 1 ? '' : 's'}, ${outcome.added} posts`,
        );
        if (outcome.capped) notes.push(`bluesky: sweep of ${domain} stopped at ${maxPages} pages`);
        if (outcome.stoppedBy) {
          cutShort ??= outcome.stoppedBy;
          notes.push(
            `bluesky: sweep of ${domain} cut short after ${outcome.pages} pages (${outcome.stoppedBy.message})`,
          );
        }
      }
      notes.push(`bluesky: swept ${summaries.join('; ')}`);

      const needFallback = papers.length > 0 && (cutShort !== undefined || found.size === 0);
      if (needFallback) {
        const links = [...found.values()].flatMap((p) => p.links).join('\n');
        const uncovered = papers.filter((p) => !links.includes(p.id));
        const chosen = uncovered.slice(0, fallbackMax);
        let asked = 0;
        for (const paper of chosen) {
          const url = searchUrl(ctx, { q: paper.id, ...window, sort: 'latest', limit: '100' });
          let page: BlueskyPage;
          try {
            page = parseSearchPosts(await authedGetJson(ctx, url), describeTarget('GET', url));
          } catch (error) {
            // Search refused both ways and nothing found: the source failed, say why.
            if (isNonAuthClientError(error) && (asked > 0 || found.size > 0)) {
              notes.push(`bluesky: per-paper search stopped (${error.message})`);
              break;
            }
            throw error;
          }
          asked++;
          for (const post of page.posts) if (!found.has(post.id)) found.set(post.id, post);
        }
        notes.push(
          `bluesky: per-paper search for ${asked} of ${uncovered.length} papers${uncovered.length > chosen.length ? ` (limit ${fallbackMax})` : ''}`,
        );
      }
      return { posts: [...found.values()], notes };
    },

    async embed(post, ctx) {
      const url = `${ctx.config.blueskyOembedUrl}?${new URLSearchParams({ url: post.url, format: 'json' }).toString()}`;
      // 403: the author opted out of logged-out viewing; 404: deleted.
      const response = await ctx.http.request({ service: 'bluesky', url, acceptStatuses: [403, 404] });
      if (response.status === 403 || response.status === 404) return null;
      const body = parseJsonBody<unknown>('bluesky', response, describeTarget('GET', url));
      if (!isObject(body) || typeof body.html !== 'string' || body.html.trim() === '') return null;
      return body.html;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function xrpcBase(ctx: SourceContext): string {
  return ctx.config.blueskyApiUrl.replace(/\/+$/, '');
}

/** A 4xx that is not about our credentials: the query or the host refused, not the login. */
function isNonAuthClientError(error: unknown): error is HttpError {
  return (
    error instanceof HttpError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 401 &&
    error.status !== 429 &&
    !sessionFailures.has(error) &&
    !isExpiredSession(error)
  );
}

function isObject(value: unknown): value is Record<string, unknown> & { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function isoOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
