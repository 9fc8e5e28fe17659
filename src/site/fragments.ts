/** HTML fragments shared by several pages: dates, authors, counts, links, categories. */
import { categoryName } from '../arxiv/category-names.js';
import type { Paper, RankedPaper } from '../types.js';
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
