/**
 * The site builder: a pure function from the model to every file of the site (path → content).
 * No clock and no store: the same model gives the same bytes, so tests build from plain data.
 */
import { categoryLabel } from '../arxiv/category-names.js';
import type { RankedPaper } from '../types.js';
import { CSS_PATH, katexAssets, SEARCH_JS_PATH, SITE_CSS } from './assets.js';
import { formatInstant } from './cards.js';
import { escapeHtml } from './escape.js';
import { atomFeed, type FeedItem, type FeedSpec, jsonFeed, rssFeed } from './feeds.js';
import {
  type Appearance,
  absUrl,
  authorsText,
  longDay,
  longMonth,
  num,
  type PageContext,
} from './fragments.js';
import { absoluteUrl, type PageSpec, renderPage, type ShellContext } from './layout.js';
import {
  archiveBody,
  categoriesBody,
  categoryBody,
  indexBody,
  monthBody,
  searchBody,
  type WindowLinks,
  windowBody,
  windowNav,
  windowTitle,
} from './lists.js';
import { type FeedKind, paths, relativeUrl, type SiteDay, type SiteModel } from './model.js';
import { dayBody, paperBody } from './pages.js';
import { SEARCH_JS } from './search-client.js';
import { buildSearchIndex, SEARCH_META_PATH, type SearchEntry } from './search-index.js';
import { byScore, groupByWindow, risingPapers, type WindowKind, windowOf, windowPaths } from './windows.js';

export interface BuildOptions {
  /** Absolute base URL of the published site (feeds and canonical links only; pages link relatively). */
  baseUrl: string;
  /** Show posts with the providers' widget HTML (sanitised) instead of static cards. */
  liveEmbeds?: boolean;
  siteTitle?: string;
  /** Days per index page (default 10). */
  daysPerPage?: number;
  /** Days per feed (default 30). */
  feedItems?: number;
  /** Papers per category page (default 100). */
  categoryPageSize?: number;
  /** Posts shown under each paper on a day page (default 2; all are on the paper page). */
  dayPosts?: number;
  /** Papers per window page (top of a week, month, year, all time; default 100). */
  windowSize?: number;
}

/** Every file of the site, by site path (e.g. `days/2021-06-09.html`). */
export type SiteFiles = Map<string, string | Buffer>;

/** Site path of the marker that tells the writer a folder holds a hotpapers site. */
export const SITE_MARKER = '.hotpapers-site';

/**
 * Receives each file of the site once it is built (a Map, or a writer streaming to disk). The sink
 * owns what it receives: the builder never reuses a Buffer it has handed over.
 */
export type SiteSink = (path: string, data: string | Buffer) => void;

/** Build the whole site from the model, as a Map of site path → content. */
export function buildSite(model: SiteModel, options: BuildOptions): SiteFiles {
  const files: SiteFiles = new Map();
  buildSiteInto(model, options, (path, data) => files.set(path, data));
  return files;
}

/**
 * Build the whole site from the model, handing each file to `sink` as soon as it is made, so a
 * writer need not hold the whole site in memory (~100 MB for 300 days).
 */
export function buildSiteInto(model: SiteModel, options: BuildOptions, sink: SiteSink): void {
  const parsed = new URL(options.baseUrl);
  const baseUrl = parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
  const siteTitle = options.siteTitle ?? 'Hot Papers';
  const liveEmbeds = options.liveEmbeds ?? false;
  const shell: ShellContext & { liveEmbeds: boolean } = { siteTitle, baseUrl, liveEmbeds };
  const windowSize = Math.max(1, options.windowSize ?? 100);
  const ctx: PageContext = {
    siteTitle,
    baseUrl,
    liveEmbeds,
    dayPosts: options.dayPosts ?? 2,
    embeds: model.embeds ?? new Map(),
    enrichments: model.enrichments,
  };
  let usesMath = false;
  const mainFeeds = {
    atom: paths.feed('atom'),
    rss: paths.feed('rss'),
    json: paths.feed('json'),
    label: siteTitle,
  };
  const emit = (spec: PageSpec) => {
    const math = spec.body.includes('class="katex"');
    usesMath ||= math;
    // Pages are kept as UTF-8 bytes: a third of the memory of strings, and nothing for the GC to move.
    sink(spec.path, Buffer.from(renderPage({ ...spec, math, feeds: spec.feeds ?? mainFeeds }, shell)));
  };

  const days = newestFirst(model.days);
  // The windows of the newest day: "This week", "This month" in the navigation.
  const newestDay = days[0]?.day;
  const windowLinks: WindowLinks = newestDay
    ? {
        week: windowPaths.window(windowOf('week', newestDay)),
        month: windowPaths.window(windowOf('month', newestDay)),
        year: windowPaths.window(windowOf('year', newestDay)),
        all: windowPaths.window({ kind: 'all', key: 'all' }),
        rising: windowPaths.rising(),
      }
    : {};
  shell.thisWeek = windowLinks.week;
  shell.thisMonth = windowLinks.month;

  // Papers: every ranking of each, newest day first; categories: each paper once, at its latest ranking.
  const appearances = new Map<string, Appearance[]>();
  for (const day of days) {
    for (const ranked of day.digest.papers) {
      const list = appearances.get(ranked.paper.id);
      if (list) list.push({ day, ranked });
      else appearances.set(ranked.paper.id, [{ day, ranked }]);
    }
  }
  const byCategory = new Map<string, Appearance[]>();
  for (const list of appearances.values()) {
    const latest = list[0]!;
    for (const cat of new Set(latest.ranked.paper.categories)) {
      const entries = byCategory.get(cat);
      if (entries) entries.push(latest);
      else byCategory.set(cat, [latest]);
    }
  }
  for (const entries of byCategory.values())
    entries.sort((a, b) => compareDesc(a.day.day, b.day.day) || a.ranked.rank - b.ranked.rank);

  // Day pages.
  days.forEach((day, i) => {
    emit({
      path: paths.day(day.day),
      title: `Hot papers of ${longDay(day.day)}${day.horizon ? ` (counts at ${day.horizon})` : ''}`,
      description: topTitles(day.digest.papers, 3),
      body: dayBody(day, { newer: days[i - 1], older: days[i + 1] }, ctx),
      section: 'latest',
    });
  });

  // Paper pages.
  for (const [id, list] of appearances) {
    const paper = list[0]!.ranked.paper;
    emit({
      path: paths.paper(id),
      title: paper.title,
      description: `${authorsText(paper.authors, 5)}. Ranked #${list[0]!.ranked.rank} on ${list[0]!.day.day}.`,
      body: paperBody(list, model.papers?.get(id), ctx),
    });
  }

  // Index pages.
  const perPage = Math.max(1, options.daysPerPage ?? 10);
  const indexPages = Math.max(1, Math.ceil(days.length / perPage));
  for (let page = 1; page <= indexPages; page++) {
    emit({
      path: paths.index(page),
      title: page === 1 ? siteTitle : `${siteTitle}, page ${page}`,
      description: 'The new arXiv papers people are talking about, day by day.',
      body: indexBody(days.slice((page - 1) * perPage, page * perPage), page, indexPages, windowLinks),
      section: 'latest',
    });
  }

  // Monthly archive.
  const months = new Map<string, SiteDay[]>();
  for (const day of days) {
    const m = day.day.slice(0, 7);
    const list = months.get(m);
    if (list) list.push(day);
    else months.set(m, [day]);
  }
  emit({ path: paths.archive(), title: 'Archive', body: archiveBody([...months]), section: 'archive' });
  for (const [m, list] of months) {
    emit({ path: paths.month(m), title: longMonth(m), body: monthBody(m, list), section: 'archive' });
  }

  // Categories, each with its feeds.
  // Most active first (most ranked papers), then by code.
  const catList = [...byCategory].sort(
    (a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0),
  );
  emit({
    path: paths.categories(),
    title: 'Categories',
    body: categoriesBody(catList.map(([c, list]) => [c, list.length])),
    section: 'categories',
  });
  const pageSize = Math.max(1, options.categoryPageSize ?? 100);
  const feedItems = Math.max(1, options.feedItems ?? 30);
  for (const [cat, list] of catList) {
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    const feeds = {
      atom: paths.categoryFeed(cat, 'atom'),
      rss: paths.categoryFeed(cat, 'rss'),
      json: paths.categoryFeed(cat, 'json'),
      label: `${siteTitle} in ${cat}`,
    };
    const catWindows: WindowLinks = newestDay
      ? {
          week: windowPaths.category(cat, 'week'),
          month: windowPaths.category(cat, 'month'),
          year: windowPaths.category(cat, 'year'),
          all: windowPaths.category(cat, 'all'),
        }
      : {};
    for (const kind of ['week', 'month', 'year', 'all'] as const) {
      if (!newestDay) break;
      const current = windowOf(kind, newestDay).key;
      const items = list.filter((a) => kind === 'all' || windowOf(kind, a.day.day).key === current);
      items.sort(byScore);
      const path = windowPaths.category(cat, kind);
      emit({
        path,
        title: windowTitle(kind, current, cat),
        description: topTitles(
          items.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, current, categoryLabel(cat)),
          leadHtml: `${num(items.length)} ranked paper${items.length === 1 ? '' : 's'} listed in ${escapeHtml(cat)}${kind === 'all' ? '' : ' in this period'}, each once, by score${items.length > windowSize ? ` (the top ${num(windowSize)} shown)` : ''}. <a href="${escapeHtml(relativeUrl(path, paths.category(cat)))}">All of ${escapeHtml(cat)}, newest first</a>.`,
          items: items.slice(0, windowSize),
          nav: catWindows,
          current: kind,
        }),
        section: 'categories',
        feeds,
      });
    }
    for (let page = 1; page <= pages; page++) {
      emit({
        path: paths.category(cat, page),
        title: page === 1 ? categoryLabel(cat) : `${categoryLabel(cat)}, page ${page}`,
        body: categoryBody(
          cat,
          list.slice((page - 1) * pageSize, page * pageSize),
          page,
          pages,
          list.length,
          pageSize,
          windowNav(paths.category(cat, page), catWindows),
        ),
        section: 'categories',
        feeds,
      });
    }
    writeFeeds(sink, categoryFeed(cat, list, feedItems, baseUrl, siteTitle), (k) =>
      paths.categoryFeed(cat, k),
    );
  }

  // Time windows: each paper once, at its latest ranking, by score.
  const latest = [...appearances.values()].map((l) => l[0]!);
  const kinds: WindowKind[] = ['week', 'month', 'year'];
  for (const kind of kinds) {
    const groups = groupByWindow(latest, kind);
    groups.forEach(([key, list], i) => {
      const path = windowPaths.window({ kind, key });
      const link = (g: [string, unknown] | undefined): [string, string] | undefined =>
        g ? [g[0], windowPaths.window({ kind, key: g[0] })] : undefined;
      emit({
        path,
        title: windowTitle(kind, key),
        description: topTitles(
          list.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, key),
          leadHtml: `${num(list.length)} ranked paper${list.length === 1 ? '' : 's'} announced in this period, each once, by score${list.length > windowSize ? ` (the top ${num(windowSize)} shown)` : ''}; with the day each was ranked and its rank that day.`,
          items: list.slice(0, windowSize),
          nav: windowLinks,
          current: path === windowLinks[kind] ? kind : undefined,
          older: link(groups[i + 1]),
          newer: link(groups[i - 1]),
        }),
        section: path === windowLinks.week ? 'week' : path === windowLinks.month ? 'month' : 'top',
      });
    });
  }
  if (newestDay) {
    const all = [...latest].sort(byScore);
    const allPath = windowPaths.window({ kind: 'all', key: 'all' });
    emit({
      path: allPath,
      title: windowTitle('all', 'all'),
      description: topTitles(
        all.slice(0, 3).map((a) => a.ranked),
        3,
      ),
      body: windowBody({
        path: allPath,
        title: windowTitle('all', 'all'),
        leadHtml: `The ${num(Math.min(windowSize, all.length))} highest-scoring of ${num(all.length)} ranked papers, each once, with the day each was ranked and its rank that day.`,
        items: all.slice(0, windowSize),
        nav: windowLinks,
        current: 'all',
      }),
      section: 'top',
    });
    const rising = risingPapers(latest, (id) => model.papers?.get(id)?.history);
    const risingPath = windowPaths.rising();
    emit({
      path: risingPath,
      title: 'Rising papers',
      description: 'The recent papers whose engagement grew most over the last 24 hours.',
      body: windowBody({
        path: risingPath,
        title: 'Rising papers',
        leadHtml:
          rising.length > 0
            ? `Papers of the last ten days whose engagement (reposts + likes, Hacker News points, Hugging Face upvotes) grew most over the 24 hours before the newest stored snapshot (${escapeHtml(formatInstant(rising[0]!.growth.at))} at the latest).`
            : 'No paper of the last ten days has two snapshots of its counts yet, so none can be said to be rising.',
        items: rising.map((r) => r.appearance),
        notes: new Map(
          rising.map((r) => [r.appearance.ranked.paper.id, `+${num(r.growth.gain)} in the last 24 h`]),
        ),
        nav: windowLinks,
        current: 'rising',
      }),
      section: 'top',
    });
  }

  // Site feeds of the days.
  writeFeeds(sink, daysFeed(days.slice(0, feedItems), baseUrl, siteTitle), paths.feed);

  // Search.
  const entries: SearchEntry[] = [];
  for (const list of appearances.values()) {
    const { ranked, day } = list[0]!;
    const e = model.enrichments?.get(ranked.paper.id);
    entries.push({
      paper: ranked.paper,
      day: day.day,
      rank: ranked.rank,
      score: ranked.score,
      summary: e?.aiSummary,
      keywords: e?.aiKeywords,
    });
  }
  const index = buildSearchIndex(entries);
  for (const [path, data] of index.files) sink(path, data);
  sink(SEARCH_JS_PATH, SEARCH_JS);
  emit({
    path: paths.search(),
    title: 'Search',
    body: searchBody(index.docs),
    section: 'search',
    noHeaderSearch: true,
    // The script runs first (it marks the page as scripted before the body is drawn); the
    // small meta script is deferred, so it is ready before the DOMContentLoaded handler. The
    // index's buckets and chunks are loaded on demand, by the words of each query.
    scripts: [{ src: SEARCH_JS_PATH }, { src: SEARCH_META_PATH, defer: true }],
  });

  emit({
    path: '404.html',
    title: 'Not found',
    body: `<h1>Not found</h1><p>No page here. Try the <a href="index.html">latest days</a> or the <a href="${escapeHtml(paths.archive())}">archive</a>.</p>`,
    section: 'none',
  });

  sink(CSS_PATH, SITE_CSS);
  // Copies: the sink owns its Buffers (a writer may transfer them), the cached originals stay intact.
  if (usesMath) for (const [path, data] of katexAssets()) sink(path, Buffer.from(data));
  sink(SITE_MARKER, 'This folder is written by `hotpapers site`; it is replaced whole on every build.\n');
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Days newest first, one row per day (the first given wins). */
function newestFirst(days: readonly SiteDay[]): SiteDay[] {
  const seen = new Set<string>();
  const out: SiteDay[] = [];
  for (const d of [...days].sort((a, b) => compareDesc(a.day, b.day))) {
    if (seen.has(d.day)) continue;
    seen.add(d.day);
    out.push(d);
  }
  return out;
}

function topTitles(papers: readonly RankedPaper[], n: number): string {
  return papers
    .slice(0, n)
    .map((r) => r.paper.title)
    .join(' · ');
}

/** A valid ISO instant: `iso` when it parses, else midnight UTC of `day`. */
function instant(iso: string | undefined, day: string): string {
  if (iso && !Number.isNaN(Date.parse(iso))) return new Date(iso).toISOString();
  const t = Date.parse(`${day}T00:00:00Z`);
  return new Date(Number.isNaN(t) ? 0 : t).toISOString();
}

function papersHtml(papers: readonly RankedPaper[], baseUrl: string): string {
  const items = papers.map(
    (r) =>
      `<li><a href="${escapeHtml(absoluteUrl(baseUrl, paths.paper(r.paper.id)))}">${escapeHtml(r.paper.title)}</a> (score ${num(r.score)}; ${escapeHtml(authorsText(r.paper.authors, 5))}) <a href="${escapeHtml(absUrl(r.paper.id))}">arXiv</a></li>`,
  );
  return `<ol>${items.join('')}</ol>`;
}

function dayItem(
  day: SiteDay,
  papers: readonly RankedPaper[],
  baseUrl: string,
  title: string,
  idSuffix = '',
): FeedItem {
  const url = absoluteUrl(baseUrl, paths.day(day.day));
  const published = instant(day.digest.announcedAt, day.day);
  return {
    id: `${url}${idSuffix}`,
    url,
    title,
    published,
    updated: instant(day.digest.observedAt, day.day),
    summary: topTitles(papers, 3),
    contentHtml: `<p>${num(papers.length)} paper${papers.length === 1 ? '' : 's'} ranked by the posts that link them${day.horizon ? ` (counts at ${escapeHtml(day.horizon)})` : ''}.</p>${papersHtml(papers, baseUrl)}`,
    tags: [...new Set(papers.map((r) => r.paper.primaryCategory).filter(Boolean))].sort(),
  };
}

function feedSpec(
  title: string,
  description: string,
  homePath: string,
  urlOf: (k: FeedKind) => string,
  items: FeedItem[],
  baseUrl: string,
): FeedSpec {
  // ISO instants compare as strings; an empty feed is dated at the epoch, never by the clock.
  let updated = '1970-01-01T00:00:00.000Z';
  for (const item of items) if (item.updated > updated) updated = item.updated;
  return {
    title,
    description,
    homeUrl: absoluteUrl(baseUrl, homePath),
    urls: {
      atom: absoluteUrl(baseUrl, urlOf('atom')),
      rss: absoluteUrl(baseUrl, urlOf('rss')),
      json: absoluteUrl(baseUrl, urlOf('json')),
    },
    updated,
    author: 'hotpapers',
    items,
  };
}

function daysFeed(days: readonly SiteDay[], baseUrl: string, siteTitle: string): FeedSpec {
  const items = days.map((d) =>
    dayItem(
      d,
      d.digest.papers,
      baseUrl,
      `Hot papers of ${longDay(d.day)}${d.horizon ? ` (counts at ${d.horizon})` : ''}`,
    ),
  );
  return feedSpec(
    siteTitle,
    'The new arXiv papers people are talking about, day by day.',
    paths.index(),
    paths.feed,
    items,
    baseUrl,
  );
}

function categoryFeed(
  cat: string,
  list: readonly Appearance[],
  max: number,
  baseUrl: string,
  siteTitle: string,
): FeedSpec {
  const byDay = new Map<string, { day: SiteDay; papers: RankedPaper[] }>();
  for (const a of list) {
    const entry = byDay.get(a.day.day);
    if (entry) entry.papers.push(a.ranked);
    else if (byDay.size < max) byDay.set(a.day.day, { day: a.day, papers: [a.ranked] });
  }
  const items = [...byDay.values()].map(({ day, papers }) =>
    dayItem(day, papers, baseUrl, `${cat}: hot papers of ${longDay(day.day)}`, `#${encodeURIComponent(cat)}`),
  );
  return feedSpec(
    `${siteTitle} in ${cat}`,
    `The new ${cat} papers people are talking about, day by day.`,
    paths.category(cat),
    (k) => paths.categoryFeed(cat, k),
    items,
    baseUrl,
  );
}

function writeFeeds(sink: SiteSink, spec: FeedSpec, pathOf: (k: FeedKind) => string): void {
  sink(pathOf('atom'), atomFeed(spec));
  sink(pathOf('rss'), rssFeed(spec));
  sink(pathOf('json'), jsonFeed(spec));
}
