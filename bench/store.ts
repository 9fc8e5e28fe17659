/**
 * Issue 9's store figures, on the path a user runs:
 * - a store of DAYS world-size days (1,500 papers, 3,300 heavy-tailed X posts a day) written
 *   through the store's own save functions, and its growth per day (file size after a WAL
 *   checkpoint, and after VACUUM);
 * - the CPU of the real `post` command (node dist/cli/main.js, a whole process) for one more
 *   day against the loopback arXiv and X stand-ins, on that store ÷ on an empty store,
 *   interleaved, median of RUNS pairs (goal ≤ 1.2).
 * `npm run bench -- store`; BENCH_STORE_DAYS / BENCH_STORE_RUNS shrink it while developing
 * (BENCH_STORE_RUNS=0: the growth only).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { announcementOf, nextMailing } from '../src/arxiv/schedule.js';
import { parseSeedPost } from '../src/demo/seed.js';
import { matchPosts } from '../src/match/match.js';
import { DEFAULT_THRESHOLDS, rankDay } from '../src/rank/score.js';
import { tweetToPost } from '../src/sources/x.js';
import { arxivApiHandler } from '../src/standins/arxiv.js';
import { startStandIn } from '../src/standins/server.js';
import { standInToPaper, type WorldDay, worldDay } from '../src/standins/world.js';
import { fakeOembedHtml, startXStandIn } from '../src/standins/x.js';
import { type Db, openStore } from '../src/store/db.js';
import { DICTIONARY_SEEDS } from '../src/store/dictionaries.js';
import { observationsOf, saveDigest } from '../src/store/digests.js';
import {
  categoriesKey,
  type PaperRow,
  packPaperTexts,
  rowToPaper,
  saveListing,
} from '../src/store/listings.js';
import { packText, unpackText } from '../src/store/packed.js';
import { loadPostsForPapers, putEmbed, SavedPosts, savePosts } from '../src/store/posts.js';
import type { DayDigest, Paper } from '../src/types.js';
import { reportGoal } from './goals.js';
import { median } from './stats.js';

const DAYS = Number(process.env.BENCH_STORE_DAYS ?? 40);
const RUNS = Number(process.env.BENCH_STORE_RUNS ?? 5);
const PAPERS = 1500;
const POSTS = 3300;
const FIRST_DAY = '2026-01-05';
const CATEGORIES = ['cs', 'stat.ML'];
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The instant a day's run observes its counts: 22 hours after the announcement. */
function nowOf(day: string): string {
  return new Date(announcementOf(day).getTime() + 22 * 3_600_000).toISOString();
}

/** One day into the store as `post` would leave it: listing, posts, snapshots, embeds of shown posts, digest. */
function writeDay(db: Db, day: string, world: WorldDay): { wholeDigestBytes: number } {
  const now = nowOf(day);
  const papers = world.papers.map(standInToPaper);
  saveListing(db, { day, categories: CATEGORIES, method: 'api', papers, notes: [] }, now);
  const users = new Map(world.users.map((u) => [u.id, u]));
  const posts = world.tweets.map((t) => tweetToPost(t, users.get(t.author_id ?? '')));
  const ids = new Set(papers.map((p) => p.id));
  const saved = new SavedPosts();
  savePosts(db, matchPosts(posts, ids), now, saved);
  const matched = loadPostsForPapers(db, [...ids], now, ['x'], { saved });
  const weights = { x: 1, bluesky: 1, hn: 1, hf: 1 };
  const ranked = rankDay({ papers, posts: matched, weights, thresholds: DEFAULT_THRESHOLDS });
  const tweets = new Map(world.tweets.map((t) => [t.id, t]));
  for (const r of ranked)
    for (const p of r.shown) {
      const tweet = tweets.get(p.id)!;
      putEmbed(db, 'x', p.id, fakeOembedHtml(tweet, users.get(tweet.author_id ?? '')), now);
    }
  const digest: DayDigest = {
    day,
    categories: CATEGORIES,
    observedAt: now,
    announcedAt: announcementOf(day).toISOString(),
    ageHours: 22,
    weights,
    thresholds: DEFAULT_THRESHOLDS,
    listed: papers.length,
    postsFound: matched.length,
    papers: ranked,
    health: [{ source: 'x', status: 'ok', posts: matched.length, requests: 40 }],
  };
  saveDigest(db, digest, {
    categoriesKey: categoriesKey(CATEGORIES),
    path: `content/posts/${day}---Hot-Papers.md`,
    writtenAt: now,
    observedAt: observationsOf(matched),
  });
  return { wholeDigestBytes: Buffer.byteLength(JSON.stringify(digest)) };
}

type Sizes = { stored: number; plain: number; count: number };

/** A paper's title, authors and abstract: as the store keeps them, and as text. */
function paperTextBytes(paper: Pick<Paper, 'title' | 'authors' | 'abstract'>, sizes: Sizes): void {
  const kept = packPaperTexts(paper);
  const bytes = (v: string | Buffer) => (typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  sizes.stored += bytes(kept.title) + bytes(kept.authors) + bytes(kept.abstract);
  sizes.plain += Buffer.byteLength(`${paper.title}${paper.authors.join('\n')}${paper.abstract}`);
  sizes.count++;
}

/**
 * How small the store makes real texts (stored bytes ÷ UTF-8 bytes): the papers' title,
 * authors and abstract, and the embedded tweets' oEmbed HTML, of the seed posts held out of the
 * dictionaries (dictionaries.ts is built from the others).
 */
function realRatios(): Record<'paper' | 'embed', Sizes> {
  const dir = join(ROOT, 'test', 'fixtures', 'seed');
  const sums = { paper: { stored: 0, plain: 0, count: 0 }, embed: { stored: 0, plain: 0, count: 0 } };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md'))) {
    if (DICTIONARY_SEEDS.some((day) => file.startsWith(day))) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const paper of parseSeedPost(text).papers) if (paper.abstract) paperTextBytes(paper, sums.paper);
    for (const m of text.matchAll(/<blockquote class="twitter-tweet"[\s\S]*?<\/script>\n*/g)) {
      const value = packText(m[0], 'embed');
      sums.embed.stored += typeof value === 'string' ? Buffer.byteLength(value) : value.length;
      sums.embed.plain += Buffer.byteLength(m[0]);
      sums.embed.count++;
    }
  }
  return sums;
}

/** Stored and plain bytes of a column of packText values. */
function packedBytes(values: Array<string | Buffer | null>): Sizes {
  const out = { stored: 0, plain: 0, count: 0 };
  for (const v of values) {
    if (v === null) continue;
    out.stored += typeof v === 'string' ? Buffer.byteLength(v) : v.length;
    out.plain += Buffer.byteLength(unpackText(v));
    out.count++;
  }
  return out;
}

function fileSize(path: string): number {
  return statSync(path).size;
}

/** Build the history store; prints its growth per day. Returns the day after the last. */
export function buildHistory(path: string): string {
  const t0 = performance.now();
  const db = openStore(path);
  let day = FIRST_DAY;
  const sizes: number[] = [];
  let whole = 0;
  try {
    for (let i = 0; i < DAYS; i++) {
      whole += writeDay(db, day, worldDay({ day, papers: PAPERS, posts: POSTS })).wholeDigestBytes;
      db.pragma('wal_checkpoint(TRUNCATE)');
      sizes.push(fileSize(path));
      day = nextMailing(day);
    }
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  const vacuumed = fileSize(path);
  const last = sizes.slice(-10);
  const perDayLast = (last[last.length - 1]! - last[0]!) / Math.max(1, last.length - 1);
  console.log(
    `history: ${DAYS} days × ${PAPERS} papers × ${POSTS} X posts written through saveListing/savePosts/putEmbed/saveDigest in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(
    `store growth: ${(vacuumed / DAYS / 1e6).toFixed(2)} MB/day after VACUUM (${(vacuumed / 1e6).toFixed(1)} MB for ${DAYS} days); ${(perDayLast / 1e6).toFixed(2)} MB/day over the last ${last.length - 1} days before VACUUM (goal ≤ 2.5 MB)`,
  );
  reportGoal({
    part: 'store',
    goal: 'store growth per world-size day (the last days, before VACUUM)',
    target: '≤ 2.5 MB',
    figure: `${(perDayLast / 1e6).toFixed(2)} MB`,
    met: perDayLast / 1e6 <= 2.5,
  });
  const db2 = openStore(path);
  const byKey = db2.prepare('SELECT sum(length(digest)) FROM digests').pluck().get() as number;
  console.log(
    `digests: ${(byKey / DAYS / 1e3).toFixed(0)} KB/day by key (format 2); the same days stored whole (before) would be ${(whole / DAYS / 1e3).toFixed(0)} KB/day`,
  );
  const tables = db2
    .prepare(
      'SELECT name, sum(pgsize) AS bytes FROM dbstat WHERE aggregate = 1 GROUP BY name ORDER BY bytes DESC LIMIT 10',
    )
    .all() as Array<{ name: string; bytes: number }>;
  // The generator's abstracts and post texts draw on a small vocabulary and pack better than
  // real ones: the growth is also given with the packing ratios of real abstracts and embeds.
  const papers: Sizes = { stored: 0, plain: 0, count: 0 };
  for (const row of db2.prepare('SELECT * FROM papers').iterate() as Iterable<PaperRow>)
    paperTextBytes(rowToPaper(row), papers);
  const embeds = packedBytes(
    db2.prepare('SELECT html FROM embeds').pluck().all() as Array<string | Buffer | null>,
  );
  db2.close();
  const real = realRatios();
  const extra = (r: Sizes, b: Sizes) => (r.stored / r.plain - b.stored / b.plain) * b.plain;
  const realPerDay = (vacuumed + extra(real.paper, papers) + extra(real.embed, embeds)) / DAYS;
  console.log(
    `largest tables/indexes per day: ${tables.map((t) => `${t.name} ${(t.bytes / DAYS / 1e3).toFixed(0)} KB`).join(', ')}`,
  );
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  console.log(
    `packed here: papers' title + authors + abstract to ${pct(papers.stored / papers.plain)}, embeds to ${pct(embeds.stored / embeds.plain)}; the real ones of the seed posts held out of the dictionaries (test/fixtures/seed): ${real.paper.count} papers to ${pct(real.paper.stored / real.paper.plain)}, ${real.embed.count} embeds to ${pct(real.embed.stored / real.embed.plain)}: with real text, ${(realPerDay / 1e6).toFixed(2)} MB/day (goal ≤ 2.5 MB)`,
  );
  return day;
}

interface Usage {
  cpuMs: number;
  maxRssMb: number;
}

/** Run `hotpapers post` as its own process; its CPU and peak memory as the process reports them. */
function runPost(env: Record<string, string>, day: string, out: string, usageFile: string): Promise<Usage> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        new URL('./usage-report.mjs', import.meta.url).href,
        join(ROOT, 'dist', 'cli', 'main.js'),
        'post',
        '--date',
        day,
        '--out',
        out,
        '--quiet',
      ],
      {
        env: { ...process.env, ...env, HOTPAPERS_BENCH_USAGE: usageFile },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0)
        return reject(new Error(`post exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`));
      resolve(JSON.parse(readFileSync(usageFile, 'utf8')) as Usage);
    });
  });
}

/** Print the store figures. */
export async function benchStore(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hp-bench-store-'));
  try {
    console.log('building dist/ (the post command runs from it)…');
    const build = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    if (build.status !== 0) throw new Error('build failed');
    const history = join(dir, 'history.db');
    const day = buildHistory(history);
    // BENCH_STORE_RUNS=0: the store's growth only (while working on the store's layout).
    if (RUNS <= 0) return;

    const world = worldDay({ day, papers: PAPERS, posts: POSTS });
    const now = nowOf(day);
    const arxiv = await startStandIn(arxivApiHandler(world.papers));
    const x = await startXStandIn(
      { tweets: world.tweets, users: world.users },
      { generateOembed: true, clock: () => Date.parse(now) },
    );
    try {
      const env = {
        ARXIV_API_URL: `${arxiv.url}/api/query`,
        ARXIV_LISTING: 'api',
        ARXIV_DELAY_MS: '0',
        X_BEARER_TOKEN: x.token,
        X_API_URL: x.apiUrl,
        X_OEMBED_URL: x.oembedUrl,
        HOTPAPERS_SOURCES: 'x',
        HOTPAPERS_NOW: now,
        HOTPAPERS_CATEGORIES: CATEGORIES.join(','),
      };
      const full: Usage[] = [];
      const empty: Usage[] = [];
      for (let i = 0; i < RUNS; i++) {
        // Interleaved, each on a fresh copy: the full store with DAYS days, then an empty one.
        const fullDb = join(dir, `full-${i}.db`);
        copyFileSync(history, fullDb);
        full.push(
          await runPost(
            { ...env, HOTPAPERS_DB: fullDb },
            day,
            join(dir, `out-f${i}`),
            join(dir, `u-f${i}.json`),
          ),
        );
        rmSync(fullDb, { force: true });
        rmSync(`${fullDb}-wal`, { force: true });
        const emptyDb = join(dir, `empty-${i}.db`);
        empty.push(
          await runPost(
            { ...env, HOTPAPERS_DB: emptyDb },
            day,
            join(dir, `out-e${i}`),
            join(dir, `u-e${i}.json`),
          ),
        );
        rmSync(emptyDb, { force: true });
      }
      const f = median(full.map((u) => u.cpuMs));
      const e = median(empty.map((u) => u.cpuMs));
      console.log(
        `post ${day} (1,500 papers, ${POSTS} X posts, whole process from dist/, loopback stand-ins), CPU ms, on the ${DAYS}-day store: ${full.map((u) => u.cpuMs.toFixed(0)).join(', ')}; on an empty store: ${empty.map((u) => u.cpuMs.toFixed(0)).join(', ')}`,
      );
      console.log(
        `post CPU ratio, ${DAYS}-day store / empty store (medians of ${RUNS}): ${f.toFixed(0)} / ${e.toFixed(0)} ms = ${(f / e).toFixed(2)} (goal ≤ 1.2); peak RSS ${median(full.map((u) => u.maxRssMb)).toFixed(0)} / ${median(empty.map((u) => u.maxRssMb)).toFixed(0)} MB`,
      );
      reportGoal({
        part: 'store',
        goal: `CPU of \`post\` for one more day on a ${DAYS}-day store ÷ on an empty store`,
        target: '≤ 1.2×',
        figure: `${(f / e).toFixed(2)}× (${f.toFixed(0)} / ${e.toFixed(0)} ms)`,
        met: f / e <= 1.2,
      });
    } finally {
      await Promise.all([arxiv.close(), x.close()]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
