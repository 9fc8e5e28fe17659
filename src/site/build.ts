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
 *   from those ListDays and the list view (list-state.ts: per category and window, its count,
 *   newest and top papers), newest first: they never see a whole digest. A build that only
 *   adds days after the newest advances the previous list state with the new days' papers and
 *   reads the ListDays of the newest days only (and, for a paper of theirs ranked before, the
 *   days from the windows of its previous ranking on); any other build makes the state from
 *   every paper's latest ranking. A category, past window or anchored category page that no
 *   appeared, changed or removed day ranks a paper in is kept as it is without being keyed
 *   (listDirty); the others are keyed and rendered when their key changed.
 * - The manifest (`.hotpapers/manifest.json` in the site) keeps the ListDays (their ranked
 *   papers read when asked for), each day's
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
import { alignDays, byMonth } from './align.js';
import { CSS_PATH, katexAssets, SEARCH_JS_PATH, SITE_CSS } from './assets.js';
import { escapeHtml } from './escape.js';
import { keptFeedItems, packFeedIndex } from './feed-items.js';
import { type FeedHead, type FeedItem, feedBytes, itemBytes, itemTexts } from './feeds.js';
import {
  type Appearance,
  absUrl,
  authorsText,
  longDay,
  longMonth,
  num,
  type PageContext,
} from './fragments.js';
import { absoluteUrl, type PageSpec, renderTypesetPage, type ShellContext } from './layout.js';
import {
  advanceState,
  allTimePath,
  allTimeWindow,
  attachReserve,
  CATEGORY_KINDS,
  LISTS_PATH,
  type ListView,
  listPartPath,
  newestDaysLength,
  PAST_KINDS,
  parseAllTime,
  parsePart,
  parseStateFile,
  RESERVE_PATH,
  type ReadRange,
  type StateFile,
  serializeAllTime,
  serializePart,
  serializeReserve,
  serializeState,
  stateFromHistory,
  stateOfFile,
  type TopState,
  WINDOW_SIZE,
} from './list-state.js';
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
  type FileEntry,
  FileTable,
  FRAGMENTS,
  fragmentPath,
  MANIFEST_PATH,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestDay,
  ownerKind,
  ownerOf,
  StaleGenerationError,
  stampsOfDay,
  writeManifest,
} from './manifest.js';
import {
  Appearances,
  categoryKey,
  compactDay,
  FEED_KINDS,
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
import { type DayNav, dayBody, dayPagers, paperBody } from './pages.js';
import {
  type PutPage,
  paperTask,
  type RenderThread,
  renderThreadPolicy,
  startRenderThread,
} from './render-thread.js';
import { RISING_DAYS, RISING_OWNER, renderRising, risingCandidates, risingSignature } from './rising.js';
import { buildSearchSegments, searchThreadPolicy, startSearchThread } from './search-build.js';
import { SEARCH_JS } from './search-client.js';
import {
  maskedBySegment,
  SEARCH_META_PATH,
  type SearchEntry,
  searchMeta,
  segmenter,
} from './search-index.js';
import {
  monthUrls,
  robotsTxt,
  SITEMAP_MAX_URLS,
  type SitemapUrl,
  sitemapIndex,
  sitemapPaths,
  splitUrls,
  urlSet,
} from './sitemaps.js';
import { type DayRef, type DaySlice, modelSource, revisedPapers, type SiteSource } from './source.js';
import type { DirectWrites } from './threads.js';
import { windowOf, windowPaths, windowStart } from './windows.js';

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

/** What a build calls as it goes (not part of its options: they make the engine's fingerprint). */
export interface BuildHooks {
  /** Before each day it loads. */
  eachDay?: () => void;
}

/** Every file of the site, by site path (e.g. `days/2021-06-09.html`). */
export type SiteFiles = Map<string, string | Buffer>;

/** Site path of the marker that tells the writer a folder holds a hotpapers site. */
export const SITE_MARKER = '.hotpapers-site';

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
   * Optional, for a build with nothing to compare to: write a text (or bytes) whose content hash
   * the writer makes (on its own thread, with the encoding); `writtenHashes` gives them once all
   * are written.
   */
  writeHashed?(path: string, data: string | Buffer | Buffer[]): void;
  /** The content hashes (contentHash) of the files given to writeHashed, by site path. */
  writtenHashes?(): ReadonlyMap<string, string>;
  /**
   * Optional, with writeHashed: a way for the render thread to write its pages as writeHashed
   * does, without handing them to the builder's thread (see DirectWrites).
   */
  directWrites?(): DirectWrites;
  /** A page the render thread wrote through directWrites at `path` (as writeHashed's, in the order handed over). */
  noteHashed?(path: string): void;
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
  /** Of the rendered files, the paper pages rendered on the render thread (render-thread.ts). */
  renderedOnThread: number;
  fresh: number;
  kept: number;
  /** Site paths written fresh (for tests and the log). */
  writtenPaths: string[];
  /** The rising pages: rendered from the snapshots, kept from the previous generation, or none (no day). */
  rising: 'rendered' | 'kept' | 'none';
  /**
   * What the list pages were made from: the previous list state and the new days (`state`), or
   * every paper's latest ranking (`history`).
   */
  lists: 'state' | 'history';
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
  hooks: BuildHooks = {},
): BuildStats {
  const late: LateThreads = {};
  try {
    return build(source, options, out, hooks, late);
  } catch (error) {
    // A paper page thread still making its last pages must not write into a generation given up.
    late.render?.stop();
    throw error;
  }
}

/** A thread a build leaves working while it goes on: the paper page thread's last pages. */
interface LateThreads {
  render?: RenderThread;
}

function build(
  source: SiteSource,
  options: BuildOptions,
  out: GenerationOutput,
  hooks: BuildHooks,
  late: LateThreads,
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
    renderedOnThread: 0,
    fresh: 0,
    kept: 0,
    writtenPaths: [],
    rising: 'none',
    lists: 'history',
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
  /** Whether the render thread wrote pages itself that the writer may not have written yet (see renderPaper). */
  let threadWrites = false;
  /** A file's entry: its hash, owner and math flag, and its `key` when it has one. */
  const entryOf = (hash: string, owner: string, math: boolean, key: string | undefined): FileEntry =>
    key === undefined ? [hash, owner, math ? 1 : 0] : [hash, owner, math ? 1 : 0, key];
  /** Enter a file the writer thread writes and hashes (hashLater): its hash is '' until settleHashes. */
  const enterHashed = (path: string, owner: string, math: boolean, key: string | undefined) => {
    stats.rendered++;
    stats.fresh++;
    stats.writtenPaths.push(path);
    files.set(path, entryOf('', owner, math, key));
  };
  /**
   * Hand a rendered file over: kept when the previous generation has the same bytes, else
   * written. `key`: its entry's fourth field (a list page's key, see keyedFile; a paper page's
   * ranking days, see rankingDays).
   */
  const put = (
    path: string,
    data: string | Buffer | Buffer[],
    owner: string,
    math = false,
    now = false,
    key?: string,
  ) => {
    const entry = (hash: string) => entryOf(hash, owner, math, key);
    if (hashLater && !now) {
      out.writeHashed!(path, data);
      enterHashed(path, owner, math, key);
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
    files.set(path, entry(hash));
  };
  const emit = (spec: PageSpec, owner: string, key?: string) => {
    const [html, math] = renderTypesetPage({ ...spec, feeds: spec.feeds ?? mainFeeds }, shell);
    put(spec.path, html, owner, math, false, key);
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
    make(k);
  };
  const keyed: Keyed = (path, key, spec) => keyedFile(path, key, (k) => emit(spec(), '', k));
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
  // The store lists the days of the months from the oldest whose token is not the one the
  // previous generation kept on; the months before are that generation's (daysFor).
  const listed = source.days(prev?.daysFor ? prev.tokens : undefined);
  stats.warnings.push(...listed.warnings);
  let refs = listed.refs;
  // A month of the previous generation whose store rows did not change is not read (daysFor).
  const prevList = prev ? (prev.daysFor?.(refs, listed.since) ?? prev.days) : [];
  const since = listed.since;
  if (since !== undefined) refs = refs.concat(prevList.slice(countNewer(prevList, (d) => d.day >= since)));
  // Each of the store's days matched with the previous generation's (both newest first).
  const { at: prevAt, gone, tail } = alignDays(refs, prevList);
  /** A day's neighbours in the previous generation (undefined when it had not the day). */
  const prevNav = (day: string) => navIn(prevList, day);
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
  /** The previous generation's summary of each day whose content changed or that is gone. */
  const replaced = new Map<string, ManifestDay>(gone.map((d) => [d.day, d]));
  /** The days that ranked paper `id` in the previous generation, from its page's entry (see rankingDays). */
  const previousRankingDays = (id: string) => rankingDays(prev!.files.get(paths.paper(id)));
  // Days ranking a paper whose enrichment changed (their pages show its TL;DR, code and stars),
  // or one of whose shown posts did (its author, text, embed, deletion: migration 13).
  // Each paper page's entry names them, so the history's ranked papers are not read for it.
  const enrichedDays = new Set<string>();
  if (prev && changes.enriched && changes.enriched.size > 0) {
    const unknown = new Set<string>();
    for (const id of changes.enriched) {
      const days = previousRankingDays(id);
      if (days === undefined) unknown.add(id);
      else for (const day of days) enrichedDays.add(day);
    }
    // An entry that names no days (a day not a plain word, see rankingDaysKey): every day's
    // papers are looked at, as before.
    if (unknown.size > 0)
      for (const d of prevList)
        if (d.digest.papers.some((r) => unknown.has(r.paper.id))) enrichedDays.add(d.day);
  }
  /**
   * Days whose row is the same but some of whose papers by key have other rows now (a later
   * listing stored a newer version, another category): their summary before, and those papers.
   * Only these papers' pages and list entries change; the day's others stay as they were.
   */
  const revisedOn = new Map<string, { before: ManifestDay; ids: ReadonlySet<string> }>();
  /** Ranking `a` as the previous generation listed it: a revised paper's row then, else `a`. */
  const asBefore = (a: ListAppearance): ListAppearance => {
    const id = a.ranked.paper.id;
    const revised = revisedOn.get(a.day.day);
    const ranked = revised?.ids.has(id)
      ? revised.before.digest.papers.find((r) => r.paper.id === id)
      : undefined;
    return ranked ? { day: a.day, ranked, key: undefined } : a;
  };
  /** Each revised paper's rankings as the previous generation listed them. */
  const revisedBefore = () =>
    [...revisedOn.values()].flatMap(({ before, ids }) =>
      before.digest.papers.filter((r) => ids.has(r.paper.id)).map((ranked) => ({ day: before, ranked })),
    );
  /** Plan the store's day `i` (refs[i]): reloaded, changed, or kept as the previous generation's. */
  const planDay = (r: DayRef, i: number) => {
    const at = prevAt[i]!;
    const before = at < 0 ? undefined : prevList[at];
    // A day of a month whose token did not change is the previous generation's own (its
    // fingerprint is read only when asked for).
    const same = before === r;
    const revised =
      !same &&
      before &&
      r.fingerprint !== '' &&
      changes.papers !== 'all' &&
      before.fingerprint !== r.fingerprint
        ? revisedPapers(before.fingerprint, r.fingerprint)
        : undefined;
    if (revised) {
      revisedOn.set(r.day, { before: before!, ids: revised });
      reload.add(r.day);
      return;
    }
    // The store cannot say what changed since the last build: redo every day and paper.
    if (
      !before ||
      changes.papers === 'all' ||
      (!same && (before.fingerprint !== r.fingerprint || r.fingerprint === ''))
    ) {
      contentChanged.add(r.day);
      reload.add(r.day);
      if (before) replaced.set(r.day, before);
      return;
    }
    if (enrichedDays.has(r.day)) {
      reload.add(r.day);
      return;
    }
    // A pager changes with its neighbours (compared in place: a map of every day's costs more).
    const was = [prevList[at - 1]?.day, prevList[at + 1]?.day] as const;
    const now = [refs[i - 1]?.day, refs[i + 1]?.day] as const;
    if (was[0] === now[0] && was[1] === now[1]) return;
    // Only its pagers change: its previous page with them replaced, the day not read again.
    const page = repaged(r.day, was, now);
    if (page) repages.set(r.day, page);
    else reload.add(r.day);
  };
  /** Day pages whose pagers alone changed: the previous page with the new pagers, and its math flag. */
  const repages = new Map<string, { bytes: Buffer; math: boolean }>();
  const repaged = (day: string, before: DayNeighbours, now: DayNeighbours) => {
    const path = paths.day(day);
    const entry = prev?.files.get(path);
    const bytes = entry && out.readPrevious(path);
    const page =
      bytes && replacePagers(bytes, dayPagers(day, asDayNav(before)), dayPagers(day, asDayNav(now)));
    return page ? { bytes: page, math: entry![2] === 1 } : undefined;
  };
  // Past the first day of the common tail (alignDays), a day is the previous generation's own
  // object between two such: the same, with the same neighbours. Only a day whose enrichment
  // changed, or a store that cannot say what changed, makes one of them count.
  const planned =
    changes.papers === 'all' || enrichedDays.size > 0 ? refs.length : Math.min(tail + 1, refs.length);
  for (let i = 0; i < planned; i++) planDay(refs[i]!, i);

  // Papers whose pages may change: those ranked on changed or removed days, and the store's.
  const touched = new Set<string>();
  for (const d of replaced.values()) for (const r of d.digest.papers) touched.add(r.paper.id);
  if (changes.papers !== 'all') for (const id of changes.papers) touched.add(id);
  for (const { ids } of revisedOn.values()) for (const id of ids) touched.add(id);

  // A build that only adds days newer than every day it had makes its list pages from the
  // previous list state and the new days (list-state.ts): it reads the papers of the newest
  // days only, not the history's. It turns to the history (completeHistory) as soon as it
  // meets what the state cannot follow: a paper ranked again, a day left out, a paper to
  // render whose rankings are not all among the days read.
  const newestBefore = prevList[0]?.day;
  let stateFile: StateFile | undefined;
  /** The content hash of the previous state's file (its reserve file names it). */
  let stateStamp = '';
  if (
    prev?.files.has(LISTS_PATH) &&
    changes.papers !== 'all' &&
    gone.length === 0 &&
    [...contentChanged].every((day) => newestBefore === undefined || day > newestBefore)
  ) {
    const bytes = out.readPrevious(LISTS_PATH);
    stateFile = bytes && parseStateFile(bytes.toString());
    if (bytes) stateStamp = contentHash(bytes);
  }

  // Every paper's rankings, newest first, from the kept days (reloaded days are added as read);
  // from the newest days alone while the list state serves.
  const appearances = new Appearances();
  const added = new Set<string>();
  const addKept = (day: string) => {
    const kept = summaries.get(day);
    if (!kept || reload.has(day) || added.has(day)) return;
    added.add(day);
    appearances.add(kept);
  };
  /** The previous generation's search fragment hash of each day reloaded that had one. */
  const fragmentBefore = new Map<string, string>();
  refs.forEach((r, i) => {
    if (!reload.has(r.day)) summaries.set(r.day, prevList[prevAt[i]!]!);
    else {
      const hash = prevAt[i]! >= 0 ? prevList[prevAt[i]!]?.fragment : undefined;
      if (hash) fragmentBefore.set(r.day, hash);
    }
  });
  const first = stateFile ? Math.min(RISING_DAYS, refs.length) : refs.length;
  for (let i = 0; i < first; i++) addKept(refs[i]!.day);
  /** Leave the list state: every kept day's rankings are read. */
  const completeHistory = () => {
    if (!stateFile) return;
    stateFile = undefined;
    for (const r of refs) addKept(r.day);
  };
  const stateRepeats = stateFile && new Map(stateFile.repeats);
  /** Papers of the new days ranked before, while the list state serves. */
  const rankedBefore = new Set<string>();
  /**
   * Before a page of paper `id` is rendered: make sure every ranking of it is known. `fresh`: it
   * is ranked on a day the build adds (one ranked before then moves: see the list view).
   */
  const resolve = (id: string, fresh: boolean) => {
    if (!stateFile) return;
    const days = stateRepeats!.get(id);
    if (fresh) {
      if (!days && !prev!.files.has(paths.paper(id))) return;
      // Ranked before: its days are read (its page's entry names them).
      const before = days ?? previousRankingDays(id);
      if (before === undefined) completeHistory();
      else {
        for (const day of before) addKept(day);
        rankedBefore.add(id);
      }
      return;
    }
    if (days) for (const day of days) addKept(day);
    else if (!appearances.has(id)) {
      // Ranked on some day not read: its page's entry names the day (none without a page).
      const ranking = previousRankingDays(id);
      if (ranking === undefined) completeHistory();
      else for (const day of ranking) addKept(day);
    }
  };

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
  /** While the days are reloaded in a full build of many days: the paper pages' thread. */
  let renderThread: RenderThread | undefined;
  /** Whether a day after `day` that this build reloads ranked paper `id` before (its page's entry). */
  const rankedLater = (id: string, day: string): boolean => {
    if (!prev || reload.size < 2) return false;
    return previousRankingDays(id)?.some((d) => d > day && reload.has(d)) === true;
  };
  /**
   * Wait for the paper page thread's last pages and put them: before the builder renders a paper
   * page of its own after the days (the writer takes the two threads' pages in no set order), and
   * before the day and paper files are kept (step 5).
   */
  const finishRenderThread = () => {
    const thread = late.render;
    if (!thread) return;
    late.render = undefined;
    thread.finish(putRendered);
    stats.renderedOnThread = thread.handed;
  };
  const renderPaper = (ranked: RankedPaper, slice: DaySlice, ctx: PageContext) => {
    finishRenderThread();
    const id = ranked.paper.id;
    const list = appearances.get(id);
    const latest: Appearance = { day: slice.day, ranked };
    const older = list.filter((a) => a.day.day < slice.day.day);
    const paper = ranked.paper;
    const image = putThumbs(slice, [id], `p:${id}`);
    const spec = {
      path: paths.paper(id),
      image,
      ogType: 'article' as const,
      title: paper.title,
      description: `${authorsText(paper.authors, 5)}. Ranked #${ranked.rank} on ${slice.day.day}.`,
    };
    // The page's entry keeps the days that rank the paper (see rankingDays).
    const key = rankingDaysKey([slice.day.day, ...older.map((a) => a.day.day)]);
    const putBefore = files.has(spec.path);
    if (renderThread?.wants(spec.path, putBefore))
      renderThread.add(paperTask(spec, [latest, ...older], slice.papers.get(id), ctx), `p:${id}`, key);
    else {
      // The writer takes the render thread's batches and the builder's in no set order: a page
      // the thread may have written is written again from here once the writer is done (rare: a
      // paper ranked again within the build).
      if (putBefore && threadWrites) {
        out.writtenHashes!();
        if (!renderThread) threadWrites = false;
      }
      emit({ ...spec, body: paperBody([latest, ...older], slice.papers.get(id), ctx) }, `p:${id}`, key);
    }
    renderedPapers.add(id);
  };
  /**
   * A page the render thread made, handed over as emit hands over the builder's own; or, when the
   * thread wrote it itself (html null), entered as put enters a page written by the writer.
   */
  const putRendered: PutPage = (path, html, owner, math, key) => {
    if (html !== null) put(path, html, owner, math, false, key);
    else {
      out.noteHashed!(path);
      enterHashed(path, owner, math, key);
    }
  };

  // 2. Reload the changed days, oldest first: day page, search fragment, papers ranked last that day.
  /** Days whose search fragment this build wrote (read back for the index). */
  const fragments = new Set<string>();
  /** The store's row of `day` (one of refs', found by its place: they are newest first). */
  const refOf = (day: string) => {
    const ref = refs[countNewer(refs, (r) => r.day > day)];
    return ref?.day === day ? ref : refs.find((r) => r.day === day)!;
  };
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
        body: dayBody(day, asDayNav(nav), ctxOf(slice)),
        section: 'latest',
      },
      `d:${day.day}`,
    );
  };
  // A full build makes its search index on a thread of its own, from the fragments as they come.
  const searchThread =
    hashLater && reload.size >= searchThreadPolicy.minDays
      ? startSearchThread(refs[0]!.day, (path, data, owner) => put(path, data, owner))
      : undefined;
  // And part of its paper pages on another, as they come.
  if (hashLater && reload.size >= renderThreadPolicy.minDays) {
    const direct = out.directWrites?.();
    renderThread = startRenderThread(shell, mainFeeds, direct);
    threadWrites = direct !== undefined;
  }
  for (const [day, page] of repages) {
    navUsed.set(day, navIn(refs, day)!.join());
    put(paths.day(day), page.bytes, `d:${day}`, page.math);
  }
  try {
    for (const dayName of [...reload].sort()) {
      hooks.eachDay?.();
      const ref = refOf(dayName);
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
      renderDay(slice, navIn(refs, dayName)!);
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
        resolve(r.paper.id, contentChanged.has(dayName));
        // Rendered here when no newer ranking is known, and none of the days still to reload
        // ranked it before (that day renders it: a page made here and again there is written even
        // when it ends as it was). If that day no longer ranks it, step 3 renders it.
        if (appearances.latest(r.paper.id)!.day.day === dayName && !rankedLater(r.paper.id, dayName))
          renderPaper(r, slice, ctx);
      }
      // Written, not kept in memory: the next build's index, or this one's when made on this thread,
      // reads it back. In a full build the writer thread writes (and hashes) it like any page, and
      // the search thread gets it now.
      fragments.add(dayName);
      const fragment = docs.join('\n');
      searchThread?.add(dayName, fragment);
      renderThread?.flush(putRendered);
      put(
        fragmentPath(dayName),
        hashLater ? fragment : Buffer.from(fragment),
        `d:${dayName}`,
        false,
        !hashLater,
      );
    }
    if (renderThread) {
      // Its last pages are made while the builder goes on (the list pages, the search index; it
      // runs below the builder's priority and may be renderThreadPolicy.maxBehind pages behind):
      // finishRenderThread puts them.
      renderThread.flush(putRendered);
      late.render = renderThread;
    }
  } catch (error) {
    renderThread?.stop();
    throw error;
  } finally {
    // The papers rendered after this point are the builder's own.
    renderThread = undefined;
  }
  // A revised paper still ranked last on an older day keeps its list entries there, which show
  // its row as it is now: the list state cannot follow it (the history can). One ranked on a new
  // day moves from its previous ranking, as any paper ranked again does.
  if (stateFile)
    for (const { ids } of revisedOn.values())
      for (const id of ids) {
        const latest = appearances.latest(id)?.day.day;
        if (latest === undefined || !contentChanged.has(latest)) completeHistory();
      }
  if (failed.size > 0) {
    // Unreadable days are left out; the pagers next to them must skip them too.
    refs = refs.filter((r) => !failed.has(r.day));
    const nav = navOf(refs.map((r) => r.day));
    for (const r of refs) {
      const want = nav.get(r.day)!;
      const had = navUsed.get(r.day) ?? prevNav(r.day)?.join();
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
    resolve(id, false);
    const latest = appearances.latest(id);
    if (!latest || failed.has(latest.day.day)) continue;
    const list = byLatest.get(latest.day.day) ?? [];
    list.push(id);
    byLatest.set(latest.day.day, list);
  }
  for (const [dayName, ids] of [...byLatest].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const slice = source.loadDay(refOf(dayName));
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
  const keepPrevious = (path: string, held = prev!.files.raw(path)) => {
    if (held === undefined || !out.keep(path))
      throw new StaleGenerationError(`${path} is missing from the previous site`);
    stats.kept++;
    files.setRaw(path, held);
  };
  /** The bytes of the previous generation's file at `path`, when it had one. */
  const previousFile = (path: string) => (prev?.files.has(path) ? out.readPrevious(path) : undefined);
  /** Keep every file of the previous generation that `owner` made, unchanged. */
  const keepOwned = (owner: string) => {
    if (!prev) return;
    // No paper page has another owner: the paper slices not parsed are not looked at.
    for (const [path, v] of prev.files.heldEntries())
      if (ownerOf(v) === owner && !files.has(path)) keepPrevious(path, v);
  };

  // 4. Every list page, from the ListDays and the list view.
  if (failed.size > 0) completeHistory();
  const days = refs.map((r) => summaries.get(r.day)).filter((d): d is ManifestDay => d !== undefined);
  /** The previous generation's days this one has not: gone from the store, or unreadable now. */
  const lost = failed.size === 0 ? gone : [...gone, ...prevList.filter((d) => failed.has(d.day))];
  for (const d of lost) replaced.set(d.day, d);
  const dayNames = days.map((d) => d.day);
  const newestDay = days[0]?.day;
  /** Each paper ranked on more than one day: its ranking days, newest first. */
  const historyRepeats = () =>
    new Map([...appearances.repeated()].map(([id, list]) => [id, list.map((a) => a.day.day)]));
  // The search thread (a full build's) has made all but the last segment: it makes that one
  // while this thread makes the list and rising pages (the build's last ~0.1 s of waiting for it
  // at 300 days), then exits, so its memory is freed as before.
  searchThread?.end();
  const dirty =
    prev && failed.size === 0 && changes.papers !== 'all'
      ? listDirty(
          days[0]?.day,
          [...contentChanged, ...lost.map((d) => d.day)],
          (day) => summaries.get(day),
          (day) => replaced.get(day),
          appearances,
          prevList[0]?.day,
          // A day repaged has the same summary, but its place among the days may have changed.
          repages.size > 0 ? new Set([...reload, ...repages.keys()]) : reload,
          prevList.length,
          revisedBefore(),
          asBefore,
        )
      : undefined;
  /**
   * List pages kept whose group slice (see FileTable.takeGroup) the previous generation has not
   * parsed, by slice: settleKeeps takes a slice over unread when they are all its paths. Only
   * when the output keeps files without naming them.
   */
  const pendingKeeps = new Map<string, string[]>();
  const pendingPaths = new Set<string>();
  /**
   * Keep list pages of the previous generation as they are: all of them, or none (false). A page
   * whose group slice is not parsed is taken as there (in a generation a build made, every page
   * a list producer keeps is); settleKeeps checks it, and builds in full when it is not.
   */
  const keepLists = (paths: readonly string[]): boolean => {
    const later: Array<string | undefined> = [];
    for (const path of paths) {
      if (files.has(path) || pendingPaths.has(path)) return false;
      const group = out.keepUnread ? prev?.files.unreadGroupOf(path) : undefined;
      if (group === undefined && !prev?.files.has(path)) return false;
      later.push(group);
    }
    paths.forEach((path, i) => {
      const group = later[i];
      if (group === undefined) {
        keepPrevious(path);
        return;
      }
      pendingPaths.add(path);
      const list = pendingKeeps.get(group);
      if (list) list.push(path);
      else pendingKeeps.set(group, [path]);
    });
    return true;
  };
  /**
   * Group slices of the previous generation kept as a whole by their run (keepRun), with its
   * count of pages: settleKeeps takes each over unread.
   */
  const runKeeps = new Map<string, [string, number]>();
  /**
   * Keep, unchanged, the `count` list pages of a run (groupRun) from `first` to `last` that the
   * caller makes nowhere else: when they are all the pages of one group slice of the previous
   * generation, held unread, the slice is taken over whole at the end of the list pages, and no
   * page of it is named. False, with nothing kept, when they are not (the caller then keeps them
   * one by one).
   */
  const keepRun = (first: string, last: string, count: number): boolean => {
    if (!out.keepUnread || count === 0) return false;
    const group = prev?.files.unreadGroupOf(first);
    if (group === undefined || pendingKeeps.has(group) || runKeeps.has(group)) return false;
    const run = `${first}\t${last}`;
    const info = prev!.files.sliceInfo(group);
    if (info?.[4] !== run || info[0] !== count) return false;
    runKeeps.set(group, [run, count]);
    return true;
  };
  /**
   * Settle the pages keepLists left pending: a group slice still unparsed whose every path was
   * kept is taken over whole, unread; the others' pages are kept one by one. Then every group
   * slice of the previous generation not taken over is parsed, so its pages left out are seen
   * as gone (step 5).
   */
  const settleKeeps = () => {
    if (!prev) return;
    // Which pages were set since they were kept, looked up before any slice is taken over (a
    // lookup in a table holding unread group slices works out the path's slice).
    const lefts = [...pendingKeeps].map(
      ([group, paths]) => [group, paths, paths.filter((path) => !files.has(path))] as const,
    );
    for (const [group, paths, left] of lefts) {
      const taken =
        left.length === paths.length ? files.takeGroup(prev.files, group, left.sort()) : undefined;
      if (taken === undefined) for (const path of left) keepPrevious(path);
      else {
        out.keepUnread!(taken);
        stats.kept += taken;
      }
    }
    for (const [group, [run, count]] of runKeeps) {
      const taken = files.takeGroupRun(prev.files, group, run, count);
      // Checked when kept, and no other keep or take names its pages: a slip is the engine's.
      if (taken === undefined) throw new StaleGenerationError(`the list pages of ${group} cannot be kept`);
      out.keepUnread!(taken);
      stats.kept += taken;
    }
    runKeeps.clear();
    pendingKeeps.clear();
    pendingPaths.clear();
    prev.files.parseGroups(files);
  };
  // The list view: the previous state advanced with the new days' papers, or made from every
  // paper's latest ranking.
  const shape = { pageSize: cfg.pageSize, feedDays: cfg.feedItems };
  let view: ListView | undefined;
  if (stateFile && newestDay) {
    const dayOf = (day: string) => summaries.get(day);
    const before = stateOfFile(stateFile, dayOf);
    const reserve = before && previousFile(RESERVE_PATH);
    if (reserve) attachReserve(before!, reserve.toString(), stateStamp, dayOf);
    /** A category's all-time window from its file in the previous site. */
    const allTime = (cat: string) => {
      const bytes = previousFile(allTimePath(cat));
      return bytes && parseAllTime(bytes.toString(), dayOf);
    };
    /** A category's part from its file in the previous site: a site without it is built in full. */
    const parts = (cat: string) => {
      const bytes = previousFile(listPartPath(cat));
      const part = bytes && before && parsePart(bytes.toString(), cat, before, dayOf);
      if (!part) throw new StaleGenerationError(`${listPartPath(cat)} does not read back`);
      return part;
    };
    const fresh = new Map<string, ListAppearance>();
    const again = new Map<string, string[]>();
    for (const day of contentChanged)
      for (const r of summaries.get(day)?.digest.papers ?? []) {
        const list = appearances.get(r.paper.id);
        fresh.set(r.paper.id, list[0]!);
        if (list.length > 1)
          again.set(
            r.paper.id,
            list.map((a) => a.day.day),
          );
      }
    // Papers ranked before move from their previous ranking: the days from the first of that
    // ranking's windows on are read (not the history), a year further back at a time while a
    // category page that changes needs older papers.
    const removed: ListAppearance[] = [];
    let from = newestDay;
    for (const id of rankedBefore) {
      const previous = appearances.get(id).find((a) => !contentChanged.has(a.day.day));
      // A revised paper leaves the lists its previous row was in (its categories then).
      if (previous) removed.push(asBefore(previous));
      for (const kind of PAST_KINDS) {
        const start = previous ? windowStart(kind, windowOf(kind, previous.day.day).key) : '';
        if (start < from) from = start;
      }
    }
    const oldest = refs[refs.length - 1]?.day ?? '';
    // A paper whose previous ranking is not among the days (from ''): the history.
    while (before && from !== '') {
      let range: ReadRange | undefined;
      if (removed.length > 0) {
        for (const r of refs) {
          if (r.day < from) break;
          addKept(r.day);
        }
        const latest: ListAppearance[] = [];
        for (const a of appearances.latests()) if (a.day.day >= from) latest.push(a);
        range = { from, latest, removed };
      }
      view = advanceState(before, [...fresh.values()], again, newestDay, shape, range, allTime, parts);
      if (!view || !range || !dirty || pagesHeld(view, dirty, cfg.pageSize, (path) => prev!.files.has(path)))
        break;
      view = undefined;
      if (from <= oldest) break;
      from = windowStart('year', String(Number(from.slice(0, 4)) - 1));
    }
  }
  if (!view) {
    completeHistory();
    let papers = 0;
    for (const [, list] of appearances.lists()) if (!list.every((a) => failed.has(a.day.day))) papers++;
    view = stateFromHistory([...appearances.latests()], historyRepeats(), papers, newestDay, shape);
  }
  stats.lists = stateFile ? 'state' : 'history';
  const masks = maskedBySegment(view.state.repeats, newestDay ?? '');
  const lists = listPages(
    days,
    view,
    cfg,
    put,
    keyed,
    keyedFile,
    previousFile,
    dirty && { ...dirty, keep: keepLists, keepRun, had: (path) => prev!.files.has(path) },
  );
  settleKeeps();
  const stateText = serializeState(view.state);
  put(LISTS_PATH, stateText, '');
  // Each category's part: kept as it is when the build did not read it.
  for (const cat of view.state.counts.keys()) {
    const part = serializePart(view.state, cat);
    if (part === undefined) keepPrevious(listPartPath(cat));
    else put(listPartPath(cat), part, '');
  }
  // Each category's all-time window in its file: kept as it is when the build did not read it.
  for (const [cat, wins] of view.state.catWindows) {
    const w = allTimeWindow(wins);
    if (!w) continue;
    if (w.detached) keepPrevious(allTimePath(cat));
    else put(allTimePath(cat), serializeAllTime(w), '');
  }
  // Its hash as put took it; a full build's writer hashes it later: then here.
  const stateHash = files.hash(LISTS_PATH) || contentHash(Buffer.from(stateText));
  put(RESERVE_PATH, serializeReserve(view.state, stateHash), '');

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
  // The search thread's last segments, made meanwhile.
  const threaded = searchThread?.finish(
    dayNames,
    maskedBySegment(historyRepeats(), newestDay ?? ''),
    FRAGMENTS,
  );
  // The search index, a time segment at a time (search-build.ts): a segment whose days'
  // fragments and re-ranked papers did not change is kept whole, unread.
  // A segment kept whole takes its owned slices over unread (inheritOwned), when the output can
  // keep files without naming them; else each of its files is kept by name, as are those held
  // parsed (listed here, or named by inheritOwned when parsed since).
  if (prev && !out.keepUnread) prev.files.parseOwned();
  const segmentFiles = new Map<string, string[]>();
  for (const [path, v] of prev?.files.heldEntries() ?? []) {
    if (ownerKind(v) !== 's') continue;
    const owner = ownerOf(v);
    const list = segmentFiles.get(owner);
    if (list) list.push(path);
    else segmentFiles.set(owner, [path]);
  }
  /**
   * The content hash of a day's search fragment (a segment's key is made from them): a kept
   * day's is in its head, so no day-file slice of the history is read for it. The fragments
   * not written here are kept in step 5 with the rest of their days' files.
   */
  const fragmentHash = (day: string) => {
    const hash = fragments.has(day) ? files.hash(fragmentPath(day)) : summaries.get(day)?.fragment;
    if (!hash) throw new StaleGenerationError(`the search fragment of ${day} is missing`);
    return hash;
  };
  // The segments the search thread did not make are made here, from the fragments read back:
  // first wait for the writer thread to write (and hash) them.
  const unmade = threaded ? threaded.rebuild : dayNames;
  if (hashLater && unmade.length > 0) settleHashes();
  // The segments holding a day reloaded, written or gone: every other one has the previous
  // generation's days, each with its fragment (a day not reloaded keeps its fragment).
  const segmentOfDay = segmenter(dayNames[0] ?? '');
  const unstable = new Set<string>();
  for (const day of [...reload, ...fragments, ...lost.map((d) => d.day)]) unstable.add(segmentOfDay(day));
  const segments = [
    ...(threaded?.segments ?? []),
    ...buildSearchSegments(unmade, dayNames[0] ?? '', masks, FRAGMENTS, {
      // A fragment rendered again with the same bytes was kept, not written: it is the previous one.
      fragment: (day) => {
        const path = fragmentPath(day);
        const data = (fragments.has(day) ? out.readCurrent(path) : undefined) ?? out.readPrevious(path);
        if (data === undefined) throw new StaleGenerationError(`the search fragment of ${day} is missing`);
        return data;
      },
      fragmentHash,
      previousFragmentHash: (day) => (fragments.has(day) ? fragmentBefore.get(day) : fragmentHash(day)),
      previousFragment: (day) => previousFile(fragmentPath(day)),
      stable: (id) => prev !== undefined && !unstable.has(id),
      readPrevious: previousFile,
      keepOwned: (owner, except = []) => {
        const named = new Set(segmentFiles.get(owner));
        if (prev && out.keepUnread) {
          const { count, parsed } = files.inheritOwned(prev.files, owner);
          out.keepUnread(count);
          stats.kept += count;
          for (const path of parsed) named.add(path);
        }
        for (const path of except) named.delete(path);
        for (const path of named) keepPrevious(path);
      },
      put: (path, data, owner) => put(path, data, owner),
      stale: (why) => {
        throw new StaleGenerationError(why);
      },
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

  finishRenderThread();
  // 5. Keep the previous generation's day and paper files nothing above replaced. The paths of
  // the previous generation left out are noted: only those can be gone from this one (the
  // manifest and the removals look at them, not at every path again).
  const absent: string[] = [];
  if (prev) {
    // With no day gone or unreadable, every day's files live on, and every paper's unless a
    // changed day's paper is ranked nowhere now: no owner needs to be looked up.
    const daysLive = dirty !== undefined && lost.length === 0;
    const liveDays = daysLive ? undefined : new Set(dayNames);
    const papersLive = daysLive && [...dirty!.papers].every((id) => appearances.has(id));
    let entries = prev.files.rawEntries();
    if (papersLive && out.keepUnread) {
      // A paper slice not parsed by now holds only pages of papers this build did not render
      // (rendering one looks its previous entry up, which parses its slice): with every paper
      // still ranked, each such page is kept, so the slice is taken over whole, unparsed.
      const inherited = files.inherit(prev.files);
      out.keepUnread(inherited);
      stats.kept += inherited;
      // The owned slices of the segments rebuilt or gone: their files left out are removed.
      prev.files.parseOwned(files);
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
        const alive = kind === 'd' ? liveDays!.has(owner) : appearances.has(owner) && !failedOnly(owner);
        if (!alive) {
          absent.push(path);
          continue;
        }
      }
      keepPrevious(path, v);
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
  // Without the papers whose latest ranking moved, the manifest looks at every paper's.
  if (!(dirty && allTouchedRendered)) completeHistory();
  writeManifest(
    {
      version: MANIFEST_VERSION,
      engine,
      marks: changes.marks,
      days,
      files,
      ...(rising ? { rising } : {}),
      ...(listed.tokens ? { tokens: tokensKept(listed.tokens, failed) } : {}),
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
        const held = prev.files.raw(name);
        if (held === undefined || !out.keep(name)) return false;
        stats.kept++;
        files.setRaw(name, held);
        return true;
      },
      // Only a paper ranked on a day that appeared, changed or went has a new latest ranking,
      // and each such paper's pages were rendered again above (step 2 or 3), or are gone.
      ...(dirty && allTouchedRendered ? { moved: (id: string) => dirty.papers.has(id) } : {}),
      absent,
    },
  );
  stats.days = days.length;
  stats.papers = view.state.papers;
  return stats;
}

/**
 * The key of a paper page's entry: the days that rank the paper, newest first, space-separated
 * ('' when one is not a plain word, so the entry says nothing and the days are looked up).
 */
function rankingDaysKey(days: readonly string[]): string {
  return days.every((day) => /^[^\s]+$/.test(day)) ? days.join(' ') : '';
}

/**
 * The days that rank a paper, from its page's entry in the previous generation: none when it
 * has no page (no day ranks it), undefined when the entry does not say.
 */
function rankingDays(entry: FileEntry | undefined): string[] | undefined {
  if (entry === undefined) return [];
  const key = entry[3];
  return key ? key.split(' ') : undefined;
}

/** A day's newer and older neighbour (as navIn gives them). */
type DayNeighbours = readonly [string | undefined, string | undefined];

/** A day page's DayNav from its neighbours. */
function asDayNav(nav: DayNeighbours): DayNav {
  return { newer: nav[0] ? { day: nav[0] } : undefined, older: nav[1] ? { day: nav[1] } : undefined };
}

/**
 * `page` with each of the `before` pagers (found once only, in order) replaced by the `now` one;
 * undefined when one is empty or not found exactly once (the day is then rendered again). A
 * pager is ASCII markup of ours: no text of a post or paper holds it unescaped.
 */
export function replacePagers(
  page: Buffer,
  before: readonly string[],
  now: readonly string[],
): Buffer | undefined {
  const out: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < before.length; k++) {
    if (before[k] === '') return undefined;
    const found = page.indexOf(before[k]!, 0, 'latin1');
    if (found < at || page.indexOf(before[k]!, found + 1, 'latin1') >= 0) return undefined;
    out.push(page.subarray(at, found), Buffer.from(now[k]!));
    at = found + before[k]!.length;
  }
  out.push(page.subarray(at));
  return Buffer.concat(out);
}

/** Newer and older neighbour of `day` in a newest-first list of days; undefined when not in it. */
function navIn(
  order: ReadonlyArray<{ day: string }>,
  day: string,
): [string | undefined, string | undefined] | undefined {
  const at = countNewer(order, (d) => d.day > day);
  return order[at]?.day === day ? [order[at - 1]?.day, order[at + 1]?.day] : undefined;
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

/**
 * The store's month tokens the manifest keeps: none for a month with a day left out (its digest
 * not readable), so that the next build lists that month's rows again.
 */
function tokensKept(
  tokens: ReadonlyMap<string, string>,
  failed: ReadonlySet<string>,
): ReadonlyMap<string, string> {
  if (failed.size === 0) return tokens;
  const kept = new Map(tokens);
  for (const day of failed) kept.delete(day.slice(0, 7));
  return kept;
}

/** What list pages key a day by, made once per day in this process (many list pages ask for each). */
interface DayKeys {
  /** The whole day: its digest row's fingerprint, revisions included. */
  day: string;
  /** Its row alone, without its papers' revisions. */
  row: string;
  /** Each revised paper's count of revisions. */
  revisions: ReadonlyMap<string, number>;
}
const dayKeys = new WeakMap<ListDay, DayKeys>();

/** A day's keys; a day without a fingerprint gets keys never equal to another build's. */
function keysOf(day: ListDay): DayKeys {
  let keys = dayKeys.get(day);
  if (keys === undefined) {
    const stamps = stampsOfDay(day);
    if (stamps)
      keys = {
        day: `${day.day}:${stamps.whole}`,
        row: `${day.day}:${stamps.row}`,
        revisions: stamps.revisions,
      };
    else {
      const unknown = `${day.day}:${Math.random()}`;
      keys = { day: unknown, row: unknown, revisions: new Map() };
    }
    dayKeys.set(day, keys);
  }
  return keys;
}

/** What a list page keys a day by: its digest row's fingerprint (never equal when unknown). */
function dayKey(day: ListDay): string {
  return keysOf(day).day;
}

/**
 * What a list page keys a paper's ranking on `day` by: the paper, the day's row, and the
 * revisions of this paper's row alone, so that a revision of another paper of the day leaves the
 * pages of this one as they were.
 */
function rankingKey(day: ListDay, id: string): string {
  const keys = keysOf(day);
  const n = keys.revisions.get(id);
  // Joined, not concatenated, so it is kept flat.
  return (n === undefined ? [id, '@', keys.row] : [id, '@', keys.row, '~', n]).join('');
}

/** What a list page keys a paper's ranking by (see rankingKey). */
function appearanceKey(a: ListAppearance): string {
  // Made once per ranking (every list page showing it joins it again).
  a.key ??= rankingKey(a.day, a.ranked.paper.id);
  return a.key;
}

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
  /**
   * The days whose summary may differ from the previous generation's: loaded again, or gone.
   * Every other day is the very summary read, so an index or month page of such days alone
   * shows the same as before.
   */
  days: ReadonlySet<string>;
  /** How many days the previous generation had (its count of index pages). */
  daysBefore: number;
}

function listDirty(
  newest: string | undefined,
  changedDays: readonly string[],
  summaryOf: (day: string) => ListDay | undefined,
  previousOf: (day: string) => ListDay | undefined,
  appearances: Appearances,
  newestBefore: string | undefined,
  reloaded: ReadonlySet<string>,
  daysBefore: number,
  revised: readonly ListAppearance[] = [],
  asListed: (a: ListAppearance) => ListAppearance = (a) => a,
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
  // A revised paper's rankings as they were listed (its row then); where they are now follows.
  for (const a of revised) {
    papers.add(a.ranked.paper.id);
    mark(a.ranked.paper.categories, a.day.day, a.ranked.rank);
  }
  // Such a paper's latest ranking now, and before: its newest on a day not changed (one on a
  // changed day was marked above), as it was listed (a revised paper's categories then: one it
  // is in now only was never listed on that day). Lists show each paper at its latest ranking only.
  const changed = new Set(changedDays);
  for (const id of papers) {
    const list = appearances.get(id);
    const before = list.find((a) => !changed.has(a.day.day));
    const was = before && before !== list[0] && asListed(before);
    for (const a of was ? [list[0]!, was] : list.slice(0, 1))
      mark(a.ranked.paper.categories, a.day.day, a.ranked.rank);
  }
  let moved = newest === undefined || newestBefore === undefined;
  for (const kind of PAST_KINDS) {
    // The current window's page changes with the newest day's window, and so do its neighbours.
    for (const day of [newest, newestBefore]) if (day) windows[kind].add(windowOf(kind, day).key);
    if (newest && newestBefore && windowOf(kind, newest).key !== windowOf(kind, newestBefore).key)
      moved = true;
  }
  return { papers, categories, moved, windows, days: new Set([...changedDays, ...reloaded]), daysBefore };
}

/** How many items of `list` (newest first) come before the first one `newer` is false of. */
function countNewer<T>(list: readonly T[], newer: (item: T) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newer(list[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first page of a list anchored at its oldest item (page 1) that may differ from the
 * previous generation's: no later than `from`, the one holding the oldest changed item (`older`:
 * how many items are older than each, where it is or would be; every newer item moves when one
 * appears or goes), and the newest page before, `pagesBefore` (its "newer" link changes when the
 * count of pages, `pages` now, does).
 */
function firstChangedAnchored(
  older: Iterable<number>,
  size: number,
  from: number,
  pages: number,
  pagesBefore: number,
): number {
  let first = from;
  for (const n of older) first = Math.min(first, Math.floor(n / size) + 1);
  if (pagesBefore > 0 && pagesBefore !== pages) first = Math.min(first, pagesBefore);
  return Math.max(1, first);
}

/**
 * The first anchored page of a category (1 = its oldest papers) that may differ from the
 * previous generation's (firstChangedAnchored; its newest page is always made). `list` is newest
 * first, the newest `list.length` of `total`, every changed ranking among them; `had(k)`: the
 * previous generation has page k.
 */
function firstChangedPage(
  list: readonly ListAppearance[],
  total: number,
  changed: ReadonlyArray<[string, number]>,
  size: number,
  pages: number,
  had: (k: number) => boolean,
): number {
  if (pages === 0) return 1;
  // Papers older than each changed ranking: an earlier day, or a lower place on the same day.
  const older = changed.map(
    ([day, rank]) =>
      total - countNewer(list, (a) => a.day.day > day || (a.day.day === day && a.ranked.rank <= rank)),
  );
  // The previous newest page: the last one the previous generation has.
  let before = pages;
  if (had(before)) while (had(before + 1)) before++;
  else while (before > 0 && !had(before)) before--;
  return firstChangedAnchored(older, size, pages, pages, before);
}

/** How many pages of a category anchored at its oldest paper it has past its latest page. */
function anchoredPages(papers: number, size: number): number {
  return papers > size ? Math.ceil(papers / size) : 0;
}

/** How many of a category's papers (newest first, `papers` in all) its anchored page `k` needs held: up to its oldest. */
function pageEnd(papers: number, k: number, size: number): number {
  return papers - (k - 1) * size;
}

/**
 * Whether `view` holds the papers of every category page `dirty` may change (listPages makes
 * them from its lists); `had(path)`: the previous generation has the file.
 */
function pagesHeld(view: ListView, dirty: ListDirty, size: number, had: (path: string) => boolean): boolean {
  for (const [cat, n] of view.state.counts) {
    const pages = anchoredPages(n, size);
    if (pages === 0) continue;
    const changed = dirty.categories.get(cat) ?? [];
    // A category with no changed ranking needs its list only when a page of it is missing.
    const first = firstChangedPage(changed.length > 0 ? view.list(cat) : [], n, changed, size, pages, (k) =>
      had(paths.category(cat, k)),
    );
    if (first <= pages && pageEnd(n, first, size) > view.list(cat).length) return false;
  }
  return true;
}

/**
 * The first anchored index page (1 = the oldest days) that may differ from the previous
 * generation's (firstChangedAnchored): `days` is newest first, `changed` the days loaded again
 * or gone, `daysBefore` the count of days the previous generation had.
 */
function firstChangedIndexPage(
  days: readonly ListDay[],
  changed: ReadonlySet<string>,
  perPage: number,
  daysBefore: number,
): number {
  const pages = (n: number) => (n > perPage ? Math.ceil(n / perPage) : 0);
  const older = [...changed].map((day) => days.length - countNewer(days, (d) => d.day >= day));
  return firstChangedAnchored(older, perPage, pages(days.length) + 1, pages(days.length), pages(daysBefore));
}

type Keyed = (path: string, key: string, spec: () => PageSpec) => void;
/**
 * Make the file at `path` (through put or emit, with `k`, the entry's key made from `key`) unless
 * the previous generation made it from the same key.
 */
type KeyedFile = (path: string, key: string, make: (k: string) => void) => void;
type Put = (
  path: string,
  data: string | Buffer | Buffer[],
  owner: string,
  math?: boolean,
  now?: boolean,
  key?: string,
) => void;

/**
 * The LIST producers: index, archive and months, categories with their pages and feeds, site
 * feeds, 404. Returns the window links and each category's (the rising pages use them).
 */
function listPages(
  days: readonly ListDay[],
  view: ListView,
  cfg: Config,
  put: Put,
  keyed: Keyed,
  keyedFile: KeyedFile,
  previous: (path: string) => Buffer | undefined,
  dirty?: ListDirty & {
    keep: (paths: readonly string[]) => boolean;
    /** Keep the pages of a run from its first to its last path, unnamed (see keepBlocks, keepYears). */
    keepRun: KeepRun;
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
  const firstIndexPage = dirty ? firstChangedIndexPage(days, dirty.days, perPage, dirty.daysBefore) : 1;
  const firstIndexMade = dirty
    ? keepBlocks(dirty.keepRun, paths.index, Math.min(firstIndexPage - 1, anchored))
    : 1;
  for (let k = firstIndexMade; k <= anchored; k++) {
    // Older than every changed day, with the same neighbours: the same page as before.
    if (k < firstIndexPage && dirty!.keep([paths.index(k)])) continue;
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
  const months = byMonth(days);
  keyed(paths.archive(), [...months].map(([m, list]) => `${m}:${list.length}`).join(), () => ({
    path: paths.archive(),
    title: 'Archive',
    body: archiveBody([...months]),
    section: 'archive',
  }));
  const changedMonths = dirty && new Set([...dirty.days].map((day) => day.slice(0, 7)));
  // A year none of whose months changed keeps its month pages at once.
  const keptYears = dirty ? keepYears(dirty.keepRun, months.keys(), changedMonths!, paths.month) : undefined;
  for (const [m, list] of months) {
    if (keptYears?.has(m.slice(0, 4))) continue;
    // A month none of whose days changed shows the same days as before.
    if (changedMonths && !changedMonths.has(m) && dirty!.keep([paths.month(m)])) continue;
    keyed(paths.month(m), list.map(dayKey).join(), () => ({
      path: paths.month(m),
      title: longMonth(m),
      body: monthBody(m, list),
      section: 'archive',
    }));
  }

  // Sitemaps: a month's (part 1, and more only past the protocol's 50,000 URLs) made again with
  // the month's days, as its archive page; the index names them all. A month none of whose days
  // changed keeps its files as the previous generation made them, and is not looked at (its
  // days' digests are read only when asked for: a new day does not read the history's).
  const sitemapFiles: SitemapUrl[] = [{ path: sitemapPaths.lists() }];
  // A year none of whose months changed (nor has a second part) keeps its sitemaps at once.
  const keptSitemaps =
    dirty &&
    keepYears(
      dirty.keepRun,
      months.keys(),
      { has: (m) => changedMonths!.has(m) || dirty.had(sitemapPaths.month(m, 2)) },
      (m) => sitemapPaths.month(m),
    );
  for (const [m, list] of months) {
    if (keptSitemaps?.has(m.slice(0, 4))) {
      sitemapFiles.push({ path: sitemapPaths.month(m) });
      continue;
    }
    if (changedMonths && !changedMonths.has(m)) {
      let parts = 1;
      while (dirty!.had(sitemapPaths.month(m, parts + 1))) parts++;
      const kept = sitemapPaths.monthParts(m, parts);
      if (dirty!.keep(kept)) {
        for (const path of kept) sitemapFiles.push({ path });
        continue;
      }
    }
    // Counted without listing the month's papers (a bound: a paper ranked twice counts twice).
    let bound = 1 + list.length;
    for (const day of list) bound += day.digest.papers.length;
    const urls = bound > SITEMAP_MAX_URLS ? monthUrls(m, list) : undefined;
    const files = sitemapPaths.monthParts(m, urls ? splitUrls(urls).length : 1);
    for (const path of files) sitemapFiles.push({ path });
    const key = list.map(dayKey).join();
    let made: SitemapUrl[][] | undefined;
    for (let i = 0; i < files.length; i++)
      keyedText(put, keyedFile, files[i]!, key, () => {
        made ??= splitUrls(urls ?? monthUrls(m, list));
        return urlSet(made[i]!, cfg.baseUrl);
      });
  }
  keyedText(put, keyedFile, sitemapPaths.index(), sitemapFiles.map((f) => f.path).join(), () =>
    sitemapIndex(sitemapFiles, cfg.baseUrl),
  );
  keyedText(put, keyedFile, sitemapPaths.robots(), '', () => robotsTxt(cfg.baseUrl));

  // Categories: every one counted, the most active first; the pages of those a changed ranking
  // is in (all without a previous generation) are made from the list view (see list-state.ts).
  const { state } = view;
  const listed = (cat: string) => !dirty || dirty.moved || dirty.categories.has(cat);
  const catList = [...state.counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
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
  /** Every file of a category's pages and feeds (its rising page is the rising producer's). */
  const categoryFiles = (cat: string, n: number): string[] => [
    ...CATEGORY_KINDS.map((kind) => windowPaths.category(cat, kind)),
    paths.category(cat),
    ...Array.from({ length: anchoredPages(n, size) }, (_, k) => paths.category(cat, k + 1)),
    ...FEED_KINDS.map((k) => paths.categoryFeed(cat, k)),
    feedItemsPath(categoryKey(cat)),
  ];
  /** Keep a file the view cannot make (its inputs did not change), or build in full. */
  const keepOrStale = (path: string) => {
    if (!dirty?.keep([path])) throw new StaleGenerationError(`${path} cannot be kept from the previous site`);
  };
  for (const [cat, n] of catList) {
    // A category no changed ranking is in keeps its files (all of them, or it is made again).
    if (!listed(cat) && dirty!.keep(categoryFiles(cat, n))) continue;
    /** Its papers newest first: all of them, or its newest (a head of `n`). */
    const list = view.list(cat);
    const feeds = {
      atom: paths.categoryFeed(cat, 'atom'),
      rss: paths.categoryFeed(cat, 'rss'),
      json: paths.categoryFeed(cat, 'json'),
      label: `${cfg.siteTitle} in ${cat}`,
    };
    const catWindows = categoryNav(cat);
    const windows = state.catWindows.get(cat) ?? [];
    CATEGORY_KINDS.forEach((kind, i) => {
      const w = windows[i];
      if (!newestDay || !w) return;
      const path = windowPaths.category(cat, kind);
      // An all-time window not read (its papers unchanged) keeps its page: it shows no count.
      if (w.detached) {
        keepOrStale(path);
        return;
      }
      const all = kind === 'all';
      const count = all ? '' : w.count;
      keyed(path, `${cat}\n${kind}|${w.key}|${count}|${w.top.map(appearanceKey).join()}`, () => ({
        path,
        title: windowTitle(kind, w.key, cat),
        description: topTitles(
          w.top.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, w.key, categoryLabel(cat)),
          leadHtml: `${all ? allTimeLead(w.top.length, cat) : periodLead(w.count, cat)} <a href="${escapeHtml(relativeUrl(path, paths.category(cat)))}">All of ${escapeHtml(cat)}, newest first</a>.`,
          items: w.top,
          nav: catWindows,
          current: kind,
        }),
        section: 'categories',
        feeds,
      }));
    });
    // Like the index: the latest papers, then pages anchored at the category's oldest paper.
    const anchored = anchoredPages(n, size);
    const firstChanged = dirty
      ? firstChangedPage(list, n, dirty.categories.get(cat) ?? [], size, anchored, (k) =>
          dirty.had(paths.category(cat, k)),
        )
      : 1;
    const olderOfLatest = anchored > 0 ? Math.floor((n - 1 - size) / size) + 1 : undefined;
    const newest = list.slice(0, size);
    keyed(paths.category(cat), `${cat}\n${olderOfLatest}|${n}|${newest.map(appearanceKey).join()}`, () => ({
      path: paths.category(cat),
      title: categoryLabel(cat),
      body: categoryBody(
        cat,
        newest,
        { older: olderOfLatest },
        n,
        windowNav(paths.category(cat), catWindows),
      ),
      section: 'categories',
      feeds,
    }));
    const firstMade = dirty
      ? keepBlocks(dirty.keepRun, (k) => paths.category(cat, k), Math.min(firstChanged - 1, anchored))
      : 1;
    for (let k = firstMade; k <= anchored; k++) {
      const end = pageEnd(n, k, size);
      const newer = k < anchored ? k + 1 : 0;
      const path = paths.category(cat, k);
      // Older than every changed ranking, with the same neighbours: the same page as before.
      if (k < firstChanged && dirty!.keep([path])) continue;
      // A page that may have changed needs its papers: past the newest a list made from the
      // state holds (which covers every page a new day changes), the build turns full.
      if (end > list.length)
        throw new StaleGenerationError(`${path} needs papers the list state does not hold`);
      const items = list.slice(Math.max(0, n - k * size), end);
      keyed(path, `${k}|${newer}|${items.map(appearanceKey).join()}`, () => ({
        path,
        title: `${categoryLabel(cat)}, page ${k}`,
        body: categoryBody(cat, items, { page: k, newer, older: k > 1 ? k - 1 : undefined }, n),
        section: 'categories',
        feeds,
      }));
    }
    const feedItems = categoryFeedItems(list, cfg.feedItems);
    writeFeeds(
      { put, keyedFile, previous },
      `${cat}\n${feedItems.map(appearanceKey).join()}`,
      () => categoryFeed(cat, feedItems, cfg.baseUrl, cfg.siteTitle),
      (k) => paths.categoryFeed(cat, k),
      feedItemsPath(categoryKey(cat)),
    );
  }

  // Time windows: each paper once, at its latest ranking, by score.
  for (const kind of PAST_KINDS) {
    /** Every window with papers, newest first; those the view can make, by key. */
    const keys = state.windows[kind].keys;
    const made = view.windows[kind];
    const currentKey = newestDay ? windowOf(kind, newestDay).key : undefined;
    const link = (key: string | undefined): [string, string] | undefined =>
      key === undefined ? undefined : [key, windowPaths.window({ kind, key })];
    const windowPage = (path: string, w: TopState, i: number) => {
      const current = w.key === currentKey;
      const older = i < 0 ? keys[0] : keys[i + 1];
      const newer = i < 0 ? undefined : keys[i - 1];
      // A past window keeps its papers: kept unrendered unless a day of it or a neighbour changed.
      const inputs = [w.key, current, older, newer ?? '', w.count, w.top.map(appearanceKey).join()].join('|');
      keyed(path, inputs, () => ({
        path,
        title: windowTitle(kind, w.key),
        description: topTitles(
          w.top.slice(0, 3).map((a) => a.ranked),
          3,
        ),
        body: windowBody({
          path,
          title: windowTitle(kind, w.key),
          leadHtml: `${num(w.count)} ranked paper${w.count === 1 ? '' : 's'} announced in this period, each once, by score${w.count > WINDOW_SIZE ? ` (the top ${num(WINDOW_SIZE)} shown)` : ''}; with the day each was ranked and its rank that day.`,
          items: w.top,
          nav: windowLinks,
          current: current ? kind : undefined,
          older: link(older),
          newer: link(newer),
        }),
        section: current && kind !== 'year' ? kind : 'top',
      }));
    };
    // A window none of whose rankings changed, nor its neighbours, nor whether it is the
    // current one, is kept as it is.
    const changed = dirty && new Set<string>();
    if (changed)
      keys.forEach((key, i) => {
        if (
          dirty!.windows[kind].has(key) ||
          dirty!.windows[kind].has(keys[i - 1] ?? '') ||
          dirty!.windows[kind].has(keys[i + 1] ?? '')
        )
          changed.add(key);
      });
    // A window that lost all its rankings (gone from the keys) changes its neighbours' links.
    if (changed)
      for (const gone of dirty!.windows[kind]) {
        const i = keys.findIndex((key) => key < gone);
        if (i > 0) changed.add(keys[i - 1]!);
        if (i >= 0) changed.add(keys[i]!);
        else if (keys.length > 0) changed.add(keys[keys.length - 1]!);
      }
    // A year none of whose weeks or months changed keeps their pages at once (the years' windows
    // are one slice for 64 years: kept one by one).
    const keptYearsOf =
      changed && kind !== 'year'
        ? keepYears(dirty!.keepRun, keys, changed, (key) => windowPaths.window({ kind, key }))
        : undefined;
    keys.forEach((key, i) => {
      if (keptYearsOf?.has(key.slice(0, 4))) return;
      const path = windowPaths.window({ kind, key });
      if (changed && !changed.has(key) && dirty!.keep([path])) return;
      const w = made.get(key);
      // Not in a view made from the state: none of its papers nor its neighbours changed.
      if (!w) keepOrStale(path);
      else windowPage(path, w, i);
    });
    // The stable page of the current window (the newest day's; empty when that day ranks none).
    if (currentKey) {
      const i = keys.indexOf(currentKey);
      const w = i < 0 ? { key: currentKey, count: 0, top: [] } : made.get(currentKey);
      if (!w) keepOrStale(windowPaths.current(kind));
      else windowPage(windowPaths.current(kind), w, i);
    }
  }
  if (newestDay) {
    const all = state.all;
    const allPath = windowPaths.window({ kind: 'all', key: 'all' });
    keyed(allPath, `${all.count}|${all.top.map(appearanceKey).join()}`, () => ({
      path: allPath,
      title: windowTitle('all', 'all'),
      description: topTitles(
        all.top.slice(0, 3).map((a) => a.ranked),
        3,
      ),
      body: windowBody({
        path: allPath,
        title: windowTitle('all', 'all'),
        leadHtml: `The ${num(Math.min(WINDOW_SIZE, all.count))} highest-scoring of ${num(all.count)} ranked papers, each once, with the day each was ranked and its rank that day.`,
        items: all.top,
        nav: windowLinks,
        current: 'all',
      }),
      section: 'top',
    }));
  }

  // Site feeds of the days.
  const feedDays = days.slice(0, cfg.feedItems);
  writeFeeds(
    { put, keyedFile, previous },
    feedDays.map(dayKey).join(),
    () => daysFeed(feedDays, cfg.baseUrl, cfg.siteTitle),
    paths.feed,
    feedItemsPath(''),
  );

  // The list pages' sitemap: the latest days, the archive, the categories and each one's latest
  // papers, the current windows, the search page (older list pages are reached from these).
  const listPaths = [
    paths.index(),
    paths.archive(),
    paths.categories(),
    ...catList.map(([cat]) => paths.category(cat)),
    ...Object.values(windowLinks),
    paths.search(),
  ];
  keyedText(put, keyedFile, sitemapPaths.lists(), listPaths.join(), () =>
    urlSet(
      listPaths.map((path) => ({ path })),
      cfg.baseUrl,
    ),
  );

  keyed('404.html', '', () => ({
    path: '404.html',
    title: 'Not found',
    body: `<h1>Not found</h1><p>No page here. Try the <a href="index.html">latest days</a> or the <a href="${escapeHtml(paths.archive())}">archive</a>.</p>`,
    section: 'none',
  }));
  return { nav: windowLinks, categories: catList.map(([c]) => c), categoryNav };
}

/** Keep the `count` unchanged pages of a run from `first` to `last` unnamed, or nothing (false). */
type KeepRun = (first: string, last: string, count: number) => boolean;

/** Numbered pages (index, a category's) whose group slices are blocks of this many numbers (see groupSlice). */
const PAGE_BLOCK = 64;

/**
 * Keep pages 1…`last` (each unchanged) a block of PAGE_BLOCK numbers at a time, each block's
 * group slice taken over unnamed (keepRun). The first page not kept so: the caller keeps or
 * makes it and those after it one by one.
 */
function keepBlocks(keepRun: KeepRun, pathOf: (k: number) => string, last: number): number {
  let k = 1;
  for (;;) {
    const blockEnd = (Math.floor(k / PAGE_BLOCK) + 1) * PAGE_BLOCK - 1;
    if (blockEnd > last || !keepRun(pathOf(k), pathOf(blockEnd), blockEnd - k + 1)) return k;
    k = blockEnd + 1;
  }
}

/**
 * Keep the pages of every year (a key's first four characters; `keys` newest first) none of
 * whose keys `changed`, a year at a time: a year's months or weeks are one group slice, taken
 * over unnamed (keepRun). The years kept so; the caller keeps the others' pages one by one.
 */
function keepYears(
  keepRun: KeepRun,
  keys: Iterable<string>,
  changed: { has: (key: string) => boolean },
  pathOf: (key: string) => string,
): Set<string> {
  /** Per year, its newest and oldest key and count (undefined once one of its keys changed). */
  const years = new Map<string, [string, string, number] | undefined>();
  for (const key of keys) {
    const year = key.slice(0, 4);
    const had = years.get(year);
    if (changed.has(key)) years.set(year, undefined);
    else if (had) {
      had[1] = key;
      had[2]++;
    } else if (!years.has(year)) years.set(year, [key, key, 1]);
  }
  const kept = new Set<string>();
  for (const [year, run] of years) if (run && keepRun(pathOf(run[1]), pathOf(run[0]), run[2])) kept.add(year);
  return kept;
}

/** A category's window of a period: how many papers it ranked, by score. */
function periodLead(count: number, cat: string): string {
  return `${num(count)} ranked paper${count === 1 ? '' : 's'} listed in ${escapeHtml(cat)} in this period, each once, by score${count > WINDOW_SIZE ? ` (the top ${num(WINDOW_SIZE)} shown)` : ''}.`;
}

/**
 * A category's all-time window: its top papers, without the category's count, which changes on
 * most days while the top rarely does (the category's own page gives it).
 */
function allTimeLead(shown: number, cat: string): string {
  return `The ${num(shown)} highest-scoring ranked paper${shown === 1 ? '' : 's'} listed in ${escapeHtml(cat)}, each once, by score.`;
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
  const papers = day.digest.papers;
  // A ranking of the list state is a copy of the day's: found by its id.
  let i = papers.indexOf(r);
  if (i < 0) i = papers.findIndex((p) => p.paper.id === r.paper.id);
  return authorLines(day)[i] ?? '';
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

/** A feed item and what it is made from (its key, '' when unknown): made only when the previous build kept no texts of that key. */
interface KeyedItem {
  key: string;
  make: () => FeedItem;
}

/** A feed to write: its own fields but its date (its newest item's), and its items. */
interface KeyedFeed {
  head: Omit<FeedHead, 'updated'>;
  items: KeyedItem[];
}

function feedHead(
  title: string,
  description: string,
  homePath: string,
  urlOf: (k: FeedKind) => string,
  baseUrl: string,
): KeyedFeed['head'] {
  return {
    title,
    description,
    homeUrl: absoluteUrl(baseUrl, homePath),
    urls: {
      atom: absoluteUrl(baseUrl, urlOf('atom')),
      rss: absoluteUrl(baseUrl, urlOf('rss')),
      json: absoluteUrl(baseUrl, urlOf('json')),
    },
    author: 'hotpapers',
  };
}

function daysFeed(days: readonly ListDay[], baseUrl: string, siteTitle: string): KeyedFeed {
  return {
    head: feedHead(
      siteTitle,
      'The new arXiv papers people are talking about, day by day.',
      paths.index(),
      paths.feed,
      baseUrl,
    ),
    // A day's key says everything its item shows (its digest row's fingerprint).
    items: days.map((d) => ({
      key: itemDayKey(d),
      make: () =>
        dayItem(
          d,
          d.digest.papers,
          baseUrl,
          `Hot papers of ${longDay(d.day)}${d.horizon ? ` (counts at ${d.horizon})` : ''}`,
        ),
    })),
  };
}

/** The entries of a category's feed: those of its newest `max` days (the list is newest first). */
function categoryFeedItems(list: readonly ListAppearance[], max: number): ListAppearance[] {
  // The same count as the list state's head, which must hold them.
  return list.slice(0, newestDaysLength(list, max));
}

function categoryFeed(
  cat: string,
  list: readonly ListAppearance[],
  baseUrl: string,
  siteTitle: string,
): KeyedFeed {
  const byDay = new Map<string, { day: ListDay; papers: ListPaper[] }>();
  for (const a of list) {
    const entry = byDay.get(a.day.day);
    if (entry) entry.papers.push(a.ranked);
    else byDay.set(a.day.day, { day: a.day, papers: [a.ranked] });
  }
  return {
    head: feedHead(
      `${siteTitle} in ${cat}`,
      `The new ${cat} papers people are talking about, day by day.`,
      paths.category(cat),
      (k) => paths.categoryFeed(cat, k),
      baseUrl,
    ),
    // A day's item shows the category's papers of that day still ranked last there (one
    // ranked again later leaves it): the day's row and those papers' rankings, in order (a
    // revision of another paper of the day leaves it as it was).
    items: [...byDay.values()].map(({ day, papers }) => ({
      key: itemDayKey(day) && papers.map((r) => rankingKey(day, r.paper.id)).join(' '),
      make: () =>
        dayItem(
          day,
          papers,
          baseUrl,
          `${cat}: hot papers of ${longDay(day.day)}`,
          `#${encodeURIComponent(cat)}`,
        ),
    })),
  };
}

/** A day's key in a feed item's: dayKey, or '' (never found) for a day with no fingerprint, whose dayKey is made up. */
function itemDayKey(day: ListDay): string {
  return stampsOfDay(day) ? dayKey(day) : '';
}

/** Where a feed's items' texts are kept for the next build: the site's (`''`) or a category's (its key). */
function feedItemsPath(category: string): string {
  return category === '' ? `${FEED_ITEMS_DIR}/site.txt` : `${FEED_ITEMS_DIR}/category-${category}.txt`;
}

/** Folder of the feeds' kept item texts (see writeFeeds). */
const FEED_ITEMS_DIR = '.hotpapers/feeds';

/**
 * The three feeds of `feed`, each written only when its key changed, and beside them (under
 * `.hotpapers/feeds/`) the index of their items by item key (feed-items.ts): the next build that
 * writes the feed again (a new day) cuts the items whose key it finds out of these feeds, as they
 * are, and makes only the new ones. A feed shows 30 days; a new day made every one of their items
 * again (~12% of its CPU, profiled).
 */
function writeFeeds(
  out: { put: Put; keyedFile: KeyedFile; previous: (path: string) => Buffer | undefined },
  key: string,
  feed: () => KeyedFeed,
  pathOf: (k: FeedKind) => string,
  itemsPath: string,
): void {
  let made: { atom: Buffer[]; rss: Buffer[]; json: Buffer[]; items: string } | undefined;
  const texts = () => {
    if (made) return made;
    const { head, items } = feed();
    const before = keptFeedItems(out.previous(itemsPath), (k) => out.previous(pathOf(k)));
    const list = items.map(
      (item) => (item.key === '' ? undefined : before.get(item.key)) ?? itemBytes(itemTexts(item.make())),
    );
    // ISO instants compare as strings; an empty feed is dated at the epoch, never by the clock.
    let updated = '1970-01-01T00:00:00.000Z';
    for (const item of list) if (item.updated > updated) updated = item.updated;
    const feeds = feedBytes({ ...head, updated }, list);
    // The first chunk of each feed is what stands before its items.
    const open = { atom: feeds.atom[0]!.length, rss: feeds.rss[0]!.length, json: feeds.json[0]!.length };
    made = {
      ...feeds,
      items: packFeedIndex(
        open,
        items.map((item, i) => [item.key, list[i]!] as const),
      ),
    };
    return made;
  };
  const { put, keyedFile } = out;
  keyedText(put, keyedFile, pathOf('atom'), key, () => texts().atom);
  keyedText(put, keyedFile, pathOf('rss'), key, () => texts().rss);
  keyedText(put, keyedFile, pathOf('json'), key, () => texts().json);
  keyedText(put, keyedFile, itemsPath, key, () => texts().items);
}

/**
 * A file of plain text (no owner, no math) made from `key` alone (see keyedFile): `text` runs
 * only when the key changed.
 */
function keyedText(
  put: Put,
  keyedFile: KeyedFile,
  path: string,
  key: string,
  text: () => string | Buffer | Buffer[],
): void {
  keyedFile(path, key, (k) => put(path, text(), '', false, false, k));
}
