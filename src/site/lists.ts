/** The list pages: latest days (paginated), monthly archive, categories, and the search page. */
import { categoryLabel, categoryName } from '../arxiv/category-names.js';
import { escapeHtml } from './escape.js';
import { horizonBadge, longDay, longMonth, num, plural, scoreBar } from './fragments.js';
import { renderMath } from './math.js';
import { type ListAppearance, type ListDay, paths, relativeUrl } from './model.js';
import { weekDays } from './windows.js';

/** Top papers shown per day in lists. */
const TOP = 5;

function dayEntry(day: ListDay, from: string, top: number): string {
  const d = day.digest;
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const titles = d.papers
    .slice(0, top)
    .map(
      (r) =>
        `<li><a href="${to(paths.paper(r.paper.id))}">${renderMath(r.paper.title)}</a> <span class="muted">score ${num(r.score)}</span></li>`,
    )
    .join('');
  const rest = d.papers.length - Math.min(top, d.papers.length);
  return [
    `<li><h2><a href="${to(paths.day(day.day))}">${escapeHtml(longDay(day.day))}</a>${horizonBadge(day.horizon)}</h2>`,
    `<p class="muted">${plural(d.papers.length, 'paper')} ranked · ${plural(d.postsFound, 'post')} · ${escapeHtml(d.categories.join(', '))}</p>`,
    titles ? `<ol>${titles}</ol>` : '',
    rest > 0 ? `<p class="more"><a href="${to(paths.day(day.day))}">and ${num(rest)} more</a></p>` : '',
    '</li>',
  ].join('');
}

/**
 * Where a list page sits among its pages: the latest page has no `page`; pages anchored at the
 * oldest entry are numbered from 1 (the oldest). `newer` 0 is the latest page.
 */
export interface PageNav {
  page?: number;
  newer?: number;
  older?: number;
}

function pager(
  from: string,
  nav: PageNav,
  pathOf: (n?: number) => string,
  newer: string,
  older: string,
): string {
  if (nav.newer === undefined && nav.older === undefined) return '';
  const to = (n: number) => escapeHtml(relativeUrl(from, pathOf(n === 0 ? undefined : n)));
  return [
    `<nav aria-label="Pages"><ul class="pager">`,
    nav.newer !== undefined
      ? `<li><a rel="prev" href="${to(nav.newer)}">&larr; ${newer}</a></li>`
      : '<li></li>',
    `<li class="muted">${nav.page === undefined ? 'latest' : `page ${nav.page}`}</li>`,
    nav.older !== undefined
      ? `<li><a rel="next" href="${to(nav.older)}">${older} &rarr;</a></li>`
      : '<li></li>',
    '</ul></nav>',
  ].join('');
}

/** The body of an index page listing `days` (newest first): the latest (no `nav.page`) or an anchored one. */
export function indexBody(days: readonly ListDay[], nav: PageNav, windows: WindowLinks = {}): string {
  const from = paths.index(nav.page);
  const intro =
    nav.page === undefined
      ? `<h1>Hot arXiv papers</h1><p class="lead">The new arXiv papers people are talking about, day by day, ranked by the posts that link them on X, Bluesky, Hacker News and Hugging Face.</p>${windowNav(from, windows)}`
      : `<h1>Hot arXiv papers, page ${nav.page}</h1>`;
  if (days.length === 0) return `${intro}<p>No days yet: run <code>hotpapers post</code> to rank a day.</p>`;
  return [
    intro,
    `<ol class="days">${days.map((d) => dayEntry(d, from, TOP)).join('')}</ol>`,
    pager(from, nav, paths.index, 'newer days', 'older days'),
  ].join('');
}

/** The body of the archive index: one link per month with its number of days. */
export function archiveBody(months: ReadonlyArray<[string, ListDay[]]>): string {
  const from = paths.archive();
  const items = months
    .map(
      ([m, days]) =>
        `<li><a href="${escapeHtml(relativeUrl(from, paths.month(m)))}">${escapeHtml(longMonth(m))}</a> <span class="muted">(${days.length} day${days.length === 1 ? '' : 's'})</span></li>`,
    )
    .join('');
  return `<h1>Archive</h1>${items ? `<ul class="months">${items}</ul>` : '<p>No days yet.</p>'}`;
}

/** The body of a month page: every day of the month with all its ranked papers. */
export function monthBody(month: string, days: readonly ListDay[]): string {
  const from = paths.month(month);
  return [
    `<h1>${escapeHtml(longMonth(month))}</h1>`,
    `<p><a href="${escapeHtml(relativeUrl(from, paths.archive()))}">All months</a></p>`,
    `<ol class="days">${days.map((d) => dayEntry(d, from, Number.POSITIVE_INFINITY)).join('')}</ol>`,
  ].join('');
}

/** The body of the categories index: each category (most active first), its name, paper count and feeds. */
export function categoriesBody(categories: ReadonlyArray<[string, number]>): string {
  const from = paths.categories();
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const rows = categories
    .map(
      ([c, n]) =>
        `<tr><th scope="row"><a href="${to(paths.category(c))}">${escapeHtml(c)}</a></th><td>${escapeHtml(categoryName(c) ?? '')}</td><td>${num(n)}</td><td><a href="${to(paths.categoryFeed(c, 'atom'))}">Atom</a> · <a href="${to(paths.categoryFeed(c, 'rss'))}">RSS</a> · <a href="${to(paths.categoryFeed(c, 'json'))}">JSON</a></td></tr>`,
    )
    .join('');
  return [
    '<h1>Categories</h1><p class="lead">Most active first: by the number of ranked papers listed in each.</p>',
    rows
      ? `<div class="table-wrap"><table><thead><tr><th scope="col">Category</th><th scope="col">Name</th><th scope="col">Papers</th><th scope="col">Feeds</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : '<p>No categories yet.</p>',
  ].join('');
}

/**
 * The body of a category page: its ranked papers, newest day first; the latest page (no
 * `nav.page`, with the total and the window links) or one anchored at the oldest paper.
 */
export function categoryBody(
  cat: string,
  items: readonly ListAppearance[],
  nav: PageNav,
  total: number,
  windowsHtml = '',
): string {
  const from = paths.category(cat, nav.page);
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const list = items
    .map(
      (a) =>
        `<li><a href="${to(paths.paper(a.ranked.paper.id))}">${renderMath(a.ranked.paper.title)}</a><div class="muted">#${a.ranked.rank} on <a href="${to(paths.day(a.day.day))}">${escapeHtml(a.day.day)}</a> · score ${num(a.ranked.score)}</div></li>`,
    )
    .join('');
  const head =
    nav.page === undefined
      ? [
          `<h1>${escapeHtml(categoryLabel(cat))}</h1>`,
          `<p class="lead">${num(total)} ranked paper${total === 1 ? '' : 's'} listed in <a href="${escapeHtml(`https://arxiv.org/list/${encodeURIComponent(cat)}/recent`)}">${escapeHtml(cat)}</a>, newest first. <a href="${to(paths.categories())}">All categories</a>.</p>`,
          windowsHtml,
        ]
      : [
          `<h1>${escapeHtml(categoryLabel(cat))}, page ${nav.page}</h1>`,
          `<p class="lead">Ranked papers listed in ${escapeHtml(cat)}, newest first. <a href="${to(paths.category(cat))}">The latest</a> · <a href="${to(paths.categories())}">all categories</a>.</p>`,
        ];
  return [
    ...head,
    `<ol class="results">${list}</ol>`,
    pager(from, nav, (n) => paths.category(cat, n), 'newer', 'older'),
  ].join('');
}

/** The body of the search page (the script fills the results). */
export function searchBody(papers: number): string {
  return [
    '<h1>Search</h1>',
    '<form id="search-form" role="search" action="search.html" method="get">',
    '<label for="q">Words or word beginnings from a title, author, abstract or TL;DR; a category code (<code>cs.RO</code>); or an arXiv id or link</label><br>',
    '<input type="search" id="q" name="q" autocomplete="off"> <button type="submit">Search</button>',
    '<p class="filters"><label for="cat">Category</label> <select id="cat" name="cat"><option value="">All categories</option></select> ',
    '<label for="win">Announced</label> <select id="win" name="win"><option value="">Any time</option></select></p>',
    '</form>',
    `<p class="muted">Searches ${num(papers)} ranked papers in this browser; nothing is sent anywhere.</p>`,
    // Shown unless the search script runs (a <noscript> is not shown when scripts are merely blocked).
    '<p class="warn nojs">Search needs JavaScript. Browse the archive or the categories instead.</p>',
    '<p id="search-status" role="status" aria-live="polite"></p>',
    '<ol id="results" class="results"></ol>',
    '<p><button type="button" id="more" hidden>Show more results</button></p>',
  ].join('');
}

/** Links between the window pages: the current week, month, year, all time and rising. */
export interface WindowLinks {
  week?: string;
  month?: string;
  year?: string;
  all?: string;
  rising?: string;
}

/** The row of window links, the current one marked. */
export function windowNav(from: string, links: WindowLinks, current?: keyof WindowLinks): string {
  const labels: Array<[keyof WindowLinks, string]> = [
    ['week', 'This week'],
    ['month', 'This month'],
    ['year', 'This year'],
    ['all', 'All time'],
    ['rising', 'Rising'],
  ];
  const items = labels
    .filter(([k]) => links[k])
    .map(
      ([k, label]) =>
        `<li><a href="${escapeHtml(relativeUrl(from, links[k]!))}"${k === current ? ' aria-current="page"' : ''}>${label}</a></li>`,
    );
  return items.length > 0
    ? `<ul class="windows" aria-label="Top papers by period">${items.join('')}</ul>`
    : '';
}

/** What a window page shows. */
export interface WindowPage {
  /** Site path of the page. */
  path: string;
  /** Heading, plain text. */
  title: string;
  /** Lead paragraph, HTML. */
  leadHtml: string;
  items: readonly ListAppearance[];
  /** Extra text per item (rising: the growth), plain text, by paper id. */
  notes?: ReadonlyMap<string, string>;
  nav: WindowLinks;
  current?: keyof WindowLinks;
  /** Previous and next windows of the same kind (older, newer): [label, path]. */
  older?: [string, string];
  newer?: [string, string];
}

/** The body of a window page: its papers by score, each with its day and its rank that day. */
export function windowBody(w: WindowPage): string {
  const from = w.path;
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const max = w.items.reduce((m, a) => Math.max(m, a.ranked.score), 0) || 1;
  const list = w.items
    .map((a) => {
      const note = w.notes?.get(a.ranked.paper.id);
      return `<li><a href="${to(paths.paper(a.ranked.paper.id))}">${renderMath(a.ranked.paper.title)}</a><div class="muted">${note ? `<b>${escapeHtml(note)}</b> · ` : ''}score ${num(a.ranked.score)} ${scoreBar(a.ranked.score, max)} · #${a.ranked.rank} on <a href="${to(paths.day(a.day.day))}">${escapeHtml(a.day.day)}</a> · ${escapeHtml(a.ranked.paper.categories.slice(0, 3).join(' '))}</div></li>`;
    })
    .join('');
  const pager =
    w.older || w.newer
      ? `<nav aria-label="Other periods"><ul class="pager">${w.older ? `<li><a rel="prev" href="${to(w.older[1])}">&larr; ${escapeHtml(w.older[0])}</a></li>` : '<li></li>'}${w.newer ? `<li><a rel="next" href="${to(w.newer[1])}">${escapeHtml(w.newer[0])} &rarr;</a></li>` : '<li></li>'}</ul></nav>`
      : '';
  return [
    `<h1>${escapeHtml(w.title)}</h1>`,
    windowNav(from, w.nav, w.current),
    `<p class="lead">${w.leadHtml}</p>`,
    list ? `<ol class="results">${list}</ol>` : '<p>No ranked paper in this period.</p>',
    pager,
  ].join('');
}

/** The heading of a window page: `Top papers of the week 2021-W23 (7–13 June 2021)`. */
export function windowTitle(kind: 'week' | 'month' | 'year' | 'all', key: string, category?: string): string {
  const where = category ? ` in ${category}` : '';
  if (kind === 'all') return `Top papers of all time${where}`;
  if (kind === 'year') return `Top papers of ${key}${where}`;
  if (kind === 'month') return `Top papers of ${longMonth(key)}${where}`;
  const [monday, sunday] = weekDays(key);
  return `Top papers of the week ${longDay(monday).replace(/^\w+ /, '')} to ${longDay(sunday).replace(/^\w+ /, '')}${where}`;
}

/** A paper on a rising page: its latest ranking, its engagement now and its 24-hour gain. */
export interface RisingItem {
  appearance: ListAppearance;
  gain: number;
  now: number;
}

/** What a rising page shows. */
export interface RisingPage {
  path: string;
  title: string;
  /** Lead paragraph, HTML. */
  leadHtml: string;
  items: readonly RisingItem[];
  nav: WindowLinks;
}

/**
 * The body of a rising page: papers by their gain over the last 24 h of snapshots, each with its
 * place, title, the day it was announced (ranked), its score now and the gain.
 */
export function risingBody(r: RisingPage): string {
  const from = r.path;
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const max = r.items.reduce((m, i) => Math.max(m, i.gain), 0) || 1;
  const list = r.items
    .map((item, i) => {
      const a = item.appearance;
      return `<li><span class="n">${i + 1}.</span> <a href="${to(paths.paper(a.ranked.paper.id))}">${renderMath(a.ranked.paper.title)}</a><div class="muted"><b>+${num(item.gain)} in the last 24 h</b> ${scoreBar(item.gain, max)} · score now ${num(item.now)} · announced <a href="${to(paths.day(a.day.day))}">${escapeHtml(a.day.day)}</a> (#${a.ranked.rank} that day) · ${escapeHtml(a.ranked.paper.categories.slice(0, 3).join(' '))}</div></li>`;
    })
    .join('');
  return [
    `<h1>${escapeHtml(r.title)}</h1>`,
    windowNav(from, r.nav, 'rising'),
    `<p class="lead">${r.leadHtml}</p>`,
    list
      ? `<ol class="results rising">${list}</ol>`
      : '<p>No paper of the recent days gained in the last 24 h of snapshots.</p>',
  ].join('');
}
