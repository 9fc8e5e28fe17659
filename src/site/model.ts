/**
 * The site's input: plain data read from the store (or built by hand in tests), plus the
 * pure helpers that derive what pages need from it (paths, engagement history).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { DayDigest, Paper, PaperEnrichment } from '../types.js';
import { remembered } from '../util/remember.js';
import type { CardPost } from './cards.js';
import type { SiteThumb } from './thumbs.js';

/** One day shown on the site: the digest row chosen for that mailing day. */
export interface SiteDay {
  /** Mailing date YYYY-MM-DD. */
  day: string;
  /** The store's categories key of the row, e.g. `cs,stat.ML`. */
  categoriesKey: string;
  /** '' for counts as observed, `24h` / `72h` for a fixed-horizon row. */
  horizon: string;
  digest: DayDigest;
}

/** What list pages need of a ranked paper (the engine keeps this much per paper between builds). */
export interface ListPaper {
  rank: number;
  score: number;
  /**
   * A whole digest's paper has its `authors`; the engine's own summaries leave them out (only
   * feeds show authors, and they read them from the day's packed `authors`: see authorLines).
   */
  paper: Pick<Paper, 'id' | 'title' | 'categories' | 'primaryCategory'> & { authors?: readonly string[] };
}

/**
 * What list pages (index, archive, categories, feeds) need of a day: its digest's head and a
 * ListPaper per ranked paper. A SiteDay is one; the engine keeps these, never whole digests.
 */
export interface ListDay {
  day: string;
  categoriesKey: string;
  horizon: string;
  digest: Pick<DayDigest, 'categories' | 'observedAt' | 'announcedAt' | 'listed' | 'postsFound'> & {
    papers: ListPaper[];
  };
  /**
   * The feeds' author line of each ranked paper, in rank order, packed (packLines): a summary
   * held for every day of the history keeps them as one small string, not a string per paper.
   */
  authors?: string;
}

/** One ranking of a paper as list pages see it (an Appearance is one). */
export interface ListAppearance {
  day: ListDay;
  ranked: ListPaper;
  /** What list pages key this ranking by, once made (build.ts appearanceKey). */
  key?: string;
}

/**
 * Every paper's rankings, newest first. A paper ranked once (nearly all) is held as its one
 * appearance, not in a list: the engine holds this for every paper of the history.
 */
export class Appearances {
  private readonly byPaper = new Map<string, ListAppearance | ListAppearance[]>();

  /** Add the rankings of `day` (in any order of days). */
  add(day: ListDay): void {
    for (const ranked of day.digest.papers) {
      const id = ranked.paper.id;
      // The key slot is there from the start: every ranking has the same shape.
      const entry: ListAppearance = { day, ranked, key: undefined };
      const had = this.byPaper.get(id);
      if (had === undefined) {
        this.byPaper.set(id, entry);
        continue;
      }
      const list = Array.isArray(had) ? had : [had];
      let i = 0;
      while (i < list.length && list[i]!.day.day > day.day) i++;
      list.splice(i, 0, entry);
      if (list !== had) this.byPaper.set(id, list);
    }
  }

  /** The paper's rankings, newest first (empty when it has none). */
  get(id: string): readonly ListAppearance[] {
    const had = this.byPaper.get(id);
    return had === undefined ? [] : Array.isArray(had) ? had : [had];
  }

  /** The paper's newest ranking. */
  latest(id: string): ListAppearance | undefined {
    const had = this.byPaper.get(id);
    return Array.isArray(had) ? had[0] : had;
  }

  has(id: string): boolean {
    return this.byPaper.has(id);
  }

  get size(): number {
    return this.byPaper.size;
  }

  /** Each paper's newest ranking. */
  *latests(): IterableIterator<ListAppearance> {
    for (const had of this.byPaper.values()) {
      const a = Array.isArray(had) ? had[0] : had;
      if (a) yield a;
    }
  }

  /** Each paper with all its rankings, newest first. */
  *lists(): IterableIterator<[string, readonly ListAppearance[]]> {
    for (const [id, had] of this.byPaper) yield [id, Array.isArray(had) ? had : [had]];
  }

  /** The papers ranked more than once, with their rankings. */
  repeated(): Map<string, readonly ListAppearance[]> {
    const out = new Map<string, readonly ListAppearance[]>();
    for (const [id, had] of this.byPaper) if (Array.isArray(had) && had.length > 1) out.set(id, had);
    return out;
  }
}

/** A post from the store that links a paper (also those the day's ranking did not count), with its latest counts. */
export type StoredPost = CardPost;

/** One stored snapshot of a post's counts. */
export interface SnapshotRow {
  /** `source:id` of the post. */
  post: string;
  observedAt: string;
  reposts: number;
  likes: number;
  replies: number;
  quotes: number;
}

/** A paper's summed engagement at one snapshot instant. */
export interface EngagementPoint {
  at: string;
  /** Σ reposts + likes (HN points and HF upvotes are stored as likes). */
  engagement: number;
  reposts: number;
  likes: number;
  replies: number;
  /** Posts with a snapshot at or before this instant. */
  posts: number;
}

/** What the store knows about a paper beyond its digests. */
export interface PaperExtras {
  /** Stored posts linking the paper that none of its digests lists (found later, other sources). */
  posts: StoredPost[];
  /** Engagement over time, oldest first. */
  history: EngagementPoint[];
}

/** A cached embed: `unavailable` means the provider no longer serves the post (deleted). */
export interface EmbedRecord {
  status: 'ok' | 'unavailable';
  html?: string;
}

/** Everything the site is built from. */
export interface SiteModel {
  /** Newest day first. */
  days: SiteDay[];
  /** Per paper id. */
  papers?: ReadonlyMap<string, PaperExtras>;
  /** Per post key `source:id`. */
  embeds?: ReadonlyMap<string, EmbedRecord>;
  /** What Hugging Face says of each paper (TL;DR, keywords, code, project page, thumbnail). */
  enrichments?: ReadonlyMap<string, PaperEnrichment>;
  /** Each paper's thumbnail as the site serves it (WebP bytes, site path, size). */
  thumbs?: ReadonlyMap<string, SiteThumb>;
}

export { postKey } from '../match/match.js';

/**
 * A paper's engagement over time: at each snapshot instant of any of its posts, the sum over
 * its posts of their latest counts at or before that instant. Snapshots may come in any order.
 */
export function engagementHistory(snapshots: readonly SnapshotRow[]): EngagementPoint[] {
  const sorted = [...snapshots].sort((a, b) =>
    a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0,
  );
  const latest = new Map<string, SnapshotRow>();
  const out: EngagementPoint[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i]!;
    latest.set(row.post, row);
    const next = sorted[i + 1];
    if (next && next.observedAt === row.observedAt) continue;
    let reposts = 0;
    let likes = 0;
    let replies = 0;
    for (const s of latest.values()) {
      reposts += s.reposts;
      likes += s.likes;
      replies += s.replies;
    }
    out.push({
      at: row.observedAt,
      engagement: reposts + likes,
      reposts,
      likes,
      replies,
      posts: latest.size,
    });
  }
  return out;
}

/** One copy of each category list and code (days repeat the same few thousands of times). */
const shared = new Map<string, string | readonly string[]>();

function sharedString(text: string): string {
  // Digests from the store are checked loosely: a missing code stays missing.
  if (typeof text !== 'string') return text;
  const known = shared.get(`s\n${text}`);
  if (typeof known === 'string') return known;
  shared.set(`s\n${text}`, text);
  return text;
}

function sharedList(list: readonly string[]): readonly string[] {
  if (!Array.isArray(list)) return list;
  const key = `l\n${list.join('\n')}`;
  const known = shared.get(key);
  if (Array.isArray(known)) return known;
  const copy = Object.freeze(list.map(sharedString));
  shared.set(key, copy);
  return copy;
}

/**
 * A ListDay made small to be held for the whole history: its category lists and codes shared
 * with the other days' (the same few strings), its papers' authors as one line. In place.
 */
export function compactDay<D extends ListDay>(day: D): D {
  day.categoriesKey = sharedString(day.categoriesKey);
  day.horizon = sharedString(day.horizon);
  day.digest.categories = sharedList(day.digest.categories) as string[];
  for (const r of day.digest.papers) {
    const p = r.paper;
    p.categories = sharedList(p.categories) as string[];
    p.primaryCategory = sharedString(p.primaryCategory);
  }
  return day;
}

/** A paper's categories as the engine's files keep them: space-separated, or a list when one has a space. */
export function packCategories(cats: readonly string[]): string | string[] {
  return cats.some((c) => c.includes(' ')) ? [...cats] : cats.join(' ');
}

/** Categories packCategories packed; equal lists are one array (`shared`, by their text). */
export function unpackCategories(cats: string | string[], shared: Map<string, string[]>): string[] {
  if (typeof cats !== 'string') return cats;
  let list = shared.get(cats);
  if (!list) {
    list = cats === '' ? [] : cats.split(' ');
    shared.set(cats, list);
  }
  return list;
}

/** Lines packed into one small string (DEFLATE, base64): what a summary keeps of rarely read text. */
export function packLines(lines: readonly string[]): string {
  return deflateRawSync(Buffer.from(lines.join('\n')), PACK_LINES).toString('base64');
}

/**
 * A day's author lines are a few kilobytes: a 4 KB window and small hash tables pack them as
 * small as zlib's defaults (32 KB, 128 KB) do, and setting those up and clearing them was most of
 * a call's time (300 days of lines alone: 18.5 → 4.1 ms; in a 300-day full build, deflating went
 * from ~29 to ~18 ms, besides ~10 ms making each call's zlib object). Inflating needs no setting.
 */
const PACK_LINES = { windowBits: 12, memLevel: 4 };

/** The lines packLines packed. */
export function unpackLines(packed: string): string[] {
  return inflateRawSync(Buffer.from(packed, 'base64')).toString().split('\n');
}

/** File-name-safe form of an outside string: anything but letters, digits, `.`, `-` becomes `_`. */
export function slug(text: string): string {
  const s = text.replace(/[^A-Za-z0-9.-]/g, '_').replace(/^\.+/, '_');
  return s === '' ? '_' : s;
}

/**
 * The file name of a category, one-to-one: letters, digits, `.` and `-` stay (not a leading
 * `.`), every other byte becomes `_HH`. Category names come from arXiv's data, so no name may
 * reach another's file or the list page: `index` becomes `_index`, and page numbers are
 * `_pN`; neither `_i…` nor `_p…` is a `_HH` code.
 */
export function categoryKey(cat: string): string {
  // A site has a few hundred categories, named on every page that lists a paper.
  return rememberedKey(cat);
}

const rememberedKey = remembered(makeCategoryKey);

function makeCategoryKey(cat: string): string {
  let out = '';
  const bytes = new TextEncoder().encode(cat);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const keep =
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      (b === 0x2e && i > 0);
    out += keep ? String.fromCharCode(b) : `_${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (out === '') return '_';
  return /^index$/i.test(out) ? `_${out}` : out;
}

/** Site paths (relative to the site root) of every page kind. */
export const paths = {
  /** The latest days (no page), or page N of those anchored at the oldest day (1: the oldest). */
  index: (page?: number): string => (page === undefined ? 'index.html' : `page/${page}.html`),
  day: (day: string): string => `days/${slug(day)}.html`,
  paper: (id: string): string => `papers/${slug(id)}.html`,
  categories: (): string => 'categories/index.html',
  /** A category's latest papers (no page), or page N of those anchored at its oldest (1: the oldest). */
  category: (cat: string, page?: number): string =>
    `categories/${categoryKey(cat)}${page === undefined ? '' : `_p${page}`}.html`,
  categoryFeed: (cat: string, kind: FeedKind): string => `categories/${categoryKey(cat)}.${FEED_EXT[kind]}`,
  archive: (): string => 'archive/index.html',
  month: (month: string): string => `archive/${slug(month)}.html`,
  search: (): string => 'search.html',
  feed: (kind: FeedKind): string => FEED_FILE[kind],
} as const;

export type FeedKind = 'atom' | 'rss' | 'json';
/** Every feed kind, in the order a feed's files are listed. */
export const FEED_KINDS: readonly FeedKind[] = ['atom', 'rss', 'json'];
const FEED_FILE: Record<FeedKind, string> = { atom: 'atom.xml', rss: 'rss.xml', json: 'feed.json' };
const FEED_EXT: Record<FeedKind, string> = { atom: 'atom.xml', rss: 'rss.xml', json: 'json' };

/** The relative URL from the page at `from` to the site path `to` (both root-relative). */
export function relativeUrl(from: string, to: string): string {
  let up = '';
  for (let i = from.indexOf('/'); i >= 0; i = from.indexOf('/', i + 1)) up += '../';
  return up + to;
}
