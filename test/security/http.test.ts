/**
 * The HTTP layer's security rules (issue 11): credentials never cross origins on a redirect
 * (defect 2), a response size cap enforced while streaming and never retried (7), deadlines
 * that cut every wait short (4), control characters removed on receipt (9), and echoed
 * secrets redacted from errors (1).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiFeed } from '../../src/arxiv/atom.js';
import { HttpClient, parseJsonBody } from '../../src/http/client.js';
import { DeadlineError, deadlineSignal, HttpError, publicFailure } from '../../src/http/errors.js';
import { arxivApiHandler } from '../../src/standins/arxiv.js';
import { startStandIn } from '../../src/standins/server.js';
import { redact, registerSecret } from '../../src/util/redact.js';

const fastClient = (extra: ConstructorParameters<typeof HttpClient>[0] = {}) =>
  new HttpClient({ retryBaseMs: 1, random: () => 0.5, ...extra });

test('a credentialed POST redirected to another origin is not followed: the password is sent once, to its origin', async (t) => {
  const elsewhere = await startStandIn(() => ({ status: 200, body: '{"accessJwt":"x"}' }));
  const pds = await startStandIn(() => ({
    status: 307,
    headers: { location: `${elsewhere.url}/xrpc/com.atproto.server.createSession` },
  }));
  t.after(() => Promise.all([elsewhere.close(), pds.close()]));
  const password = 'app-pass-redirect-1234';
  await assert.rejects(
    fastClient().request({
      service: 'bluesky',
      url: `${pds.url}/xrpc/com.atproto.server.createSession`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: 'me', password }),
      secrets: [password],
    }),
    (e: unknown) => {
      assert.match(
        (e as Error).message,
        /^bluesky: HTTP 307 for POST .* redirects to another origin \(127\.0\.0\.1:\d+\); not followed/,
      );
      return true;
    },
  );
  assert.equal(elsewhere.requests.length, 0, 'the other origin never saw the request');
  assert.equal(pds.requests.length, 1, 'a refused redirect is not retried');
});

test('a bearer request follows a redirect within its origin, and refuses one to another origin', async (t) => {
  const elsewhere = await startStandIn(() => ({ status: 200, body: 'elsewhere' }));
  const api = await startStandIn((req) => {
    if (req.path === '/old') return { status: 301, headers: { location: '/new' } };
    if (req.path === '/away') return { status: 302, headers: { location: `${elsewhere.url}/steal` } };
    return { status: 200, body: `new ${req.headers.authorization}` };
  });
  t.after(() => Promise.all([elsewhere.close(), api.close()]));
  const headers = { authorization: 'Bearer same-origin-token-123' };
  const ok = await fastClient().request({ service: 'x', url: `${api.url}/old`, headers });
  assert.equal(ok.text, 'new Bearer same-origin-token-123');
  await assert.rejects(
    fastClient().request({ service: 'x', url: `${api.url}/away`, headers }),
    /another origin/,
  );
  assert.equal(elsewhere.requests.length, 0);
});

test('a response larger than the cap fails once, while streaming, and is not downloaded again', async (t) => {
  const big = Buffer.alloc(3 * 1024 * 1024, 'a');
  const s = await startStandIn((req) =>
    req.path === '/declared'
      ? { status: 200, body: big }
      : // No Content-Length: the cap is enforced on the stream.
        { status: 503, body: big },
  );
  t.after(() => s.close());
  const client = fastClient({ maxResponseBytes: 1024 * 1024, maxAttempts: 4 });
  await assert.rejects(client.getText('hf', `${s.url}/declared`), /larger than the 1 MB cap/);
  assert.equal(s.requests.length, 1);
  await assert.rejects(client.getText('hf', `${s.url}/streamed`), /larger than the 1 MB cap/);
  assert.equal(s.requests.length, 2, 'a too-large 503 is not retried either');
  // Under the cap it is read whole.
  const roomy = fastClient({ maxResponseBytes: 4 * 1024 * 1024 });
  assert.equal((await roomy.getText('hf', `${s.url}/declared`)).length, big.length);
});

test('a chunked response is cut at the cap without a Content-Length', async (t) => {
  const { createServer } = await import('node:http');
  let sent = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'b');
    const push = () => {
      // Endless unless the client stops reading; bounded here at 64 MB.
      while (sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', push);
      }
      res.end();
    };
    push();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  server.on('connection', (socket) => t.after(() => socket.destroy()));
  const port = (server.address() as { port: number }).port;
  await assert.rejects(
    fastClient({ maxResponseBytes: 256 * 1024 }).getText('hn', `http://127.0.0.1:${port}/big`),
    /larger than the/,
  );
  assert.ok(sent < 64 * 1024 * 1024, 'the client stopped reading long before the end');
});

test('a deadline ends a long Retry-After wait and the request with a DeadlineError', async (t) => {
  const s = await startStandIn(() => ({ status: 429, headers: { 'retry-after': '600' }, body: 'later' }));
  t.after(() => s.close());
  const client = new HttpClient({ maxServerWaitMs: 3600_000 });
  // Long enough for the first request to reach the stand-in on a loaded machine; far below 600 s.
  const signal = deadlineSignal(3000, 'the 3 s test deadline passed');
  await assert.rejects(client.withSignal(signal).getText('x', `${s.url}/search`), (e: unknown) => {
    assert.ok(e instanceof DeadlineError);
    assert.match(e.message, /^x: the 3 s test deadline passed; gave up on GET 127\.0\.0\.1:\d+\/search$/);
    return true;
  });
  assert.equal(s.requests.length, 1);
  // The view shares the client's request counts.
  assert.equal(client.totalRequests(), 1);
});

test('a deadline aborts a request in flight', async (t) => {
  const s = await startStandIn(() => ({ status: 200, body: 'late', delayMs: 5000 }));
  t.after(() => s.close());
  const client = new HttpClient({ timeoutMs: 60_000 });
  await assert.rejects(
    client.getText('bluesky', `${s.url}/oembed`, {
      signal: deadlineSignal(100, 'the embed deadline passed'),
    }),
    DeadlineError,
  );
});

test('control characters are removed on receipt: raw, as XML character references, as JSON escapes', async (t) => {
  const handler = arxivApiHandler([
    {
      id: '2106.00001',
      version: 1,
      // An entity-encoded ESC/BEL (what the XML parser would decode) and a C1 CSI.
      title: 'Red &#27;[31mtitle&#7; &#x9b;2J and raw \u0007bell',
      abstract: 'Line one.\tTabbed.',
      authors: ['Ada &#x1B;]0;pwned&#x7;Author'],
      categories: ['cs.LG'],
      primary: 'cs.LG',
      published: '2021-06-08T01:00:00Z',
      updated: '2021-06-08T01:00:00Z',
    },
  ]);
  // The stand-in escapes `&`; a hostile feed sends the references themselves.
  const arxiv = await startStandIn(async (req, i) => {
    const reply = await handler(req, i);
    return { ...reply, body: String(reply.body).replace(/&amp;#/g, '&#') };
  });
  t.after(() => arxiv.close());
  const response = await fastClient().request({
    service: 'arxiv',
    url: `${arxiv.url}/api/query?id_list=2106.00001`,
  });
  const feed = parseApiFeed(response.text);
  const paper = feed.entries[0]!;
  assert.equal(paper.title, 'Red [31mtitle 2J and raw bell');
  assert.equal(paper.authors[0], 'Ada ]0;pwnedAuthor');
  // JSON escapes decode to controls in JSON.parse: removed before parsing; \t and \n kept.
  const json = await startStandIn(() => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"text":"a\\u001b[2Jb\\u0007c\\r\\n\\td\\\\u001b\\u0085e"}',
  }));
  t.after(() => json.close());
  const got = parseJsonBody<{ text: string }>(
    'bluesky',
    await fastClient().request({ service: 'bluesky', url: json.url }),
    'GET test',
  );
  assert.equal(got.text, 'a[2Jbc\n\td\\u001be');
});

test('an HTTP error never repeats a registered secret or a token-shaped string from the body', async (t) => {
  const token = 'AAAAAAAAAAAAAAAAAAAAAHttpLayerSecret987';
  const s = await startStandIn((req) => ({
    status: 400,
    body: `{"error":"bad","echo":"${req.headers.authorization}","password":"hunter2hunter2","jwt":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig"}`,
  }));
  t.after(() => s.close());
  await assert.rejects(
    fastClient().request({
      service: 'x',
      url: `${s.url}/2/tweets/search/recent`,
      headers: { authorization: `Bearer ${token}` },
    }),
    (e: unknown) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.message.includes(token), false);
      assert.equal(e.message.includes('hunter2'), false);
      assert.equal(e.message.includes('eyJhbGciOiJIUzI1NiJ9'), false);
      assert.match(
        e.message,
        /^x: HTTP 400 Bad Request for GET 127\.0\.0\.1:\d+\/2\/tweets\/search\/recent \(/,
      );
      assert.equal(publicFailure(e.message).startsWith('HTTP 400 from 127.0.0.1:'), true);
      return true;
    },
  );
});

test('redact masks registered secrets, bearer tokens, JWTs and secret-named fields', () => {
  registerSecret('my-app-password-42');
  assert.equal(redact('login my-app-password-42 failed'), 'login *** failed');
  assert.equal(redact('Authorization: Bearer abcdefghij123'), 'Authorization: Bearer ***');
  assert.equal(redact('tok eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln end'), 'tok *** end');
  assert.equal(
    redact('{"identifier":"me","password":"p4ss\\"word"}'),
    '{"identifier":"me","password":"***"}',
  );
  assert.equal(redact('https://bot:tok@github.com/x'), 'https://***@github.com/x');
  // Ordinary text is left alone.
  assert.equal(redact('HTTP 500 for GET api.x.com/2/tweets'), 'HTTP 500 for GET api.x.com/2/tweets');
});

test('publicFailure keeps the status and host of our own failure lines, never a body', () => {
  assert.equal(
    publicFailure(
      'x: HTTP 500 Internal Server Error for GET api.x.com/2/tweets/search/recent after 4 attempts (echo)',
    ),
    'HTTP 500 from api.x.com',
  );
  assert.equal(
    publicFailure(
      'hn: cannot connect to hn.algolia.com (connection refused) for GET hn.algolia.com/api/v1/search',
    ),
    'no answer from hn.algolia.com',
  );
  assert.equal(
    publicFailure('x: the 600 s deadline of the x source passed; gave up on GET api.x.com/2/x'),
    'stopped at its deadline from api.x.com',
  );
  assert.equal(publicFailure('bluesky: internal error: Bearer abc was rejected'), 'failed');
});
