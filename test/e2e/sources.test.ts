/**
 * End to end with several sources: the ranking follows the fused score, the HN/HF line
 * appears, Bluesky posts are embedded, and sources that fail do not sink the run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { blueskyPost, startBlueskyStandIn } from '../../src/standins/bluesky.js';
import { hfDailyItem, startHfStandIn } from '../../src/standins/hf.js';
import { hnStory, startHnStandIn } from '../../src/standins/hn.js';
import { closedPort, startStandIn } from '../../src/standins/server.js';
import { fakeLongTweet, fakeTweet, startXStandIn } from '../../src/standins/x.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';
const PASSWORD = 'app-pass-W0rd-xyz';

const paper = (n: number, title: string): StandInPaper => ({
  id: `2106.0000${n}`,
  version: 1,
  title,
  abstract: `About ${title}.`,
  authors: ['Ada Author', 'Bo Writer'],
  categories: ['cs.LG', 'stat.ML'],
  primary: 'cs.LG',
  published: `2021-06-08T0${n}:00:00Z`,
  updated: `2021-06-08T0${n}:00:00Z`,
});
const PAPERS = [paper(1, 'Alpha'), paper(2, 'Beta'), paper(3, 'Gamma')];
const abs = (n: number) => `https://arxiv.org/abs/2106.0000${n}`;

async function xStandIn() {
  const tweets = [
    fakeTweet({ id: '1001', authorId: '1', links: [abs(1)], likes: 60 }),
    fakeTweet({ id: '1002', authorId: '2', links: [abs(2)], likes: 30 }),
  ];
  const users = [
    { id: '1', username: 'alice', name: 'Alice' },
    { id: '2', username: 'bob', name: 'Bob' },
  ];
  return startXStandIn({ tweets, users }, { generateOembed: true, clock: () => Date.parse(NOW) });
}

describe('post with four sources', () => {
  it('ranks by the fused score, prints the HN/HF line and embeds Bluesky posts', async (t) => {
    const arxiv = await startStandIn(arxivApiHandler(PAPERS));
    const x = await xStandIn();
    const bsky = await startBlueskyStandIn({
      handle: 'reader.bsky.social',
      password: PASSWORD,
      posts: [
        blueskyPost({
          rkey: '3kabc',
          handle: 'carol.bsky.social',
          displayName: 'Carol',
          text: 'Beta is great',
          createdAt: '2021-06-09T10:00:00.000Z',
          link: abs(2),
          linkIn: 'external',
          likes: 45,
          reposts: 5,
        }),
      ],
    });
    const hn = await startHnStandIn({
      hits: [
        hnStory({
          id: 27000001,
          title: 'Gamma [pdf]',
          url: 'https://arxiv.org/pdf/2106.00003v1',
          author: 'dang',
          points: 70,
          comments: 5,
          createdAt: '2021-06-09T15:00:00Z',
        }),
      ],
    });
    const hf = await startHfStandIn({
      days: {
        '2021-06-10': [
          hfDailyItem({
            id: '2106.00003',
            title: 'Gamma',
            upvotes: 20,
            comments: 2,
            submittedAt: '2021-06-10T04:00:00.000Z',
          }),
        ],
      },
    });
    t.after(async () => {
      await Promise.all([arxiv.close(), x.close(), bsky.close(), hn.close(), hf.close()]);
    });
    const dir = mkdtempSync(join(tmpdir(), 'hp-sources-'));
    const result = await runCli(['post', '--date', DAY, '--out', dir], {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      BLUESKY_HANDLE: 'reader.bsky.social',
      BLUESKY_APP_PASSWORD: PASSWORD,
      BLUESKY_API_URL: bsky.apiUrl,
      BLUESKY_OEMBED_URL: bsky.oembedUrl,
      HN_API_URL: hn.apiUrl,
      HF_API_URL: hf.apiUrl,
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: join(dir, 'hp.db'),
      HOTPAPERS_RETRY_BASE_MS: '5',
    });
    assert.equal(result.code, 0, result.stderr);
    const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
    // Gamma: HN 70 + HF 20 = 90; Beta: X 30 + Bluesky 50 = 80; Alpha: X 60.
    assert.deepEqual(post.match(/^# \d+\. .*$/gm), ['# 1. Gamma', '# 2. Beta', '# 3. Alpha']);
    assert.match(
      post,
      /^- retweets: 0, favorites: 0 \(06\/10\/2021 12:00:00\)\n- hacker news: 70 points, 5 comments \| hugging face: 20 upvotes\n\n- links: \[abs\]\(https:\/\/arxiv\.org\/abs\/2106\.00003\)/m,
    );
    assert.match(
      post,
      /^- retweets: 5, favorites: 75 \(06\/10\/2021 12:00:00\)\n\n- links: \[abs\]\(https:\/\/arxiv\.org\/abs\/2106\.00002\)/m,
    );
    assert.match(post, /<blockquote class="bluesky-embed"[^>]*>[\s\S]*?<\/blockquote>/);
    assert.match(
      post,
      /<blockquote class="hn-card"><p><a href="https:\/\/news\.ycombinator\.com\/item\?id=27000001">Gamma \[pdf\]<\/a><\/p>&mdash; 70 points, 5 comments on Hacker News<\/blockquote>/,
    );
    assert.match(result.stderr, /bluesky: ok \(1 posts/);
    assert.doesNotMatch(result.stderr + result.stdout, new RegExp(PASSWORD));

    const explain = await runCli(['explain', '--date', DAY, '2106.00002'], {
      HOTPAPERS_DB: join(dir, 'hp.db'),
    });
    assert.equal(explain.code, 0, explain.stderr);
    assert.match(explain.stdout, /score 80\b/);
    assert.match(explain.stdout, /^total: 80$/m);
    assert.match(explain.stdout, /bluesky @carol\.bsky\.social .*= 50 × 1 = 50/);
    assert.match(explain.stdout, /^hugging face: no paper page \(asked 2021-06-10T12:00:00\.000Z\)$/m);

    // Every ranked paper was looked up on HF's paper pages: Gamma is there, the others are not.
    assert.equal(hf.requests.filter((r) => r.path.startsWith('/api/papers/')).length, 3);
    const json = await runCli(['explain', '--date', DAY, '2106.00003', '--json'], {
      HOTPAPERS_DB: join(dir, 'hp.db'),
    });
    assert.equal(json.code, 0, json.stderr);
    const explained = JSON.parse(json.stdout) as { total: number; enrichment?: Record<string, unknown> };
    assert.equal(explained.total, 90);
    assert.deepEqual(explained.enrichment, {
      paperId: '2106.00003',
      status: 'ok',
      aiSummary: 'One-sentence summary.',
      aiKeywords: ['keyword'],
      thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2106.00003.png',
      fetchedAt: '2021-06-10T12:00:00.000Z',
    });
  });

  it('a long X post whose only arXiv link is past the 280-character cut ranks its paper', async (t) => {
    const arxiv = await startStandIn(arxivApiHandler(PAPERS));
    const long = fakeLongTweet({
      id: '2001',
      authorId: '1',
      prose: `A thread-length take on Beta. ${'It is careful, it is clear, and the ablations answer every question I had. '.repeat(4)}Read it:`,
      links: [abs(2)],
      likes: 70,
      reposts: 4,
      createdAt: '2021-06-09T09:00:00.000Z',
    });
    const x = await startXStandIn(
      { tweets: [long], users: [{ id: '1', username: 'alice', name: 'Alice' }] },
      { generateOembed: true, clock: () => Date.parse(NOW) },
    );
    t.after(async () => {
      await Promise.all([arxiv.close(), x.close()]);
    });
    const dir = mkdtempSync(join(tmpdir(), 'hp-sources-'));
    const result = await runCli(['post', '--date', DAY, '--out', dir], {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      HOTPAPERS_SOURCES: 'x',
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: join(dir, 'hp.db'),
    });
    assert.equal(result.code, 0, result.stderr);
    const search = x.requests.find((r) => r.path.endsWith('/tweets/search/recent'))!;
    assert.match(search.query.get('tweet.fields') ?? '', /(^|,)note_tweet(,|$)/);
    const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
    assert.deepEqual(post.match(/^# \d+\. .*$/gm), ['# 1. Beta']);
    assert.match(post, /^- retweets: 4, favorites: 70 /m);
  });

  it('with X working and Bluesky, HN and HF unreachable, still writes the post and exits 0', async (t) => {
    const arxiv = await startStandIn(arxivApiHandler(PAPERS));
    const x = await xStandIn();
    t.after(async () => {
      await Promise.all([arxiv.close(), x.close()]);
    });
    const closed = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'hp-sources-'));
    const result = await runCli(['post', '--date', DAY, '--out', dir], {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      BLUESKY_HANDLE: 'reader.bsky.social',
      BLUESKY_APP_PASSWORD: PASSWORD,
      BLUESKY_API_URL: `${closed}/xrpc`,
      HN_API_URL: `${closed}/api/v1`,
      HF_API_URL: `${closed}/api`,
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: join(dir, 'hp.db'),
      HOTPAPERS_RETRY_BASE_MS: '5',
    });
    assert.equal(result.code, 0, result.stderr);
    const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
    assert.deepEqual(post.match(/^# \d+\. .*$/gm), ['# 1. Alpha']);
    for (const source of ['bluesky', 'hn', 'hf']) {
      assert.match(
        result.stderr,
        new RegExp(
          `^warn: ${source}: failed \\(${source}: cannot connect to 127\\.0\\.0\\.1:\\d+ \\(connection refused\\)`,
          'm',
        ),
      );
      assert.match(result.stderr, new RegExp(`^  ${source}: FAILED — ${source}: cannot connect`, 'm'));
    }
    // X bills each post it returns: the summary says how many; the free sources have no such figure.
    assert.match(result.stderr, /^ {2}x: ok \(2 posts, \d+ requests, 2 posts read \(billed\)\)$/m);
    assert.doesNotMatch(result.stderr, /^ {2}(bluesky|hn|hf): .*read/m);
    assert.doesNotMatch(result.stderr + result.stdout, new RegExp(PASSWORD));

    const strict = await runCli(['post', '--date', DAY, '--out', dir, '--strict'], {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      HOTPAPERS_SOURCES: 'x,hn',
      HN_API_URL: `${closed}/api/v1`,
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: join(dir, 'hp.db'),
      HOTPAPERS_RETRY_BASE_MS: '5',
    });
    assert.equal(strict.code, 1, '--strict fails the run when a source failed');

    // status adds up what the two runs read from X (each: 2 posts, 2 authors) and what X bills for it.
    const status = await runCli(['status', '--json'], {
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: join(dir, 'hp.db'),
    });
    assert.equal(status.code, 0, status.stderr);
    const report = JSON.parse(status.stdout) as { xReads: Record<string, unknown> };
    assert.deepEqual(
      { ...report.xReads, since: undefined },
      { days: 30, since: undefined, runs: 2, posts: 4, users: 4, dollars: 0.02, userDollars: 0.04 },
    );
    const human = await runCli(['status'], { HOTPAPERS_NOW: NOW, HOTPAPERS_DB: join(dir, 'hp.db') });
    assert.match(
      human.stdout,
      /^x, last 30 days: 4 posts read by 2 runs, at most \$0\.02 at \$0\.005 a post; 4 users returned with them, \$0\.04 more if X bills them at \$0\.01$/m,
    );
  });
  it("a run that fails after the sources ran still records X's billed reads", async (t) => {
    const arxiv = await startStandIn(arxivApiHandler(PAPERS));
    const x = await xStandIn();
    t.after(async () => {
      await Promise.all([arxiv.close(), x.close()]);
    });
    const dir = mkdtempSync(join(tmpdir(), 'hp-sources-'));
    // The post's folder is a file: the write at the end fails, after X was read.
    const notAFolder = join(dir, 'posts');
    writeFileSync(notAFolder, '');
    const env = { HOTPAPERS_NOW: NOW, HOTPAPERS_DB: join(dir, 'hp.db') };
    const result = await runCli(['post', '--date', DAY, '--out', notAFolder], {
      ...env,
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      HOTPAPERS_SOURCES: 'x',
    });
    assert.equal(result.code, 1, result.stderr);
    const status = await runCli(['status', '--json'], env);
    const report = JSON.parse(status.stdout) as {
      runs: Array<{ status: string }>;
      xReads: { runs: number; posts: number; users: number };
    };
    assert.equal(report.runs[0]!.status, 'failed');
    assert.deepEqual(
      { runs: report.xReads.runs, posts: report.xReads.posts, users: report.xReads.users },
      { runs: 1, posts: 2, users: 2 },
    );
  });
});
