/**
 * Pure helpers of the X source: building batched search queries within X's query-length
 * limit, choosing the search endpoint and its start time, and reading one search page.
 * No I/O here, so every rule is tested with plain data.
 */
import type { z as zod } from 'zod';
import { ParseError } from '../errors.js';
import { z } from '../util/zod.js';

/** Query-length limit of self-serve X access (pay-per-use, Basic, Pro) for recent search. */
export const X_QUERY_LIMIT = 512;

/** Recent search covers the last seven days of the real clock. */
export const RECENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** Kept between our start_time and the edges X enforces, so clock skew cannot make a 400. */
const EDGE_MARGIN_MS = 60 * 1000;

const NOT_RETWEET = ' -is:retweet';

export type XSearchEndpoint = '/tweets/search/recent' | '/tweets/search/all';

/** One search term for an arXiv id: a tokenized URL match, quoted because ids contain dots. */
function term(id: string): string {
  return `url:"${id}"`;
}

function groupQuery(terms: readonly string[]): string {
  // A lone term needs no group; this is also the old one-paper-per-search query.
  if (terms.length === 1) return `${terms[0]}${NOT_RETWEET}`;
  return `(${terms.join(' OR ')})${NOT_RETWEET}`;
}

/**
 * Pack arXiv ids into as few `(url:"A" OR url:"B" …) -is:retweet` queries as fit within
 * `limit` characters (the whole query string counts). Ids are deduplicated in order; an id
 * that alone exceeds the limit still gets its own query. Ids holding `"` or whitespace cannot
 * be arXiv ids and would break the quoting, so they are skipped.
 */
export function batchQueries(ids: readonly string[], limit = X_QUERY_LIMIT): string[] {
  const unique = [...new Set(ids.map((id) => id.trim()))].filter((id) => id !== '' && !/["\s]/.test(id));
  const queries: string[] = [];
  let current: string[] = [];
  for (const id of unique) {
    const candidate = [...current, term(id)];
    if (current.length > 0 && groupQuery(candidate).length > limit) {
      queries.push(groupQuery(current));
      current = [term(id)];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) queries.push(groupQuery(current));
  return queries;
}

/**
 * `/tweets/search/recent` when the announcement lies within the seven days before `now`,
 * `/tweets/search/all` (full archive) otherwise. `now` should be the real clock: the window
 * is the API's, not the data's.
 */
export function searchEndpoint(announcedAt: Date, now: Date): XSearchEndpoint {
  return now.getTime() - announcedAt.getTime() < RECENT_WINDOW_MS
    ? '/tweets/search/recent'
    : '/tweets/search/all';
}

/**
 * The `start_time` to send: the announcement instant, clamped for recent search into the
 * window X accepts (after now − 7 days, before now). RFC 3339 without milliseconds.
 */
export function searchStartTime(endpoint: XSearchEndpoint, announcedAt: Date, now: Date): string {
  let ms = announcedAt.getTime();
  if (endpoint === '/tweets/search/recent') {
    ms = Math.max(ms, now.getTime() - RECENT_WINDOW_MS + EDGE_MARGIN_MS);
    ms = Math.min(ms, now.getTime() - EDGE_MARGIN_MS);
  }
  return rfc3339(new Date(ms));
}

/** `2021-06-08T00:00:00Z`: the form X's docs use. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The arXiv ids a query searches for, in order (the stand-in and tests read queries back). */
export function queryIds(query: string): string[] {
  const ids: string[] = [];
  for (const match of query.matchAll(/url:(?:"([^"]*)"|([^\s()"]+))/g)) {
    const id = match[1] ?? match[2];
    if (id) ids.push(id);
  }
  return ids;
}

const urlEntity = z.looseObject({
  url: z.string().optional(),
  expanded_url: z.string().optional(),
  unwound_url: z.string().optional(),
  display_url: z.string().optional(),
});

const publicMetrics = z.looseObject({
  retweet_count: z.number().optional(),
  reply_count: z.number().optional(),
  like_count: z.number().optional(),
  quote_count: z.number().optional(),
  bookmark_count: z.number().optional(),
  impression_count: z.number().optional(),
});

const tweetSchema = z.looseObject({
  id: z.string(),
  text: z.string(),
  author_id: z.string().optional(),
  created_at: z.string().optional(),
  lang: z.string().optional(),
  entities: z.looseObject({ urls: z.array(urlEntity).optional() }).optional(),
  // A post over 280 characters: `text` and `entities` cover only the truncated part; the whole
  // text and all its links are here (sent only when `tweet.fields` asks for `note_tweet`).
  note_tweet: z
    .looseObject({
      text: z.string().optional(),
      entities: z.looseObject({ urls: z.array(urlEntity).optional() }).optional(),
    })
    .optional(),
  public_metrics: publicMetrics.optional(),
  referenced_tweets: z.array(z.looseObject({ type: z.string(), id: z.string() })).optional(),
});

const userSchema = z.looseObject({
  id: z.string(),
  username: z.string(),
  name: z.string().optional(),
});

const problemSchema = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  message: z.string().optional(),
  code: z.number().optional(),
});

const pageSchema = z.looseObject({
  data: z.array(tweetSchema).optional(),
  includes: z.looseObject({ users: z.array(userSchema).optional() }).optional(),
  meta: z
    .looseObject({
      result_count: z.number().optional(),
      next_token: z.string().optional(),
      newest_id: z.string().optional(),
      oldest_id: z.string().optional(),
    })
    .optional(),
  errors: z.array(problemSchema).optional(),
});

/** A v2 tweet object as received (only the fields we read are typed). */
export type XTweet = zod.infer<typeof tweetSchema>;
/** A v2 user object from `includes.users`. */
export type XUser = zod.infer<typeof userSchema>;
/** One entry of a v2 `errors` array (problem JSON or the older `{code, message}`). */
export type XProblem = zod.infer<typeof problemSchema>;

/** One search page, read. */
export interface XSearchPage {
  tweets: XTweet[];
  users: XUser[];
  nextToken?: string;
  errors: XProblem[];
}

/**
 * Read a parsed search response body. Throws a one-line `x: …` ParseError naming the first
 * field that is not where or what X documents. The tweet objects are returned as received.
 */
export function parseSearchPage(json: unknown): XSearchPage {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const what = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
    throw new ParseError('x', `search response is ${what}, expected a JSON object`);
  }
  const parsed = pageSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ParseError(
      'x',
      `search response has an unexpected shape at ${pathOf(issue.path)}: ${issue.message}`,
    );
  }
  // Validation passed, so the original objects have the checked shape; keep them untouched
  // (zod's output is a copy: a second object per tweet for nothing).
  const body = json as zod.infer<typeof pageSchema>;
  const nextToken = body.meta?.next_token;
  return {
    tweets: body.data ?? [],
    users: body.includes?.users ?? [],
    ...(nextToken ? { nextToken } : {}),
    errors: body.errors ?? [],
  };
}

/**
 * Every expanded link of a tweet, in order, once each: the union of `entities.urls` (which
 * covers only the first 280 characters of a long post) and `note_tweet.entities.urls`.
 */
export function tweetLinks(tweet: XTweet): string[] {
  const links: string[] = [];
  for (const entity of [...(tweet.entities?.urls ?? []), ...(tweet.note_tweet?.entities?.urls ?? [])]) {
    for (const link of [entity.expanded_url, entity.unwound_url]) {
      if (link && !links.includes(link)) links.push(link);
    }
  }
  return links;
}

/** One line describing an `errors` entry, for messages. */
export function describeProblem(problem: XProblem): string {
  const parts = [problem.title, problem.detail ?? problem.message].filter((s): s is string => Boolean(s));
  return parts.length > 0 ? [...new Set(parts)].join(': ') : 'unspecified error';
}

function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'top level';
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}
