import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient, USER_AGENT } from '../../src/http/client.js';
import { HttpError, NetworkError } from '../../src/http/errors.js';
import { backoffMs, serverDelayMs } from '../../src/http/retry.js';
import { closedPort, startStandIn } from '../../src/standins/server.js';

/** Assert that `promise` rejects with an error whose message matches `pattern`. */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.match((e as Error).message, pattern);
    return true;
  });
}

/** A client whose waits are recorded instead of slept, so tests are fast and can check delays. */
function recordingClient(extra: ConstructorParameters<typeof HttpClient>[0] = {}) {
  const waits: number[] = [];
  const client = new HttpClient({
    retryBaseMs: 100,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
  return { client, waits };
}

test('serverDelayMs - Retry-After seconds and HTTP date, reset headers, RateLimit t=', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(serverDelayMs(h({ 'retry-after': '3' }), now), 3000);
  assert.equal(serverDelayMs(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now), 10_000);
  assert.equal(serverDelayMs(h({ 'x-rate-limit-reset': String(now / 1000 + 42) }), now), 42_000);
  assert.equal(serverDelayMs(h({ 'ratelimit-reset': String(now / 1000 + 5) }), now), 5000);
  assert.equal(serverDelayMs(h({ 'x-ratelimit-reset': '7' }), now), 7000);
  assert.equal(serverDelayMs(h({ ratelimit: '"api";r=0;t=9' }), now), 9000);
  assert.equal(serverDelayMs(h({}), now), undefined);
});

test('backoffMs - grows exponentially and is capped', () => {
  const mid = () => 0.5;
  assert.equal(backoffMs(1, 1000, 30_000, mid), 750);
  assert.equal(backoffMs(2, 1000, 30_000, mid), 1500);
  assert.equal(backoffMs(3, 1000, 30_000, mid), 3000);
  assert.equal(backoffMs(10, 1000, 30_000, mid), 22_500);
  assert.ok(backoffMs(1, 1000, 30_000, () => 0) >= 500, 'never zero');
});

test('HttpClient - 429 with Retry-After then success waits what the server asked', async (t) => {
  const s = await startStandIn((_req, i) =>
    i === 0
      ? { status: 429, headers: { 'retry-after': '2' }, body: 'slow down' }
      : { status: 200, body: 'ok' },
  );
  t.after(() => s.close());
  const { client, waits } = recordingClient();
  assert.equal(await client.getText('arxiv', `${s.url}/api/query`), 'ok');
  assert.equal(s.requests.length, 2);
  assert.deepEqual(waits, [2000]);
  assert.equal(s.requests[0]?.headers['user-agent'], USER_AGENT);
});

test('HttpClient - 503 without headers backs off, then gives up after maxAttempts with a one-line error', async (t) => {
  const s = await startStandIn(() => ({
    status: 503,
    body: '<html><body>Service down\nfor maintenance</body></html>',
  }));
  t.after(() => s.close());
  const { client, waits } = recordingClient({ maxAttempts: 3 });
  await assert.rejects(client.getText('hn', `${s.url}/api/v1/search?token=SECRET`), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.status, 503);
    assert.match(
      e.message,
      /^hn: HTTP 503 Service Unavailable for GET 127\.0\.0\.1:\d+\/api\/v1\/search after 3 attempts/,
    );
    assert.doesNotMatch(e.message, /SECRET|\n/);
    return true;
  });
  assert.equal(s.requests.length, 3);
  assert.deepEqual(waits, [75, 150]);
});

test('HttpClient - 4xx other than 429 is not retried', async (t) => {
  const s = await startStandIn(() => ({ status: 401, body: '{"title":"Unauthorized"}' }));
  t.after(() => s.close());
  const { client } = recordingClient();
  await rejectsWith(
    client.request({
      service: 'x',
      url: `${s.url}/2/tweets/search/recent`,
      hintForStatus: () => 'check X_BEARER_TOKEN',
    }),
    /^x: HTTP 401 Unauthorized for GET .*\/2\/tweets\/search\/recent \(check X_BEARER_TOKEN\)$/,
  );
  assert.equal(s.requests.length, 1);
});

test('HttpClient - a server wait longer than the bound fails at once', async (t) => {
  const s = await startStandIn(() => ({ status: 429, headers: { 'retry-after': '3600' } }));
  t.after(() => s.close());
  const { client, waits } = recordingClient({ maxServerWaitMs: 60_000 });
  await rejectsWith(
    client.getText('arxiv', `${s.url}/`),
    /server asked to wait 3600 s, more than the 60 s allowed/,
  );
  assert.deepEqual(waits, []);
});

test('HttpClient - connection refused is retried then reported in one line', async () => {
  const base = await closedPort();
  const { client, waits } = recordingClient({ maxAttempts: 2 });
  await assert.rejects(client.getText('bluesky', `${base}/xrpc/app.bsky.feed.searchPosts`), (e: unknown) => {
    assert.ok(e instanceof NetworkError);
    assert.match(
      e.message,
      /^bluesky: cannot connect to 127\.0\.0\.1:\d+ \(connection refused\) for GET .* after 2 attempts$/,
    );
    return true;
  });
  assert.equal(waits.length, 1);
});

test('HttpClient - a timeout is retried then reported', async (t) => {
  // The per-attempt timeout is long enough that a loaded machine still delivers each request to
  // the server before the client gives up on it; the server answers far later.
  const s = await startStandIn(() => ({ delayMs: 5_000, body: 'late' }));
  t.after(() => s.close());
  const { client } = recordingClient({ maxAttempts: 2, timeoutMs: 400 });
  await rejectsWith(
    client.getText('hf', `${s.url}/api/daily_papers`),
    /^hf: no response within 0\.4 s for GET .* after 2 attempts$/,
  );
  // The server may log the second request after the client gave up on it: wait for it (bounded).
  for (let i = 0; i < 500 && s.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(s.requests.length, 2);
});

test('HttpClient - getJson reports malformed JSON and HTML bodies in one line', async (t) => {
  const s = await startStandIn((req) =>
    req.path === '/html'
      ? { body: '<!doctype html><p>hi</p>' }
      : req.path === '/empty'
        ? { body: '' }
        : { body: '{"a":' },
  );
  t.after(() => s.close());
  const { client } = recordingClient();
  await rejectsWith(
    client.getJson('hn', `${s.url}/json`),
    /^hn: malformed JSON for GET 127\.0\.0\.1:\d+\/json$/,
  );
  await rejectsWith(client.getJson('hn', `${s.url}/html`), /^hn: got HTML where JSON was expected for GET/);
  await rejectsWith(client.getJson('hn', `${s.url}/empty`), /^hn: empty body where JSON was expected/);
});

test('HttpClient - a lane with concurrency 1 and spacing runs requests one at a time', async (t) => {
  let inFlight = 0;
  let maxInFlight = 0;
  const s = await startStandIn(async () => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, 20));
    inFlight--;
    return { body: 'ok' };
  });
  t.after(() => s.close());
  const slept: number[] = [];
  const client = new HttpClient({
    lanes: { arxiv: { minIntervalMs: 1000, concurrency: 1 } },
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  await Promise.all([1, 2, 3].map((i) => client.getText('arxiv', `${s.url}/${i}`, { lane: 'arxiv' })));
  assert.equal(maxInFlight, 1);
  assert.equal(s.requests.length, 3);
  // The 2nd and 3rd requests were each asked to wait for the spacing (never the 1st).
  assert.equal(slept.length, 2);
  assert.ok(slept.every((ms) => ms > 0 && ms <= 2000));
  assert.deepEqual(client.requestCounts(), { [new URL(s.url).host]: 3 });
});
