/**
 * DESIGN §9: search at 3,000 days — the first query loads < 200 KB and answers < 100 ms. A
 * synthetic archive of 3,000 mailing days (5–40 ranked papers a day, ~66,000 papers) with
 * abstracts of ~150 words drawn from a Zipf-distributed vocabulary of 40,000 words (so common
 * words are common and rare ones rare, as in real abstracts) is indexed by the site's builder;
 * each query then runs in a fresh engine (the shipped script, in Node's vm, on the same V8 as
 * Chromium), counting every byte the page would load for it: the search script, the meta
 * script, the buckets of its words and the detail chunks of its first page of results.
 * Then what one new day makes the site rewrite of the index (files and bytes whose content
 * changed) at several history sizes, and what building the index a segment at a time holds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  buildSearchIndex,
  type SearchEntry,
  type SegmentSummary,
  segmentBuilder,
  segmentOf,
} from '../src/site/search-index.js';
import { searchEngineOver } from '../src/site/search-vm.js';
import { seededRandom } from '../src/standins/random.js';
import type { Paper } from '../src/types.js';
import { reportGoal } from './goals.js';
import { drawWeighted, mailingDaysBack, SYNTHETIC_CATEGORIES } from './synthetic.js';

const DAYS = Number(process.env.SEARCH_BENCH_DAYS ?? 3000);
/** History sizes at which one new day's rewrite of the index is measured. */
const NEW_DAY_SIZES = (process.env.SEARCH_BENCH_NEW_DAY ?? '120,300,1000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const VOCAB = 40_000;
const CATS = SYNTHETIC_CATEGORIES;
const CAT_WEIGHTS = [30, 20, 20, 12, 6, 4, 3, 2, 1, 1, 0.5, 0.5];
/** Each category with its weight. */
const CATEGORIES = CATS.map((c, i) => [c, CAT_WEIGHTS[i]!] as const);
/** English letter frequencies (per mille), so word beginnings spread as in real text. */
const LETTERS = 'etaoinshrdlcumwfgypbvkjxqz';
const LETTER_FREQ = [
  127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24, 22, 20, 20, 19, 15, 10, 8, 2, 2, 1, 1,
];
/** Real words placed at Zipf ranks, so the queries below hit lists of realistic lengths. */
const PLANTED: Array<[string, number]> = [
  ['model', 3],
  ['learning', 5],
  ['diffusion', 60],
  ['vision', 40],
  ['exploration', 400],
  ['selectivity', 3000],
  ['vit', 900],
  ['lora', 1500],
];

/** The synthetic papers of 3,000 days, each once, with its day, rank and score. */
export function syntheticSearchEntries(days = DAYS): SearchEntry[] {
  const rnd = seededRandom(11);
  const vocab: string[] = [];
  const seen = new Set<string>();
  const freqTotal = LETTER_FREQ.reduce((a, b) => a + b, 0);
  const letter = () => {
    let x = rnd() * freqTotal;
    for (let i = 0; i < LETTERS.length; i++) {
      x -= LETTER_FREQ[i]!;
      if (x <= 0) return LETTERS[i]!;
    }
    return 'e';
  };
  const word = () => {
    let w = '';
    const n = 3 + Math.floor(rnd() * 5) + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) w += letter();
    return w;
  };
  while (vocab.length < VOCAB) {
    const w = word();
    if (!seen.has(w)) {
      seen.add(w);
      vocab.push(w);
    }
  }
  for (const [w, r] of PLANTED) vocab[r] = w;
  // Zipf (s = 1) by inverse transform over the cumulative harmonic weights.
  const cum = new Float64Array(VOCAB);
  let total = 0;
  for (let i = 0; i < VOCAB; i++) {
    total += 1 / (i + 1);
    cum[i] = total;
  }
  const zipf = () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = VOCAB - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const words = (n: number) => Array.from({ length: n }, zipf).join(' ');
  const cat = () => drawWeighted(CATEGORIES, rnd);
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const names = Array.from({ length: 20_000 }, () => `${cap(word())} ${cap(word())}`);
  const out: SearchEntry[] = [];
  mailingDaysBack('2026-11-27', days).forEach((day, d) => {
    const n = 5 + Math.floor(rnd() * 36);
    const scores = Array.from({ length: n }, () => Math.floor(50 + 3000 * rnd() ** 3)).sort((a, b) => b - a);
    for (let i = 0; i < n; i++) {
      const id = `${day.slice(2, 4)}${day.slice(5, 7)}.${String((d % 20) * 1000 + i).padStart(5, '0')}`;
      const cats = [cat(), cat(), cat()]
        .slice(0, 1 + Math.floor(rnd() * 3))
        .filter((c, k, a) => a.indexOf(c) === k);
      const paper: Paper = {
        id,
        version: 1,
        title: words(6 + Math.floor(rnd() * 7)),
        abstract: words(120 + Math.floor(rnd() * 80)),
        authors: Array.from(
          { length: 2 + Math.floor(rnd() * 8) },
          () => names[Math.floor(rnd() * names.length)]!,
        ),
        categories: cats,
        primaryCategory: cats[0]!,
        announceType: 'new',
        method: 'rss',
      };
      out.push({ paper, day, rank: i + 1, score: scores[i]! });
    }
  });
  return out;
}

/**
 * The index files one new day changes after `days` days of history: the index of the first
 * `days` days against the index with the next day added (its papers, and two papers of older
 * days ranked again: one from the last weeks, one from a year back), compared file by file as
 * the site's build does (a file whose bytes are unchanged is kept, not written).
 */
export function newDayRewrite(days: number): {
  files: number;
  bytes: number;
  total: number;
  totalBytes: number;
} {
  const all = syntheticSearchEntries(days + 1);
  const newest = all[0]!.day;
  const history = all.filter((e) => e.day !== newest);
  const oldDays = [...new Set(history.map((e) => e.day))];
  const again = [oldDays[10], oldDays[Math.min(250, oldDays.length - 1)]].map((d) => {
    const e = history.find((h) => h.day === d)!;
    return { ...e, day: newest, rank: 99, score: 51 };
  });
  const before = buildSearchIndex(history).files;
  const after = buildSearchIndex([...all, ...again]).files;
  let files = 0;
  let bytes = 0;
  let totalBytes = 0;
  for (const [path, data] of after) {
    totalBytes += Buffer.byteLength(data);
    if (before.get(path) === data) continue;
    files++;
    bytes += Buffer.byteLength(data);
  }
  return { files, bytes, total: after.size, totalBytes };
}

/** A full garbage collection, when V8 lets us ask for one (the bench runs without --expose-gc). */
function collect(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * The index of `entries` built as the site's full build does, a segment at a time (each file
 * handed over and dropped): the papers of the largest segment and the most heap a segment's
 * builder holds (measured after a full collection, once its papers are added).
 */
function segmentAtATime(entries: readonly SearchEntry[]): {
  segments: number;
  largest: number;
  heapMb: number;
} {
  let newest = '';
  for (const e of entries) if (e.day > newest) newest = e.day;
  const bySegment = new Map<string, SearchEntry[]>();
  for (const e of entries) {
    const id = segmentOf(e.day, newest);
    const list = bySegment.get(id);
    if (list) list.push(e);
    else bySegment.set(id, [e]);
  }
  collect();
  const base = process.memoryUsage().heapUsed;
  let peak = 0;
  let largest = 0;
  const summaries: SegmentSummary[] = [];
  for (const [id, list] of bySegment) {
    const builder = segmentBuilder(id);
    for (const e of list) builder.add(e);
    collect();
    peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    summaries.push(builder.finish(new Set(), () => {}));
    largest = Math.max(largest, list.length);
  }
  return { segments: summaries.length, largest, heapMb: peak / 1e6 };
}

/** Print the index's size, its first-load bytes and query times at 3,000 days, and what a new day rewrites. */
export async function benchSearch(): Promise<void> {
  for (const n of NEW_DAY_SIZES) {
    const r = newDayRewrite(n);
    console.log(
      `search index, one new day after ${n} days: ${r.files} files, ${(r.bytes / 1e3).toFixed(0)} KB rewritten of ${r.total.toLocaleString('en-US')} files, ${(r.totalBytes / 1e6).toFixed(1)} MB (bounded by the open small segment, ≤ 32 calendar days, plus the meta and the heads of segments whose papers are ranked again)`,
    );
  }
  const t0 = performance.now();
  const entries = syntheticSearchEntries(DAYS);
  const t1 = performance.now();
  const built = segmentAtATime(entries);
  console.log(
    `search index built a segment at a time: ${built.segments} segments, the largest ${built.largest.toLocaleString('en-US')} of ${entries.length.toLocaleString('en-US')} papers; a segment's builder holds at most ${built.heapMb.toFixed(1)} MB of heap (after a full collection), whatever the number of days`,
  );
  const t2a = performance.now();
  const index = buildSearchIndex(entries);
  const t2 = performance.now();
  let bytes = 0;
  let largest = 0;
  for (const [path, data] of index.files) {
    bytes += Buffer.byteLength(data);
    if (path.includes('/b')) largest = Math.max(largest, Buffer.byteLength(data));
  }
  console.log(
    `search index: ${DAYS} days, ${index.docs.toLocaleString('en-US')} papers, ${index.segments.length} segments, ${index.files.size} files, ${(bytes / 1e6).toFixed(1)} MB in all (${index.buckets} buckets, largest ${(largest / 1e3).toFixed(0)} KB); synthetic data ${((t1 - t0) / 1e3).toFixed(1)} s, index built in ${((t2 - t2a) / 1e3).toFixed(1)} s`,
  );
  // Once per 256 calendar days, the first day of a new large block also writes the last block's
  // merged large segment: the biggest of them is the worst single day.
  const perSegment = new Map<string, { files: number; bytes: number }>();
  for (const [path, data] of index.files) {
    const m = /^assets\/search\/(L\d+)\//.exec(path);
    if (!m) continue;
    const t = perSegment.get(m[1]!) ?? { files: 0, bytes: 0 };
    t.files++;
    t.bytes += Buffer.byteLength(data);
    perSegment.set(m[1]!, t);
  }
  const merge = [...perSegment.values()].sort((a, b) => b.bytes - a.bytes)[0];
  if (merge)
    console.log(
      `  the first day of a new 256-day block also writes the merged large segment: at most ${merge.files.toLocaleString('en-US')} files, ${(merge.bytes / 1e6).toFixed(1)} MB (once per 256 calendar days)`,
    );
  const author = entries[1234]!.paper.authors[0]!;
  const queries = [
    'ViT',
    'lora',
    'cs.RO',
    'diffusion model',
    'learning',
    'learning model',
    'lea',
    'selectivity',
    author,
    entries[4321]!.paper.id,
    `https://arxiv.org/abs/${entries[99]!.paper.id}v2`,
  ];
  let worstBytes = 0;
  let worstMs = 0;
  let worstCpu = 0;
  for (const q of queries) {
    const engine = searchEngineOver(index.files);
    const before = engine.loaded.bytes;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const { result: r } = engine.run(q);
    const ms = performance.now() - start;
    const cpuMs = process.cpuUsage(cpu).user / 1000;
    worstBytes = Math.max(worstBytes, engine.loaded.bytes);
    worstMs = Math.max(worstMs, ms);
    worstCpu = Math.max(worstCpu, cpuMs);
    console.log(
      `  first query ${JSON.stringify(q).padEnd(38)} ${r.goto ? `→ ${r.goto}` : `${r.count.toLocaleString('en-US')} hits`}; loads ${(engine.loaded.bytes / 1e3).toFixed(0)} KB (page ${(before / 1e3).toFixed(0)} KB + ${engine.loaded.files.length - 1} index files), answers in ${ms.toFixed(1)} ms wall, ${cpuMs.toFixed(0)} ms CPU`,
    );
  }
  console.log(
    `search at ${DAYS} days: first query loads at most ${(worstBytes / 1e3).toFixed(0)} KB (budget 200 KB) and answers in at most ${worstMs.toFixed(0)} ms wall, ${worstCpu.toFixed(0)} ms CPU (budget 100 ms; files in memory, so no network time; a shared machine makes wall time noisy)`,
  );
  reportGoal({
    part: 'search',
    goal: `search at ${DAYS} days, a first query's download (the worst of the queries)`,
    target: '≤ 200 KB',
    figure: `${(worstBytes / 1e3).toFixed(0)} KB`,
    met: worstBytes <= 200_000,
  });
  reportGoal({
    part: 'search',
    goal: `search at ${DAYS} days, a first query's time (the worst, wall, files in memory)`,
    target: '≤ 100 ms',
    figure: `${worstMs.toFixed(0)} ms`,
    met: worstMs <= 100,
  });
}
