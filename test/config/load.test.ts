import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { enabledSources, loadConfig, redacted } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

/** Assert that `fn` throws an error whose message matches `pattern`. */
function throwsWith(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.match((e as Error).message, pattern);
    return true;
  });
}

const emptyDir = () => mkdtempSync(join(tmpdir(), 'hp-config-'));

test('loadConfig - defaults match DESIGN §3', () => {
  const c = loadConfig({ env: {}, cwd: emptyDir() });
  assert.equal(c.arxivApiUrl, 'https://export.arxiv.org/api/query');
  assert.equal(c.arxivRssUrl, 'https://rss.arxiv.org');
  assert.equal(c.arxivListing, 'auto');
  assert.equal(c.arxivDelayMs, 3000);
  assert.equal(c.xApiUrl, 'https://api.x.com/2');
  assert.equal(c.xOembedUrl, 'https://publish.twitter.com/oembed');
  assert.equal(c.blueskyApiUrl, 'https://bsky.social/xrpc');
  assert.equal(c.blueskyOembedUrl, 'https://embed.bsky.app/oembed');
  assert.equal(c.hnApiUrl, 'https://hn.algolia.com/api/v1');
  assert.equal(c.hfApiUrl, 'https://huggingface.co/api');
  assert.equal(c.db, './hotpapers.db');
  assert.equal(c.publishBranch, 'main');
  assert.equal(c.minPaperScore, 50);
  assert.equal(c.minPostScore, 25);
  assert.equal(c.maxPosts, 10);
  assert.equal(c.now, undefined);
  assert.equal(c.sources, undefined);
  assert.equal(c.thumbnailOriginals, 'prune');
});

test('loadConfig - precedence: defaults < file < environment < flags', () => {
  const dir = emptyDir();
  writeFileSync(
    join(dir, 'hotpapers.config.json'),
    JSON.stringify({ arxivDelayMs: 10, minPaperScore: 7, db: 'file.db' }),
  );
  const c = loadConfig({
    env: { ARXIV_DELAY_MS: '20', HOTPAPERS_DB: 'env.db' },
    cwd: dir,
    flags: { db: 'flag.db' },
  });
  assert.equal(c.minPaperScore, 7, 'file beats default');
  assert.equal(c.arxivDelayMs, 20, 'env beats file');
  assert.equal(c.db, 'flag.db', 'flag beats env');
});

test('loadConfig - an invalid value is a one-line error naming the setting', () => {
  assert.throws(
    () => loadConfig({ env: { ARXIV_DELAY_MS: 'abc' }, cwd: emptyDir() }),
    (e: unknown) =>
      e instanceof ConfigError && /^config: ARXIV_DELAY_MS must be a number, got "abc"$/.test(e.message),
  );
  throwsWith(
    () => loadConfig({ env: { ARXIV_LISTING: 'ftp' }, cwd: emptyDir() }),
    /config: ARXIV_LISTING must be auto, api, rss or catchup/,
  );
  assert.equal(
    loadConfig({ env: { HOTPAPERS_THUMBNAIL_ORIGINALS: 'keep' }, cwd: emptyDir() }).thumbnailOriginals,
    'keep',
  );
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_THUMBNAIL_ORIGINALS: 'delete' }, cwd: emptyDir() }),
    /^config: HOTPAPERS_THUMBNAIL_ORIGINALS must be prune or keep, got "delete"$/,
  );
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_NOW: 'yesterday' }, cwd: emptyDir() }),
    /config: HOTPAPERS_NOW must be an ISO-8601 instant/,
  );
  throwsWith(
    () => loadConfig({ env: { X_API_URL: 'not a url' }, cwd: emptyDir() }),
    /config: X_API_URL must be an http\(s\) URL/,
  );
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_SOURCES: 'x,myspace' }, cwd: emptyDir() }),
    /HOTPAPERS_SOURCES has unknown source "myspace"/,
  );
});

test('loadConfig - config file errors name the file and key', () => {
  const dir = emptyDir();
  writeFileSync(join(dir, 'hotpapers.config.json'), '{ not json');
  throwsWith(() => loadConfig({ env: {}, cwd: dir }), /^config: hotpapers.config.json is not valid JSON/);
  writeFileSync(join(dir, 'hotpapers.config.json'), JSON.stringify({ colour: 'red' }));
  throwsWith(() => loadConfig({ env: {}, cwd: dir }), /unknown setting "colour"/);
  writeFileSync(join(dir, 'hotpapers.config.json'), JSON.stringify({ maxPosts: -1 }));
  throwsWith(
    () => loadConfig({ env: {}, cwd: dir }),
    /hotpapers.config.json key "maxPosts" must be ≥ 0, got -1/,
  );
});

test('loadConfig - secrets are never echoed in errors or redacted output', () => {
  const c = loadConfig({ env: { X_BEARER_TOKEN: 'SECRET-TOKEN-123' }, cwd: emptyDir() });
  assert.equal(redacted(c).xBearerToken, '***');
  assert.doesNotMatch(JSON.stringify(redacted(c)), /SECRET-TOKEN-123/);
});

test('enabledSources - credentials decide by default; HOTPAPERS_SOURCES overrides', () => {
  const dir = emptyDir();
  assert.deepEqual(enabledSources(loadConfig({ env: {}, cwd: dir })), ['hn', 'hf']);
  assert.deepEqual(enabledSources(loadConfig({ env: { X_BEARER_TOKEN: 't' }, cwd: dir })), ['x', 'hn', 'hf']);
  assert.deepEqual(
    enabledSources(
      loadConfig({ env: { BLUESKY_HANDLE: 'a.bsky.social', BLUESKY_APP_PASSWORD: 'p' }, cwd: dir }),
    ),
    ['bluesky', 'hn', 'hf'],
  );
  assert.deepEqual(enabledSources(loadConfig({ env: { HOTPAPERS_SOURCES: 'none' }, cwd: dir })), []);
  assert.deepEqual(
    enabledSources(loadConfig({ env: { HOTPAPERS_SOURCES: 'hn, hf', X_BEARER_TOKEN: 't' }, cwd: dir })),
    ['hn', 'hf'],
  );
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_SOURCES: 'x' }, cwd: dir }),
    /HOTPAPERS_SOURCES includes x but X_BEARER_TOKEN is not set/,
  );
});

test('loadConfig - weights from the environment', () => {
  const c = loadConfig({ env: { HOTPAPERS_WEIGHTS: 'hn=2,hf=0.5' }, cwd: emptyDir() });
  assert.deepEqual(c.weights, { hn: 2, hf: 0.5 });
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_WEIGHTS: 'hn' }, cwd: emptyDir() }),
    /HOTPAPERS_WEIGHTS must look like/,
  );
});

test('loadConfig - Bluesky listener and AppView endpoints (DESIGN §3)', () => {
  const dir = emptyDir();
  const c = loadConfig({ env: {}, cwd: dir });
  assert.equal(c.blueskyJetstreamUrl, 'wss://jetstream2.us-east.bsky.network/subscribe');
  assert.equal(c.blueskyAppviewUrl, 'https://public.api.bsky.app/xrpc');
  const set = loadConfig({
    env: {
      BLUESKY_JETSTREAM_URL: 'ws://127.0.0.1:9/subscribe',
      BLUESKY_APPVIEW_URL: 'http://127.0.0.1:9/xrpc',
    },
    cwd: dir,
  });
  assert.equal(set.blueskyJetstreamUrl, 'ws://127.0.0.1:9/subscribe');
  assert.equal(set.blueskyAppviewUrl, 'http://127.0.0.1:9/xrpc');
  throwsWith(
    () => loadConfig({ env: { BLUESKY_JETSTREAM_URL: 'https://jetstream.example/subscribe' }, cwd: dir }),
    /^config: BLUESKY_JETSTREAM_URL must be a ws\(s\) URL, got "https:\/\/jetstream\.example\/subscribe"$/,
  );
  throwsWith(
    () => loadConfig({ env: { BLUESKY_APPVIEW_URL: 'wss://x.example' }, cwd: dir }),
    /^config: BLUESKY_APPVIEW_URL must be an http\(s\) URL/,
  );
});

test('enabledSources - Bluesky without a login when the listener feeds the store', () => {
  const dir = emptyDir();
  const none = loadConfig({ env: {}, cwd: dir });
  assert.deepEqual(enabledSources(none, { blueskyListener: true }), ['bluesky', 'hn', 'hf']);
  assert.deepEqual(enabledSources(none, { blueskyListener: false }), ['hn', 'hf']);
  // Chosen explicitly without an app password: refresh only, not an error; half a login is one.
  assert.deepEqual(enabledSources(loadConfig({ env: { HOTPAPERS_SOURCES: 'bluesky' }, cwd: dir })), [
    'bluesky',
  ]);
  throwsWith(
    () => loadConfig({ env: { HOTPAPERS_SOURCES: 'bluesky', BLUESKY_HANDLE: 'a.bsky.social' }, cwd: dir }),
    /HOTPAPERS_SOURCES includes bluesky but BLUESKY_HANDLE and BLUESKY_APP_PASSWORD are not both set/,
  );
});
