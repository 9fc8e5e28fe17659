/**
 * X search bench (DESIGN §9): requests and wall time to collect a synthetic day's posts from
 * the X stand-in, for our batched `(url:"A" OR url:"B" …)` queries and for the old system's
 * one search per paper. The stand-in adds 50 ms per request; the X lane runs one request at
 * a time for both strategies, so the figures compare like with like.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { configSchema } from '../src/config/schema.js';
import { HttpClient } from '../src/http/client.js';
import type { SourceContext } from '../src/sources/source.js';
import { createXSource, type XSourceOptions } from '../src/sources/x.js';
import type { XTweet, XUser } from '../src/sources/x-query.js';
import { seededRandom } from '../src/standins/random.js';
import { fakeTweet, startXStandIn, type XStandIn } from '../src/standins/x.js';
import type { Paper } from '../src/types.js';
import { silentLogger } from '../src/util/log.js';
import { reportGoal } from './goals.js';

const DELAY_MS = 50;
const DAY_MS = 24 * 3600 * 1000;

function syntheticPaper(id: string): Paper {
  return {
    id,
    version: 1,
    title: `Synthetic paper ${id}`,
    abstract: 'A synthetic abstract.',
    authors: ['A. Author'],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    announceType: 'new',
    method: 'rss',
  };
}

/**
 * A day of `paperCount` papers and `postCount` posts: attention is skewed (a few papers get
 * most posts, many get none), links take the usual shapes, and one post in twenty links two
 * papers.
 */
function syntheticDay(paperCount: number, postCount: number, announcedAt: Date, now: Date) {
  const random = seededRandom(20210609);
  const ids = Array.from({ length: paperCount }, (_, i) => `2609.${String(10000 + i).padStart(5, '0')}`);
  const users: XUser[] = Array.from({ length: 500 }, (_, i) => ({
    id: String(1000 + i),
    username: `user${i}`,
    name: `User ${i}`,
  }));
  const shapes = [
    (id: string) => `https://arxiv.org/abs/${id}`,
    (id: string) => `https://arxiv.org/pdf/${id}.pdf`,
    (id: string) => `https://arxiv.org/abs/${id}v2`,
    (id: string) => `https://www.alphaxiv.org/abs/${id}`,
  ];
  const pick = () => ids[Math.floor(paperCount * random() ** 2.5)]!;
  const span = now.getTime() - announcedAt.getTime() - 60_000;
  const tweets: XTweet[] = Array.from({ length: postCount }, (_, i) => {
    const linked = random() < 0.05 ? [pick(), pick()] : [pick()];
    return fakeTweet({
      id: String(1_400_000_000_000_000_000n + BigInt(i)),
      authorId: users[Math.floor(random() * users.length)]!.id,
      links: linked.map((id) => shapes[Math.floor(random() * shapes.length)]!(id)),
      createdAt: new Date(announcedAt.getTime() + 1000 + Math.floor(random() * span)).toISOString(),
      reposts: Math.floor(random() * 20),
      likes: Math.floor(random() * 200),
    });
  });
  return { papers: ids.map(syntheticPaper), tweets, users };
}

interface Outcome {
  queries: number;
  requests: number;
  postsRead: number;
  posts: number;
  wallMs: number;
}

async function runStrategy(
  server: XStandIn,
  papers: Paper[],
  announcedAt: Date,
  now: Date,
  options: XSourceOptions,
): Promise<Outcome> {
  // One request at a time on the X search lane, for both strategies.
  const http = new HttpClient({
    retryBaseMs: 5,
    lanes: { 'x-search-recent': { minIntervalMs: 0, concurrency: 1 } },
  });
  const config = configSchema.parse({
    xBearerToken: server.token,
    xApiUrl: server.apiUrl,
    xOembedUrl: server.oembedUrl,
    maxXReads: 1_000_000,
  });
  const ctx: SourceContext = { http, config, now, day: 'synthetic', announcedAt, log: silentLogger };
  const source = createXSource({ ...options, clock: () => now });
  const started = performance.now();
  const result = await source.collect(papers, ctx);
  const wallMs = performance.now() - started;
  return {
    queries: source.stats.queries,
    requests: http.totalRequests(),
    postsRead: source.stats.postsRead,
    posts: result.posts.length,
    wallMs,
  };
}

function line(label: string, o: Outcome): string {
  return `  ${label.padEnd(34)} ${String(o.queries).padStart(5)} queries ${String(o.requests).padStart(5)} requests ${String(o.postsRead).padStart(6)} posts read   wall ${(o.wallMs / 1000).toFixed(2)} s`;
}

const oldStrategy = (ids: string[]) => ids.map((id) => `url:"${id}" -is:retweet`);

/** Print requests and wall time of batched vs one-search-per-paper X collection on the stand-in. */
export async function benchXSearch(): Promise<void> {
  const now = new Date();
  const announcedAt = new Date(now.getTime() - DAY_MS);

  const day = syntheticDay(1000, 5000, announcedAt, now);
  const server = await startXStandIn({ tweets: day.tweets, users: day.users }, { delayMs: DELAY_MS });
  try {
    console.log(
      `x search: ${day.papers.length} papers, ${day.tweets.length} posts; stand-in adds ${DELAY_MS} ms per request; one request at a time`,
    );
    const batched = await runStrategy(server, day.papers, announcedAt, now, {});
    console.log(line('batched (OR within 512 chars):', batched));
    const old = await runStrategy(server, day.papers, announcedAt, now, { queries: oldStrategy });
    console.log(line('old (one search per paper):', old));
    console.log(
      `  batched makes ${(old.requests / batched.requests).toFixed(1)}× fewer requests and is ${(old.wallMs / batched.wallMs).toFixed(1)}× faster; posts read ${batched.postsRead} vs ${old.postsRead}`,
    );
  } finally {
    await server.close();
  }

  // DESIGN §9's budget is stated "when posts are few": requests ≤ ⌈papers / 20⌉.
  const quiet = syntheticDay(1000, 300, announcedAt, now);
  const quietServer = await startXStandIn(
    { tweets: quiet.tweets, users: quiet.users },
    { delayMs: DELAY_MS },
  );
  try {
    const few = await runStrategy(quietServer, quiet.papers, announcedAt, now, {});
    const budget = Math.ceil(quiet.papers.length / 20);
    console.log(line(`few posts (${quiet.tweets.length}), batched:`, few));
    reportGoal({
      part: 'x',
      goal: `X search requests for a day of ${quiet.papers.length} papers with few posts (${quiet.tweets.length})`,
      target: `≤ ⌈${quiet.papers.length}/20⌉ = ${budget}`,
      figure: String(few.requests),
      met: few.requests <= budget,
    });
  } finally {
    await quietServer.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchXSearch();
