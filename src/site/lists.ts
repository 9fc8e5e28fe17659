/** The list pages: latest days (paginated), monthly archive, categories, and the search page. */
import { escapeHtml } from './escape.js';
import { horizonBadge, longDay, longMonth, num, plural } from './fragments.js';
import { renderMath } from './math.js';
import { type ListAppearance, type ListDay, paths, relativeUrl } from './model.js';

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

function pager(
  from: string,
  page: number,
  pages: number,
  pathOf: (n: number) => string,
  newer: string,
  older: string,
): string {
  if (pages <= 1) return '';
  const to = (n: number) => escapeHtml(relativeUrl(from, pathOf(n)));
  return [
    `<nav aria-label="Pages"><ul class="pager">`,
    page > 1 ? `<li><a rel="prev" href="${to(page - 1)}">&larr; ${newer}</a></li>` : '<li></li>',
    `<li class="muted">page ${page} of ${pages}</li>`,
    page < pages ? `<li><a rel="next" href="${to(page + 1)}">${older} &rarr;</a></li>` : '<li></li>',
    '</ul></nav>',
  ].join('');
}

/** The body of index page `page` (1-based) of `pages`, listing `days`. */
export function indexBody(days: readonly ListDay[], page: number, pages: number): string {
  const from = paths.index(page);
  const intro =
    page === 1
      ? '<h1>Hot arXiv papers</h1><p class="lead">The new arXiv papers people are talking about, day by day, ranked by the posts that link them on X, Bluesky, Hacker News and Hugging Face.</p>'
      : `<h1>Hot arXiv papers, page ${page}</h1>`;
  if (days.length === 0) return `${intro}<p>No days yet: run <code>hotpapers post</code> to rank a day.</p>`;
  return [
    intro,
    `<ol class="days">${days.map((d) => dayEntry(d, from, TOP)).join('')}</ol>`,
    pager(from, page, pages, paths.index, 'newer days', 'older days'),
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

/** The body of the categories index: each category, its paper count and its feeds. */
export function categoriesBody(categories: ReadonlyArray<[string, number]>): string {
  const from = paths.categories();
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const rows = categories
    .map(
      ([c, n]) =>
        `<tr><th scope="row"><a href="${to(paths.category(c))}">${escapeHtml(c)}</a></th><td>${num(n)}</td><td><a href="${to(paths.categoryFeed(c, 'atom'))}">Atom</a> · <a href="${to(paths.categoryFeed(c, 'rss'))}">RSS</a> · <a href="${to(paths.categoryFeed(c, 'json'))}">JSON</a></td></tr>`,
    )
    .join('');
  return [
    '<h1>Categories</h1>',
    rows
      ? `<div class="table-wrap"><table><thead><tr><th scope="col">Category</th><th scope="col">Papers</th><th scope="col">Feeds</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : '<p>No categories yet.</p>',
  ].join('');
}

/** The body of page `page` of a category: its ranked papers, newest day first. */
export function categoryBody(
  cat: string,
  items: readonly ListAppearance[],
  page: number,
  pages: number,
  total: number,
  pageSize = 100,
): string {
  const from = paths.category(cat, page);
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const list = items
    .map(
      (a) =>
        `<li><a href="${to(paths.paper(a.ranked.paper.id))}">${renderMath(a.ranked.paper.title)}</a><div class="muted">#${a.ranked.rank} on <a href="${to(paths.day(a.day.day))}">${escapeHtml(a.day.day)}</a> · score ${num(a.ranked.score)}</div></li>`,
    )
    .join('');
  return [
    `<h1>${escapeHtml(cat)}</h1>`,
    `<p class="lead">${num(total)} ranked paper${total === 1 ? '' : 's'} listed in <a href="${escapeHtml(`https://arxiv.org/list/${encodeURIComponent(cat)}/recent`)}">${escapeHtml(cat)}</a>, newest first. <a href="${to(paths.categories())}">All categories</a>.</p>`,
    `<ol class="results" start="${(page - 1) * pageSize + 1}">${list}</ol>`,
    pager(from, page, pages, (n) => paths.category(cat, n), 'newer', 'older'),
  ].join('');
}

/** The body of the search page (the script fills the results). */
export function searchBody(papers: number): string {
  return [
    '<h1>Search</h1>',
    '<form id="search-form" role="search" action="search.html" method="get">',
    '<label for="q">Words from a title, author, abstract or category</label><br>',
    '<input type="search" id="q" name="q" autocomplete="off"> <button type="submit">Search</button>',
    '</form>',
    `<p class="muted">Searches ${num(papers)} ranked papers in this browser; nothing is sent anywhere.</p>`,
    // Shown unless the search script runs (a <noscript> is not shown when scripts are merely blocked).
    '<p class="warn nojs">Search needs JavaScript. Browse the archive or the categories instead.</p>',
    '<p id="search-status" role="status" aria-live="polite"></p>',
    '<ol id="results" class="results"></ol>',
  ].join('');
}
