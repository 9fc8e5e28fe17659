/**
 * A search segment changed in place: when the only change to a segment's days is the entries of
 * a few papers (a later cross-list adds a category, a newer version retitles a paper: every day
 * ranking it shows its row as it is now), the files a full build would make differ from the
 * previous ones in the doc chunks of those papers, the buckets of the tokens they gained, lost
 * or moved to another field, the body and the head. Those are made again from the previous
 * files; the rest of the segment is kept. Anything else (a paper added or gone, a score or a day
 * changed, the bucket count moved) makes the segment again whole.
 */
import {
  bucketCount,
  bucketFile,
  bucketOf,
  bucketPath,
  CHUNK_SIZE,
  type ChunkDoc,
  chunkFile,
  chunkOf,
  chunkPath,
  decodePostings,
  encodePostings,
  entryTokens,
  keyOf,
  postingBytes,
  type SearchEntry,
  type SegmentBody,
} from './search-index.js';

/** Past this many changed papers a segment is made again whole (each costs buckets read and written). */
export const MAX_PATCHED_PAPERS = 32;

/** What a patch reads: each changed day's fragment now and before, and the previous segment's files. */
export interface PatchIo {
  fragment(day: string): Buffer;
  previousFragment(day: string): Buffer | undefined;
  readPrevious(path: string): Buffer | undefined;
}

/** A patched segment: its body and the files that changed (site path → text). */
export interface Patched {
  body: SegmentBody;
  files: Map<string, string>;
}

/**
 * Patch segment `body` (the previous generation's) whose days are the same as before but for
 * the fragments of `changedDays`. Undefined when the change is not a patch's (see above).
 */
export function patchSegment(
  body: SegmentBody,
  changedDays: readonly string[],
  io: PatchIo,
): Patched | undefined {
  const changes = changedEntries(changedDays, io);
  if (!changes || changes.size > MAX_PATCHED_PAPERS) return undefined;
  const number = new Map(body.papers.map((id, n) => [id, n]));
  const docs = body.papers.length;
  const chunks = new Map<number, ChunkDoc[]>();
  const chunkAt = (n: number): ChunkDoc[] | undefined => {
    const c = Math.floor(n / CHUNK_SIZE);
    let list = chunks.get(c);
    if (!list) {
      list = readCall(io.readPrevious(chunkPath(body.id, c)), '[') as ChunkDoc[] | undefined;
      if (!Array.isArray(list)) return undefined;
      chunks.set(c, list);
    }
    return list;
  };
  /** Per token whose posting changed: each changed paper's new field (-1: none now). */
  const moved = new Map<string, Map<number, number>>();
  const categories = [...body.categories];
  const changedChunks = new Set<number>();
  for (const [id, { day, before, now }] of changes) {
    const n = number.get(id);
    const chunk = n === undefined ? undefined : chunkAt(n);
    if (n === undefined || !chunk) return undefined;
    // A day that is not the paper's newest in the segment does not make its entry there.
    const shown = chunk[n % CHUNK_SIZE];
    if (!shown || shown[0] !== id) return undefined;
    if (shown[3] !== day) continue;
    if (before.day !== day || now.day !== day || before.score !== now.score) return undefined;
    if (JSON.stringify(shown) !== JSON.stringify(chunkOf(before))) return undefined;
    chunk[n % CHUNK_SIZE] = chunkOf(now);
    changedChunks.add(Math.floor(n / CHUNK_SIZE));
    categories[n] = now.paper.categories.join(' ');
    const was = entryTokens(before);
    const is = entryTokens(now);
    for (const [token, field] of is) if (was.get(token) !== field) movedOf(moved, token).set(n, field);
    for (const token of was.keys()) if (!is.has(token)) movedOf(moved, token).set(n, -1);
  }
  // The buckets of the moved tokens, read, changed and written back.
  const buckets = new Map<number, Map<string, string>>();
  let bytes = body.bytes;
  for (const [token, fields] of moved) {
    const b = bucketOf(keyOf(token), body.buckets);
    let bucket = buckets.get(b);
    if (!bucket) {
      const read = readCall(io.readPrevious(bucketPath(body.id, b)), '{');
      if (!read || typeof read !== 'object') return undefined;
      bucket = new Map(Object.entries(read as Record<string, string>));
      buckets.set(b, bucket);
    }
    const had = bucket.get(token);
    const list = had === undefined ? [] : decodePostings(had).filter((v) => !fields.has(v >> 2));
    for (const [n, field] of fields) if (field >= 0) list.push(n * 4 + field);
    list.sort((a, b) => a - b);
    if (had !== undefined) bytes -= postingBytes(token, had);
    if (list.length === 0) bucket.delete(token);
    else {
      const encoded = encodePostings(list, docs);
      bucket.set(token, encoded);
      bytes += postingBytes(token, encoded);
    }
  }
  // Another bucket count moves every token: the segment is made again whole.
  if (bucketCount(body.id, bytes) !== body.buckets) return undefined;
  const files = new Map<string, string>();
  for (const [b, bucket] of buckets) {
    const sorted = [...bucket].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    files.set(bucketPath(body.id, b), bucketFile(body.id, b, sorted));
  }
  for (const c of changedChunks) files.set(chunkPath(body.id, c), chunkFile(body.id, c, chunks.get(c)!));
  return { body: { ...body, categories, bytes }, files };
}

function movedOf(moved: Map<string, Map<number, number>>, token: string): Map<number, number> {
  let fields = moved.get(token);
  if (!fields) {
    fields = new Map();
    moved.set(token, fields);
  }
  return fields;
}

/**
 * The entries that differ between each changed day's fragment before and now, by paper (the
 * newest such day's, as a segment keeps), or undefined when a day lost or gained a paper.
 */
function changedEntries(
  days: readonly string[],
  io: PatchIo,
): Map<string, { day: string; before: SearchEntry; now: SearchEntry }> | undefined {
  const out = new Map<string, { day: string; before: SearchEntry; now: SearchEntry }>();
  for (const day of days) {
    const was = linesOf(io.previousFragment(day));
    const is = linesOf(io.fragment(day));
    if (!was || !is || was.size !== is.size) return undefined;
    for (const [id, line] of is) {
      const old = was.get(id);
      if (old === undefined) return undefined;
      if (old === line) continue;
      const change = { day, before: JSON.parse(old) as SearchEntry, now: JSON.parse(line) as SearchEntry };
      const seen = out.get(id);
      if (!seen || seen.day < day) out.set(id, change);
    }
  }
  return out;
}

/** A fragment's entries by paper id (the JSON text of each), or undefined when a paper comes twice. */
function linesOf(fragment: Buffer | undefined): Map<string, string> | undefined {
  if (!fragment) return undefined;
  const out = new Map<string, string>();
  for (const line of fragment.toString().split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const id = line.slice(0, tab);
    if (out.has(id)) return undefined;
    out.set(id, line.slice(tab + 1));
  }
  return out;
}

/** The JSON argument of a segment file's call (`NAME("id",n,ARG);`), starting at `open`. */
function readCall(bytes: Buffer | undefined, open: '[' | '{'): unknown {
  if (!bytes) return undefined;
  const text = bytes.toString();
  const start = text.indexOf(open);
  const end = text.lastIndexOf(');');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(text.slice(start, end));
  } catch {
    return undefined;
  }
}
