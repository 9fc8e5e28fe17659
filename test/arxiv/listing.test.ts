import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fetchListing, getDayListing, listingMethods } from '../../src/arxiv/listing.js';
import { loadConfig } from '../../src/config/load.js';
import { HttpClient } from '../../src/http/client.js';
import {
  arxivApiHandler,
  arxivCatchupHandler,
  arxivRssHandler,
  type StandInAnnouncement,
  statusReply,
} from '../../src/standins/arxiv.js';
import { type Handler, type Reply, startStandIn } from '../../src/standins/server.js';
import { openStore } from '../../src/store/db.js';
import { type Logger, silentLogger } from '../../src/util/log.js';
import { ANNOUNCED, API_PAPERS, EXPECTED_IDS } from './day-2021-06-09.js';

const DAY = '2021-06-09';
const CHOSEN = ['cs', 'stat.ML'];

test('listingMethods - rss for the current mailing, catchup within 90 days, api otherwise', () => {
  const cases: Array<[string, string, string[]]> = [
    [DAY, '2021-06-09T15:00:00Z', ['rss', 'catchup', 'api']], // Wed 11:00 ET
    [DAY, '2021-06-09T04:00:00Z', ['rss', 'catchup', 'api']], // Wed 00:00 ET
    [DAY, '2021-06-09T01:00:00Z', ['catchup', 'api']], // Tue 21:00 ET: announced, not yet in the feed
    [DAY, '2021-06-12T15:00:00Z', ['catchup', 'api']],
    [DAY, '2021-09-07T15:00:00Z', ['catchup', 'api']], // 90 days on
    [DAY, '2021-09-08T15:00:00Z', ['api']], // 91 days on
  ];
  for (const [day, now, methods] of cases)
    assert.deepEqual(listingMethods(day, new Date(now), 'auto'), methods, now);
  assert.deepEqual(listingMethods(DAY, new Date('2021-06-09T15:00:00Z'), 'api'), ['api']);
  assert.deepEqual(listingMethods(DAY, new Date('2025-01-01T00:00:00Z'), 'catchup'), ['catchup']);
});

interface Routes {
  rss?: Handler;
  catchup?: Handler;
  api?: Handler;
}

/** One stand-in serving the three arXiv endpoints by path. */
async function arxiv(
  t: { after: (fn: () => unknown) => void },
  routes: Routes,
  listing: 'auto' | 'api' | 'rss' | 'catchup' = 'auto',
) {
  const notFound: Reply = { status: 404, body: 'not found' };
  const server = await startStandIn((req, i) => {
    if (req.path.startsWith('/atom/')) return routes.rss ? routes.rss(req, i) : notFound;
    if (req.path.startsWith('/catchup/')) return routes.catchup ? routes.catchup(req, i) : notFound;
    if (req.path === '/api/query') return routes.api ? routes.api(req, i) : notFound;
    return notFound;
  });
  t.after(() => server.close());
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-listing-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    cwd: dir,
    env: {
      ARXIV_API_URL: `${server.url}/api/query`,
      ARXIV_RSS_URL: server.url,
      ARXIV_CATCHUP_URL: server.url,
      ARXIV_LISTING: listing,
      ARXIV_DELAY_MS: '0',
      HOTPAPERS_DB: join(dir, 'store.db'),
    },
  });
  const http = new HttpClient({
    retryBaseMs: 5,
    maxAttempts: 2,
    lanes: { arxiv: { minIntervalMs: 0, concurrency: 1 } },
  });
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
  return { server, config, http, warnings, log, dir };
}

const WED_NOON = new Date('2021-06-09T16:00:00Z');

test('fetchListing - auto on the day uses the feed', async (t) => {
  const env = await arxiv(t, { rss: arxivRssHandler(ANNOUNCED, { day: DAY }) });
  const listing = await fetchListing({
    day: DAY,
    categories: CHOSEN,
    config: env.config,
    http: env.http,
    now: WED_NOON,
    log: env.log,
  });
  assert.equal(listing.method, 'rss');
  assert.deepEqual(
    listing.papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(env.server.requests.length, 1);
  assert.deepEqual(env.warnings, []);
});

test('fetchListing - rss fails, catchup answers, with a warning saying so', async (t) => {
  const env = await arxiv(t, {
    rss: () => statusReply(503, {}, 'down'),
    catchup: arxivCatchupHandler({ [DAY]: ANNOUNCED }),
  });
  const listing = await fetchListing({
    day: DAY,
    categories: CHOSEN,
    config: env.config,
    http: env.http,
    now: WED_NOON,
    log: env.log,
  });
  assert.equal(listing.method, 'catchup');
  assert.deepEqual(
    listing.papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(env.warnings.length, 1);
  assert.match(
    env.warnings[0]!,
    /^arxiv: rss failed \(HTTP 503 Service Unavailable for GET 127\.0\.0\.1:\d+\/atom\/cs\+stat\.ML after 2 attempts \(down\)\); falling back to catchup$/,
  );
  assert.match(listing.notes[0]!, /^rss failed \(HTTP 503/);
});

test('fetchListing - rss and catchup fail, the API answers', async (t) => {
  const env = await arxiv(t, {
    rss: () => ({ status: 200, body: '<feed><entry>' }),
    catchup: () => ({ status: 200, body: '<html><body>maintenance</body></html>' }),
    api: arxivApiHandler(API_PAPERS),
  });
  const listing = await fetchListing({
    day: DAY,
    categories: CHOSEN,
    config: env.config,
    http: env.http,
    now: WED_NOON,
    log: env.log,
  });
  assert.equal(listing.method, 'api');
  assert.deepEqual(
    listing.papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.equal(env.warnings.length, 2);
  assert.match(env.warnings[0]!, /^arxiv: rss failed \(malformed XML/);
  assert.equal(
    env.warnings[1],
    'arxiv: catchup failed (catchup page has no listing (no #dlpage element)); falling back to api',
  );
  assert.ok(listing.notes.some((n) => n.startsWith('approximate: ')));
});

test('fetchListing - "No updates" from catchup is final: no API guess', async (t) => {
  const env = await arxiv(t, { catchup: arxivCatchupHandler({}), api: arxivApiHandler(API_PAPERS) });
  await assert.rejects(
    fetchListing({
      day: '2021-07-05',
      categories: CHOSEN,
      config: env.config,
      http: env.http,
      now: new Date('2021-07-08T12:00:00Z'),
      log: env.log,
    }),
    { message: 'arxiv: no mailing on 2021-07-05 (catchup for cs says "No updates")' },
  );
  assert.ok(env.server.requests.every((r) => r.path.startsWith('/catchup/')));
});

test('fetchListing - an explicit method is used alone', async (t) => {
  const env = await arxiv(t, { rss: () => statusReply(503), api: arxivApiHandler(API_PAPERS) }, 'rss');
  await assert.rejects(
    fetchListing({
      day: DAY,
      categories: CHOSEN,
      config: env.config,
      http: env.http,
      now: WED_NOON,
      log: env.log,
    }),
    {
      message: /^arxiv: HTTP 503/,
    },
  );
  assert.deepEqual(env.warnings, []);
  assert.ok(env.server.requests.every((r) => r.path.startsWith('/atom/')));
});

test('fetchListing - weekends, future mailings and bad dates are refused up front', async (t) => {
  const env = await arxiv(t, { api: arxivApiHandler(API_PAPERS) }, 'api');
  const req = { categories: CHOSEN, config: env.config, http: env.http, now: WED_NOON, log: env.log };
  await assert.rejects(fetchListing({ ...req, day: '2021-06-12' }), {
    message: 'arxiv: 2021-06-12 is a Saturday; arXiv mails Monday to Friday',
  });
  await assert.rejects(fetchListing({ ...req, day: '2021-06-10' }), {
    message:
      'arxiv: the mailing of 2021-06-10 is announced at 2021-06-10T00:00:00.000Z (20:00 ET), after now (2021-06-09T16:00:00.000Z)',
  });
  await assert.rejects(fetchListing({ ...req, day: '2021-13-01' }), {
    message: /^arxiv: date must be a calendar day/,
  });
  assert.equal(env.server.requests.length, 0);
});

test('getDayListing - stores a fetched listing and reuses it; --refresh asks again', async (t) => {
  const announced: StandInAnnouncement[] = ANNOUNCED;
  const env = await arxiv(t, { catchup: arxivCatchupHandler({ [DAY]: announced }) }, 'catchup');
  const db = openStore(join(env.dir, 'store.db'));
  t.after(() => db.close());
  const req = {
    day: DAY,
    categories: CHOSEN,
    config: env.config,
    http: env.http,
    now: WED_NOON,
    log: env.log,
  };
  const first = await getDayListing(db, req);
  assert.equal(first.fromStore, false);
  const asked = env.server.requests.length;
  const second = await getDayListing(db, req);
  assert.equal(second.fromStore, true);
  assert.equal(env.server.requests.length, asked, 'no request when the store has the day');
  assert.deepEqual(second.papers, first.papers);
  assert.equal(second.method, 'catchup');
  const third = await getDayListing(db, { ...req, refresh: true });
  assert.equal(third.fromStore, false);
  assert.equal(env.server.requests.length, asked * 2);
  assert.equal(
    (db.prepare('SELECT COUNT(*) AS n FROM listings').get() as { n: number }).n,
    EXPECTED_IDS.length,
  );
});

test('fetchListing - a day older than 90 days whose API answers 406 once still lists', async (t) => {
  const env = await arxiv(t, { api: arxivApiHandler(API_PAPERS, { notAcceptable: { times: 1 } }) });
  const listing = await fetchListing({
    day: DAY,
    categories: CHOSEN,
    config: env.config,
    http: env.http,
    now: new Date('2021-12-01T12:00:00Z'),
    log: env.log,
  });
  assert.equal(listing.method, 'api', 'the API is the only method for an old day');
  assert.deepEqual(
    listing.papers.map((p) => p.id),
    EXPECTED_IDS,
  );
  assert.deepEqual(
    env.server.requests.map((r) => r.path),
    ['/api/query', '/api/query'],
  );
  assert.ok(
    env.warnings.some((w) => /HTTP 406 Not Acceptable .*retrying/.test(w)),
    'a warning names the 406 and the retry',
  );
});
