/**
 * The search index of a site build, a time segment at a time (the segments are described in
 * search-index.ts). A segment is made from the search fragments of its days alone, plus the list
 * of its papers ranked again later (masked): when neither changed since the previous generation
 * its files are kept whole without being read, so one new day rebuilds the open segment and the
 * heads of the segments whose papers it ranks again. Only one segment's papers are in memory at
 * a time, so a full build's memory does not grow with the history.
 */
import { createHash } from 'node:crypto';
import { type SearchEntry, type SegmentSummary, segmentBuilder, segmentOf } from './search-index.js';

/** What the build gives the search index: its days' fragments and the previous generation. */
export interface SearchBuildIo {
  /** The day's search fragment (lines `paperId\tSearchEntry JSON`). */
  fragment(day: string): Buffer;
  /** The content hash of the day's fragment. */
  fragmentHash(day: string): string;
  /** A file of the previous generation (undefined when missing). */
  readPrevious(path: string): Buffer | undefined;
  /** Keep every file of the previous generation owned by `owner` unchanged. */
  keepOwned(owner: string): void;
  /** Hand a file of this generation over (kept when its bytes did not change). */
  put(path: string, data: string, owner: string): void;
}

/** Version of the segment files' layout: part of each segment's key. */
const FORMAT = 'search-segment-1';

/** The owner of a segment's files in the manifest. */
export function segmentOwner(id: string): string {
  return `s:${id}`;
}

/**
 * Build (or keep) every segment of `days` (newest first). `masks`: per segment, its papers
 * ranked again in a later segment (maskedBySegment). `summaries`: folder of the per-segment
 * summary files (site path). Returns the segments, oldest first.
 */
export function buildSearchSegments(
  days: readonly string[],
  masks: ReadonlyMap<string, readonly string[]>,
  summaries: string,
  io: SearchBuildIo,
): SegmentSummary[] {
  const bySegment = new Map<string, string[]>();
  for (const day of days) {
    const s = segmentOf(day, days[0]!);
    const list = bySegment.get(s);
    if (list) list.push(day);
    else bySegment.set(s, [day]);
  }
  const out: SegmentSummary[] = [];
  for (const [id, segDays] of bySegment) {
    const owner = segmentOwner(id);
    const masked = [...(masks.get(id) ?? [])].sort();
    const hash = createHash('sha1').update(FORMAT);
    for (const day of segDays) hash.update(`\n${day}\t${io.fragmentHash(day)}`);
    hash.update(`\n${masked.join(' ')}`);
    const key = hash.digest('base64');
    const path = `${summaries}/${id}.json`;
    const before = io.readPrevious(path);
    if (before) {
      const summary = JSON.parse(before.toString()) as SegmentSummary & { key: string };
      if (summary.key === key) {
        io.keepOwned(owner);
        out.push(summary);
        continue;
      }
    }
    // Each paper once, with its latest ranking in the segment (days are newest first).
    const builder = segmentBuilder(id);
    const seen = new Set<string>();
    for (const day of segDays) {
      for (const line of io.fragment(day).toString().split('\n')) {
        const tab = line.indexOf('\t');
        if (tab < 0) continue;
        const paperId = line.slice(0, tab);
        if (seen.has(paperId)) continue;
        seen.add(paperId);
        builder.add(JSON.parse(line.slice(tab + 1)) as SearchEntry);
      }
    }
    const summary = builder.finish(new Set(masked), (p, data) => io.put(p, data, owner));
    io.put(path, JSON.stringify({ key, ...summary }), owner);
    out.push(summary);
  }
  return out;
}

/** Each paper's ranking days, newest first, for the papers ranked more than once. */
export function* rankingDays(
  appearances: ReadonlyMap<string, ReadonlyArray<{ day: { day: string } }>>,
): Iterable<[string, string[]]> {
  for (const [id, list] of appearances) if (list.length > 1) yield [id, list.map((a) => a.day.day)];
}
