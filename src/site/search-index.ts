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

function deltas(list: readonly number[]): string {
  let prev = 0;
  return list
    .map((v) => {
      const n = v >> 2;
      const out = ((n - prev) * 4 + (v & 3)).toString(36);
      prev = n;
      return out;
    })
    .join(',');
}

/**
 * A posting list (doc × 4 + field, ascending) as text: base-36 deltas of the doc number with
 * the field in the low two bits; or, when shorter (words in most abstracts), `!` + a bitmap of
 * the docs (six per digit, as abstract hits) + `|` + the deltas of the docs with a stronger field.
 */
export function encodePostings(list: readonly number[], docs: number): string {
  const plain = deltas(list);
  const digits = Math.ceil(docs / 6);
  if (plain.length <= digits) return plain;
  const bits = new Uint8Array(digits);
  for (const v of list) {
    const n = v >> 2;
    bits[(n / 6) | 0]! |= 1 << (n % 6);
  }
  let map = '';
  for (const b of bits) map += BITMAP_DIGITS[b];
  return `!${map.replace(/A+$/, '')}|${deltas(list.filter((v) => (v & 3) !== 0))}`;
}

/** Build every file of the index from the papers (each once). */
export function buildSearchIndex(entries: readonly SearchEntry[]): SearchIndex {
  const docs = [...entries].sort(
    (a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0),
  );
  let newest = '';
  for (const e of docs) if (e.day > newest) newest = e.day;

  // token → postings (doc number × 4 + best field), doc numbers ascending. Tokens get numbers,
  // so each occurrence costs one Map lookup (this runs for every word of every abstract).
  const tokenIds = new Map<string, number>();
  const lists: number[][] = [];
  const lastDoc: number[] = [];
  const catCounts = new Map<string, number>();
  let n = 0;
  const add = (token: string, field: number) => {
    let id = tokenIds.get(token);
    if (id === undefined) {
      id = lists.length;
      tokenIds.set(token, id);
      lists.push([]);
      lastDoc.push(-1);
    }
    const list = lists[id]!;
    if (lastDoc[id] !== n) {
      lastDoc[id] = n;
      list.push(n * 4 + field);
    } else if ((list[list.length - 1]! & 3) < field) list[list.length - 1] = n * 4 + field;
  };
  for (; n < docs.length; n++) {
    const e = docs[n]!;
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
    const age = newest ? daysBetween(newest, e.day) : 0;
    for (const w of SEARCH_WINDOWS) if (age < w.days) add(`~${w.key}`, FIELD.abstract);
  }

  const encoded = new Map<string, string>();
  let total = 0;
  for (const [t, id] of tokenIds) {
    const s = encodePostings(lists[id]!, docs.length);
    encoded.set(t, s);
    total += s.length + t.length + 6;
  }
  // A power of two, so growing the site changes the count rarely.
  let buckets = 1;
  while (buckets * BUCKET_TARGET_BYTES < total) buckets *= 2;

  const byBucket: Array<Array<[string, string]>> = Array.from({ length: buckets }, () => []);
  for (const [t, s] of encoded) byBucket[bucketOf(keyOf(t), buckets)]!.push([t, s]);
  const files = new Map<string, string>();
  byBucket.forEach((list, b) => {
    list.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    files.set(
      `${SEARCH_DIR}/b${b}.js`,
      `HOTPAPERS_SEARCH_BUCKET(${b},${JSON.stringify(Object.fromEntries(list))});\n`,
    );
  });
  for (let c = 0; c * CHUNK_SIZE < docs.length; c++) {
    const chunk: ChunkDoc[] = docs
      .slice(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE)
      .map((e) => [
        e.paper.id,
        e.paper.title,
        authorsShort(e.paper.authors),
        e.day,
        e.score,
        e.rank,
        e.paper.categories.join(' '),
      ]);
    files.set(`${SEARCH_DIR}/d${c}.js`, `HOTPAPERS_SEARCH_DOCS(${c},${JSON.stringify(chunk)});\n`);
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
  files.set(SEARCH_META_PATH, `window.HOTPAPERS_SEARCH_META=${JSON.stringify(meta)};\n`);
  return { files, buckets, docs: docs.length };
}
