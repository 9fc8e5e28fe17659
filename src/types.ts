/**
 * The plain data that flows between the stages. Parsers produce it, the store keeps it,
 * ranking and rendering consume it. No behaviour lives here.
 */

/** How a paper came to be in a day's listing. */
export type ListingMethod = 'api' | 'rss' | 'catchup';

/** arXiv's own label for an item of a mailing. */
export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

/** One arXiv paper as listed on a mailing day. */
export interface Paper {
  /** Un-versioned id: `2106.04554` or `hep-th/9901001`. */
  id: string;
  /** Version number of the listed version (1 for `v1`). */
  version: number;
  /** Title with whitespace runs collapsed. */
  title: string;
  /** Abstract with whitespace runs collapsed. */
  abstract: string;
  authors: string[];
  /** Primary category first, then the others in arXiv's order. */
  categories: string[];
  primaryCategory: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
  /** ISO-8601 instant of v1 submission, when known. */
  published?: string;
  /** ISO-8601 instant of the listed version, when known. */
  updated?: string;
  /** PDF link; a paper without one is never ranked. */
  pdfUrl?: string;
  announceType: AnnounceType;
  method: ListingMethod;
}

/** The social sources hotpapers knows. */
export type SourceId = 'x' | 'bluesky' | 'hn' | 'hf';

export const SOURCE_IDS: readonly SourceId[] = ['x', 'bluesky', 'hn', 'hf'];

/** Engagement counts of one post at one instant. Votes-style sources map onto these names. */
export interface Metrics {
  /** Reposts / retweets. */
  reposts: number;
  /** Likes / favorites; HN points; HF upvotes. */
  likes: number;
  /** Replies; HN and HF comments. */
  replies: number;
  quotes: number;
}

/** One social post (or HN story, or HF daily-papers entry) that links papers. */
export interface Post {
  source: SourceId;
  /** Source-native id (tweet id, AT-URI, HN objectID, HF arXiv id). */
  id: string;
  authorId?: string;
  /** Handle without `@` (X username, Bluesky handle, HN user). */
  authorHandle?: string;
  authorName?: string;
  /** Public web address of the post. */
  url: string;
  text: string;
  /** ISO-8601 instant. */
  createdAt?: string;
  /** Every expanded link the post carries; matching reads only these. */
  links: string[];
  metrics: Metrics;
  /**
   * What a later stage needs of the source's payload: HF's Daily Papers extract (its thumbnail,
   * GitHub repo, …). X, Bluesky and HN keep none: nothing reads it (the store keeps it for HF
   * only), and the payloads of a 50,000-post day held ~40 MB of heap through the run.
   */
  raw?: unknown;
}

/** A post with the papers it was matched to. */
export interface MatchedPost {
  post: Post;
  paperIds: string[];
  /** When the post's counts were observed (set when loaded from the store). */
  observedAt?: string;
}

/** Per-source health of one run. */
export interface SourceHealth {
  source: SourceId;
  status: 'ok' | 'failed' | 'suspicious' | 'skipped';
  /** Posts kept after matching. */
  posts: number;
  requests: number;
  /**
   * Posts the service returned, for a service that bills each post read (X: retweets included,
   * a failed run's too). Absent for free services.
   */
  postsRead?: number;
  /** User objects returned with those posts (X's author expansion; X may bill these too). */
  usersRead?: number;
  /** One line: why it failed or looks wrong. */
  detail?: string;
}

/** A post as scored for one paper. */
export interface ScoredPost {
  source: SourceId;
  id: string;
  url: string;
  authorId?: string;
  authorHandle?: string;
  authorName?: string;
  text: string;
  createdAt?: string;
  metrics: Metrics;
  /** The source's own engagement figure: reposts+likes (x, bluesky), points (hn), upvotes (hf). */
  score: number;
  /** score × the source's weight: what the post adds to the paper's score. */
  weighted: number;
  /** The post's author looks like one of the paper's authors. */
  selfPromotion: boolean;
}

/** Per-source sums for one paper. */
export interface SourceTotals {
  posts: number;
  score: number;
  weighted: number;
  reposts: number;
  likes: number;
  replies: number;
  quotes: number;
}

/** One paper of a day's ranking, with everything the renderers show. */
export interface RankedPaper {
  /** 1-based position. */
  rank: number;
  paper: Paper;
  /** Fused score: sum of the posts' weighted scores. */
  score: number;
  /** Reposts and likes summed over the post-based sources (x, bluesky): the lumen line. */
  reposts: number;
  likes: number;
  hn: { points: number; comments: number; stories: number };
  hf: { upvotes: number; comments: number };
  bySource: Partial<Record<SourceId, SourceTotals>>;
  /** Distinct accounts that posted about it (each account once). */
  uniqueAccounts: number;
  selfPromotionPosts: number;
  /** Every post that linked it, best first. */
  posts: ScoredPost[];
  /** The posts embedded under it, best first. */
  shown: ScoredPost[];
}

/** Thresholds of DESIGN §6. */
export interface Thresholds {
  minPaperScore: number;
  minPostScore: number;
  maxPosts: number;
}

/** Everything known about one published day: what the post, the site and the feeds show. */
export interface DayDigest {
  /** Mailing date YYYY-MM-DD. */
  day: string;
  categories: string[];
  /** ISO instant the counts were observed (HOTPAPERS_NOW or the clock). */
  observedAt: string;
  /** `24h` / `72h` when the counts are a fixed-horizon snapshot. */
  horizon?: string;
  /** ISO instant the day's papers became public (20:00 US Eastern the evening before). */
  announcedAt?: string;
  /** Hours between the announcement and the counts shown (the age of the snapshot). */
  ageHours?: number;
  weights: Record<SourceId, number>;
  thresholds: Thresholds;
  /** Papers in the day's listing. */
  listed: number;
  /** Posts matched to the day's papers. */
  postsFound: number;
  papers: RankedPaper[];
  health: SourceHealth[];
}

/**
 * What Hugging Face's paper page (`GET /api/papers/{id}`) knows of a paper: links out, a TL;DR,
 * keywords and a thumbnail. Every field but the id and the fetch time may be missing.
 */
export interface PaperEnrichment {
  paperId: string;
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
  /** HF `ai_summary`: a one-line TL;DR. */
  aiSummary?: string;
  /** HF `ai_keywords`. */
  aiKeywords?: string[];
  /** Thumbnail URL as HF gives it; the site downloads and resizes it, never hotlinks it. */
  thumbnail?: string;
  /** `ok` when HF knows the paper, `unknown` when it answered 404 (normal, not an error). */
  status: 'ok' | 'unknown';
  /** ISO instant of the fetch: refreshed at most daily. */
  fetchedAt: string;
}
