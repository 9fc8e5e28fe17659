/**
 * arXiv: the API's Atom feed, the announcement feed and a catchup page, contract fixtures (each
 * names its documentation in a comment): the real parsers read them, a 406 carrying the feed is
 * usable, and the stand-in's API feed reads the same as the documented one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { feedOf406 } from '../../src/arxiv/api.js';
import { parseApiFeed } from '../../src/arxiv/atom.js';
import { parseCatchupPage } from '../../src/arxiv/catchup.js';
import { parseRssFeed } from '../../src/arxiv/rss.js';
import { atomFeedXml, type StandInPaper } from '../../src/standins/arxiv.js';
import { contract } from './shape.js';

const API = contract('arxiv/api-query.xml');
const FEED = contract('arxiv/announcement-feed.xml');
const CATCHUP = contract('arxiv/catchup-cs.html');

test('arXiv contract - API Atom: versions, whitespace, categories primary first, DOI, journal ref', () => {
  const page = parseApiFeed(API);
  assert.deepEqual([page.totalResults, page.startIndex, page.count], [2, 0, 2]);
  const [a, b] = page.entries;
  assert.deepEqual(a, {
    id: '2611.01234',
    version: 1,
    title: 'Sparse Routing for Mixture-of-Experts',
    abstract:
      'We route tokens to experts with a position-aware router <and> show $O(n)$ cost. A second paragraph.',
    authors: ['Jane Researcher', 'Bo Writer'],
    categories: ['cs.LG', 'cs.AI', 'stat.ML'],
    primaryCategory: 'cs.LG',
    comment: '14 pages, 6 figures',
    doi: '10.48550/arXiv.2611.01234',
    published: '2026-11-24T17:59:58Z',
    updated: '2026-11-24T17:59:58Z',
    pdfUrl: 'https://arxiv.org/pdf/2611.01234v1',
  });
  assert.equal(b!.version, 2);
  assert.equal(b!.journalRef, 'J. Examples 1 (2026) 1-10');
  assert.deepEqual(b!.categories, ['math.NA']);
  // The same body under HTTP 406 is a usable feed.
  assert.deepEqual(feedOf406(API), page);
  assert.equal(feedOf406('<html><body>Not Acceptable</body></html>'), undefined);
});

test('arXiv contract - announcement feed: labels, creators, the mailing day', () => {
  const feed = parseRssFeed(FEED);
  assert.equal(feed.day, '2026-11-25');
  assert.deepEqual(
    feed.items.map((i) => [i.id, i.version, i.announceType, i.authors, i.categories]),
    [
      ['2611.01234', 1, 'new', ['Jane Researcher', 'Bo Writer'], ['cs.LG', 'cs.AI', 'stat.ML']],
      ['2611.01300', 1, 'cross', ['Ada Author'], ['math.NA', 'cs.NA']],
      ['2609.00077', 3, 'replace', ['Cy Reviser'], ['cs.CL']],
    ],
  );
  assert.equal(
    feed.items[0]!.abstract,
    'We route tokens to experts with a position-aware router & show $O(n)$ cost.',
  );
  assert.equal(feed.items[1]!.doi, '10.1000/example.2026.1');
});

test('arXiv contract - catchup page: sections, cross and replaced markers, the day, the total', () => {
  const page = parseCatchupPage(CATCHUP);
  assert.equal(page.day, '2026-11-25');
  assert.equal(page.total, 3);
  assert.equal(page.noUpdates, false);
  assert.deepEqual(
    page.items.map((i) => [i.id, i.version, i.announceType, i.primaryCategory, i.pdfUrl]),
    [
      ['2611.01234', 1, 'new', 'cs.LG', 'https://arxiv.org/pdf/2611.01234'],
      ['2611.01300', 1, 'cross', 'math.NA', 'https://arxiv.org/pdf/2611.01300'],
      ['2609.00077', 3, 'replace', 'cs.CL', 'https://arxiv.org/pdf/2609.00077'],
    ],
  );
  const first = page.items[0]!;
  assert.equal(first.title, 'Sparse Routing for Mixture-of-Experts');
  assert.deepEqual(first.authors, ['Jane Researcher', 'Bo Writer']);
  assert.deepEqual(first.categories, ['cs.LG', 'cs.AI', 'stat.ML']);
  assert.equal(first.comment, '14 pages, 6 figures');
  assert.equal(first.abstract, 'We route tokens to experts with a position-aware router & show $O(n)$ cost.');
});

test('arXiv contract - the stand-in API feed reads exactly like the documented one', () => {
  const papers: StandInPaper[] = [
    {
      id: '2611.01234',
      version: 1,
      title: 'Sparse Routing for Mixture-of-Experts',
      abstract:
        '  We route tokens to experts with a position-aware router <and> show $O(n)$ cost.\n  A second paragraph.',
      authors: ['Jane Researcher', 'Bo Writer'],
      categories: ['cs.LG', 'cs.AI', 'stat.ML'],
      primary: 'cs.LG',
      published: '2026-11-24T17:59:58Z',
      updated: '2026-11-24T17:59:58Z',
      comment: '14 pages, 6 figures',
      doi: '10.48550/arXiv.2611.01234',
    },
    {
      id: '2611.01300',
      version: 2,
      title: 'Another Paper',
      abstract: 'Another abstract.',
      authors: ['Ada Author'],
      categories: ['math.NA'],
      primary: 'math.NA',
      published: '2026-11-24T15:00:00Z',
      updated: '2026-11-25T10:00:00Z',
      journalRef: 'J. Examples 1 (2026) 1-10',
    },
  ];
  const served = atomFeedXml(papers, { query: 'cat:cs.LG', start: 0, maxResults: 500, total: 2 });
  assert.deepEqual(parseApiFeed(served), parseApiFeed(API));
});
