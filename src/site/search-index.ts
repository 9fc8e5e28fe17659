/**
 * The sharded search index. Papers are numbered by score (best first), so a posting list in
 * number order is already in score order. Tokens go to one of N bucket scripts by a hash of
 * their first three characters (so a prefix query reads one bucket); category codes, arXiv ids
 * and window memberships are special tokens hashed whole. Paper details for the results list
 * live in small chunk scripts by paper number. Every file is a script calling a global loader,
 * so the index loads from file:// where fetch() is refused. The query side is
 * SEARCH_ENGINE_JS (src/site/search-client.ts); both tokenise with the functions below.
 */
import { categoryName } from '../arxiv/category-names.js';
import type { Paper } from '../types.js';

/** Folder of the index files (site path). */
export const SEARCH_DIR = 'assets/search';
/** Site path of the index's meta script (bucket count, chunk size, categories, windows). */
export const SEARCH_META_PATH = `${SEARCH_DIR}/meta.js`;
/** Papers per details chunk: the first page of results loads a few of these. */
export const CHUNK_SIZE = 16;
/** Average bucket weight aimed at, in bytes: sets the number of buckets. */
const BUCKET_TARGET_BYTES = 12_000;

/** Field of a token, from weakest to strongest (the low two bits of each posting). */
export const FIELD = { abstract: 0, summary: 1, author: 2, title: 3 } as const;

/** Time windows a search can be limited to, in days back from the newest day of the site. */
export const SEARCH_WINDOWS: ReadonlyArray<{ key: string; label: string; days: number }> = [
  { key: 'week', label: 'Last 7 days', days: 7 },
  { key: 'month', label: 'Last 30 days', days: 30 },
  { key: 'year', label: 'Last 365 days', days: 365 },
];

/** Words too common to search for (queries drop them too). */
export const STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be by for from has have in into is it its of on or our that the their this to we which with'.split(
    ' ',
  ),
);

/** Lower case, accents removed: what both sides compare. */
export function normalise(text: string): string {
  const lower = text.toLowerCase();
  // Most text is ASCII: skip the (slow) Unicode normalisation when it cannot change anything.
  return ASCII.test(lower) ? lower : lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

const ASCII = /^[\x00-\x7f]*$/;

/** The searchable words of a text: normalised, split at anything but letters and digits, stopwords out. */
export function tokens(text: string): string[] {
  const norm = normalise(text);
  // Same split either way: in ASCII text, letters and digits are [a-z0-9] once lower-cased.
  const parts = norm.split(ASCII.test(norm) ? /[^a-z0-9]+/ : /[^\p{L}\p{N}]+/u);
  return parts.filter((t) => t !== '' && !STOPWORDS.has(t));
}

/** The bucket of a key: FNV-1a over its UTF-16 code units (the client computes the same). */
export function bucketOf(key: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % buckets;
}

/** The key a token is bucketed by: its first three characters, or the whole special token. */
export function keyOf(token: string): string {
  return /^[#@~]/.test(token) ? token : token.slice(0, 3);
}

/** One paper to index (its latest ranking). */
export interface SearchEntry {
  paper: Pick<Paper, 'id' | 'title' | 'abstract' | 'authors' | 'categories'>;
  /** Day of its latest ranking, YYYY-MM-DD. */
  day: string;
  rank: number;
  score: number;
  /** HF ai_summary, when known. */
  summary?: string;
  keywords?: readonly string[];
}

/** A paper's details in a chunk: [id, title, authors (cut), day, score, rank, categories]. */
export type ChunkDoc = [string, string, string, string, number, number, string];

/** The index files by site path, and figures about them. */
export interface SearchIndex {
  files: Map<string, string>;
  buckets: number;
  docs: number;
}

/** Cut an author list for the results: three names, then "et al.". */
function authorsShort(authors: readonly string[]): string {
  return authors.length <= 3 ? authors.join(', ') : `${authors.slice(0, 3).join(', ')} et al.`;
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000);
}

/** The 64 digits of the bitmap form (JSON-safe, no escaping). */
export const BITMAP_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function deltas(list: ArrayLike<number>, strongOnly = false): string {
  let prev = 0;
  let out = '';
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (strongOnly && (v & 3) === 0) continue;
    const n = v >> 2;
    out += `${out === '' ? '' : ','}${((n - prev) * 4 + (v & 3)).toString(36)}`;
    prev = n;
  }
  return out;
}

/**
 * A posting list (doc × 4 + field, ascending) as text: base-36 deltas of the doc number with
 * the field in the low two bits; or, when shorter (words in most abstracts), `!` + a bitmap of
 * the docs (six per digit, as abstract hits) + `|` + the deltas of the docs with a stronger field.
 */
export function encodePostings(list: ArrayLike<number>, docs: number): string {
  const plain = deltas(list);
  const digits = Math.ceil(docs / 6);
  if (plain.length <= digits) return plain;
  const bits = new Uint8Array(digits);
  for (let i = 0; i < list.length; i++) {
    const n = list[i]! >> 2;
    bits[(n / 6) | 0]! |= 1 << (n % 6);
  }
  let map = '';
  for (const b of bits) map += BITMAP_DIGITS[b];
  return `!${map.replace(/A+$/, '')}|${deltas(list, true)}`;
}

/** Build every file of the index from the papers (each once). */
export function buildSearchIndex(entries: readonly SearchEntry[]): SearchIndex {
  const builder = searchIndexBuilder();
  for (const e of entries) builder.add(e);
  return builder.finish();
}

/**
 * The index built a paper at a time, in flat memory: each paper is tokenised as it is added and
 * only its token numbers and its details line are kept (not its abstract); the posting lists
 * are then laid out in one typed array, and with `emit` each file is handed over as it is made.
 */
export function searchIndexBuilder(): {
  add(e: SearchEntry): void;
  finish(emit?: (path: string, data: string) => void): SearchIndex;
} {
  const tokenIds = new Map<string, number>();
  const names: string[] = [];
  const docs: Array<{ chunk: ChunkDoc; tokens: Int32Array }> = [];
  const catCounts = new Map<string, number>();
  const idOf = (token: string) => {
    let id = tokenIds.get(token);
    if (id === undefined) {
      id = names.length;
      tokenIds.set(token, id);
      names.push(token);
    }
    return id;
  };
  return {
    add(e) {
      // token number → best field in this paper.
      const best = new Map<number, number>();
      const add = (token: string, field: number) => {
        const id = idOf(token);
        const had = best.get(id);
        if (had === undefined || had < field) best.set(id, field);
      };
      for (const t of tokens(e.paper.abstract)) add(t, FIELD.abstract);
      if (e.summary) for (const t of tokens(e.summary)) add(t, FIELD.summary);
      for (const k of e.keywords ?? []) for (const t of tokens(k)) add(t, FIELD.summary);
      for (const a of e.paper.authors) for (const t of tokens(a)) add(t, FIELD.author);
      for (const t of tokens(e.paper.title)) add(t, FIELD.title);
      for (const c of new Set(e.paper.categories)) {
        add(`#${normalise(c)}`, FIELD.title);
        catCounts.set(c, (catCounts.get(c) ?? 0) + 1);
      }
      add(`@${normalise(e.paper.id)}`, FIELD.title);
      const packed = new Int32Array(best.size);
      let i = 0;
      for (const [id, field] of best) packed[i++] = id * 4 + field;
      docs.push({
        chunk: [
          e.paper.id,
          e.paper.title,
          authorsShort(e.paper.authors),
          e.day,
          e.score,
          e.rank,
          e.paper.categories.join(' '),
        ],
        tokens: packed,
      });
    },
    finish(emit) {
      const files = new Map<string, string>();
      const put = emit ?? ((path: string, data: string) => void files.set(path, data));
      // Papers numbered by score, best first (then by id): a posting list in number order is in score order.
      docs.sort(
        (a, b) => b.chunk[4] - a.chunk[4] || (a.chunk[0] < b.chunk[0] ? -1 : a.chunk[0] > b.chunk[0] ? 1 : 0),
      );
      let newest = '';
      for (const d of docs) if (d.chunk[3] > newest) newest = d.chunk[3];
      const windowIds = SEARCH_WINDOWS.map((w) => idOf(`~${w.key}`));
      const inWindow = (d: { chunk: ChunkDoc }, w: number) =>
        (newest ? daysBetween(newest, d.chunk[3]) : 0) < SEARCH_WINDOWS[w]!.days;

      // Count each token's papers, then lay every list out in one typed array, in paper order.
      const counts = new Int32Array(names.length + 1);
      for (const d of docs) {
        for (const v of d.tokens) counts[(v >> 2) + 1]!++;
        windowIds.forEach((id, w) => {
          if (inWindow(d, w)) counts[id + 1]!++;
        });
      }
      for (let t = 1; t <= names.length; t++) counts[t]! += counts[t - 1]!;
      const postings = new Int32Array(counts[names.length]!);
      const next = counts.slice(0, names.length);
      docs.forEach((d, n) => {
        for (const v of d.tokens) postings[next[v >> 2]!++] = n * 4 + (v & 3);
        windowIds.forEach((id, w) => {
          if (inWindow(d, w)) postings[next[id]!++] = n * 4 + FIELD.abstract;
        });
        d.tokens = EMPTY;
      });

      const encoded: string[] = new Array(names.length);
      let total = 0;
      for (let t = 0; t < names.length; t++) {
        if (counts[t + 1] === counts[t]) continue;
        encoded[t] = encodePostings(postings.subarray(counts[t]!, counts[t + 1]!), docs.length);
        total += encoded[t]!.length + names[t]!.length + 6;
      }
      // A power of two, so growing the site changes the count rarely.
      let buckets = 1;
      while (buckets * BUCKET_TARGET_BYTES < total) buckets *= 2;

      const byBucket: number[][] = Array.from({ length: buckets }, () => []);
      for (let t = 0; t < names.length; t++)
        if (encoded[t] !== undefined) byBucket[bucketOf(keyOf(names[t]!), buckets)]!.push(t);
      byBucket.forEach((list, b) => {
        list.sort((x, y) => (names[x]! < names[y]! ? -1 : 1));
        const body = list.map((t) => `${JSON.stringify(names[t])}:${JSON.stringify(encoded[t])}`).join(',');
        put(`${SEARCH_DIR}/b${b}.js`, `HOTPAPERS_SEARCH_BUCKET(${b},{${body}});\n`);
        for (const t of list) encoded[t] = undefined as unknown as string;
      });
      for (let c = 0; c * CHUNK_SIZE < docs.length; c++) {
        const chunk = docs.slice(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE).map((d) => d.chunk);
        put(`${SEARCH_DIR}/d${c}.js`, `HOTPAPERS_SEARCH_DOCS(${c},${JSON.stringify(chunk)});\n`);
      }
      const categories = [...catCounts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([c, n]) => [c, categoryName(c) ?? '', n]);
      const meta = {
        version: 2,
        buckets,
        chunk: CHUNK_SIZE,
        docs: docs.length,
        newest,
        windows: SEARCH_WINDOWS.map((w) => [w.key, w.label]),
        categories,
      };
      // JSON is valid JavaScript (U+2028/2029 included since ES2019); the files are never inlined in HTML.
      put(SEARCH_META_PATH, `window.HOTPAPERS_SEARCH_META=${JSON.stringify(meta)};\n`);
      return { files, buckets, docs: docs.length };
    },
  };
}

const EMPTY = new Int32Array(0);
