/**
 * Loopback stand-in for the Algolia Hacker News Search API (research/social-sources.md §4):
 * `search_by_date` and `search` with `query` (optionally restricted to `url`), `tags`,
 * `numericFilters` on created_at_i/points/num_comments, `page`/`hitsPerPage`, the ~1,000
 * reachable-hit ceiling, and 2026 hit shapes (`created_at` without millis, no `url` key on text
 * posts). Failures are switchable. Point HN_API_URL at `apiUrl`.
 */
import type { HnHit } from '../sources/hn.js';
import { type Handler, type RecordedRequest, type Reply, type StandIn, startStandIn } from './server.js';

export interface HnStandInData {
  hits: HnHit[];
}

export interface HnStandInOptions {
  /** Every search finds nothing. */
  empty?: boolean;
  /** Bodies cut off mid-JSON. */
  malformed?: boolean;
  /** The first `times` requests get this status (e.g. 503). */
  fail?: { status: number; times: number };
  /** The first `times` requests get 429 with `Retry-After` seconds. */
  rateLimit?: { times: number; retryAfterSeconds: number };
  /** Largest hitsPerPage honoured (Algolia's is 1000). */
  maxHitsPerPage?: number;
  /** Consulted first; return a reply to inject any other behaviour. */
  override?: (req: RecordedRequest, index: number) => Reply | undefined;
}

export interface HnStandIn extends StandIn {
  /** Base for HN_API_URL (`…/api/v1`). */
  apiUrl: string;
}

/** Algolia's paginationLimitedTo for the HN index. */
const REACHABLE = 1000;
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/** The request handler behind startHnStandIn. */
export function hnHandler(data: HnStandInData, options: HnStandInOptions = {}): Handler {
  return (req, index) => {
    const injected = options.override?.(req, index);
    if (injected) return injected;
    if (options.rateLimit && index < options.rateLimit.times) {
      return {
        status: 429,
        headers: { ...JSON_TYPE, 'retry-after': String(options.rateLimit.retryAfterSeconds) },
        body: JSON.stringify({ message: 'Too many requests', status: 429 }),
      };
    }
    if (options.fail && index < options.fail.times) {
      return {
        status: options.fail.status,
        headers: { 'content-type': 'text/html' },
        body: '<html><body><h1>Service Unavailable</h1></body></html>',
      };
    }
    const byDate = req.path === '/api/v1/search_by_date';
    if (!byDate && req.path !== '/api/v1/search') {
      return { status: 404, headers: JSON_TYPE, body: JSON.stringify({ message: 'Not Found', status: 404 }) };
    }
    const q = req.query;
    let filters: Array<(hit: HnHit) => boolean>;
    try {
      filters = parseNumericFilters(q.get('numericFilters') ?? '');
    } catch (error) {
      return {
        status: 400,
        headers: JSON_TYPE,
        body: JSON.stringify({ message: (error as Error).message, status: 400 }),
      };
    }
    const hitsPerPage = Math.max(
      1,
      Math.min(Number(q.get('hitsPerPage') ?? '20') || 20, options.maxHitsPerPage ?? 1000),
    );
    const page = Math.max(0, Number(q.get('page') ?? '0') || 0);
    const query = q.get('query') ?? '';
    const onlyUrl = q.get('restrictSearchableAttributes') === 'url';
    const tagMatch = parseTags(q.get('tags') ?? '');

    const matched = options.empty
      ? []
      : data.hits
          .filter(
            (hit) =>
              matchesQuery(hit, query, onlyUrl) && tagMatch(hit._tags ?? []) && filters.every((f) => f(hit)),
          )
          .sort((a, b) =>
            byDate
              ? (b.created_at_i ?? 0) - (a.created_at_i ?? 0)
              : (b.points ?? 0) - (a.points ?? 0) || (b.created_at_i ?? 0) - (a.created_at_i ?? 0),
          );
    const reachable = matched.slice(0, REACHABLE);
    const nbPages = Math.ceil(reachable.length / hitsPerPage);
    const hits = reachable
      .slice(page * hitsPerPage, (page + 1) * hitsPerPage)
      .map((hit) => withHighlight(hit, query));
    const body = JSON.stringify({
      exhaustive: { nbHits: true, typo: true },
      exhaustiveNbHits: true,
      exhaustiveTypo: true,
      hits,
      hitsPerPage,
      nbHits: matched.length,
      nbPages,
      page,
      params: new URLSearchParams([...q.entries()]).toString(),
      processingTimeMS: 3,
      query,
      serverTimeMS: 4,
    });
    return {
      status: 200,
      headers: JSON_TYPE,
      body: options.malformed ? body.slice(0, Math.floor(body.length / 2)) : body,
    };
  };
}

/** Start the HN stand-in on loopback. */
export async function startHnStandIn(
  data: HnStandInData,
  options: HnStandInOptions = {},
): Promise<HnStandIn> {
  const s = await startStandIn(hnHandler(data, options));
  return { ...s, apiUrl: `${s.url}/api/v1` };
}

// ---------------------------------------------------------------------------------------------
// Query semantics, approximated: every word of `query` (split at punctuation, as Algolia does)
// must occur in the searched attributes; tags are AND across commas, OR inside parentheses.

function matchesQuery(hit: HnHit, query: string, onlyUrl: boolean): boolean {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0) return true;
  const fields = onlyUrl ? [hit.url] : [hit.title, hit.url, hit.story_text, hit.author];
  const text = fields
    .filter((f): f is string => typeof f === 'string')
    .join(' ')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}

function parseTags(tags: string): (have: string[]) => boolean {
  const groups: string[][] = [];
  for (const match of tags.matchAll(/\(([^)]*)\)|([^,()]+)/g)) {
    const group = (match[1] ?? match[2] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (group.length > 0) groups.push(group);
  }
  return (have) => groups.every((group) => group.some((t) => have.includes(t)));
}

const NUMERIC = /^(created_at_i|points|num_comments)\s*(<=|>=|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)$/;

function parseNumericFilters(text: string): Array<(hit: HnHit) => boolean> {
  const out: Array<(hit: HnHit) => boolean> = [];
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = NUMERIC.exec(part);
    if (!m) throw new Error(`invalid numericFilters: ${part}`);
    const [, attr, op, raw] = m;
    const bound = Number(raw);
    out.push((hit) => {
      const v = Number(hit[attr as 'points'] ?? Number.NaN);
      switch (op) {
        case '<':
          return v < bound;
        case '<=':
          return v <= bound;
        case '>':
          return v > bound;
        case '>=':
          return v >= bound;
        case '=':
          return v === bound;
        default:
          return v !== bound;
      }
    });
  }
  return out;
}

function withHighlight(hit: HnHit, query: string): HnHit {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const mark = (value: string) =>
    words.reduce((acc, w) => acc.replace(new RegExp(`(${w})`, 'gi'), '<em>$1</em>'), value);
  const highlight: Record<string, unknown> = {
    author: { value: hit.author ?? '', matchLevel: 'none', matchedWords: [] },
    title: { value: hit.title ?? '', matchLevel: 'none', matchedWords: [] },
  };
  if (typeof hit.url === 'string')
    highlight.url = { value: mark(hit.url), matchLevel: 'full', matchedWords: words };
  return { ...hit, _highlightResult: highlight };
}

// ---------------------------------------------------------------------------------------------
// Building data

export interface HnStorySpec {
  id: number;
  title: string;
  /** Omit for a text post (Ask HN …): the hit then has no `url` key at all. */
  url?: string;
  /** HTML body of a text post. */
  storyText?: string;
  author: string;
  points: number;
  comments: number;
  /** ISO instant. */
  createdAt: string;
}

/** A story hit in the 2026 shape, for fixtures and the demo. */
export function hnStory(spec: HnStorySpec): HnHit {
  const seconds = Math.floor(Date.parse(spec.createdAt) / 1000);
  const hit: HnHit = {
    _tags: ['story', `author_${spec.author}`, `story_${spec.id}`],
    author: spec.author,
    children: [],
    created_at: new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    created_at_i: seconds,
    num_comments: spec.comments,
    objectID: String(spec.id),
    points: spec.points,
    story_id: spec.id,
    title: spec.title,
    updated_at: new Date(seconds * 1000 + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (spec.url !== undefined) hit.url = spec.url;
  if (spec.storyText !== undefined) hit.story_text = spec.storyText;
  return hit;
}
