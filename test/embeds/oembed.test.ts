import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { fetchOembedHtml, trimEmbed } from '../../src/embeds/oembed.js';
import { HttpClient } from '../../src/http/client.js';
import { type Handler, startStandIn } from '../../src/standins/server.js';

const xBody = readFileSync(new URL('../fixtures/x/oembed-x-2025.json', import.meta.url), 'utf8');
const bskyBody = readFileSync(new URL('../fixtures/x/oembed-bluesky.json', import.meta.url), 'utf8');
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

async function serve(t: TestContext, handler: Handler) {
  const server = await startStandIn(handler);
  t.after(() => server.close());
  return server;
}

const http = () => new HttpClient({ retryBaseMs: 5 });

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

describe('fetchOembedHtml', () => {
  it('returns the html as received and sends the post URL encoded in `url`', async (t) => {
    const server = await serve(t, () => ({ headers: JSON_TYPE, body: xBody }));
    const postUrl = 'https://x.com/ucbethuel/status/1998024020726329831';
    const html = await fetchOembedHtml(http(), 'x', `${server.url}/oembed`, postUrl);
    assert.equal(html, JSON.parse(xBody).html);
    assert.ok(html!.endsWith('</script>\n\n'), 'not trimmed here; the caller trims');
    const [req] = server.requests;
    assert.equal(req!.url, `/oembed?url=${encodeURIComponent(postUrl)}`);
  });

  it('appends to an endpoint that already has a query (Bluesky html)', async (t) => {
    const server = await serve(t, () => ({ headers: JSON_TYPE, body: bskyBody }));
    const html = await fetchOembedHtml(
      http(),
      'bluesky',
      `${server.url}/oembed?format=json`,
      'https://bsky.app/profile/a/post/b',
    );
    assert.match(html!, /^<blockquote class="bluesky-embed"/);
    assert.deepEqual(
      [...server.requests[0]!.query.entries()],
      [
        ['format', 'json'],
        ['url', 'https://bsky.app/profile/a/post/b'],
      ],
    );
  });

  for (const status of [403, 404, 410]) {
    it(`returns null for ${status} without retrying`, async (t) => {
      const server = await serve(t, () => ({ status, body: 'gone' }));
      assert.equal(
        await fetchOembedHtml(http(), 'x', `${server.url}/oembed`, 'https://x.com/a/status/1'),
        null,
      );
      assert.equal(server.requests.length, 1);
    });
  }

  it('names the service on malformed JSON, HTML bodies and missing html', async (t) => {
    const bodies = ['{"html": "<blockquote', '<!DOCTYPE html><p>oops</p>', '{"type":"rich"}', '[1,2]', ''];
    const server = await serve(t, (_req, i) => ({ headers: JSON_TYPE, body: bodies[i] ?? '' }));
    const call = () =>
      fetchOembedHtml(http(), 'bluesky', `${server.url}/oembed`, 'https://bsky.app/profile/a/post/b');
    await rejectsWith(call(), /^bluesky: malformed JSON for GET 127\.0\.0\.1:\d+\/oembed$/);
    await rejectsWith(call(), /^bluesky: got HTML where JSON was expected for GET 127\.0\.0\.1:\d+\/oembed$/);
    await rejectsWith(
      call(),
      /^bluesky: oEmbed response for GET 127\.0\.0\.1:\d+\/oembed has no html \(\{"type":"rich"\}\)$/,
    );
    await rejectsWith(
      call(),
      /^bluesky: oEmbed response for GET 127\.0\.0\.1:\d+\/oembed is not a JSON object$/,
    );
    await rejectsWith(call(), /^bluesky: empty body where JSON was expected/);
  });

  it('fails a 500 after retries with one line naming the service', async (t) => {
    const server = await serve(t, () => ({ status: 500, body: 'boom' }));
    await rejectsWith(
      fetchOembedHtml(
        new HttpClient({ retryBaseMs: 1, maxAttempts: 2 }),
        'x',
        `${server.url}/oembed`,
        'https://x.com/a/status/1',
      ),
      /^x: HTTP 500 Internal Server Error for GET 127\.0\.0\.1:\d+\/oembed after 2 attempts/,
    );
    assert.equal(server.requests.length, 2);
  });
});

describe('trimEmbed', () => {
  it('trims the trailing newlines oEmbed adds', () => {
    const html = JSON.parse(xBody).html as string;
    const trimmed = trimEmbed(html);
    assert.ok(trimmed.endsWith('charset="utf-8"></script>'));
    assert.equal(trimmed, html.slice(0, -2));
  });

  it('removes blank lines inside, so the Markdown HTML block is not cut', () => {
    assert.equal(
      trimEmbed('\n<blockquote>\n\n<p>a</p>\n   \n\t\n</blockquote>\r\n<script></script>\r\n\r\n'),
      '<blockquote>\n<p>a</p>\n</blockquote>\n<script></script>',
    );
  });

  it('leaves a seed-shaped embed alone', () => {
    const seed =
      '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">x</p></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>';
    assert.equal(trimEmbed(seed), seed);
  });
});
