/**
 * Deadlines (issue 11, defect 4): the embed stage gives up on a provider after a few failures
 * in a row and stops at its overall deadline; a source stops at its own deadline. What is cut
 * short is reported, and the post is still written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { startStandIn } from '../../src/standins/server.js';
import { fakeTweet, startXStandIn } from '../../src/standins/x.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';
const N = 6;

const PAPERS: StandInPaper[] = Array.from({ length: N }, (_, i) => ({
  id: `2106.0000${i + 1}`,
  version: 1,
  title: `Paper ${i + 1}`,
  abstract: 'About it.',
  authors: ['Ada Author'],
  categories: ['cs.LG'],
  primary: 'cs.LG',
  published: `2021-06-08T0${i + 1}:00:00Z`,
  updated: `2021-06-08T0${i + 1}:00:00Z`,
}));

async function standIns(t: { after(fn: () => unknown): void }) {
  const arxiv = await startStandIn(arxivApiHandler(PAPERS));
  const x = await startXStandIn(
    {
      tweets: PAPERS.map((p, i) =>
        fakeTweet({ id: `10${i}`, authorId: '1', links: [`https://arxiv.org/abs/${p.id}`], likes: 60 }),
      ),
      users: [{ id: '1', username: 'alice', name: 'Alice' }],
    },
    { clock: () => Date.parse(NOW) },
  );
  t.after(() => Promise.all([arxiv.close(), x.close()]));
  return { arxiv, x };
}

function baseEnv(arxivUrl: string, x: { token: string; apiUrl: string }, dir: string) {
  return {
    ARXIV_API_URL: `${arxivUrl}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    X_BEARER_TOKEN: x.token,
    X_API_URL: x.apiUrl,
    HOTPAPERS_NOW: NOW,
    HOTPAPERS_DB: join(dir, 'hp.db'),
    HOTPAPERS_RETRY_BASE_MS: '5',
  };
}

describe('deadlines', () => {
  it('the embed stage stops asking a provider after 3 failures in a row; the post is written', async (t) => {
    const { arxiv, x } = await standIns(t);
    const oembed = await startStandIn(() => ({ status: 500, body: 'down' }));
    t.after(() => oembed.close());
    const dir = mkdtempSync(join(tmpdir(), 'hp-deadline-'));
    const result = await runCli(['post', '--date', DAY, '--out', dir], {
      ...baseEnv(arxiv.url, x, dir),
      HOTPAPERS_SOURCES: 'x',
      X_OEMBED_URL: `${oembed.url}/oembed`,
      HOTPAPERS_HTTP_ATTEMPTS: '2',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(oembed.requests.length, 3 * 2, 'three posts tried (two attempts each), then no more');
    assert.match(result.stderr, /x: embeds: 3 embed requests in a row failed; 3 posts shown without embed/);
    const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
    assert.equal(post.match(/^# \d+\. /gm)?.length, N);
    // The run's health in the store says so too.
    const db = new Database(join(dir, 'hp.db'), { readonly: true });
    t.after(() => db.close());
    const health = (
      db.prepare('SELECT health FROM runs ORDER BY id DESC LIMIT 1').get() as { health: string }
    ).health;
    assert.match(health, /3 posts shown without embed/);
  });

  it('the embed stage and a source stop at their deadlines; the post is written', async (t) => {
    const { arxiv, x } = await standIns(t);
    // Each oEmbed answer takes 1.5 s against a 1 s stage deadline; HN never answers in time.
    const oembed = await startStandIn(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ html: '<blockquote class="twitter-tweet"><p>x</p></blockquote>' }),
      delayMs: 1500,
    }));
    const hn = await startStandIn(() => ({ status: 200, body: '{"hits":[]}', delayMs: 4000 }));
    t.after(() => Promise.all([oembed.close(), hn.close()]));
    const dir = mkdtempSync(join(tmpdir(), 'hp-deadline-'));
    const result = await runCli(['post', '--date', DAY, '--out', dir], {
      ...baseEnv(arxiv.url, x, dir),
      HOTPAPERS_SOURCES: 'x,hn',
      X_OEMBED_URL: `${oembed.url}/oembed`,
      HN_API_URL: `${hn.url}/api/v1`,
      HOTPAPERS_EMBED_DEADLINE_S: '1',
      HOTPAPERS_SOURCE_DEADLINE_S: '1',
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /hn: failed \(hn: the 1 s deadline of the hn source passed; gave up on GET/);
    assert.match(result.stderr, /x: embeds: the 1 s embed deadline passed; \d+ posts shown without embed/);
    assert.ok(oembed.requests.length < N, 'the stage stopped asking');
    const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
    assert.equal(post.match(/^# \d+\. /gm)?.length, N);
  });
});
