/** The page shell shared by every page: head, header with navigation and search, footer. */
import { CSS_PATH, KATEX_CSS_PATH } from './assets.js';
import { escapeHtml } from './escape.js';
import { paths, relativeUrl } from './model.js';

/** Site-wide settings the shell needs. */
export interface ShellContext {
  siteTitle: string;
  /** Absolute base URL with a trailing slash, normalised by `new URL` (canonical links and feeds only). */
  baseUrl: string;
  /** Posts are the providers' widgets (the footer must not promise "no third-party script"). */
  liveEmbeds?: boolean;
  /** Site paths of the current week's and month's top papers (the navigation links them). */
  thisWeek?: string;
  thisMonth?: string;
}

export type Section = 'latest' | 'week' | 'month' | 'top' | 'archive' | 'categories' | 'search' | 'none';

export interface PageSpec {
  /** Site path of the page, e.g. `days/2021-06-09.html`. */
  path: string;
  /** Plain text title (escaped here). */
  title: string;
  description?: string;
  /** The page's main content, HTML. */
  body: string;
  /** The page typesets math: link KaTeX's stylesheet. */
  math?: boolean;
  section?: Section;
  /** Site paths of the feeds to advertise (atom, rss, json). */
  feeds?: { atom: string; rss: string; json: string; label: string };
  /** Scripts (site paths) loaded in the head, in order; `defer` ones run after parsing (search only). */
  scripts?: Array<{ src: string; defer?: boolean }>;
  /** Leave out the header's search form (the search page has its own). */
  noHeaderSearch?: boolean;
  /** Site path of the image shown when the page is shared (a paper's thumbnail). */
  image?: string;
  /** Open Graph type: `article` for a paper, `website` otherwise. */
  ogType?: 'article' | 'website';
}

/** What a shared page says when it has no description of its own. */
const SITE_DESCRIPTION = 'The new arXiv papers people are talking about, day by day.';

/** Open Graph and Twitter card tags: how a shared link unfurls (title, description, URL, image). */
export function sharingTags(spec: PageSpec, ctx: ShellContext, title: string): string {
  // Each text escaped once: the title and the description appear twice (every page has them).
  const t = escapeHtml(title);
  const d = escapeHtml(spec.description || SITE_DESCRIPTION);
  const image = spec.image ? escapeHtml(absoluteUrl(ctx.baseUrl, spec.image)) : undefined;
  return `<meta property="og:type" content="${escapeHtml(spec.ogType ?? 'website')}"><meta property="og:site_name" content="${escapeHtml(ctx.siteTitle)}"><meta property="og:title" content="${t}"><meta property="og:description" content="${d}"><meta property="og:url" content="${escapeHtml(absoluteUrl(ctx.baseUrl, spec.path))}">${
    image ? `<meta property="og:image" content="${image}">` : ''
  }${
    // Issue 12 asks for Twitter card tags with the title and description on every page: kept
    // although X falls back to the og: ones, for readers of the card that do not.
    `<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}"><meta name="twitter:title" content="${t}"><meta name="twitter:description" content="${d}">`
  }${image ? `<meta name="twitter:image" content="${image}">` : ''}`;
}

/** An absolute URL of a site path under the base URL. */
export function absoluteUrl(baseUrl: string, path: string): string {
  // Site paths are made of URL-safe characters (see slug), so joining is enough.
  return baseUrl + (path === 'index.html' ? '' : path);
}

/** The complete HTML document of a page. */
export function renderPage(spec: PageSpec, ctx: ShellContext): string {
  const title = spec.title === ctx.siteTitle ? spec.title : `${spec.title} · ${ctx.siteTitle}`;
  const shell = shellOf(spec, ctx);
  // Concatenation, not a join, so the (large) body is not copied here; it is copied once when encoded.
  return (
    `${OPENING}<title>${escapeHtml(title)}</title>${
      spec.description ? `<meta name="description" content="${escapeHtml(spec.description)}">` : ''
    }<link rel="canonical" href="${escapeHtml(absoluteUrl(ctx.baseUrl, spec.path))}">${sharingTags(spec, ctx, spec.title)}` +
    shell.head +
    spec.body +
    shell.tail
  );
}

/**
 * The complete HTML document of a page whose `math` is worked out from its body (KaTeX's markup
 * in it: the page links KaTeX's stylesheet), and that flag (the manifest keeps it).
 */
export function renderTypesetPage(
  spec: Omit<PageSpec, 'math'>,
  ctx: ShellContext,
): [html: string, math: boolean] {
  const math = spec.body.includes('class="katex"');
  return [renderPage({ ...spec, math }, ctx), math];
}

const OPENING =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">';

/**
 * What a page shares with every page at the same depth and of the same kind: the head after its
 * own tags, the header and the footer. Made once per kind (a full build renders ~10,000 pages
 * of a few kinds), as renderShell makes it.
 */
function shellOf(spec: PageSpec, ctx: ShellContext): { head: string; tail: string } {
  const feeds = spec.feeds;
  // Links are relative: only the page's depth matters (see relativeUrl).
  let depth = 0;
  for (let i = spec.path.indexOf('/'); i >= 0; i = spec.path.indexOf('/', i + 1)) depth++;
  // Site paths have no line break or tab; the two outside texts (a feed's label, which may be a
  // category's name, and the site's title) go with their lengths, so no two shells share a key.
  const key = `${depth}\n${spec.section ?? ''}\n${spec.math ? 1 : 0}${spec.noHeaderSearch ? 1 : 0}${ctx.liveEmbeds ? 1 : 0}\n${
    feeds ? `${feeds.label.length}:${feeds.label}\t${feeds.atom}\t${feeds.rss}\t${feeds.json}` : ''
  }\n${spec.scripts ? spec.scripts.map((s) => `${s.src}${s.defer ? ' defer' : ''}`).join('\t') : ''}\n${
    ctx.siteTitle.length
  }:${ctx.siteTitle}\n${ctx.thisWeek ?? ''}\n${ctx.thisMonth ?? ''}`;
  let shell = shells.get(key);
  if (!shell) {
    // Bounded: a build has a few dozen kinds; a long-lived process (serve) meets new weeks.
    if (shells.size >= 256) shells.clear();
    shell = renderShell(spec, ctx);
    shells.set(key, shell);
  }
  return shell;
}

const shells = new Map<string, { head: string; tail: string }>();

/** The head after a page's own tags, the header and the footer of `spec`'s kind of page. */
function renderShell(spec: PageSpec, ctx: ShellContext): { head: string; tail: string } {
  const to = (target: string) => escapeHtml(relativeUrl(spec.path, target));
  const nav = (section: Section, target: string, label: string) =>
    `<li><a href="${to(target)}"${spec.section === section ? ' aria-current="page"' : ''}>${label}</a></li>`;
  const feeds = spec.feeds;
  const feedLinks = feeds
    ? [
        `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(feeds.label)} (Atom)" href="${to(feeds.atom)}">`,
        `<link rel="alternate" type="application/rss+xml" title="${escapeHtml(feeds.label)} (RSS)" href="${to(feeds.rss)}">`,
        `<link rel="alternate" type="application/feed+json" title="${escapeHtml(feeds.label)} (JSON Feed)" href="${to(feeds.json)}">`,
      ].join('')
    : '';
  const head = [
    // An empty icon keeps browsers from asking for /favicon.ico (a 404 and a console error).
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${to(CSS_PATH)}">`,
    spec.math ? `<link rel="stylesheet" href="${to(KATEX_CSS_PATH)}">` : '',
    feedLinks,
    ...(spec.scripts ?? []).map((s) => `<script src="${to(s.src)}"${s.defer ? ' defer' : ''}></script>`),
    '</head><body>',
    '<a class="skip" href="#main">Skip to content</a>',
    '<header class="site-head"><div class="bar">',
    `<a class="brand" href="${to(paths.index())}">${escapeHtml(ctx.siteTitle)}</a>`,
    '<nav aria-label="Site"><ul>',
    nav('latest', paths.index(), 'Latest'),
    ctx.thisWeek ? nav('week', ctx.thisWeek, 'This week') : '',
    ctx.thisMonth ? nav('month', ctx.thisMonth, 'This month') : '',
    nav('archive', paths.archive(), 'Archive'),
    nav('categories', paths.categories(), 'Categories'),
    nav('search', paths.search(), 'Search'),
    '</ul></nav>',
    spec.noHeaderSearch
      ? ''
      : `<form class="find" role="search" action="${to(paths.search())}" method="get"><label class="vh" for="site-q">Search papers</label><input type="search" id="site-q" name="q" placeholder="Search papers"><button type="submit">Search</button></form>`,
    '</div></header>',
    '<main id="main" tabindex="-1">',
  ].join('');
  const tail = [
    '</main>',
    '<footer class="site-foot"><p>',
    feeds
      ? `Feeds for ${escapeHtml(feeds.label)}: <a href="${to(feeds.atom)}">Atom</a> · <a href="${to(feeds.rss)}">RSS</a> · <a href="${to(feeds.json)}">JSON Feed</a>. `
      : '',
    ctx.liveEmbeds
      ? "Built by hotpapers from the posts that link arXiv papers. Posts are shown with their providers' widgets."
      : 'Built by hotpapers from the posts that link arXiv papers. Posts are shown from stored copies, with no third-party script.',
    '</p></footer>',
    '</body></html>\n',
  ].join('');
  return { head, tail };
}
