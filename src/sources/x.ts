/**
 * The X (Twitter) source: batched API v2 searches for the day's arXiv ids, read into Posts;
 * oEmbed for the posts that will be shown. Matching to papers happens later, through links.
 */
import { fetchOembedHtml } from '../embeds/oembed.js';
import { HotpapersError } from '../errors.js';
import type { LanePolicy } from '../http/client.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget } from '../http/errors.js';
import type { Paper, Post } from '../types.js';
import type { Source, SourceContext, SourceResult } from './source.js';
import {
  batchQueries,
  describeProblem,
  parseSearchPage,
  searchEndpoint,
  searchStartTime,
  tweetLinks,
  type XSearchEndpoint,
  type XTweet,
  type XUser,
} from './x-query.js';

/** `note_tweet` carries the full text and links of posts over 280 characters (not sent otherwise). */
export const TWEET_FIELDS = 'public_metrics,created_at,entities,author_id,lang,referenced_tweets,note_tweet';
const PAGE_MAX = 100;
const PAGE_MIN = 10;

/** HTTP lanes the X source uses; full-archive search allows one request per second per app. */
export const X_LANES: Readonly<Record<string, LanePolicy>> = {
  'x-search-recent': { minIntervalMs: 0, concurrency: 1 },
  'x-search-all': { minIntervalMs: 1000, concurrency: 1 },
};

export interface XSourceOptions {
  /** The real clock (full-archive start_time only); recent vs full archive follows HOTPAPERS_NOW. */
  clock?: () => Date;
  /** How ids become queries; default `batchQueries`. The bench passes the old one-per-paper form. */
  queries?: (ids: string[]) => string[];
}

/** What the last `collect` did. */
export interface XRunStats {
  endpoint?: XSearchEndpoint;
  queries: number;
  /** Search pages requested (retried attempts are counted by the HttpClient). */
  requests: number;
  /** Tweets read, retweets included: X bills per post read. */
  postsRead: number;
  /**
   * Tweets X returned, which it bills: postsRead, or up to a page's minimum of 10 more when
   * --max-x-reads stopped the reading within a page.
   */
  postsReturned: number;
  /** User objects returned with them (`includes.users`: X may bill these as user reads). */
  usersRead: number;
  retweetsDropped: number;
  /** True when --max-x-reads stopped the reading. */
  capped: boolean;
}

/** The X source, with the figures of its last run. */
export interface XSource extends Source {
  readonly stats: XRunStats;
}

/** True for a retweet object: its engagement already counts on the original. */
export function isRetweet(tweet: XTweet): boolean {
  return (tweet.referenced_tweets ?? []).some((ref) => ref.type === 'retweeted');
}

/** Public address of a tweet; without a handle, the form that needs none. */
export function tweetUrl(username: string | undefined, id: string): string {
  return username ? `https://twitter.com/${username}/status/${id}` : `https://twitter.com/i/web/status/${id}`;
}

/** Build a Post from a v2 tweet and its author (from `includes.users`). */
export function tweetToPost(tweet: XTweet, user: XUser | undefined): Post {
  const links = tweetLinks(tweet);
  // A long post's `text` is cut short; its note_tweet holds the whole text.
  const fullText = tweet.note_tweet?.text || tweet.text;
  const m = tweet.public_metrics ?? {};
  const post: Post = {
    source: 'x',
    id: tweet.id,
    url: tweetUrl(user?.username, tweet.id),
    text: unescapeTweetText(fullText),
    links,
    metrics: {
      reposts: m.retweet_count ?? 0,
      likes: m.like_count ?? 0,
      replies: m.reply_count ?? 0,
      quotes: m.quote_count ?? 0,
    },
  };
  if (tweet.author_id) post.authorId = tweet.author_id;
  if (user?.username) post.authorHandle = user.username;
  if (user?.name) post.authorName = user.name;
  if (tweet.created_at) post.createdAt = tweet.created_at;
  return post;
}

/** X escapes `&`, `<` and `>` in tweet text; Post.text is plain text (renderers escape it). */
function unescapeTweetText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function authHint(endpoint: XSearchEndpoint): (status: number) => string | undefined {
  return (status) => {
    if (status === 401) return 'check X_BEARER_TOKEN';
    if (status === 403) return `check X_BEARER_TOKEN and that the app may use ${endpoint}`;
    return undefined;
  };
}

/** The figures of a run that has read nothing yet. */
function noneYet(): XRunStats {
  return {
    queries: 0,
    requests: 0,
    postsRead: 0,
    postsReturned: 0,
    usersRead: 0,
    retweetsDropped: 0,
    capped: false,
  };
}

/** Create the X source. */
export function createXSource(options: XSourceOptions = {}): XSource {
  const clock = options.clock ?? (() => new Date());
  const makeQueries = options.queries ?? ((ids: string[]) => batchQueries(ids));
  const stats: XRunStats = noneYet();

  async function collect(papers: readonly Paper[], ctx: SourceContext): Promise<SourceResult> {
    Object.assign(stats, noneYet());
    delete stats.endpoint;
    const token = ctx.config.xBearerToken;
    if (!token) throw new HotpapersError('x', 'X_BEARER_TOKEN is not set');
    const queries = makeQueries(papers.map((p) => p.id));
    // Recent vs full archive is decided by HOTPAPERS_NOW (issue 3), so a replayed day asks the
    // same endpoint it would have asked live. Recent search gets no start_time: X defaults it
    // to now − 7 days, which covers the announcement, and a replay cannot trip its 7-day check.
    const endpoint = searchEndpoint(ctx.announcedAt, ctx.now);
    const startTime =
      endpoint === '/tweets/search/all' ? searchStartTime(endpoint, ctx.announcedAt, clock()) : undefined;
    const base = ctx.config.xApiUrl.replace(/\/+$/, '');
    const lane = endpoint === '/tweets/search/all' ? 'x-search-all' : 'x-search-recent';
    const cap = ctx.config.maxXReads;
    stats.endpoint = endpoint;
    stats.queries = queries.length;

    const posts: Post[] = [];
    const notes: string[] = [];
    reading: for (const [index, query] of queries.entries()) {
      let nextToken: string | undefined;
      const tokensSeen = new Set<string>();
      do {
        if (stats.postsRead >= cap) {
          stats.capped = true;
          break reading;
        }
        const params = new URLSearchParams({
          query,
          // Never ask for more posts than the cap leaves: X bills every post returned.
          max_results: String(Math.min(PAGE_MAX, Math.max(PAGE_MIN, cap - stats.postsRead))),
          'tweet.fields': TWEET_FIELDS,
          expansions: 'author_id',
          'user.fields': 'username,name',
        });
        if (startTime) params.set('start_time', startTime);
        if (nextToken) params.set('next_token', nextToken);
        const url = `${base}${endpoint}?${params.toString()}`;
        const target = describeTarget('GET', url);
        stats.requests++;
        const response = await ctx.http.request({
          service: 'x',
          url,
          lane,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          hintForStatus: authHint(endpoint),
        });
        const page = parseSearchPage(parseJsonBody<unknown>('x', response, target));
        if (page.errors.length > 0 && page.tweets.length === 0) {
          const more = page.errors.length > 1 ? ` (+${page.errors.length - 1} more)` : '';
          throw new HotpapersError(
            'x',
            `${target} returned errors and no data: ${describeProblem(page.errors[0]!)}${more}`,
          );
        }
        if (page.errors.length > 0) {
          ctx.log.warn(
            `x: ${target} returned ${page.errors.length} partial error(s): ${describeProblem(page.errors[0]!)}`,
          );
        }
        stats.postsReturned += page.tweets.length;
        stats.usersRead += page.users.length;
        const users = new Map(page.users.map((u) => [u.id, u]));
        for (const tweet of page.tweets) {
          if (stats.postsRead >= cap) {
            stats.capped = true;
            break;
          }
          stats.postsRead++;
          if (isRetweet(tweet)) {
            stats.retweetsDropped++;
            continue;
          }
          posts.push(tweetToPost(tweet, tweet.author_id ? users.get(tweet.author_id) : undefined));
        }
        nextToken = page.nextToken;
        // A token seen before would loop forever; X documents tokens as stable, so stop.
        if (nextToken && tokensSeen.has(nextToken)) nextToken = undefined;
        if (nextToken) tokensSeen.add(nextToken);
        if (stats.capped) break reading;
      } while (nextToken);
      ctx.log.progress('x', index + 1, queries.length);
    }
    if (stats.capped) notes.push(`x: stopped at ${cap} posts (--max-x-reads)`);
    return { posts, notes };
  }

  async function embed(post: Post, ctx: SourceContext): Promise<string | null> {
    const url = post.authorHandle ? tweetUrl(post.authorHandle, post.id) : post.url;
    return fetchOembedHtml(ctx.http, 'x', ctx.config.xOembedUrl, url);
  }

  return {
    id: 'x',
    stats,
    collect,
    embed,
    billedReads: () => ({ posts: stats.postsReturned, users: stats.usersRead }),
  };
}
