/**
 * Loopback stand-in for Bluesky: the XRPC methods the source uses (createSession,
 * refreshSession, searchPosts with the search service's query semantics, cursor, hitsTotal, the
 * 10,000-result window and RateLimit-* headers; getPosts as the public AppView serves it) and the embed
 * service's oEmbed endpoint (with its `provider_url: "Bluesky Social"` quirk), in the wire
 * formats of research/social-sources.md §3, plus switchable failures.
 *
 * Serves `{url}/xrpc/...` and `{url}/oembed`: point BLUESKY_API_URL at `apiUrl` and
 * BLUESKY_OEMBED_URL at `oembedUrl`.
 */
import type { BlueskyPostView } from '../sources/bluesky.js';
import { type Handler, type RecordedRequest, type Reply, type StandIn, startStandIn } from './server.js';

export interface BlueskyStandInData {
  handle: string;
  /** The app password the stand-in accepts. */
  password: string;
  did?: string;
  posts: BlueskyPostView[];
}

export interface BlueskyStandInOptions {
  /** The first search is answered 400 ExpiredToken, and the token it carried stops working. */
  expireFirstSearch?: boolean;
  /** `always`: every search gets 403; `cursor`: searches with a cursor do (the 2024–26 edge rule). */
  forbidSearch?: 'always' | 'cursor';
  /** Search bodies are cut off mid-JSON. */
  malformedSearch?: boolean;
  /** The first `times` searches get 429 with `RateLimit-Reset` this many seconds ahead. */
  rateLimit?: { times: number; resetInSeconds: number };
  /** Posts per page at most, whatever `limit` asks (forces paging). */
  pageSize?: number;
  /** Report hitsTotal above 10,000 too (the lexicon allows a rounded figure; the open service omits it). */
  countAll?: boolean;
  /** AT-URIs of posts getPosts no longer returns (deleted or taken down). */
  gone?: readonly string[];
  /** Consulted first; return a reply to inject any other behaviour. */
  override?: (req: RecordedRequest, index: number) => Reply | undefined;
}

export interface BlueskyStandIn extends StandIn {
  /** XRPC base for BLUESKY_API_URL. */
  apiUrl: string;
  /** Endpoint for BLUESKY_OEMBED_URL. */
  oembedUrl: string;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const RATE_LIMIT = 3000;
const RATE_WINDOW_S = 300;

/** The request handler behind startBlueskyStandIn (usable inside a combined stand-in). */
export function blueskyHandler(data: BlueskyStandInData, options: BlueskyStandInOptions = {}): Handler {
  const did = data.did ?? 'did:plc:standinaccount0000000000';
  const access = new Set<string>();
  const refresh = new Set<string>();
  let issued = 0;
  let searches = 0;
  let remaining = RATE_LIMIT;
  let lastSearch: { key: string; hits: BlueskyPostView[] } | undefined;

  const issue = () => {
    issued++;
    const accessJwt = fakeJwt({ scope: 'com.atproto.appPass', sub: did, n: issued });
    const refreshJwt = fakeJwt({ scope: 'com.atproto.refresh', sub: did, n: issued });
    access.add(accessJwt);
    refresh.add(refreshJwt);
    return { accessJwt, refreshJwt, handle: data.handle, did, active: true };
  };
  const rateHeaders = (): Record<string, string> => {
    remaining = Math.max(0, remaining - 1);
    return {
      ...JSON_TYPE,
      'RateLimit-Limit': String(RATE_LIMIT),
      'RateLimit-Remaining': String(remaining),
      'RateLimit-Reset': String(Math.floor(Date.now() / 1000) + RATE_WINDOW_S),
      'RateLimit-Policy': `${RATE_LIMIT};w=${RATE_WINDOW_S}`,
    };
  };
  const xrpcError = (status: number, error: string, message: string): Reply => ({
    status,
    headers: rateHeaders(),
    body: JSON.stringify({ error, message }),
  });

  return (req, index) => {
    const injected = options.override?.(req, index);
    if (injected) return injected;
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];

    switch (req.path) {
      case '/xrpc/com.atproto.server.createSession': {
        if (req.method !== 'POST') return xrpcError(405, 'InvalidRequest', 'Method Not Allowed');
        let body: { identifier?: unknown; password?: unknown };
        try {
          body = JSON.parse(req.body) as typeof body;
        } catch {
          return xrpcError(400, 'InvalidRequest', 'Invalid JSON body');
        }
        if (typeof body.identifier !== 'string' || typeof body.password !== 'string') {
          return xrpcError(400, 'InvalidRequest', 'Input must have the property "identifier" and "password"');
        }
        if (body.identifier.toLowerCase() !== data.handle.toLowerCase() || body.password !== data.password) {
          return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
        }
        return {
          status: 200,
          headers: rateHeaders(),
          body: JSON.stringify({ ...issue(), didDoc: didDoc(did, data.handle) }),
        };
      }

      case '/xrpc/com.atproto.server.refreshSession': {
        if (req.method !== 'POST') return xrpcError(405, 'InvalidRequest', 'Method Not Allowed');
        if (!bearer) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
        if (!refresh.has(bearer)) return xrpcError(400, 'ExpiredToken', 'Token has been revoked');
        refresh.delete(bearer);
        return { status: 200, headers: rateHeaders(), body: JSON.stringify(issue()) };
      }

      case '/xrpc/app.bsky.feed.searchPosts': {
        if (!bearer) return xrpcError(401, 'AuthenticationRequired', 'Authentication Required');
        if (!access.has(bearer)) return xrpcError(400, 'InvalidToken', 'Token could not be verified');
        searches++;
        if (options.expireFirstSearch && searches === 1) {
          access.delete(bearer);
          return xrpcError(400, 'ExpiredToken', 'Token has expired');
        }
        if (options.rateLimit && searches <= options.rateLimit.times + (options.expireFirstSearch ? 1 : 0)) {
          return {
            status: 429,
            headers: {
              ...JSON_TYPE,
              'RateLimit-Limit': String(RATE_LIMIT),
              'RateLimit-Remaining': '0',
              'RateLimit-Reset': String(Math.floor(Date.now() / 1000) + options.rateLimit.resetInSeconds),
              'RateLimit-Policy': `${RATE_LIMIT};w=${RATE_WINDOW_S}`,
            },
            body: JSON.stringify({ error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }),
          };
        }
        const cursor = req.query.get('cursor');
        if (options.forbidSearch === 'always' || (options.forbidSearch === 'cursor' && cursor)) {
          // The edge in front of the AppView answers in plain text.
          return {
            status: 403,
            headers: { 'content-type': 'text/plain' },
            body: 'Request forbidden by administrative rules.',
          };
        }
        const q = req.query.get('q')?.trim();
        if (!q) return xrpcError(400, 'InvalidRequest', 'Error: Params must have the property "q"');
        const limit = Number(req.query.get('limit') ?? '25');
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          return xrpcError(400, 'InvalidRequest', 'Error: limit must be between 1 and 100');
        }
        const offset = cursor ? Number(cursor) : 0;
        if (!Number.isInteger(offset)) {
          return xrpcError(400, 'InvalidRequest', `invalid value for 'cursor': ${cursor}`);
        }
        // The search service refuses to page deeper than 10,000 results (indigo search/query.go,
        // handlers.go): a cursor past it is a 400, offset + size past it fails the query.
        if (offset > SEARCH_WINDOW) {
          return xrpcError(400, 'InvalidRequest', "invalid value for 'cursor' (can't paginate so deep)");
        }
        const size = Math.min(limit, options.pageSize ?? limit);
        if (offset + size > SEARCH_WINDOW) {
          return xrpcError(500, 'InternalServerError', 'disallowed size/offset parameters');
        }
        let query: PostQuery;
        try {
          query = postQuery(q, req.query, data.posts, Date.now());
        } catch (error) {
          return xrpcError(400, 'BadRequest', (error as Error).message);
        }
        // Paging asks the same query again and again: keep the last result list.
        const key = JSON.stringify({ ...query, now: undefined, n: data.posts.length });
        if (lastSearch?.key !== key) lastSearch = { key, hits: searchPosts(data.posts, query) };
        const hits = lastSearch.hits;
        const start = Math.max(0, offset);
        const page = hits.slice(start, start + size);
        // A cursor only while the page is full and the next one stays within the window;
        // hitsTotal only when the index counted exactly (it stops counting at 10,000).
        const next = page.length === size && start + size < SEARCH_WINDOW ? String(start + size) : undefined;
        const body = JSON.stringify({
          ...(next ? { cursor: next } : {}),
          ...(hits.length <= SEARCH_WINDOW || options.countAll ? { hitsTotal: hits.length } : {}),
          posts: page,
        });
        return {
          status: 200,
          headers: rateHeaders(),
          body: options.malformedSearch ? body.slice(0, Math.max(1, Math.floor(body.length / 2))) : body,
        };
      }

      case '/xrpc/app.bsky.feed.getPosts':
        return getPosts(data.posts, req.query, options);

      case '/oembed':
        return oembed(data.posts, req.query);

      default:
        return xrpcError(404, 'XRPCNotSupported', 'XRPCNotSupported');
    }
  };
}

/** Start the Bluesky stand-in on loopback. */
export async function startBlueskyStandIn(
  data: BlueskyStandInData,
  options: BlueskyStandInOptions = {},
): Promise<BlueskyStandIn> {
  const s = await startStandIn(blueskyHandler(data, options));
  return { ...s, apiUrl: `${s.url}/xrpc`, oembedUrl: `${s.url}/oembed` };
}

// ---------------------------------------------------------------------------------------------
// Search semantics, after the open-source search service (bluesky-social/indigo `search/`:
// parse_query.go, query.go, transform.go, url.go), the documented behaviour of searchPosts:
// - `q` is split on spaces outside quotes; `domain:`, `http(s)://…`, `from:`, `mentions:`/`to:`,
//   `lang:`, `since:`/`until:`, `#tag` and `@handle` tokens become filters, the rest is free
//   text; with no free text left the query is `*` (every post passing the filters);
// - free text (AND of terms, `-term`, `a | b`, "quoted phrases") is matched against the post's
//   text and image alt text only, never against its links;
// - links are the facet links and the link card (`embed.external.uri`) of the record; their
//   index domain is the host without `www.`, their url a lossy normalisation;
// - the HTTP parameters `domain`, `url`, `since`, `until`, `author`, `lang` win over q tokens;
// - `since` (inclusive) and `until` (exclusive) bound the record's createdAt; posts are sorted
//   newest first by createdAt, and posts dated in the future are left out.

/** Results a query can page through: offset + page size may not exceed it. */
export const SEARCH_WINDOW = 10_000;

/** A parsed searchPosts query: free-text clauses and filters. */
export interface PostQuery {
  /** AND of clauses; each clause is an OR of alternatives; `*` alone matches everything. */
  clauses: Array<{ negate: boolean; anyOf: string[][] }>;
  domain?: string;
  url?: string;
  since?: number;
  until?: number;
  author?: string;
  mentions?: string;
  lang?: string;
  tags: string[];
  now: number;
}

/** Parse `q` and the HTTP parameters the way the search service does (parameters win). */
export function postQuery(
  raw: string,
  params: URLSearchParams,
  posts: readonly BlueskyPostView[],
  now: number,
): PostQuery {
  const query: PostQuery = { clauses: [], tags: [], now };
  const resolve = (handle: string) =>
    posts.find((p) => p.author.handle.toLowerCase() === handle.replace(/^@/, '').toLowerCase())?.author.did;
  const free: string[] = [];
  for (const part of splitOutsideQuotes(raw)) {
    if (part.startsWith('"')) {
      free.push(part);
      continue;
    }
    if (part.startsWith('#') && part.length > 1) {
      query.tags.push(part.slice(1).toLowerCase());
      continue;
    }
    if (part.startsWith('@') && part.length > 1) {
      const did = resolve(part);
      if (did) query.mentions = did;
      continue;
    }
    const colon = part.indexOf(':');
    if (colon < 0) {
      free.push(part);
      continue;
    }
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    switch (key) {
      case 'did':
        continue;
      case 'from':
      case 'to':
      case 'mentions': {
        const did = resolve(value);
        if (did && key === 'from') query.author = did;
        else if (did) query.mentions = did;
        continue;
      }
      case 'http':
      case 'https':
        query.url = part;
        continue;
      case 'domain':
        query.domain = value;
        continue;
      case 'lang':
        query.lang = value.toLowerCase();
        continue;
      case 'since':
      case 'until': {
        // Lenient in q: a token that is no date is dropped.
        const ms = parseDatetime(value);
        if (ms !== undefined) query[key] = ms;
        continue;
      }
      default:
        free.push(part);
    }
  }
  query.clauses = freeTextClauses(free.join(' ') || '*');

  // HTTP parameters take priority over the tokens of q; a malformed datetime is a 400.
  for (const key of ['since', 'until'] as const) {
    const value = params.get(key);
    if (!value) continue;
    const ms = parseDatetime(value);
    if (ms === undefined) throw new Error(`invalid Datetime for '${key}': ${value}`);
    query[key] = ms;
  }
  const domain = params.get('domain');
  if (domain) query.domain = domain;
  const url = params.get('url');
  if (url) query.url = url;
  const lang = params.get('lang');
  if (lang) query.lang = lang.toLowerCase();
  const author = params.get('author');
  if (author) query.author = author.startsWith('did:') ? author : (resolve(author) ?? author);
  const mentions = params.get('mentions');
  if (mentions) query.mentions = mentions.startsWith('did:') ? mentions : (resolve(mentions) ?? mentions);
  return query;
}

function splitOutsideQuotes(raw: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let current = '';
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (ch === ' ' && !quoted) {
      if (current) parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current) parts.push(current);
  return parts;
}

/** simple_query_string with AND as default: `-` negates, `|` ORs, quotes make phrases. */
function freeTextClauses(text: string): PostQuery['clauses'] {
  if (text.trim() === '*') return [];
  const clauses: PostQuery['clauses'] = [];
  const parts = splitOutsideQuotes(text);
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    if (part === '|') continue;
    const negate = part.startsWith('-') && part.length > 1;
    if (negate) part = part.slice(1);
    const anyOf = [analyse(part.replace(/^"|"$/g, ''))];
    while (parts[i + 1] === '|' && parts[i + 2] !== undefined) {
      anyOf.push(analyse(parts[i + 2]!.replace(/^"|"$/g, '')));
      i += 2;
    }
    if (anyOf.every((a) => a.length === 0)) continue;
    clauses.push({ negate, anyOf });
  }
  return clauses;
}

/** Standard-analyser-like tokens: lower-cased words, dots kept inside them (`arxiv.org`). */
function analyse(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+(?:[._'][\p{L}\p{N}]+)*/gu) ?? [];
}

function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return true;
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (tokens[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** What the index holds of a post (transform.go): text + alt text, links, dates, tags. */
interface IndexedPost {
  tokens: string[];
  urls: string[];
  domains: string[];
  createdAt: number;
  did: string;
  mentions: string[];
  langs: string[];
  tags: string[];
}

const indexed = new WeakMap<BlueskyPostView, IndexedPost>();

function indexPost(post: BlueskyPostView): IndexedPost {
  let doc = indexed.get(post);
  if (!doc) {
    doc = buildIndexedPost(post);
    indexed.set(post, doc);
  }
  return doc;
}

function buildIndexedPost(post: BlueskyPostView): IndexedPost {
  const record = post.record;
  const alts: string[] = [];
  const embed = record.embed;
  if (embed?.$type === 'app.bsky.embed.images') {
    for (const image of (embed.images ?? []) as Array<{ alt?: unknown }>) {
      if (typeof image?.alt === 'string' && image.alt) alts.push(image.alt);
    }
  }
  const links: string[] = [];
  const mentions: string[] = [];
  for (const facet of record.facets ?? []) {
    for (const feature of facet.features ?? []) {
      if (feature.$type === 'app.bsky.richtext.facet#link' && typeof feature.uri === 'string')
        links.push(feature.uri);
      if (feature.$type === 'app.bsky.richtext.facet#mention' && typeof feature.did === 'string')
        mentions.push(feature.did);
    }
  }
  // Only a top-level link card is indexed: a card beside a quote (recordWithMedia) is not.
  if (embed?.$type === 'app.bsky.embed.external' && typeof embed.external?.uri === 'string')
    links.push(embed.external.uri);
  const text = record.text ?? '';
  return {
    tokens: analyse([text, ...alts].join('\n')),
    urls: links.map(normaliseUrl),
    domains: links.map(domainOf).filter(Boolean),
    createdAt: Date.parse(record.createdAt ?? ''),
    did: post.author.did,
    mentions,
    langs: (record.langs ?? []).map((l) => l.toLowerCase()),
    tags: [...text.matchAll(/\B#([A-Za-z]+)\b/g)].map((m) => m[1]!.toLowerCase()),
  };
}

/** The posts a query matches, newest first (by the record's createdAt). */
export function searchPosts(posts: readonly BlueskyPostView[], query: PostQuery): BlueskyPostView[] {
  const hits: Array<{ post: BlueskyPostView; at: number }> = [];
  for (const post of posts) {
    const doc = indexPost(post);
    if (Number.isNaN(doc.createdAt) || doc.createdAt > query.now) continue;
    if (query.since !== undefined && doc.createdAt < query.since) continue;
    if (query.until !== undefined && doc.createdAt >= query.until) continue;
    if (query.domain && !doc.domains.includes(query.domain.toLowerCase())) continue;
    if (query.url && !doc.urls.includes(normaliseUrl(query.url))) continue;
    if (query.author && doc.did !== query.author) continue;
    if (query.mentions && !doc.mentions.includes(query.mentions)) continue;
    if (query.lang && !doc.langs.some((l) => l.split('-')[0] === query.lang)) continue;
    if (!query.tags.every((t) => doc.tags.includes(t))) continue;
    const textMatches = query.clauses.every(
      (c) => c.anyOf.some((phrase) => containsPhrase(doc.tokens, phrase)) !== c.negate,
    );
    if (!textMatches) continue;
    hits.push({ post, at: doc.createdAt });
  }
  return hits.sort((a, b) => b.at - a.at || a.post.uri.localeCompare(b.post.uri)).map((h) => h.post);
}

/** A datetime with a time zone, or a bare date (UTC midnight); undefined otherwise. */
function parseDatetime(value: string): number | undefined {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return Date.parse(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The index's domain of a link: its host, lower-cased, without `www.`. */
function domainOf(link: string): string {
  try {
    return new URL(link).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}

/** Lossy URL normalisation (url.go): no scheme difference, no www., no fragment, no trailing slash, no tracking. */
function normaliseUrl(link: string): string {
  try {
    const u = new URL(link);
    for (const key of [...u.searchParams.keys()])
      if (/^utm_|^fbclid$|^gclid$/.test(key)) u.searchParams.delete(key);
    u.searchParams.sort();
    const query = u.searchParams.toString();
    const path = u.pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
    return `${u.hostname.toLowerCase().replace(/^www\./, '')}${path}${query ? `?${query}` : ''}`;
  } catch {
    return link;
  }
}

// ---------------------------------------------------------------------------------------------
// getPosts (lexicon app.bsky.feed.getPosts): up to 25 AT-URIs, no login on the public AppView;
// posts that are deleted or unavailable are simply absent from the answer.

function getPosts(
  posts: readonly BlueskyPostView[],
  query: URLSearchParams,
  options: BlueskyStandInOptions,
): Reply {
  const uris = query.getAll('uris');
  const error = (message: string): Reply => ({
    status: 400,
    headers: JSON_TYPE,
    body: JSON.stringify({ error: 'InvalidRequest', message }),
  });
  if (uris.length === 0) return error('Error: Params must have the property "uris"');
  if (uris.length > GET_POSTS_MAX)
    return error(`Error: uris must not have more than ${GET_POSTS_MAX} elements`);
  const bad = uris.findIndex((u) => !/^at:\/\/[^/]+\/app\.bsky\.feed\.post\/[^/]+$/.test(u));
  if (bad >= 0) return error(`Error: uris/${bad} must be a valid at-uri`);
  const gone = new Set(options.gone ?? []);
  const byUri = new Map(posts.map((p) => [p.uri, p]));
  const found: BlueskyPostView[] = [];
  for (const uri of uris) {
    const post = byUri.get(uri);
    if (post && !gone.has(uri) && !found.includes(post)) found.push(post);
  }
  // The public AppView serves no viewer state.
  return {
    status: 200,
    headers: JSON_TYPE,
    body: JSON.stringify({ posts: found.map(({ viewer: _viewer, ...rest }) => rest) }),
  };
}

/** URIs per getPosts request at most. */
export const GET_POSTS_MAX = 25;

// ---------------------------------------------------------------------------------------------
// oEmbed (bskyweb embedr): JSON only; 403 for `!no-unauthenticated` authors; 404 unknown post.

function oembed(posts: readonly BlueskyPostView[], query: URLSearchParams): Reply {
  const format = query.get('format') ?? 'json';
  if (format !== 'json')
    return { status: 501, headers: { 'content-type': 'text/plain' }, body: 'Invalid format' };
  const target = query.get('url') ?? '';
  const web = /^https:\/\/bsky\.app\/profile\/([^/]+)\/post\/([^/?#]+)$/.exec(target);
  const at = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/?#]+)$/.exec(target);
  const match = web ?? at;
  if (!match) return { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Invalid url' };
  const [, actor, rkey] = match;
  const post = posts.find(
    (p) =>
      p.uri.endsWith(`/app.bsky.feed.post/${rkey}`) && (p.author.handle === actor || p.author.did === actor),
  );
  if (!post) return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'post not found' };
  if ((post.author.labels ?? []).some((l) => l.val === '!no-unauthenticated')) {
    return {
      status: 403,
      headers: { 'content-type': 'text/plain' },
      body: 'post author has opted out of embeds',
    };
  }
  const name = post.author.displayName
    ? `${post.author.displayName} (@${post.author.handle})`
    : `@${post.author.handle}`;
  const lang = post.record.langs?.[0];
  const created = post.record.createdAt ?? post.indexedAt;
  const date = Date.parse(created) < Date.parse(post.indexedAt) ? created : post.indexedAt;
  const html =
    `<blockquote class="bluesky-embed" data-bluesky-uri="${esc(post.uri)}" data-bluesky-cid="${esc(post.cid)}">` +
    `<p${lang ? ` lang="${esc(lang)}"` : ''}>${esc(post.record.text ?? '')}</p>&mdash; ` +
    `<a href="https://bsky.app/profile/${esc(post.author.did)}?ref_src=embed">${esc(name)}</a> ` +
    `<a href="https://bsky.app/profile/${esc(post.author.did)}/post/${esc(rkey ?? '')}?ref_src=embed">${esc(date)}</a>` +
    '</blockquote><script async src="https://embed.bsky.app/static/embed.js" charset="utf-8"></script>';
  const body = {
    type: 'rich',
    version: '1.0',
    author_name: name,
    author_url: `https://bsky.app/profile/${post.author.handle}`,
    // Sic: the embed service tags the provider name as provider_url.
    provider_url: 'Bluesky Social',
    cache_age: 86400,
    width: 600,
    height: null,
    html,
  };
  return { status: 200, headers: JSON_TYPE, body: JSON.stringify(body) };
}

// ---------------------------------------------------------------------------------------------
// Building data

export interface BlueskyPostSpec {
  rkey: string;
  handle: string;
  did?: string;
  displayName?: string;
  text: string;
  createdAt: string;
  /** The link the post carries, if any. */
  link?: string;
  /** Where the link sits: a facet, a link card (external embed), a card beside a quote (recordWithMedia), or facet + card. */
  linkIn?: 'facet' | 'external' | 'recordWithMedia' | 'facet+external';
  reposts?: number;
  likes?: number;
  replies?: number;
  quotes?: number;
  langs?: string[];
  /** Author self-labels, e.g. `!no-unauthenticated`. */
  authorLabels?: string[];
  /** Alt text of an attached image (a post without a link card). */
  alt?: string;
}

/** A PostView in the searchPosts shape, for fixtures and the demo. */
export function blueskyPost(spec: BlueskyPostSpec): BlueskyPostView {
  const did =
    spec.did ??
    `did:plc:${spec.handle
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .padEnd(24, 'x')
      .slice(0, 24)}`;
  const uri = `at://${did}/app.bsky.feed.post/${spec.rkey}`;
  const where = spec.linkIn ?? 'facet';
  let text = spec.text;
  const record: BlueskyPostView['record'] = {
    $type: 'app.bsky.feed.post',
    text,
    createdAt: spec.createdAt,
    langs: spec.langs ?? ['en'],
  };
  let embed: BlueskyPostView['embed'];
  if (spec.link) {
    const external = { uri: spec.link, title: 'arXiv paper', description: 'Abstract' };
    if (where === 'facet' || where === 'facet+external') {
      // Bluesky shows links shortened; the facet spans the shortened text by UTF-8 byte offsets.
      const shown = spec.link.replace(/^https?:\/\//, '');
      const display = shown.length > 30 ? `${shown.slice(0, 27)}...` : shown;
      if (!text.includes(display)) text = `${text} ${display}`.trim();
      const start = Buffer.byteLength(text.slice(0, text.indexOf(display)), 'utf8');
      record.text = text;
      record.facets = [
        {
          index: { byteStart: start, byteEnd: start + Buffer.byteLength(display, 'utf8') },
          features: [{ $type: 'app.bsky.richtext.facet#link', uri: spec.link }],
        },
      ];
    }
    if (where === 'external' || where === 'facet+external') {
      record.embed = { $type: 'app.bsky.embed.external', external: { ...external, thumb: blobRef() } };
      embed = {
        $type: 'app.bsky.embed.external#view',
        external: {
          ...external,
          thumb: `https://cdn.bsky.app/img/feed_thumbnail/plain/${did}/bafkreithumb@jpeg`,
        },
      };
    }
    if (where === 'recordWithMedia') {
      const quoted = {
        uri: 'at://did:plc:quotedauthor000000000000/app.bsky.feed.post/3quoted',
        cid: 'bafyreiquoted',
      };
      record.embed = {
        $type: 'app.bsky.embed.recordWithMedia',
        record: { $type: 'app.bsky.embed.record', record: quoted },
        media: { $type: 'app.bsky.embed.external', external: { ...external, thumb: blobRef() } },
      };
      embed = {
        $type: 'app.bsky.embed.recordWithMedia#view',
        record: {
          $type: 'app.bsky.embed.record#view',
          record: { $type: 'app.bsky.embed.record#viewNotFound', ...quoted, notFound: true },
        },
        media: { $type: 'app.bsky.embed.external#view', external },
      };
    }
  }
  if (spec.alt !== undefined && !record.embed) {
    record.embed = {
      $type: 'app.bsky.embed.images',
      images: [{ alt: spec.alt, image: blobRef(), aspectRatio: { width: 1200, height: 800 } }],
    };
  }
  return {
    uri,
    cid: `bafyrei${spec.rkey.toLowerCase().replace(/[^a-z0-9]/g, '')}`,
    author: {
      did,
      handle: spec.handle,
      ...(spec.displayName ? { displayName: spec.displayName } : {}),
      avatar: `https://cdn.bsky.app/img/avatar/plain/${did}/bafkreiavatar@jpeg`,
      labels: (spec.authorLabels ?? []).map((val) => ({
        src: did,
        uri: `at://${did}/app.bsky.actor.profile/self`,
        cid: 'bafyreiprofile',
        val,
        cts: '2024-01-01T00:00:00.000Z',
      })),
      createdAt: '2023-05-01T10:00:00.000Z',
    },
    record,
    ...(embed ? { embed } : {}),
    bookmarkCount: 0,
    replyCount: spec.replies ?? 0,
    repostCount: spec.reposts ?? 0,
    likeCount: spec.likes ?? 0,
    quoteCount: spec.quotes ?? 0,
    indexedAt: new Date(Date.parse(spec.createdAt) + 1123).toISOString(),
    viewer: { bookmarked: false, threadMuted: false, embeddingDisabled: false },
    labels: [],
  };
}

function blobRef() {
  return { $type: 'blob', ref: { $link: 'bafkreithumb' }, mimeType: 'image/jpeg', size: 48213 };
}

function didDoc(did: string, handle: string) {
  return {
    '@context': ['https://www.w3.org/ns/did/v1'],
    id: did,
    alsoKnownAs: [`at://${handle}`],
    service: [
      {
        id: '#atproto_pds',
        type: 'AtprotoPersonalDataServer',
        serviceEndpoint: 'https://pds.stand-in.invalid',
      },
    ],
  };
}

function fakeJwt(payload: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ typ: 'at+jwt', alg: 'ES256K' })}.${part({ ...payload, iat: 1_700_000_000 })}.c3RhbmQtaW4`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
