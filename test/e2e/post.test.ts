/**
 * End to end: `hotpapers post` in a child process against loopback stand-ins, configured only
 * through the DESIGN §3 variables, as the outside held-out check runs it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { startStandIn } from '../../src/standins/server.js';
import { fakeTweet, startXStandIn } from '../../src/standins/x.js';
import { lastLine, runCli } from '../helpers/cli.js';
import { normaliseAllowed, SEED_DIR, startSeedReplay } from '../helpers/replay.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'hp-e2e-'));
const SEEDS = readdirSync(SEED_DIR)
  .filter((f) => f.endsWith('---Hot-Papers.md'))
  .sort();

describe('post: replaying the seed posts through stand-ins', () => {
  for (const file of SEEDS) {
    it(`reproduces ${file} field for field`, async (t) => {
      const replay = await startSeedReplay(file);
      t.after(() => replay.close());
      const dir = tmp();
      const out = join(dir, 'posts');
      const result = await runCli(['post', '--date', replay.seed.day, '--out', out], {
        ...replay.env,
        HOTPAPERS_DB: join(dir, 'hp.db'),
      });
      assert.equal(result.code, 0, result.stderr);
      const path = join(out, file);
      assert.equal(result.stdout.trim(), path);
      const ours = readFileSync(path, 'utf8');
      const seed = readFileSync(join(SEED_DIR, file), 'utf8');
      assert.equal(normaliseAllowed(ours), normaliseAllowed(seed));
      // The clock's timestamp, in UTC, on every paper; a valid ISO date in the front matter.
      const stamp = new Date(replay.seed.observedAt);
      const mmddyyyy = `${String(stamp.getUTCMonth() + 1).padStart(2, '0')}/${String(stamp.getUTCDate()).padStart(2, '0')}/${stamp.getUTCFullYear()}`;
      assert.equal(ours.match(/^- retweets: .*$/gm)?.length, replay.seed.papers.length);
      for (const line of ours.match(/^- retweets: .*$/gm) ?? [])
        assert.ok(line.includes(`(${mmddyyyy} `), line);
      assert.match(ours, new RegExp(`^date: ${replay.seed.observedAt.replace(/\./g, '\\.')}$`, 'm'));
      // The token never reaches output or the store.
      assert.doesNotMatch(result.stderr + result.stdout, new RegExp(replay.x.token));
    });
  }
});

describe('post: request budget and caching', () => {
  it('asks X at most ⌈64/20⌉ times for 64 papers, and a second run asks oEmbed nothing', async (t) => {
    const day = '2021-06-09';
    const papers: StandInPaper[] = Array.from({ length: 64 }, (_, i) => ({
      id: `2106.${String(4000 + i).padStart(5, '0')}`,
      version: 1,
      title: `Paper ${i}`,
      abstract: `Abstract ${i}.`,
      authors: [`Author ${i}`],
      categories: ['cs.LG'],
      primary: 'cs.LG',
      published: new Date(Date.parse('2021-06-07T18:30:00Z') + i * 60_000).toISOString(),
      updated: new Date(Date.parse('2021-06-07T18:30:00Z') + i * 60_000).toISOString(),
    }));
    // A few posts each: every fourth paper gets one post big enough to be listed and shown.
    const tweets = papers.flatMap((p, i) => [
      fakeTweet({
        id: String(1_400_000 + i * 2),
        authorId: '1',
        links: [`https://arxiv.org/abs/${p.id}`],
        likes: i % 4 === 0 ? 60 : 3,
      }),
      fakeTweet({
        id: String(1_400_001 + i * 2),
        authorId: '2',
        links: [`https://arxiv.org/pdf/${p.id}v1.pdf`],
        reposts: 1,
      }),
    ]);
    const users = [
      { id: '1', username: 'alice', name: 'Alice' },
      { id: '2', username: 'bob', name: 'Bob' },
    ];
    const arxiv = await startStandIn(arxivApiHandler(papers));
    const now = Date.parse('2021-06-10T12:00:00Z');
    const x = await startXStandIn({ tweets, users }, { generateOembed: true, clock: () => now });
    t.after(async () => {
      await arxiv.close();
      await x.close();
    });
    const dir = tmp();
    const env = {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      X_BEARER_TOKEN: x.token,
      X_API_URL: x.apiUrl,
      X_OEMBED_URL: x.oembedUrl,
      HOTPAPERS_SOURCES: 'x',
      HOTPAPERS_NOW: '2021-06-10T12:00:00Z',
      HOTPAPERS_DB: join(dir, 'hp.db'),
    };
    const first = await runCli(['post', '--date', day, '--out', dir], env);
    assert.equal(first.code, 0, first.stderr);
    const searches = () => x.requests.filter((r) => r.path.includes('/tweets/search/')).length;
    const oembeds = () => x.requests.filter((r) => r.path === '/oembed').length;
    assert.ok(searches() <= Math.ceil(64 / 20), `${searches()} searches`);
    assert.equal(oembeds(), 16, 'one oEmbed per shown post');
    const post = readFileSync(join(dir, `${day}---Hot-Papers.md`), 'utf8');
    assert.equal(post.match(/^# \d+\. /gm)?.length, 16);

    const second = await runCli(['post', '--date', day, '--out', dir], env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(oembeds(), 16, 'the second run made no oEmbed request');
    assert.equal(readFileSync(join(dir, `${day}---Hot-Papers.md`), 'utf8'), post);
    const db = new Database(join(dir, 'hp.db'), { readonly: true });
    t.after(() => db.close());
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    assert.equal(n('SELECT count(*) AS n FROM posts'), 128);
    assert.equal(
      n('SELECT count(*) AS n FROM snapshots'),
      128,
      'same HOTPAPERS_NOW: the snapshot is replaced, not duplicated',
    );
    assert.equal(n('SELECT count(*) AS n FROM listings'), 64);
  });
});

describe('post: failures', () => {
  it('a wrong token exits non-zero, names X and 401 on the last line, writes no post, never prints the token', async (t) => {
    const replay = await startSeedReplay('2021-08-26---Hot-Papers.md');
    t.after(() => replay.close());
    const dir = tmp();
    const token = 'WRONG-TOKEN-s3cr3t';
    const result = await runCli(['post', '--date', replay.seed.day, '--out', dir], {
      ...replay.env,
      X_BEARER_TOKEN: token,
      HOTPAPERS_DB: join(dir, 'hp.db'),
    });
    assert.notEqual(result.code, 0);
    assert.match(
      lastLine(result.stderr),
      /^x: HTTP 401 Unauthorized for GET .* \(check X_BEARER_TOKEN\); no post written$/,
    );
    assert.doesNotMatch(result.stderr + result.stdout, /s3cr3t/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(dir, `${replay.seed.day}---Hot-Papers.md`)), false);
    const db = new Database(join(dir, 'hp.db'), { readonly: true });
    t.after(() => db.close());
    const dump = JSON.stringify(db.prepare('SELECT * FROM runs').all());
    assert.doesNotMatch(dump, /s3cr3t/);
  });

  it('malformed arXiv XML: a non-zero exit and a last stderr line naming arxiv', async (t) => {
    const arxiv = await startStandIn(() => ({
      status: 200,
      headers: { 'content-type': 'application/atom+xml' },
      body: '<feed><entry><id>oops',
    }));
    t.after(() => arxiv.close());
    const dir = tmp();
    const result = await runCli(['post', '--date', '2021-06-09', '--out', dir], {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      HOTPAPERS_SOURCES: 'hn',
      HN_API_URL: 'http://127.0.0.1:9/api/v1',
      HOTPAPERS_DB: join(dir, 'hp.db'),
      HOTPAPERS_NOW: '2021-06-10T12:00:00Z',
    });
    assert.notEqual(result.code, 0);
    assert.match(lastLine(result.stderr), /^arxiv: /);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
