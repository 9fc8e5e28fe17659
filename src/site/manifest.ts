/**
 * The engine's manifest, in slices: what a generation remembers for the next build.
 *
 * - `.hotpapers/manifest.json` (the head): version, engine fingerprint, the store's marks, the
 *   rising signature, and the hash of each slice file. Written last, on every build.
 * - `.hotpapers/manifest/days-YYYY-MM.json`: the summaries (ListDays, their ranked papers as
 *   rows) of one month's days, the files those days own (day page, search fragment, thumbnails)
 *   and the files of the papers whose latest ranking is in that month.
 * - `.hotpapers/manifest/files-GROUP.json`: the list pages and assets, grouped by folder and by
 *   blocks of 64 of the number in their name (`page/0…63`, a category's `_p0…63`, a year's weeks).
 *
 * A slice holds its file entries as lines (`path TAB entry`), the form the engine keeps them in,
 * so reading one is a split, not a decode. Writing compares the generation with the one read:
 * only a slice whose days or entries changed is serialised and handed to `put` (and kept when
 * its bytes turn out the same); the others are kept as they are, unread. A new day writes its
 * month's slice (and its neighbour's), the slices of the list pages it changed and the head,
 * and the work of writing does not grow with the length of the history.
 */

import { createHash } from 'node:crypto';
import type { ListDay, ListPaper } from './model.js';
import { slug } from './model.js';
import type { StoreMarks } from './source.js';

/** Site path of the manifest's head (what the next build reads first). */
export const MANIFEST_PATH = '.hotpapers/manifest.json';
/** Folder of the manifest's slices. */
export const MANIFEST_DIR = '.hotpapers/manifest';
/** The manifest format this engine reads and writes (another one means a full build). */
export const MANIFEST_VERSION = 5;

/** A file's content hash as the manifest keeps it (SHA-1, base64), over its bytes or its chunks in order. */
export function contentHash(data: Buffer | readonly Buffer[]): string {
  const hash = createHash('sha1');
  for (const chunk of Array.isArray(data) ? data : [data as Buffer]) hash.update(chunk);
  return hash.digest('base64');
}

/** A ListDay with the fingerprint of the digest row it was made from. */
export type ManifestDay = ListDay & { fingerprint: string };

/** Per site path: [content hash, owner, uses math (1) or not (0), and for a list page its key]. */
export type FileEntry = [string, string, 0 | 1] | [string, string, 0 | 1, string];

/**
 * The file entries of a generation, by site path, each held as one string (`math hash TAB owner
 * [TAB key]`) rather than an array of strings: a site of 3,000 days has about 100,000 files, and
 * the engine holds every entry for the whole build.
 */
export class FileTable {
  private readonly entries = new Map<string, string>();
  /** Paths given an entry through `set`, when asked for (trackSets); copied entries are not. */
  private sets: string[] | undefined;

  /** From now on, note each path given an entry through `set` (see setPaths). */
  trackSets(): void {
    this.sets ??= [];
  }

  /**
   * The paths given an entry through `set` since trackSets, possibly more than once; every other
   * entry was copied as it was held (`copy`, `setRaw`). Undefined when not tracked.
   */
  setPaths(): readonly string[] | undefined {
    return this.sets;
  }

  get size(): number {
    return this.entries.size;
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** The entry of `path` (a new array: change it through set). */
  get(path: string): FileEntry | undefined {
    const v = this.entries.get(path);
    return v === undefined ? undefined : decode(v);
  }

  /** The content hash of `path`'s entry. */
  hash(path: string): string | undefined {
    const v = this.entries.get(path);
    return v === undefined ? undefined : v.slice(1, v.indexOf('\t'));
  }

  /** The owner of `path`'s entry. */
  owner(path: string): string | undefined {
    const v = this.entries.get(path);
    return v === undefined ? undefined : ownerOf(v);
  }

  set(path: string, entry: FileEntry): void {
    const [hash, owner, math, key] = entry;
    // Joined, not concatenated: a template string would be kept as a tree of its parts.
    const parts = key === undefined ? [math, hash, '\t', owner] : [math, hash, '\t', owner, '\t', key];
    this.entries.set(path, parts.join(''));
    this.sets?.push(path);
  }

  /** The entry of `path` as the table holds it (one string: equal strings, equal entries). */
  raw(path: string): string | undefined {
    return this.entries.get(path);
  }

  /** Set `path`'s entry from its held form (a `raw` of some table). */
  setRaw(path: string, value: string): void {
    this.entries.set(path, value);
  }

  /** Each path with its entry as held. */
  rawEntries(): IterableIterator<[string, string]> {
    return this.entries.entries();
  }

  /** Copy `path`'s entry from another table (as it is, without decoding it). */
  copy(from: FileTable, path: string): boolean {
    const v = from.entries.get(path);
    if (v === undefined) return false;
    this.entries.set(path, v);
    return true;
  }

  paths(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Each path with its owner (no entry is decoded). */
  *owners(): IterableIterator<[string, string]> {
    for (const [path, v] of this.entries) yield [path, ownerOf(v)];
  }

  /** Whether some entry's file uses math. */
  anyMath(): boolean {
    for (const v of this.entries.values()) if (v.charCodeAt(0) === 49) return true;
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

/** What a generation remembers for the next build (whole, as the engine sees it). */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  engine: string;
  marks: StoreMarks;
  /** Newest first. */
  days: ManifestDay[];
  /**
   * Site path → [content hash, owner, uses math (1) or not (0), and for a list page the key of
   * what it was rendered from (the same key: the page is kept without being rendered)].
   */
  files: FileTable;
  /** Signature of the rising pages' inputs (rising.ts), when the site has them. */
  rising?: string;
  /** Where each file entry was read from (a manifest read from disk; writing compares with it). */
  slices?: SliceIndex;
}

/** The slice each entry of a manifest came from, and each slice's paths. */
export interface SliceIndex {
  ofPath: Map<string, string>;
  paths: Map<string, string[]>;
}

interface Head {
  version: number;
  engine: string;
  marks: StoreMarks;
  rising?: string;
  /** The slice files (their own entries: hash and owner ''). */
  files: Record<string, FileEntry>;
}

interface Slice {
  days: SliceDay[];
  /** `path TAB entry as held` (FileTable.raw), sorted by path. */
  files: string[];
}

/**
 * A day as a slice holds it: its ranked papers as rows, not objects with a key per field (a
 * build reads every day of the history, and the rows parse in about half the time).
 */
interface SliceDay extends Omit<ManifestDay, 'digest'> {
  digest: Omit<ManifestDay['digest'], 'papers'>;
  /** Per ranked paper, in order: rank, score, id, title, primary category, categories (space-separated when none has a space). */
  ranked: Array<[number, number, string, string, string, string | string[]]>;
}

/** A day as a slice holds it. */
function packDay(day: ManifestDay): SliceDay {
  const { digest, ...rest } = day;
  const { papers, ...head } = digest;
  return {
    ...rest,
    digest: head,
    ranked: papers.map((r) => {
      const cats = r.paper.categories;
      return [
        r.rank,
        r.score,
        r.paper.id,
        r.paper.title,
        r.paper.primaryCategory,
        cats.some((c) => c.includes(' ')) ? [...cats] : cats.join(' '),
      ];
    }),
  };
}

/** A day of a slice as the engine holds it; equal category lists are one array (`shared`). */
function unpackDay(day: SliceDay, shared: Map<string, string[]>): ManifestDay {
  const { ranked, digest, ...rest } = day;
  if (!Array.isArray(ranked)) throw new Error('a day without its ranked papers');
  const papers = ranked.map(([rank, score, id, title, primaryCategory, cats]): ListPaper => {
    let categories: string[];
    if (typeof cats === 'string') {
      const had = shared.get(cats);
      categories = had ?? (cats === '' ? [] : cats.split(' '));
      if (!had) shared.set(cats, categories);
    } else categories = cats;
    return { rank, score, paper: { id, title, categories, primaryCategory } };
  });
  return { ...rest, digest: { ...digest, papers } };
}

const monthSlices = new Map<string, string>();

/** The slice a month's days and their files go to. */
function monthSlice(day: string): string {
  const month = day.slice(0, 7);
  let name = monthSlices.get(month);
  if (name === undefined) {
    name = `${MANIFEST_DIR}/days-${slug(month)}.json`;
    monthSlices.set(month, name);
  }
  return name;
}

/** The slice of a file: its day's month, its paper's latest month, else its folder and number block. */
function fileSlice(path: string, owner: string, latestDay: (paper: string) => string | undefined): string {
  if (owner.startsWith('d:')) return monthSlice(owner.slice(2));
  if (owner.startsWith('p:')) {
    const day = latestDay(owner.slice(2));
    if (day) return monthSlice(day);
  }
  const m = /^(.*?)(\d+)(\D*)$/.exec(path);
  const group = m ? `${m[1]}${Math.floor(Number(m[2]) / 64)}` : path.slice(0, path.lastIndexOf('/') + 1);
  return `${MANIFEST_DIR}/files-${slug(group.replaceAll('/', '-'))}.json`;
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
  const daysOf = new Map<string, ManifestDay[]>();
  for (const day of m.days) {
    const name = monthSlice(day.day);
    const list = daysOf.get(name);
    if (list) list.push(day);
    else daysOf.set(name, [day]);
  }
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
    const daysBefore = new Map(before.days.map((d) => [d.day, d]));
    for (const day of m.days) if (daysBefore.get(day.day) !== day) dirty.add(monthSlice(day.day));
    const live = new Set(m.days.map((d) => d.day));
    for (const day of before.days) if (!live.has(day.day)) dirty.add(monthSlice(day.day));
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
      const was = index.ofPath.get(path);
      const name = fileSlice(path, ownerOf(v), latestDay);
      if (same && name === was) continue;
      dirty.add(name);
      if (was !== undefined) dirty.add(was);
      moved.set(path, name);
    }
    for (const path of previous!.absent ?? index.ofPath.keys()) {
      const was = index.ofPath.get(path);
      if (was !== undefined && !m.files.has(path)) dirty.add(was);
    }
    // Every slice read and not changed is kept as it is.
    for (const name of index.paths.keys()) {
      if (dirty.has(name)) continue;
      if (previous!.keep(name)) kept.push(name);
      else dirty.add(name);
    }
    for (const name of daysOf.keys()) if (!index.paths.has(name)) dirty.add(name);
    members = new Map();
    for (const name of dirty) {
      const list: string[] = [];
      for (const path of index.paths.get(name) ?? [])
        if (m.files.has(path) && (moved.get(path) ?? name) === name) list.push(path);
      members.set(name, list);
    }
    for (const [path, name] of moved) if (index.ofPath.get(path) !== name) members.get(name)!.push(path);
    names = [...dirty].sort();
  }
  const sliceNames = kept;
  for (const name of names) {
    const paths = (members.get(name) ?? []).sort();
    const days = daysOf.get(name) ?? [];
    // A slice left with nothing is not written (the previous one is removed with the files gone).
    if (paths.length === 0 && days.length === 0) continue;
    const slice: Slice = {
      days: days.map(packDay),
      files: paths.map((path) => `${path}\t${m.files.raw(path)}`),
    };
    put(name, Buffer.from(JSON.stringify(slice)));
    sliceNames.push(name);
  }
  sliceNames.sort();
  const head: Head = {
    version: m.version,
    engine: m.engine,
    marks: m.marks,
    ...(m.rising ? { rising: m.rising } : {}),
    files: Object.fromEntries(sliceNames.map((name) => [name, m.files.get(name)!])),
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
    const head = JSON.parse(headBytes.toString()) as Head;
    if (head.version !== MANIFEST_VERSION || typeof head.files !== 'object') return undefined;
    const days: ManifestDay[] = [];
    const files = new FileTable();
    const slices: SliceIndex = { ofPath: new Map(), paths: new Map() };
    const shared = new Map<string, string[]>();
    for (const [name, entry] of Object.entries(head.files)) {
      const bytes = read(name);
      if (!bytes) return undefined;
      const slice = JSON.parse(bytes.toString()) as Slice;
      if (!Array.isArray(slice.files) || !Array.isArray(slice.days)) return undefined;
      // Only the papers' category lists are shared (by their text, see unpackDay), not the rest
      // as compactDay does: an incremental build holds the days for one build only, and that
      // cost more time (~25 ms at 1,000 days) than it saved memory.
      for (const day of slice.days) days.push(unpackDay(day, shared));
      const paths: string[] = [];
      for (const line of slice.files) {
        const tab = line.indexOf('\t');
        const path = line.slice(0, tab);
        files.setRaw(path, line.slice(tab + 1));
        slices.ofPath.set(path, name);
        paths.push(path);
      }
      slices.paths.set(name, paths);
      files.set(name, entry);
    }
    days.sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
    return {
      version: MANIFEST_VERSION,
      engine: head.engine,
      marks: head.marks,
      rising: head.rising,
      days,
      files,
      slices,
    };
  } catch {
    return undefined;
  }
}
