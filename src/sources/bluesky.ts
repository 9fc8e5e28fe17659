/**
 * Bluesky source (research/social-sources.md §3, §11.2): an app-password session, then a sweep
 * of `app.bsky.feed.searchPosts` per arXiv link domain over the day's window, and a refresh of
 * the counts of stored posts (found earlier or by `hotpapers listen`) with
 * `app.bsky.feed.getPosts` on the public AppView, which needs no login.
 *
 * Search semantics (the search service, bluesky-social/indigo `search/`): free text in `q` is
 * matched against a post's text and image alt text only, so `q=arxiv.org` misses the commonest
 * way papers are shared, a link card under a few words. Links (facets and cards) are matched by
 * the `domain:HOST` token (host without `www.`: `export.arxiv.org` is its own domain), and a
 * `q` of filter tokens only matches every post passing them. A query can page through 10,000
 * results at most, so a window with more is split: halved when `hitsTotal` says so up front,
 * else narrowed to what is older than the oldest post read once the window's results run out.
 *
 * Request budget per run: 1 createSession (kept by the source object across a backfill's days),
 * per domain ⌈posts / 100⌉ pages plus one per extra window (at most BLUESKY_MAX_PAGES), at most
 * BLUESKY_FALLBACK_MAX per-paper searches when the sweep is refused, and ⌈stored posts not found
 * by search / 25⌉ getPosts requests. `huggingface.co` is not swept: most of its links are models
 * and datasets, and the hf source covers HF paper pages.
 */
import { HotpapersError, ParseError } from '../errors.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget, HttpError } from '../http/errors.js';
import type { Paper, Post } from '../types.js';
import { registerSecret } from '../util/redact.js';
import type { Source, SourceContext } from './source.js';

/**
 * Link domains swept, in order: the index's domain of a link is its host without `www.`, so
 * each arXiv host and mirror whose paper pages people share is its own domain.
 */
export const BLUESKY_SWEEP_DOMAINS: readonly string[] = [
  'arxiv.org',
  'export.arxiv.org',
  'browse.arxiv.org',
  'alphaxiv.org',
  'ar5iv.labs.arxiv.org',
  'ar5iv.org',
];
/** Pages read per domain (100 posts each, every window included) before giving up on the rest. */
export const BLUESKY_MAX_PAGES = 300;
/** Results one query can page through: offset + page size may not exceed it. */
export const BLUESKY_SEARCH_WINDOW = 10_000;
/** Posts per search page (the AppView's maximum). */
export const BLUESKY_PAGE_SIZE = 100;
/** A window is not halved below this span; it is narrowed instead. */
const MIN_HALVING_MS = 60_000;
/** AT-URIs per getPosts request (lexicon app.bsky.feed.getPosts). */
export const BLUESKY_GET_POSTS_BATCH = 25;
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

/** URLs written out in a post's text that name a paper host (posted without a link facet). */
const TEXT_PAPER_URL =
  /(?:https?:\/\/)?(?:[a-z0-9-]+\.)*(?:arxiv\.org|alphaxiv\.org|ar5iv\.org|xxx\.lanl\.gov|scirate\.com|huggingface\.co|hf\.co)\/[^\s<>"'()]+/gi;

/**
 * Every link a post record carries: facet links, the link card (`embed.external`), a card beside
 * a quote (`recordWithMedia.media.external`) and paper URLs written out in the text (a shortened
 * display such as `arxiv.org/abs/2608.1…` is left out). A quoted post (`embed.record`) is only a
 * reference: its links are the quoted post's, counted on its own.
 */
export function extractRecordLinks(record: unknown): string[] {
  const links: string[] = [];
  const add = (uri: unknown) => {
    if (typeof uri !== 'string') return;
    const trimmed = uri.trim();
    if (trimmed !== '' && !links.includes(trimmed)) links.push(trimmed);
  };
  if (!isObject(record)) return links;
  for (const facet of asArray(record.facets)) {
    for (const feature of asArray((facet as BlueskyFacet | null)?.features)) {
      const f = feature as BlueskyFacetFeature | null;
      if (f && f.$type === LINK_FACET) add(f.uri);
    }
  }
  addEmbedLinks(record.embed, add);
  if (typeof record.text === 'string') {
    for (const m of record.text.matchAll(TEXT_PAPER_URL)) {
      const shown = m[0];
      if (/(?:\.\.\.|…)$/.test(shown)) continue;
      const url = /^https?:/i.test(shown) ? shown : `https://${shown}`;
      const covered = links.some((l) => stripScheme(l) === stripScheme(url));
      if (!covered) add(url);
    }
  }
  return links;
}

/** Every link a PostView carries: its record's links and its embed view's card. */
export function extractBlueskyLinks(view: BlueskyPostView): string[] {
  const links = extractRecordLinks(view.record);
  addEmbedLinks(view.embed, (uri) => {
    if (typeof uri === 'string' && uri.trim() !== '' && !links.includes(uri.trim())) links.push(uri.trim());
  });
  return links;
}

function addEmbedLinks(embed: unknown, add: (uri: unknown) => void): void {
  if (!isObject(embed)) return;
  if (isObject(embed.external)) add(embed.external.uri);
  // recordWithMedia keeps the link card under `media`.
  if (isObject(embed.media) && isObject(embed.media.external)) add(embed.media.external.uri);
}

function stripScheme(url: string): string {
  return url
    .replace(/^https?:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/+$/, '');
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
  };
}

/** Parse a searchPosts body (already JSON-decoded); throws ParseError on a wrong shape. */
export function parseSearchPosts(body: unknown, target: string): BlueskyPage {
  if (!isObject(body) || !Array.isArray(body.posts)) {
    throw new ParseError('bluesky', `unexpected response for ${target}: no "posts" array`);
  }
  const posts = parseGetPosts(body, target);
  const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
  const hitsTotal = typeof body.hitsTotal === 'number' ? body.hitsTotal : undefined;
  return { posts, cursor, hitsTotal };
}

/** Parse a getPosts body (`{posts: PostView[]}`); throws ParseError on a wrong shape. */
export function parseGetPosts(body: unknown, target: string): Post[] {
  if (!isObject(body) || !Array.isArray(body.posts)) {
    throw new ParseError('bluesky', `unexpected response for ${target}: no "posts" array`);
  }
  const posts: Post[] = [];
  for (const item of body.posts) {
    const post = postFromView(item);
    if (post) posts.push(post);
  }
  return posts;
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
  /** Time windows queried (more than one when the domain had over 10,000 posts). */
  windows: number;
  /** Set when a 4xx (other than auth) cut the sweep short. */
  stoppedBy?: HttpError;
  capped: boolean;
  /** Posts left unread because a window could not be split further. */
  truncated: boolean;
}

/** A time window of the sweep, in epoch milliseconds: since inclusive, until exclusive. */
interface Window {
  since: number;
  until: number;
}

/** The searchPosts parameters of one sweep page: filter tokens in `q`, repeated as parameters. */
export function sweepParams(domain: string, window: Window, cursor?: string): Record<string, string> {
  const since = new Date(window.since).toISOString();
  const until = new Date(window.until).toISOString();
  // The app documents the q tokens; the lexicon the parameters. The search service takes both
  // (parameters first), so the same filters are sent both ways.
  const params: Record<string, string> = {
    q: `domain:${domain} since:${since} until:${until}`,
    domain,
    since,
    until,
    sort: 'latest',
    limit: String(BLUESKY_PAGE_SIZE),
  };
  if (cursor) params.cursor = cursor;
  return params;
}

/** The Bluesky source: search needs BLUESKY_HANDLE and BLUESKY_APP_PASSWORD, the count refresh nothing. */
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

  /** Search every domain over the window, then per paper when the sweep was refused. */
  async function search(
    papers: readonly Paper[],
    ctx: SourceContext,
    window: Window,
    found: Map<string, Post>,
    notes: string[],
  ): Promise<void> {
    const keep = (posts: readonly Post[]) => {
      let fresh = 0;
      for (const post of posts) {
        if (!found.has(post.id)) fresh++;
        found.set(post.id, post);
      }
      return fresh;
    };

    const sweep = async (domain: string): Promise<SweepOutcome> => {
      const outcome: SweepOutcome = { pages: 0, added: 0, windows: 0, capped: false, truncated: false };
      const pending: Window[] = [window];
      while (pending.length > 0) {
        const current = pending.shift()!;
        outcome.windows++;
        let cursor: string | undefined;
        let read = 0;
        let oldest = Number.POSITIVE_INFINITY;
        let first = true;
        while (true) {
          if (outcome.pages >= maxPages) {
            outcome.capped = true;
            return outcome;
          }
          const url = searchUrl(ctx, sweepParams(domain, current, cursor));
          let page: BlueskyPage;
          try {
            page = parseSearchPosts(await authedGetJson(ctx, url), describeTarget('GET', url));
          } catch (error) {
            if (isNonAuthClientError(error)) {
              outcome.stoppedBy = error;
              return outcome;
            }
            throw error;
          }
          outcome.pages++;
          outcome.added += keep(page.posts);
          read += page.posts.length;
          for (const post of page.posts) {
            const at = post.createdAt ? Date.parse(post.createdAt) : Number.NaN;
            if (at < oldest) oldest = at;
          }
          const olderPart: Window = { since: current.since, until: Math.min(current.until, oldest + 1) };
          if (first && page.hitsTotal !== undefined && page.hitsTotal > BLUESKY_SEARCH_WINDOW) {
            // More than one query can page through: split what this page did not cover.
            const span = olderPart.until - olderPart.since;
            if (span >= 2 * MIN_HALVING_MS) {
              const middle = olderPart.since + Math.floor(span / 2);
              pending.unshift(
                { since: olderPart.since, until: middle },
                { since: middle, until: olderPart.until },
              );
              break;
            }
          }
          first = false;
          // Offset of this page: the cursor is an offset in practice; if not, count what was read.
          const numeric = Number(cursor ?? '0');
          const offset = Number.isInteger(numeric) ? numeric : read - page.posts.length;
          const next = page.cursor;
          if (next !== undefined && next !== cursor) {
            const nextOffset = Number(next);
            const fits =
              !Number.isInteger(nextOffset) || nextOffset + BLUESKY_PAGE_SIZE <= BLUESKY_SEARCH_WINDOW;
            if (fits) {
              cursor = next;
              continue;
            }
          }
          // The window's results ran out. Below the 10,000 mark that is its end; at the mark the
          // service gives no further cursor, so what is older than the oldest post read is queried anew.
          const atMark =
            next !== undefined
              ? next !== cursor
              : page.posts.length === BLUESKY_PAGE_SIZE &&
                offset + BLUESKY_PAGE_SIZE >= BLUESKY_SEARCH_WINDOW;
          if (atMark) {
            if (Number.isFinite(oldest) && olderPart.until < current.until) pending.unshift(olderPart);
            else outcome.truncated = true;
          }
          break;
        }
      }
      return outcome;
    };

    const summaries: string[] = [];
    let cutShort: HttpError | undefined;
    for (const domain of domains) {
      const outcome = await sweep(domain);
      const windows = outcome.windows > 1 ? ` in ${outcome.windows} windows` : '';
      summaries.push(
        `${domain} ${outcome.pages} page${outcome.pages === 1 ? '' : 's'}${windows}, ${outcome.added} posts`,
      );
      if (outcome.capped) notes.push(`bluesky: sweep of ${domain} stopped at ${maxPages} pages`);
      if (outcome.truncated)
        notes.push(`bluesky: sweep of ${domain} left posts unread (over 10,000 in one instant)`);
      if (outcome.stoppedBy) {
        cutShort ??= outcome.stoppedBy;
        notes.push(
          `bluesky: sweep of ${domain} cut short after ${outcome.pages} pages (${outcome.stoppedBy.message})`,
        );
      }
    }
    notes.push(`bluesky: swept ${summaries.join('; ')}`);

    const needFallback = papers.length > 0 && (cutShort !== undefined || found.size === 0);
    if (!needFallback) return;
    const links = [...found.values()].flatMap((p) => p.links).join('\n');
    const uncovered = papers.filter((p) => !links.includes(p.id));
    const chosen = uncovered.slice(0, fallbackMax);
    const bounds = {
      since: new Date(window.since).toISOString(),
      until: new Date(window.until).toISOString(),
    };
    let asked = 0;
    for (const paper of chosen) {
      // Free text: finds the posts that show the id in their text (a link shown in full).
      const url = searchUrl(ctx, {
        q: paper.id,
        ...bounds,
        sort: 'latest',
        limit: String(BLUESKY_PAGE_SIZE),
      });
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
      keep(page.posts);
    }
    notes.push(
      `bluesky: per-paper search for ${asked} of ${uncovered.length} papers${uncovered.length > chosen.length ? ` (limit ${fallbackMax})` : ''}`,
    );
  }

  /** Re-read stored posts by AT-URI on the public AppView: the URIs it no longer serves, and how many went unanswered. */
  async function refresh(
    ctx: SourceContext,
    uris: readonly string[],
    found: Map<string, Post>,
  ): Promise<{ gone: string[]; unanswered: number }> {
    const gone: string[] = [];
    let unanswered = 0;
    const base = ctx.config.blueskyAppviewUrl.replace(/\/+$/, '');
    for (let i = 0; i < uris.length; i += BLUESKY_GET_POSTS_BATCH) {
      const batch = uris.slice(i, i + BLUESKY_GET_POSTS_BATCH);
      const query = new URLSearchParams();
      for (const uri of batch) query.append('uris', uri);
      const url = `${base}/app.bsky.feed.getPosts?${query.toString()}`;
      const response = await ctx.http.request({
        service: 'bluesky',
        url,
        headers: { accept: 'application/json' },
      });
      const posts = parseGetPosts(
        parseJsonBody('bluesky', response, describeTarget('GET', url)),
        describeTarget('GET', url),
      );
      const served = new Set<string>();
      for (const post of posts) {
        served.add(post.id);
        found.set(post.id, post);
      }
      // A post the AppView does not return is deleted, or its author's account is gone. A batch
      // of several that comes back empty looks like the AppView's trouble, not 25 deletions:
      // those posts keep their stored counts and are asked again next run.
      if (served.size === 0 && batch.length > 1) {
        unanswered += batch.length;
        continue;
      }
      for (const uri of batch) if (!served.has(uri)) gone.push(uri);
    }
    return { gone, unanswered };
  }

  return {
    id: 'bluesky',

    async collect(papers, ctx) {
      const found = new Map<string, Post>();
      const notes: string[] = [];
      const stored = [...new Set(ctx.storedPostIds ?? [])];
      const canSearch = Boolean(ctx.config.blueskyHandle && ctx.config.blueskyAppPassword);
      // Without a login search is impossible; without a store (no storedPostIds given) there is
      // nothing to refresh either.
      if (!canSearch && ctx.storedPostIds === undefined) {
        throw new HotpapersError('bluesky', 'BLUESKY_HANDLE and BLUESKY_APP_PASSWORD must both be set');
      }

      const since = ctx.announcedAt.getTime();
      const until = Math.min(ctx.now.getTime(), since + BLUESKY_WINDOW_MS);
      if (!canSearch) {
        notes.push('bluesky: no app password (BLUESKY_HANDLE, BLUESKY_APP_PASSWORD): search skipped');
      } else if (until <= since) {
        notes.push(`bluesky: nothing to search, "now" (${ctx.now.toISOString()}) is before the announcement`);
      } else {
        await search(papers, ctx, { since, until }, found, notes);
      }

      // Counts of the stored posts search did not return, each post once.
      const toRefresh = stored.filter((id) => !found.has(id));
      let gone: string[] = [];
      if (toRefresh.length > 0) {
        try {
          const outcome = await refresh(ctx, toRefresh, found);
          gone = outcome.gone;
          const refreshed = toRefresh.length - gone.length - outcome.unanswered;
          notes.push(
            `bluesky: refreshed the counts of ${refreshed} stored posts${gone.length > 0 ? `, ${gone.length} deleted or unavailable` : ''}${outcome.unanswered > 0 ? `; getPosts returned nothing for ${outcome.unanswered} (not taken as deleted)` : ''}`,
          );
        } catch (error) {
          // Without search results the refresh is the source: its failure is the source's.
          if (found.size === 0) throw error;
          notes.push(`bluesky: count refresh failed, stored counts kept (${oneLineMessage(error)})`);
        }
      }
      return { posts: [...found.values()], notes, gone };
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

function oneLineMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

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
