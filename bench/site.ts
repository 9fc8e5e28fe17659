/**
 * DESIGN §9: building the website for 300 days (< 5 s, faster than Hugo on the same content,
 * < 300 MB). A synthetic archive of 300 days × 25 papers × 2 posts is written to a temporary
 * store; `hotpapers site` (load + build + atomic write) runs in its own process, so its time
 * and peak memory are its own. When `hugo` is on PATH, the same days and papers are written as
 * Markdown with a minimal theme and `hugo --quiet` is timed on them; the ratio is printed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateSiteToDir } from '../src/site/generate.js';
import { seededRandom } from '../src/standins/random.js';
import { openStore } from '../src/store/db.js';
import type { DayDigest, Paper, RankedPaper, ScoredPost, SourceId } from '../src/types.js';

const DAYS = 300;
const PAPERS_PER_DAY = 25;
const POSTS_PER_PAPER = 2;
const RUNS = 3;

const WORDS =
  'learning neural network graph transformer attention diffusion model language robust efficient scalable sparse optimal bayesian inference reinforcement policy vision segmentation contrastive representation federated privacy causal kernel gradient descent convergence generalization benchmark dataset retrieval reasoning'.split(
    ' ',
  );
const CATS = [
  'cs.LG',
  'cs.CL',
  'cs.CV',
  'cs.AI',
  'stat.ML',
  'cs.RO',
  'cs.CR',
  'cs.IR',
  'cs.NE',
  'cs.DS',
  'cs.SE',
  'cs.HC',
];

/** Mailing days (Mon–Fri) going back from 2021-08-27. */
function mailingDays(n: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(2021, 7, 27));
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return out;
}

/** The synthetic archive as digests (what the pipeline stores). */
export function syntheticArchive(): DayDigest[] {
  const rnd = seededRandom(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  return mailingDays(DAYS).map((day, d) => {
    const observedAt = `${day}T18:00:00.000Z`;
    const papers: RankedPaper[] = Array.from({ length: PAPERS_PER_DAY }, (_, i) => {
      const id = `${day.slice(2, 4)}${day.slice(5, 7)}.${String(d * 100 + i).padStart(5, '0')}`;
      const math = i % 10 === 0;
      const cats = [pick(CATS), pick(CATS)].filter((c, k, all) => all.indexOf(c) === k);
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
  });
}

/** Write the archive into a fresh store, with posts, links and two snapshots per post. */
function writeStore(path: string, digests: readonly DayDigest[]): void {
  const db = openStore(path);
  const post =
    db.prepare(`INSERT INTO posts (source, id, author_handle, author_name, url, text, created_at, links, first_seen, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`);
  const link = db.prepare('INSERT INTO post_papers (source, post_id, paper_id) VALUES (?, ?, ?)');
  const snap = db.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)');
  const digest = db.prepare(
    "INSERT INTO digests (day, categories, horizon, observed_at, digest, written_at) VALUES (?, 'cs,stat.ML', '', ?, ?, ?)",
  );
  db.transaction(() => {
    for (const d of digests) {
      for (const r of d.papers) {
        for (const p of r.posts) {
          post.run(
            p.source,
            p.id,
            p.authorHandle ?? null,
            p.authorName ?? null,
            p.url,
            p.text,
            p.createdAt ?? null,
            d.observedAt,
            d.observedAt,
          );
          link.run(p.source, p.id, r.paper.id);
          const m = p.metrics;
          snap.run(p.source, p.id, `${d.day}T06:00:00.000Z`, m.reposts >> 1, m.likes >> 1, 0, 0);
          snap.run(p.source, p.id, d.observedAt, m.reposts, m.likes, m.replies, m.quotes);
        }
      }
      digest.run(d.day, d.observedAt, JSON.stringify(d), d.observedAt);
    }
  })();
  db.close();
}

const yaml = (s: string) => JSON.stringify(s);

/** The same days and papers as Hugo content with a minimal theme (pages, taxonomy, RSS). */
function writeHugoSite(root: string, digests: readonly DayDigest[]): void {
  const file = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  file(
    'hugo.toml',
    [
      "baseURL = 'https://example.org/'",
      "title = 'Hot Papers'",
      'paginate = 10',
      'disableKinds = ["sitemap", "robotsTXT"]',
      '[taxonomies]',
      "  category = 'categories'",
      '[outputs]',
      '  home = ["HTML", "RSS", "JSON"]',
      '  section = ["HTML", "RSS"]',
      '  taxonomy = ["HTML"]',
      '  term = ["HTML", "RSS"]',
      '[outputFormats.JSON]',
      "  baseName = 'feed'",
      '[markup.goldmark.renderer]',
      '  unsafe = false',
    ].join('\n'),
  );
  const base = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title><link rel="stylesheet" href="/site.css"></head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>`;
  file('layouts/_default/baseof.html', base);
  file(
    'layouts/_default/single.html',
    '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ with .Params.categories }}<ul>{{ range . }}<li><a href="{{ "/categories/" | relURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>{{ end }}{{ end }}',
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
        p.authors.join(', '),
        `[abs](https://arxiv.org/abs/${p.id}) | [pdf](https://arxiv.org/pdf/${p.id})`,
        '## Abstract',
        p.abstract,
        '## Score breakdown',
        `| Source | Posts | Score |\n|---|---|---|\n${r.posts.map((s) => `| ${s.source} | 1 | ${s.weighted} |`).join('\n')}`,
        `## Posts (${r.posts.length})`,
        ...r.posts.map(post),
      ].join('\n\n');
      file(
        `content/papers/${p.id}.md`,
        `---\ntitle: ${yaml(p.title)}\ndate: ${d.observedAt}\ncategories: ${JSON.stringify(p.categories)}\n---\n\n${page}\n`,
      );
    }
  }
}

function onPath(command: string): string | undefined {
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface BuildFigures {
  wallMs: number;
  cpuMs: number;
  /** Of which in the kernel (mostly creating the files). */
  sysMs: number;
  /** The whole child process, start-up (node + tsx compiling the sources) included. */
  processMs?: number;
  peakMb: number;
  files: number;
}

/** Print the site build figures and, when Hugo is installed, the comparison. */
export async function benchSite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-site-'));
  try {
    const digests = syntheticArchive();
    const db = join(dir, 'store.db');
    writeStore(db, digests);
    const runs: BuildFigures[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Each build starts from no output folder, as Hugo's runs below do.
      rmSync(join(dir, 'public'), { recursive: true, force: true });
      const spawned = performance.now();
      const child = spawnSync(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url), '--build', db, join(dir, 'public')],
        {
          encoding: 'utf8',
        },
      );
      if (child.status !== 0) throw new Error(`site build failed: ${child.stderr}`);
      runs.push({ ...(JSON.parse(child.stdout) as BuildFigures), processMs: performance.now() - spawned });
    }
    const ours = median(runs.map((r) => r.wallMs));
    const out = countFiles(join(dir, 'public'));
    console.log(
      `site: synthetic archive of ${DAYS} days × ${PAPERS_PER_DAY} papers × ${POSTS_PER_PAPER} posts`,
    );
    console.log(
      `site: hotpapers site (load + build + atomic write), median of ${RUNS} runs, each in its own process:`,
    );
    console.log(
      `  wall ${(ours / 1000).toFixed(2)} s, CPU ${(median(runs.map((r) => r.cpuMs)) / 1000).toFixed(2)} s (${(median(runs.map((r) => r.sysMs)) / 1000).toFixed(2)} s in the kernel), peak RSS ${median(runs.map((r) => r.peakMb)).toFixed(0)} MB; ${out.files} files, ${(out.bytes / 1e6).toFixed(1)} MB (budget: < 5 s, < 300 MB)`,
    );

    console.log(
      `  (whole process with node start-up and tsx compiling the TypeScript: ${(median(runs.map((r) => r.processMs ?? 0)) / 1000).toFixed(2)} s)`,
    );

    const hugo = onPath('hugo');
    if (!hugo) {
      console.log('site: hugo is not installed (Debian package `hugo`); no comparison');
      return;
    }
    const version = spawnSync(hugo, ['version'], { encoding: 'utf8' })
      .stdout.trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    const hugoRoot = join(dir, 'hugo');
    writeHugoSite(hugoRoot, digests);
    const timeBin = onPath('time');
    const hugoRuns: Array<{ wallMs: number; peakMb?: number }> = [];
    for (let i = 0; i < RUNS; i++) {
      rmSync(join(hugoRoot, 'public'), { recursive: true, force: true });
      const args = ['--quiet', '-s', hugoRoot, '-d', join(hugoRoot, 'public')];
      const started = performance.now();
      const run = timeBin
        ? spawnSync(timeBin, ['-f', '%M', hugo, ...args], { encoding: 'utf8' })
        : spawnSync(hugo, args, { encoding: 'utf8' });
      const wallMs = performance.now() - started;
      if (run.status !== 0) throw new Error(`hugo failed: ${run.stderr}`);
      const kb = timeBin ? Number(run.stderr.trim().split('\n').pop()) : Number.NaN;
      hugoRuns.push({ wallMs, peakMb: Number.isFinite(kb) ? kb / 1024 : undefined });
    }
    const theirs = median(hugoRuns.map((r) => r.wallMs));
    const hugoOut = countFiles(join(hugoRoot, 'public'));
    const hugoPeak =
      hugoRuns[0]?.peakMb === undefined
        ? 'n/a'
        : `${median(hugoRuns.map((r) => r.peakMb ?? 0)).toFixed(0)} MB`;
    console.log(
      `site: ${version} on the same days and papers as Markdown (minimal theme; no math typesetting), median of ${RUNS}:`,
    );
    console.log(
      `  wall ${(theirs / 1000).toFixed(2)} s (whole process), peak RSS ${hugoPeak}; ${hugoOut.files} files, ${(hugoOut.bytes / 1e6).toFixed(1)} MB`,
    );
    console.log(
      `site: hotpapers / hugo wall time ratio ${(ours / theirs).toFixed(2)} (hotpapers is ${(theirs / ours).toFixed(1)}× as fast)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Child mode: one timed build of the store into the folder, figures as JSON on stdout.
if (
  process.argv[2] === '--build' &&
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href
) {
  const [db, out] = [process.argv[3]!, process.argv[4]!];
  const started = performance.now();
  const cpu = process.cpuUsage();
  // As `hotpapers site` does it: pages stream into a temporary folder swapped in at the end.
  const { written } = await generateSiteToDir({ db, baseUrl: 'https://example.org/' }, out);
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    JSON.stringify({
      wallMs: performance.now() - started,
      cpuMs: (used.user + used.system) / 1000,
      sysMs: used.system / 1000,
      peakMb: process.resourceUsage().maxRSS / 1024,
      files: written.files,
    }),
  );
}
