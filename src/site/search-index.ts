/**
 * The search index, in time segments so that a new day rewrites a bounded part of it.
 *
 * - A segment is a block of calendar days: SMALL_DAYS (32) long while the newest day is in the
 *   same LARGE_DAYS (256) block, else that whole large block (blocks are counted from 1970, so
 *   they do not depend on where the history starts). It holds each paper ranked on one of its
 *   days once, with its latest ranking within the block: a pure function of its days' entries.
 *   Once the newest day is past a block, the block's files never change again: a new day
 *   rewrites the open small segment (at most 32 days of papers) and, on the first day of a new
 *   large block only, merges the eight small segments of the last one into a large segment.
 * - A paper ranked again in a later block is found once, with its latest ranking: the older
 *   segment keeps its entry but lists it in its small head file as masked (superseded). Only
 *   that head is rewritten, and only when a day re-ranks one of the segment's papers.
 * - Inside a segment, papers are numbered by score (best first, then id), so a posting list in
 *   number order is in score order. The head carries the segment's scores (sorted, so a few
 *   bits each): the client orders hits from several segments by relevance, then score.
 * - Tokens go to one of the segment's bucket scripts by a hash of their first three characters
 *   (a prefix query reads one bucket per segment); category codes and arXiv ids are special
 *   tokens hashed whole. Paper details for the results list live in small chunk scripts by
 *   paper number. Time windows (last 7/30/365 days) are counted back from the newest day by the
 *   client: segments wholly inside or outside a window need nothing, the one it cuts reads its
 *   per-paper day file (w.js).
 * - The meta script lists the segments (id, papers, buckets, first and last day), the
 *   categories with their counts and the windows: it is the only file that grows with the
 *   history (a few bytes per segment).
 * Every file is a script calling a global loader, so the index loads from file:// where fetch()
 * is refused. The query side is SEARCH_ENGINE_JS (src/site/search-client.ts); both tokenise
 * with the functions below.
 */
import { categoryName } from '../arxiv/category-names.js';
import type { Paper } from '../types.js';

/** Folder of the index files (site path). */
export const SEARCH_DIR = 'assets/search';
/** Site path of the index's meta script (segments, chunk size, categories, windows). */
export const SEARCH_META_PATH = `${SEARCH_DIR}/meta.js`;
/** Papers per details chunk: the first page of results loads a few of these. */
export const CHUNK_SIZE = 8;
/**
 * Average bucket weight aimed at, in bytes, in a large and in a small segment: sets the number
 * of buckets. A query reads one bucket per word in every segment, so the ~16 large segments of
 * 3,000 days keep theirs small (first-load budget); the few small ones, rewritten while open,
 * have fewer, larger buckets (fewer files written per new day).
 */
const BUCKET_BYTES = { large: 1_250, small: 4_000 };
/** Calendar days of a small segment: the open one, rewritten on each new day, is at most this long. */
export const SMALL_DAYS = 32;
/**
 * Calendar days of a large segment (a multiple of SMALL_DAYS): once the newest day is past such a
 * block, its small segments are merged into one, so a query at 3,000 days reads about 24
 * segments (16 large, up to 8 small) instead of one per small block.
 */
export const LARGE_DAYS = 256;

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
  const out: string[] = [];
  eachToken(text, (t) => out.push(t));
  return out;
}

/** Each of the words `tokens` lists, in order, handed to `take` (no list is made: the index's hot path). */
export function eachToken(text: string, take: (token: string) => void): void {
  const norm = normalise(text);
  // Same words either way: in ASCII text, letters and digits are [a-z0-9] once lower-cased.
  if (ASCII.test(norm)) asciiWords(norm, take);
  else unicodeWords(norm, take);
}

/** The words of normalised text with letters or digits outside ASCII, stopwords out. */
function unicodeWords(norm: string, take: (token: string) => void): void {
  for (const t of norm.split(/[^\p{L}\p{N}]+/u)) if (t !== '' && !STOPWORDS.has(t)) take(t);
}

/** FNV-1a's offset basis and prime (32 bits), for TokenTable. */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `text`'s UTF-16 code units from `start` to `end`, as a signed 32-bit number. */
function fnv(text: string, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/**
 * A segment's tokens, numbered in the order first met, found by their characters where they
 * stand in the text being scanned: a word met before (most of an abstract's) is found without
 * a string made for it or hashed by V8 (its hash is made as the scan reads it). Stopwords are
 * held too, marked, so that they are skipped as cheaply. Making a 300-day site's segments took
 * ~22% less CPU so (~40–55 ms of a full build; docs/measurements.md, 6 December 2026).
 */
export class TokenTable {
  /** Each token's text, by its number. */
  readonly names: string[] = [];
  /** Per entry (a token or a stopword): its text, hash and token number (-1: a stopword). */
  #texts: string[] = [];
  #hashes = new Int32Array(1024);
  #numbers = new Int32Array(1024);
  /** Open addressing: an entry's index plus one, 0 for none. */
  #slots = new Int32Array(4096);

  constructor() {
    for (const w of STOPWORDS) this.#add(w, fnv(w, 0, w.length), -1);
  }

  /** The number of the token `text.slice(start, end)` (hash `h`, see fnv); -1 for a stopword. */
  numberAt(text: string, start: number, end: number, h: number): number {
    const found = this.#find(text, start, end, h);
    if (found >= 0) return this.#numbers[found]!;
    const n = this.names.length;
    const token = text.slice(start, end);
    this.names.push(token);
    this.#add(token, h, n);
    return n;
  }

  /** The number of `token` (added when new); -1 for a stopword. */
  number(token: string): number {
    return this.numberAt(token, 0, token.length, fnv(token, 0, token.length));
  }

  #find(text: string, start: number, end: number, h: number): number {
    const mask = this.#slots.length - 1;
    const length = end - start;
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const e = this.#slots[i]! - 1;
      if (e < 0) return -1;
      if (this.#hashes[e] !== h) continue;
      const t = this.#texts[e]!;
      if (t.length === length && text.startsWith(t, start)) return e;
    }
  }

  #add(text: string, h: number, n: number): void {
    const e = this.#texts.length;
    if (e >= this.#hashes.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.#hashes = grow(this.#hashes);
      this.#numbers = grow(this.#numbers);
    }
    this.#texts.push(text);
    this.#hashes[e] = h;
    this.#numbers[e] = n;
    // At most half full: grown (and every entry placed again) before it would be more.
    if (2 * (e + 1) > this.#slots.length) {
      this.#slots = new Int32Array(this.#slots.length * 2);
      for (let k = 0; k < e; k++) this.#place(k);
    }
    this.#place(e);
  }

  #place(e: number): void {
    const mask = this.#slots.length - 1;
    const h = this.#hashes[e]!;
    let i = (h ^ (h >>> 15)) & mask;
    while (this.#slots[i] !== 0) i = (i + 1) & mask;
    this.#slots[i] = e + 1;
  }
}

/**
 * Each word of `text` as eachToken gives it (stopwords out), as its number in `table` (added
 * when new): the index's hot path, which makes no string for a word the table holds.
 */
export function eachTokenNumber(text: string, table: TokenTable, take: (n: number) => void): void {
  const norm = normalise(text);
  if (!ASCII.test(norm)) {
    unicodeWords(norm, (t) => take(table.number(t)));
    return;
  }
  asciiRuns(norm, (start, end, h) => {
    const n = table.numberAt(norm, start, end, h);
    if (n >= 0) take(n);
  });
}

/**
 * The runs of [a-z0-9] in lower-case ASCII text, stopwords out: the words a split at
 * /[^a-z0-9]+/ gives, read in one pass without the split's array.
 */
function asciiWords(text: string, take: (token: string) => void): void {
  asciiRuns(text, (start, end) => {
    const word = text.slice(start, end);
    if (!STOPWORDS.has(word)) take(word);
  });
}

/** Each run of [a-z0-9] in lower-case ASCII text: where it starts and ends, and its hash (fnv). */
function asciiRuns(text: string, run: (start: number, end: number, h: number) => void): void {
  let start = -1;
  let h = FNV_OFFSET;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    } else if (start >= 0) {
      run(start, i, h);
      start = -1;
    }
  }
}

/** The bucket of a key: FNV-1a over its UTF-16 code units (the client computes the same). */
export function bucketOf(key: string, buckets: number): number {
  return (fnv(key, 0, key.length) >>> 0) % buckets;
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
  /** Buckets of all segments. */
  buckets: number;
  /** Papers found (masked entries not counted). */
  docs: number;
  segments: SegmentSummary[];
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

/** A number as digits of BITMAP_DIGITS: five bits each, high first, 32 added to all but the last. */
function varint(v: number): string {
  let out = BITMAP_DIGITS[v & 31]!;
  for (v = Math.floor(v / 32); v > 0; v = Math.floor(v / 32)) out = BITMAP_DIGITS[(v & 31) | 32]! + out;
  return out;
}

function deltas(list: ArrayLike<number>, strongOnly = false): string {
  let prev = 0;
  let out = '';
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (strongOnly && (v & 3) === 0) continue;
    const n = v >> 2;
    out += varint((n - prev) * 4 + (v & 3));
    prev = n;
  }
  return out;
}

/**
 * A posting list (doc × 4 + field, ascending) as text: the deltas of the doc number with the
 * field in the low two bits, as varints (no separators: most take one digit); or, when shorter
 * (words in most abstracts), `!` + a bitmap of the docs (six per digit, as abstract hits) + `|`
 * + the deltas of the docs with a stronger field.
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

/** A posting list as encodePostings wrote it, read back: doc × 4 + field, ascending. */
export function decodePostings(text: string): number[] {
  if (!text.startsWith('!')) return readDeltas(text, 0, text.length);
  const bar = text.indexOf('|');
  const strong = new Map<number, number>();
  for (const v of readDeltas(text, bar + 1, text.length)) strong.set(v >> 2, v & 3);
  const out: number[] = [];
  for (let i = 1; i < bar; i++) {
    const bits = BITMAP_DIGITS.indexOf(text[i]!);
    for (let j = 0; j < 6; j++) {
      const n = (i - 1) * 6 + j;
      if (bits & (1 << j)) out.push(n * 4 + (strong.get(n) ?? 0));
    }
  }
  return out;
}

/** The varints of `text` from `from` to `to`, read back as `deltas` wrote them. */
function readDeltas(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  let prev = 0;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = BITMAP_DIGITS.indexOf(text[i]!);
    v = v * 32 + (d & 31);
    if (d & 32) continue;
    const n = prev + Math.floor(v / 4);
    out.push(n * 4 + (v & 3));
    prev = n;
    v = 0;
  }
  return out;
}

/** Days since 1970-01-01 of a YYYY-MM-DD day. */
function epochDay(day: string): number {
  // Read from the digits (YYYY-MM-DD): a build works out the segment of every day of the history.
  return (
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000
  );
}

/**
 * The segment a day belongs to when `newest` is the newest day of the site: its large block
 * (`L` + number) once the newest day is past that block, else its small block (`S` + number).
 */
export function segmentOf(day: string, newest: string): string {
  return segmenter(newest)(day);
}

/**
 * segmentOf for the days of one site, its newest day's block worked out once. A build asks for
 * the segment of every day of the history, in order: the last month's first day and the last
 * segment's name are kept, so most days cost a prefix test, no Date.UTC and no new name. The
 * answers are epochDay's: Date.UTC adds a day's number past its month's first day the same way
 * (a four-character year keeps every such sum inside Date.UTC's range).
 */
export function segmenter(newest: string): (day: string) => string {
  const newestLarge = Math.floor(epochDay(newest) / LARGE_DAYS);
  let month = '';
  let monthStart = Number.NaN;
  let large = true;
  let block = Number.NaN;
  let name = '';
  return (day) => {
    if (day.length >= 7 && (month === '' || !day.startsWith(month))) {
      month = day.slice(0, 7);
      monthStart = epochDay(`${month}-01`);
    }
    const e = day.length >= 7 ? monthStart + Math.trunc(Number(day.slice(8, 10))) - 1 : epochDay(day);
    const l = Math.floor(e / LARGE_DAYS);
    const isLarge = l < newestLarge;
    const n = isLarge ? l : Math.floor(e / SMALL_DAYS);
    if (n !== block || isLarge !== large) {
      block = n;
      large = isLarge;
      name = isLarge ? `L${n}` : `S${n}`;
    }
    return name;
  };
}

/** Folder of a segment's files (site path). */
export function segmentDir(id: string): string {
  return `${SEARCH_DIR}/${id}`;
}

/** Site path of a segment's head (its scores and masked papers). */
export function headPath(id: string): string {
  return `${segmentDir(id)}/h.js`;
}

/** What the meta and the next build need to know of a built segment. */
export interface SegmentSummary {
  id: string;
  /** Papers numbered in the segment (masked ones included). */
  docs: number;
  /** Of them, masked (ranked again in a later segment). */
  masked: number;
  buckets: number;
  /** Its first and last day with papers. */
  first: string;
  last: string;
  /** Papers by category, masked ones left out. */
  cats: Record<string, number>;
}

/**
 * Sorted (descending) non-negative integers (below 2^31) as text: each value's drop from the one
 * before, Rice-coded with parameter `k` (the quotient in unary, then the k low bits; a quotient
 * of 31 or more is written as 31 ones and the drop in 31 bits), six bits per digit of
 * BITMAP_DIGITS, most significant first. Scores cluster, so a paper costs two or three bits.
 */
export function encodeDescending(values: ArrayLike<number>): { k: number; s: string } {
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += values[i - 1]! - values[i]!;
  const mean = values.length > 1 ? sum / (values.length - 1) : 0;
  const k = mean >= 2 ? Math.min(30, Math.floor(Math.log2(mean))) : 0;
  let out = '';
  let acc = 0;
  let bits = 0;
  const put = (bit: number) => {
    acc = acc * 2 + bit;
    if (++bits === 6) {
      out += BITMAP_DIGITS[acc];
      acc = 0;
      bits = 0;
    }
  };
  const putBits = (v: number, n: number) => {
    for (let b = n - 1; b >= 0; b--) put(Math.floor(v / 2 ** b) % 2);
  };
  for (let i = 1; i < values.length; i++) {
    const v = values[i - 1]! - values[i]!;
    const q = Math.floor(v / 2 ** k);
    if (q >= 31) {
      putBits(0x7fffffff, 31);
      putBits(v, 31);
      continue;
    }
    for (let j = 0; j < q; j++) put(1);
    put(0);
    putBits(v % 2 ** k, k);
  }
  if (bits > 0) out += BITMAP_DIGITS[acc * 2 ** (6 - bits)];
  return { k, s: out };
}

/**
 * Which papers each segment must mask: those ranked on one of its days whose latest ranking is
 * in a later segment. `rankings` gives each paper's ranking days, newest first.
 */
export function maskedBySegment(
  rankings: Iterable<[string, readonly string[]]>,
  newest: string,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const segmentOfDay = segmenter(newest);
  for (const [id, days] of rankings) {
    if (days.length < 2) continue;
    let seen = segmentOfDay(days[0]!);
    for (const d of days) {
      const s = segmentOfDay(d);
      if (s === seen) continue;
      seen = s;
      const list = out.get(s);
      if (list) list.push(id);
      else out.set(s, [id]);
    }
  }
  return out;
}

/**
 * The bucket count of segment `id` whose tokens and posting lists take `bytes`. A large segment
 * is made once: as many buckets as its size asks. A small one grows while open: a power of two,
 * so its count (and every bucket file) changes rarely.
 */
export function bucketCount(id: string, bytes: number): number {
  if (id.startsWith('L')) return Math.max(1, Math.ceil(bytes / BUCKET_BYTES.large));
  let buckets = 1;
  while (buckets * BUCKET_BYTES.small < bytes) buckets *= 2;
  return buckets;
}

/** What a token and its encoded posting list add to a segment's `bytes`. */
export function postingBytes(token: string, encoded: string): number {
  return encoded.length + token.length + 6;
}

/**
 * Each token of an entry with the field it counts for (FIELD), in the order the index meets
 * them; a token may come more than once (its best field is the one that counts).
 */
export function eachEntryToken(e: SearchEntry, take: (token: string, field: number) => void): void {
  eachEntryText(e, (text, field) => eachToken(text, (token) => take(token, field)), take);
}

/**
 * What eachEntryToken reads of an entry, in its order: each text whose words count for a field
 * (`words`), and each special token (`#category`, `@id`) as it is (`special`).
 */
function eachEntryText(
  e: SearchEntry,
  words: (text: string, field: number) => void,
  special: (token: string, field: number) => void,
): void {
  words(e.paper.abstract, FIELD.abstract);
  if (e.summary) words(e.summary, FIELD.summary);
  for (const k of e.keywords ?? []) words(k, FIELD.summary);
  for (const a of e.paper.authors) words(a, FIELD.author);
  words(e.paper.title, FIELD.title);
  for (const c of new Set(e.paper.categories)) special(`#${normalise(c)}`, FIELD.title);
  special(`@${normalise(e.paper.id)}`, FIELD.title);
}

/** Each token of an entry with its best field. */
export function entryTokens(e: SearchEntry): Map<string, number> {
  const out = new Map<string, number>();
  eachEntryToken(e, (token, field) => {
    if ((out.get(token) ?? -1) < field) out.set(token, field);
  });
  return out;
}

/** Site path of bucket `b` of segment `id`. */
export function bucketPath(id: string, b: number): string {
  return `${segmentDir(id)}/b${b}.js`;
}

/** Bucket `b` of segment `id`: its tokens (sorted) with their encoded posting lists. */
export function bucketFile(
  id: string,
  b: number,
  postings: ReadonlyArray<readonly [string, string]>,
): string {
  const body = postings
    .map(([token, encoded]) => `${JSON.stringify(token)}:${JSON.stringify(encoded)}`)
    .join(',');
  return `HOTPAPERS_SEARCH_BUCKET("${id}",${b},{${body}});\n`;
}

/** Site path of doc chunk `c` of segment `id`. */
export function chunkPath(id: string, c: number): string {
  return `${segmentDir(id)}/d${c}.js`;
}

/** Doc chunk `c` of segment `id`: the details of its papers c × CHUNK_SIZE onwards. */
export function chunkFile(id: string, c: number, chunk: readonly ChunkDoc[]): string {
  return `HOTPAPERS_SEARCH_DOCS("${id}",${c},${JSON.stringify(chunk)});\n`;
}

/** An entry's details as a chunk of the segment shows them. */
export function chunkOf(e: SearchEntry): ChunkDoc {
  return [
    e.paper.id,
    e.paper.title,
    authorsShort(e.paper.authors),
    e.day,
    e.score,
    e.rank,
    e.paper.categories.join(' '),
  ];
}

/**
 * One segment built a paper at a time, in flat memory: each paper is tokenised as it is added
 * and only its token numbers and its details line are kept (not its abstract); the posting
 * lists are then laid out in one typed array, and each file is handed to `emit` as it is made.
 * A paper added again keeps the entry of its newest day, whatever order the days come in.
 */
export function segmentBuilder(id: string): {
  add(e: SearchEntry): void;
  finish(masked: ReadonlySet<string>, emit: (path: string, data: string) => void): SegmentSummary;
  /** Every file but the head, which waits for the masked papers (finishHead). */
  finishBody(emit: (path: string, data: string) => void): SegmentBody;
} {
  const table = new TokenTable();
  const names = table.names;
  const docs: Array<{ chunk: ChunkDoc; tokens: Int32Array }> = [];
  /** Paper id → its place in `docs`. */
  const place = new Map<string, number>();
  // The paper being added: each token number's best field plus one (0: not met yet) and the
  // numbers in the order first met. Reused from paper to paper (a map per paper was most of the
  // index's garbage).
  let best = new Uint8Array(4096);
  const marked: number[] = [];
  const mark = (n: number, field: number) => {
    if (n >= best.length) {
      const grown = new Uint8Array(best.length * 2);
      grown.set(best);
      best = grown;
    }
    const had = best[n]!;
    if (had === 0) marked.push(n);
    if (had <= field) best[n] = field + 1;
  };
  const dir = segmentDir(id);
  return {
    add(e) {
      const at = place.get(e.paper.id);
      // Each paper once, with its latest ranking in the segment, whatever order its days come in.
      if (at !== undefined && docs[at]!.chunk[3] >= e.day) return;
      eachEntryText(
        e,
        (text, field) => eachTokenNumber(text, table, (n) => mark(n, field)),
        (token, field) => mark(table.number(token), field),
      );
      // Each token once, at its best field, in the order first met.
      const packed = new Int32Array(marked.length);
      for (let i = 0; i < marked.length; i++) {
        const n = marked[i]!;
        packed[i] = n * 4 + best[n]! - 1;
        best[n] = 0;
      }
      marked.length = 0;
      const doc = { chunk: chunkOf(e), tokens: packed };
      // A replaced entry's tokens keep their numbers: a token no paper has any more is not written.
      if (at === undefined) {
        place.set(e.paper.id, docs.length);
        docs.push(doc);
      } else docs[at] = doc;
    },
    finish(masked, emit) {
      return finishHead(finishBody(emit), masked, emit);
    },
    finishBody,
  };

  function finishBody(emit: (path: string, data: string) => void): SegmentBody {
    // Papers numbered by score, best first (then by id): a posting list in number order is in score order.
    docs.sort(
      (a, b) => b.chunk[4] - a.chunk[4] || (a.chunk[0] < b.chunk[0] ? -1 : a.chunk[0] > b.chunk[0] ? 1 : 0),
    );
    place.clear();
    let first = '';
    let last = '';
    for (const d of docs) {
      if (first === '' || d.chunk[3] < first) first = d.chunk[3];
      if (d.chunk[3] > last) last = d.chunk[3];
    }

    // Count each token's papers, then lay every list out in one typed array, in paper order.
    const counts = new Int32Array(names.length + 1);
    for (const d of docs) for (const v of d.tokens) counts[(v >> 2) + 1]!++;
    for (let t = 1; t <= names.length; t++) counts[t]! += counts[t - 1]!;
    const postings = new Int32Array(counts[names.length]!);
    const next = counts.slice(0, names.length);
    docs.forEach((d, n) => {
      for (const v of d.tokens) postings[next[v >> 2]!++] = n * 4 + (v & 3);
      d.tokens = EMPTY;
    });

    const encoded: string[] = new Array(names.length);
    let total = 0;
    for (let t = 0; t < names.length; t++) {
      if (counts[t + 1] === counts[t]) continue;
      encoded[t] = encodePostings(postings.subarray(counts[t]!, counts[t + 1]!), docs.length);
      total += postingBytes(names[t]!, encoded[t]!);
    }
    const buckets = bucketCount(id, total);

    const byBucket: number[][] = Array.from({ length: buckets }, () => []);
    for (let t = 0; t < names.length; t++)
      if (encoded[t] !== undefined) byBucket[bucketOf(keyOf(names[t]!), buckets)]!.push(t);
    byBucket.forEach((list, b) => {
      list.sort((x, y) => (names[x]! < names[y]! ? -1 : 1));
      emit(
        bucketPath(id, b),
        bucketFile(
          id,
          b,
          list.map((t) => [names[t]!, encoded[t]!]),
        ),
      );
      for (const t of list) encoded[t] = undefined as unknown as string;
    });
    for (let c = 0; c * CHUNK_SIZE < docs.length; c++) {
      const chunk = docs.slice(c * CHUNK_SIZE, (c + 1) * CHUNK_SIZE).map((d) => d.chunk);
      emit(chunkPath(id, c), chunkFile(id, c, chunk));
    }

    // Each paper's day, as days after the segment's first day: one digit in a small segment,
    // two in a large one (the client tells them apart by the length).
    const wide = daysBetween(last, first) >= 64;
    let days = '';
    for (const d of docs) {
      const o = daysBetween(d.chunk[3], first);
      days += wide ? BITMAP_DIGITS[o >> 6]! + BITMAP_DIGITS[o & 63]! : BITMAP_DIGITS[o];
    }
    emit(`${dir}/w.js`, `HOTPAPERS_SEARCH_DAYS("${id}",${JSON.stringify(days)});\n`);

    const integral = docs.every((d) => Number.isInteger(d.chunk[4]) && d.chunk[4] >= 0);
    const factor = integral ? 1 : 100;
    const scores = docs.map((d) => Math.min(0x7fffffff, Math.max(0, Math.round(d.chunk[4] * factor))));
    return {
      id,
      buckets,
      first,
      last,
      papers: docs.map((d) => d.chunk[0]),
      categories: docs.map((d) => d.chunk[6]),
      scores: { f: factor, t: scores[0] ?? 0, ...encodeDescending(scores) },
      bytes: total,
    };
  }
}

/**
 * What a segment's head needs once its other files are made: its papers in number order, their
 * categories and its coded scores. The masked papers are known only once every later day is
 * read, so a full build makes the rest of a segment before it knows them.
 */
export interface SegmentBody {
  id: string;
  buckets: number;
  first: string;
  last: string;
  papers: string[];
  /** Each paper's categories, space-separated. */
  categories: string[];
  scores: { f: number; t: number; k: number; s: string };
  /** What the bucket count is worked out from (bucketCount): the posting lists' and tokens' size. */
  bytes: number;
}

/** A segment's head (its scores and masked papers), once its masked papers are known. */
export function finishHead(
  body: SegmentBody,
  masked: ReadonlySet<string>,
  emit: (path: string, data: string) => void,
): SegmentSummary {
  const maskedDocs: number[] = [];
  const cats: Record<string, number> = {};
  body.papers.forEach((paper, n) => {
    if (masked.has(paper)) maskedDocs.push(n);
    else for (const c of new Set(body.categories[n]!.split(' '))) if (c) cats[c] = (cats[c] ?? 0) + 1;
  });
  // The head: scores (for ordering hits across segments) and the masked papers.
  const head = { ...body.scores, m: maskedDocs };
  emit(headPath(body.id), `HOTPAPERS_SEARCH_HEAD("${body.id}",${JSON.stringify(head)});\n`);
  const { id, buckets, first, last } = body;
  return { id, docs: body.papers.length, masked: maskedDocs.length, buckets, first, last, cats };
}

/** The meta script of an index made of these segments. */
export function searchMeta(segments: readonly SegmentSummary[]): string {
  const sorted = [...segments].sort((a, b) => (a.first < b.first ? -1 : 1));
  const catCounts = new Map<string, number>();
  for (const s of sorted)
    for (const [c, n] of Object.entries(s.cats)) catCounts.set(c, (catCounts.get(c) ?? 0) + n);
  const categories = [...catCounts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([c, n]) => [c, categoryName(c) ?? '', n]);
  const meta = {
    version: 3,
    chunk: CHUNK_SIZE,
    docs: sorted.reduce((a, s) => a + s.docs - s.masked, 0),
    newest: sorted.length > 0 ? sorted[sorted.length - 1]!.last : '',
    windows: SEARCH_WINDOWS.map((w) => [w.key, w.label, w.days]),
    categories,
    // [id, papers, buckets, first day, last day], oldest first.
    segments: sorted.map((s) => [s.id, s.docs, s.buckets, s.first, s.last]),
  };
  // JSON is valid JavaScript (U+2028/2029 included since ES2019); the files are never inlined in HTML.
  return `window.HOTPAPERS_SEARCH_META=${JSON.stringify(meta)};\n`;
}

/**
 * Build every file of the index from entries, in memory (tests, the bench). A paper given more
 * than once is masked in the older segments, as the site's build does.
 */
export function buildSearchIndex(entries: readonly SearchEntry[]): SearchIndex {
  const bySegment = new Map<string, Map<string, SearchEntry>>();
  const rankings = new Map<string, string[]>();
  let newest = '';
  for (const e of entries) if (e.day > newest) newest = e.day;
  const segmentOfDay = segmenter(newest);
  for (const e of entries) {
    const s = segmentOfDay(e.day);
    const m = bySegment.get(s) ?? new Map<string, SearchEntry>();
    bySegment.set(s, m);
    const had = m.get(e.paper.id);
    if (!had || had.day < e.day) m.set(e.paper.id, e);
    const r = rankings.get(e.paper.id);
    if (r) r.push(e.day);
    else rankings.set(e.paper.id, [e.day]);
  }
  for (const r of rankings.values()) r.sort().reverse();
  const masks = maskedBySegment(rankings, newest);
  const files = new Map<string, string>();
  const segments: SegmentSummary[] = [];
  for (const [id, m] of bySegment) {
    const builder = segmentBuilder(id);
    for (const e of m.values()) builder.add(e);
    segments.push(builder.finish(new Set(masks.get(id)), (path, data) => void files.set(path, data)));
  }
  files.set(SEARCH_META_PATH, searchMeta(segments));
  return {
    files,
    buckets: segments.reduce((a, s) => a + s.buckets, 0),
    docs: segments.reduce((a, s) => a + s.docs - s.masked, 0),
    segments,
  };
}

const EMPTY = new Int32Array(0);
