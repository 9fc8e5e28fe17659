/**
 * A loopback stand-in for the X API v2 search endpoints and X oEmbed, serving the real wire
 * formats (response shape, problem JSON, rate-limit headers) from a fixed set of tweets, with
 * switches for the failures the source must survive. Used by tests, the bench and the demo.
 */
import { queryIds, tweetLinks, type XTweet, type XUser } from '../sources/x-query.js';
import { escapeHtml } from '../util/text.js';
import { type Handler, type RecordedRequest, type Reply, type StandIn, startStandIn } from './server.js';

/** Where the stand-in serves the API (X_API_URL = base + this) and oEmbed (X_OEMBED_URL). */
export const X_STANDIN_API_PATH = '/2';
export const X_STANDIN_OEMBED_PATH = '/oembed';

export interface XStandInData {
  /** Raw v2 tweet objects, as X would return them. */
  tweets: XTweet[];
  users: XUser[];
  /** oEmbed html per tweet id; ids without one get 404 unless `generateOembed`. */
  oembed?: Record<string, string>;
}

export interface XStandInFailures {
  /** Answer the first `times` search requests with 429 and `x-rate-limit-reset` `resetInSeconds` ahead. */
  rateLimited?: { times?: number; resetInSeconds?: number };
  /** Answer the first N search requests with 503. */
  unavailable?: number;
  /** Serve truncated JSON on search requests, oEmbed requests or both. */
  malformed?: 'search' | 'oembed' | 'both';
  /** Answer searches with 200 and an `errors` array but no data. */
  errorsOnly?: boolean;
  /** Anything else: return a reply to override the normal answer for this request. */
  inject?: (req: RecordedRequest, index: number) => Reply | undefined;
}

export interface XStandInOptions {
  /** The bearer token accepted; others get 401. Default `standin-token`. */
  token?: string;
  /** Added to every answer (the bench uses 50 ms). */
  delayMs?: number;
  failures?: XStandInFailures;
  /** X honours `-is:retweet`; set false to serve retweets anyway (to test that they are dropped). */
  honourIsRetweet?: boolean;
  /** Build seed-shaped oEmbed html for known tweets that have none in `data.oembed`. */
  generateOembed?: boolean;
  /** Clock for the recent-search window and rate-limit resets (real time by default). */
  clock?: () => number;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const RECENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

const LIMITS = {
  recent: { query: 512, maxResults: 100, rate: 450 },
  all: { query: 1024, maxResults: 500, rate: 300 },
} as const;

/** A raw v2 tweet object for tests and demos. */
export function fakeTweet(spec: {
  id: string;
  authorId: string;
  text?: string;
  links?: string[];
  createdAt?: string;
  reposts?: number;
  likes?: number;
  replies?: number;
  quotes?: number;
  lang?: string;
  retweetOf?: string;
}): XTweet {
  const links = spec.links ?? [];
  const text =
    spec.text ?? `New paper ${links.map((_, i) => `https://t.co/x${spec.id}${i}`).join(' ')}`.trim();
  const tweet: XTweet = {
    id: spec.id,
    text: spec.retweetOf ? `RT @someone: ${text}` : text,
    author_id: spec.authorId,
    created_at: spec.createdAt ?? '2021-06-09T12:00:00.000Z',
    lang: spec.lang ?? 'en',
    public_metrics: {
      retweet_count: spec.reposts ?? 0,
      reply_count: spec.replies ?? 0,
      like_count: spec.likes ?? 0,
      quote_count: spec.quotes ?? 0,
      bookmark_count: 0,
      impression_count: 0,
    },
    edit_history_tweet_ids: [spec.id],
  };
  if (links.length > 0) {
    tweet.entities = {
      urls: links.map((link, i) => ({
        start: 0,
        end: 23,
        url: `https://t.co/x${spec.id}${i}`,
        expanded_url: link,
        display_url: link.replace(/^https?:\/\//, '').slice(0, 26),
      })),
    };
  }
  if (spec.retweetOf) tweet.referenced_tweets = [{ type: 'retweeted', id: spec.retweetOf }];
  return tweet;
}

/** Characters X shows of a long post in `text`; the rest is only in `note_tweet`. */
export const X_TEXT_CUT = 280;

/**
 * A raw v2 long post (over 280 characters): `prose`, then one t.co link per entry of `links`.
 * As X sends it, `text` is the first 280 characters (ending in an ellipsis) and
 * `entities.urls` holds only the links inside them; `note_tweet` has the whole text and every
 * link. With a long enough `prose`, every link is past the cut.
 */
export function fakeLongTweet(spec: Parameters<typeof fakeTweet>[0] & { prose: string }): XTweet {
  const links = spec.links ?? [];
  const tco = links.map((_, i) => `https://t.co/n${spec.id}${i}`);
  const full = `${spec.prose} ${tco.join(' ')}`.trim();
  const chars = [...full];
  const urls = links.map((link, i) => {
    // Offsets count code points, as X's do.
    const start = [...full.slice(0, full.indexOf(tco[i]!))].length;
    return {
      start,
      end: start + tco[i]!.length,
      url: tco[i]!,
      expanded_url: link,
      display_url: link.replace(/^https?:\/\//, '').slice(0, 26),
    };
  });
  const tweet = fakeTweet({ ...spec, links: [], text: full });
  if (chars.length <= X_TEXT_CUT) {
    if (urls.length > 0) tweet.entities = { urls };
    return tweet;
  }
  tweet.text = `${chars.slice(0, X_TEXT_CUT - 1).join('')}…`;
  const visible = urls.filter((u) => u.end <= X_TEXT_CUT - 1);
  if (visible.length > 0) tweet.entities = { urls: visible };
  tweet.note_tweet = { text: full, entities: { urls } };
  return tweet;
}

/** An oEmbed response body in publish.twitter.com's shape. */
export function oembedBody(
  url: string,
  handle: string,
  authorName: string,
  html: string,
): Record<string, unknown> {
  return {
    url,
    author_name: authorName,
    author_url: `https://twitter.com/${handle}`,
    html,
    width: 550,
    height: null,
    type: 'rich',
    cache_age: '3153600000',
    provider_name: 'Twitter',
    provider_url: 'https://twitter.com',
    version: '1.0',
  };
}

/** Seed-shaped oEmbed html for a tweet (blockquote, newline, widget script, two newlines). */
export function fakeOembedHtml(tweet: XTweet, user: XUser | undefined): string {
  const handle = user?.username ?? 'i';
  const name = escapeHtml(user?.name ?? handle);
  const date = new Date(tweet.created_at ?? 0).toLocaleDateString('en-US', {
    month: 'long',
    day: 'numeric',
    year: 'numeric',
    timeZone: 'UTC',
  });
  // Tweet text from the API is already HTML-escaped.
  return (
    `<blockquote class="twitter-tweet"><p lang="${tweet.lang ?? 'en'}" dir="ltr">${tweet.text}</p>` +
    `&mdash; ${name} (@${handle}) <a href="https://twitter.com/${handle}/status/${tweet.id}?ref_src=twsrc%5Etfw">${date}</a></blockquote>\n` +
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n\n'
  );
}

const ARXIV_ID = /(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})/g;
const ARXIV_SHAPED = /^(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})$/;

function withoutNoteTweet(tweet: XTweet): XTweet {
  if (!tweet.note_tweet) return tweet;
  const { note_tweet: _dropped, ...rest } = tweet;
  return rest;
}

/** Newest first, as X returns search results; ids are decimal strings. */
function newestFirst(a: XTweet, b: XTweet): number {
  const at = a.created_at ?? '';
  const bt = b.created_at ?? '';
  if (at !== bt) return at < bt ? 1 : -1;
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('hex');
}

function decodeToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'hex').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function invalidRequest(parameter: string, value: string, message: string): Reply {
  return {
    status: 400,
    headers: JSON_TYPE,
    body: JSON.stringify({
      errors: [{ parameters: { [parameter]: [value] }, message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    }),
  };
}

const MALFORMED = '{"data":[{"id":"1","text":"cut off';

/** A stand-in request handler for X search (`…/2/tweets/search/recent|all`) and oEmbed (`/oembed`). */
export function xStandInHandler(data: XStandInData, options: XStandInOptions = {}): Handler {
  const token = options.token ?? 'standin-token';
  const clock = options.clock ?? Date.now;
  const failures = options.failures ?? {};
  const honourIsRetweet = options.honourIsRetweet ?? true;
  const users = new Map(data.users.map((u) => [u.id, u]));
  const tweetsById = new Map(data.tweets.map((t) => [t.id, t]));

  // arXiv id → tweets linking it, so a day of thousands of tweets answers quickly.
  const byId = new Map<string, XTweet[]>();
  for (const tweet of data.tweets) {
    const found = new Set<string>();
    for (const link of tweetLinks(tweet)) for (const m of link.matchAll(ARXIV_ID)) found.add(m[1]!);
    for (const id of found) {
      const list = byId.get(id) ?? [];
      list.push(tweet);
      byId.set(id, list);
    }
  }
  // Ids of arXiv shape match as tokens (2106.0455 does not match 2106.04554); anything else
  // falls back to a substring test.
  const linking = (id: string): XTweet[] =>
    ARXIV_SHAPED.test(id)
      ? (byId.get(id) ?? [])
      : data.tweets.filter((t) => tweetLinks(t).some((link) => link.includes(id)));

  let searches = 0;
  const remaining = { recent: LIMITS.recent.rate, all: LIMITS.all.rate };

  function rateHeaders(kind: 'recent' | 'all'): Record<string, string> {
    return {
      'x-rate-limit-limit': String(LIMITS[kind].rate),
      'x-rate-limit-remaining': String(Math.max(0, remaining[kind])),
      'x-rate-limit-reset': String(Math.ceil(clock() / 1000) + 900),
    };
  }

  function search(req: RecordedRequest, kind: 'recent' | 'all'): Reply {
    const index = searches++;
    if (req.headers.authorization !== `Bearer ${token}`) {
      return {
        status: 401,
        headers: JSON_TYPE,
        body: JSON.stringify({
          title: 'Unauthorized',
          type: 'about:blank',
          status: 401,
          detail: 'Unauthorized',
        }),
      };
    }
    const limited = failures.rateLimited;
    if (limited && index < (limited.times ?? 1)) {
      return {
        status: 429,
        headers: {
          ...JSON_TYPE,
          'x-rate-limit-limit': String(LIMITS[kind].rate),
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(Math.ceil(clock() / 1000) + (limited.resetInSeconds ?? 1)),
        },
        body: JSON.stringify({
          title: 'Too Many Requests',
          type: 'about:blank',
          status: 429,
          detail: 'Too Many Requests',
        }),
      };
    }
    if (failures.unavailable && index < failures.unavailable) {
      return {
        status: 503,
        headers: JSON_TYPE,
        body: JSON.stringify({
          title: 'Service Unavailable',
          type: 'about:blank',
          status: 503,
          detail: 'Service Unavailable',
        }),
      };
    }
    remaining[kind]--;
    const headers = { ...JSON_TYPE, ...rateHeaders(kind) };
    if (failures.malformed === 'search' || failures.malformed === 'both')
      return { status: 200, headers, body: MALFORMED };
    if (failures.errorsOnly) {
      return {
        status: 200,
        headers,
        body: JSON.stringify({
          errors: [
            {
              title: 'Operational Error',
              detail: 'Search is temporarily degraded; no results could be produced.',
              type: 'https://api.twitter.com/2/problems/operational-error',
            },
          ],
        }),
      };
    }

    const query = req.query.get('query');
    if (!query) return invalidRequest('query', '', 'The `query` query parameter can not be empty');
    if (query.length > LIMITS[kind].query) {
      return invalidRequest(
        'query',
        query,
        `Query length ${query.length} exceeds ${LIMITS[kind].query} characters`,
      );
    }
    const maxText = req.query.get('max_results') ?? '10';
    const maxResults = Number(maxText);
    if (!Number.isInteger(maxResults) || maxResults < 10 || maxResults > LIMITS[kind].maxResults) {
      return invalidRequest(
        'max_results',
        maxText,
        `The \`max_results\` query parameter value [${maxText}] is not between 10 and ${LIMITS[kind].maxResults}`,
      );
    }
    const startText = req.query.get('start_time');
    const start = startText === null ? undefined : Date.parse(startText);
    if (startText !== null && (start === undefined || Number.isNaN(start))) {
      return invalidRequest('start_time', startText, `Invalid 'start_time':'${startText}'`);
    }
    if (kind === 'recent' && start !== undefined && start < clock() - RECENT_WINDOW_MS) {
      return invalidRequest(
        'start_time',
        startText!,
        `Invalid 'start_time':'${startText}'. 'start_time' must be on or after ${new Date(clock() - RECENT_WINDOW_MS).toISOString()}`,
      );
    }
    const endText = req.query.get('end_time');
    const end = endText === null ? undefined : Date.parse(endText);
    const tokenText = req.query.get('next_token') ?? req.query.get('pagination_token');
    const offset = tokenText ? decodeToken(tokenText) : 0;
    if (offset === undefined)
      return invalidRequest('next_token', tokenText!, `Invalid 'next_token':'${tokenText}'`);

    const skipRetweets = honourIsRetweet && /(^|\s)-is:retweet\b/.test(query);
    const matched = new Map<string, XTweet>();
    for (const id of queryIds(query)) {
      for (const tweet of linking(id)) {
        if (skipRetweets && tweet.referenced_tweets?.some((r) => r.type === 'retweeted')) continue;
        const created = tweet.created_at ? Date.parse(tweet.created_at) : undefined;
        if (created !== undefined && start !== undefined && created < start) continue;
        if (created !== undefined && end !== undefined && !Number.isNaN(end) && created >= end) continue;
        matched.set(tweet.id, tweet);
      }
    }
    const all = [...matched.values()].sort(newestFirst);
    const page = all.slice(offset, offset + maxResults);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length > 0) {
      meta['newest_id'] = page[0]!.id;
      meta['oldest_id'] = page[page.length - 1]!.id;
    }
    if (offset + maxResults < all.length) meta['next_token'] = encodeToken(offset + maxResults);
    const body: Record<string, unknown> = {};
    if (page.length > 0) {
      // Like X, send a long post's note_tweet only when tweet.fields asks for it.
      const fields = (req.query.get('tweet.fields') ?? '').split(',');
      body['data'] = fields.includes('note_tweet') ? page : page.map(withoutNoteTweet);
      const authors = [...new Set(page.map((t) => t.author_id).filter((a): a is string => Boolean(a)))];
      const found = authors.map((a) => users.get(a)).filter((u): u is XUser => Boolean(u));
      if (found.length > 0) body['includes'] = { users: found };
    }
    body['meta'] = meta;
    return { status: 200, headers, body: JSON.stringify(body) };
  }

  function oembed(req: RecordedRequest): Reply {
    const url = req.query.get('url') ?? '';
    const id = /\/status(?:es)?\/(\d+)/.exec(url)?.[1];
    const tweet = id ? tweetsById.get(id) : undefined;
    const user = tweet?.author_id ? users.get(tweet.author_id) : undefined;
    let html = id ? data.oembed?.[id] : undefined;
    if (html === undefined && tweet && options.generateOembed) html = fakeOembedHtml(tweet, user);
    if (html === undefined) {
      return {
        status: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<!DOCTYPE html><title>Not Found</title>',
      };
    }
    if (failures.malformed === 'oembed' || failures.malformed === 'both') {
      return { status: 200, headers: JSON_TYPE, body: '{"url":"cut off' };
    }
    const handle = user?.username ?? /twitter\.com\/([^/]+)\/status/.exec(url)?.[1] ?? 'i';
    return {
      status: 200,
      headers: { ...JSON_TYPE, 'cache-control': 'must-revalidate, max-age=3153600000' },
      body: JSON.stringify(oembedBody(url, handle, user?.name ?? handle, html)),
    };
  }

  return (req, index) => {
    const injected = failures.inject?.(req, index);
    const reply = injected ?? route(req);
    return options.delayMs ? { ...reply, delayMs: (reply.delayMs ?? 0) + options.delayMs } : reply;
  };

  function route(req: RecordedRequest): Reply {
    if (req.path.endsWith('/tweets/search/recent')) return search(req, 'recent');
    if (req.path.endsWith('/tweets/search/all')) return search(req, 'all');
    if (req.path === X_STANDIN_OEMBED_PATH) return oembed(req);
    return {
      status: 404,
      headers: JSON_TYPE,
      body: JSON.stringify({
        title: 'Not Found Error',
        detail: `No route for ${req.path}`,
        type: 'about:blank',
        status: 404,
      }),
    };
  }
}

/** A running X stand-in with the URLs to put in X_API_URL and X_OEMBED_URL. */
export interface XStandIn extends StandIn {
  apiUrl: string;
  oembedUrl: string;
  token: string;
}

/** Start the X stand-in on loopback; `close()` it when done. */
export async function startXStandIn(data: XStandInData, options: XStandInOptions = {}): Promise<XStandIn> {
  const standIn = await startStandIn(xStandInHandler(data, options));
  return {
    ...standIn,
    apiUrl: `${standIn.url}${X_STANDIN_API_PATH}`,
    oembedUrl: `${standIn.url}${X_STANDIN_OEMBED_PATH}`,
    token: options.token ?? 'standin-token',
  };
}
