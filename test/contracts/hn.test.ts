/**
 * HN Search (Algolia) `search_by_date`, contract fixture (test/fixtures/contracts/README.md
 * names the docs): the real parser reads it, and the stand-in answers in no other shape.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchPosts } from '../../src/match/match.js';
import { parseHnSearch } from '../../src/sources/hn.js';
import { hnStory, startHnStandIn } from '../../src/standins/hn.js';
import { contractJson, undocumented } from './shape.js';

const BODY = contractJson('hn/search-by-date.json');

test('HN contract - link stories, a text post linking arXiv in its HTML, an old-format date', () => {
  const page = parseHnSearch(BODY, 'GET hn.algolia.com/api/v1/search_by_date');
  assert.deepEqual([page.nbHits, page.page, page.nbPages], [3, 0, 1]);
  assert.deepEqual(
    page.posts.map((p) => [p.id, p.links, p.createdAt, p.metrics.likes, p.metrics.replies]),
    [
      ['46100001', ['https://arxiv.org/pdf/2611.01234'], '2026-11-25T15:02:11.000Z', 212, 87],
      ['46100222', ['https://arxiv.org/abs/2611.01300'], '2026-11-25T18:30:00.000Z', 9, 4],
      ['15000001', ['https://arxiv.org/abs/1706.03762'], '2017-06-13T09:00:00.000Z', 3, 0],
    ],
  );
  const first = page.posts[0]!;
  assert.equal(first.url, 'https://news.ycombinator.com/item?id=46100001');
  assert.equal(first.authorHandle, 'jdoe');
  assert.equal(first.text, 'Sparse Routing for Mixture-of-Experts [pdf]');
  assert.equal(first.raw, undefined, 'the payload is not kept (nothing reads it)');
  assert.deepEqual(
    matchPosts(page.posts, new Set(['2611.01234', '2611.01300'])).map((m) => m.paperIds),
    [['2611.01234'], ['2611.01300']],
  );
});

test('HN contract - the stand-in answers only in the documented shape', async (t) => {
  const server = await startHnStandIn({
    hits: [
      hnStory({
        id: 46100001,
        title: 'Sparse Routing [pdf]',
        url: 'https://arxiv.org/pdf/2611.01234',
        author: 'jdoe',
        points: 212,
        comments: 87,
        createdAt: '2026-11-25T15:02:11Z',
      }),
      hnStory({
        id: 46100222,
        title: 'Ask HN: reproduced?',
        storyText: 'See <a href="https:&#x2F;&#x2F;arxiv.org&#x2F;abs&#x2F;2611.01300">it</a>',
        author: 'curious_cat',
        points: 9,
        comments: 4,
        createdAt: '2026-11-25T18:30:00Z',
      }),
    ],
  });
  t.after(() => server.close());
  const response = await fetch(
    `${server.apiUrl}/search_by_date?query=arxiv.org&restrictSearchableAttributes=url&tags=story&hitsPerPage=1000`,
  );
  const body = await response.json();
  assert.equal((body as { hits: unknown[] }).hits.length, 1, 'restricted to url: the text post is not found');
  assert.deepEqual(undocumented(body, BODY), []);
  const all = await (await fetch(`${server.apiUrl}/search_by_date?query=arxiv&tags=story`)).json();
  assert.deepEqual(undocumented(all, BODY), []);
});
