/**
 * The list state: what the category and window pages are made of, kept in the site from one
 * build to the next. In `.hotpapers/lists.json`: per category its number of papers and its
 * windows' keys and counts; per window kind every window's key and the top papers of the newest
 * two; the all-time top papers; the papers ranked more than once. Per category, in a file of its
 * own (its part, listPartPath): its newest papers (enough for its two newest pages and its
 * feed's days) and its current week, month and year top papers (its all-time top, with a
 * reserve, in a third file: see TopState.detached).
 *
 * A build that only adds days newer than every day it had (the daily case) advances the state
 * with the new days' papers alone (advanceState): one new day then costs the same whatever the
 * length of the history. It reads the part of a category only when one of those papers is in
 * it or one of its windows moved on; every other part keeps its file. A paper of theirs ranked
 * before moves from its previous ranking: the days from the first day of that ranking's week,
 * month and year on are read (ReadRange), so the cost grows with how long ago that was, not
 * with the history. Any other build makes the state from every paper's latest ranking
 * (stateFromHistory); both give the same state for the same days, so the files are the same
 * bytes. Pure: plain data in and out.
 */
import {
  categoryKey,
  type ListAppearance,
  type ListDay,
  type ListPaper,
  packCategories,
  unpackCategories,
} from './model.js';
import { byScore, groupByWindow, topByScore, type WindowKind, windowOf, windowStart } from './windows.js';

/** Site path of the list state. */
export const LISTS_PATH = '.hotpapers/lists.json';

/** Papers per window page (top of a week, month, year, all time). */
export const WINDOW_SIZE = 100;

/** The window kinds with past pages of their own (`all` has one page). */
export const PAST_KINDS = ['week', 'month', 'year'] as const;
export type PastKind = (typeof PAST_KINDS)[number];

/** The windows of a category's pages, in the order its state keeps them. */
export const CATEGORY_KINDS = ['week', 'month', 'year', 'all'] as const;
type CategoryKind = (typeof CATEGORY_KINDS)[number];

/**
 * Format of the files (another one is not read: the state is then made from the history). 2: the
 * categories' all-time windows in files of their own; 3: each category's head and windows in a
 * file of its own (its part).
 */
const FORMAT = 3;

/** A window's papers by score: the top WINDOW_SIZE of them, and how many it holds. */
export interface TopState {
  key: string;
  count: number;
  top: ListAppearance[];
  /**
   * An all-time window's reserve: the papers that follow its top, up to RESERVE of them, each
   * one before every paper not held (fewer once papers ranked again left the top; see
   * moveWithin). Not in the state's file: the site's in RESERVE_PATH, a category's with its top
   * in allTimePath.
   */
  more?: ListAppearance[];
  /**
   * A category's window as the state file gives it: its key and count, its top left in a file
   * not read (a week, month or year window's in the category's part, listPartPath; an all-time
   * one's, with its reserve, in allTimePath). A day whose papers fall past the papers an
   * all-time file holds (`held` of them, the last `last`; known from the reserve file) leaves
   * it as it is.
   */
  detached?: { held?: number; last?: ListAppearance };
}

/** Folder of the categories' parts, a file each (a head and the week, month and year tops). */
export const LIST_PART_DIR = '.hotpapers/lists';

/** Site path of category `cat`'s part. */
export function listPartPath(cat: string): string {
  return `${LIST_PART_DIR}/${categoryKey(cat)}.json`;
}

/** A category's head and week, month and year windows, as read from its part (see ListState). */
export interface CategoryPart {
  head: ListAppearance[];
  windows: TopState[];
}

/** A category's part, read from its file when needed (undefined: not at hand). */
export type PartLoader = (cat: string) => CategoryPart | undefined;

/** Folder of the categories' all-time windows, a file each (a top and its reserve). */
export const ALL_TIME_DIR = '.hotpapers/alltime';

/** Site path of category `cat`'s all-time window. */
export function allTimePath(cat: string): string {
  return `${ALL_TIME_DIR}/${categoryKey(cat)}.json`;
}

/** A category's all-time window among its windows (CATEGORY_KINDS). */
export function allTimeWindow(wins: readonly TopState[]): TopState | undefined {
  return wins.find((w) => w.key === 'all');
}

/** A category's all-time top and reserve, as read from its file (undefined: not at hand). */
export type AllTimeLoader = (cat: string) => { top: ListAppearance[]; more: ListAppearance[] } | undefined;

/**
 * Papers an all-time window holds past its top: a paper ranked again whose new score drops it
 * from the top leaves its place to the first of them, without the history being read.
 */
export const RESERVE = 50;

/** Site path of the all-time windows' reserves (see TopState.more). */
export const RESERVE_PATH = '.hotpapers/reserve.json';

/** What a generation's list pages are made of besides the days. */
export interface ListState {
  /** Papers ranked, each once. */
  papers: number;
  /** The papers ranked on more than one day: their ranking days, newest first. */
  repeats: Map<string, string[]>;
  /** Per category, its papers (each once, at its latest ranking). */
  counts: Map<string, number>;
  /**
   * Per category whose part is held, its newest papers, newest first (by day, then rank): at
   * least its newest two pages' worth (or all) and every paper of its newest feed days. A
   * category not here is as its part's file holds it: its windows are detached.
   */
  heads: Map<string, ListAppearance[]>;
  /**
   * Per category, its current week, month, year and all-time windows (CATEGORY_KINDS); those of
   * a category whose part is not held are detached (their key and count alone).
   */
  catWindows: Map<string, TopState[]>;
  /** Per kind, the key of every window with papers (newest first) and the state of the newest two. */
  windows: Record<PastKind, { keys: string[]; newest: TopState[] }>;
  /** Every paper's latest ranking, by score. */
  all: TopState;
}

/** The sizes the state depends on: papers per category page, and days per feed. */
export interface ListShape {
  pageSize: number;
  feedDays: number;
}

/** Rankings of one day in order: by rank, then (equal ranks) higher score, then id. */
export function byRank(a: ListPaper, b: ListPaper): number {
  return (
    a.rank - b.rank || b.score - a.score || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0)
  );
}

/** Newest day first, then by rank: the order of a category's pages. */
export function newestFirst(a: ListAppearance, b: ListAppearance): number {
  return (a.day.day < b.day.day ? 1 : a.day.day > b.day.day ? -1 : 0) || byRank(a.ranked, b.ranked);
}

/** Each of a paper's categories once (a list may name one twice). */
export function eachCategory(cats: readonly string[], f: (cat: string) => void): void {
  for (let i = 0; i < cats.length; i++) if (i === 0 || cats.indexOf(cats[i]!) === i) f(cats[i]!);
}

/** A window's state from all its papers (in any order); an all-time one's with its reserve. */
function topOf(key: string, items: readonly ListAppearance[]): TopState {
  if (key !== 'all') return { key, count: items.length, top: topByScore(items, WINDOW_SIZE) };
  const sorted = topByScore(items, WINDOW_SIZE + RESERVE);
  return { key, count: items.length, top: sorted.slice(0, WINDOW_SIZE), more: sorted.slice(WINDOW_SIZE) };
}

/** An empty window (an all-time one with an empty reserve). */
function emptyWindow(key: string): TopState {
  return key === 'all' ? { key, count: 0, top: [], more: [] } : { key, count: 0, top: [] };
}

/** The key of the window of `kind` holding `newest` (`all` for all time). */
function currentKey(kind: WindowKind, newest: string): string {
  return windowOf(kind, newest).key;
}

/**
 * How many of a category's papers (newest first, `total` in all) its state keeps: its two
 * newest pages' worth, and every paper of its newest `feedDays` days (its feed's).
 */
function headLength(list: readonly ListAppearance[], total: number, shape: ListShape): number {
  return Math.max(Math.min(2 * shape.pageSize, total), newestDaysLength(list, shape.feedDays));
}

/** How many of a list (newest first) are of its newest `days` days: a category feed's entries. */
export function newestDaysLength(list: readonly ListAppearance[], days: number): number {
  let seen = 0;
  let n = 0;
  for (; n < list.length; n++) {
    if (n === 0 || list[n - 1]!.day.day !== list[n]!.day.day) {
      if (seen === days) break;
      seen++;
    }
  }
  return n;
}

/** A category's windows from its papers newest first (every one of them). */
function categoryWindows(list: readonly ListAppearance[], newest: string): TopState[] {
  return CATEGORY_KINDS.map((kind) => currentWindow(kind, newest, list));
}

/**
 * The current window of `kind` (the one holding `newest`) made from a category's papers newest
 * first, every one from its first day on.
 */
function currentWindow(kind: CategoryKind, newest: string, list: readonly ListAppearance[]): TopState {
  const key = currentKey(kind, newest);
  if (kind === 'all') return topOf(key, list);
  // No day is newer than the newest: the current window holds the papers from its first day on.
  const from = windowStart(kind, key);
  let n = 0;
  while (n < list.length && list[n]!.day.day >= from) n++;
  return topOf(key, list.slice(0, n));
}

/** Every category's papers, newest first, from each paper's latest ranking (in any order). */
export function categoryLists(latest: readonly ListAppearance[]): Map<string, ListAppearance[]> {
  const lists = new Map<string, ListAppearance[]>();
  for (const a of latest)
    eachCategory(a.ranked.paper.categories, (cat) => {
      const list = lists.get(cat);
      if (list) list.push(a);
      else lists.set(cat, [a]);
    });
  for (const list of lists.values()) list.sort(newestFirst);
  return lists;
}

/** What a build makes its list pages from: the state, and the lists it holds whole. */
export interface ListView {
  state: ListState;
  /**
   * A category's papers newest first: every one (from the history), or the new ones and the
   * previous head (from the state), which hold every paper of the pages a new day changes.
   */
  list(cat: string): readonly ListAppearance[];
  /** Per kind, the windows whose pages can be made, by key (the others are kept as they are). */
  windows: Record<PastKind, ReadonlyMap<string, TopState>>;
}

/** The state and view of a build that holds every paper's latest ranking. */
export function stateFromHistory(
  latest: readonly ListAppearance[],
  repeats: Map<string, string[]>,
  papers: number,
  newest: string | undefined,
  shape: ListShape,
): ListView {
  const lists = categoryLists(latest);
  const counts = new Map<string, number>();
  const heads = new Map<string, ListAppearance[]>();
  const catWindows = new Map<string, TopState[]>();
  for (const [cat, list] of lists) {
    counts.set(cat, list.length);
    heads.set(cat, list.slice(0, headLength(list, list.length, shape)));
    if (newest) catWindows.set(cat, categoryWindows(list, newest));
  }
  const windows = {} as ListState['windows'];
  const view = {} as ListView['windows'];
  for (const kind of PAST_KINDS) {
    const groups = groupByWindow(latest, kind, true);
    const states = new Map(groups.map(([key, list]) => [key, topOf(key, list)]));
    windows[kind] = {
      keys: groups.map(([key]) => key),
      newest: groups.slice(0, 2).map(([key]) => states.get(key)!),
    };
    view[kind] = states;
  }
  const state: ListState = {
    papers,
    repeats,
    counts,
    heads,
    catWindows,
    windows,
    all: topOf('all', latest),
  };
  return { state, list: (cat) => lists.get(cat) ?? [], windows: view };
}

/**
 * What a build read whole when papers of its new days were ranked before: their previous latest
 * rankings (`removed`, each moving to its new one, all on or after `from`) and every paper's
 * latest ranking on the days from `from` on (`latest`, the new days' among them). `from` is no
 * later than the first day of each window (week, month, year) of a removed ranking.
 */
export interface ReadRange {
  from: string;
  latest: readonly ListAppearance[];
  removed: readonly ListAppearance[];
}

/**
 * The state and view of a build that adds days newer than every day of `prev`'s: `fresh` holds
 * each paper of the new days once, at its latest ranking, `repeats` those of them ranked on more
 * than one day (with all their days). Without `range` none of them was ranked before; with it,
 * those that were move from their previous ranking (ReadRange). Undefined when `prev` and what
 * was read lack something the new state needs (the caller makes the state from the history).
 */
export function advanceState(
  prev: ListState,
  fresh: readonly ListAppearance[],
  repeats: ReadonlyMap<string, string[]>,
  newest: string,
  shape: ListShape,
  range?: ReadRange,
  allTime?: AllTimeLoader,
  parts?: PartLoader,
): ListView | undefined {
  // Without a range only the new days were read (none when no day is new), each newer than
  // every day before, and every paper of theirs is new.
  let from = range?.from ?? '\uffff';
  if (!range) for (const a of fresh) if (a.day.day < from) from = a.day.day;
  const latest = range?.latest ?? fresh;
  const removed = range?.removed ?? [];
  const counts = new Map(prev.counts);
  const byCategory = (list: readonly ListAppearance[], step: number) => {
    const of = new Map<string, ListAppearance[]>();
    for (const a of list)
      eachCategory(a.ranked.paper.categories, (cat) => {
        counts.set(cat, (counts.get(cat) ?? 0) + step);
        const mine = of.get(cat);
        if (mine) mine.push(a);
        else of.set(cat, [a]);
      });
    return of;
  };
  const removedOf = byCategory(removed, -1);
  const added = byCategory(fresh, 1);
  // A category a paper moved out of, left with none: its pages go (made from the history).
  for (const n of counts.values()) if (n <= 0) return undefined;
  const read = range ? categoryLists(latest) : added;
  const heads = new Map<string, ListAppearance[]>();
  /** Per category, its papers on the days read and its previous head past them: what its changed pages are made of. */
  const lists = new Map<string, ListAppearance[]>();
  const catWindows = new Map<string, TopState[]>();
  const keys = CATEGORY_KINDS.map((kind) => currentKey(kind, newest));
  for (const [cat, total] of counts) {
    let before = prev.heads.get(cat);
    let was = prev.catWindows.get(cat);
    const mine = read.get(cat) ?? [];
    if (!before && was) {
      // Not read: the same part when none of its papers is new or moved (its papers on the days
      // read are those it had there) and none of its windows moved on.
      if (!added.has(cat) && !removedOf.has(cat) && keys.every((key, i) => was![i]?.key === key)) {
        catWindows.set(cat, was);
        continue;
      }
      const part = parts?.(cat);
      if (!part) return undefined;
      before = part.head;
      was = [...part.windows, ...was.slice(part.windows.length)];
    }
    before ??= [];
    if (!range) mine.sort(newestFirst);
    let k = 0;
    while (k < before.length && before[k]!.day.day >= from) k++;
    const merged = mine.length === 0 && k === 0 ? before : [...mine, ...(k === 0 ? before : before.slice(k))];
    // Shorter than the head it must keep: the category's older papers are not at hand.
    if (merged.length < Math.min(2 * shape.pageSize, total)) return undefined;
    lists.set(cat, merged);
    heads.set(cat, merged.length > 0 ? merged.slice(0, headLength(merged, total, shape)) : merged);
    const states: TopState[] = [];
    for (const [i, kind] of CATEGORY_KINDS.entries()) {
      const key = keys[i]!;
      const start = kind === 'all' ? '' : windowStart(kind, key);
      const inWindow = (list: readonly ListAppearance[] | undefined) =>
        (list ?? []).filter((a) => a.day.day >= start);
      let s: TopState | undefined;
      // Every paper of a window from `from` on is on the days read (merged is newest first).
      if (start >= from) s = currentWindow(kind, newest, merged);
      else {
        // A window that moved on holds none of the papers before: every one is older than it.
        let base: TopState | undefined = was?.[i]?.key === key ? was[i]! : emptyWindow(key);
        const out = inWindow(removedOf.get(cat));
        const into = inWindow(added.get(cat));
        if (base.detached) {
          // Its file is read only when one of its papers leaves or a new one may enter it.
          if (out.length === 0 && pastHeld(base, into)) s = { ...base, count: base.count + into.length };
          else {
            const read = allTime?.(cat);
            base = read && { key, count: base.count, top: read.top, more: read.more };
          }
        }
        if (!s && base) s = moveWithin(base, out, into, mine, from);
      }
      if (!s) return undefined;
      states.push(s);
    }
    catWindows.set(cat, states);
  }
  const windows = {} as ListState['windows'];
  const view = {} as ListView['windows'];
  for (const kind of PAST_KINDS) {
    const before = prev.windows[kind];
    const had = new Set(before.keys);
    const known = new Map(before.newest.map((s) => [s.key, s]));
    const freshBy = new Map(groupByWindow(fresh, kind, true));
    const removedBy = new Map(groupByWindow(removed, kind, true));
    const readBy = range ? new Map(groupByWindow(latest, kind, true)) : freshBy;
    const made = new Map<string, TopState>();
    const newKeys: string[] = [];
    for (const key of new Set([...freshBy.keys(), ...removedBy.keys()])) {
      let s: TopState | undefined;
      if (windowStart(kind, key) >= from) s = topOf(key, readBy.get(key) ?? []);
      else {
        // A new day lands in the newest window or a newer one: any other was not kept.
        const base = known.get(key) ?? (had.has(key) ? undefined : emptyWindow(key));
        s =
          base &&
          moveWithin(base, removedBy.get(key) ?? [], freshBy.get(key) ?? [], readBy.get(key) ?? [], from);
      }
      // A window a paper moved out of, left with none: its neighbours' links change.
      if (!s || s.count === 0) return undefined;
      if (!had.has(key)) newKeys.push(key);
      made.set(key, s);
    }
    // The previous newest window's links and "current" mark may change with a newer one; every
    // older window keeps its papers and its neighbours.
    const previous = before.newest[0];
    if (previous && !made.has(previous.key)) made.set(previous.key, previous);
    const keys = [...newKeys, ...before.keys].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    const newestTwo: TopState[] = [];
    for (const key of keys.slice(0, 2)) {
      const s = made.get(key) ?? known.get(key);
      if (!s) return undefined;
      newestTwo.push(s);
    }
    windows[kind] = { keys, newest: newestTwo };
    view[kind] = made;
  }
  const all = moveWithin(prev.all, removed, fresh, latest, from);
  if (!all) return undefined;
  const allRepeats = new Map(prev.repeats);
  for (const [id, days] of repeats) allRepeats.set(id, days);
  const state: ListState = {
    papers: prev.papers + fresh.length - removed.length,
    repeats: allRepeats,
    counts,
    heads,
    catWindows,
    windows,
    all,
  };
  /**
   * A category's list: its head as its part's file holds it when the state did not read it (a
   * category counted with no list: every other one was given its list above).
   */
  const list = (cat: string): readonly ListAppearance[] => {
    const held = lists.get(cat);
    if (held || !counts.has(cat)) return held ?? [];
    const part = parts?.(cat);
    if (!part) throw new Error(`the list state's part of ${cat} cannot be read`);
    lists.set(cat, part.head);
    return part.head;
  };
  return { state, list, windows: view };
}

/**
 * Whether papers `added` to a detached all-time window all rank after every paper its file
 * holds, so that they leave its top and reserve as they are: it holds a full reserve, or not
 * every paper (moveWithin keeps none past its last); unknown (no reserve file) is no.
 */
function pastHeld(w: TopState, added: readonly ListAppearance[]): boolean {
  if (added.length === 0) return true;
  const { held, last } = w.detached ?? {};
  if (held === undefined || !last || (held < WINDOW_SIZE + RESERVE && held >= w.count)) return false;
  return added.every((a) => byScore(a, last) > 0);
}

/**
 * A window's state with `removed` (previous rankings of papers ranked again) taken out and
 * `added` put in; `read`: the window's papers on the days from `from` on, every one (`added`
 * among them; not looked at when none is removed). Undefined when its new top may hold a paper
 * not at hand: one it did not hold (past its top and reserve), on a day before `from`.
 */
function moveWithin(
  base: TopState,
  removed: readonly ListAppearance[],
  added: readonly ListAppearance[],
  read: readonly ListAppearance[],
  from: string,
): TopState | undefined {
  if (removed.length === 0 && added.length === 0) return base;
  const held = base.more ? [...base.top, ...base.more] : base.top;
  const count = base.count - removed.length + added.length;
  // The held papers on the days read are among `read`, as they are now; those before `from`
  // are as they were.
  const known =
    removed.length === 0 ? [...held, ...added] : [...held.filter((a) => a.day.day < from), ...read];
  let sorted = topByScore(known, WINDOW_SIZE + (base.more ? RESERVE : 0));
  // A paper not at hand ranks after the last one held: only the papers before it are certain.
  const last = held[held.length - 1];
  if (count > known.length && last) {
    let n = sorted.length;
    while (n > 0 && byScore(sorted[n - 1]!, last) > 0) n--;
    if (n < Math.min(WINDOW_SIZE, count)) return undefined;
    sorted = sorted.slice(0, n);
  }
  const top = sorted.slice(0, WINDOW_SIZE);
  return base.more
    ? { key: base.key, count, top, more: sorted.slice(WINDOW_SIZE) }
    : { key: base.key, count, top };
}

/** The empty state: no day yet. */
export function emptyState(): ListState {
  const empty = (): { keys: string[]; newest: TopState[] } => ({ keys: [], newest: [] });
  return {
    papers: 0,
    repeats: new Map(),
    counts: new Map(),
    heads: new Map(),
    catWindows: new Map(),
    windows: { week: empty(), month: empty(), year: empty() },
    all: { key: 'all', count: 0, top: [] },
  };
}

// ------------------------------------------------------------------ the file

/** A ranking as the file holds it: day, rank, score, id, title, primary category, categories. */
type Row = [string, number, number, string, string, string, string | string[]];
/** A window as the file holds it: key, count, rows of its top papers. */
type WindowRow = [string, number, number[]];

export interface StateFile {
  format: number;
  papers: number;
  repeats: Array<[string, string[]]>;
  /** Per category: name, count, the key and count of each of its windows (their papers in its part and all-time files). */
  cats: Array<[string, number, Array<[string, number]>]>;
  windows: Record<PastKind, [string[], WindowRow[]]>;
  all: WindowRow;
  rows: Row[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rows of rankings, each once, in the order `ref` first names them; `ref` gives a ranking's row. */
function rowTable(): { rows: Row[]; ref: (a: ListAppearance) => number } {
  const rows: Row[] = [];
  const rowOf = new Map<ListAppearance, number>();
  const byKey = new Map<string, number>();
  const ref = (a: ListAppearance): number => {
    let n = rowOf.get(a);
    if (n !== undefined) return n;
    // The same ranking may be held as two objects (a day read again): one row.
    const key = `${a.ranked.paper.id}\n${a.day.day}`;
    n = byKey.get(key);
    if (n === undefined) {
      const p = a.ranked.paper;
      n = rows.length;
      rows.push([
        a.day.day,
        a.ranked.rank,
        a.ranked.score,
        p.id,
        p.title,
        p.primaryCategory,
        packCategories(p.categories),
      ]);
      byKey.set(key, n);
    }
    rowOf.set(a, n);
    return n;
  };
  return { rows, ref };
}

/** The rankings of `rows` joined to the days (`dayOf`): undefined when one is not whole or its day is not there. */
function rankingsOf(
  rows: unknown,
  dayOf: (day: string) => ListDay | undefined,
): ListAppearance[] | undefined {
  if (!Array.isArray(rows)) return undefined;
  const shared = new Map<string, string[]>();
  const appearances: ListAppearance[] = [];
  for (const row of rows as Row[]) {
    if (!Array.isArray(row) || row.length !== 7) return undefined;
    const [dayName, rank, score, id, title, primaryCategory, cats] = row;
    const day = dayOf(dayName);
    if (!day) return undefined;
    const categories = unpackCategories(cats, shared);
    appearances.push({
      day,
      ranked: { rank, score, paper: { id, title, categories, primaryCategory } },
      key: undefined,
    });
  }
  return appearances;
}

/** A window as a file holds it (`ref` gives a ranking's row). */
function windowRowOf(s: TopState, ref: (a: ListAppearance) => number): WindowRow {
  return [s.key, s.count, s.top.map(ref)];
}

/** The state as its file holds it: each ranking once, in the order the file first names it. */
export function serializeState(state: ListState): string {
  const { rows, ref } = rowTable();
  const windowRow = (s: TopState) => windowRowOf(s, ref);
  const cats = [...state.counts.keys()]
    .sort(byText)
    .map((cat): StateFile['cats'][number] => [
      cat,
      state.counts.get(cat)!,
      (state.catWindows.get(cat) ?? []).map((w): [string, number] => [w.key, w.count]),
    ]);
  const file: StateFile = {
    format: FORMAT,
    papers: state.papers,
    repeats: [...state.repeats].sort((a, b) => byText(a[0], b[0])),
    cats,
    windows: {
      week: [state.windows.week.keys, state.windows.week.newest.map(windowRow)],
      month: [state.windows.month.keys, state.windows.month.newest.map(windowRow)],
      year: [state.windows.year.keys, state.windows.year.newest.map(windowRow)],
    },
    all: windowRow(state.all),
    // Filled while the rest was laid out.
    rows,
  };
  return JSON.stringify(file);
}

/** A category's part as its file holds it: its head, its windows but the all-time one. */
interface PartFile {
  format: number;
  cat: string;
  count: number;
  rows: Row[];
  head: number[];
  windows: WindowRow[];
}

/** The file of category `cat`'s part; undefined when the state does not hold it (its file is kept). */
export function serializePart(state: ListState, cat: string): string | undefined {
  const head = state.heads.get(cat);
  if (!head) return undefined;
  const { rows, ref } = rowTable();
  const file: PartFile = {
    format: FORMAT,
    cat,
    count: state.counts.get(cat) ?? 0,
    rows,
    head: head.map(ref),
    windows: (state.catWindows.get(cat) ?? []).filter((w) => w.key !== 'all').map((w) => windowRowOf(w, ref)),
  };
  return JSON.stringify(file);
}

/**
 * Category `cat`'s part read from its file (`text`), joined to the days (`dayOf`): undefined
 * when it is not whole or not the part `state` (read from the state file) names: another
 * count, other windows.
 */
export function parsePart(
  text: string,
  cat: string,
  state: ListState,
  dayOf: (day: string) => ListDay | undefined,
): CategoryPart | undefined {
  let f: PartFile;
  try {
    f = JSON.parse(text) as PartFile;
  } catch {
    return undefined;
  }
  const named = state.catWindows.get(cat) ?? [];
  if (f?.format !== FORMAT || f.cat !== cat || f.count !== state.counts.get(cat) || !Array.isArray(f.windows))
    return undefined;
  if (f.windows.length !== named.length - 1) return undefined;
  const rows = rankingsOf(f.rows, dayOf);
  const head = rows && pick(rows, f.head);
  if (!head) return undefined;
  const windows: TopState[] = [];
  for (const [i, w] of f.windows.entries()) {
    const top = Array.isArray(w) && w[0] === named[i]!.key && w[1] === named[i]!.count && pick(rows!, w[2]);
    if (!top) return undefined;
    windows.push({ key: w[0], count: w[1], top });
  }
  return { head, windows };
}

/** The file's text parsed, its shape checked; undefined when it is not a state of this format. */
export function parseStateFile(text: string): StateFile | undefined {
  try {
    const f = JSON.parse(text) as StateFile;
    if (f?.format !== FORMAT || !Array.isArray(f.rows) || !Array.isArray(f.cats) || !Array.isArray(f.repeats))
      return undefined;
    if (!PAST_KINDS.every((k) => Array.isArray(f.windows?.[k]?.[0]) && Array.isArray(f.windows[k][1])))
      return undefined;
    return f;
  } catch {
    return undefined;
  }
}

/**
 * The state of a file, its rankings joined to the days (`dayOf`): undefined when a ranking's day
 * is not one of them or the file is not whole. No category's part is held (see ListState.heads).
 */
export function stateOfFile(
  f: StateFile,
  dayOf: (day: string) => ListDay | undefined,
): ListState | undefined {
  const appearances = rankingsOf(f.rows, dayOf);
  if (!appearances) return undefined;
  const at = (n: number): ListAppearance => {
    const a = appearances[n];
    if (!a) throw new Error('no such row');
    return a;
  };
  const window = (w: WindowRow): TopState => ({ key: w[0], count: w[1], top: w[2].map(at) });
  try {
    const counts = new Map<string, number>();
    const catWindows = new Map<string, TopState[]>();
    for (const [cat, count, wins] of f.cats) {
      if (wins.length !== CATEGORY_KINDS.length) return undefined;
      counts.set(cat, count);
      catWindows.set(
        cat,
        wins.map(([key, n]) => ({ key, count: n, top: [], detached: {} })),
      );
    }
    const windows = {} as ListState['windows'];
    for (const kind of PAST_KINDS)
      windows[kind] = { keys: f.windows[kind][0], newest: f.windows[kind][1].map(window) };
    return {
      papers: f.papers,
      repeats: new Map(f.repeats),
      counts,
      heads: new Map(),
      catWindows,
      windows,
      all: window(f.all),
    };
  } catch {
    return undefined;
  }
}

/**
 * The site's all-time reserve as its file holds it, with what each category's all-time file
 * holds: `stamp` names the state file they go with.
 */
interface ReserveFile {
  format: number;
  stamp: string;
  rows: Row[];
  /** Rows of the site's all-time reserve. */
  all: number[];
  /** Per category: [category, papers its all-time file holds, row of the last of them]. */
  cats: Array<[string, number, number]>;
}

/** How many papers a category's all-time window holds (top and reserve), and the last of them. */
function heldOf(w: TopState): { held?: number; last?: ListAppearance } {
  if (w.detached) return w.detached;
  const more = w.more ?? [];
  return { held: w.top.length + more.length, last: more[more.length - 1] ?? w.top[w.top.length - 1] };
}

/**
 * The file of `state`'s site reserve (TopState.more) and of what its categories' all-time
 * files hold, for the state file whose content hash is `stamp`.
 */
export function serializeReserve(state: ListState, stamp: string): string {
  const { rows, ref } = rowTable();
  const file: ReserveFile = {
    format: FORMAT,
    stamp,
    rows,
    all: (state.all.more ?? []).map(ref),
    cats: [...state.catWindows]
      .sort((a, b) => byText(a[0], b[0]))
      .flatMap(([cat, wins]): Array<[string, number, number]> => {
        const w = allTimeWindow(wins);
        const { held, last } = w ? heldOf(w) : {};
        return held !== undefined && last ? [[cat, held, ref(last)]] : [];
      }),
  };
  return JSON.stringify(file);
}

/** A category's all-time file: the rows of its top and its reserve. */
interface AllTimeFile {
  format: number;
  rows: Row[];
  top: number[];
  more: number[];
}

/** The file of a category's all-time window (one read whole: not detached). */
export function serializeAllTime(w: TopState): string {
  const { rows, ref } = rowTable();
  const file: AllTimeFile = { format: FORMAT, rows, top: w.top.map(ref), more: (w.more ?? []).map(ref) };
  return JSON.stringify(file);
}

/** A category's all-time file read, joined to the days (`dayOf`); undefined when it is not whole. */
export function parseAllTime(
  text: string,
  dayOf: (day: string) => ListDay | undefined,
): { top: ListAppearance[]; more: ListAppearance[] } | undefined {
  let f: AllTimeFile;
  try {
    f = JSON.parse(text) as AllTimeFile;
  } catch {
    return undefined;
  }
  if (f?.format !== FORMAT) return undefined;
  const rows = rankingsOf(f.rows, dayOf);
  const top = rows && pick(rows, f.top);
  const more = rows && pick(rows, f.more);
  return top && more ? { top, more } : undefined;
}

/** The rankings `list` names (row numbers into `rows`); undefined when one is not there. */
function pick(rows: readonly ListAppearance[], list: unknown): ListAppearance[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const out: ListAppearance[] = [];
  for (const n of list) {
    const a = rows[n as number];
    if (!a) return undefined;
    out.push(a);
  }
  return out;
}

/**
 * Give `state`'s site all-time window the reserve of `text` (a reserve file), and its detached
 * category windows what their files hold, when it goes with the state file whose content hash is
 * `stamp` and reads whole; else they keep none (a paper ranked again that leaves the top then
 * needs the history; a category with new papers reads its file).
 */
export function attachReserve(
  state: ListState,
  text: string,
  stamp: string,
  dayOf: (day: string) => ListDay | undefined,
): void {
  let f: ReserveFile;
  try {
    f = JSON.parse(text) as ReserveFile;
  } catch {
    return;
  }
  if (f?.format !== FORMAT || f.stamp !== stamp || !Array.isArray(f.all) || !Array.isArray(f.cats)) return;
  const rows = rankingsOf(f.rows, dayOf);
  if (!rows) return;
  const all = pick(rows, f.all);
  const cats = new Map<string, { held: number; last: ListAppearance }>();
  for (const entry of f.cats) {
    const last = Array.isArray(entry) ? rows[entry[2]] : undefined;
    if (!last || typeof entry[1] !== 'number') return;
    cats.set(entry[0], { held: entry[1], last });
  }
  if (!all) return;
  state.all.more = all;
  for (const [cat, wins] of state.catWindows) {
    const w = allTimeWindow(wins);
    const held = cats.get(cat);
    if (w?.detached && held) w.detached = held;
  }
}
