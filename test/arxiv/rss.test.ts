import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fetchRssListing, parseRssFeed, splitCreators, splitQuery } from '../../src/arxiv/rss.js';
import { HttpClient } from '../../src/http/client.js';
import { arxivRssHandler, rssErrorXml } from '../../src/standins/arxiv.js';
import { type Handler, startStandIn } from '../../src/standins/server.js';
import { type Logger, silentLogger } from '../../src/util/log.js';
import { ANNOUNCED, EXPECTED_IDS, EXPECTED_TYPES } from './day-2021-06-09.js';

const FEED = readFileSync(
  new URL('../fixtures/arxiv/rss-cs+stat.ML-2021-06-09.xml', import.meta.url),
  'utf8',
);
const CHOSEN = ['cs', 'stat.ML'];

function client(): HttpClient {
  return new HttpClient({
    retryBaseMs: 5,
    maxAttempts: 2,
    lanes: { arxiv: { minIntervalMs: 0, concurrency: 1 } },
  });
}

async function listWith(
  t: { after: (fn: () => unknown) => void },
  handler: Handler,
  day = '2021-06-09',
  limit?: number,
  log: Logger = silentLogger,
) {
  const server = await startStandIn(handler);
  t.after(() => server.close());
  const run = () =>
    fetchRssListing({
      day,
      categories: CHOSEN,
      config: { arxivRssUrl: server.url },
      http: client(),
      log,
      limit,
    });
  return { server, run };
}

test('parseRssFeed - the Atom announcement feed', () => {
  const feed = parseRssFeed(FEED);
  assert.equal(feed.day, '2021-06-09');
  assert.deepEqual(
    feed.items.map((i) => [i.id, i.version, i.announceType]),
    [
      ['2106.04554', 1, 'new'],
      ['2106.04560', 1, 'new'],
      ['2106.04156', 1, 'cross'],
      ['2106.01345', 2, 'replace'],
      ['2012.09841', 3, 'replace-cross'],
    ],
  );
  assert.deepEqual(feed.items[0], {
    id: '2106.04554',
    version: 1,
    title: 'A Survey of Transformers',
    abstract:
      'Transformers have achieved great success in many artificial intelligence fields, such as natural language processing, computer vision, and audio processing.',
    authors: ['Tianyang Lin', 'Yuxin Wang', 'Xiangyang Liu', 'Xipeng Qiu'],
    categories: ['cs.LG', 'cs.AI', 'cs.CL'],
    primaryCategory: 'cs.LG',
    pdfUrl: 'https://arxiv.org/pdf/2106.04554v1',
    announceType: 'new',
  });
  const cross = feed.items[2]!;
  assert.equal(cross.title, 'Quantum advantage for learning <shallow> networks');
  assert.equal(cross.abstract, 'We study the power of quantum data & quantum learners.');
  assert.equal(cross.primaryCategory, 'quant-ph');
  assert.equal(cross.doi, '10.1103/PhysRevLett.126.190505');
  assert.equal(cross.journalRef, 'Phys. Rev. Lett. 126, 190505 (2021)');
});

test('splitCreators - commas inside affiliations do not split names', () => {
  assert.deepEqual(splitCreators('A One, B Two (Univ X, Lab Y), C Three Jr'), [
    'A One',
    'B Two',
    'C Three Jr',
  ]);
  assert.deepEqual(splitCreators(''), []);
});

test('splitQuery - halves, and an archive into its categories', () => {
  assert.deepEqual(splitQuery(['cs', 'stat.ML']), [['cs'], ['stat.ML']]);
  const parts = splitQuery(['cs'])!;
  assert.equal(parts.length, 2);
  assert.equal(parts[0]!.length + parts[1]!.length, 40);
  assert.equal(splitQuery(['stat.ML']), undefined);
});

test('fetchRssListing - keeps new and cross, drops replacements', async (t) => {
  const { server, run } = await listWith(t, () => ({
    status: 200,
    headers: { 'content-type': 'application/atom+xml' },
    body: FEED,
  }));
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => [p.id, p.announceType, p.method]),
    [
      ['2106.04554', 'new', 'rss'],
      ['2106.04560', 'new', 'rss'],
      ['2106.04156', 'cross', 'rss'],
    ],
  );
  assert.deepEqual(
    server.requests.map((r) => r.path),
    ['/atom/cs+stat.ML'],
  );
});

test('fetchRssListing - a feed for another day is an error', async (t) => {
  const { run } = await listWith(t, () => ({ status: 200, body: FEED }), '2021-06-10');
  await assert.rejects(run(), {
    message: "arxiv: rss feed is for 2021-06-09, not 2021-06-10; it only serves the current ET day's mailing",
  });
});

test('fetchRssListing - the stand-in day: aliases and cross-lists as arXiv labels them', async (t) => {
  const { run } = await listWith(t, arxivRssHandler(ANNOUNCED, { day: '2021-06-09' }));
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    papers.map((p) => p.announceType),
    EXPECTED_TYPES,
  );
});

test('fetchRssListing - a feed at the item cap is re-asked in parts and deduplicated', async (t) => {
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
  const { server, run } = await listWith(
    t,
    arxivRssHandler(ANNOUNCED, { day: '2021-06-09', limit: 4 }),
    '2021-06-09',
    4,
    log,
  );
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  // stat.ML's paper is `cross` in the cs part and `new` in its own: new wins.
  assert.deepEqual(
    papers.map((p) => p.announceType),
    EXPECTED_TYPES,
  );
  assert.equal(server.requests[0]!.path, '/atom/cs+stat.ML');
  assert.ok(server.requests.length > 2);
  assert.ok(server.requests.every((r) => r.path.startsWith('/atom/')));
  assert.deepEqual(warnings, []);
});

test('fetchRssListing - an empty feed (weekend, holiday) is an error', async (t) => {
  const { run } = await listWith(t, arxivRssHandler([], { day: '2021-06-09' }));
  await assert.rejects(run(), {
    message: 'arxiv: rss feed for cs+stat.ML is empty (no mailing today, or not built yet)',
  });
});

test('fetchRssListing - the feed error document (HTTP 400)', async (t) => {
  const { run } = await listWith(t, () => ({
    status: 400,
    body: rssErrorXml('cs+stat.XX', 'Bad subject class: stat.XX'),
  }));
  await assert.rejects(run(), {
    message: 'arxiv: rss feed refused cs+stat.ML (HTTP 400): Bad subject class: stat.XX',
  });
});

test('fetchRssListing - malformed feed', async (t) => {
  const { run } = await listWith(t, () => ({ status: 200, body: FEED.slice(0, 900) }));
  await assert.rejects(run(), { message: /^arxiv: malformed XML in the announcement Atom feed/ });
});
