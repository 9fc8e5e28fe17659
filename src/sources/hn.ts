/**
 * Hacker News source through the Algolia HN Search API (research/social-sources.md §4): a
 * URL-restricted sweep of the day's window for stories linking `arxiv.org`, then `alphaxiv.org`.
 * Algolia stops a query at about 1,000 reachable hits, so a window with that many is cut in
 * halves until each half fits. A typical day costs two requests; no key, no auth.
 * `huggingface.co` is not swept: its URLs are mostly models and datasets.
 */
import { ParseError } from '../errors.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget } from '../http/errors.js';
import type { Post } from '../types.js';
import { escapeHtml } from '../util/text.js';
import type { Source, SourceContext } from './source.js';

/** URL queries swept, in order. */
export const HN_SWEEP_QUERIES: readonly string[] = ['arxiv.org', 'alphaxiv.org'];
/** Hits asked per page (Algolia's largest). */
export const HN_HITS_PER_PAGE = 1000;
/** Algolia's reachable-hit ceiling per query: at or above it the window is split. */
export const HN_HIT_CEILING = 1000;
/** Deepest window split (2^12 slices); below it the remaining hits are reported as missed. */
export const HN_MAX_SPLIT_DEPTH = 12;
/** Same window cap as Bluesky: announcement to now, at most 14 days. */
export const HN_WINDOW_MS = 14 * 24 * 3600_000;

// ---------------------------------------------------------------------------------------------
// Wire format

export interface HnHit {
  objectID: string;
  story_id?: number | null;
  title?: string | null;
  /** Absent (not null) on text posts. */
  url?: string | null;
  /** HTML; absent on link posts. */
  story_text?: string | null;
  author?: string;
  points?: number | null;
  num_comments?: number | null;
  /** `YYYY-MM-DDTHH:MM:SSZ` (older responses had `.000Z`). */
  created_at?: string;
  created_at_i?: number;
  _tags?: string[];
  [key: string]: unknown;
}

export interface HnSearchResponse {
  hits: HnHit[];
  nbHits: number;
  page: number;
  nbPages: number;
  hitsPerPage: number;
  processingTimeMS?: number;
  query?: string;
  params?: string;
  [key: string]: unknown;
}

/** One parsed Algolia page. */
export interface HnPage {
  posts: Post[];
  nbHits: number;
  page: number;
  nbPages: number;
}

// ---------------------------------------------------------------------------------------------
// Pure parsing

/** Discussion page of a story. */
export function hnItemUrl(objectID: string): string {
  return `https://news.ycombinator.com/item?id=${encodeURIComponent(objectID)}`;
}

/** The links of a story: its URL, or for a text post the hrefs inside `story_text`. */
export function hnLinks(hit: HnHit): string[] {
  if (typeof hit.url === 'string' && hit.url.trim() !== '') return [hit.url.trim()];
  if (typeof hit.story_text !== 'string') return [];
  const links: string[] = [];
  for (const match of hit.story_text.matchAll(/href\s*=\s*"([^"]*)"/gi)) {
    const href = decodeEntities(match[1] ?? '').trim();
    if (/^https?:\/\//i.test(href) && !links.includes(href)) links.push(href);
  }
  return links;
}

/** An Algolia hit as a Post; null when it has no id or no link at all. */
export function postFromHit(hit: unknown): Post | null {
  if (typeof hit !== 'object' || hit === null) return null;
  const h = hit as HnHit;
  const id =
    typeof h.objectID === 'string' ? h.objectID : typeof h.objectID === 'number' ? String(h.objectID) : '';
  if (id === '') return null;
  const links = hnLinks(h);
  if (links.length === 0) return null;
  const author = typeof h.author === 'string' && h.author !== '' ? h.author : undefined;
  return {
    source: 'hn',
    id,
    authorId: author,
    authorHandle: author,
    url: hnItemUrl(id),
    text: typeof h.title === 'string' ? h.title : '',
    createdAt: createdAtOf(h),
    links,
    metrics: { reposts: 0, likes: count(h.points), replies: count(h.num_comments), quotes: 0 },
  };
}

/** Parse an Algolia search body (already JSON-decoded); throws ParseError on a wrong shape. */
export function parseHnSearch(body: unknown, target: string): HnPage {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as HnSearchResponse).hits)) {
    throw new ParseError('hn', `unexpected response for ${target}: no "hits" array`);
  }
  const b = body as HnSearchResponse;
  const posts: Post[] = [];
  for (const hit of b.hits) {
    const post = postFromHit(hit);
    if (post) posts.push(post);
  }
  return {
    posts,
    nbHits: count(b.nbHits),
    page: count(b.page),
    nbPages: count(b.nbPages),
  };
}

/** The static card shown for an HN story (no request; only blockquote/p/a tags). */
export function hnCard(post: Pick<Post, 'id' | 'text' | 'metrics'>): string {
  const points = post.metrics.likes;
  const comments = post.metrics.replies;
  return (
    `<blockquote class="hn-card"><p><a href="${escapeHtml(hnItemUrl(post.id))}">${escapeHtml(post.text)}</a></p>` +
    `&mdash; ${points} point${points === 1 ? '' : 's'}, ${comments} comment${comments === 1 ? '' : 's'} on Hacker News</blockquote>`
  );
}

// ---------------------------------------------------------------------------------------------
// The source

export interface HnSourceOptions {
  queries?: readonly string[];
  hitsPerPage?: number;
}

/** The Hacker News source (free, keyless). */
export function createHnSource(options: HnSourceOptions = {}): Source {
  const queries = options.queries ?? HN_SWEEP_QUERIES;
  const hitsPerPage = options.hitsPerPage ?? HN_HITS_PER_PAGE;

  async function fetchPage(
    ctx: SourceContext,
    query: string,
    lo: number,
    hi: number,
    page: number,
  ): Promise<HnPage> {
    const params = new URLSearchParams({
      query,
      restrictSearchableAttributes: 'url',
      tags: 'story',
      numericFilters: `created_at_i>${lo},created_at_i<${hi}`,
      hitsPerPage: String(hitsPerPage),
      page: String(page),
    });
    const url = `${ctx.config.hnApiUrl.replace(/\/+$/, '')}/search_by_date?${params.toString()}`;
    const target = describeTarget('GET', url);
    const response = await ctx.http.request({ service: 'hn', url, headers: { accept: 'application/json' } });
    return parseHnSearch(parseJsonBody('hn', response, target), target);
  }

  return {
    id: 'hn',

    async collect(_papers, ctx) {
      const found = new Map<string, Post>();
      const notes: string[] = [];
      // Both bounds are exclusive: the window is (lo, hi) in epoch seconds.
      const lo = Math.floor(ctx.announcedAt.getTime() / 1000) - 1;
      const hi = Math.floor(Math.min(ctx.now.getTime(), ctx.announcedAt.getTime() + HN_WINDOW_MS) / 1000) + 1;
      if (hi - lo <= 2) {
        notes.push(`hn: nothing to search, "now" (${ctx.now.toISOString()}) is before the announcement`);
        return { posts: [], notes };
      }
      let requests = 0;
      let missed = 0;

      const sweep = async (query: string, from: number, to: number, depth: number): Promise<void> => {
        const first = await fetchPage(ctx, query, from, to, 0);
        requests++;
        for (const post of first.posts) found.set(post.id, post);
        if (first.nbHits >= HN_HIT_CEILING) {
          if (depth < HN_MAX_SPLIT_DEPTH && to - from > 2) {
            // (from, mid] and (mid, to): the halves meet without overlap or gap.
            const mid = Math.floor((from + to) / 2);
            await sweep(query, from, mid + 1, depth + 1);
            await sweep(query, mid, to, depth + 1);
            return;
          }
          missed += first.nbHits - HN_HIT_CEILING + 1;
        }
        for (let page = 1; page < first.nbPages; page++) {
          const next = await fetchPage(ctx, query, from, to, page);
          requests++;
          if (next.posts.length === 0) break;
          for (const post of next.posts) found.set(post.id, post);
        }
      };

      for (const query of queries) await sweep(query, lo, hi, 0);
      notes.push(`hn: ${found.size} stories from ${requests} requests (${queries.join(', ')})`);
      if (missed > 0) notes.push(`hn: about ${missed} stories beyond Algolia's 1000-hit limit were not read`);
      return { posts: [...found.values()], notes };
    },

    async embed(post) {
      return hnCard(post);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function createdAtOf(hit: HnHit): string | undefined {
  if (typeof hit.created_at === 'string') {
    const ms = Date.parse(hit.created_at);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  if (typeof hit.created_at_i === 'number' && Number.isFinite(hit.created_at_i)) {
    return new Date(hit.created_at_i * 1000).toISOString();
  }
  return undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
