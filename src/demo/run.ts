/**
 * The offline demo: serves the bundled 2021-06-09 day (arXiv Atom, X search JSON, oEmbed JSON,
 * recorded in demo/) from loopback stand-ins and runs the whole `post` pipeline against them
 * with HOTPAPERS_NOW=2021-06-10T18:07:48Z. No network, no keys.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseApiFeed } from '../arxiv/atom.js';
import { loadConfig } from '../config/load.js';
import { type PostRunResult, runPost } from '../pipeline/post.js';
import { arxivApiHandler, type StandInPaper } from '../standins/arxiv.js';
import { startStandIn } from '../standins/server.js';
import { startXStandIn, type XStandInData } from '../standins/x.js';
import type { Logger } from '../util/log.js';
import { DEMO_DAY, DEMO_NOW } from './day.js';

export { DEMO_DAY, DEMO_NOW };

/** Folder of the bundled demo data (works from src/ under tsx and from dist/). */
export function demoDataDir(): string {
  return fileURLToPath(new URL(`../../demo/${DEMO_DAY}/`, import.meta.url));
}

/** The recorded day as plain data for the stand-ins. */
export function loadDemoData(dir = demoDataDir()): { papers: StandInPaper[]; x: XStandInData } {
  const page = parseApiFeed(readFileSync(join(dir, 'arxiv-api.xml'), 'utf8'));
  const papers: StandInPaper[] = page.entries.map((e) => ({
    id: e.id,
    version: e.version,
    title: e.title,
    abstract: e.abstract,
    authors: e.authors,
    categories: e.categories,
    primary: e.primaryCategory,
    published: e.published ?? `${DEMO_DAY}T00:00:00Z`,
    updated: e.updated ?? e.published ?? `${DEMO_DAY}T00:00:00Z`,
  }));
  const search = JSON.parse(readFileSync(join(dir, 'x-search.json'), 'utf8')) as {
    data: XStandInData['tweets'];
    includes: { users: XStandInData['users'] };
  };
  const oembed: Record<string, string> = {};
  for (const name of readdirSync(join(dir, 'oembed'))) {
    const body = JSON.parse(readFileSync(join(dir, 'oembed', name), 'utf8')) as { html: string };
    oembed[name.replace(/\.json$/, '')] = body.html;
  }
  return { papers, x: { tweets: search.data, users: search.includes.users, oembed } };
}

export interface DemoOptions {
  /** Where the post goes (default content/posts). */
  outDir?: string;
  /** The store (default HOTPAPERS_DB, else ./hotpapers.db). */
  db?: string;
  log: Logger;
}

/** Run the demo day end to end; resolves to the pipeline's result (the post path among it). */
export async function runDemo(options: DemoOptions): Promise<PostRunResult> {
  const data = loadDemoData();
  const token = 'demo-token';
  const now = Date.parse(DEMO_NOW);
  const arxiv = await startStandIn(arxivApiHandler(data.papers));
  const x = await startXStandIn(data.x, { token, clock: () => now });
  // An empty folder as cwd: the user's hotpapers.config.json must not change the demo's output.
  const cwd = mkdtempSync(join(tmpdir(), 'hotpapers-demo-'));
  try {
    const config = loadConfig({
      cwd,
      env: {
        ARXIV_API_URL: `${arxiv.url}/api/query`,
        ARXIV_LISTING: 'api',
        ARXIV_DELAY_MS: '0',
        X_BEARER_TOKEN: token,
        X_API_URL: x.apiUrl,
        X_OEMBED_URL: x.oembedUrl,
        HOTPAPERS_SOURCES: 'x',
        HOTPAPERS_NOW: DEMO_NOW,
        HOTPAPERS_DB: options.db ?? process.env.HOTPAPERS_DB ?? './hotpapers.db',
        HOTPAPERS_RETRY_BASE_MS: '50',
      },
      flags: { outDir: options.outDir },
    });
    options.log.info(`demo: replaying ${DEMO_DAY} from loopback stand-ins (arXiv ${arxiv.url}, X ${x.url})`);
    return await runPost({ config, day: DEMO_DAY, log: options.log, refresh: true, runAs: 'demo' });
  } finally {
    await Promise.all([arxiv.close(), x.close()]);
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** What to do after the demo: build the site from the same store, then preview it (one line). */
export function nextStepLine(db?: string): string {
  const store = db ? ` --db ${shellWord(db)}` : '';
  return `next: npx hotpapers site${store}, then npx hotpapers serve${store} (open the printed URL)`;
}

/** A path as one shell word (quoted when it holds anything but safe characters). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}
