/** Binary bodies through the HTTP layer: images byte for byte, the type check, the same rules as text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { FatalResponseError, HttpError } from '../../src/http/errors.js';
import { type Reply, startStandIn } from '../../src/standins/server.js';

const client = () =>
  new HttpClient({ retryBaseMs: 1, retryCapMs: 2, random: () => 0.5, sleep: async () => {} });
// Every byte value: a text read would remove the control characters and mangle invalid UTF-8.
const BYTES = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));

test('getImage - returns the bytes as sent, with the media type and final URL', async (t) => {
  const s = await startStandIn(
    (req): Reply =>
      req.path === '/moved'
        ? { status: 302, headers: { location: '/img' } }
        : { status: 200, headers: { 'content-type': 'Image/PNG; charset=binary' }, body: BYTES },
  );
  t.after(() => s.close());
  const image = await client().getImage('thumbnails', `${s.url}/moved`);
  assert.ok(image.bytes.equals(BYTES));
  assert.equal(image.contentType, 'image/png');
  assert.equal(image.url, `${s.url}/img`);
  assert.match(String(s.requests[1]?.headers.accept), /image\/webp/);
});

test('getImage - another content type is one line naming the service, the target and the type, not retried', async (t) => {
  const s = await startStandIn(() => ({
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html>login</html>',
  }));
  t.after(() => s.close());
  await assert.rejects(client().getImage('thumbnails', `${s.url}/t/1.png?sig=secret`), (e: unknown) => {
    assert.ok(e instanceof FatalResponseError);
    assert.equal(
      e.message,
      `thumbnails: GET ${new URL(s.url).host}/t/1.png answered text/html, not image/jpeg, image/png, image/webp or image/gif`,
    );
    return true;
  });
  assert.equal(s.requests.length, 1);
  const none = await startStandIn(() => ({ status: 200, body: BYTES }));
  t.after(() => none.close());
  await assert.rejects(
    client().getImage('thumbnails', `${none.url}/x`),
    /answered (no content type|application\/octet-stream), not image/,
  );
});

test('getImage - 503 is retried like text, a 404 is an HttpError, the size cap holds', async (t) => {
  const s = await startStandIn((req, i) => {
    if (req.path === '/flaky')
      return i === 0
        ? { status: 503, body: 'busy' }
        : { status: 200, headers: { 'content-type': 'image/gif' }, body: BYTES };
    if (req.path === '/big')
      return { status: 200, headers: { 'content-type': 'image/jpeg' }, body: Buffer.alloc(4096, 1) };
    return { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' };
  });
  t.after(() => s.close());
  const c = client();
  assert.ok((await c.getImage('thumbnails', `${s.url}/flaky`)).bytes.equals(BYTES));
  assert.equal(s.requests.length, 2);
  await assert.rejects(c.getImage('thumbnails', `${s.url}/gone.png`), (e: unknown) => {
    assert.ok(e instanceof HttpError);
    assert.match(e.message, /^thumbnails: HTTP 404 Not Found for GET .*\/gone\.png \(Not Found\)$/);
    return true;
  });
  await assert.rejects(
    c.getImage('thumbnails', `${s.url}/big`, { maxBytes: 1000 }),
    /thumbnails: response for GET .*\/big is larger than the 1000 bytes cap/,
  );
});
