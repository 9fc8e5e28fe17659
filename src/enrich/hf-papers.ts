/**
 * Paper enrichment from Hugging Face's paper pages (`GET {HF_API_URL}/papers/{id}`): the code
 * repository and its stars, the project page, HF's one-line TL;DR (`ai_summary`), keywords and
 * a thumbnail. Only the ranked papers of a run are asked, each at most once a day (the answers
 * are cached in the store's paper_enrichment table); a 404 means HF does not index the paper,
 * which is normal and stored as `unknown`. Failures are reported, never fatal.
 */
import { HotpapersError, oneLine } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget, HttpError, NetworkError } from '../http/errors.js';
import type { Db } from '../store/db.js';
import { loadEnrichments, saveEnrichments } from '../store/enrichment.js';
import type { PaperEnrichment } from '../types.js';
import type { Logger } from '../util/log.js';
import { collapseWhitespace } from '../util/text.js';

/** A stored enrichment younger than this is used as is. */
export const ENRICHMENT_MAX_AGE_MS = 24 * 60 * 60 * 1000;
/** Paper pages asked at once (HF allows 500 anonymous API calls per 5 minutes). */
export const ENRICHMENT_CONCURRENCY = 4;
/** Keywords kept per paper. */
const MAX_KEYWORDS = 20;
/** Longest TL;DR kept (HF's are one sentence). */
const MAX_SUMMARY = 1000;

// ---------------------------------------------------------------------------------------------
// Pure parsing

/** Remote text as we keep it: control characters (C0/C1 but tab and newline) removed, one line. */
function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = collapseWhitespace(value.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ''));
  if (text === '') return undefined;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** An absolute http(s) URL, or undefined: the site links and downloads these. */
function httpUrl(value: unknown): string | undefined {
  const text = cleanText(value, 2000);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Read a `GET /api/papers/{id}` body (HF's paper object, the same as `paper` in a Daily Papers
 * item). Fields HF lacks, or sends in another type, are left out; a body that is not a paper
 * object of this id is a one-line `hf:` error.
 */
export function parsePaperPage(body: unknown, paperId: string, fetchedAt: string): PaperEnrichment {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HotpapersError('hf', `paper page of ${paperId} is not a JSON object`);
  }
  const paper = body as Record<string, unknown>;
  const id = typeof paper['id'] === 'string' ? paper['id'].replace(/v\d+$/i, '') : undefined;
  if (id !== paperId) {
    throw new HotpapersError(
      'hf',
      `paper page of ${paperId} describes ${id === undefined ? 'no paper id' : JSON.stringify(id.slice(0, 40))}`,
    );
  }
  const out: PaperEnrichment = { paperId, status: 'ok', fetchedAt };
  const repo = httpUrl(paper['githubRepo']);
  if (repo) out.githubRepo = repo;
  const stars = paper['githubStars'];
  if (typeof stars === 'number' && Number.isFinite(stars) && stars >= 0) out.githubStars = Math.floor(stars);
  const project = httpUrl(paper['projectPage']);
  if (project) out.projectPage = project;
  const summary = cleanText(paper['ai_summary'], MAX_SUMMARY);
  if (summary) out.aiSummary = summary;
  if (Array.isArray(paper['ai_keywords'])) {
    const keywords: string[] = [];
    for (const k of paper['ai_keywords']) {
      const word = cleanText(k, 100);
      if (word && !keywords.includes(word)) keywords.push(word);
      if (keywords.length >= MAX_KEYWORDS) break;
    }
    if (keywords.length > 0) out.aiKeywords = keywords;
  }
  const thumbnail = httpUrl(paper['thumbnail']);
  if (thumbnail) out.thumbnail = thumbnail;
  return out;
}

/** The record of a paper HF does not index (it answered 404). */
export function unknownPaper(paperId: string, fetchedAt: string): PaperEnrichment {
  return { paperId, status: 'unknown', fetchedAt };
}

/** Ids with no stored enrichment, or one fetched a day or more before `now`, in input order, once each. */
export function idsToRefresh(
  ids: readonly string[],
  stored: ReadonlyMap<string, PaperEnrichment>,
  now: Date,
): string[] {
  const out: string[] = [];
  for (const id of new Set(ids)) {
    const have = stored.get(id);
    const age = have ? now.getTime() - Date.parse(have.fetchedAt) : Number.POSITIVE_INFINITY;
    // An unparseable date is as good as none.
    if (!(age < ENRICHMENT_MAX_AGE_MS)) out.push(id);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Fetching

export interface EnrichmentFetch {
  /** Answers read: `ok` and `unknown` records. */
  fetched: PaperEnrichment[];
  /** One line per paper that could not be read. */
  failures: string[];
  /** Ids not asked because HF had already failed hard in this run. */
  skipped: string[];
}

/**
 * Ask HF for each id's paper page through the HTTP layer (its retries, pacing and counts).
 * After a request fails for good (retries spent), no further page is asked: HF is down, and
 * the run should not spend minutes finding that out paper by paper.
 */
export async function fetchPaperPages(
  http: HttpClient,
  hfApiUrl: string,
  ids: readonly string[],
  fetchedAt: string,
  concurrency = ENRICHMENT_CONCURRENCY,
): Promise<EnrichmentFetch> {
  const base = hfApiUrl.replace(/\/+$/, '');
  const result: EnrichmentFetch = { fetched: [], failures: [], skipped: [] };
  let next = 0;
  let broken = false;
  async function worker(): Promise<void> {
    while (next < ids.length) {
      const id = ids[next++]!;
      if (broken) {
        result.skipped.push(id);
        continue;
      }
      const url = `${base}/papers/${encodeURIComponent(id)}`;
      const target = describeTarget('GET', url);
      try {
        const response = await http.request({
          service: 'hf',
          url,
          headers: { accept: 'application/json' },
          acceptStatuses: [404],
        });
        result.fetched.push(
          response.status === 404
            ? unknownPaper(id, fetchedAt)
            : parsePaperPage(parseJsonBody('hf', response, target), id, fetchedAt),
        );
      } catch (error) {
        const message = error instanceof Error ? oneLine(error.message) : String(error);
        result.failures.push(message);
        // A bad body is this paper's problem; a request that failed for good means HF is unwell.
        if (error instanceof HttpError || error instanceof NetworkError || !(error instanceof HotpapersError))
          broken = true;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, ids.length)) }, worker));
  return result;
}

// ---------------------------------------------------------------------------------------------
// The pipeline step

export interface EnrichmentReport {
  /** Enrichment of each asked paper that has one (stored or fetched now). */
  enrichments: Map<string, PaperEnrichment>;
  /** Paper pages requested by this run. */
  requested: number;
  /** Stored answers reused (younger than a day). */
  cached: number;
  failures: string[];
  skipped: string[];
}

export interface EnrichOptions {
  db: Db;
  http: HttpClient;
  hfApiUrl: string;
  /** The ranked papers' ids. */
  paperIds: readonly string[];
  /** HOTPAPERS_NOW or the clock: the age of stored answers is measured from it. */
  now: Date;
  log: Logger;
  /** Paper pages asked at once (default ENRICHMENT_CONCURRENCY). */
  concurrency?: number;
  /**
   * Thumbnail of each paper's Daily Papers entry seen by this run's HF source (paper pages often
   * have none): kept as the enrichment's own field, so nothing depends on a post's stored `raw`.
   */
  dailyThumbnails?: ReadonlyMap<string, string>;
}

/**
 * Enrich the ranked papers: reuse answers younger than a day, ask HF for the rest, store what
 * came back. Never throws for HF's sake: failures are returned (and warned) for the run's report.
 */
export async function enrichPapers(options: EnrichOptions): Promise<EnrichmentReport> {
  const { db, http, hfApiUrl, paperIds, now, log } = options;
  const stored = loadEnrichments(db, paperIds);
  const stale = idsToRefresh(paperIds, stored, now);
  const cached = new Set(paperIds).size - stale.length;
  log.progress('enrich', 0, stale.length);
  const got = await fetchPaperPages(http, hfApiUrl, stale, now.toISOString(), options.concurrency);
  // A stored answer stays until a fresh one replaces it. A thumbnail HF gives only on Daily
  // Papers comes from this run's HF entries; one stored before stays when neither has one now.
  const fresh = got.fetched.map((e) =>
    withThumbnail(e, options.dailyThumbnails?.get(e.paperId) ?? stored.get(e.paperId)?.thumbnail),
  );
  saveEnrichments(db, fresh);
  log.progress('enrich', stale.length, stale.length);
  const enrichments = new Map(stored);
  for (const e of fresh) enrichments.set(e.paperId, e);
  const report: EnrichmentReport = {
    enrichments,
    requested: stale.length - got.skipped.length,
    cached,
    failures: got.failures,
    skipped: got.skipped,
  };
  const known = fresh.filter((e) => e.status === 'ok').length;
  log.info(
    `enrich: ${paperIds.length} ranked papers, ${cached} from the store, ${fresh.length} asked of HF (${known} known, ${fresh.length - known} unknown to HF)`,
  );
  if (got.failures.length > 0 || got.skipped.length > 0) log.warn(describeProblems(report));
  return report;
}

/** One line about what enrichment could not do (for warnings and run health). */
export function describeProblems(report: Pick<EnrichmentReport, 'failures' | 'skipped'>): string {
  const parts = [`${report.failures.length} paper page(s) failed`];
  if (report.skipped.length > 0) parts.push(`${report.skipped.length} not asked after HF failed`);
  const first = report.failures[0] ? `: ${report.failures[0]}` : '';
  return `hf: enrichment incomplete, ${parts.join(', ')}${first}`;
}

/** `e` with `thumbnail` when the paper page gave none (only for papers HF knows). */
function withThumbnail(e: PaperEnrichment, thumbnail: string | undefined): PaperEnrichment {
  if (e.status !== 'ok' || e.thumbnail || !thumbnail) return e;
  const url = httpUrl(thumbnail);
  return url ? { ...e, thumbnail: url } : e;
}

/**
 * The `post` pipeline's hook: enrich the ranked papers when the HF source is enabled (its
 * API is the one asked). Whatever goes wrong becomes a warning; undefined when not run.
 */
export async function enrichRanked(
  options: EnrichOptions & { enabled: boolean },
): Promise<EnrichmentReport | undefined> {
  if (!options.enabled || options.paperIds.length === 0) return undefined;
  try {
    return await enrichPapers(options);
  } catch (error) {
    options.log.warn(
      `hf: enrichment skipped: ${oneLine(error instanceof Error ? error.message : String(error)).replace(/^hf: /, '')}`,
    );
    return undefined;
  }
}
