/**
 * DESIGN §9 and issue 9: the site at 300, 1,000 and 3,000 synthetic days (25 papers × 2 posts a
 * day, their categories spread as in the seed posts, written through the store's own
 * functions as `post` writes a day: the digest refers to the stored papers and posts), a store
 * per size. At each size, five full builds, each in its own process (wall, CPU, peak RSS; the
 * median by CPU and the range). Then one new day at a time on each store, in
 * turn, five each, built incrementally into the folder of the last full build; at 300 and 1,000
 * days each followed by a full build of the same store (the median's cost as a share of the
 * median of those full builds, timed beside it), and the cost at 1,000 and 3,000 days over the
 * cost at 300. Then three more new days on each store, each ranking again a paper first ranked
 * 150 mailing days before (as a later cross-list does, adding the category it lists the paper
 * in): the paper's stored row changes, so its old day's page is made again for it, and the list
 * pages follow from the list state and the days since the old ranking's year began (migration 16;
 * from the history with migration 15 alone).
 * And the race with Hugo at 300 days: `hotpapers site` and `hugo` each run as a whole process,
 * interleaved, median of 5, on the same days and papers, Hugo's feeds limited to our 30 items.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom } from '../src/standins/random.js';
import { openStore } from '../src/store/db.js';
import { saveDigest } from '../src/store/digests.js';
import { saveEnrichments } from '../src/store/enrichment.js';
import { saveListing } from '../src/store/listings.js';
import { savePosts } from '../src/store/posts.js';
import type { DayDigest, Paper, PaperEnrichment, RankedPaper, ScoredPost, SourceId } from '../src/types.js';
import { FLAT, reportGoal } from './goals.js';
import { median, medianBy } from './stats.js';
import { mailingDaysBack, seedLikeCategories } from './synthetic.js';

/** Store sizes in days (SITE_BENCH_SIZES=30,60,90 for a quick try while developing). */
const SIZES = (process.env.SITE_BENCH_SIZES ?? '300,1000,3000').split(',').map(Number);
/**
 * Sizes whose new days are each followed by a full build of the same store (the ratio's other
 * side, timed beside them): the two smaller ones (at 3,000 days five more full builds would
 * double the bench's time; its new days are compared with the 300-day ones).
 */
const BESIDE_AT = new Set(SIZES.slice(0, 2));
const PAPERS_PER_DAY = 25;
const POSTS_PER_PAPER = 2;
const RACE_RUNS = 5;
/** New days built incrementally at each size, each followed by full builds at the smaller sizes (the median is printed). */
const INCREMENTAL_RUNS = 5;
/**
 * New days at every size in all, for how one new day's cost grows with the history: the
 * INCREMENTAL_RUNS above, then more without the full builds between (a few seconds each). A
 * median of 5 builds of ~0.25 s moved by ±10% from one bench run to the next (the 3,000 ÷ 300
 * ratio gave 0.89–1.33× on code whose instructions grew 4–5%), which is the goal's whole margin.
 */
const GROWTH_RUNS = 11;
/**
 * Then new days that each rank again a paper of an older day, as a later cross-list does on real
 * days (post.ts keeps the listing's cross-lists), which adds a category to the paper: its old
 * day shows the row as it is now and is made again for it (see build.ts, migrations 15 and 16).
 */
const RANK_AGAIN_RUNS = 5;
/** How far back (in mailing days) the paper ranked again was first ranked: within the smallest store. */
const RANK_AGAIN_BACK = Math.max(0, Math.min(150, Math.min(...SIZES) - RANK_AGAIN_RUNS));
/** Full builds at each size (the median is printed). */
const FULL_RUNS = 5;
const FEED_ITEMS = 30;
const BASE_URL = 'https://example.org/';

const WORDS =
  'learning neural network graph transformer attention diffusion model language robust efficient scalable sparse optimal bayesian inference reinforcement policy vision segmentation contrastive representation federated privacy causal kernel gradient descent convergence generalization benchmark dataset retrieval reasoning'.split(
    ' ',
  );

/** `n` mailing days (Mon–Fri) going back from 2030-12-31, newest first. */
export function mailingDays(n: number): string[] {
  return mailingDaysBack('2030-12-31', n);
}

/** The synthetic digest of `day` (the same for a day whatever the store's size). */
export function syntheticDay(day: string): DayDigest {
  const d = Number(day.replaceAll('-', '')) % 100000;
  const rnd = seededRandom(d);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  {
    const observedAt = `${day}T18:00:00.000Z`;
    const papers: RankedPaper[] = Array.from({ length: PAPERS_PER_DAY }, (_, i) => {
      const id = `${day.slice(2, 4)}${day.slice(5, 7)}.${day.slice(8, 10)}${String(i).padStart(3, '0')}`;
      const math = i % 10 === 0;
      const cats = seedLikeCategories(rnd);
      const paper: Paper = {
        id,
        version: 1,
        title: `${words(6)}${math ? ' in $O(n \\log n)$ time' : ''}`.replace(/^./, (c) => c.toUpperCase()),
        abstract: `${words(150)}${math ? ' with error $\\epsilon^2$.' : '.'}`,
        authors: Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => `${pick(WORDS)} ${pick(WORDS)}`),
        categories: cats,
        primaryCategory: cats[0]!,
        pdfUrl: `https://arxiv.org/pdf/${id}v1`,
        announceType: 'new',
        method: 'rss',
      };
      const posts: ScoredPost[] = Array.from({ length: POSTS_PER_PAPER }, (_, k) => {
        const source: SourceId = k === 0 ? 'x' : pick(['bluesky', 'hn'] as const);
        const reposts = source === 'hn' ? 0 : Math.floor(rnd() * 60);
        const likes = 20 + Math.floor(rnd() * 300);
        return {
          source,
          id: `${id}-${k}`,
          url: `https://example.org/${source}/${id}/${k}`,
          authorHandle: `user${Math.floor(rnd() * 5000)}`,
          authorName: words(2),
          text: `${words(30)} https://arxiv.org/abs/${id}`,
          createdAt: `${day}T12:00:00.000Z`,
          metrics: { reposts, likes, replies: Math.floor(rnd() * 20), quotes: 0 },
          score: reposts + likes,
          weighted: reposts + likes,
          selfPromotion: false,
        };
      }).sort((a, b) => b.weighted - a.weighted);
      const score = posts.reduce((n, p) => n + p.weighted, 0);
      return {
        rank: 0,
        paper,
        score,
        reposts: posts.filter((p) => p.source !== 'hn').reduce((n, p) => n + p.metrics.reposts, 0),
        likes: posts.filter((p) => p.source !== 'hn').reduce((n, p) => n + p.metrics.likes, 0),
        hn: {
          points: posts.filter((p) => p.source === 'hn').reduce((n, p) => n + p.metrics.likes, 0),
          comments: 0,
          stories: 0,
        },
        hf: { upvotes: 0, comments: 0 },
        bySource: {},
        uniqueAccounts: POSTS_PER_PAPER,
        selfPromotionPosts: 0,
        posts,
        shown: posts,
      };
    });
    papers.sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
    papers.forEach((p, i) => {
      p.rank = i + 1;
    });
    return {
      day,
      categories: ['cs', 'stat.ML'],
      observedAt,
      announcedAt: `${day}T00:00:00.000Z`,
      weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
      thresholds: { minPaperScore: 50, minPostScore: 25, maxPosts: 10 },
      listed: 600,
      postsFound: PAPERS_PER_DAY * POSTS_PER_PAPER,
      papers,
      health: [{ source: 'x', status: 'ok', posts: 50, requests: 3 }],
    };
  }
}

/**
 * Add days to a store through the store's own functions: the listing of the ranked papers,
 * posts, links, two snapshots, the digest; with `enrich`, also Hugging Face's answer for each
 * ranked paper, as a daily run with the default sources stores it (a third known to HF, with
 * TL;DR, keywords and code; the rest unknown): each such answer is an enrichment change the
 * next build looks at.
 */
export function addDays(
  path: string,
  days: readonly string[],
  options: { enrich?: boolean; rankAgain?: string } = {},
): void {
  const db = openStore(path);
  try {
    for (const day of days) {
      const d = syntheticDay(day);
      // The top paper of `rankAgain` takes the place of the day's fourth, with its posts; as a
      // later cross-list lists it, with the category it was cross-listed to among its own (its
      // stored row changes: the days that show it are made again for it, see migrations 15-16).
      if (options.rankAgain) {
        const old = syntheticDay(options.rankAgain).papers[0]!.paper;
        const added = ['stat.ML', 'cs.LG', 'math.OC'].find((c) => !old.categories.includes(c))!;
        d.papers[3] = { ...d.papers[3]!, paper: { ...old, categories: [...old.categories, added] } };
      }
      const matched = (half: boolean) =>
        d.papers.flatMap((r) =>
          r.posts.map((p) => ({
            post: {
              source: p.source,
              id: p.id,
              authorHandle: p.authorHandle,
              authorName: p.authorName,
              url: p.url,
              text: p.text,
              createdAt: p.createdAt,
              links: [`https://arxiv.org/abs/${r.paper.id}`],
              metrics: half
                ? { ...p.metrics, reposts: p.metrics.reposts >> 1, likes: p.metrics.likes >> 1 }
                : p.metrics,
            },
            paperIds: [r.paper.id],
          })),
        );
      db.transaction(() => {
        // As `post` stores a day: its listing first (papers packed), so the digest refers to
        // its papers by key and a build reads them from the papers table, as on a real store.
        // (Only the ranked papers: the others of a real listing are never read by the site.)
        saveListing(
          db,
          {
            day,
            categories: ['cs', 'stat.ML'],
            method: 'rss',
            papers: d.papers.map((r) => r.paper),
            notes: [],
          },
          `${day}T05:00:00.000Z`,
        );
        savePosts(db, matched(true), `${day}T06:00:00.000Z`);
        savePosts(db, matched(false), d.observedAt);
        saveDigest(db, d, { categoriesKey: 'cs,stat.ML', writtenAt: d.observedAt });
        if (options.enrich) saveEnrichments(db, enrichmentsOf(d));
      })();
    }
  } finally {
    db.close();
  }
}

/**
 * Store the Hugging Face answer for the top paper of each of `days` as the daily run of that day
 * stored it: the papers a later day ranks again (addDays' `rankAgain`) were enriched when first
 * ranked, as on a store grown by daily runs (the history's other papers are left without).
 */
export function enrichTopPapers(path: string, days: readonly string[]): void {
  const db = openStore(path);
  try {
    saveEnrichments(
      db,
      days.map((day) => enrichmentsOf(syntheticDay(day))[0]!),
    );
  } finally {
    db.close();
  }
}

/** What Hugging Face answers for each ranked paper of a synthetic day (see addDays). */
function enrichmentsOf(d: DayDigest): PaperEnrichment[] {
  return d.papers.map((r, i): PaperEnrichment => {
    const id = r.paper.id;
    if (i % 3 !== 0) return { paperId: id, status: 'unknown', fetchedAt: d.observedAt };
    return {
      paperId: id,
      status: 'ok',
      aiSummary: `We show how ${r.paper.title.toLowerCase()} improves on prior work.`,
      aiKeywords: ['graph', 'diffusion', 'benchmark'],
      githubRepo: `https://github.com/example/${id}`,
      githubStars: (i * 37) % 900,
      fetchedAt: d.observedAt,
    };
  });
}

const yaml = (s: string) => JSON.stringify(s);

/**
 * The same days and papers as Hugo content with a minimal theme (pages, taxonomy, RSS) and a
 * search index as Hugo sites make one: an output format of the home page that lists every
 * paper's title, authors, categories and abstract as JSON (our build's index holds the same
 * fields, tokenised). A paper's authors and abstract are front matter, rendered by the template.
 */
function writeHugoSite(root: string, digests: readonly DayDigest[], version: number): void {
  const file = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  file(
    'hugo.toml',
    [
      "baseURL = 'https://example.org/'",
      "title = 'Hot Papers'",
      // The synthetic days are dated up to 2030: Hugo skips future pages unless told.
      'buildFuture = true',
      // The same page size and feed length as ours, in the keys this Hugo version reads.
      ...(version >= 128 ? [] : ['paginate = 10']),
      ...(version >= 114 ? [] : [`rssLimit = ${FEED_ITEMS}`]),
      // A sitemap and robots.txt, as our build makes them.
      'enableRobotsTXT = true',
      '[taxonomies]',
      "  category = 'categories'",
      '[outputs]',
      '  home = ["HTML", "RSS", "JSON", "SearchIndex"]',
      '  section = ["HTML", "RSS"]',
      '  taxonomy = ["HTML"]',
      '  term = ["HTML", "RSS"]',
      '[outputFormats.JSON]',
      "  baseName = 'feed'",
      '[outputFormats.SearchIndex]',
      "  mediaType = 'application/json'",
      "  baseName = 'search-index'",
      '  isPlainText = true',
      '  notAlternative = true',
      '[markup.goldmark.renderer]',
      '  unsafe = false',
      ...(version >= 114 ? ['[services.rss]', `  limit = ${FEED_ITEMS}`] : []),
      ...(version >= 128 ? ['[pagination]', '  pagerSize = 10'] : []),
    ].join('\n'),
  );
  const base = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/site.css"></head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>`;
  file('layouts/_default/baseof.html', base);
  file(
    'layouts/_default/single.html',
    '{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Params.authors }}<p>{{ delimit . ", " }}</p>{{ end }}{{ with .Params.abstract }}<h2>Abstract</h2><p>{{ . }}</p>{{ end }}{{ .Content }}{{ with .Params.categories }}<ul>{{ range . }}<li><a href="{{ "/categories/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}{{ end }}',
  );
  file(
    'layouts/_default/list.html',
    '{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>{{ end }}',
  );
  file(
    'layouts/index.html',
    '{{ define "main" }}<h1>{{ .Site.Title }}</h1><ol>{{ range (.Paginate (where .Site.RegularPages "Section" "days")).Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ .Summary }}</li>{{ end }}</ol>{{ end }}',
  );
  file(
    'layouts/index.json',
    '{"version":"https://jsonfeed.org/version/1.1","title":{{ .Site.Title | jsonify }},"items":[{{ range $i, $p := first 30 (where .Site.RegularPages "Section" "days") }}{{ if $i }},{{ end }}{"id":{{ $p.Permalink | jsonify }},"title":{{ $p.Title | jsonify }},"content_html":{{ $p.Content | jsonify }}}{{ end }}]}',
  );
  file(
    'layouts/index.searchindex.json',
    '[{{ range $i, $p := where .Site.RegularPages "Section" "papers" }}{{ if $i }},{{ end }}{"url":{{ $p.RelPermalink | jsonify }},"title":{{ $p.Title | jsonify }},"authors":{{ $p.Params.authors | jsonify }},"categories":{{ $p.Params.categories | jsonify }},"abstract":{{ $p.Params.abstract | jsonify }}}{{ end }}]',
  );
  file('static/site.css', 'body{font-family:sans-serif}');
  const post = (p: ScoredPost) =>
    `> ${p.text}\n>\n> — ${p.authorName} (@${p.authorHandle}) · ${p.metrics.reposts} reposts · ${p.metrics.likes} likes · [link](${p.url})\n`;
  for (const d of digests) {
    const body = d.papers
      .map((r) =>
        [
          `## ${r.rank}. [${r.paper.title}](/papers/${r.paper.id}/)`,
          r.paper.authors.join(', '),
          `score ${r.score} · ${r.reposts} reposts · ${r.likes} likes · [abs](https://arxiv.org/abs/${r.paper.id}) | [pdf](https://arxiv.org/pdf/${r.paper.id})`,
          r.paper.abstract,
          ...r.shown.slice(0, 2).map(post),
        ].join('\n\n'),
      )
      .join('\n\n');
    const cats = [...new Set(d.papers.flatMap((r) => r.paper.categories))];
    file(
      `content/days/${d.day}.md`,
      `---\ntitle: ${yaml(`Hot papers of ${d.day}`)}\ndate: ${d.observedAt}\ncategories: ${JSON.stringify(cats)}\n---\n\n${body}\n`,
    );
    for (const r of d.papers) {
      const p = r.paper;
      const page = [
        `[abs](https://arxiv.org/abs/${p.id}) | [pdf](https://arxiv.org/pdf/${p.id})`,
        '## Score breakdown',
        `| Source | Posts | Score |\n|---|---|---|\n${r.posts.map((s) => `| ${s.source} | 1 | ${s.weighted} |`).join('\n')}`,
        `## Posts (${r.posts.length})`,
        ...r.posts.map(post),
      ].join('\n\n');
      file(
        `content/papers/${p.id}.md`,
        `---\ntitle: ${yaml(p.title)}\ndate: ${d.observedAt}\ncategories: ${JSON.stringify(p.categories)}\nauthors: ${JSON.stringify(p.authors)}\nabstract: ${yaml(p.abstract)}\n---\n\n${page}\n`,
      );
    }
  }
}

/** The path of `command` on PATH, if any. */
export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, command);
    try {
      if (statSync(path).isFile()) return path;
    } catch {}
  }
  return undefined;
}

function countFiles(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

interface BuildFigures {
  wallMs: number;
  cpuMs: number;
  /** Of the CPU time, the kernel's (files created and renamed; it moves with the machine's state). */
  sysMs: number;
  peakMb: number;
  files: number;
  fresh: number;
  /** Of the files written, those of the search index (its own engineering: search-index.ts). */
  searchFresh: number;
  /** Bytes written. */
  bytes: number;
  kept: number;
  daysLoaded: number;
}

/** The engine's source, for a timed build without the compiled package (through tsx). */
const GENERATE_TS = fileURLToPath(new URL('../src/site/generate.ts', import.meta.url));

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

/** What a timed build runs: `hotpapers site`'s engine, as the package runs it (see compileOurs). */
export type Ours = { dist?: string };

/**
 * Compile the package into node_modules/.cache (so its imports resolve), as `bin:
 * dist/cli/main.js` runs it; undefined when the compiler is not there (tsx is used then).
 */
export function compileOurs(): string | undefined {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // A folder of this process's own: two parts run at once (site, site-instructions) must not
  // remove each other's compiled files at their end.
  const dist = join(root, 'node_modules', '.cache', `hotpapers-bench-dist-${process.pid}`);
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      dist,
    ],
    { encoding: 'utf8' },
  );
  return tsc.status === 0 ? dist : undefined;
}

/**
 * One timed build of `db` into `out` in its own process (the engine only, no CLI start-up): the
 * compiled package when there is one (a user's process: no TypeScript loader thread in its
 * memory), else through tsx.
 */
function timedBuild(ours: Ours, db: string, out: string, full: boolean): BuildFigures {
  const child = spawnSync(process.execPath, buildArgs(ours, db, out, full), { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`site build failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as BuildFigures;
}

/** Node's arguments for one build of `db` into `out` in a child process (childBuild's program). */
export function buildArgs(ours: Ours, db: string, out: string, full: boolean): string[] {
  const generate = ours.dist ? join(ours.dist, 'site', 'generate.js') : GENERATE_TS;
  return [
    ...(ours.dist ? [] : ['--import', 'tsx']),
    '--input-type=module',
    '-e',
    childBuild(pathToFileURL(generate).href),
    '--',
    db,
    out,
    full ? '--full' : '',
  ];
}

/** The child's program: build argv's store into argv's folder, print the figures as JSON. */
function childBuild(generateUrl: string): string {
  return `
const { generateSiteToDir } = await import(${JSON.stringify(generateUrl)});
const [db, out, full] = process.argv.slice(-3);
const started = performance.now();
const cpu = process.cpuUsage();
// As \`hotpapers site\` does it: the next generation beside the folder, swapped in at the end.
const result = await generateSiteToDir({ db, baseUrl: ${JSON.stringify(BASE_URL)}, full: full === '--full' }, out);
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({
  wallMs: performance.now() - started,
  cpuMs: (used.user + used.system) / 1000,
  sysMs: used.system / 1000,
  peakMb: process.resourceUsage().maxRSS / 1024,
  files: result.written.files,
  fresh: result.fresh,
  searchFresh: result.writtenPaths.filter((p) => p.startsWith('assets/search/') || p.startsWith('.hotpapers/search/')).length,
  bytes: result.written.bytes,
  kept: result.kept,
  daysLoaded: result.daysLoaded,
}));`;
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Flush the file system before the next timed process starts, so the previous one's writeback
 * does not land in it. Nothing is deleted between timed runs: every run writes into a folder of
 * its own, and the bench's folder is removed at the end. On this VM's ext4 (no journal), for
 * minutes after many files are deleted, each new file costs the kernel a scan past the recently
 * deleted inodes (`recently_deleted`, `find_inode_bit` in `perf`): 8,000 files took 2.7-3.8 s
 * of system time right after a deletion against 0.4-0.7 s without one, whichever tool writes them.
 */
function syncNow(): void {
  if (SYNC) spawnSync('sync');
}

/** SITE_BENCH_SYNC=0 skips the `sync` (to measure what it changes). */
const SYNC = process.env.SITE_BENCH_SYNC !== '0';
const SYNCED = () =>
  `${SYNC ? 'started after `sync`' : 'no `sync` before (SITE_BENCH_SYNC=0)'}, every output kept until the end (no deletions between timed runs)`;

/** Run a command as a whole process; wall time, and peak RSS when GNU time is there. */
function wholeProcess(
  command: string,
  args: string[],
  env?: NodeJS.ProcessEnv,
): { wallMs: number; peakMb?: number; cpuMs?: number } {
  const timeBin = onPath('time');
  const started = performance.now();
  const run = timeBin
    ? spawnSync(timeBin, ['-f', '%M %U %S', command, ...args], { encoding: 'utf8', env })
    : spawnSync(command, args, { encoding: 'utf8', env });
  const wallMs = performance.now() - started;
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  const [kb, user, sys] = timeBin
    ? (run.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return {
    wallMs,
    peakMb: Number.isFinite(kb) ? kb! / 1024 : undefined,
    cpuMs: Number.isFinite(user) && Number.isFinite(sys) ? (user! + sys!) * 1000 : undefined,
  };
}

/** Print the site figures at each size, the incremental cost, and the race with Hugo. */
export async function benchSite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-site-'));
  const ours: Ours = { dist: compileOurs() };
  try {
    console.log(
      `site: synthetic days of ${PAPERS_PER_DAY} papers × ${POSTS_PER_PAPER} posts, categories spread as in the seed posts (32, ~16 a day), each stored as \`post\` stores a day (its listing, posts and snapshots, the digest referring to them by key); each build in its own process (node 20, ${ours.dist ? 'compiled JavaScript, as the package runs' : 'tsx: the compiler is missing'}), ${SYNCED()}; full builds: median of ${FULL_RUNS} at each size; one new day: median of ${INCREMENTAL_RUNS}, the sizes in turn, each on a store of its own, at the two smaller sizes each followed by a full build of that store (the ratio's other side); then ${GROWTH_RUNS - INCREMENTAL_RUNS} more new days at every size, without the full builds, the sizes in turn in alternate directions (the growth with the history: medians of all ${GROWTH_RUNS})`,
    );
    // A store per size, each grown from a copy of the one before (older days are added); the
    // newest days of all are the same, and the incremental steps add the same newer days to
    // every store, in turn.
    const all = mailingDays(Math.max(...SIZES) + INCREMENTAL_RUNS + RANK_AGAIN_RUNS);
    const newer = all.slice(0, INCREMENTAL_RUNS + RANK_AGAIN_RUNS).reverse();
    const history = all.slice(INCREMENTAL_RUNS + RANK_AGAIN_RUNS);
    // The growth's further new days come after those (2031 on), so that the stores and the days
    // before are the same as with INCREMENTAL_RUNS alone.
    const later = mailingDaysBack('2031-03-31', 64)
      .filter((d) => d > all[0]!)
      .reverse()
      .slice(0, GROWTH_RUNS - INCREMENTAL_RUNS);
    const lines: string[] = [];
    /** Per size: its store, the folder new days go into, its full builds' median and each one's peak RSS. */
    const incrementalStores: Array<{
      days: number;
      db: string;
      out: string;
      full: BuildFigures;
      peaks: number[];
    }> = [];
    let have = 0;
    let previous: string | undefined;
    for (const n of SIZES) {
      const db = join(dir, `store-${n}.db`);
      if (previous) copyFileSync(previous, db);
      const made = performance.now();
      addDays(db, history.slice(have, n).reverse());
      // The papers ranked again later have their first day's Hugging Face answers (the larger
      // stores are copies of the first).
      if (!previous) enrichTopPapers(db, history.slice(RANK_AGAIN_BACK, RANK_AGAIN_BACK + RANK_AGAIN_RUNS));
      const storeMs = performance.now() - made;
      have = n;
      previous = db;
      const runs: BuildFigures[] = [];
      for (let r = 0; r < FULL_RUNS; r++) {
        syncNow();
        runs.push(timedBuild(ours, db, join(dir, `public-${n}-${r}`), true));
      }
      const full = medianBy(runs, (b) => b.cpuMs);
      const range = (f: (b: BuildFigures) => number, unit: (x: number) => string) =>
        `${unit(Math.min(...runs.map(f)))}–${unit(Math.max(...runs.map(f)))}`;
      lines.push(
        `  ${String(n).padStart(5)} days: full build (median of ${FULL_RUNS}, by CPU) wall ${s1(full.wallMs)}, CPU ${s1(full.cpuMs)}, peak RSS ${full.peakMb.toFixed(0)} MB (all runs: wall ${range((b) => b.wallMs, s1)}, CPU ${range((b) => b.cpuMs, s1)}, peak RSS ${range(
          (b) => b.peakMb,
          (x) => x.toFixed(0),
        )} MB), ${full.files} files (store grown in ${s1(storeMs)})`,
      );
      // Every size gets new days, built into its last full build's folder.
      incrementalStores.push({
        days: n,
        db,
        out: join(dir, `public-${n}-${FULL_RUNS - 1}`),
        full,
        peaks: runs.map((b) => b.peakMb),
      });
      // The race runs on the first store before it gains a day.
      if (n === SIZES[0]) await raceHugo(dir, db, history.slice(0, n), ours);
    }
    // One new day at a time on each store, in turn, each built incrementally into the folder of
    // its last full build; at the two smaller sizes each followed by a full build of the same
    // store into a folder of its own, so that the two sides of the ratio are timed side by side,
    // under the same state of the machine (its speed drifts over a run by more than the goal's
    // margin).
    const incremental = incrementalStores.map(() => [] as BuildFigures[]);
    const besideFull = incrementalStores.map(() => [] as BuildFigures[]);
    /**
     * Round `r` of the new days: one more day on each store, built into its folder; in the first
     * INCREMENTAL_RUNS rounds each followed by a full build at the smaller sizes. The later rounds
     * take the sizes from the largest down every other time, so that no size is always timed
     * after the same work.
     */
    const newDayRound = (r: number) => {
      const beside = r < INCREMENTAL_RUNS;
      const order = incrementalStores.map((_, i) => i);
      if (!beside && (r - INCREMENTAL_RUNS) % 2 === 1) order.reverse();
      for (const i of order) {
        const store = incrementalStores[i]!;
        // As a daily run with the default sources adds it: its papers' Hugging Face answers too.
        addDays(store.db, [beside ? newer[r]! : later[r - INCREMENTAL_RUNS]!], { enrich: true });
        syncNow();
        incremental[i]!.push(timedBuild(ours, store.db, store.out, false));
        if (!beside || !BESIDE_AT.has(store.days)) continue;
        syncNow();
        besideFull[i]!.push(timedBuild(ours, store.db, join(dir, `public-${store.days}-beside-${r}`), true));
      }
    };
    for (let r = 0; r < INCREMENTAL_RUNS; r++) newDayRound(r);
    // Then days that rank again a paper of an older day (the same one at every size), in turn:
    // after the same new days as before GROWTH_RUNS, so that they do the same work (the days
    // before a build are part of it: the search index's open segment holds them).
    const again = incrementalStores.map(() => [] as BuildFigures[]);
    for (let r = 0; r < RANK_AGAIN_RUNS; r++)
      incrementalStores.forEach((store, i) => {
        addDays(store.db, [newer[INCREMENTAL_RUNS + r]!], {
          enrich: true,
          rankAgain: history[RANK_AGAIN_BACK + r]!,
        });
        syncNow();
        again[i]!.push(timedBuild(ours, store.db, store.out, false));
      });
    // Then the growth's further new days.
    for (let r = INCREMENTAL_RUNS; r < GROWTH_RUNS; r++) newDayRound(r);
    /** Per size, the new days timed between the full builds (the first INCREMENTAL_RUNS), and their median. */
    const besideRuns = incremental.map((runs) => runs.slice(0, INCREMENTAL_RUNS));
    const medians = besideRuns.map((runs) => medianBy(runs, (b) => b.cpuMs));
    /** Per size, the median of all its new days (GROWTH_RUNS): the growth with the history. */
    const growthMedians = incremental.map((runs) => medianBy(runs, (b) => b.cpuMs));
    /**
     * The full builds a size's new day is compared with: those timed between the new days when
     * there are some (the same state of the machine), else the ones before them.
     */
    const fullBesideOf = (i: number) =>
      besideFull[i]!.length > 0 ? medianBy(besideFull[i]!, (b) => b.cpuMs) : incrementalStores[i]!.full;
    incrementalStores.forEach((store, i) => {
      const incr = medians[i]!;
      const cpus = besideRuns[i]!.map((b) => b.cpuMs);
      const roundCpus = incremental[i]!.map((b) => b.cpuMs);
      const fullCpus = besideFull[i]!.map((b) => b.cpuMs);
      const full = fullBesideOf(i);
      const beside =
        fullCpus.length > 0
          ? `${(incr.cpuMs / full.cpuMs).toFixed(3)}× the median of the full builds timed between them (CPU ${s1(full.cpuMs)}, ${s1(Math.min(...fullCpus))}–${s1(Math.max(...fullCpus))}), `
          : '';
      lines.push(
        `  one new day on the ${store.days}-day store (median of the ${cpus.length} timed ${fullCpus.length > 0 ? 'between the full builds' : 'in those rounds'}; of all ${roundCpus.length}: CPU ${s1(growthMedians[i]!.cpuMs)}, by round ${roundCpus.map((ms) => (ms / 1000).toFixed(2)).join(' ')} s): CPU ${s1(incr.cpuMs)} (${s1(incr.sysMs)} of it the kernel's) = ${beside}${(incr.cpuMs / store.full.cpuMs).toFixed(3)}× the full builds' median above; wall ${s1(incr.wallMs)} = ${(incr.wallMs / full.wallMs).toFixed(3)}× (CPU of all runs ${s1(Math.min(...cpus))}–${s1(Math.max(...cpus))}; the median run: ${incr.daysLoaded} days read, ${incr.fresh} files written (${incr.searchFresh} of the search index), ${(incr.bytes / 1e6).toFixed(2)} MB, ${incr.kept} kept)`,
      );
    });
    // The same new days at every size (all GROWTH_RUNS of them): how the cost of one grows with
    // the history. Besides the ratio of the medians (which may be of different days), each day
    // against the same day on the smallest store, built in the same round: the median and range
    // of those ratios.
    incrementalStores.slice(1).forEach((store, i) => {
      const a = growthMedians[0]!;
      const b = growthMedians[i + 1]!;
      const paired = incremental[i + 1]!.map((run, r) => run.cpuMs / incremental[0]![r]!.cpuMs);
      lines.push(
        `  one new day at ${store.days} days / at ${incrementalStores[0]!.days} days (medians of ${incremental[0]!.length}): CPU ${(b.cpuMs / a.cpuMs).toFixed(2)}× (user time alone ${((b.cpuMs - b.sysMs) / (a.cpuMs - a.sysMs)).toFixed(2)}×), wall ${(b.wallMs / a.wallMs).toFixed(2)}×; the same day at both sizes, CPU: median ${median(paired).toFixed(2)}× (${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}) (1.00 = not growing with the history)`,
      );
    });
    const againMedians = again.map((runs) => medianBy(runs, (b) => b.cpuMs));
    incrementalStores.forEach((store, i) => {
      const a = againMedians[i]!;
      const cpus = again[i]!.map((b) => b.cpuMs);
      const growth =
        i === 0
          ? ''
          : `; ${(a.cpuMs / againMedians[0]!.cpuMs).toFixed(2)}× the same at ${incrementalStores[0]!.days} days`;
      lines.push(
        `  one new day ranking again a paper first ranked ${RANK_AGAIN_BACK} mailing days before (a later cross-list, which adds a category to it), on the ${store.days}-day store (median of ${RANK_AGAIN_RUNS}): CPU ${s1(a.cpuMs)} (${s1(Math.min(...cpus))}–${s1(Math.max(...cpus))}) = ${(a.cpuMs / medians[i]!.cpuMs).toFixed(2)}× a plain new day, ${BESIDE_AT.has(store.days) ? `${(a.cpuMs / fullBesideOf(i).cpuMs).toFixed(3)}× the full builds timed between the new days, ` : ''}${(a.cpuMs / store.full.cpuMs).toFixed(3)}× the full builds' median above${growth}; peak RSS ${a.peakMb.toFixed(0)} MB, ${a.fresh} files written`,
      );
    });
    console.log(lines.join('\n'));
    const small = incrementalStores[0]!;
    const large = incrementalStores[incrementalStores.length - 1]!;
    const newDayShare = medians[0]!.cpuMs / fullBesideOf(0).cpuMs;
    reportGoal({
      part: 'site',
      goal: `one new day into the ${small.days}-day site ÷ a full build of it, CPU`,
      target: '≤ 0.1×',
      figure: `${newDayShare.toFixed(3)}× (${(medians[0]!.cpuMs / small.full.cpuMs).toFixed(3)}× the full builds before the new days)`,
      met: newDayShare <= 0.1,
    });
    if (large !== small) {
      const growth = growthMedians[growthMedians.length - 1]!.cpuMs / growthMedians[0]!.cpuMs;
      reportGoal({
        part: 'site',
        goal: `one new day at ${large.days} days ÷ at ${small.days} days, CPU (medians of ${GROWTH_RUNS})`,
        target: `flat: 1.00, met up to ${FLAT}×`,
        figure: `${growth.toFixed(2)}×`,
        met: growth <= FLAT,
      });
    }
    // Against the same full builds as a plain new day: those timed between the new days (under
    // the machine's state of the incremental runs), not the first ones, which a disk still
    // busy with earlier deletions can slow down by half (seen on 4 December).
    const againShare = againMedians[0]!.cpuMs / fullBesideOf(0).cpuMs;
    reportGoal({
      part: 'site',
      goal: `one new day ranking again a paper of ${RANK_AGAIN_BACK} mailing days before, into the ${small.days}-day site ÷ a full build of it, CPU`,
      target: '≤ 0.1×',
      figure: `${againShare.toFixed(3)}× (${(againMedians[0]!.cpuMs / small.full.cpuMs).toFixed(3)}× the full builds before the new days)`,
      met: againShare <= 0.1,
    });
    const peak = Math.max(...large.peaks);
    reportGoal({
      part: 'site',
      goal: `\`site --full\` at ${large.days} days, peak RSS (the largest of ${large.peaks.length} builds)`,
      target: '< 300 MB',
      figure: `${peak.toFixed(0)} MB`,
      met: peak < 300,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (ours.dist) rmSync(ours.dist, { recursive: true, force: true });
  }
}

/** `hotpapers site` and `hugo` as whole processes, interleaved, on the same days and papers. */
async function raceHugo(dir: string, db: string, days: readonly string[], ours: Ours): Promise<void> {
  const hugo = onPath('hugo');
  if (!hugo) {
    console.log('site: hugo is not installed (Debian package `hugo`); no race');
    return;
  }
  const versionText = spawnSync(hugo, ['version'], { encoding: 'utf8' }).stdout.trim();
  const m = /v(\d+)\.(\d+)/.exec(versionText);
  const minor = m ? Number(m[1]) * 1000 + Number(m[2]) : 0;
  const hugoRoot = join(dir, 'hugo');
  writeHugoSite(hugoRoot, days.map(syntheticDay), minor);
  // Each timed run writes into a folder of its own (see syncNow): ours, then Hugo's.
  const racePublic = (i: number) => join(dir, `race-public-${i}`);
  const hugoPublic = (i: number) => join(hugoRoot, `public-${i}`);
  const env = { ...process.env, HOTPAPERS_BASE_URL: BASE_URL };
  // Our side runs as the package does (compiled JavaScript, `bin: dist/cli/main.js`); tsx if the
  // compiler is not there.
  const compiled = ours.dist !== undefined;
  const ourCommand = ours.dist ? [join(ours.dist, 'cli', 'main.js')] : ['--import', 'tsx', MAIN];
  const oursRuns: Array<{ wallMs: number; peakMb?: number; cpuMs?: number }> = [];
  const hugoRuns: Array<{ wallMs: number; peakMb?: number; cpuMs?: number }> = [];
  for (let i = 0; i < RACE_RUNS; i++) {
    // Each run starts with no output folder, the previous run flushed; ours renders and writes everything (--full).
    syncNow();
    oursRuns.push(
      wholeProcess(
        process.execPath,
        [...ourCommand, 'site', '--full', '--quiet', '--out', racePublic(i), '--db', db],
        env,
      ),
    );
    syncNow();
    hugoRuns.push(wholeProcess(hugo, ['--quiet', '-s', hugoRoot, '-d', hugoPublic(i)]));
  }
  const a = median(oursRuns.map((r) => r.wallMs));
  const b = median(hugoRuns.map((r) => r.wallMs));
  const peak = (runs: Array<{ peakMb?: number }>) =>
    runs[0]?.peakMb === undefined ? 'n/a' : `${median(runs.map((r) => r.peakMb ?? 0)).toFixed(0)} MB`;
  const cpu = (runs: Array<{ cpuMs?: number }>) =>
    runs[0]?.cpuMs === undefined ? 'n/a' : s1(median(runs.map((r) => r.cpuMs ?? 0)));
  const ourFiles = countFiles(racePublic(0));
  const hugoFiles = countFiles(hugoPublic(0));
  const rss = readFileSync(join(hugoPublic(0), 'index.xml'), 'utf8').split('<item>').length - 1;
  // Both sides make a search index of the papers (ours: assets/search/; Hugo's: one JSON file).
  const hugoIndex = join(hugoPublic(0), 'search-index.json');
  const hugoIndexed = existsSync(hugoIndex);
  const indexed = hugoIndexed
    ? `a search index of ${(JSON.parse(readFileSync(hugoIndex, 'utf8')) as unknown[]).length} papers (${(statSync(hugoIndex).size / 1e6).toFixed(1)} MB)`
    : 'NO search index (its template was not used)';
  console.log(
    `site: race at ${days.length} days, whole processes interleaved, median of ${RACE_RUNS}; each timed run of either tool writes into a new folder (none is deleted before the end), ${SYNC ? "after a `sync` (the previous run's writeback kept out of the timing)" : 'with no `sync` (SITE_BENCH_SYNC=0)'}:`,
  );
  console.log(
    `  hotpapers site --full (${compiled ? 'compiled JavaScript' : 'tsx'}, node start-up included): wall ${s1(a)}, CPU ${cpu(oursRuns)}, peak RSS ${peak(oursRuns)}; ${ourFiles.files} files, ${(ourFiles.bytes / 1e6).toFixed(1)} MB`,
  );
  console.log(
    `  ${versionText.split(' ').slice(0, 2).join(' ')} (minimal theme, no math, ${indexed}; feeds limited to ${FEED_ITEMS} items, its RSS has ${rss}): wall ${s1(b)}, CPU ${cpu(hugoRuns)}, peak RSS ${peak(hugoRuns)}; ${hugoFiles.files} files, ${(hugoFiles.bytes / 1e6).toFixed(1)} MB`,
  );
  const cpuRatio =
    oursRuns[0]?.cpuMs === undefined
      ? ''
      : `; CPU time: ${(median(oursRuns.map((r) => r.cpuMs ?? 0)) / median(hugoRuns.map((r) => r.cpuMs ?? 0))).toFixed(2)}`;
  console.log(`  hotpapers / hugo wall time: ${(a / b).toFixed(2)}${cpuRatio}`);
  reportGoal({
    part: 'site',
    goal: `\`site --full\` against Hugo, the same ${days.length} days, wall time (medians of ${RACE_RUNS} interleaved whole processes)`,
    target: '≤ 0.5×',
    figure: `${(a / b).toFixed(2)}× (${s1(a)} against ${s1(b)})${hugoIndexed ? '' : ', not the same pages: Hugo made no search index'}`,
    // Without its search index Hugo did less than our build: the race does not count.
    met: hugoIndexed && a / b <= 0.5,
  });
}
