import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fetchCatchupListing, NoMailingError, parseCatchupPage } from '../../src/arxiv/catchup.js';
import { HttpClient } from '../../src/http/client.js';
import { arxivCatchupHandler, catchupTooOldReply } from '../../src/standins/arxiv.js';
import { type Handler, startStandIn } from '../../src/standins/server.js';
import { silentLogger } from '../../src/util/log.js';
import { ANNOUNCED, EXPECTED_IDS, EXPECTED_TYPES } from './day-2021-06-09.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/arxiv/${name}`, import.meta.url), 'utf8');
const CHOSEN = ['cs', 'stat.ML'];

async function listWith(t: { after: (fn: () => unknown) => void }, handler: Handler, day = '2021-06-09') {
  const server = await startStandIn(handler);
  t.after(() => server.close());
  const http = new HttpClient({
    retryBaseMs: 5,
    maxAttempts: 2,
    lanes: { arxiv: { minIntervalMs: 0, concurrency: 1 } },
  });
  const run = () =>
    fetchCatchupListing({
      day,
      categories: CHOSEN,
      config: { arxivCatchupUrl: server.url },
      http,
      log: silentLogger,
    });
  return { server, run };
}

test('parseCatchupPage - sections, ids, metadata', () => {
  const page = parseCatchupPage(fixture('catchup-cs-2021-06-09.html'));
  assert.equal(page.total, 4);
  assert.equal(page.day, '2021-06-09');
  assert.equal(page.noUpdates, false);
  assert.deepEqual(
    page.items.map((i) => [i.id, i.announceType]),
    [
      ['2106.04554', 'new'],
      ['2106.04600', 'new'],
      ['2106.04156', 'cross'],
      ['2106.01345', 'replace'],
    ],
  );
  assert.deepEqual(page.items[0], {
    id: '2106.04554',
    version: 1,
    title: 'A Survey of Transformers',
    abstract:
      'Transformers have achieved great success in many artificial intelligence fields. A survey follows.',
    authors: ['Tianyang Lin', 'Yuxin Wang', 'Xipeng Qiu'],
    categories: ['cs.LG', 'cs.AI', 'cs.CL'],
    primaryCategory: 'cs.LG',
    pdfUrl: 'https://arxiv.org/pdf/2106.04554',
    announceType: 'new',
    comment: '40 pages',
  });
  const na = page.items[1]!;
  assert.equal(na.title, 'Stable high-order schemes for $u_t = \\Delta u$');
  assert.deepEqual(na.categories, ['math.NA']);
  assert.equal(na.journalRef, 'SIAM J. Numer. Anal. 59 (2021)');
  const cross = page.items[2]!;
  assert.equal(cross.title, 'Quantum advantage for learning <shallow> networks');
  assert.deepEqual(cross.categories, ['quant-ph', 'cs.IT', 'stat.ML']);
});

test('parseCatchupPage - "No updates for …"', () => {
  const page = parseCatchupPage(fixture('catchup-no-updates.html'));
  assert.equal(page.noUpdates, true);
  assert.equal(page.total, 0);
  assert.equal(page.day, '2021-07-05');
  assert.deepEqual(page.items, []);
});

test('parseCatchupPage - a page without the listing is an arxiv error', () => {
  assert.throws(() => parseCatchupPage('<html><body>Service temporarily unavailable</body></html>'), {
    message: 'arxiv: catchup page has no listing (no #dlpage element)',
  });
});

test('fetchCatchupListing - both subjects, all pages, replacements dropped, once each', async (t) => {
  const { server, run } = await listWith(
    t,
    arxivCatchupHandler({ '2021-06-09': ANNOUNCED }, { pageSize: 2 }),
  );
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    papers.map((p) => p.announceType),
    EXPECTED_TYPES,
  );
  assert.ok(papers.every((p) => p.method === 'catchup'));
  assert.equal(papers.find((p) => p.id === '2106.04005')!.version, 2);
  const urls = server.requests.map((r) => r.url);
  // cs: 7 entries (4 new, 2 cross, 1 replacement) in pages of 2; stat.ML: 2 entries.
  assert.deepEqual(urls, [
    '/catchup/cs/2021-06-09?abs=True',
    '/catchup/cs/2021-06-09?abs=True&page=2',
    '/catchup/cs/2021-06-09?abs=True&page=3',
    '/catchup/cs/2021-06-09?abs=True&page=4',
    '/catchup/stat.ML/2021-06-09?abs=True',
  ]);
});

test('fetchCatchupListing - "No updates" means no mailing on D', async (t) => {
  const { run } = await listWith(t, arxivCatchupHandler({}), '2021-07-05');
  await assert.rejects(
    run(),
    (e: unknown) =>
      e instanceof NoMailingError &&
      e.message === 'arxiv: no mailing on 2021-07-05 (catchup for cs says "No updates")',
  );
});

test('fetchCatchupListing - older than 90 days: the 400 reason is named', async (t) => {
  const { run } = await listWith(t, () => catchupTooOldReply('2021-06-09'));
  await assert.rejects(run(), {
    message:
      'arxiv: catchup refused cs 2021-06-09 (HTTP 400): Invalid date: 2021-06-09. Catchup only allowed for past 90 days',
  });
});

test('fetchCatchupListing - a page for another day is an error', async (t) => {
  const html = fixture('catchup-cs-2021-06-09.html');
  const { run } = await listWith(
    t,
    () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: html }),
    '2021-06-10',
  );
  await assert.rejects(run(), { message: 'arxiv: catchup page for cs shows 2021-06-09, not 2021-06-10' });
});

test('fetchCatchupListing - the fixture page served for cs and stat.ML', async (t) => {
  const html = fixture('catchup-cs-2021-06-09.html');
  const { run } = await listWith(t, () => ({
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: html,
  }));
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => [p.id, p.announceType]),
    [
      ['2106.04554', 'new'],
      ['2106.04600', 'new'],
      ['2106.04156', 'cross'],
    ],
  );
});
