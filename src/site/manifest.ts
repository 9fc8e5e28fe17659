/**
 * The engine's manifest, in slices: what a generation remembers for the next build.
 *
 * - `.hotpapers/manifest.json` (the head): version, engine fingerprint, the store's marks, the
 *   rising signature, the hash of each slice file, each deferred (paper, day-file or thumbnail)
 *   slice's count of entries and whether one uses math (so neither needs the slice parsed), and
 *   each days slice's count of days, their signature (monthSignature), its month, the store's
 *   token for the month's rows and its days' dates and stamps (MonthInfo). Written last, on every
 *   build.
 * - `.hotpapers/manifest/days-YYYY-MM.json`: the heads of one month's days (date, digest row
 *   fingerprint, search fragment hash, counts). A build reads one only when the store's rows of
 *   that month do not have the signature the head keeps, or when it looks at one of its days more
 *   closely than its date and fingerprint (Manifest.daysFor): one new day reads its own month's
 *   and those of the days it shows, not the history's. A month older than every month whose
 *   token changed is made from the head alone: its store rows are not read either.
 * - `.hotpapers/manifest/thumbs-XX.json`: the thumbnails, by the first two characters of their
 *   name (thumbSlice); deferred and taken over unparsed as the paper slices are.
 * - `.hotpapers/manifest/dayfiles-YYYY-MM.json`: the pages and search fragments of that month's
 *   days (dayFileSlice). Like a paper slice, it is parsed only when one of its files is looked up,
 *   and taken over unparsed otherwise: one new day does not read the history's day files.
 * - `.hotpapers/manifest/ranked-YYYY-MM.json`: the ranked papers of that month's days (as rows)
 *   and their packed author lines. A build reads one only when it looks at those papers (a day
 *   of the month is shown or reloaded): a day's list pages are made from the list state
 *   (list-state.ts), not from every day of the history.
 * - `.hotpapers/manifest/papers-YYMM.json`: the paper pages, by the first four characters of the
 *   paper's id (paperSlice). A build parses one only when it looks up one of its pages, and
 *   takes the others over unparsed (FileTable.inherit): most of a site's files are paper pages,
 *   and one new day renders few of them again.
 * - `.hotpapers/manifest/files-GROUP.json`: the list pages and assets, grouped by folder and by
 *   blocks of 64 of the number in their name (`page/0…63`, a category's `_p0…63`, a year's weeks).
 *   Such a slice of one search segment's files in one folder is an owned one (ownedBy): like a
 *   paper slice, it is parsed only when one of its files is looked up, and a segment kept whole
 *   takes it over unparsed. A slice of files owned by nobody (list pages, assets) is a group one:
 *   the head keeps a signature of its paths (groupSignature), it is parsed only when one of its
 *   files is looked up, and a build that keeps every one of its pages by name takes it over
 *   unparsed (FileTable.takeGroup): one new day does not read the history's old list pages.
 *
 * A slice holds its file entries as lines (`path TAB entry`), the form the engine keeps them in,
 * so reading one is a split, not a decode. Writing compares the generation with the one read:
 * only a slice whose days or entries changed is serialised and handed to `put` (and kept when
 * its bytes turn out the same); the others are kept as they are, unread. A new day writes its
 * month's slices (and its neighbour's), the paper slices of the papers it ranks, the slices of
 * the list pages it changed and the head, and the work of writing does not grow with the length
 * of the history.
 */

import { createHash, hash as digestOf } from 'node:crypto';
import { remembered } from '../util/remember.js';
import { alignDays, byMonth } from './align.js';
import type { ListDay, ListPaper } from './model.js';
import { packCategories, slug, unpackCategories } from './model.js';
import { type DayStamps, revisionCounts, type StoreMarks, stampsOf } from './source.js';

/** Site path of the manifest's head (what the next build reads first). */
export const MANIFEST_PATH = '.hotpapers/manifest.json';
/** Folder of the manifest's slices. */
export const MANIFEST_DIR = '.hotpapers/manifest';
/** What every slice's site path starts with. */
const SLICE_PATHS = `${MANIFEST_DIR}/`;
/** The manifest format this engine reads and writes (another one means a full build). */
export const MANIFEST_VERSION = 15;

/** A file's content hash as the manifest keeps it (SHA-1, base64), over its bytes or its chunks in order. */
export function contentHash(data: Buffer | readonly Buffer[]): string {
  // One buffer in one call (no Hash object): most files are one.
  if (!Array.isArray(data)) return digestOf('sha1', data as Buffer, 'base64');
  const hasher = createHash('sha1');
  for (const chunk of data) hasher.update(chunk);
  return hasher.digest('base64');
}

/**
 * A ListDay with the fingerprint of the digest row it was made from, and (read from a manifest)
 * the content hash of its search fragment: a search segment's key is made from its days' hashes
 * without reading their day-file slices.
 */
export type ManifestDay = ListDay & { fingerprint: string; fragment?: string; stamps?: DayStamps };

/** Folder of the days' search fragments (site path). */
export const FRAGMENTS = '.hotpapers/search';

/** Site path of a day's search fragment. */
export function fragmentPath(day: string): string {
  return `${FRAGMENTS}/${day}.txt`;
}

/** A day's own files: its page (`days/DAY.html`) and its search fragment; the day is group 1. */
const DAY_FILE = /^(?:days\/|\.hotpapers\/search\/)(\d{4}-\d{2})-\d{2}\.(?:html|txt)$/;

/** What the name of every day-file slice starts with. */
const DAY_FILE_SLICES = `${MANIFEST_DIR}/dayfiles-`;

/**
 * The day-file slice of a day's page or search fragment (its month's), undefined for any other
 * path. It follows from the path alone, as a paper slice does, so a lookup parses that slice only.
 */
export function dayFileSlice(path: string): string | undefined {
  // Asked for every path a build keeps or sets: most are not in these two folders.
  if (!path.startsWith('days/') && !path.startsWith(`${FRAGMENTS}/`)) return undefined;
  const m = DAY_FILE.exec(path);
  return m ? dayFileSliceOf(m[1]!) : undefined;
}

const dayFileSliceOf = remembered((month) => `${DAY_FILE_SLICES}${slug(month)}.json`);

/** Folder of the thumbnails (`thumbs/HASH.webp`, named by a hash of their bytes). */
const THUMBS = 'thumbs/';

/** What the name of every thumbnail slice starts with. */
const THUMB_SLICES = `${MANIFEST_DIR}/thumbs-`;

/**
 * The slice of a thumbnail: by the first two characters of its name (a hash), so a lookup finds
 * it from the path alone and parses that slice only. Their owner's month would keep a month's
 * thumbnails together, but a lookup has the path only: every month's would be read.
 */
export function thumbSlice(path: string): string {
  return thumbSliceOf(path.slice(THUMBS.length, THUMBS.length + 2));
}

const thumbSliceOf = remembered((key) => `${THUMB_SLICES}${slug(key)}.json`);

/** The deferred slice a path other than a paper page's can be in (a day file's or a thumbnail's), undefined for others. */
function pathSlice(path: string): string | undefined {
  return path.startsWith(THUMBS) ? thumbSlice(path) : dayFileSlice(path);
}

/** Whether slice `name` is read only when needed (a paper, day-file or thumbnail slice). */
function isDeferred(name: string): boolean {
  return name.startsWith(PAPER_SLICES) || isPathSlice(name);
}

/** Whether slice `name` holds entries found by their path other than paper pages (a day-file or thumbnail slice). */
function isPathSlice(name: string): boolean {
  return name.startsWith(DAY_FILE_SLICES) || name.startsWith(THUMB_SLICES);
}

/**
 * Per site path: [content hash, owner, uses math (1) or not (0), and for a list page its key, for
 * a paper page the days that rank the paper].
 */
export type FileEntry = [string, string, 0 | 1] | [string, string, 0 | 1, string];

/** Folder of the paper pages, whose entries have slices of their own (see paperSlice). */
const PAPERS = 'papers/';

/** Whether `path` is a paper page (its entry is in a paper slice, read when first needed). */
function isPaperPath(path: string): boolean {
  return path.startsWith(PAPERS);
}

/** What the name of every paper slice starts with. */
const PAPER_SLICES = `${MANIFEST_DIR}/papers-`;

/**
 * The slice of a paper page: by the first four characters of its name, an arXiv id's year and
 * month. It follows from the path alone, so an entry is found without reading the other slices,
 * and it never moves: a paper ranked again keeps its slice.
 */
export function paperSlice(path: string): string {
  const name = path.slice(PAPERS.length, path.endsWith('.html') ? -5 : undefined);
  return paperSliceOf(name.slice(0, 4));
}

/** A paper slice's name by the first four characters of its papers' names (asked for each page). */
const paperSliceOf = remembered((key) => `${PAPER_SLICES}${slug(key)}.json`);

/** An owned slice's owner (a search segment) and the folder all its files are in (see ownedBy). */
interface Owned {
  owner: string;
  dir: string;
}

/**
 * A slice not parsed yet: how to read its bytes, its count of entries, whether one uses math, an
 * owned one's owner, a group one's signature of its paths and, when they are a run, the run.
 */
interface Unread {
  read: () => Buffer | undefined;
  count: number;
  math: boolean;
  owned?: Owned;
  group?: string;
  run?: string;
}

/**
 * A deferred slice as the head tells of it: its count of entries, whether one uses math, an owned
 * one's owner, a group one's signature and run (groupRun).
 */
export type SliceInfo = [number, boolean, Owned | undefined, string | undefined, string | undefined];

/**
 * The signature of a group slice's paths (sorted, as the slice holds them): a build that kept
 * exactly these paths takes the slice over without reading it.
 */
export function groupSignature(paths: readonly string[]): string {
  return digestOf('sha1', paths.join('\n'), 'base64');
}

/**
 * The run a group slice's paths make, when they do: the same text before and after a number (the
 * last run of digits, as groupSlice reads it), written the same way (no leading zero, or all
 * of one width), every number from the first to the last once. Given as the paths of its first
 * and last number, `FIRST TAB LAST`; undefined when the paths are not such a run. A build keeping
 * a past year's months, or a block of numbered pages, names the run's ends instead of every page
 * (FileTable.takeGroupRun).
 */
export function groupRun(paths: readonly string[]): string | undefined {
  let before: string | undefined;
  let after = '';
  let canonical = true;
  let width = -1;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let first = '';
  let last = '';
  const seen = new Set<number>();
  for (const path of paths) {
    if (path.includes('\t')) return undefined;
    let end = path.length;
    while (end > 0 && !isDigit(path.charCodeAt(end - 1))) end--;
    if (end === 0) return undefined;
    let start = end - 1;
    while (start > 0 && isDigit(path.charCodeAt(start - 1))) start--;
    if (before === undefined) {
      before = path.slice(0, start);
      after = path.slice(end);
    } else if (path.slice(0, start) !== before || path.slice(end) !== after) return undefined;
    const digits = path.slice(start, end);
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || seen.has(n)) return undefined;
    seen.add(n);
    // Written as the numbers themselves, or all of one width (`06`…`12`): checked below.
    if (String(n) !== digits) canonical = false;
    if (width === -1) width = digits.length;
    else if (width !== digits.length) width = -2;
    if (n < min) {
      min = n;
      first = path;
    }
    if (n > max) {
      max = n;
      last = path;
    }
  }
  if (before === undefined || (!canonical && width < 0) || max - min + 1 !== paths.length) return undefined;
  return `${first}\t${last}`;
}

/**
 * The previous generation turned out unusable where a build looked (a file its manifest lists is
 * missing, a slice does not parse): the caller builds in full.
 */
export class StaleGenerationError extends Error {}

/**
 * The file entries of a generation, by site path, each held as one string (`math hash TAB owner
 * [TAB key]`) rather than an array of strings: a site of 3,000 days has about 100,000 files, and
 * the engine holds every entry for the whole build.
 *
 * The paper pages, most of a site's files, are held apart, per paper slice. A table read from a
 * manifest parses a paper slice when one of its paths is first asked for, and a table can take
 * over another's unparsed slices whole (inherit): one new day's build then neither parses nor
 * copies the pages of papers it did not touch. A month's day pages and fragments (day-file
 * slices) are deferred and taken over the same way. Every method answers as if all were parsed.
 */
export class FileTable {
  private readonly entries = new Map<string, string>();
  private readonly papers = new Map<string, string>();
  /** Paper, day-file, thumbnail and owned slices not parsed yet, by slice name. */
  private readonly unread = new Map<string, Unread>();
  /** How many day-file and thumbnail slices are not parsed yet (a lookup of such a file parses the slice its path names). */
  private unreadByPath = 0;
  /** Per folder, how many unread owned slices hold its files (a lookup outside `papers/` parses one only in those). */
  private readonly ownedDirs = new Map<string, number>();
  /** How many group slices are not parsed yet (a lookup outside `papers/` then parses the one its path names). */
  private unreadGroups = 0;
  /** Per slice deferred (read from a manifest): its number of entries, whether one uses math, whose it is, a group one's signature and run. */
  private readonly info = new Map<string, SliceInfo>();
  /** Per owner, the owned slices deferred (read from a manifest). */
  private readonly ownedSlices = new Map<string, string[]>();
  /** The paths of each owned slice parsed. */
  private readonly parsedOwned = new Map<string, string[]>();
  /** Paper and day-file slices of which this table was given an entry (inherit leaves them out). */
  private readonly slicesSet = new Set<string>();
  /** Told each paper or owned slice parsed, with its paths. */
  private readonly onParse: ((slice: string, paths: string[]) => void) | undefined;
  /** Paths given an entry through `set`, when asked for (trackSets); copied entries are not. */
  private sets: string[] | undefined;

  constructor(onParse?: (slice: string, paths: string[]) => void) {
    this.onParse = onParse;
  }

  /** From now on, note each path given an entry through `set` (see setPaths). */
  trackSets(): void {
    this.sets ??= [];
  }

  /**
   * The paths given an entry through `set` since trackSets, possibly more than once; every other
   * entry was copied as it was held (`copy`, `setRaw`, `inherit`). Undefined when not tracked.
   */
  setPaths(): readonly string[] | undefined {
    return this.sets;
  }

  get size(): number {
    let n = this.entries.size + this.papers.size;
    for (const u of this.unread.values()) n += u.count;
    return n;
  }

  /**
   * Hold slice `name` unread (`read` gives its bytes as written; `count` entries, math in some):
   * a paper or day-file slice, with `owned` an owned slice, with `group` (its signature; `run`, the
   * run its paths make, if they do) a group one.
   */
  defer(
    name: string,
    read: () => Buffer | undefined,
    count: number,
    math: boolean,
    owned?: Owned,
    group?: string,
    run?: string,
  ): void {
    const u: Unread = { read, count, math };
    if (owned) u.owned = owned;
    if (group !== undefined) u.group = group;
    if (run !== undefined) u.run = run;
    this.hold(name, u);
    this.info.set(name, [count, math, owned, group, run]);
    if (owned) {
      const list = this.ownedSlices.get(owned.owner);
      if (list) list.push(name);
      else this.ownedSlices.set(owned.owner, [name]);
    }
  }

  private hold(name: string, u: Unread): void {
    this.unread.set(name, u);
    if (isPathSlice(name)) this.unreadByPath++;
    if (u.group !== undefined) this.unreadGroups++;
    const dir = u.owned?.dir;
    if (dir !== undefined) this.ownedDirs.set(dir, (this.ownedDirs.get(dir) ?? 0) + 1);
  }

  /** A deferred slice's count of entries, whether one uses math, an owned one's owner and folder, a group one's signature and run. */
  sliceInfo(name: string): SliceInfo | undefined {
    return this.info.get(name);
  }

  /**
   * Take over `from`'s paper and day-file slices not parsed yet, and of which this table has no
   * entry: the same as copying each of their entries, without parsing them. The number of
   * entries taken.
   */
  inherit(from: FileTable): number {
    let n = 0;
    for (const [name, u] of from.unread) {
      if (u.owned || u.group !== undefined || this.slicesSet.has(name) || this.unread.has(name)) continue;
      this.hold(name, u);
      n += u.count;
    }
    return n;
  }

  /**
   * Take over `from`'s owned slices of `owner` not parsed yet: this table must set no path of
   * them itself. The number of entries taken, and the paths of the owner's slices `from` has
   * parsed (the caller copies those, and the owner's entries in other slices, one by one).
   */
  inheritOwned(from: FileTable, owner: string): { count: number; parsed: string[] } {
    let count = 0;
    const parsed: string[] = [];
    for (const name of from.ownedSlices.get(owner) ?? []) {
      const u = from.unread.get(name);
      if (u === undefined) parsed.push(...(from.parsedOwned.get(name) ?? []));
      else if (!this.unread.has(name)) {
        this.hold(name, u);
        count += u.count;
      }
    }
    return { count, parsed };
  }

  /** The group slice `path` is in when it is held unparsed (none of its paths looked up yet), else undefined. */
  unreadGroupOf(path: string): string | undefined {
    if (this.unreadGroups === 0 || isPaperPath(path)) return undefined;
    const name = groupSlice(path);
    return this.unread.get(name)?.group === undefined ? undefined : name;
  }

  /**
   * Take over `from`'s group slice `name`, not parsed yet, when `kept` (sorted) are exactly its
   * paths: the same as copying each of their entries. This table must hold none of them. The
   * number of entries taken, undefined when the slice was parsed or holds other paths.
   */
  takeGroup(from: FileTable, name: string, kept: readonly string[]): number | undefined {
    const u = from.unread.get(name);
    if (u?.group === undefined || this.unread.has(name)) return undefined;
    if (u.count !== kept.length || groupSignature(kept) !== u.group) return undefined;
    this.hold(name, u);
    return u.count;
  }

  /**
   * Take over `from`'s group slice `name`, not parsed yet, when its paths are the run `run`
   * (groupRun) of `count` paths: the same as takeGroup with that run's paths, without making them.
   */
  takeGroupRun(from: FileTable, name: string, run: string, count: number): number | undefined {
    const u = from.unread.get(name);
    if (u?.run === undefined || u.run !== run || u.count !== count || this.unread.has(name)) return undefined;
    this.hold(name, u);
    return u.count;
  }

  /** Parse every group slice held unparsed, but those `except` took over (takeGroup) unparsed. */
  parseGroups(except?: FileTable): void {
    if (this.unreadGroups > 0) this.parseHeld((u) => u.group !== undefined, except);
  }

  /** Parse every owned slice held unparsed, but those `except` took over (inheritOwned) unparsed. */
  parseOwned(except?: FileTable): void {
    this.parseHeld((u) => u.owned !== undefined, except);
  }

  /** Parse every slice held unparsed that `pick` picks, but those `except` holds unparsed too (took over). */
  private parseHeld(pick: (u: Unread) => boolean, except: FileTable | undefined): void {
    for (const [name, u] of [...this.unread])
      if (pick(u) && except?.unread.get(name) !== u) this.parseSlice(name);
  }

  /** Parse slice `name` if it is held unparsed. */
  parseSlice(name: string): void {
    const u = this.unread.get(name);
    if (u === undefined) return;
    this.unread.delete(name);
    const byPath = isPathSlice(name);
    if (byPath) this.unreadByPath--;
    if (u.group !== undefined) this.unreadGroups--;
    const dir = u.owned?.dir;
    if (dir !== undefined) {
      const left = this.ownedDirs.get(dir)! - 1;
      if (left > 0) this.ownedDirs.set(dir, left);
      else this.ownedDirs.delete(dir);
    }
    const bytes = u.read();
    if (!bytes) throw new StaleGenerationError(`the manifest slice ${name} is missing`);
    let lines: unknown;
    try {
      lines = (JSON.parse(bytes.toString()) as Slice).files;
    } catch {
      lines = undefined;
    }
    if (!Array.isArray(lines)) throw new StaleGenerationError(`the manifest slice ${name} does not parse`);
    const into = u.owned || byPath || u.group !== undefined ? this.entries : this.papers;
    const paths = readLines(lines as string[], (path, v) => into.set(path, v));
    if (u.owned) this.parsedOwned.set(name, paths);
    else this.slicesSet.add(name);
    this.onParse?.(name, paths);
  }

  private parseAll(): void {
    for (const name of [...this.unread.keys()]) this.parseSlice(name);
  }

  /** The map holding `path`'s entry (its paper, day-file, thumbnail, owned or group slice parsed first). */
  private mapOf(path: string): Map<string, string> {
    if (!isPaperPath(path)) {
      // A slice's own file is in no slice (the head lists it): its lookup parses none. A build
      // looks each slice up several times, and most are kept.
      if (path.startsWith(SLICE_PATHS)) return this.entries;
      if (
        (this.unreadByPath > 0 || this.ownedDirs.size > 0 || this.unreadGroups > 0) &&
        !this.entries.has(path)
      ) {
        // Not held parsed: it can only be in the day-file, thumbnail, owned or group slice its path names.
        const byPath = pathSlice(path);
        if (byPath !== undefined) {
          if (this.unreadByPath > 0) this.parseSlice(byPath);
        }
        // A day's file or a thumbnail is in no group nor owned slice.
        else if (this.unreadGroups > 0 || (this.ownedDirs.size > 0 && this.ownedDirs.has(dirOf(path))))
          this.parseSlice(groupSlice(path));
      }
      return this.entries;
    }
    if (this.unread.size > 0) this.parseSlice(paperSlice(path));
    return this.papers;
  }

  has(path: string): boolean {
    return this.mapOf(path).has(path);
  }

  /** The entry of `path` (a new array: change it through set). */
  get(path: string): FileEntry | undefined {
    const v = this.mapOf(path).get(path);
    return v === undefined ? undefined : decode(v);
  }

  /** The content hash of `path`'s entry. */
  hash(path: string): string | undefined {
    const v = this.mapOf(path).get(path);
    return v === undefined ? undefined : v.slice(1, v.indexOf('\t'));
  }

  /** The owner of `path`'s entry. */
  owner(path: string): string | undefined {
    const v = this.mapOf(path).get(path);
    return v === undefined ? undefined : ownerOf(v);
  }

  set(path: string, entry: FileEntry): void {
    const [hash, owner, math, key] = entry;
    // Joined, not concatenated: a template string would be kept as a tree of its parts.
    const parts = key === undefined ? [math, hash, '\t', owner] : [math, hash, '\t', owner, '\t', key];
    this.setRaw(path, parts.join(''));
    this.sets?.push(path);
  }

  /** The entry of `path` as the table holds it (one string: equal strings, equal entries). */
  raw(path: string): string | undefined {
    return this.mapOf(path).get(path);
  }

  /** Hold an entry read from a slice parsed whole (never a deferred or owned slice's). */
  load(path: string, value: string): void {
    this.entries.set(path, value);
  }

  /** Set `path`'s entry from its held form (a `raw` of some table). */
  setRaw(path: string, value: string): void {
    const map = this.mapOf(path);
    if (map === this.papers) this.slicesSet.add(paperSlice(path));
    else {
      const slice = pathSlice(path);
      if (slice !== undefined) this.slicesSet.add(slice);
    }
    map.set(path, value);
  }

  /** Each path with its entry as held (every paper slice parsed first). */
  *rawEntries(): IterableIterator<[string, string]> {
    this.parseAll();
    yield* this.entries;
    yield* this.papers;
  }

  /** Each path with its entry as held, but those of deferred and owned slices not parsed yet. */
  *heldEntries(): IterableIterator<[string, string]> {
    yield* this.entries;
    yield* this.papers;
  }

  /** Copy `path`'s entry from another table (as it is, without decoding it). */
  copy(from: FileTable, path: string): boolean {
    const v = from.raw(path);
    if (v === undefined) return false;
    this.setRaw(path, v);
    return true;
  }

  *paths(): IterableIterator<string> {
    for (const [path] of this.rawEntries()) yield path;
  }

  /** Each path with its owner (no entry is decoded). */
  *owners(): IterableIterator<[string, string]> {
    for (const [path, v] of this.rawEntries()) yield [path, ownerOf(v)];
  }

  /** Whether some entry's file uses math (slices not parsed say so themselves). */
  anyMath(): boolean {
    for (const u of this.unread.values()) if (u.math) return true;
    for (const map of [this.entries, this.papers])
      for (const v of map.values()) if (v.charCodeAt(0) === 49) return true;
    return false;
  }
}

/**
 * Whether an entry as held (FileTable.raw) is owned by a day (`d`), a paper (`p`), a search
 * segment (`s`) or none of them ('').
 */
export function ownerKind(v: string): 'd' | 'p' | 's' | '' {
  const start = v.indexOf('\t') + 1;
  if (v.charCodeAt(start + 1) !== 58) return '';
  const c = v[start];
  return c === 'd' ? 'd' : c === 'p' ? 'p' : c === 's' ? 's' : '';
}

/** The owner in an entry as held. */
export function ownerOf(v: string): string {
  const start = v.indexOf('\t') + 1;
  const end = v.indexOf('\t', start);
  return end < 0 ? v.slice(start) : v.slice(start, end);
}

function decode(v: string): FileEntry {
  const tab = v.indexOf('\t');
  const hash = v.slice(1, tab);
  const math = v.charCodeAt(0) === 49 ? 1 : 0;
  const end = v.indexOf('\t', tab + 1);
  return end < 0 ? [hash, v.slice(tab + 1), math] : [hash, v.slice(tab + 1, end), math, v.slice(end + 1)];
}

/** Give each line of a slice (`path TAB entry as held`) to `put`; the paths, in order. */
function readLines(lines: readonly string[], put: (path: string, entry: string) => void): string[] {
  const paths: string[] = [];
  for (const line of lines) {
    const tab = line.indexOf('\t');
    const path = line.slice(0, tab);
    put(path, line.slice(tab + 1));
    paths.push(path);
  }
  return paths;
}

/** What a generation remembers for the next build (whole, as the engine sees it). */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  engine: string;
  marks: StoreMarks;
  /** Newest first. */
  days: ManifestDay[];
  /**
   * Site path → [content hash, owner, uses math (1) or not (0), and for a list page the key of
   * what it was rendered from (the same key: the page is kept without being rendered), for a
   * paper page the days that rank the paper, space-separated (a build reads them there)].
   */
  files: FileTable;
  /** Signature of the rising pages' inputs (rising.ts), when the site has them. */
  rising?: string;
  /** Where each file entry was read from (a manifest read from disk; writing compares with it). */
  slices?: SliceIndex;
  /** Per days slice of a manifest read from disk: its number of days, their signature, its file entries, its month's token. */
  months?: ReadonlyMap<string, MonthInfo>;
  /**
   * Per month of its days, the store's token for the month's rows (DayList.tokens; '' when the
   * store gave none). A manifest read from disk has it when every days slice's head names its
   * month; one to write, when the source gave tokens (the head then keeps them).
   */
  tokens?: ReadonlyMap<string, string>;
  /**
   * The days, newest first, made with the store's rows `refs` (newest first) at hand: a month
   * whose rows have the signature its head keeps is made from them, and its days slice is read
   * only when one of its days is looked at more closely. With `since` (DayList.since), `refs`
   * are the rows from `since` on, and a month before it is made from its head alone (its token
   * said its rows are those it had). Once called, `days` is that list. Without it (a manifest
   * made in memory), `days` is the list.
   */
  daysFor?(refs: ReadonlyArray<{ day: string; fingerprint: string }>, since?: string): ManifestDay[];
}

/**
 * Where the entries of a manifest read from disk came from: every slice's name, the slice of
 * each path, and each slice's paths (a paper slice's once it is parsed: `paths` parses it).
 */
export class SliceIndex {
  /** Every slice read, by name. */
  readonly names: string[] = [];
  /** The head's lists of lines as read (writeManifest takes a kept slice's lines from them). */
  readonly lines: HeadLines;
  /** The slice of each path but the paper pages (theirs follows from the path). */
  readonly ofPath = new Map<string, string>();
  private readonly pathsOf = new Map<string, string[]>();
  private table: FileTable | undefined;

  constructor(lines: HeadLines) {
    this.lines = lines;
  }

  /** Index the entries of `table` (whose paper slices tell `noteSlice` when parsed). */
  attach(table: FileTable): void {
    this.table = table;
  }

  /** Slice `name` was read with `paths`. */
  noteSlice(name: string, paths: string[]): void {
    this.pathsOf.set(name, paths);
    if (!name.startsWith(PAPER_SLICES)) for (const path of paths) this.ofPath.set(path, name);
  }

  /** The slice `path` was read from, undefined when none. */
  sliceOf(path: string): string | undefined {
    // A slice's own file is in no slice (the head lists it); most paths a build leaves out are these.
    if (path.startsWith(SLICE_PATHS)) return undefined;
    if (isPaperPath(path)) return this.table?.has(path) ? paperSlice(path) : undefined;
    // An owned slice not parsed yet is parsed by the lookup (and noted).
    return this.ofPath.get(path) ?? (this.table?.has(path) ? this.ofPath.get(path) : undefined);
  }

  /** The paths read from slice `name`. */
  paths(name: string): readonly string[] {
    this.table?.parseSlice(name);
    return this.pathsOf.get(name) ?? [];
  }
}

/**
 * The head as written: each list holds lines (`name TAB …`), sorted by name, not objects keyed
 * by slice name. A site of 3,000 days has about 900 slices, and an object with that many keys is
 * built (JSON.parse, Object.fromEntries) one new shape per key, several times slower.
 */
interface HeadFile {
  version: number;
  engine: string;
  marks: StoreMarks;
  rising?: string;
  /** Per slice file: `name TAB entry as held` (FileTable.raw: its hash, owner ''). */
  files: string[];
  /** Per deferred (paper or day-file) slice: `name TAB count TAB math`, math 1 when one of its entries uses math. */
  deferred: string[];
  /** Per owned slice (see ownedBy): `name TAB count TAB owner TAB folder`. */
  owned: string[];
  /**
   * Per group slice (files owned by nobody): `name TAB count TAB math TAB signature of its paths
   * (groupSignature)`, then `TAB first TAB last` when its paths are a run (groupRun).
   */
  groups: string[];
  /**
   * Per days slice: `name TAB days TAB signature (monthSignature) TAB file entries`, then, when
   * its days share their month, `TAB month TAB the store's token for it ('' when none) TAB its
   * days, space-separated, each as its date past the month and its stamps` (MonthInfo).
   */
  months: string[];
}

/** The head's lists of lines (`name TAB …`, sorted by name), as written. */
type HeadLines = Pick<HeadFile, 'files' | 'deferred' | 'owned' | 'groups' | 'months'>;

/** The manifest's head, read (readHead). */
export interface Head {
  version: number;
  engine: string;
  marks: StoreMarks;
  rising?: string;
  /** The slice files, each with its entry as held (hash, owner ''). */
  files: Map<string, string>;
  /** Per deferred (paper or day-file) slice: its number of entries, and 1 when one of them uses math. */
  deferred: Map<string, [number, 0 | 1]>;
  /** Per owned slice (see ownedBy): its number of entries, their owner and folder. */
  owned: Map<string, [number, string, string]>;
  /** Per group slice: its number of entries, 1 when one of them uses math, the signature of its paths, their run (groupRun) if they make one. */
  groups: Map<string, GroupInfo>;
  /** Per days slice: its number of days, their signature (monthSignature), its number of file entries. */
  months: Map<string, MonthInfo>;
  /** The lists' lines as read. */
  lines: HeadLines;
}

/**
 * A days slice's number of days, their signature (monthSignature) and its number of file entries;
 * then, when its days share their month (their first seven characters) and the rest of each is
 * plain: that month, the store's token for it when the slice was written ('' when none: see
 * DayList.tokens), and its days, newest first, space-separated, each as its date past the month
 * and its DayStamps: `-18=WHOLE` when no paper of it was revised, else `-18=WHOLE=ROW=IDS` (the
 * revised papers' ids, one per revision, comma-separated). A list page keys a day by its stamps,
 * so a day made from the head alone is keyed without its fingerprint.
 */
export type MonthInfo = [number, string, number] | [number, string, number, string, string, string];

/** A days slice's MonthInfo, from its days (newest first), with its month's token from `tokens`. */
function monthInfo(
  days: readonly ManifestDay[],
  entries: number,
  tokens: ReadonlyMap<string, string> | undefined,
): MonthInfo {
  const count = days.length;
  const signature = monthSignature(days);
  const month = days[0]!.day.slice(0, 7);
  const rest: string[] = [];
  const plain = (text: string) => !/[\s=,]/.test(text);
  for (const d of days) {
    const tail = d.day.slice(7);
    // A day with no fingerprint (a source that only builds in full) has no stamps.
    const stamps = stampsOfDay(d);
    if (!stamps || d.day.length < 8 || !d.day.startsWith(month) || !plain(tail))
      return [count, signature, entries];
    const { whole, row, revisions } = stamps;
    const ids = [...revisions].flatMap(([id, n]) => Array<string>(n).fill(id));
    if (!ids.every(plain)) return [count, signature, entries];
    rest.push(
      whole === row && ids.length === 0 ? `${tail}=${whole}` : `${tail}=${whole}=${row}=${ids.join(',')}`,
    );
  }
  return [count, signature, entries, month, tokens?.get(month) ?? '', rest.join(' ')];
}

/** Each day's stamps made from its fingerprint, once per day in this process (the head's and the list pages' keys). */
const madeStamps = new WeakMap<ListDay, DayStamps>();

/**
 * A day's DayStamps: those its month's head gave (a day made from the head alone, whose
 * fingerprint is then not read), else made from its fingerprint; none without one.
 */
export function stampsOfDay(day: ListDay): DayStamps | undefined {
  const given = (day as Partial<ManifestDay>).stamps;
  if (given) return given;
  let stamps = madeStamps.get(day);
  if (stamps === undefined) {
    const fingerprint = (day as Partial<ManifestDay>).fingerprint;
    if (!fingerprint) return undefined;
    stamps = stampsOf(fingerprint);
    madeStamps.set(day, stamps);
  }
  return stamps;
}

/** A kept days slice's MonthInfo with its month's token now (none when its head gave no month). */
function withToken(info: MonthInfo, tokens: ReadonlyMap<string, string> | undefined): MonthInfo {
  if (info.length !== 6) return info;
  const [count, signature, entries, month, , rest] = info;
  return [count, signature, entries, month, tokens?.get(month) ?? '', rest];
}

/** A group slice's number of entries, 1 when one uses math, the signature of its paths and their run (groupRun), if any. */
type GroupInfo = [number, 0 | 1, string] | [number, 0 | 1, string, string];

/** A group slice's GroupInfo, its run left out when there is none. */
function groupInfo(count: number, math: 0 | 1, signature: string, run: string | undefined): GroupInfo {
  return run === undefined ? [count, math, signature] : [count, math, signature, run];
}

/** The fields of each line (`name TAB …`) of a head's list. */
function fieldsOf(lines: unknown): string[][] {
  if (!Array.isArray(lines)) throw new Error('not a list');
  return (lines as string[]).map((line) => line.split('\t'));
}

/** Parse the manifest's head: undefined when it is of another format, an error when it does not parse. */
export function readHead(bytes: Buffer): Head | undefined {
  const file = JSON.parse(bytes.toString()) as HeadFile;
  if (file.version !== MANIFEST_VERSION || !Array.isArray(file.files)) return undefined;
  const files = new Map<string, string>();
  for (const line of file.files) {
    const tab = line.indexOf('\t');
    files.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const deferred = new Map<string, [number, 0 | 1]>();
  for (const [name, count, math] of fieldsOf(file.deferred))
    deferred.set(name!, [Number(count), math === '1' ? 1 : 0]);
  const owned = new Map<string, [number, string, string]>();
  for (const [name, count, owner, dir] of fieldsOf(file.owned)) {
    if (owner === undefined || dir === undefined) return undefined;
    owned.set(name!, [Number(count), owner, dir]);
  }
  const groups = new Map<string, GroupInfo>();
  for (const [name, count, math, signature, first, last] of fieldsOf(file.groups)) {
    if (signature === undefined) return undefined;
    const run = first !== undefined && last !== undefined ? `${first}\t${last}` : undefined;
    groups.set(name!, groupInfo(Number(count), math === '1' ? 1 : 0, signature, run));
  }
  const months = new Map<string, MonthInfo>();
  for (const [name, count, signature, entries, month, token, rest] of fieldsOf(file.months)) {
    if (signature === undefined || entries === undefined) return undefined;
    months.set(
      name!,
      month !== undefined && token !== undefined && rest !== undefined
        ? [Number(count), signature, Number(entries), month, token, rest]
        : [Number(count), signature, Number(entries)],
    );
  }
  return {
    version: file.version,
    engine: file.engine,
    marks: file.marks,
    rising: file.rising,
    files,
    deferred,
    owned,
    groups,
    months,
    lines: {
      files: file.files,
      deferred: file.deferred,
      owned: file.owned,
      groups: file.groups,
      months: file.months,
    },
  };
}

interface Slice {
  /** The heads of the month's days (a days slice; none in the others). */
  days: SliceDay[];
  /** `path TAB entry as held` (FileTable.raw), sorted by path. */
  files: string[];
}

/**
 * A day as a days slice holds it, without its ranked papers (see RankedSlice): its head as one
 * line, `day TAB fingerprint TAB fragment hash TAB categories key TAB horizon TAB the digest's
 * categories (space-separated) TAB observedAt TAB announcedAt or '' TAB listed TAB postsFound`,
 * or as a row of those fields (the categories a list) when one holds a tab or a category a space.
 * Every build that adds a day reads every day's head, but looks at little more than the first
 * three fields of most: one string a day parses faster than a row, and the rest is split only
 * when asked for (StoredDay).
 */
type SliceDay = string | SliceRow;

/** A day's head as a row: day, fingerprint, fragment hash, then HeadRest's fields. */
type SliceRow = [string, string, string, ...HeadRest];

/** A day's head past its first three fields: categories key, horizon, categories, observedAt, announcedAt or '', listed, postsFound. */
type HeadRest = [string, string, string[], string, string, number, number];

/** Per ranked paper, in order: rank, score, id, title, primary category, categories (space-separated when none has a space). */
type RankedRow = [number, number, string, string, string, string | string[]];

/**
 * The ranked papers of a month's days, as rows rather than objects with a key per field (the
 * rows parse in about half the time), with each day's packed author lines.
 */
interface RankedSlice {
  days: Array<{ day: string; ranked: RankedRow[]; authors?: string }>;
}

/** A day's head as a days slice holds it (`fragment`: its search fragment's hash). */
function packHead(day: ManifestDay, fragment: string): SliceDay {
  const d = day.digest;
  const row: SliceRow = [
    day.day,
    day.fingerprint,
    fragment,
    day.categoriesKey,
    day.horizon,
    d.categories,
    d.observedAt,
    d.announcedAt ?? '',
    d.listed,
    d.postsFound,
  ];
  const plain = (v: unknown) => typeof v !== 'string' || !/[\t\n\r]/.test(v);
  if (!row.every(plain) || !d.categories.every((c) => plain(c) && !c.includes(' '))) return row;
  return row.map((v) => (Array.isArray(v) ? v.join(' ') : v)).join('\t');
}

/** The fields of a head line past its first three (`rest`: from the fourth on); an error when they are not all there. */
function headRest(rest: string): HeadRest {
  const f = rest.split('\t');
  const listed = Number(f[5]);
  const postsFound = Number(f[6]);
  if (f.length !== 7 || !Number.isFinite(listed) || !Number.isFinite(postsFound))
    throw new StaleGenerationError('a day head in the manifest does not parse');
  return [f[0]!, f[1]!, f[2] ? f[2].split(' ') : [], f[3]!, f[4]!, listed, postsFound];
}

/** A day's ranked papers and author lines as a ranked slice holds them. */
function packRanked(day: ManifestDay): RankedSlice['days'][number] {
  const authors = day.authors;
  return {
    day: day.day,
    ranked: day.digest.papers.map((r) => [
      r.rank,
      r.score,
      r.paper.id,
      r.paper.title,
      r.paper.primaryCategory,
      packCategories(r.paper.categories),
    ]),
    ...(authors === undefined ? {} : { authors }),
  };
}

/** A ranked slice's rows as ListPapers; equal category lists are one array (`shared`). */
function unpackRanked(rows: RankedRow[], shared: Map<string, string[]>): ListPaper[] {
  if (!Array.isArray(rows)) throw new Error('a day without its ranked papers');
  return rows.map(
    ([rank, score, id, title, primaryCategory, cats]): ListPaper => ({
      rank,
      score,
      paper: { id, title, categories: unpackCategories(cats, shared), primaryCategory },
    }),
  );
}

/**
 * The ranked slice of a month's stored days, read when the papers or author lines of one of them
 * are first asked for: one per month, shared by its days.
 */
class RankedLoad {
  constructor(private readonly load: () => void) {}
  private done = false;

  /** Read the slice once (it settles every day of the month). */
  run(): void {
    if (this.done) return;
    this.done = true;
    this.load();
  }
}

/** A stored day's digest head, whose ranked papers are read when first asked for. */
class StoredDigest {
  announcedAt?: string;
  #papers: ListPaper[] | undefined;
  readonly #ranked: RankedLoad;

  readonly categories: string[];
  readonly observedAt: string;
  readonly listed: number;
  readonly postsFound: number;

  constructor([, , categories, observedAt, announcedAt, listed, postsFound]: HeadRest, ranked: RankedLoad) {
    this.categories = categories;
    this.observedAt = observedAt;
    this.listed = listed;
    this.postsFound = postsFound;
    if (announcedAt) this.announcedAt = announcedAt;
    this.#ranked = ranked;
  }

  get papers(): ListPaper[] {
    this.#ranked.run();
    return this.#papers!;
  }

  set papers(papers: ListPaper[]) {
    this.#papers = papers;
  }
}

/**
 * A day of the previous generation. Read from a days slice, its day, fingerprint and fragment
 * hash are read at once. Made from the store's row of a month unchanged since, only its day and
 * fingerprint are known until another field is first asked for, which reads its month's days
 * slice (MonthHeads); made from its month's head alone (the month's store token unchanged),
 * only its day and stamps, its fingerprint too being read from the slice when asked for. The rest of its head is split, and its digest made, when first asked for
 * (a build looks at the digests of few of the history's days); its ranked papers and author
 * lines are read from its month's ranked slice when first asked for. A class, not an object
 * literal with accessors: every day of the history is made here on each build, and V8 builds a
 * literal with accessors through its runtime, not from a template. The lazy fields are the
 * prototype's, so compare a stored day through its fields, not as a whole.
 */
class StoredDay {
  readonly day: string;
  /** Its stamps as its month's head gives them (`WHOLE[=ROW=IDS]`, see MonthInfo), when made from the head alone. */
  readonly #stampText: string | undefined;
  #stamps: DayStamps | undefined;
  /** Its digest row's fingerprint: undefined until its days slice is read, for a day made from its month's head alone. */
  #fingerprint: string | undefined;
  #fragment: string;
  /** The head past its first three fields: a line's tail until split, then its fields. */
  #rest: string | HeadRest;
  /** The month whose days slice gives the fragment and the rest, until it is read. */
  #heads: MonthHeads | undefined;
  #digest: StoredDigest | undefined;
  #authors: string | undefined;
  readonly #ranked: RankedLoad;

  constructor(
    day: string,
    fingerprint: string | undefined,
    fragment: string | MonthHeads,
    rest: string | HeadRest,
    ranked: RankedLoad,
    stampText?: string,
  ) {
    this.day = day;
    this.#stampText = stampText;
    this.#fingerprint = fingerprint;
    if (typeof fragment === 'string') this.#fragment = fragment;
    else {
      this.#fragment = '';
      this.#heads = fragment;
    }
    this.#rest = rest;
    this.#ranked = ranked;
  }

  get fingerprint(): string {
    if (this.#fingerprint === undefined) this.#heads!.run();
    return this.#fingerprint!;
  }

  /** Its stamps, when made from its month's head alone (a list page keys it by them); else undefined. */
  get stamps(): DayStamps | undefined {
    if (this.#stampText === undefined) return undefined;
    this.#stamps ??= parseStamps(this.#stampText);
    return this.#stamps;
  }

  /** Its search fragment's hash (undefined when its head names none). */
  get fragment(): string | undefined {
    this.#heads?.run();
    return this.#fragment || undefined;
  }

  /**
   * Take the fingerprint (when not known), the fragment hash and the rest of the head from the
   * same day read from its days slice (MonthHeads); false when the slice's is another fingerprint.
   */
  settleFrom(read: StoredDay): boolean {
    if (this.#fingerprint === undefined) this.#fingerprint = read.#fingerprint;
    else if (this.#fingerprint !== read.#fingerprint) return false;
    this.#fragment = read.#fragment;
    this.#rest = read.#rest;
    this.#heads = undefined;
    return true;
  }

  #fields(): HeadRest {
    this.#heads?.run();
    if (typeof this.#rest === 'string') this.#rest = headRest(this.#rest);
    return this.#rest;
  }

  get categoriesKey(): string {
    return this.#fields()[0];
  }

  get horizon(): string {
    return this.#fields()[1];
  }

  get digest(): StoredDigest {
    this.#digest ??= new StoredDigest(this.#fields(), this.#ranked);
    return this.#digest;
  }

  get authors(): string | undefined {
    this.#ranked.run();
    return this.#authors;
  }

  set authors(authors: string | undefined) {
    this.#authors = authors;
  }
}

/** No paper revised (shared by the stamps of every such day). */
const NO_REVISIONS: ReadonlyMap<string, number> = new Map();

/** DayStamps as a month's head gives them: `WHOLE`, or `WHOLE=ROW=IDS` (see MonthInfo). */
function parseStamps(text: string): DayStamps {
  const [whole, row, ids] = text.split('=');
  if (row === undefined) return { whole: whole!, row: whole!, revisions: NO_REVISIONS };
  return { whole: whole!, row, revisions: revisionCounts(ids ? ids.split(',') : []) };
}

/**
 * A day as a days slice holds it, made a ManifestDay whose papers `ranked` reads when asked for;
 * undefined when it is neither a head line nor a row.
 */
function storedDay(head: unknown, ranked: RankedLoad): StoredDay | undefined {
  if (typeof head === 'string') {
    const a = head.indexOf('\t');
    const b = head.indexOf('\t', a + 1);
    const c = head.indexOf('\t', b + 1);
    if (c < 0) return undefined;
    return new StoredDay(
      head.slice(0, a),
      head.slice(a + 1, b),
      head.slice(b + 1, c),
      head.slice(c + 1),
      ranked,
    );
  }
  if (!Array.isArray(head) || head.length !== 10 || !Array.isArray(head[5])) return undefined;
  const [day, fingerprint, fragment, ...rest] = head as SliceRow;
  return new StoredDay(day, fingerprint, fragment, rest, ranked);
}

/** Give a stored day its ranked papers and author lines. */
function settleDay(day: ManifestDay, papers: ListPaper[], authors: string | undefined): void {
  day.digest.papers = papers;
  day.authors = authors;
}

/**
 * The heads of a month's days made from the store's rows (its signature matched), or from its
 * head alone (its token matched: `signature`, the one the head keeps): its days slice is read
 * when one of them is first asked for more than its day and fingerprint (its day, made from the
 * head), and gives each its fingerprint, fragment hash and the rest of its head. An error (the
 * build is then made in full) when the slice is missing, does not parse, or holds other days.
 */
class MonthHeads {
  #days: StoredDay[] = [];
  #done = false;

  constructor(
    private readonly name: string,
    private readonly read: (name: string) => Buffer | undefined,
    private readonly signature?: string,
  ) {}

  /** The days it settles (set once they are made). */
  hold(days: StoredDay[]): void {
    this.#days = days;
  }

  /** Read the slice once (it settles every day of the month). */
  run(): void {
    if (this.#done) return;
    this.#done = true;
    const byDay = new Map(this.#days.map((d) => [d.day, d]));
    let settled = 0;
    try {
      const slice = JSON.parse(this.read(this.name)?.toString() ?? '') as Slice;
      const ranked = new RankedLoad(() => undefined);
      const reads: StoredDay[] = [];
      for (const head of slice.days) {
        const read = storedDay(head, ranked);
        const day = read && byDay.get(read.day);
        if (!read || !day?.settleFrom(read)) throw new Error('another day');
        reads.push(read);
        settled++;
      }
      if (this.signature !== undefined && monthSignature(reads) !== this.signature)
        throw new Error('another month');
    } catch {
      settled = -1;
    }
    if (settled !== this.#days.length)
      throw new StaleGenerationError(`the manifest slice ${this.name} does not hold the days its head says`);
  }
}

/**
 * A month's signature as the head keeps it: a hash of its days' dates and fingerprints, newest
 * first. The build works it out from the store's rows: an equal one means the month's days are
 * those the slice holds, which is then read only when one of them is looked at more closely.
 */
export function monthSignature(days: ReadonlyArray<{ day: string; fingerprint: string }>): string {
  let text = '';
  for (const d of days) text += `${d.day}\t${d.fingerprint}\n`;
  return digestOf('sha1', text, 'base64');
}

/** What the name of every ranked slice starts with. */
const RANKED_SLICES = `${MANIFEST_DIR}/ranked-`;
const DAYS_SLICES = `${MANIFEST_DIR}/days-`;

/** The ranked slice beside the days slice `name` (same month). */
function rankedOf(name: string): string {
  return RANKED_SLICES + name.slice(DAYS_SLICES.length);
}

/** The slice a month's days and their files go to. */
function monthSlice(day: string): string {
  return monthSliceOf(day.slice(0, 7));
}

const monthSliceOf = remembered((month) => `${DAYS_SLICES}${slug(month)}.json`);

/**
 * The slice of a file: a paper page's paper slice, a day page's or fragment's day-file slice, a
 * thumbnail's slice, else for another file of a day or paper its day's or its paper's latest
 * month (none at present), else its folder and number block.
 */
function fileSlice(path: string, owner: string, latestDay: (paper: string) => string | undefined): string {
  if (isPaperPath(path)) return paperSlice(path);
  const byPath = pathSlice(path);
  if (byPath !== undefined) return byPath;
  if (owner.startsWith('d:')) return monthSlice(owner.slice(2));
  if (owner.startsWith('p:')) {
    const day = latestDay(owner.slice(2));
    if (day) return monthSlice(day);
  }
  return groupSlice(path);
}

/** The slice of a file owned by no day nor paper: by its folder and number block. */
function groupSlice(path: string): string {
  // The last run of digits in the path, scanned rather than matched: a lookup outside `papers/`
  // asks for it while group slices are unread.
  let end = path.length;
  while (end > 0 && !isDigit(path.charCodeAt(end - 1))) end--;
  if (end === 0) return groupSliceOf(path.slice(0, path.lastIndexOf('/') + 1));
  let start = end - 1;
  while (start > 0 && isDigit(path.charCodeAt(start - 1))) start--;
  return groupSliceOf(`${path.slice(0, start)}${Math.floor(Number(path.slice(start, end)) / 64)}`);
}

/** A group slice's name by its group (a folder, or a folder and number block). */
const groupSliceOf = remembered((group) => `${MANIFEST_DIR}/files-${slug(group.replaceAll('/', '-'))}.json`);

/** Whether char code `c` is an ASCII digit. */
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The folder of a site path, with its slash ('' at the top). */
function dirOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/**
 * Whether the slice of `paths` is an owned one: files of one search segment (owner `s:ID`), all
 * in its own folder (`…/ID/`), as its chunks are. The head lists each with its owner and
 * folder, and a build reads one only when it looks up one of its files or rebuilds its segment:
 * a segment kept whole takes its owned slices over unread (FileTable.inheritOwned). At 3,000
 * days the segments have about 12,000 files, most of the entries besides the paper pages.
 */
function ownedBy(paths: readonly string[], raw: (path: string) => string): Owned | undefined {
  if (paths.length === 0) return undefined;
  const owner = ownerOf(raw(paths[0]!));
  const dir = dirOf(paths[0]!);
  // Its folder is named after it: a lookup elsewhere (a segment's summary, a day's fragment) never
  // has to look for an owned slice.
  if (!owner.startsWith('s:') || !dir.endsWith(`/${owner.slice(2)}/`)) return undefined;
  for (const path of paths) if (ownerOf(raw(path)) !== owner || dirOf(path) !== dir) return undefined;
  return { owner, dir };
}

/**
 * Whether a slice of `paths` (sorted) is a group one: each of its files is owned by nobody (a list
 * page, an asset) and in the slice its path names, so a lookup finds it from the path alone.
 */
function isGroup(name: string, paths: readonly string[], raw: (path: string) => string): boolean {
  if (paths.length === 0) return false;
  for (const path of paths) if (ownerOf(raw(path)) !== '' || groupSlice(path) !== name) return false;
  return true;
}

/** `days` newest first: as they are when they already are (the usual case, checked in one pass), else sorted. */
function newestFirst<T extends { day: string }>(days: T[]): T[] {
  for (let i = 1; i < days.length; i++)
    if (days[i - 1]!.day <= days[i]!.day)
      return days.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
  return days;
}

/**
 * Write the manifest: each slice that changed since `previous` (every slice without it) through
 * `put` (kept when its bytes are unchanged; `files` gains its entry), each other one through
 * `keep` (unread and unwritten; false when its file is gone, and it is then written), then the
 * head through `writeHead` (always written, last). Entries are sorted by path, so a slice's bytes
 * depend on its content only, not on the order the build made it in.
 */
export function writeManifest(
  m: Manifest,
  latestDay: (paper: string) => string | undefined,
  put: (path: string, data: Buffer) => void,
  writeHead: (data: Buffer) => void,
  previous?: {
    manifest: Manifest;
    keep: (slice: string) => boolean;
    /**
     * Whether a paper's latest ranking may be in another month than before (all may, without
     * it). Given, every entry of such a paper must have been set in `m.files` by this build
     * (its pages are rendered again): only the entries set (FileTable.setPaths) are then looked at.
     */
    moved?: (paper: string) => boolean;
    /** Paths of the previous manifest that may be missing from `m` (every one that is is among them; all, without it). */
    absent?: readonly string[];
  },
): void {
  const index = previous?.manifest.slices;
  const daysOf = byMonth(m.days, monthSliceOf);
  /** Per slice to write, its paths. */
  let members: Map<string, string[]>;
  let names: string[];
  const kept: string[] = [];
  if (!index) {
    members = new Map();
    for (const [path, v] of m.files.rawEntries()) {
      const name = fileSlice(path, ownerOf(v), latestDay);
      const list = members.get(name);
      if (list) list.push(path);
      else members.set(name, [path]);
    }
    names = [...new Set([...daysOf.keys(), ...members.keys()])].sort();
  } else {
    const before = previous!.manifest;
    const dirty = new Set<string>();
    // Days: a kept day is the very summary read (a reloaded one is a new object).
    const { at, gone, tail } = alignDays(m.days, before.days);
    // The common tail (alignDays) is the very days read.
    for (let i = 0; i < tail; i++) {
      const day = m.days[i]!;
      if (before.days[at[i]!] !== day) dirty.add(monthSlice(day.day));
    }
    for (const day of gone) dirty.add(monthSlice(day.day));
    // Entries: new, changed or moved ones (a paper's files follow its latest ranking's month).
    const moved = new Map<string, string>();
    // Every entry not set by this build is one read from the previous manifest, as it was held.
    const setPaths = previous!.moved ? m.files.setPaths() : undefined;
    for (const path of setPaths ?? m.files.paths()) {
      const v = m.files.raw(path)!;
      // The same entry (kept ones are the very string read) was read from some slice.
      const same = before.files.raw(path) === v;
      // An unchanged entry moves only with its paper's latest ranking.
      if (same && !(ownerKind(v) === 'p' && (previous!.moved?.(ownerOf(v).slice(2)) ?? true))) continue;
      const was = index.sliceOf(path);
      const name = fileSlice(path, ownerOf(v), latestDay);
      if (same && name === was) continue;
      dirty.add(name);
      if (was !== undefined) dirty.add(was);
      moved.set(path, name);
    }
    for (const path of previous!.absent ?? before.files.paths()) {
      const was = index.sliceOf(path);
      if (was !== undefined && !m.files.has(path)) dirty.add(was);
    }
    // Every slice read and not changed is kept as it is; a month's ranked slice goes with its
    // days slice (both are written, or both kept).
    for (const name of index.names) {
      if (name.startsWith(RANKED_SLICES) || dirty.has(name)) continue;
      if (!previous!.keep(name)) dirty.add(name);
      else if (!name.startsWith(DAYS_SLICES) || !daysOf.has(name)) kept.push(name);
      else if (previous!.keep(rankedOf(name))) kept.push(name, rankedOf(name));
      else dirty.add(name);
    }
    const read = new Set(index.names);
    for (const name of daysOf.keys()) if (!read.has(name)) dirty.add(name);
    members = new Map();
    for (const name of dirty) {
      const list: string[] = [];
      for (const path of index.paths(name))
        if (m.files.has(path) && (moved.get(path) ?? name) === name) list.push(path);
      members.set(name, list);
    }
    for (const [path, name] of moved) if (index.sliceOf(path) !== name) members.get(name)!.push(path);
    names = [...dirty].sort();
  }
  /** The slices written, ranked ones included. */
  const written: string[] = [];
  const deferred = new Map<string, [number, 0 | 1]>();
  const owned = new Map<string, [number, string, string]>();
  const groups = new Map<string, GroupInfo>();
  const months = new Map<string, MonthInfo>();
  for (const name of names) {
    const paths = (members.get(name) ?? []).sort();
    const days = daysOf.get(name) ?? [];
    // A slice left with nothing is not written (the previous one is removed with the files gone).
    if (paths.length === 0 && days.length === 0) continue;
    const slice: Slice = {
      // A day read from the manifest has its fragment's hash; a day loaded again, its new entry.
      days: days.map((day) => packHead(day, day.fragment ?? m.files.hash(fragmentPath(day.day)) ?? '')),
      files: paths.map((path) => `${path}\t${m.files.raw(path)}`),
    };
    if (days.length > 0) {
      months.set(name, monthInfo(days, paths.length, m.tokens));
      const ranked: RankedSlice = { days: days.map(packRanked) };
      put(rankedOf(name), Buffer.from(JSON.stringify(ranked)));
      written.push(rankedOf(name));
    }
    put(name, Buffer.from(JSON.stringify(slice)));
    written.push(name);
    const raw = (path: string) => m.files.raw(path)!;
    /** 1 when a page of the slice uses math (its entry as held starts with `1`). */
    const math = () => (paths.some((path) => raw(path).charCodeAt(0) === 49) ? 1 : 0);
    if (isDeferred(name)) deferred.set(name, [paths.length, math()]);
    else if (days.length === 0) {
      const by = ownedBy(paths, raw);
      if (by !== undefined) owned.set(name, [paths.length, by.owner, by.dir]);
      else if (isGroup(name, paths, raw))
        groups.set(name, groupInfo(paths.length, math(), groupSignature(paths), groupRun(paths)));
    }
  }
  // A kept slice (one of a manifest read from disk) keeps its lines of the head as read: its
  // entries, and so its counts, signature and run, are those it had; a days slice's line is made
  // again only when its month's token changed. At 3,000 days ~900 slices are kept.
  const keptNames = new Set(kept);
  /** The lines of the head read's `list` whose slice is kept (its name, before the first tab, in keptNames). */
  const keptLines = (list: keyof HeadLines, line?: (name: string, text: string) => string): string[] => {
    const out: string[] = [];
    for (const text of index?.lines[list] ?? []) {
      const name = text.slice(0, text.indexOf('\t'));
      if (keptNames.has(name)) out.push(line ? line(name, text) : text);
    }
    return out;
  };
  /** A kept days slice's line: as read, unless its month's token changed since. */
  const monthLine = (name: string, text: string): string => {
    const info = previous!.manifest.months?.get(name);
    if (info?.length !== 6 || info[4] === (m.tokens?.get(info[3]) ?? '')) return text;
    return `${name}\t${withToken(info, m.tokens).join('\t')}`;
  };
  // Lines sort as their names do: a name holds no tab, which sorts before every other character.
  const lines = <T extends unknown[]>(made: Map<string, T>, held: string[]): string[] => {
    for (const [name, info] of made) held.push(`${name}\t${info.join('\t')}`);
    return held.sort();
  };
  const fileLines = keptLines('files');
  for (const name of written) fileLines.push(`${name}\t${m.files.raw(name)!}`);
  const head: HeadFile = {
    version: m.version,
    engine: m.engine,
    marks: m.marks,
    ...(m.rising ? { rising: m.rising } : {}),
    files: fileLines.sort(),
    deferred: lines(deferred, keptLines('deferred')),
    owned: lines(owned, keptLines('owned')),
    groups: lines(groups, keptLines('groups')),
    months: lines(months, keptLines('months', monthLine)),
  };
  writeHead(Buffer.from(JSON.stringify(head)));
}

/**
 * Read the manifest through `read` (a site path's bytes, undefined when missing): the head, then
 * each slice it lists. Undefined when the head is missing, of another version, or a slice is
 * missing or does not parse (the build is then a full one).
 */
export function readManifest(read: (path: string) => Buffer | undefined): Manifest | undefined {
  try {
    const headBytes = read(MANIFEST_PATH);
    if (!headBytes) return undefined;
    const head = readHead(headBytes);
    if (!head) return undefined;
    /**
     * Each days slice, in the order of the slices' names (oldest month first): its days when it
     * was read, else what the head says of it (read by need, see daysFor).
     */
    const slots: Array<{ name: string; days?: ManifestDay[]; info?: MonthInfo }> = [];
    const slices = new SliceIndex(head.lines);
    const files = new FileTable((name, paths) => slices.noteSlice(name, paths));
    slices.attach(files);
    // Only the papers' category lists are shared (by their text), not the rest as compactDay
    // does: an incremental build holds the days for one build only, and that cost more time
    // (~25 ms at 1,000 days) than it saved memory.
    const shared = new Map<string, string[]>();
    /** Per ranked slice not read yet, the days waiting for it. */
    const waiting = new Map<string, ManifestDay[]>();
    const loadRanked = (name: string) => {
      const list = waiting.get(name);
      if (!list) return;
      waiting.delete(name);
      let slice: RankedSlice | undefined;
      try {
        slice = JSON.parse(read(name)?.toString() ?? '') as RankedSlice;
      } catch {}
      const byDay = new Map((Array.isArray(slice?.days) ? slice.days : []).map((d) => [d?.day, d]));
      for (const day of list) {
        const row = byDay.get(day.day);
        let papers: ListPaper[];
        try {
          papers = unpackRanked(row!.ranked, shared);
        } catch {
          throw new StaleGenerationError(`the manifest slice ${name} does not parse`);
        }
        settleDay(day, papers, typeof row!.authors === 'string' ? row!.authors : undefined);
      }
    };
    /** The days `make` gives for days slice `name`, their papers read from its ranked slice when first asked for. */
    const awaitRanked = <T extends ManifestDay>(name: string, make: (load: RankedLoad) => T[]): T[] => {
      const ranked = rankedOf(name);
      const list = make(new RankedLoad(() => loadRanked(ranked)));
      waiting.set(ranked, list);
      return list;
    };
    /** The days of a days slice's heads; an error when one is neither a head line nor a row. */
    const monthOf = (name: string, heads: readonly unknown[]): StoredDay[] =>
      awaitRanked(name, (load) =>
        heads.map((head) => {
          const day = storedDay(head, load);
          if (!day) throw new StaleGenerationError(`the manifest slice ${name} does not parse`);
          return day;
        }),
      );
    for (const [name, entry] of head.files) {
      slices.names.push(name);
      files.load(name, entry);
      // Read when the papers of one of its days are first asked for (see storedDay).
      if (name.startsWith(RANKED_SLICES)) continue;
      const month = head.months.get(name);
      if (month !== undefined && month[0] > 0 && month[2] === 0) {
        // Days only: read when the store's rows of its month do not match its signature, or one
        // of its days is looked at more closely (daysFor).
        if (!head.files.has(rankedOf(name))) return undefined;
        slots.push({ name, info: month });
        slices.noteSlice(name, []);
        continue;
      }
      if (isDeferred(name)) {
        // Read and parsed when one of its files is first asked for (most builds touch few of them).
        const info = head.deferred.get(name);
        if (!info) return undefined;
        files.defer(name, () => read(name), info[0], info[1] === 1);
        continue;
      }
      const group = head.groups.get(name);
      if (group !== undefined) {
        // Read and parsed when one of its files is looked up; else taken over whole (takeGroup).
        files.defer(name, () => read(name), group[0], group[1] === 1, undefined, group[2], group[3]);
        continue;
      }
      const owned = head.owned.get(name);
      if (owned !== undefined) {
        // Read and parsed when one of its files is looked up; else taken over whole (inheritOwned).
        files.defer(name, () => read(name), owned[0], false, { owner: owned[1], dir: owned[2] });
        continue;
      }
      const bytes = read(name);
      if (!bytes) return undefined;
      const slice = JSON.parse(bytes.toString()) as Slice;
      if (!Array.isArray(slice.files) || !Array.isArray(slice.days)) return undefined;
      if (slice.days.length > 0) {
        if (!head.files.has(rankedOf(name))) return undefined;
        // A head that does not parse makes the manifest unusable (caught below).
        slots.push({ name, days: monthOf(name, slice.days) });
      }
      slices.noteSlice(
        name,
        readLines(slice.files, (path, v) => files.load(path, v)),
      );
    }
    /** The days of a days slice read by need, read now; an error when it does not parse or holds other days than its head says. */
    const readMonth = (name: string, info: MonthInfo): ManifestDay[] => {
      let slice: Slice | undefined;
      try {
        slice = JSON.parse(read(name)?.toString() ?? '') as Slice;
      } catch {}
      const list = monthOf(name, Array.isArray(slice?.days) ? slice.days : []);
      // Its head said it holds these days and no file entry.
      if (slice?.files?.length !== 0 || list.length !== info[0] || monthSignature(list) !== info[1])
        throw new StaleGenerationError(`the manifest slice ${name} does not parse`);
      return list;
    };
    // A slice holds its month's days newest first, and the head lists the months oldest first:
    // the months backwards are the days newest first, with no sort of every day.
    const join = (months: ManifestDay[][]) => {
      // A loop, not flat(): at 3,000 days flat() took ~0.2 µs a day (its generic element checks).
      const all: ManifestDay[] = [];
      for (let m = months.length - 1; m >= 0; m--) for (const day of months[m]!) all.push(day);
      return newestFirst(all);
    };
    let days: ManifestDay[] | undefined;
    // Each month's token, when every days slice's head names its month (else none: every row is read).
    let tokens: Map<string, string> | undefined = new Map();
    for (const info of head.months.values()) {
      if (info.length !== 6) {
        tokens = undefined;
        break;
      }
      tokens.set(info[3], info[4]);
    }
    return {
      version: MANIFEST_VERSION,
      engine: head.engine,
      marks: head.marks,
      rising: head.rising,
      get days(): ManifestDay[] {
        days ??= join(slots.map((slot) => slot.days ?? readMonth(slot.name, slot.info!)));
        return days;
      },
      ...(tokens ? { tokens } : {}),
      daysFor(refs, since) {
        if (days) return days;
        const rows = byMonth(refs, monthSliceOf);
        days = join(
          slots.map(({ name, days: parsed, info }) => {
            if (parsed) return parsed;
            if (since !== undefined && info!.length === 6 && info![3] < since) {
              // Its token is the one the head keeps: its days are those the head names.
              const [, signature, , month, , rest] = info!;
              const heads = new MonthHeads(name, read, signature);
              const list = awaitRanked(name, (load) =>
                rest.split(' ').map((item) => {
                  const at = item.indexOf('=');
                  if (at < 0)
                    throw new StaleGenerationError(`the manifest head's line of ${name} does not parse`);
                  return new StoredDay(
                    month + item.slice(0, at),
                    undefined,
                    heads,
                    '',
                    load,
                    item.slice(at + 1),
                  );
                }),
              );
              heads.hold(list);
              return list;
            }
            const mine = rows.get(name);
            if (mine?.length !== info![0] || monthSignature(mine) !== info![1]) return readMonth(name, info!);
            // The month's days are the store's rows: its slice is read when one is looked at closely.
            const heads = new MonthHeads(name, read);
            const list = awaitRanked(name, (load) =>
              mine.map((r) => new StoredDay(r.day, r.fingerprint, heads, '', load)),
            );
            heads.hold(list);
            return list;
          }),
        );
        return days;
      },
      files,
      slices,
      months: head.months,
    };
  } catch {
    return undefined;
  }
}
