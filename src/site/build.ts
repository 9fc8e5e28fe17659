/**
 * The site engine: builds the next generation of the site from a source (the store, or a plain
 * model in tests), a slice at a time, redoing only what changed since the generation it replaces.
 *
 * How it works:
 * - Each day is a slice: its digest (read through the source, one at a time) and the store's
 *   extras for its papers. DAY producers render from a slice: the day page, the day's search
 *   fragment, and the pages of the papers whose latest ranking is that day.
 * - From each slice the engine keeps a small ListDay (the day's head and, per ranked paper, id,
 *   title, authors, categories, rank, score). LIST producers make the list pages (index,
 *   archive and months, categories and their pages and feeds, site feeds, search, 404, assets)
 *   from those ListDays alone, newest first: they never see a whole digest. A category, past
 *   window or anchored category page that no appeared, changed or removed day ranks a paper in
 *   is kept as it is without being keyed (listDirty); the others are keyed and rendered when
 *   their key changed.
 * - The manifest (`.hotpapers/manifest.json` in the site) keeps the ListDays, each day's
 *   fingerprint (its digest row's key and dates), the store's high-water marks and, per file,
 *   a content hash and its owner (`d:DAY`, `p:PAPER` or a list page). The next build reloads only
 *   the days whose row changed or appeared (and their neighbours, whose pager links change), the
 *   latest day of each paper the store gained posts, snapshots or embeds for, and renders every
 *   list page; a file whose hash is unchanged is hard-linked from the previous generation (same
 *   inode and mtime) instead of written. A change of the templates, the version or the options
 *   (the engine fingerprint) discards the manifest: everything is rebuilt and written.
 * - The generation is written beside the live site and swapped in whole (write.ts), so a reader
 *   always sees a whole site and a build that dies leaves the old one.
 *
 * Adding a page kind: a page made from one day (and its papers) is a DAY producer; a page made
 * from many days is a LIST producer, reading `lists.days` (newest first) or the per-paper and
 * per-category views; put what it needs of a day into `listDay()` if it is not there yet.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoryLabel } from '../arxiv/category-names.js';
import type { RankedPaper } from '../types.js';
import { CSS_PATH, katexAssets, SEARCH_JS_PATH, SITE_CSS } from './assets.js';
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
import {
  contentHash,
  FileTable,
  MANIFEST_PATH,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestDay,
  ownerKind,
  ownerOf,
  StaleGenerationError,
  writeManifest,
} from './manifest.js';
import {
  Appearances,
  compactDay,
  type FeedKind,
  type ListAppearance,
  type ListDay,
  type ListPaper,
  packLines,
  paths,
  relativeUrl,
  type SiteModel,
  unpackLines,
} from './model.js';
import { dayBody, paperBody } from './pages.js';
import { RISING_OWNER, renderRising, risingCandidates, risingSignature } from './rising.js';
import { buildSearchSegments, rankingDays, searchThreadPolicy, startSearchThread } from './search-build.js';
import { SEARCH_JS } from './search-client.js';
import { maskedBySegment, SEARCH_META_PATH, type SearchEntry, searchMeta } from './search-index.js';
import { type DaySlice, modelSource, type SiteSource } from './source.js';
import { byScore, groupByWindow, topByScore, windowOf, windowPaths, windowStart } from './windows.js';

export { MANIFEST_PATH, type Manifest, type ManifestDay };

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
  /** Extra input of the engine fingerprint (tests use it to stand for a template change). */
  templateTag?: string;
}

/** Every file of the site, by site path (e.g. `days/2021-06-09.html`). */
export type SiteFiles = Map<string, string | Buffer>;

/** Site path of the marker that tells the writer a folder holds a hotpapers site. */
export const SITE_MARKER = '.hotpapers-site';
/** Folder of the per-day search fragments (one line `paperId\tSearchEntry JSON` per ranked paper). */
const FRAGMENTS = '.hotpapers/search';

/** Where a generation goes: files written fresh, or kept from the previous generation. */
export interface GenerationOutput {
  /** The previous generation's manifest, if any. */
  previous?: Manifest;
  /** A file of the previous generation (undefined when missing). */
  readPrevious(path: string): Buffer | undefined;
  /** Write a file of this generation (a list of chunks is written in order); `now`: before returning. */
  write(path: string, data: Buffer | Buffer[], now?: boolean): void;
  /** A file of this generation written `now` (undefined when missing). */
  readCurrent(path: string): Buffer | undefined;
  /** Append to a file of this generation, now (a large file made a piece at a time). */
  append(path: string, chunk: Buffer): void;
  /** Remove a file of this generation. */
  remove(path: string): void;
  /** Keep the previous generation's file unchanged (a hard link); false when it is missing. */
  keep(path: string): boolean;
  /**
   * Optional, for a generation written in place (the previous files are where they stay): keep
   * `count` files of the previous generation without naming them.
   */
  keepUnread?(count: number): void;
  /**
   * Optional, for a build with nothing to compare to: write a text whose content hash the writer
   * makes (on its own thread, with the encoding); `writtenHashes` gives them once all are written.
   */
  writeHashed?(path: string, data: string): void;
  /** The content hashes (contentHash) of the files given to writeHashed, by site path. */
  writtenHashes?(): ReadonlyMap<string, string>;
}

/** What a build did. */
export interface BuildStats {
  days: number;
  papers: number;
  /** True when nothing of the previous generation could be reused. */
  full: boolean;
  /** Days whose digest was read. */
  daysLoaded: number;
  /** Files rendered, written fresh, kept (linked) from the previous generation. */
  rendered: number;
  fresh: number;
  kept: number;
  /** Site paths written fresh (for tests and the log). */
  writtenPaths: string[];
  /** The rising pages: rendered from the snapshots, kept from the previous generation, or none (no day). */
  rising: 'rendered' | 'kept' | 'none';
  warnings: string[];
}

/** Thrown when the previous generation lacks a file its manifest lists, or a slice of it does not parse (the caller builds in full). */
export { StaleGenerationError };

/** Build the whole site from a model, in memory (tests, small tools). */
export function buildSite(model: SiteModel, options: BuildOptions): SiteFiles {
  const files: SiteFiles = new Map();
  buildGeneration(modelSource(model), options, mapOutput(files));
  // The engine's own files (manifest, search fragments) are not part of the site.
  for (const path of [...files.keys()]) if (path.startsWith('.hotpapers/')) files.delete(path);
  return files;
}

/** A generation kept in a Map (no previous one): for in-memory builds. */
export function mapOutput(files: SiteFiles): GenerationOutput {
  return {
    readPrevious: () => undefined,
    write: (path, data) => files.set(path, Array.isArray(data) ? Buffer.concat(data) : data),
    readCurrent: (path) => {
      const data = files.get(path);
      return typeof data === 'string' ? Buffer.from(data) : data;
    },
    append: (path, chunk) => {
      const before = files.get(path);
      files.set(path, before === undefined ? chunk : Buffer.concat([Buffer.from(before), chunk]));
    },
    remove: (path) => files.delete(path),
    keep: () => false,
  };
}

interface Config {
  baseUrl: string;
  siteTitle: string;
  liveEmbeds: boolean;
  dayPosts: number;
  perPage: number;
  feedItems: number;
  pageSize: number;
}

let sourcesHash: string | undefined;

/** Hash of the site's own modules (templates included) and the package version: changes rebuild all. */
function codeFingerprint(): string {
  if (sourcesHash) return sourcesHash;
  const hash = createHash('sha1');
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(here).sort())
    if (/\.(ts|js)$/.test(name)) hash.update(name).update(readFileSync(join(here, name)));
  try {
    hash.update(readFileSync(join(here, '../../package.json')));
  } catch {}
  sourcesHash = hash.digest('base64');
  return sourcesHash;
}

function configOf(options: BuildOptions): Config {
  const parsed = new URL(options.baseUrl);
  return {
    baseUrl: parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`,
    siteTitle: options.siteTitle ?? 'Hot Papers',
    liveEmbeds: options.liveEmbeds ?? false,
    dayPosts: options.dayPosts ?? 2,
    perPage: Math.max(1, options.daysPerPage ?? 10),
    feedItems: Math.max(1, options.feedItems ?? 30),
    pageSize: Math.max(1, options.categoryPageSize ?? 100),
  };
}

/** The engine fingerprint of a build: its code, templates, version and options (a change rebuilds all). */
export function engineFingerprint(options: BuildOptions): string {
  return contentHash(
    Buffer.from(JSON.stringify([codeFingerprint(), configOf(options), options.templateTag ?? ''])),
  );
}

/**
 * Build the next generation into `out`, reusing the previous one where its manifest says nothing
 * changed. Throws StaleGenerationError when a kept file is missing from the previous generation.
 */
export function buildGeneration(
  source: SiteSource,
  options: BuildOptions,
  out: GenerationOutput,
): BuildStats {
  const cfg = configOf(options);
  const engine = engineFingerprint(options);
  const prev =
    out.previous?.engine === engine && out.previous.version === MANIFEST_VERSION ? out.previous : undefined;
  const stats: BuildStats = {
    days: 0,
    papers: 0,
    full: prev === undefined,
    daysLoaded: 0,
    rendered: 0,
    fresh: 0,
    kept: 0,
    writtenPaths: [],
    rising: 'none',
    warnings: [],
  };
  const files = new FileTable();
  // What the manifest must look at again: the entries this build set (the others are copies).
  if (prev) files.trackSets();
  const shell: ShellContext & { liveEmbeds: boolean } = {
    siteTitle: cfg.siteTitle,
    baseUrl: cfg.baseUrl,
    liveEmbeds: cfg.liveEmbeds,
  };
  const mainFeeds = {
    atom: paths.feed('atom'),
    rss: paths.feed('rss'),
    json: paths.feed('json'),
    label: cfg.siteTitle,
  };

  // With no previous generation to compare with, rendered texts are encoded and hashed by the
  // writer (its thread), not here: their hashes are only needed for the manifest, at the end.
  // Their entries have the hash '' until then (no set of their paths is held besides).
  let hashLater = prev === undefined && out.writeHashed !== undefined;
  /** Hand a rendered file over: kept when the previous generation has the same bytes, else written. */
  const put = (path: string, data: string | Buffer | Buffer[], owner: string, math = false, now = false) => {
    if (hashLater && typeof data === 'string' && !now) {
      stats.rendered++;
      out.writeHashed!(path, data);
      stats.fresh++;
      stats.writtenPaths.push(path);
      files.set(path, ['', owner, math ? 1 : 0]);
      return;
    }
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const hash = contentHash(bytes);
    stats.rendered++;
    if (prev?.files.hash(path) === hash && !files.has(path)) {
      if (!out.keep(path)) throw new StaleGenerationError(`${path} is missing from the previous site`);
      stats.kept++;
    } else {
      out.write(path, bytes, now);
      stats.fresh++;
      stats.writtenPaths.push(path);
    }
    files.set(path, [hash, owner, math ? 1 : 0]);
  };
  const emit = (spec: PageSpec, owner: string) => {
    const math = spec.body.includes('class="katex"');
    put(spec.path, renderPage({ ...spec, math, feeds: spec.feeds ?? mainFeeds }, shell), owner, math);
  };
  // What every page's shell links to (the current week and month): part of each list page's key.
  const shellKey = () => `${shell.thisWeek ?? ''}|${shell.thisMonth ?? ''}`;
  /**
   * A list page made from `key` alone: kept without rendering when the previous generation made
   * it from the same key (old index, category and window pages do not change once full).
   */
  const keyedFile: KeyedFile = (path, key, make) => {
    const k = contentHash(Buffer.from(`${shellKey()}\n${key}`));
    const before = prev?.files.get(path);
    if (before && before[3] === k && !files.has(path) && out.keep(path)) {
      stats.kept++;
      files.copy(prev!.files, path);
      return;
    }
    make();
    const made = files.get(path)!;
    files.set(path, [made[0], made[1], made[2], k]);
  };
  const keyed: Keyed = (path, key, spec) => keyedFile(path, key, () => emit(spec(), ''));
  /** Wait for the writer thread and give the entries it hashed their hashes (a full build). */
  const settleHashes = () => {
    const hashes = out.writtenHashes!();
    for (const path of files.paths()) {
      if (files.hash(path) !== '') continue;
      const entry = files.get(path)!;
      entry[0] = hashes.get(path) ?? '';
      files.set(path, entry);
    }
  };

  // 1. The days, what changed since the previous generation, what the store gained.
  const listed = source.days();
  stats.warnings.push(...listed.warnings);
  let refs = listed.refs;
  const prevDays = new Map((prev?.days ?? []).map((d) => [d.day, d]));
  const prevNav = navOf(prev?.days.map((d) => d.day) ?? []);
  const changes = source.changes(prev?.marks);
  // "This week" / "This month" in the navigation: stable pages that always show the current
  // window, so the shell of every page is the same from one week to the next (a kept day page
  // never links a past week, and a new week does not rewrite every page).
  if (refs.length > 0) {
    shell.thisWeek = windowPaths.current('week');
    shell.thisMonth = windowPaths.current('month');
  }

  const summaries = new Map<string, ManifestDay>();
  const contentChanged = new Set<string>();
  const reload = new Set<string>();
  // Days ranking a paper whose enrichment changed: their pages show its TL;DR, code and stars.
  const enrichedDays = new Set<string>();
  if (changes.enriched && changes.enriched.size > 0)
    for (const d of prev?.days ?? [])
      if (d.digest.papers.some((r) => changes.enriched!.has(r.paper.id))) enrichedDays.add(d.day);
  const planReload = () => {
    const nav = navOf(refs.map((r) => r.day));
    for (const r of refs) {
      const before = prevDays.get(r.day);
      // The store cannot say what changed since the last build: redo every day and paper.
      if (
        !before ||
        before.fingerprint !== r.fingerprint ||
        r.fingerprint === '' ||
        changes.papers === 'all'
      ) {
        contentChanged.add(r.day);
        reload.add(r.day);
      } else if (enrichedDays.has(r.day) || prevNav.get(r.day)?.join() !== nav.get(r.day)?.join())
        reload.add(r.day);
    }
  };
  planReload();

  // Papers whose pages may change: those ranked on changed or removed days, and the store's.
  const live = new Set(refs.map((r) => r.day));
  const touched = new Set<string>();
  for (const d of prev?.days ?? [])
    if (!live.has(d.day) || contentChanged.has(d.day))
      for (const r of d.digest.papers) touched.add(r.paper.id);
  if (changes.papers !== 'all') for (const id of changes.papers) touched.add(id);

  // Every paper's rankings, newest first, from the kept days (reloaded days are added as read).
  const appearances = new Appearances();
  for (const r of refs) {
    if (reload.has(r.day)) continue;
    const kept = prevDays.get(r.day)!;
    summaries.set(r.day, kept);
    appearances.add(kept);
  }

  const ctxOf = (slice: DaySlice): PageContext => ({
    siteTitle: cfg.siteTitle,
    baseUrl: cfg.baseUrl,
    liveEmbeds: cfg.liveEmbeds,
    dayPosts: cfg.dayPosts,
    embeds: slice.embeds,
    enrichments: slice.enrichments,
    thumbs: slice.thumbs,
  });
  /** The thumbnail files of `ids` (once per build whoever shows them); the first one's path. */
  const putThumbs = (slice: DaySlice, ids: readonly string[], owner: string): string | undefined => {
    let first: string | undefined;
    for (const id of ids) {
      const t = slice.thumbs?.get(id);
      if (!t) continue;
      first ??= t.path;
      if (!files.has(t.path)) put(t.path, t.data, owner);
    }
    return first;
  };
  const renderedPapers = new Set<string>();
  const renderPaper = (ranked: RankedPaper, slice: DaySlice, ctx: PageContext) => {
    const id = ranked.paper.id;
    const list = appearances.get(id);
    const latest: Appearance = { day: slice.day, ranked };
    const older = list.filter((a) => a.day.day < slice.day.day);
    const paper = ranked.paper;
    const image = putThumbs(slice, [id], `p:${id}`);
    emit(
      {
        path: paths.paper(id),
        image,
        ogType: 'article',
        title: paper.title,
        description: `${authorsText(paper.authors, 5)}. Ranked #${ranked.rank} on ${slice.day.day}.`,
        body: paperBody([latest, ...older], slice.papers.get(id), ctx),
      },
      `p:${id}`,
    );
    renderedPapers.add(id);
  };

  // 2. Reload the changed days, oldest first: day page, search fragment, papers ranked last that day.
  /** Days whose search fragment this build wrote (read back for the index). */
  const fragments = new Set<string>();
  const refOf = new Map(refs.map((r) => [r.day, r]));
  const failed = new Set<string>();
  /** The pager each day page was rendered with (to redo those next to a day left out). */
  const navUsed = new Map<string, string>();
  const renderDay = (slice: DaySlice, nav: [string | undefined, string | undefined]) => {
    const day = slice.day;
    navUsed.set(day.day, nav.join());
    const image = putThumbs(
      slice,
      day.digest.papers.map((r) => r.paper.id),
      `d:${day.day}`,
    );
    emit(
      {
        path: paths.day(day.day),
        image,
        title: `Hot papers of ${longDay(day.day)}${day.horizon ? ` (counts at ${day.horizon})` : ''}`,
        description: topTitles(day.digest.papers, 3),
        body: dayBody(
          day,
          { newer: nav[0] ? { day: nav[0] } : undefined, older: nav[1] ? { day: nav[1] } : undefined },
          ctxOf(slice),
        ),
        section: 'latest',
      },
      `d:${day.day}`,
    );
  };
  const navNow = navOf(refs.map((r) => r.day));
  // A full build makes its search index on a thread of its own, from the fragments as they come.
  const searchThread =
    hashLater && reload.size >= searchThreadPolicy.minDays
      ? startSearchThread(refs[0]!.day, (path, data, owner) => put(path, data, owner))
      : undefined;
  for (const dayName of [...reload].sort()) {
    const ref = refOf.get(dayName)!;
    const slice = source.loadDay(ref);
    stats.daysLoaded++;
    if (typeof slice === 'string') {
      stats.warnings.push(slice);
      failed.add(dayName);
      continue;
    }
    const summary = { ...listDay(slice.day), fingerprint: ref.fingerprint };
    summaries.set(dayName, summary);
    appearances.add(summary);
    const ctx = ctxOf(slice);
    renderDay(slice, navNow.get(dayName)!);
    const docs: string[] = [];
    for (const r of slice.day.digest.papers) {
      const e = slice.enrichments?.get(r.paper.id);
      const entry: SearchEntry = {
        paper: {
          id: r.paper.id,
          title: r.paper.title,
          abstract: r.paper.abstract,
          authors: r.paper.authors,
          categories: r.paper.categories,
        },
        day: dayName,
        rank: r.rank,
        score: r.score,
        summary: e?.aiSummary,
        keywords: e?.aiKeywords,
      };
      docs.push(`${r.paper.id}\t${JSON.stringify(entry)}`);
      if (!contentChanged.has(dayName) && !touched.has(r.paper.id)) continue;
      touched.add(r.paper.id);
      // Rendered here when no newer ranking is known; a newer reloaded day renders it again.
      if (appearances.latest(r.paper.id)!.day.day === dayName) renderPaper(r, slice, ctx);
    }
    // Written, not kept in memory: the next build's index, or this one's when made on this thread,
    // reads it back. In a full build the writer thread writes (and hashes) it like any page, and
    // the search thread gets it now.
    fragments.add(dayName);
    const fragment = docs.join('\n');
    searchThread?.add(dayName, fragment);
    put(
      `${FRAGMENTS}/${dayName}.txt`,
      hashLater ? fragment : Buffer.from(fragment),
      `d:${dayName}`,
      false,
      !hashLater,
    );
  }
  if (failed.size > 0) {
    // Unreadable days are left out; the pagers next to them must skip them too.
    refs = refs.filter((r) => !failed.has(r.day));
    const nav = navOf(refs.map((r) => r.day));
    for (const r of refs) {
      const want = nav.get(r.day)!;
      const had = navUsed.get(r.day) ?? prevNav.get(r.day)?.join();
      if (had === want.join()) continue;
      const slice = source.loadDay(r);
      stats.daysLoaded++;
      if (typeof slice !== 'string') renderDay(slice, want);
    }
  }

  // 3. Touched papers whose latest ranking is on a day not reloaded: read that day for them.
  const byLatest = new Map<string, string[]>();
  for (const id of touched) {
    if (renderedPapers.has(id)) continue;
    const latest = appearances.latest(id);
    if (!latest || failed.has(latest.day.day)) continue;
    const list = byLatest.get(latest.day.day) ?? [];
    list.push(id);
    byLatest.set(latest.day.day, list);
  }
  for (const [dayName, ids] of [...byLatest].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const slice = source.loadDay(refOf.get(dayName)!);
    stats.daysLoaded++;
    if (typeof slice === 'string') {
      stats.warnings.push(slice);
      continue;
    }
    const wanted = new Set(ids);
    const ctx = ctxOf(slice);
    for (const r of slice.day.digest.papers) if (wanted.has(r.paper.id)) renderPaper(r, slice, ctx);
  }
  // Whether every touched paper still ranked was rendered again (its entries set anew): the
  // manifest then looks only at the entries this build set.
  let allTouchedRendered = true;
  for (const id of touched) if (!renderedPapers.has(id) && appearances.has(id)) allTouchedRendered = false;
  // Only the steps above read these (a full build of 3,000 days puts 75,000 papers in each).
  touched.clear();
  renderedPapers.clear();

  /** Keep the previous generation's file at `path` unchanged, with its entry. */
  const keepPrevious = (path: string) => {
    if (!out.keep(path)) throw new StaleGenerationError(`${path} is missing from the previous site`);
    stats.kept++;
    files.copy(prev!.files, path);
  };
  /** Keep every file of the previous generation that `owner` made, unchanged. */
  const keepOwned = (owner: string) => {
    if (!prev) return;
    // No paper page has another owner: the paper slices not parsed are not looked at.
    for (const [path, v] of prev.files.heldEntries())
      if (ownerOf(v) === owner && !files.has(path)) keepPrevious(path);
  };

  // 4. Every list page, from the ListDays alone.
  const days = refs.map((r) => summaries.get(r.day)).filter((d): d is ManifestDay => d !== undefined);
  const liveDays = new Set(days.map((d) => d.day));
  const dayNames = days.map((d) => d.day);
  const masks = maskedBySegment(rankingDays(appearances.repeated()), days[0]?.day ?? '');
  // The search thread has made all but the last segment: it ends before the list pages, and its
  // memory is freed while they are made.
  const threaded = searchThread?.finish(dayNames, masks, FRAGMENTS);
  const dirty =
    prev && failed.size === 0 && changes.papers !== 'all'
      ? listDirty(
          days[0]?.day,
          [...contentChanged, ...prev.days.filter((d) => !liveDays.has(d.day)).map((d) => d.day)],
          (day) => summaries.get(day),
          (day) => prevDays.get(day),
          appearances,
          prev.days[0]?.day,
        )
      : undefined;
  /** Keep list pages of the previous generation as they are: all of them, or none (false). */
  const keepLists = (paths: readonly string[]): boolean => {
    if (!paths.every((path) => prev?.files.has(path) && !files.has(path))) return false;
    for (const path of paths) keepPrevious(path);
    return true;
  };
  const lists = listPages(
    days,
    appearances,
    cfg,
    put,
    keyed,
    keyedFile,
    dirty && { ...dirty, keep: keepLists, had: (path) => prev!.files.has(path) },
  );

  // The rising pages: redone when their signature changed or the store gained rows for one of
  // their papers; else kept as they are, without reading a snapshot.
  let rising: string | undefined;
  if (days.length > 0) {
    const candidates = risingCandidates(days, appearances);
    rising = risingSignature(days, lists.categories);
    const same =
      prev?.rising === rising &&
      changes.papers !== 'all' &&
      !candidates.some((a) => (changes.papers as ReadonlySet<string>).has(a.ranked.paper.id));
    stats.rising = same ? 'kept' : 'rendered';
    if (same) keepOwned(RISING_OWNER);
    else
      renderRising(
        candidates,
        source.histories(candidates.map((a) => a.ranked.paper.id)),
        lists.categories,
        lists.nav,
        lists.categoryNav,
        (spec) => emit(spec, RISING_OWNER),
      );
  }
  // The search index, a time segment at a time (search-build.ts): a segment whose days'
  // fragments and re-ranked papers did not change is kept whole, unread.
  for (const d of days) {
    const path = `${FRAGMENTS}/${d.day}.txt`;
    if (fragments.has(d.day)) continue;
    if (!prev?.files.has(path) || !out.keep(path))
      throw new StaleGenerationError(`the search fragment of ${d.day} is missing`);
    files.copy(prev.files, path);
  }
  const segmentFiles = new Map<string, string[]>();
  for (const [path, v] of prev?.files.heldEntries() ?? []) {
    if (ownerKind(v) !== 's') continue;
    const owner = ownerOf(v);
    const list = segmentFiles.get(owner);
    if (list) list.push(path);
    else segmentFiles.set(owner, [path]);
  }
  /** The content hash of a day's search fragment (a segment's key is made from them). */
  const fragmentHash = (day: string) => files.hash(`${FRAGMENTS}/${day}.txt`)!;
  // The segments the search thread did not make are made here, from the fragments read back:
  // first wait for the writer thread to write (and hash) them.
  const unmade = threaded ? threaded.rebuild : dayNames;
  if (hashLater && unmade.length > 0) settleHashes();
  const segments = [
    ...(threaded?.segments ?? []),
    ...buildSearchSegments(unmade, dayNames[0] ?? '', masks, FRAGMENTS, {
      // A fragment rendered again with the same bytes was kept, not written: it is the previous one.
      fragment: (day) => {
        const path = `${FRAGMENTS}/${day}.txt`;
        const data = (fragments.has(day) ? out.readCurrent(path) : undefined) ?? out.readPrevious(path);
        if (data === undefined) throw new StaleGenerationError(`the search fragment of ${day} is missing`);
        return data;
      },
      fragmentHash,
      readPrevious: (path) => (prev?.files.has(path) ? out.readPrevious(path) : undefined),
      keepOwned: (owner) => {
        for (const path of segmentFiles.get(owner) ?? []) keepPrevious(path);
      },
      put: (path, data, owner) => put(path, data, owner),
    }),
  ];
  put(SEARCH_META_PATH, searchMeta(segments), '');
  const index = { docs: segments.reduce((a, s) => a + s.docs - s.masked, 0) };

  put(SEARCH_JS_PATH, SEARCH_JS, '');
  emit(
    {
      path: paths.search(),
      title: 'Search',
      body: searchBody(index.docs),
      section: 'search',
      noHeaderSearch: true,
      // The script runs first (it marks the page as scripted before the body is drawn); the
      // small meta script is deferred, so it is ready before the DOMContentLoaded handler. The
      // index's buckets and chunks are loaded on demand, by the words of each query.
      scripts: [{ src: SEARCH_JS_PATH }, { src: SEARCH_META_PATH, defer: true }],
    },
    '',
  );

  // 5. Keep the previous generation's day and paper files nothing above replaced. The paths of
  // the previous generation left out are noted: only those can be gone from this one (the
  // manifest and the removals look at them, not at every path again).
  const absent: string[] = [];
  if (prev) {
    // With no day gone or unreadable, every day's files live on, and every paper's unless a
    // changed day's paper is ranked nowhere now: no owner needs to be looked up.
    const daysLive = dirty !== undefined && prev.days.every((d) => liveDays.has(d.day));
    const papersLive = daysLive && [...dirty!.papers].every((id) => appearances.has(id));
    let entries = prev.files.rawEntries();
    if (papersLive && out.keepUnread) {
      // A paper slice not parsed by now holds only pages of papers this build did not render
      // (rendering one looks its previous entry up, which parses its slice): with every paper
      // still ranked, each such page is kept, so the slice is taken over whole, unparsed.
      const inherited = files.inherit(prev.files);
      out.keepUnread(inherited);
      stats.kept += inherited;
      entries = prev.files.heldEntries();
    }
    for (const [path, v] of entries) {
      if (files.has(path)) continue;
      const kind = ownerKind(v);
      if (kind !== 'd' && kind !== 'p') {
        absent.push(path);
        continue;
      }
      if (!(kind === 'd' ? daysLive : papersLive)) {
        const owner = ownerOf(v).slice(2);
        const alive = kind === 'd' ? liveDays.has(owner) : appearances.has(owner) && !failedOnly(owner);
        if (!alive) {
          absent.push(path);
          continue;
        }
      }
      keepPrevious(path);
    }
  }
  function failedOnly(id: string): boolean {
    return appearances.get(id).every((a) => failed.has(a.day.day));
  }

  // 6. Assets and the marker; KaTeX only when some page of the site uses math.
  put(CSS_PATH, SITE_CSS, '');
  if (files.anyMath()) for (const [path, data] of katexAssets()) put(path, Buffer.from(data), '');
  put(SITE_MARKER, 'This folder is written by `hotpapers site`; it is replaced whole on every build.\n', '');

  if (hashLater) {
    // The manifest needs every hash: wait for the writer's; its own slices are hashed here.
    settleHashes();
    hashLater = false;
  }
  // The threaded index's summaries carry keys made from the fragments' hashes, known only now.
  threaded?.putSummaries(fragmentHash);
  writeManifest(
    {
      version: MANIFEST_VERSION,
      engine,
      marks: changes.marks,
      days,
      files,
      ...(rising ? { rising } : {}),
    },
    (id) => appearances.latest(id)?.day.day,
    (path, data) => put(path, data, ''),
    (data) => {
      // Files of the previous generation that this one no longer has, its slices included (a
      // folder updated in place keeps them otherwise).
      for (const path of absent) if (!files.has(path)) out.remove(path);
      out.remove(MANIFEST_PATH);
      out.append(MANIFEST_PATH, data);
    },
    prev && {
      manifest: prev,
      // A slice nothing changed is kept unread (as a kept page is).
      keep: (name) => {
        if (!prev.files.has(name) || !out.keep(name)) return false;
        stats.kept++;
        files.copy(prev.files, name);
        return true;
      },
      // Only a paper ranked on a day that appeared, changed or went has a new latest ranking,
      // and each such paper's pages were rendered again above (step 2 or 3), or are gone.
      ...(dirty && allTouchedRendered ? { moved: (id: string) => dirty.papers.has(id) } : {}),
      absent,
    },
  );
  stats.days = days.length;
  stats.papers = 0;
  for (const [, list] of appearances.lists()) if (!list.every((a) => failed.has(a.day.day))) stats.papers++;
  return stats;
}

/** Newer and older neighbour of each day in a newest-first list. */
function navOf(order: readonly string[]): Map<string, [string | undefined, string | undefined]> {
  const nav = new Map<string, [string | undefined, string | undefined]>();
  order.forEach((d, i) => {
    nav.set(d, [order[i - 1], order[i + 1]]);
  });
  return nav;
}

/**
 * What list pages keep of a day (plain data, stored in the manifest): the engine holds one per
 * day of the history, so it is kept small (authors as one line, category lists shared).
 */
function listDay(day: DaySlice['day']): ListDay {
  const d = day.digest;
  return compactDay({
    day: day.day,
    categoriesKey: day.categoriesKey,
    horizon: day.horizon,
    digest: {
      categories: d.categories,
      observedAt: d.observedAt,
      ...(d.announcedAt ? { announcedAt: d.announcedAt } : {}),
      listed: d.listed,
      postsFound: d.postsFound,
      papers: d.papers.map((r) => ({
        rank: r.rank,
        score: r.score,
        paper: {
          id: r.paper.id,
          title: r.paper.title,
          categories: r.paper.categories,
          primaryCategory: r.paper.primaryCategory,
        },
      })),
    },
    // One line per paper: a line break inside a name (outside data) becomes a space.
    authors: packLines(
      d.papers.map((r) => authorsText(r.paper.authors, AUTHORS_SHOWN).replace(/[\r\n]+/g, ' ')),
    ),
  });
}

/** Keys already made in this process, by day (each is asked for by many list pages). */
const dayKeys = new WeakMap<ListDay, string>();

/** What a list page keys a day by: its digest row's fingerprint (never equal when unknown). */
function dayKey(day: ListDay): string {
  let key = dayKeys.get(day);
  if (key === undefined) {
    const fingerprint = (day as Partial<ManifestDay>).fingerprint;
    key = fingerprint ? `${day.day}:${fingerprint}` : `${day.day}:${Math.random()}`;
    dayKeys.set(day, key);
  }
  return key;
}

/** What a list page keys a paper's ranking by: the paper and its day's key. */
function appearanceKey(a: ListAppearance): string {
  // Made once per ranking (every list page showing it joins it again); joined, not
  // concatenated, so it is kept flat.
  a.key ??= [a.ranked.paper.id, '@', dayKey(a.day)].join('');
  return a.key;
}

/** The window kinds with past pages of their own (`all` has one page). */
const PAST_KINDS = ['week', 'month', 'year'] as const;

/**
 * What list pages may show differently from the previous generation: the categories and the
 * window keys of every ranking of a paper ranked on a day that appeared, changed or went (its
 * old and new rankings), and the windows of the newest day before and now. A list page outside
 * these shows the same rankings as before and is kept without being keyed: one new day costs
 * the categories and windows it touches, not every one of the history.
 */
interface ListDirty {
  /** The papers ranked on those days, before or now (the only ones whose latest ranking moved). */
  papers: ReadonlySet<string>;
  /** Per category, the day and rank of each of its rankings that appeared, changed or went. */
  categories: ReadonlyMap<string, Array<[string, number]>>;
  /** Whether the current week, month or year moved (every category's window pages change). */
  moved: boolean;
  /** Per kind, the window keys whose pages may change (before their neighbours are added). */
  windows: Record<(typeof PAST_KINDS)[number], ReadonlySet<string>>;
}

function listDirty(
  newest: string | undefined,
  changedDays: readonly string[],
  summaryOf: (day: string) => ListDay | undefined,
  previousOf: (day: string) => ListDay | undefined,
  appearances: Appearances,
  newestBefore: string | undefined,
): ListDirty {
  const categories = new Map<string, Array<[string, number]>>();
  const windows = { week: new Set<string>(), month: new Set<string>(), year: new Set<string>() };
  const mark = (cats: readonly string[], day: string, rank: number) => {
    for (const c of cats) {
      const list = categories.get(c);
      if (list) list.push([day, rank]);
      else categories.set(c, [[day, rank]]);
    }
    for (const kind of PAST_KINDS) windows[kind].add(windowOf(kind, day).key);
  };
  const papers = new Set<string>();
  for (const day of changedDays) {
    for (const r of summaryOf(day)?.digest.papers ?? []) papers.add(r.paper.id);
    // The day's rankings as the previous generation listed them (gone or replaced now).
    for (const r of previousOf(day)?.digest.papers ?? []) {
      papers.add(r.paper.id);
      mark(r.paper.categories, day, r.rank);
    }
  }
  // Every ranking of such a paper: its latest one before and now is among them.
  for (const id of papers)
    for (const a of appearances.get(id)) mark(a.ranked.paper.categories, a.day.day, a.ranked.rank);
  let moved = newest === undefined || newestBefore === undefined;
  for (const kind of PAST_KINDS) {
    // The current window's page changes with the newest day's window, and so do its neighbours.
    for (const day of [newest, newestBefore]) if (day) windows[kind].add(windowOf(kind, day).key);
    if (newest && newestBefore && windowOf(kind, newest).key !== windowOf(kind, newestBefore).key)
      moved = true;
  }
  return { papers, categories, moved, windows };
}

/**
 * The first anchored page of a category (1 = its oldest papers) that may differ from the
 * previous generation's: the one holding the oldest changed ranking (every newer paper moves
 * when one appears or goes), and the newest page before and now (its "newer" link changes when
 * the count of pages does). `list` is newest first; `had(k)`: the previous generation has page k.
 */
function firstChangedPage(
  list: readonly ListAppearance[],
  changed: ReadonlyArray<[string, number]>,
  size: number,
  pages: number,
  had: (k: number) => boolean,
): number {
  if (pages === 0) return 1;
  let first = pages;
  for (const [day, rank] of changed) {
    // Papers older than this ranking (an earlier day, or a lower place on the same day).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const a = list[mid]!;
      if (a.day.day > day || (a.day.day === day && a.ranked.rank <= rank)) lo = mid + 1;
      else hi = mid;
    }
    first = Math.min(first, Math.floor((list.length - lo) / size) + 1);
  }
  // The previous newest page: the last one the previous generation has.
  let before = pages;
  if (had(before)) while (had(before + 1)) before++;
  else while (before > 0 && !had(before)) before--;
  if (before > 0 && before !== pages) first = Math.min(first, before);
  return Math.max(1, first);
}

/** Papers per window page (top of a week, month, year, all time). */
const WINDOW_SIZE = 100;

type Keyed = (path: string, key: string, spec: () => PageSpec) => void;
/** Make the file at `path` (through put or emit) unless the previous generation made it from the same key. */
type KeyedFile = (path: string, key: string, make: () => void) => void;
type Put = (path: string, data: string | Buffer | Buffer[], owner: string, math?: boolean) => void;

/**
 * The LIST producers: index, archive and months, categories with their pages and feeds, site
 * feeds, 404. Returns the window links and each category's (the rising pages use them).
 */
function listPages(
  days: readonly ListDay[],
  appearances: Appearances,
  cfg: Config,
  put: Put,
  keyed: Keyed,
  keyedFile: KeyedFile,
  dirty?: ListDirty & {
    keep: (paths: readonly string[]) => boolean;
    /** Whether the previous generation has the file. */
    had: (path: string) => boolean;
  },
): { nav: WindowLinks; categories: string[]; categoryNav: (cat: string) => WindowLinks } {
  // The windows of the newest day (linked from the index, the windows and the navigation), by
  // their stable paths (windowPaths.current).
  const newestDay = days[0]?.day;
  const windowLinks: WindowLinks = newestDay
    ? {
        week: windowPaths.current('week'),
        month: windowPaths.current('month'),
        year: windowPaths.current('year'),
        all: windowPaths.window({ kind: 'all', key: 'all' }),
        rising: windowPaths.rising(),
      }
    : {};

  // The index: the newest days, then pages anchored at the oldest day (page 1 holds the oldest
  // days, page N always the same days once full), so a new day changes the index and the newest
  // page only. Each page is newest first; "older" goes down to page 1, "newer" up to the index.
  const perPage = cfg.perPage;
  const anchored = days.length > perPage ? Math.ceil(days.length / perPage) : 0;
  /** Newest first: the days of anchored page k (1-based). */
  const pageDays = (k: number) =>
    days.slice(Math.max(0, days.length - k * perPage), days.length - (k - 1) * perPage);
  const olderOfIndex = anchored > 0 ? Math.floor((days.length - 1 - perPage) / perPage) + 1 : undefined;
  // Every list page is keyed by what it shows: a build renders only those whose inputs changed.
  keyed(
    paths.index(),
    `${olderOfIndex}|${newestDay ? 1 : 0}|${days.slice(0, perPage).map(dayKey).join()}`,
    () => ({
      path: paths.index(),
      title: cfg.siteTitle,
      description: 'The new arXiv papers people are talking about, day by day.',
      body: indexBody(days.slice(0, perPage), { older: olderOfIndex }, windowLinks),
      section: 'latest',
    }),
  );
  for (let k = 1; k <= anchored; k++) {
    const list = pageDays(k);
    const newer = k < anchored ? k + 1 : 0;
    keyed(paths.index(k), `${k}|${newer}|${list.map(dayKey).join()}`, () => ({
      path: paths.index(k),
      title: `${cfg.siteTitle}, page ${k}`,
      description: 'The new arXiv papers people are talking about, day by day.',
      body: indexBody(list, { page: k, newer, older: k > 1 ? k - 1 : undefined }, windowLinks),
      section: 'latest',
    }));
  }

  // Monthly archive.
  const months = new Map<string, ListDay[]>();
  for (const day of days) {
    const m = day.day.slice(0, 7);
    const list = months.get(m);
    if (list) list.push(day);
    else months.set(m, [day]);
  }
  keyed(paths.archive(), [...months].map(([m, list]) => `${m}:${list.length}`).join(), () => ({
    path: paths.archive(),
    title: 'Archive',
    body: archiveBody([...months]),
    section: 'archive',
  }));
  for (const [m, list] of months)
    keyed(paths.month(m), list.map(dayKey).join(), () => ({
      path: paths.month(m),
      title: longMonth(m),
      body: monthBody(m, list),
      section: 'archive',
    }));

  // Each paper once, at its latest ranking, not sorted: a page takes the top of its own list by
  // score (topByScore), and a window's list is sorted only when its page is made (most are kept).
  const latest: ListAppearance[] = [];
  for (const a of appearances.latests()) latest.push(a);

  // Categories: each paper once, at its latest ranking (for the category windows), and newest
  // day first, then by rank (for the category pages). Every category is counted; the lists are
  // made for those whose pages may change (all without a previous generation).
  const listed = (cat: string) => !dirty || dirty.moved || dirty.categories.has(cat);
  const counts = new Map<string, number>();
  const byCategory = new Map<string, ListAppearance[]>();
  for (const a of latest)
    eachCategory(a.ranked.paper.categories, (cat) => {
      counts.set(cat, (counts.get(cat) ?? 0) + 1);
      if (!listed(cat)) return;
      const entries = byCategory.get(cat);
      if (entries) entries.push(a);
      else byCategory.set(cat, [a]);
    });
  /** A category's papers (in no order), and newest first (the same papers by day, then rank). */
  const listsOf = (cat: string): [ListAppearance[], ListAppearance[]] => {
    // Made now for a category whose kept pages turned out missing.
    const papers = byCategory.get(cat) ?? latest.filter((a) => a.ranked.paper.categories.includes(cat));
    const list = [...papers].sort((a, b) => compareDesc(a.day.day, b.day.day) || byRank(a.ranked, b.ranked));
    return [papers, list];
  };
  // Most active first (most ranked papers), then by code.
  const catList = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  keyed(paths.categories(), catList.map(([c, n]) => `${c}:${n}`).join('\n'), () => ({
    path: paths.categories(),
    title: 'Categories',
    body: categoriesBody(catList),
    section: 'categories',
  }));
  const categoryNav = (cat: string): WindowLinks =>
    newestDay
      ? {
          week: windowPaths.category(cat, 'week'),
          month: windowPaths.category(cat, 'month'),
          year: windowPaths.category(cat, 'year'),
          all: windowPaths.category(cat, 'all'),
          rising: windowPaths.categoryRising(cat),
        }
      : {};
  const size = cfg.pageSize;
  /** Pages of a category anchored at its oldest paper, past its latest page. */
  const anchoredOf = (n: number) => (n > size ? Math.ceil(n / size) : 0);
  /** Every file of a category's pages and feeds (its rising page is the rising producer's). */
  const categoryFiles = (cat: string, n: number): string[] => [
    ...(['week', 'month', 'year', 'all'] as const).map((kind) => windowPaths.category(cat, kind)),
    paths.category(cat),
    ...Array.from({ length: anchoredOf(n) }, (_, k) => paths.category(cat, k + 1)),
    ...(['atom', 'rss', 'json'] as const).map((k) => paths.categoryFeed(cat, k)),
  ];
  for (const [cat, n] of catList) {
    // A category no changed ranking is in keeps its files (all of them, or it is made again).
    if (!listed(cat) && dirty!.keep(categoryFiles(cat, n))) continue;
    const [papers, list] = listsOf(cat);
    const feeds = {
      atom: paths.categoryFeed(cat, 'atom'),
      rss: paths.categoryFeed(cat, 'rss'),
      json: paths.categoryFeed(cat, 'json'),
      label: `${cfg.siteTitle} in ${cat}`,
    };
    const catWindows = categoryNav(cat);
    for (const kind of ['week', 'month', 'year', 'all'] as const) {
      if (!newestDay) break;
      const current = windowOf(kind, newestDay).key;
      // No day is newer than the newest: the current window holds the days from its first on.
      const from = windowStart(kind, current);
      const items = kind === 'all' ? papers : papers.filter((a) => a.day.day >= from);
      const path = windowPaths.category(cat, kind);
      const shown = topByScore(items, WINDOW_SIZE);
      keyed(path, `${cat}\n${kind}|${current}|${items.length}|${shown.map(appearanceKey).join()}`, () => ({
        path,
        title: windowTitle(kind, current, cat),
        description: topTitles(
          shown.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, current, categoryLabel(cat)),
          leadHtml: `${num(items.length)} ranked paper${items.length === 1 ? '' : 's'} listed in ${escapeHtml(cat)}${kind === 'all' ? '' : ' in this period'}, each once, by score${items.length > WINDOW_SIZE ? ` (the top ${num(WINDOW_SIZE)} shown)` : ''}. <a href="${escapeHtml(relativeUrl(path, paths.category(cat)))}">All of ${escapeHtml(cat)}, newest first</a>.`,
          items: shown,
          nav: catWindows,
          current: kind,
        }),
        section: 'categories',
        feeds,
      }));
    }
    // Like the index: the latest papers, then pages anchored at the category's oldest paper.
    const anchoredPages = anchoredOf(list.length);
    const firstChanged = dirty
      ? firstChangedPage(list, dirty.categories.get(cat) ?? [], size, anchoredPages, (k) =>
          dirty.had(paths.category(cat, k)),
        )
      : 1;
    const olderOfLatest = anchoredPages > 0 ? Math.floor((list.length - 1 - size) / size) + 1 : undefined;
    const newest = list.slice(0, size);
    keyed(
      paths.category(cat),
      `${cat}\n${olderOfLatest}|${list.length}|${newest.map(appearanceKey).join()}`,
      () => ({
        path: paths.category(cat),
        title: categoryLabel(cat),
        body: categoryBody(
          cat,
          newest,
          { older: olderOfLatest },
          list.length,
          windowNav(paths.category(cat), catWindows),
        ),
        section: 'categories',
        feeds,
      }),
    );
    for (let k = 1; k <= anchoredPages; k++) {
      const items = list.slice(Math.max(0, list.length - k * size), list.length - (k - 1) * size);
      const newer = k < anchoredPages ? k + 1 : 0;
      const path = paths.category(cat, k);
      // Older than every changed ranking, with the same neighbours: the same page as before.
      if (k < firstChanged && dirty!.keep([path])) continue;
      keyed(path, `${k}|${newer}|${items.map(appearanceKey).join()}`, () => ({
        path,
        title: `${categoryLabel(cat)}, page ${k}`,
        body: categoryBody(cat, items, { page: k, newer, older: k > 1 ? k - 1 : undefined }, list.length),
        section: 'categories',
        feeds,
      }));
    }
    const feedItems = categoryFeedItems(list, cfg.feedItems);
    writeFeeds(
      put,
      keyedFile,
      `${cat}\n${feedItems.map(appearanceKey).join()}`,
      () => categoryFeed(cat, feedItems, cfg.baseUrl, cfg.siteTitle),
      (k) => paths.categoryFeed(cat, k),
    );
  }

  // Time windows: each paper once, at its latest ranking, by score.
  const kinds: Array<'week' | 'month' | 'year'> = ['week', 'month', 'year'];
  for (const kind of kinds) {
    // In no order within a window: sorted by score when its page is made.
    const groups = groupByWindow(latest, kind, true);
    const currentKey = newestDay ? windowOf(kind, newestDay).key : undefined;
    const link = (g: [string, unknown] | undefined): [string, string] | undefined =>
      g ? [g[0], windowPaths.window({ kind, key: g[0] })] : undefined;
    const windowPage = (path: string, key: string, list: ListAppearance[], i: number) => {
      const current = key === currentKey;
      list.sort(byScore);
      // A past window keeps its papers: kept unrendered unless a day of it or a neighbour changed.
      const inputs = [
        key,
        current,
        i < 0 ? groups[0]?.[0] : groups[i + 1]?.[0],
        i < 0 ? '' : groups[i - 1]?.[0],
        list.map(appearanceKey).join(),
      ].join('|');
      keyed(path, inputs, () => ({
        path,
        title: windowTitle(kind, key),
        description: topTitles(
          list.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, key),
          leadHtml: `${num(list.length)} ranked paper${list.length === 1 ? '' : 's'} announced in this period, each once, by score${list.length > WINDOW_SIZE ? ` (the top ${num(WINDOW_SIZE)} shown)` : ''}; with the day each was ranked and its rank that day.`,
          items: list.slice(0, WINDOW_SIZE),
          nav: windowLinks,
          current: current ? kind : undefined,
          older: link(i < 0 ? groups[0] : groups[i + 1]),
          newer: i < 0 ? undefined : link(groups[i - 1]),
        }),
        section: current && kind !== 'year' ? kind : 'top',
      }));
    };
    // A window none of whose rankings changed, nor its neighbours, nor whether it is the
    // current one, is kept as it is.
    const changed = dirty && new Set<string>();
    if (changed)
      groups.forEach(([key], i) => {
        if (
          dirty!.windows[kind].has(key) ||
          dirty!.windows[kind].has(groups[i - 1]?.[0] ?? '') ||
          dirty!.windows[kind].has(groups[i + 1]?.[0] ?? '')
        )
          changed.add(key);
      });
    // A window that lost all its rankings (gone from the groups) changes its neighbours' links.
    if (changed)
      for (const gone of dirty!.windows[kind]) {
        const i = groups.findIndex((g) => g[0] < gone);
        if (i > 0) changed.add(groups[i - 1]![0]);
        if (i >= 0) changed.add(groups[i]![0]);
        else if (groups.length > 0) changed.add(groups[groups.length - 1]![0]);
      }
    groups.forEach(([key, list], i) => {
      const path = windowPaths.window({ kind, key });
      if (changed && !changed.has(key) && dirty!.keep([path])) return;
      windowPage(path, key, list, i);
    });
    // The stable page of the current window (the newest day's; empty when that day ranks none).
    if (currentKey) {
      const i = groups.findIndex((g) => g[0] === currentKey);
      windowPage(windowPaths.current(kind), currentKey, i < 0 ? [] : groups[i]![1], i);
    }
  }
  if (newestDay) {
    const all = latest;
    const allPath = windowPaths.window({ kind: 'all', key: 'all' });
    const shown = topByScore(all, WINDOW_SIZE);
    keyed(allPath, `${all.length}|${shown.map(appearanceKey).join()}`, () => ({
      path: allPath,
      title: windowTitle('all', 'all'),
      description: topTitles(
        shown.slice(0, 3).map((a) => a.ranked),
        3,
      ),
      body: windowBody({
        path: allPath,
        title: windowTitle('all', 'all'),
        leadHtml: `The ${num(Math.min(WINDOW_SIZE, all.length))} highest-scoring of ${num(all.length)} ranked papers, each once, with the day each was ranked and its rank that day.`,
        items: shown,
        nav: windowLinks,
        current: 'all',
      }),
      section: 'top',
    }));
  }

  // Site feeds of the days.
  const feedDays = days.slice(0, cfg.feedItems);
  writeFeeds(
    put,
    keyedFile,
    feedDays.map(dayKey).join(),
    () => daysFeed(feedDays, cfg.baseUrl, cfg.siteTitle),
    paths.feed,
  );

  keyed('404.html', '', () => ({
    path: '404.html',
    title: 'Not found',
    body: `<h1>Not found</h1><p>No page here. Try the <a href="index.html">latest days</a> or the <a href="${escapeHtml(paths.archive())}">archive</a>.</p>`,
    section: 'none',
  }));
  return { nav: windowLinks, categories: catList.map(([c]) => c), categoryNav };
}

/** Rankings of one day in order: by rank, then (equal ranks) higher score, then id. */
function byRank(a: ListPaper, b: ListPaper): number {
  return (
    a.rank - b.rank || b.score - a.score || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0)
  );
}

/** Each of a paper's categories once (a list may name one twice). */
function eachCategory(cats: readonly string[], f: (cat: string) => void): void {
  for (let i = 0; i < cats.length; i++) if (i === 0 || cats.indexOf(cats[i]!) === i) f(cats[i]!);
}

function compareDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function topTitles(papers: readonly ListPaper[], n: number): string {
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

/** A ranked paper's authors as feeds show them (the first five, "and N more"). */
function listAuthors(day: ListDay, r: ListPaper): string {
  if (r.paper.authors) return authorsText(r.paper.authors, AUTHORS_SHOWN);
  return authorLines(day)[day.digest.papers.indexOf(r)] ?? '';
}

/** Unpacked author lines of the few days feeds show (a day is in up to a feed per category). */
const unpackedAuthors = new WeakMap<ListDay, string[]>();

function authorLines(day: ListDay): string[] {
  let lines = unpackedAuthors.get(day);
  if (!lines) {
    lines = day.authors === undefined ? [] : unpackLines(day.authors);
    unpackedAuthors.set(day, lines);
  }
  return lines;
}

/** Authors a feed names per paper. */
const AUTHORS_SHOWN = 5;

function papersHtml(day: ListDay, papers: readonly ListPaper[], baseUrl: string): string {
  const items = papers.map(
    (r) =>
      `<li><a href="${escapeHtml(absoluteUrl(baseUrl, paths.paper(r.paper.id)))}">${escapeHtml(r.paper.title)}</a> (score ${num(r.score)}; ${escapeHtml(listAuthors(day, r))}) <a href="${escapeHtml(absUrl(r.paper.id))}">arXiv</a></li>`,
  );
  return `<ol>${items.join('')}</ol>`;
}

function dayItem(
  day: ListDay,
  papers: readonly ListPaper[],
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
    contentHtml: `<p>${num(papers.length)} paper${papers.length === 1 ? '' : 's'} ranked by the posts that link them${day.horizon ? ` (counts at ${escapeHtml(day.horizon)})` : ''}.</p>${papersHtml(day, papers, baseUrl)}`,
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

function daysFeed(days: readonly ListDay[], baseUrl: string, siteTitle: string): FeedSpec {
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

/** The entries of a category's feed: those of its newest `max` days (the list is newest first). */
function categoryFeedItems(list: readonly ListAppearance[], max: number): ListAppearance[] {
  const out: ListAppearance[] = [];
  let days = 0;
  for (const a of list) {
    if (out.length === 0 || out[out.length - 1]!.day.day !== a.day.day) {
      if (days === max) break;
      days++;
    }
    out.push(a);
  }
  return out;
}

function categoryFeed(
  cat: string,
  list: readonly ListAppearance[],
  baseUrl: string,
  siteTitle: string,
): FeedSpec {
  const byDay = new Map<string, { day: ListDay; papers: ListPaper[] }>();
  for (const a of list) {
    const entry = byDay.get(a.day.day);
    if (entry) entry.papers.push(a.ranked);
    else byDay.set(a.day.day, { day: a.day, papers: [a.ranked] });
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

/** The three feeds of `spec`, each rendered only when its key changed. */
function writeFeeds(
  put: Put,
  keyedFile: KeyedFile,
  key: string,
  spec: () => FeedSpec,
  pathOf: (k: FeedKind) => string,
): void {
  let made: FeedSpec | undefined;
  const feed = () => {
    made ??= spec();
    return made;
  };
  keyedFile(pathOf('atom'), key, () => put(pathOf('atom'), atomFeed(feed()), ''));
  keyedFile(pathOf('rss'), key, () => put(pathOf('rss'), rssFeed(feed()), ''));
  keyedFile(pathOf('json'), key, () => put(pathOf('json'), jsonFeed(feed()), ''));
}
