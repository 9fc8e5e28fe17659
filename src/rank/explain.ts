/**
 * The per-paper "why": each post's contribution, per-source subtotals, the weights in use and
 * a total that equals the paper's score (peers.md §6.2 item 6). Pure formatting of a scored paper.
 */
import {
  type PaperEnrichment,
  type RankedPaper,
  type ScoredPost,
  SOURCE_IDS,
  type SourceId,
} from '../types.js';
import { type Weights, weightOf } from './score.js';

/** What explain needs of a scored paper. */
export type ExplainablePaper = Pick<RankedPaper, 'paper' | 'score' | 'posts' | 'shown'> &
  Partial<Pick<RankedPaper, 'rank' | 'uniqueAccounts' | 'selfPromotionPosts'>>;

/** One post's contribution, JSON-ready. */
export interface PostContribution {
  source: SourceId;
  id: string;
  url: string;
  author: string;
  reposts: number;
  likes: number;
  replies: number;
  score: number;
  weight: number;
  weighted: number;
  shown: boolean;
  selfPromotion: boolean;
}

/** Per-source subtotal, JSON-ready. */
export interface SourceSubtotal {
  source: SourceId;
  posts: number;
  score: number;
  weight: number;
  weighted: number;
}

/** The whole explanation of one paper, JSON-ready. */
export interface PaperExplanation {
  id: string;
  title: string;
  rank?: number;
  score: number;
  uniqueAccounts?: number;
  selfPromotionPosts?: number;
  weights: Record<SourceId, number>;
  posts: PostContribution[];
  subtotals: SourceSubtotal[];
  /** Σ weighted over the posts: equals `score`. */
  total: number;
  /** What Hugging Face's paper page says of it (stored by `post`), when asked; never scored. */
  enrichment?: PaperEnrichment;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

/** Numbers as people read them: thousands separated, fractions to at most 3 decimals (12,345.679). */
export function formatNumber(n: number): string {
  return NUMBER.format(n);
}

function authorOf(post: ScoredPost): string {
  if (post.authorHandle)
    return post.source === 'x' || post.source === 'bluesky' ? `@${post.authorHandle}` : post.authorHandle;
  return post.authorName ?? post.authorId ?? '(unknown)';
}

/** The explanation as data (for `explain --json`). */
export function explainPaperJson(
  paperId: string,
  scored: ExplainablePaper,
  weights: Weights,
  enrichment?: PaperEnrichment,
): PaperExplanation {
  if (scored.paper.id !== paperId)
    throw new RangeError(`explain: scored paper is ${scored.paper.id}, not ${paperId}`);
  const shown = new Set(scored.shown.map((p) => `${p.source}\u0000${p.id}`));
  const allWeights = Object.fromEntries(SOURCE_IDS.map((s) => [s, weightOf(weights, s)])) as Record<
    SourceId,
    number
  >;
  const posts: PostContribution[] = scored.posts.map((p) => ({
    source: p.source,
    id: p.id,
    url: p.url,
    author: authorOf(p),
    reposts: p.metrics.reposts,
    likes: p.metrics.likes,
    replies: p.metrics.replies,
    score: p.score,
    weight: allWeights[p.source],
    weighted: p.weighted,
    shown: shown.has(`${p.source}\u0000${p.id}`),
    selfPromotion: p.selfPromotion,
  }));
  const subtotals: SourceSubtotal[] = [];
  for (const source of SOURCE_IDS) {
    const mine = posts.filter((p) => p.source === source);
    if (mine.length === 0) continue;
    subtotals.push({
      source,
      posts: mine.length,
      score: mine.reduce((a, p) => a + p.score, 0),
      weight: allWeights[source],
      weighted: mine.reduce((a, p) => a + p.weighted, 0),
    });
  }
  const out: PaperExplanation = {
    id: paperId,
    title: scored.paper.title,
    score: scored.score,
    weights: allWeights,
    posts,
    subtotals,
    total: subtotals.reduce((a, s) => a + s.weighted, 0),
  };
  if (scored.rank !== undefined) out.rank = scored.rank;
  if (scored.uniqueAccounts !== undefined) out.uniqueAccounts = scored.uniqueAccounts;
  if (scored.selfPromotionPosts !== undefined) out.selfPromotionPosts = scored.selfPromotionPosts;
  if (enrichment) {
    if (enrichment.paperId !== paperId)
      throw new RangeError(`explain: enrichment is of ${enrichment.paperId}, not ${paperId}`);
    out.enrichment = enrichment;
  }
  return out;
}

/** The enrichment as human lines (none when HF was never asked). */
export function enrichmentLines(e: PaperEnrichment | undefined): string[] {
  if (!e) return [];
  if (e.status === 'unknown') return [`hugging face: no paper page (asked ${e.fetchedAt})`];
  const lines = [`hugging face: paper page (asked ${e.fetchedAt})`];
  if (e.aiSummary) lines.push(`  tl;dr: ${e.aiSummary}`);
  if (e.githubRepo)
    lines.push(
      `  code: ${e.githubRepo}${e.githubStars !== undefined ? ` (${formatNumber(e.githubStars)} stars)` : ''}`,
    );
  if (e.projectPage) lines.push(`  project: ${e.projectPage}`);
  if (e.aiKeywords?.length) lines.push(`  keywords: ${e.aiKeywords.join(', ')}`);
  if (e.thumbnail) lines.push(`  thumbnail: ${e.thumbnail}`);
  return lines;
}

function figures(p: PostContribution): string {
  const what =
    p.source === 'hn'
      ? `${formatNumber(p.likes)} points`
      : p.source === 'hf'
        ? `${formatNumber(p.likes)} upvotes`
        : `${formatNumber(p.reposts)} reposts + ${formatNumber(p.likes)} likes`;
  return `${what} = ${formatNumber(p.score)}`;
}

/** The explanation as human lines: header, one line per post, subtotals, weights, total. */
export function explainPaper(
  paperId: string,
  scored: ExplainablePaper,
  weights: Weights,
  enrichment?: PaperEnrichment,
): string[] {
  const e = explainPaperJson(paperId, scored, weights, enrichment);
  const lines: string[] = [];
  lines.push(`${e.id} ${e.title}`);
  const facts = [`score ${formatNumber(e.score)}`];
  if (e.rank !== undefined && e.rank > 0) facts.unshift(`rank ${e.rank}`);
  if (e.uniqueAccounts !== undefined) facts.push(`${formatNumber(e.uniqueAccounts)} unique accounts`);
  if (e.selfPromotionPosts) facts.push(`${e.selfPromotionPosts} self-promotion posts`);
  lines.push(facts.join(', '));
  lines.push(`weights: ${SOURCE_IDS.map((s) => `${s}=${formatNumber(e.weights[s])}`).join(' ')}`);
  if (e.posts.length === 0) lines.push('no posts');
  for (const p of e.posts) {
    const flags = [p.shown ? 'shown' : '', p.selfPromotion ? 'self-promotion' : ''].filter(Boolean);
    lines.push(
      `  ${p.source} ${p.author} ${p.id}: ${figures(p)} × ${formatNumber(p.weight)} = ${formatNumber(p.weighted)}` +
        (flags.length > 0 ? ` [${flags.join(', ')}]` : ''),
    );
  }
  for (const s of e.subtotals) {
    lines.push(
      `subtotal ${s.source}: ${formatNumber(s.posts)} posts, score ${formatNumber(s.score)} × ${formatNumber(s.weight)} = ${formatNumber(s.weighted)}`,
    );
  }
  lines.push(`total: ${formatNumber(e.total)}`);
  lines.push(...enrichmentLines(e.enrichment));
  return lines;
}
