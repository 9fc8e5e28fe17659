/**
 * The API method (research §1, §5.2): ask `export.arxiv.org/api/query` for the chosen
 * categories submitted inside mailing D's window, page through the results, and keep only
 * what truly belongs (the server's filtering is not trusted). Approximate by nature: papers
 * held in moderation and late cross-lists are missed.
 */
import type { Config } from '../config/schema.js';
import { clip, HotpapersError } from '../errors.js';
import type { HttpClient, LanePolicy } from '../http/client.js';
import { describeTarget } from '../http/errors.js';
import { backoffMs, serverDelayMs } from '../http/retry.js';
import type { Paper } from '../types.js';
import type { Logger } from '../util/log.js';
import { type ApiEntry, type ApiPage, apiErrorMessage, parseApiFeed } from './atom.js';
import { apiCategoryQuery, inChosen } from './categories.js';
import { announceTypeFor, mergePapers } from './merge.js';
import { submissionWindow } from './schedule.js';

/** The lane every arXiv request uses. */
export const ARXIV_LANE = 'arxiv';
/** Results per API page (the API serves up to 2000; 500 keeps responses small). */
export const API_PAGE_SIZE = 500;
/** More results than this means the query was not applied; refuse rather than crawl arXiv. */
const MAX_TOTAL = 30_000;

/** arXiv's terms of use: one request at a time, ARXIV_DELAY_MS apart. */
export function arxivLane(config: Pick<Config, 'arxivDelayMs'>): LanePolicy {
  return { minIntervalMs: config.arxivDelayMs, concurrency: 1 };
}

/** `YYYYMMDDHHMM` in UTC, the API's date format. */
export function apiDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

/**
 * The `search_query` for mailing D: an explicit OR of categories (aliases included) AND a
 * submittedDate range. The API's range is inclusive at minute precision, so the end is one
 * minute before the next cut-off.
 */
export function apiSearchQuery(chosen: readonly string[], window: { start: Date; end: Date }): string {
  const last = new Date(window.end.getTime() - 60_000);
  return `${apiCategoryQuery(chosen)} AND submittedDate:[${apiDate(window.start)} TO ${apiDate(last)}]`;
}

/** The URL of one API page. */
export function apiPageUrl(base: string, query: string, start: number, maxResults: number): string {
  const params = new URLSearchParams({
    search_query: query,
    sortBy: 'submittedDate',
    sortOrder: 'ascending',
    start: String(start),
    max_results: String(maxResults),
  });
  return `${base}${base.includes('?') ? '&' : '?'}${params.toString()}`;
}

/** Does an API entry belong to mailing D: submitted inside the window and filed under a chosen category? */
export function belongsToWindow(
  entry: ApiEntry,
  window: { start: Date; end: Date },
  chosen: readonly string[],
): boolean {
  if (!entry.published) return false;
  const t = Date.parse(entry.published);
  return t >= window.start.getTime() && t < window.end.getTime() && inChosen(entry.categories, chosen);
}

export interface ApiListingRequest {
  day: string;
  categories: readonly string[];
  config: Pick<Config, 'arxivApiUrl'>;
  http: HttpClient;
  log: Logger;
  pageSize?: number;
}

export interface MethodResult {
  papers: Paper[];
  notes: string[];
}

/**
 * The page's feed when a 406 carries a valid Atom query feed (one with `totalResults`, no error
 * entry), else undefined: since September 2026 export.arxiv.org intermittently answers 406,
 * sometimes with the feed it meant to send.
 */
export function feedOf406(body: string): ApiPage | undefined {
  try {
    const page = parseApiFeed(body);
    return page.totalResults === undefined ? undefined : page;
  } catch {
    return undefined;
  }
}

async function fetchPage(req: ApiListingRequest, url: string): Promise<ApiPage> {
  const { maxAttempts, retryBaseMs, retryCapMs, maxServerWaitMs, random, sleep } = req.http.options;
  // A 406 is retried like a 503 (the HTTP layer's attempts and capped backoff); each try goes
  // through the HTTP layer, so the arXiv lane's pacing and its own retries still apply.
  for (let attempt = 1; ; attempt++) {
    const response = await req.http.request({
      service: 'arxiv',
      url,
      lane: ARXIV_LANE,
      acceptStatuses: [400, 406],
    });
    if (response.status === 400) {
      const message =
        apiErrorMessage(response.text) ?? (clip(response.text.replace(/<[^>]*>/g, ' '), 100) || 'no message');
      throw new HotpapersError('arxiv', `API rejected the query (HTTP 400): ${message}`);
    }
    if (response.status !== 406) return parseApiFeed(response.text);
    const target = describeTarget('GET', url);
    const page = feedOf406(response.text);
    if (page) {
      req.log.warn(`arxiv: HTTP 406 Not Acceptable for ${target} came with a valid Atom feed; using it`);
      return page;
    }
    if (attempt >= maxAttempts) {
      throw new HotpapersError(
        'arxiv',
        `HTTP 406 Not Acceptable for ${target} (after ${attempt} attempts, no usable feed)`,
      );
    }
    const asked = serverDelayMs(response.headers, Date.now());
    const wait =
      asked !== undefined && asked <= maxServerWaitMs
        ? asked
        : backoffMs(attempt, retryBaseMs, retryCapMs, random);
    req.log.warn(`arxiv: HTTP 406 Not Acceptable for ${target} (attempt ${attempt}); retrying`);
    await sleep(wait);
  }
}

/** List mailing D through the API's submittedDate window. */
export async function fetchApiListing(req: ApiListingRequest): Promise<MethodResult> {
  const window = submissionWindow(req.day);
  const query = apiSearchQuery(req.categories, window);
  const pageSize = req.pageSize ?? API_PAGE_SIZE;
  const entries: ApiEntry[] = [];
  let start = 0;
  let total: number | undefined;
  for (;;) {
    const url = apiPageUrl(req.config.arxivApiUrl, query, start, pageSize);
    let page = await fetchPage(req, url);
    total = page.totalResults ?? total;
    if (total !== undefined && total > MAX_TOTAL) {
      throw new HotpapersError(
        'arxiv',
        `API matched ${total} results for one day, more than it can serve; the query was not applied`,
      );
    }
    if (page.count === 0 && total !== undefined && start < total) {
      // A known API fault: a page inside the results comes back empty. Ask once more.
      req.log.warn(`arxiv: API page at ${start} of ${total} came back empty; asking again`);
      page = await fetchPage(req, url);
      if (page.count === 0) {
        throw new HotpapersError(
          'arxiv',
          `API page at ${start} of ${total} came back empty twice; the listing would be incomplete`,
        );
      }
    }
    entries.push(...page.entries);
    start += page.count;
    req.log.progress('arxiv', Math.min(start, total ?? start), total ?? start);
    if (page.count === 0 || total === undefined || start >= total) break;
  }
  const kept = entries.filter((e) => belongsToWindow(e, window, req.categories));
  const papers = mergePapers(
    kept.map((e) => ({
      ...e,
      announceType: announceTypeFor(e.primaryCategory, req.categories),
      method: 'api' as const,
    })),
  );
  const notes = [
    `approximate: API submittedDate window [${window.start.toISOString()}, ${window.end.toISOString()}); papers held in moderation or cross-listed later are missed`,
  ];
  const dropped = entries.length - kept.length;
  if (dropped > 0) {
    notes.push(`dropped ${dropped} API result(s) outside the window or the categories`);
    req.log.info(`arxiv: dropped ${dropped} API result(s) outside the window or the categories`);
  }
  return { papers, notes };
}
