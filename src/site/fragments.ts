/** HTML fragments shared by several pages: dates, authors, counts, links, categories. */
import { categoryName } from '../arxiv/category-names.js';
import {
  type Paper,
  type PaperEnrichment,
  type RankedPaper,
  SOURCE_IDS,
  type SourceId,
  type SourceTotals,
} from '../types.js';
import type { CardPost } from './cards.js';
import { escapeHtml, safeHttpUrl } from './escape.js';
import type { EmbedRecord, SiteDay } from './model.js';
import { paths, relativeUrl } from './model.js';

/** What the page renderers share. */
export interface PageContext {
  siteTitle: string;
  baseUrl: string;
  liveEmbeds: boolean;
  /** Posts shown under each paper on a day page. */
  dayPosts: number;
  embeds: ReadonlyMap<string, EmbedRecord>;
  /** What Hugging Face says of each paper (TL;DR, code, project page). */
  enrichments?: ReadonlyMap<string, PaperEnrichment>;
  /** Site path and size of each paper's thumbnail (WebP made at build time). */
  thumbs?: ReadonlyMap<string, Thumb>;
}

/** A paper's thumbnail as served by the site. */
export interface Thumb {
  /** Site path, e.g. `thumbs/2106.04554.webp`. */
  path: string;
  width: number;
  height: number;
}

/** One ranking of a paper: the day it was ranked and its entry that day. */
export interface Appearance {
  day: SiteDay;
  ranked: RankedPaper;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `2021-06-09` → `Wednesday 9 June 2021` (the input when it is not a date). */
export function longDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(d.getTime())) return day;
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `2021-06` → `June 2021`. */
export function longMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}` : month;
}

/** A number with thousands separators. */
export function num(n: number): string {
  // Intl formatting is slow and this runs ~10 times per paper; integers are formatted by hand.
  if (!Number.isInteger(n)) return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const s = String(Math.abs(n));
  const grouped = s.length <= 3 ? s : s.replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${grouped}` : grouped;
}

/** `n word` with the word in the plural unless n is 1: `plural(2, 'post')` → `2 posts`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${num(n)} ${n === 1 ? word : many}`;
}

/** Authors joined with commas, cut after `max` names with "and N more". */
export function authorsText(authors: readonly string[], max = Number.POSITIVE_INFINITY): string {
  if (authors.length <= max) return authors.join(', ');
  return `${authors.slice(0, max).join(', ')} and ${authors.length - max} more`;
}

/** The counts line of a ranked paper. */
export function statsHtml(r: RankedPaper): string {
  const parts = [`score <b>${num(r.score)}</b>`];
  if (r.reposts || r.likes || r.bySource.x || r.bySource.bluesky)
    parts.push(plural(r.reposts, 'repost'), plural(r.likes, 'like'));
  if (r.hn.points || r.hn.comments)
    parts.push(`Hacker News ${plural(r.hn.points, 'point')}, ${plural(r.hn.comments, 'comment')}`);
  if (r.hf.upvotes) parts.push(`Hugging Face ${plural(r.hf.upvotes, 'upvote')}`);
  parts.push(plural(r.posts.length, 'post'), plural(r.uniqueAccounts, 'account'));
  return `<p class="stats">${parts.join(' · ')}</p>`;
}

/** arXiv abstract page of an id. */
export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${encodeURI(id)}`;
}

/** The links line of a paper: abstract, PDF, DOI. */
export function paperLinksHtml(paper: Paper, extra = ''): string {
  const pdf = safeHttpUrl(paper.pdfUrl) ?? `https://arxiv.org/pdf/${encodeURI(paper.id)}`;
  const links = [
    `<a href="${escapeHtml(absUrl(paper.id))}">arXiv abs</a>`,
    `<a href="${escapeHtml(pdf)}">pdf</a>`,
  ];
  if (paper.doi && /^10\.\S+$/.test(paper.doi))
    links.push(`<a href="${escapeHtml(`https://doi.org/${encodeURI(paper.doi)}`)}">doi</a>`);
  if (extra) links.push(extra);
  return `<p class="links">${links.join(' · ')}</p>`;
}

/** Category chips linking to each category's page. */
export function categoriesHtml(categories: readonly string[], from: string): string {
  if (categories.length === 0) return '';
  const items = categories.map((c) => {
    const name = categoryName(c);
    return `<li><a href="${escapeHtml(relativeUrl(from, paths.category(c)))}"${name ? ` title="${escapeHtml(name)}"` : ''}>${escapeHtml(c)}</a></li>`;
  });
  return `<ul class="cats" aria-label="Categories">${items.join('')}</ul>`;
}

/** A badge saying which fixed horizon a day's counts are from ('' shows nothing). */
export function horizonBadge(horizon: string): string {
  return horizon
    ? ` <span class="badge" title="Counts as of ${escapeHtml(horizon)} after the announcement">counts at ${escapeHtml(horizon)}</span>`
    : '';
}

const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|et al|vs|etc|Fig|Eq|Sec|cf|resp|approx|Dr|Mr|Ms|No))\.$/i;

/** The first sentence of a text (an abstract): up to the first `.`, `!` or `?` that ends a sentence. */
export function firstSentence(text: string): string {
  const re = /[.!?](?=\s+[A-Z0-9(["'$]|$)/g;
  for (const m of text.matchAll(re)) {
    const upTo = text.slice(0, m.index + 1);
    if (ABBREVIATIONS.test(upTo)) continue;
    // A decimal point or an initial ("J. Smith") is not a sentence end.
    if (/\b[A-Z]\.$/.test(upTo)) continue;
    return upTo;
  }
  return text;
}

/** A paper's one-line TL;DR: Hugging Face's AI summary when known, else the abstract's first sentence. */
export function tldrOf(paper: Paper, enrichment?: PaperEnrichment): { text: string; fromHf: boolean } {
  const hf = enrichment?.aiSummary?.trim();
  if (hf) return { text: hf, fromHf: true };
  return { text: firstSentence(paper.abstract), fromHf: false };
}

/** Short display name of each source (the day page's counts line). */
export const SOURCE_SHORT: Record<SourceId, string> = { x: 'X', bluesky: 'Bluesky', hn: 'HN', hf: 'HF' };

/** A source's counts in its own words: `45 reposts + 150 likes`, `80 points`, `12 upvotes`. */
function totalsText(source: SourceId, t: SourceTotals): string {
  if (source === 'hn') return `${plural(t.likes, 'point')}`;
  if (source === 'hf') return plural(t.likes, 'upvote');
  return `${plural(t.reposts, 'repost')} + ${plural(t.likes, 'like')}`;
}

/**
 * The line beside a score that says what it is: the counts of each source and its weight
 * (`= X 45 reposts + 150 likes, HN 80 points; weights 1`), with a link to the paper's breakdown.
 */
export function scoreWhyHtml(
  r: RankedPaper,
  weights: Partial<Record<SourceId, number>> | undefined,
  breakdownHref: string,
): string {
  const parts: string[] = [];
  const ws = new Set<number>();
  for (const s of SOURCE_IDS) {
    const t = r.bySource[s];
    if (!t || t.posts === 0) continue;
    const w = weights?.[s] ?? 1;
    ws.add(w);
    parts.push(`${SOURCE_SHORT[s]} ${totalsText(s, t)}${w === 1 ? '' : ` (× ${num(w)})`}`);
  }
  const weightNote = ws.size === 1 && ws.has(1) ? '; weights 1' : '';
  const text = parts.length > 0 ? `= ${parts.join(', ')}${weightNote}` : '= no counted posts';
  return `<span class="why">${escapeHtml(text)} <a href="${escapeHtml(breakdownHref)}">breakdown</a></span>`;
}

/** The score as a bar relative to `max` (decorative: an empty element; the number is beside it). */
export function scoreBar(score: number, max: number): string {
  const pct = Math.max(2, Math.min(100, Math.round((100 * score) / (max || 1))));
  return `<i class="sb" style="--w:${pct}%"></i>`;
}

/** The paper's links out: arXiv, PDF, code (with stars), project page, HF, HN thread, alphaXiv. */
export function linksOutHtml(
  paper: Paper,
  enrichment: PaperEnrichment | undefined,
  posts: readonly CardPost[],
  extra = '',
): string {
  const id = encodeURI(paper.id);
  const pdf = safeHttpUrl(paper.pdfUrl) ?? `https://arxiv.org/pdf/${id}`;
  const a = (href: string, text: string, label?: string) =>
    `<a href="${escapeHtml(href)}"${label ? ` aria-label="${escapeHtml(label)}"` : ''}>${text}</a>`;
  const links = [a(absUrl(paper.id), 'arXiv'), a(pdf, 'PDF')];
  const repo = enrichment?.githubRepo ? safeHttpUrl(enrichment.githubRepo) : undefined;
  if (repo) {
    const stars = enrichment?.githubStars;
    links.push(
      a(
        repo,
        `Code${typeof stars === 'number' ? ` &#9733;&#8239;${num(stars)}` : ''}`,
        `Code repository${typeof stars === 'number' ? `, ${num(stars)} stars` : ''}`,
      ),
    );
  }
  const project = enrichment?.projectPage ? safeHttpUrl(enrichment.projectPage) : undefined;
  if (project) links.push(a(project, 'Project page'));
  if (!paper.id.includes('/'))
    links.push(a(`https://huggingface.co/papers/${id}`, 'Hugging Face', 'Hugging Face paper page'));
  let hn: CardPost | undefined;
  for (const p of posts) if (p.source === 'hn' && (!hn || p.metrics.likes > hn.metrics.likes)) hn = p;
  const hnUrl = hn ? safeHttpUrl(hn.url) : undefined;
  if (hn && hnUrl) links.push(a(hnUrl, `HN thread (${plural(hn.metrics.replies, 'comment')})`));
  links.push(a(`https://www.alphaxiv.org/abs/${id}`, 'alphaXiv'));
  if (paper.doi && /^10\.\S+$/.test(paper.doi))
    links.push(a(`https://doi.org/${encodeURI(paper.doi)}`, 'DOI'));
  if (extra) links.push(extra);
  return `<p class="links">${links.join(' · ')}</p>`;
}
