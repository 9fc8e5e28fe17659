/**
 * Loopback stand-in for Bluesky: the XRPC methods the source uses (createSession,
 * refreshSession, searchPosts with cursor/hitsTotal and RateLimit-* headers) and the embed
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
        const q = req.query.get('q');
        if (!q) return xrpcError(400, 'InvalidRequest', 'Error: Params must have the property "q"');
        const limit = Number(req.query.get('limit') ?? '25');
        if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
          return xrpcError(400, 'InvalidRequest', 'Error: limit must be between 1 and 100');
        }
        const hits = searchPosts(data.posts, req.query);
        const offset = cursor ? Number(cursor) : 0;
        if (!Number.isInteger(offset) || offset < 0)
          return xrpcError(400, 'BadQueryString', 'invalid cursor');
        const size = Math.min(limit, options.pageSize ?? limit);
        const page = hits.slice(offset, offset + size);
        const next = offset + size < hits.length ? String(offset + size) : undefined;
        const body = JSON.stringify({
          ...(next ? { cursor: next } : {}),
          hitsTotal: hits.length,
          posts: page,
        });
        return {
          status: 200,
          headers: rateHeaders(),
          body: options.malformedSearch ? body.slice(0, Math.max(1, Math.floor(body.length / 2))) : body,
        };
      }

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
// Search semantics, approximated: every `q` term must occur in the text or a link; `domain`
// and `url` filter on links (facets and embeds); `since` inclusive, `until` exclusive, on sortAt.

function searchPosts(posts: readonly BlueskyPostView[], query: URLSearchParams): BlueskyPostView[] {
  const terms = (query.get('q') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .map((t) => t.replace(/^"|"$/g, ''))
    .filter(Boolean);
  const domain = query.get('domain')?.toLowerCase();
  const url = query.get('url');
  const since = parseBound(query.get('since'));
  const until = parseBound(query.get('until'));
  const sortAt = (p: BlueskyPostView) =>
    Math.min(Date.parse(p.record.createdAt ?? p.indexedAt), Date.parse(p.indexedAt));
  return posts
    .filter((post) => {
      const links = linksOf(post);
      const haystack = `${post.record.text ?? ''}\n${links.join('\n')}`.toLowerCase();
      if (!terms.every((t) => haystack.includes(t))) return false;
      if (domain && !links.some((l) => hostOf(l) === domain || hostOf(l).endsWith(`.${domain}`)))
        return false;
      if (url && !links.some((l) => normaliseUrl(l) === normaliseUrl(url))) return false;
      const at = sortAt(post);
      if (since !== undefined && at < since) return false;
      if (until !== undefined && at >= until) return false;
      return true;
    })
    .sort((a, b) => sortAt(b) - sortAt(a) || a.uri.localeCompare(b.uri));
}

/** Links the server indexes: facet link URIs and external embeds, written independently of the source. */
function linksOf(post: BlueskyPostView): string[] {
  const out: string[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === 'uri' && typeof v === 'string' && /^https?:\/\//.test(v)) out.push(v);
      else if (k !== 'record' || depth === 0) walk(v, depth + 1);
    }
  };
  walk({ facets: post.record.facets, embed: post.record.embed }, 0);
  walk({ embed: post.embed }, 0);
  return out;
}

function parseBound(value: string | null): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

function hostOf(link: string): string {
  try {
    return new URL(link).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function normaliseUrl(link: string): string {
  try {
    const u = new URL(link);
    return `${u.hostname.toLowerCase().replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return link;
  }
}

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
