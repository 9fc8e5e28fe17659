/**
 * Hugging Face `daily_papers` (2026 shape) and `papers/{id}`, contract fixtures
 * (test/fixtures/contracts/README.md names the docs): the real parsers read them, and the
 * stand-in answers in no other shape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePaperPage } from '../../src/enrich/hf-papers.js';
import { type HfDailyItem, parseDailyPapers } from '../../src/sources/hf.js';
import { hfDailyItem, startHfStandIn } from '../../src/standins/hf.js';
import { contractJson, undocumented } from './shape.js';

const DAILY = contractJson<HfDailyItem[]>('hf/daily-papers-2026.json');
const PAPER = contractJson('hf/paper-2611.01234.json');

test('HF contract - daily_papers 2026: Daily Papers time, handle from submittedOnDailyBy.user', () => {
  const posts = parseDailyPapers(DAILY, '2026-11-25', 'GET huggingface.co/api/daily_papers');
  assert.deepEqual(
    posts.map((p) => [p.id, p.createdAt, p.authorHandle, p.authorName, p.metrics.likes, p.metrics.replies]),
    [
      ['2611.01234', '2026-11-25T04:12:33.000Z', 'akhaliq', 'AK', 57, 3],
      ['2611.01300', '2026-11-25T06:40:00.000Z', 'someone', 'Some One', 4, 0],
    ],
  );
  // Not the item's publishedAt: that is the arXiv publication time.
  assert.equal(DAILY[0]!.publishedAt, '2026-11-24T17:59:58.000Z');
  assert.equal(posts[0]!.text, 'Sparse Routing for Mixture-of-Experts');
  assert.deepEqual(posts[0]!.links, ['https://huggingface.co/papers/2611.01234']);
  assert.deepEqual(posts[0]!.raw, {
    date: '2026-11-25',
    githubRepo: 'https://github.com/sparse-moe/router',
    githubStars: 1234,
    projectPage: 'https://sparse-moe.github.io',
    arxivPublishedAt: '2026-11-24T17:59:58.000Z',
    submittedOnDailyAt: '2026-11-25T04:12:33.000Z',
    thumbnail: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2611.01234.png',
  });
});

test('HF contract - papers/{id}: the enrichment fields', () => {
  assert.deepEqual(parsePaperPage(PAPER, '2611.01234', '2026-11-26T12:00:00.000Z'), {
    paperId: '2611.01234',
    status: 'ok',
    fetchedAt: '2026-11-26T12:00:00.000Z',
    githubRepo: 'https://github.com/sparse-moe/router',
    githubStars: 1234,
    projectPage: 'https://sparse-moe.github.io/',
    aiSummary: 'A position-aware router balances expert load without extra inference compute.',
    aiKeywords: ['mixture-of-experts', 'routing', 'load balancing'],
  });
});

test('HF contract - the stand-in answers only in the documented shapes', async (t) => {
  const item = hfDailyItem({
    id: '2611.01234',
    title: 'Sparse Routing',
    upvotes: 57,
    comments: 3,
    submittedAt: '2026-11-25T04:12:33.000Z',
    githubRepo: 'https://github.com/sparse-moe/router',
    githubStars: 1234,
    projectPage: 'https://sparse-moe.github.io',
  });
  const server = await startHfStandIn({ days: { '2026-11-25': [item] } });
  t.after(() => server.close());
  const daily = await (await fetch(`${server.apiUrl}/daily_papers?date=2026-11-25&limit=100&p=0`)).json();
  assert.equal((daily as unknown[]).length, 1);
  assert.deepEqual(undocumented(daily, DAILY), []);
  const page = await fetch(`${server.apiUrl}/papers/2611.01234`);
  assert.equal(page.status, 200);
  assert.deepEqual(undocumented(await page.json(), { ...(PAPER as object), numComments: 0 }), []);
  assert.equal((await fetch(`${server.apiUrl}/papers/2611.09999`)).status, 404);
});
