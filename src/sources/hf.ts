/**
 * Hugging Face Daily Papers source (research/social-sources.md §5). Daily Papers is a curated
 * list dated by the day a paper was *submitted to it* (UTC), which for mailing D is mostly D
 * itself (the batch goes public at 00:00–01:00 UTC on D) and, for late submissions, D+1. So the
 * source reads the lists of D and D+1 (never a date after "now"), joins them on `paper.id` with
 * the day's papers, and reports each joined entry as one "post" whose score is its upvotes.
 * Pages are read until an empty one (two requests a date on a normal day). The per-paper
 * `/papers/{id}` enrichment is not a source: see src/enrich/hf-papers.ts.
 */
import { ParseError } from '../errors.js';
import { parseJsonBody } from '../http/client.js';
import { describeTarget } from '../http/errors.js';
import type { Post } from '../types.js';
import { collapseWhitespace } from '../util/text.js';
import type { Source, SourceContext } from './source.js';

/** Items asked per page. */
export const HF_PAGE_SIZE = 100;
/** Pages read per date at most (HF lists tens of papers a day). */
export const HF_MAX_PAGES = 5;
/** Dates read relative to the mailing day: D, then D+1 for late submissions. */
export const HF_DAY_OFFSETS: readonly number[] = [0, 1];

// ---------------------------------------------------------------------------------------------
// Wire format (generated model of GET /api/daily_papers)

export interface HfUser {
  _id?: string;
  avatarUrl?: string;
  fullname?: string;
  /** Handle; 2026 items may carry only `user`. */
  name?: string;
  /** Handle, in the 2026 shape (`submittedOnDailyBy.user`), often without `name`. */
  user?: string;
  type?: string;
  isPro?: boolean;
  [key: string]: unknown;
}

export interface HfPaper {
  id: string;
  authors?: Array<{ _id?: string; name?: string; hidden?: boolean; [key: string]: unknown }>;
  publishedAt?: string;
  submittedOnDailyAt?: string;
  submittedOnDailyBy?: HfUser;
  title?: string;
  summary?: string;
  upvotes?: number;
  discussionId?: string;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  ai_summary?: string;
  ai_keywords?: string[];
  withdrawnAt?: string | null;
  [key: string]: unknown;
}

export interface HfDailyItem {
  paper: HfPaper;
  /** The arXiv publication time (= `paper.publishedAt`), not when the paper entered Daily Papers. */
  publishedAt?: string;
  title?: string;
  summary?: string;
  thumbnail?: string;
  numComments?: number;
  submittedBy?: HfUser;
  isAuthorParticipating?: boolean;
  mediaUrls?: string[];
  [key: string]: unknown;
}

/** What a Post's `raw` holds for hf. */
export interface HfRaw {
  /** The Daily Papers date the entry was listed under. */
  date: string;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  arxivPublishedAt?: string;
  submittedOnDailyAt?: string;
  /** The item's thumbnail (paper enrichment falls back to it). */
  thumbnail?: string;
}

// ---------------------------------------------------------------------------------------------
// Pure parsing

/** Paper page on Hugging Face. */
export function hfPaperUrl(id: string): string {
  return `https://huggingface.co/papers/${id}`;
}

/** A Daily Papers item as a Post; null without a usable `paper.id`. */
export function postFromDailyItem(item: unknown, date: string): Post | null {
  if (typeof item !== 'object' || item === null) return null;
  const it = item as HfDailyItem;
  const paper = typeof it.paper === 'object' && it.paper !== null ? it.paper : undefined;
  const rawId = typeof paper?.id === 'string' ? paper.id.trim() : '';
  // HF ids carry no version; strip one anyway so the key matches the listing's.
  const id = rawId.replace(/v\d+$/i, '');
  if (!paper || id === '') return null;
  // The paper's own submitter record first: 2026 items name the handle there in `user`.
  const by = submitter(paper.submittedOnDailyBy) ?? submitter(it.submittedBy);
  const handle = firstString(by?.name, by?.user);
  const url = hfPaperUrl(id);
  const raw: HfRaw = { date };
  if (typeof paper.githubRepo === 'string' && paper.githubRepo !== '') raw.githubRepo = paper.githubRepo;
  if (typeof paper.githubStars === 'number') raw.githubStars = paper.githubStars;
  if (typeof paper.projectPage === 'string' && paper.projectPage !== '') raw.projectPage = paper.projectPage;
  const arxivPublished = firstString(paper.publishedAt, it.publishedAt);
  if (arxivPublished) raw.arxivPublishedAt = arxivPublished;
  if (typeof paper.submittedOnDailyAt === 'string') raw.submittedOnDailyAt = paper.submittedOnDailyAt;
  if (typeof it.thumbnail === 'string' && it.thumbnail !== '') raw.thumbnail = it.thumbnail;
  return {
    source: 'hf',
    id,
    authorId: typeof by?._id === 'string' ? by._id : undefined,
    authorHandle: handle,
    authorName: typeof by?.fullname === 'string' && by.fullname !== '' ? by.fullname : undefined,
    url,
    links: [url],
    text: collapseWhitespace(firstString(paper.title, it.title) ?? ''),
    // The post is the paper's entry into Daily Papers (`submittedOnDailyAt`), not its arXiv
    // publication (`publishedAt`, top level and on `paper`); without it, the listed date.
    createdAt: iso(paper.submittedOnDailyAt) ?? iso(`${date}T00:00:00Z`),
    metrics: { reposts: 0, likes: count(paper.upvotes), replies: count(it.numComments), quotes: 0 },
    raw,
  };
}

/** The Daily Papers thumbnail of each paper among `posts` (HF posts; others are ignored). */
export function dailyThumbnails(posts: readonly Post[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const post of posts) {
    const thumbnail = post.source === 'hf' ? (post.raw as HfRaw | undefined)?.thumbnail : undefined;
    if (typeof thumbnail === 'string' && thumbnail !== '') out.set(post.id, thumbnail);
  }
  return out;
}

/** Parse a daily_papers body (already JSON-decoded); throws ParseError unless it is an array. */
export function parseDailyPapers(body: unknown, date: string, target: string): Post[] {
  if (!Array.isArray(body))
    throw new ParseError('hf', `unexpected response for ${target}: expected a JSON array`);
  const posts: Post[] = [];
  for (const item of body) {
    const post = postFromDailyItem(item, date);
    if (post) posts.push(post);
  }
  return posts;
}

/** Calendar dates (UTC) read for mailing day D: D + HF_DAY_OFFSETS, none after `now`. */
export function hfDatesFor(day: string, now: Date): string[] {
  const base = Date.parse(`${day}T00:00:00Z`);
  const today = now.toISOString().slice(0, 10);
  const dates = HF_DAY_OFFSETS.map((offset) =>
    new Date(base + offset * 86_400_000).toISOString().slice(0, 10),
  );
  const kept = dates.filter((d) => d <= today);
  return kept.length > 0 ? kept : [day];
}

// ---------------------------------------------------------------------------------------------
// The source

export interface HfSourceOptions {
  pageSize?: number;
  maxPages?: number;
}

/** The Hugging Face Daily Papers source (free, keyless). */
export function createHfSource(options: HfSourceOptions = {}): Source {
  const pageSize = options.pageSize ?? HF_PAGE_SIZE;
  const maxPages = options.maxPages ?? HF_MAX_PAGES;

  /** Every entry listed for one date; a 404 means "none that day". */
  async function readDate(
    ctx: SourceContext,
    date: string,
  ): Promise<{ posts: Post[]; requests: number; capped: boolean }> {
    const posts: Post[] = [];
    const seen = new Set<string>();
    let requests = 0;
    for (let p = 0; ; p++) {
      if (p >= maxPages) return { posts, requests, capped: true };
      const params = new URLSearchParams({ date, limit: String(pageSize), p: String(p) });
      const url = `${ctx.config.hfApiUrl.replace(/\/+$/, '')}/daily_papers?${params.toString()}`;
      const target = describeTarget('GET', url);
      const response = await ctx.http.request({
        service: 'hf',
        url,
        headers: { accept: 'application/json' },
        acceptStatuses: [404],
      });
      requests++;
      if (response.status === 404) break;
      const page = parseDailyPapers(parseJsonBody('hf', response, target), date, target);
      let fresh = 0;
      for (const post of page) {
        if (seen.has(post.id)) continue;
        seen.add(post.id);
        posts.push(post);
        fresh++;
      }
      // Only an empty page ends the list: HF may serve fewer than `limit` items on a page that
      // is not the last. A page of repeats means `p` was ignored.
      if (page.length === 0 || fresh === 0) break;
    }
    return { posts, requests, capped: false };
  }

  return {
    id: 'hf',

    async collect(papers, ctx) {
      const wanted = new Set(papers.map((p) => p.id));
      const found = new Map<string, Post>();
      const dates = hfDatesFor(ctx.day, ctx.now);
      let listed = 0;
      let requests = 0;
      const capped: string[] = [];
      for (const date of dates) {
        const read = await readDate(ctx, date);
        if (read.capped) capped.push(date);
        requests += read.requests;
        listed += read.posts.length;
        for (const post of read.posts) {
          if (wanted.has(post.id) && !found.has(post.id)) found.set(post.id, post);
        }
      }
      const notes = [
        `hf: ${listed} Daily Papers entries on ${dates.join(', ')} (${requests} requests), ${found.size} of them from this day`,
      ];
      if (capped.length > 0)
        notes.push(
          `hf: stopped after ${maxPages} pages on ${capped.join(', ')}; later entries were not read`,
        );
      return { posts: [...found.values()], notes };
    },

    async embed() {
      // Hugging Face has no oEmbed; the renderer links the paper page instead.
      return null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function iso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function submitter(value: unknown): HfUser | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as HfUser) : undefined;
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v;
  return undefined;
}
