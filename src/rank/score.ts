/**
 * Scoring, fusion and ranking (DESIGN §6). Every post's own engagement figure is weighted by
 * its source and summed per paper; retweets are never posts of their own here, so nothing is
 * counted twice. Pure functions; one pass over the posts, one sort per paper.
 */
import type {
  MatchedPost,
  Paper,
  Post,
  RankedPaper,
  ScoredPost,
  SourceId,
  SourceTotals,
  Thresholds,
} from '../types.js';

/** Weight per source; a missing source weighs 1. */
export type Weights = Readonly<Partial<Record<SourceId, number>>>;

/** Everything a day's ranking needs. */
export interface RankInput {
  papers: readonly Paper[];
  posts: readonly MatchedPost[];
  weights: Weights;
  thresholds: Thresholds;
}

/** The seed system's thresholds: paper ≥ 50, post ≥ 25, at most 10 posts shown. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = { minPaperScore: 50, minPostScore: 25, maxPosts: 10 };

/** Sources whose posts can be embedded under a paper (HF entries are votes, not posts). */
export const EMBEDDABLE_SOURCES: ReadonlySet<SourceId> = new Set<SourceId>(['x', 'bluesky', 'hn']);

/** The weight of a source: the configured one when it is a finite number ≥ 0, else 1. */
export function weightOf(weights: Weights, source: SourceId): number {
  const w = weights[source];
  return typeof w === 'number' && Number.isFinite(w) && w >= 0 ? w : 1;
}

/** A count as received, made safe to add: negative or non-finite values count as 0. */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** The post's own engagement figure: reposts+likes (x, bluesky), points (hn), upvotes (hf). */
export function postScore(post: Pick<Post, 'source' | 'metrics'>): number {
  const m = post.metrics;
  return ownScore(post.source, count(m.reposts), count(m.likes));
}

/** The engagement figure of a post of `source` from its counts already made safe. */
function ownScore(source: SourceId, reposts: number, likes: number): number {
  return isSocial(source) ? reposts + likes : likes;
}

/** Whether a source's reposts/likes make the lumen `retweets`/`favorites` line (x, bluesky). */
function isSocial(source: SourceId): boolean {
  // Compared, not looked up: this runs per post and paper.
  return source === 'x' || source === 'bluesky';
}

/**
 * Normalise a person's name for comparison: parenthesised/bracketed asides dropped
 * ("Xinyi Wang (Cindy)"), accents stripped, case folded, punctuation and emoji turned into
 * spaces, whitespace collapsed. "Jin-Peng Liu" and "jin peng liu" compare equal.
 */
export function normaliseName(name: string): string {
  return name
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Self-promotion, conservatively: the post author's display name, normalised, equals one of
 * the paper's author names, normalised, and has at least two words (a lone first name or a
 * nickname such as "AK" never matches). Handles are not compared: they rarely spell a name.
 */
export function isSelfPromotion(
  authorName: string | undefined,
  normalisedAuthors: ReadonlySet<string>,
  normalise: (name: string) => string = normaliseName,
): boolean {
  if (!authorName) return false;
  const name = normalise(authorName);
  return name.includes(' ') && normalisedAuthors.has(name);
}

/** Compare source-native ids: numerically when both are digit strings (tweet ids), else by code unit. */
export function compareIds(a: string, b: string): number {
  // Called for every tie while sorting tens of thousands of posts: no regex, no new strings.
  // Of equal length, digit strings compare numerically exactly as they compare by code unit.
  if (a.length === b.length) return a < b ? -1 : a > b ? 1 : 0;
  const x = significantDigits(a);
  const y = significantDigits(b);
  if (x >= 0 && y >= 0 && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The length of a digit string without its leading zeros (at least 1), or -1 when not all digits. */
function significantDigits(s: string): number {
  if (s.length === 0) return -1;
  let zeros = 0;
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    if (leading && c === 48 && i < s.length - 1) zeros++;
    else leading = false;
  }
  return s.length - zeros;
}

/** Best first: weighted desc, then score desc, then id ascending, then source. */
export function compareScoredPosts(a: ScoredPost, b: ScoredPost): number {
  return (
    b.weighted - a.weighted ||
    b.score - a.score ||
    compareIds(a.id, b.id) ||
    (a.source < b.source ? -1 : a.source > b.source ? 1 : 0)
  );
}

/** Ranking order: score desc, then arXiv id ascending. */
export function comparePapers(
  a: Pick<RankedPaper, 'score' | 'paper'>,
  b: Pick<RankedPaper, 'score' | 'paper'>,
): number {
  const ia = a.paper.id;
  const ib = b.paper.id;
  return b.score - a.score || (ia < ib ? -1 : ia > ib ? 1 : 0);
}

/** Whether a scored paper makes the day's list: enough score and a PDF. */
export function isListed(paper: Pick<RankedPaper, 'score' | 'paper'>, thresholds: Thresholds): boolean {
  return paper.score >= thresholds.minPaperScore && Boolean(paper.paper.pdfUrl);
}

function emptyTotals(): SourceTotals {
  return { posts: 0, score: 0, weighted: 0, reposts: 0, likes: 0, replies: 0, quotes: 0 };
}

/**
 * Each (source, id) once, a later copy taking the first one's place; grouped by source in order
 * of first appearance (the order the totals are summed in). Most lists need no change: then
 * the list itself, without a map.
 */
function uniqueBySource(posts: readonly Post[]): readonly Post[] {
  const sources: SourceId[] = [];
  const groups: Post[][] = [];
  let grouped = true;
  for (const post of posts) {
    const g = sources.indexOf(post.source);
    if (g < 0) {
      sources.push(post.source);
      groups.push([post]);
    } else {
      // A source seen before, after another: the list is not grouped.
      if (g !== sources.length - 1) grouped = false;
      groups[g]!.push(post);
    }
  }
  let changed = !grouped;
  for (let g = 0; g < groups.length; g++) {
    const deduped = uniqueIds(groups[g]!);
    if (deduped !== groups[g]) {
      groups[g] = deduped;
      changed = true;
    }
  }
  if (!changed) return posts;
  const out: Post[] = [];
  for (const group of groups) for (const post of group) out.push(post);
  return out;
}

/** One source's posts with each id once, a later copy in the first one's place (the list itself when none repeats). */
function uniqueIds(posts: Post[]): Post[] {
  if (posts.length < 2) return posts;
  if (posts.length <= 16) {
    // Small lists (most papers): compare pairwise rather than build a map.
    let repeats = false;
    for (let i = 1; i < posts.length && !repeats; i++)
      for (let j = 0; j < i; j++)
        if (posts[j]!.id === posts[i]!.id) {
          repeats = true;
          break;
        }
    if (!repeats) return posts;
  }
  const byId = new Map<string, Post>();
  for (const post of posts) byId.set(post.id, post);
  return byId.size === posts.length ? posts : [...byId.values()];
}

/** A paper's running sums for one source: its totals, weight and distinct accounts. */
interface Tally {
  source: SourceId;
  weight: number;
  totals: SourceTotals;
  /** Distinct accounts while few (compared one by one), then a set. */
  few: string[];
  many: Set<string> | undefined;
}

/** Past this many distinct accounts a paper's source keeps them in a set rather than a list. */
const FEW_ACCOUNTS = 16;

/**
 * Score one paper from the posts linking it (each (source, id) once; a later copy wins).
 * `rank` is left 0: the caller numbers papers once they are ordered.
 */
export function scorePaper(
  paper: Paper,
  posts: readonly Post[],
  weights: Weights,
  thresholds: Thresholds,
  normalise: (name: string) => string = normaliseName,
): RankedPaper {
  return scoreUnique(paper, uniqueBySource(posts), weights, thresholds, normalise);
}

/** scorePaper of a list already unique per (source, id) and grouped by source. */
function scoreUnique(
  paper: Paper,
  list: readonly Post[],
  weights: Weights,
  thresholds: Thresholds,
  normalise: (name: string) => string,
): RankedPaper {
  const authors = new Set(paper.authors.map(normalise));
  const initials = initialsOf(authors);
  const scored: ScoredPost[] = [];
  // Per source in order of first appearance (the order of bySource's keys); the list is grouped
  // by source, so the current one is kept at hand and the others looked up rarely.
  const tallies: Tally[] = [];
  let tally: Tally | undefined;
  let score = 0;
  let reposts = 0;
  let likes = 0;
  const hn = { points: 0, comments: 0, stories: 0 };
  const hf = { upvotes: 0, comments: 0 };
  let selfPromotionPosts = 0;

  for (let i = 0; i < list.length; i++) {
    const post = list[i]!;
    const source = post.source;
    if (tally === undefined || tally.source !== source) tally = tallyOf(tallies, source, weights);
    const m = post.metrics;
    // Each count made safe once: this loop runs per post and paper.
    const r = count(m.reposts);
    const l = count(m.likes);
    const c = count(m.replies);
    const social = isSocial(source);
    const own = ownScore(source, r, l);
    const weighted = own * tally.weight;
    const name = post.authorName;
    const selfPromotion =
      name !== undefined && mayBeAuthor(name, initials) && isSelfPromotion(name, authors, normalise);
    // One literal with every field: objects of one shape keep the hot loops monomorphic.
    scored.push({
      source,
      id: post.id,
      url: post.url,
      authorId: post.authorId,
      authorHandle: post.authorHandle,
      authorName: post.authorName,
      text: post.text,
      createdAt: post.createdAt,
      // Shared with the post, not copied: nothing downstream mutates counts.
      metrics: m,
      score: own,
      weighted,
      selfPromotion,
    });
    score += weighted;
    if (selfPromotion) selfPromotionPosts++;

    const t = tally.totals;
    t.posts++;
    t.score += own;
    t.weighted += weighted;
    t.reposts += r;
    t.likes += l;
    t.replies += c;
    t.quotes += count(m.quotes);

    if (social) {
      reposts += r;
      likes += l;
    } else if (source === 'hn') {
      hn.points += l;
      hn.comments += c;
      hn.stories++;
    } else if (source === 'hf') {
      hf.upvotes += l;
      hf.comments += c;
    }
    if (social || source === 'hn') {
      // An author we cannot identify is assumed to be an account of its own.
      const who = post.authorId ?? post.authorHandle?.toLowerCase() ?? `post:${post.id}`;
      if (tally.many !== undefined) tally.many.add(who);
      else if (!tally.few.includes(who)) {
        if (tally.few.length < FEW_ACCOUNTS) tally.few.push(who);
        else {
          tally.many = new Set(tally.few);
          tally.many.add(who);
        }
      }
    }
  }

  scored.sort(compareScoredPosts);
  const shown: ScoredPost[] = [];
  for (let i = 0; i < scored.length && shown.length < thresholds.maxPosts; i++) {
    const sp = scored[i]!;
    if (EMBEDDABLE_SOURCES.has(sp.source) && sp.score >= thresholds.minPostScore) shown.push(sp);
  }
  const bySource: Partial<Record<SourceId, SourceTotals>> = {};
  let uniqueAccounts = 0;
  for (const t of tallies) {
    bySource[t.source] = t.totals;
    uniqueAccounts += t.many === undefined ? t.few.length : t.many.size;
  }

  return {
    rank: 0,
    paper,
    score,
    reposts,
    likes,
    hn,
    hf,
    bySource,
    uniqueAccounts,
    selfPromotionPosts,
    posts: scored,
    shown,
  };
}

/**
 * The first characters of the paper's normalised author names that could match a post's author
 * (those of two words or more, see isSelfPromotion), as char codes.
 */
function initialsOf(authors: ReadonlySet<string>): number[] {
  const out: number[] = [];
  for (const a of authors) if (a.includes(' ')) out.push(a.charCodeAt(0));
  return out;
}

/**
 * A cheap first test before normalising a post author's name: a name that starts with an ASCII
 * letter or digit keeps it, lower-cased, at the start of its normalised form (normaliseName
 * drops only asides in brackets, marks and other characters), so it can equal an author's name
 * only when an author's starts with it. Any other first character says nothing.
 */
function mayBeAuthor(name: string, initials: readonly number[]): boolean {
  if (initials.length === 0) return false;
  let c = name.charCodeAt(0);
  if (c >= 65 && c <= 90) c += 32;
  else if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return true;
  return initials.includes(c);
}

/** The tally of `source` among a paper's, added (with the source's weight) on its first post. */
function tallyOf(tallies: Tally[], source: SourceId, weights: Weights): Tally {
  for (const t of tallies) if (t.source === source) return t;
  const t: Tally = {
    source,
    weight: weightOf(weights, source),
    totals: emptyTotals(),
    few: [],
    many: undefined,
  };
  tallies.push(t);
  return t;
}

/** Score every paper of the day (listed or not), in ranking order, ranks 1..n over all of them. */
export function scoreAll(input: RankInput): RankedPaper[] {
  const postsOf = new Map<string, Post[]>();
  for (const paper of input.papers) postsOf.set(paper.id, []);
  const posts = input.posts;
  // Posts in strictly increasing (source, id) order (as the store gives them) are each there
  // once and come grouped by source: then no paper's list needs de-duplicating.
  let ordered = true;
  let lastSource = '';
  let lastId = '';
  for (let i = 0; i < posts.length; i++) {
    const { post, paperIds } = posts[i]!;
    if (ordered) {
      const source = post.source;
      const id = post.id;
      if (i > 0 && (source < lastSource || (source === lastSource && !(id > lastId)))) ordered = false;
      lastSource = source;
      lastId = id;
    }
    for (let k = 0; k < paperIds.length; k++) {
      const list = postsOf.get(paperIds[k]!);
      // A paper named twice by one post gets the post once.
      if (list !== undefined && list[list.length - 1] !== post) list.push(post);
    }
  }
  // The same names recur across papers (one account, many posts): normalise each once.
  const names = new Map<string, string>();
  const normalise = (name: string): string => {
    let n = names.get(name);
    if (n === undefined) {
      n = normaliseName(name);
      names.set(name, n);
    }
    return n;
  };
  // A paper listed twice in the input is scored once.
  const seen = new Set<string>();
  const out: RankedPaper[] = [];
  for (const paper of input.papers) {
    if (seen.has(paper.id)) continue;
    seen.add(paper.id);
    const list = postsOf.get(paper.id)!;
    out.push(
      scoreUnique(paper, ordered ? list : uniqueBySource(list), input.weights, input.thresholds, normalise),
    );
  }
  out.sort(comparePapers);
  for (let i = 0; i < out.length; i++) out[i]!.rank = i + 1;
  return out;
}

/** The day's ranking: listed papers only (score ≥ minPaperScore, with a PDF), ranks 1..n. */
export function rankDay(input: RankInput): RankedPaper[] {
  const listed = scoreAll(input).filter((p) => isListed(p, input.thresholds));
  for (let i = 0; i < listed.length; i++) listed[i]!.rank = i + 1;
  return listed;
}
