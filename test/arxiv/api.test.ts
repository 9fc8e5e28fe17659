import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apiPageUrl, apiSearchQuery, fetchApiListing } from '../../src/arxiv/api.js';
import { submissionWindow } from '../../src/arxiv/schedule.js';
import { HotpapersError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import {
  apiErrorReply,
  arxivApiHandler,
  malformedXmlReply,
  parseSearchQuery,
  type StandInPaper,
  statusReply,
} from '../../src/standins/arxiv.js';
import { type Handler, startStandIn } from '../../src/standins/server.js';
import { silentLogger } from '../../src/util/log.js';
import { API_PAPERS, CS_NEW, EXPECTED_IDS, EXPECTED_TYPES, MATH_NA, STAT_ML } from './day-2021-06-09.js';

const DAY = '2021-06-09';
const CHOSEN = ['cs', 'stat.ML'];

function client(): HttpClient {
  return new HttpClient({
    retryBaseMs: 5,
    maxAttempts: 3,
    lanes: { arxiv: { minIntervalMs: 0, concurrency: 1 } },
  });
}

async function listWith(t: { after: (fn: () => unknown) => void }, handler: Handler, pageSize = 500) {
  const server = await startStandIn(handler);
  t.after(() => server.close());
  const http = client();
  const run = () =>
    fetchApiListing({
      day: DAY,
      categories: CHOSEN,
      config: { arxivApiUrl: `${server.url}/api/query` },
      http,
      log: silentLogger,
      pageSize,
    });
  return { server, run, http };
}

test('apiSearchQuery - explicit categories with aliases and the minute-inclusive window', () => {
  const q = apiSearchQuery(CHOSEN, submissionWindow(DAY));
  assert.match(
    q,
    /^\(cat:cs\.AI OR cat:cs\.AR OR .* OR cat:math\.NA OR cat:math\.IT OR cat:eess\.SY OR cat:stat\.ML\) AND submittedDate:\[202106071800 TO 202106081759\]$/,
  );
  const url = new URL(apiPageUrl('https://export.arxiv.org/api/query', q, 500, 500));
  assert.equal(url.searchParams.get('search_query'), q);
  assert.equal(url.searchParams.get('sortBy'), 'submittedDate');
  assert.equal(url.searchParams.get('sortOrder'), 'ascending');
  assert.equal(url.searchParams.get('start'), '500');
  assert.equal(url.searchParams.get('max_results'), '500');
});

test('fetchApiListing - an honest server: the query selects the day; aliases, crosses, v2 once', async (t) => {
  const { server, run } = await listWith(t, arxivApiHandler(API_PAPERS));
  const { papers, notes } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    papers.map((p) => p.announceType),
    EXPECTED_TYPES,
  );
  const v = papers.find((p) => p.id === '2106.04005')!;
  assert.equal(v.version, 2);
  assert.equal(v.title, 'Paper 2106.04005 revised');
  assert.equal(v.pdfUrl, 'https://arxiv.org/pdf/2106.04005v2');
  const na = papers.find((p) => p.id === MATH_NA.id)!;
  assert.deepEqual(na.categories, ['math.NA']);
  assert.equal(na.method, 'api');
  assert.equal(papers[0]!.title, 'Paper 2106.04001 on cs.LG');
  assert.equal(papers[0]!.abstract, 'Abstract of 2106.04001. It has two lines.');
  assert.equal(papers[0]!.comment, '12 pages');
  assert.equal(server.requests.length, 1);
  const parsed = parseSearchQuery(server.requests[0]!.query.get('search_query')!);
  assert.ok(
    parsed.categories.includes('math.NA') &&
      parsed.categories.includes('eess.SY') &&
      parsed.categories.includes('math.IT'),
  );
  assert.equal(parsed.range?.from.toISOString(), '2021-06-07T18:00:00.000Z');
  assert.equal(parsed.range?.to.toISOString(), '2021-06-08T17:59:00.000Z');
  assert.match(
    notes[0]!,
    /^approximate: API submittedDate window \[2021-06-07T18:00:00.000Z, 2021-06-08T18:00:00.000Z\)/,
  );
});

test('fetchApiListing - a server that ignores the query smuggles nothing in', async (t) => {
  const { run } = await listWith(t, arxivApiHandler(API_PAPERS, { ignoreQuery: true }));
  const { papers, notes } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.ok(notes.some((n) => n === 'dropped 4 API result(s) outside the window or the categories'));
});

test('fetchApiListing - pages through results until totalResults', async (t) => {
  const { server, run } = await listWith(t, arxivApiHandler(API_PAPERS, { ignoreQuery: true }), 5);
  const { papers } = await run();
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    server.requests.map((r) => [r.query.get('start'), r.query.get('max_results')]),
    [
      ['0', '5'],
      ['5', '5'],
      ['10', '5'],
    ],
  );
});

test('fetchApiListing - the same paper on two pages is listed once', async (t) => {
  const papers: StandInPaper[] = [CS_NEW, STAT_ML, MATH_NA];
  const { server, run } = await listWith(t, arxivApiHandler(papers, { extraOnPage: { 2: [CS_NEW] } }), 2);
  const result = await run();
  assert.deepEqual(
    result.papers.map((p) => p.id),
    ['2106.04001', '2106.04002', '2106.04003'],
  );
  assert.equal(server.requests.length, 2);
});

test('fetchApiListing - an empty page inside the results is asked again once', async (t) => {
  const { server, run } = await listWith(
    t,
    arxivApiHandler([CS_NEW, STAT_ML, MATH_NA], { emptyOnce: [2] }),
    2,
  );
  const result = await run();
  assert.equal(result.papers.length, 3);
  assert.deepEqual(
    server.requests.map((r) => r.query.get('start')),
    ['0', '2', '2'],
  );
});

test('fetchApiListing - a page that stays empty is an error, not a short listing', async (t) => {
  const handler = arxivApiHandler([CS_NEW, STAT_ML, MATH_NA]);
  const { run } = await listWith(
    t,
    (req, i) =>
      req.query.get('start') === '2'
        ? arxivApiHandler([CS_NEW, STAT_ML, MATH_NA], { emptyOnce: [2] })(req, i)
        : handler(req, i),
    2,
  );
  await assert.rejects(run(), {
    message: 'arxiv: API page at 2 of 3 came back empty twice; the listing would be incomplete',
  });
});

test('fetchApiListing - an empty result is an empty listing', async (t) => {
  const { server, run } = await listWith(t, arxivApiHandler([]));
  const result = await run();
  assert.deepEqual(result.papers, []);
  assert.equal(server.requests.length, 1);
});

test('fetchApiListing - an error entry with HTTP 200 (pre-2025)', async (t) => {
  const { run } = await listWith(t, () => apiErrorReply('max_results must be an integer', 200));
  await assert.rejects(
    run(),
    (e: unknown) =>
      e instanceof HotpapersError && e.message === 'arxiv: API error: max_results must be an integer',
  );
});

test('fetchApiListing - HTTP 400 with an error entry names the server message', async (t) => {
  const body = readFileSync(new URL('../fixtures/arxiv/api-error-400.xml', import.meta.url), 'utf8');
  const { server, run } = await listWith(t, () => ({
    status: 400,
    headers: { 'content-type': 'application/atom+xml' },
    body,
  }));
  await assert.rejects(run(), {
    message: 'arxiv: API rejected the query (HTTP 400): incorrect id format for abc',
  });
  assert.equal(server.requests.length, 1, '400 is not retried');
});

test('fetchApiListing - 429 with Retry-After: 1, then success', async (t) => {
  const ok = arxivApiHandler(API_PAPERS);
  const { server, run } = await listWith(t, (req, i) =>
    i === 0 ? statusReply(429, { 'retry-after': '1' }, 'Rate exceeded.') : ok(req, i),
  );
  const result = await run();
  assert.deepEqual(
    result.papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(server.requests.length, 2);
});

test('fetchApiListing - 503 with Retry-After, then 200', async (t) => {
  const ok = arxivApiHandler(API_PAPERS);
  const { server, run } = await listWith(t, (req, i) =>
    i === 0 ? statusReply(503, { 'retry-after': '1' }) : ok(req, i),
  );
  const result = await run();
  assert.equal(result.papers.length, EXPECTED_IDS.length);
  assert.equal(server.requests.length, 2);
});

test('fetchApiListing - 503 every time gives up after the bounded attempts', async (t) => {
  const { server, run } = await listWith(t, () => statusReply(503, {}, 'Service Unavailable'));
  await assert.rejects(run(), {
    message: /^arxiv: HTTP 503 Service Unavailable for GET 127\.0\.0\.1:\d+\/api\/query after 3 attempts/,
  });
  assert.equal(server.requests.length, 3);
});

test('fetchApiListing - malformed XML is a one-line arxiv error', async (t) => {
  const { run } = await listWith(t, () => malformedXmlReply());
  await assert.rejects(
    run(),
    (e: unknown) =>
      e instanceof HotpapersError && /^arxiv: malformed XML in the API Atom feed/.test(e.message),
  );
});

test('fetchApiListing - HTML instead of XML is a one-line arxiv error', async (t) => {
  const { run } = await listWith(t, () => ({
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<!DOCTYPE html>\n<html><body><h1>Oops</h1></body></html>',
  }));
  await assert.rejects(run(), { message: 'arxiv: got HTML where the API Atom feed was expected' });
});

test('fetchApiListing - a 406 without a feed is retried like a 503, then the day lists', async (t) => {
  const server = await startStandIn(arxivApiHandler(API_PAPERS, { notAcceptable: { times: 1 } }));
  t.after(() => server.close());
  const waits: number[] = [];
  const warnings: string[] = [];
  const http = new HttpClient({
    retryBaseMs: 5,
    maxAttempts: 3,
    lanes: { arxiv: { minIntervalMs: 0, concurrency: 1 } },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const { papers } = await fetchApiListing({
    day: DAY,
    categories: CHOSEN,
    config: { arxivApiUrl: `${server.url}/api/query` },
    http,
    log: { ...silentLogger, warn: (m) => warnings.push(m) },
  });
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(server.requests.length, 2);
  assert.equal(waits.length, 1, 'one backoff before the second try');
  assert.ok(waits[0]! > 0 && waits[0]! <= 5, `backoff within the first step, got ${waits[0]}`);
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0]!,
    /^arxiv: HTTP 406 Not Acceptable for GET .*\/api\/query \(attempt 1\); retrying$/,
  );
});

test('fetchApiListing - a 406 carrying a valid Atom feed is used, and logged as such', async (t) => {
  const server = await startStandIn(
    arxivApiHandler(API_PAPERS, { notAcceptable: { times: 1, withFeed: true } }),
  );
  t.after(() => server.close());
  const warnings: string[] = [];
  const { papers } = await fetchApiListing({
    day: DAY,
    categories: CHOSEN,
    config: { arxivApiUrl: `${server.url}/api/query` },
    http: client(),
    log: { ...silentLogger, warn: (m) => warnings.push(m) },
  });
  assert.deepEqual(
    papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(server.requests.length, 1, 'the feed of the 406 was used: no second request');
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0]!,
    /^arxiv: HTTP 406 Not Acceptable for GET .* came with a valid Atom feed; using it$/,
  );
});

test('fetchApiListing - 406 every time fails with one line after the attempts', async (t) => {
  const { server, run } = await listWith(t, arxivApiHandler(API_PAPERS, { notAcceptable: { times: 99 } }));
  await assert.rejects(run(), {
    message: /^arxiv: HTTP 406 Not Acceptable for GET .*\/api\/query \(after 3 attempts, no usable feed\)$/,
  });
  assert.equal(server.requests.length, 3, 'capped at the HTTP layer attempts');
});

test('fetchApiListing - a 406 whose body is an error feed is not a listing', async (t) => {
  let n = 0;
  const ok = arxivApiHandler(API_PAPERS);
  const { server, run } = await listWith(t, (req, i) =>
    n++ === 0 ? { ...apiErrorReply('try again later'), status: 406 } : ok(req, i),
  );
  const { papers } = await run();
  assert.equal(papers.length, EXPECTED_IDS.length);
  assert.equal(server.requests.length, 2);
});
