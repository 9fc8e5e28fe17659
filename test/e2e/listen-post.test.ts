/**
 * The listener and `post` together, without a Bluesky login: a link-card-only post heard on
 * Jetstream before its paper is listed counts for the paper once `post` lists the day, with
 * the counts getPosts gives; a post deleted on the stream counts for nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runListener } from '../../src/listen/listener.js';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { blueskyPost, startBlueskyStandIn } from '../../src/standins/bluesky.js';
import { startHfStandIn } from '../../src/standins/hf.js';
import { startHnStandIn } from '../../src/standins/hn.js';
import { jetstreamDelete, jetstreamPost, startJetstreamStandIn } from '../../src/standins/jetstream.js';
import { startStandIn } from '../../src/standins/server.js';
import { openStore } from '../../src/store/db.js';
import { getStreamCursor, JETSTREAM, saveStreamCursor } from '../../src/store/stream.js';
import { silentLogger } from '../../src/util/log.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';
const paper = (n: number, title: string): StandInPaper => ({
  id: `2106.0000${n}`,
  version: 1,
  title,
  abstract: `About ${title}.`,
  authors: ['Ada Author'],
  categories: ['cs.LG'],
  primary: 'cs.LG',
  published: `2021-06-08T0${n}:00:00Z`,
  updated: `2021-06-08T0${n}:00:00Z`,
});
const us = (iso: string) => Date.parse(iso) * 1000;
const CAROL = 'did:plc:carol0000000000000000000';
const DAN = 'did:plc:dan000000000000000000000';

test('listen + post - a card-only post heard before its paper is listed counts, without a login', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-listen-post-'));
  const dbPath = join(dir, 'hp.db');

  // 1. The listener hears a card-only post (Beta) and a post (Alpha) that is deleted later.
  const events = [
    jetstreamPost({
      did: CAROL,
      rkey: '3kcard',
      timeUs: us('2021-06-09T01:00:00Z'),
      text: 'Great new paper!',
      link: 'https://arxiv.org/abs/2106.00002',
      linkIn: 'external',
    }),
    jetstreamPost({
      did: DAN,
      rkey: '3kgone',
      timeUs: us('2021-06-09T02:00:00Z'),
      text: 'hot take',
      link: 'https://arxiv.org/pdf/2106.00001v1',
      linkIn: 'facet',
    }),
    jetstreamDelete(DAN, '3kgone', us('2021-06-09T03:00:00Z')),
  ];
  const jet = await startJetstreamStandIn(events);
  t.after(() => jet.close());
  const db = openStore(dbPath);
  saveStreamCursor(db, JETSTREAM, us('2021-06-09T00:00:00Z'), new Date().toISOString());
  const controller = new AbortController();
  const listening = runListener({
    url: jet.url,
    db,
    log: silentLogger,
    signal: controller.signal,
    flushMs: 10,
  });
  while (getStreamCursor(db, JETSTREAM) !== events[2]!.time_us) await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await listening;
  db.close();

  // 2. The day is listed and ranked by `post`, with no Bluesky login: the counts come from getPosts.
  const arxiv = await startStandIn(arxivApiHandler([paper(1, 'Alpha'), paper(2, 'Beta'), paper(3, 'Gamma')]));
  const bsky = await startBlueskyStandIn(
    {
      handle: 'nobody.bsky.social',
      password: 'unused',
      posts: [
        blueskyPost({
          rkey: '3kcard',
          did: CAROL,
          handle: 'carol.bsky.social',
          displayName: 'Carol',
          text: 'Great new paper!',
          createdAt: '2021-06-09T00:59:59.750Z',
          link: 'https://arxiv.org/abs/2106.00002',
          linkIn: 'external',
          likes: 45,
          reposts: 5,
        }),
      ],
    },
    // The deleted post is gone from the AppView too.
  );
  const hn = await startHnStandIn({ hits: [] });
  const hf = await startHfStandIn({ days: {} });
  t.after(async () => {
    await Promise.all([arxiv.close(), bsky.close(), hn.close(), hf.close()]);
  });
  const result = await runCli(['post', '--date', DAY, '--out', dir], {
    ARXIV_API_URL: `${arxiv.url}/api/query`,
    ARXIV_LISTING: 'api',
    ARXIV_DELAY_MS: '0',
    BLUESKY_APPVIEW_URL: `${bsky.url}/xrpc`,
    BLUESKY_API_URL: bsky.apiUrl,
    BLUESKY_OEMBED_URL: bsky.oembedUrl,
    HN_API_URL: hn.apiUrl,
    HF_API_URL: hf.apiUrl,
    HOTPAPERS_NOW: NOW,
    HOTPAPERS_DB: dbPath,
    HOTPAPERS_RETRY_BASE_MS: '5',
  });
  assert.equal(result.code, 0, result.stderr);
  const post = readFileSync(join(dir, `${DAY}---Hot-Papers.md`), 'utf8');
  assert.deepEqual(post.match(/^# \d+\. .*$/gm), ['# 1. Beta']);
  assert.match(post, /^- retweets: 5, favorites: 45 \(06\/10\/2021 12:00:00\)$/m);
  assert.match(post, /<blockquote class="bluesky-embed"/);
  assert.match(result.stderr, /bluesky: ok \(1 posts/);
  assert.match(result.stderr, /search skipped/);

  // No login, no search: one getPosts for the stored, undeleted post.
  assert.deepEqual(
    bsky.requests.filter((r) => r.path.startsWith('/xrpc/')).map((r) => [r.path, r.query.getAll('uris')]),
    [['/xrpc/app.bsky.feed.getPosts', [`at://${CAROL}/app.bsky.feed.post/3kcard`]]],
  );
});
