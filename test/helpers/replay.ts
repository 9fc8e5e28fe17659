/**
 * Stand-ins replaying a seed post: the arXiv API serves its papers (plus quiet papers nobody
 * posted about) inside the mailing's submission window, X search serves posts whose counts add
 * up to the seed's totals, and oEmbed serves the seed's embed html. Only DESIGN §3 variables
 * point hotpapers at them, as the outside held-out check does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { submissionWindow } from '../../src/arxiv/schedule.js';
import { seedReplayData } from '../../src/demo/replay-data.js';
import { parseSeedPost, type SeedDay, type SeedPost, seedToDay } from '../../src/demo/seed.js';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { type StandIn, startStandIn } from '../../src/standins/server.js';
import { startXStandIn, type XStandIn, type XStandInOptions } from '../../src/standins/x.js';

export const SEED_DIR = join(import.meta.dirname, '..', 'fixtures', 'seed');

export interface Replay {
  seed: SeedPost;
  day: SeedDay;
  arxiv: StandIn;
  x: XStandIn;
  /** The DESIGN §3 environment pointing at the stand-ins. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Start stand-ins replaying `file` from test/fixtures/seed. */
export async function startSeedReplay(file: string, xOptions: XStandInOptions = {}): Promise<Replay> {
  const seed = parseSeedPost(readFileSync(join(SEED_DIR, file), 'utf8'));
  const day = seedToDay(seed, { method: 'api' });
  const data = seedReplayData(seed);
  const window = submissionWindow(seed.day);
  // Quiet papers of the same mailing: listed by arXiv, never posted about, never ranked.
  const quiet: StandInPaper[] = [1, 2, 3].map((n) => {
    const at = new Date(window.start.getTime() + n * 3_600_000).toISOString();
    return {
      id: `${data.papers[0]!.id.slice(0, 4)}.9999${n}`,
      version: 1,
      title: `A quiet paper ${n}`,
      abstract: 'Nobody posted about this one.',
      authors: ['Q. Author'],
      categories: ['cs.LG'],
      primary: 'cs.LG',
      published: at,
      updated: at,
    };
  });
  const now = Date.parse(seed.observedAt);
  const arxiv = await startStandIn(arxivApiHandler([...data.papers, ...quiet]));
  const x = await startXStandIn(
    { tweets: data.tweets, users: data.users, oembed: data.oembed },
    { clock: () => now, ...xOptions },
  );
  const env = {
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    X_BEARER_TOKEN: x.token,
    X_API_URL: x.apiUrl,
    X_OEMBED_URL: x.oembedUrl,
    HOTPAPERS_SOURCES: 'x',
    HOTPAPERS_NOW: seed.observedAt,
    HOTPAPERS_RETRY_BASE_MS: '5',
  };
  return {
    seed,
    day,
    arxiv,
    x,
    env,
    close: async () => void (await Promise.all([arxiv.close(), x.close()])),
  };
}

/**
 * Normalise exactly what DESIGN §7 allows to differ: the front-matter date, the per-paper
 * timestamps and whitespace inside titles — plus whitespace inside abstracts, which DESIGN §7
 * requires us to collapse and which the seed printed raw.
 */
export function normaliseAllowed(markdown: string): string {
  const end = markdown.indexOf('\n---\n', 4);
  const head = markdown.slice(0, end).replace(/^date: .*$/m, 'date: <DATE>');
  const body = markdown
    .slice(end)
    .replace(/^(- retweets: \d+, favorites: \d+ )\(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}\)$/gm, '$1(<TS>)')
    .replace(/^(# \d+\. )(.*)$/gm, (_m, a: string, t: string) => `${a}${t.replace(/\s+/g, ' ').trim()}`)
    .replace(/^(?!<|# |- |\s*$)(.*)$/gm, (line: string) => line.replace(/\s+/g, ' ').trim())
    // The oldest seed has one more blank line after the front matter than the later ones.
    .replace(/^\n---\n\n+#/, '\n---\n\n#');
  return head + body;
}
