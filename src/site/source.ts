/**
 * Where the site engine reads from: a list of days, then one day at a time with what the store
 * knows of that day's papers. The store implements it (load.ts); a plain model does too (tests
 * and the pure `buildSite`), always as a full build.
 */
import { hash } from 'node:crypto';
import type { PaperEnrichment } from '../types.js';
import type { EmbedRecord, EngagementPoint, PaperExtras, SiteDay, SiteModel } from './model.js';
import type { SiteThumb } from './thumbs.js';

/** A day the site shows: the digest row chosen for it, and a fingerprint of that row. */
export interface DayRef {
  day: string;
  categoriesKey: string;
  horizon: string;
  /** Changes whenever the row is rewritten ('' when unknown: such a source only builds in full). */
  fingerprint: string;
}

/** The store's days as a source lists them (SiteSource.days). */
export interface DayList {
  refs: DayRef[];
  warnings: string[];
  /**
   * Per month (a day's first seven characters) of the store, a token that is the same only while
   * the month's rows are (and the source picks the same row of each day): when the source keeps
   * them (the store's digest_months, migration 17).
   */
  tokens?: ReadonlyMap<string, string>;
  /**
   * Given `known`: the refs are the days from `since` on (a day or month string, compared as
   * text); every month before it has the token known, so its days are the earlier build's. The
   * oldest month whose token is not the one known, or '~' when there is none. Undefined: every day.
   */
  since?: string;
}

/** One day read in full: its digest, and the store's extras for its papers and posts. */
export interface DaySlice {
  day: SiteDay;
  /** Per paper id of the day. */
  papers: ReadonlyMap<string, PaperExtras>;
  /** Per post key of every post the day's pages may show. */
  embeds: ReadonlyMap<string, EmbedRecord>;
  /** What Hugging Face says of the day's papers (TL;DR, keywords, code, project page). */
  enrichments?: ReadonlyMap<string, PaperEnrichment>;
  /** Thumbnails of the day's papers that have one (WebP bytes, site path, size). */
  thumbs?: ReadonlyMap<string, SiteThumb>;
}

/** High-water marks of the store's append-only tables at a build (rowids). */
export type StoreMarks = Record<string, number>;

/** What the store gained since a build: papers whose posts, snapshots or embeds changed. */
export interface StoreChanges {
  marks: StoreMarks;
  /** Papers to re-render; 'all' when the marks are missing or unusable (every page is redone). */
  papers: ReadonlySet<string> | 'all';
  /**
   * Of those, the papers whose day pages show something that changed (their enrichment or
   * thumbnail; a post of theirs: its author, text, embed or deletion): every day page ranking
   * them is made again.
   */
  enriched?: ReadonlySet<string>;
}

/** The engine's view of the store. */
export interface SiteSource {
  /**
   * One ref per day, newest first, and a line per row that had to be skipped. With `known` (per
   * month, the token an earlier build kept: DayList.tokens), only the days from `since` on.
   */
  days(known?: ReadonlyMap<string, string>): DayList;
  /** Read one day in full; a string is a warning (the digest is not readable). */
  loadDay(ref: DayRef): DaySlice | string;
  /** What changed since `marks` (an earlier build's). */
  changes(marks: StoreMarks | undefined): StoreChanges;
  /** The engagement history of each of these papers that has snapshots (the rising page's input). */
  histories(ids: readonly string[]): ReadonlyMap<string, readonly EngagementPoint[]>;
}

/** A source over an in-memory model (every build from it is a full one). */
export function modelSource(model: SiteModel): SiteSource {
  const byDay = new Map<string, SiteDay>();
  for (const d of [...model.days].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0)))
    if (!byDay.has(d.day)) byDay.set(d.day, d);
  const empty = new Map<string, PaperExtras>();
  return {
    days: () => ({
      refs: [...byDay.values()].map((d) => ({
        day: d.day,
        categoriesKey: d.categoriesKey,
        horizon: d.horizon,
        fingerprint: '',
      })),
      warnings: [],
    }),
    loadDay: (ref) => ({
      day: byDay.get(ref.day)!,
      papers: model.papers ?? empty,
      embeds: model.embeds ?? new Map(),
      enrichments: model.enrichments,
      thumbs: model.thumbs,
    }),
    changes: () => ({ marks: {}, papers: 'all' }),
    histories: (ids) => {
      const out = new Map<string, readonly EngagementPoint[]>();
      for (const id of ids) {
        const history = model.papers?.get(id)?.history;
        if (history && history.length > 0) out.set(id, history);
      }
      return out;
    },
  };
}

/**
 * A fingerprint's row part: without what a store adds after it when papers the row refers to
 * were revised since it was written (`|r` and their count, then `#` and their ids, one per
 * revision: listDigestFingerprints).
 */
export function rowFingerprint(fingerprint: string): string {
  const hash = fingerprint.indexOf('#');
  const head = hash < 0 ? fingerprint : fingerprint.slice(0, hash);
  const count = /\|r\d+$/.exec(head);
  return count ? head.slice(0, count.index) : head;
}

/**
 * What list pages key a day by (build.ts, keysOf): a stamp of its whole fingerprint, one of its
 * row part (the same when no paper was revised), and each revised paper's count of revisions. A
 * day made from its month's head alone has them from the head, its fingerprint not read.
 */
export interface DayStamps {
  whole: string;
  row: string;
  revisions: ReadonlyMap<string, number>;
}

/** A text's stamp: 11 characters (66 bits) of its SHA-1, plenty for telling a day's rows apart. */
function stampOf(text: string): string {
  return hash('sha1', text, 'base64url').slice(0, 11);
}

/** A fingerprint's DayStamps. */
export function stampsOf(fingerprint: string): DayStamps {
  const row = rowFingerprint(fingerprint);
  const whole = stampOf(fingerprint);
  return { whole, row: row === fingerprint ? whole : stampOf(row), revisions: paperRevisions(fingerprint) };
}

/** The ids of the papers a fingerprint names as revised (its `#` part), one per revision, in order. */
export function revisedIds(fingerprint: string): string[] {
  const at = fingerprint.indexOf('#');
  return at < 0
    ? []
    : fingerprint
        .slice(at + 1)
        .split(' ')
        .filter((id) => id !== '');
}

/** How many revisions of each paper a fingerprint names (its `#` part), by id. */
export function paperRevisions(fingerprint: string): Map<string, number> {
  return revisionCounts(revisedIds(fingerprint));
}

/** Each id's count of occurrences in `ids` (a fingerprint's revised papers, one per revision). */
export function revisionCounts(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * The papers revised between two fingerprints of one digest row (`before`, then `now`): those
 * whose count of revisions differs. Undefined when the row itself differs (written again) or
 * when no paper tells the difference (a count made before the ids were kept).
 */
export function revisedPapers(before: string, now: string): Set<string> | undefined {
  if (rowFingerprint(before) !== rowFingerprint(now)) return undefined;
  const was = paperRevisions(before);
  const is = paperRevisions(now);
  const ids = new Set<string>();
  for (const [id, n] of is) if (was.get(id) !== n) ids.add(id);
  for (const id of was.keys()) if (!is.has(id)) ids.add(id);
  return ids.size > 0 ? ids : undefined;
}
