import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpClient } from '../../src/http/client.js';
import { escapeMrkdwn, postWebhook, webhookHost, webhookPayload } from '../../src/ops/webhook.js';
import { closedPort, startStandIn } from '../../src/standins/server.js';
import type { DayDigest, RankedPaper } from '../../src/types.js';

function paper(rank: number, id: string, title: string, score: number): RankedPaper {
  return {
    rank,
    paper: {
      id,
      version: 1,
      title,
      abstract: 'a',
      authors: ['A. Author'],
      categories: ['cs.LG'],
      primaryCategory: 'cs.LG',
      announceType: 'new',
      method: 'api',
    },
    score,
    reposts: 0,
    likes: score,
    hn: { points: 0, comments: 0, stories: 0 },
    hf: { upvotes: 0, comments: 0 },
    bySource: {},
    uniqueAccounts: 1,
    selfPromotionPosts: 0,
    posts: [],
    shown: [],
  };
}

function digest(): DayDigest {
  return {
    day: '2021-06-09',
    categories: ['cs', 'stat.ML'],
    observedAt: '2021-06-10T00:00:00.000Z',
    horizon: '24h',
    ageHours: 24,
    weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
    thresholds: { minPaperScore: 50, minPostScore: 25, maxPosts: 10 },
    listed: 812,
    postsFound: 300,
    papers: [
      paper(1, '2106.04554', 'Attention <is> all & more', 900),
      paper(2, '2106.01345', 'Pipes | and stars', 400),
      paper(3, '2106.05234', 'Third', 60),
    ],
    health: [],
  };
}

const http = () => new HttpClient({ retryBaseMs: 5, maxAttempts: 2 });

test('webhookPayload - top N as text and blocks, with arXiv links and escaped titles', () => {
  const payload = webhookPayload(digest(), 2);
  assert.equal(
    payload.text,
    [
      'Hot Papers 2021-06-09: top 2 of 3 ranked papers (24h horizon: counts 24 h after the announcement)',
      // Slack reads `text` as mrkdwn too: escaped like the blocks.
      '1. Attention &lt;is&gt; all &amp; more (score 900) https://arxiv.org/abs/2106.04554',
      '2. Pipes | and stars (score 400) https://arxiv.org/abs/2106.01345',
    ].join('\n'),
  );
  assert.deepEqual(payload.blocks[0], {
    type: 'header',
    text: { type: 'plain_text', text: 'Hot Papers 2021-06-09' },
  });
  assert.deepEqual(payload.blocks[1], {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: '*1.* <https://arxiv.org/abs/2106.04554|Attention &lt;is&gt; all &amp; more> · score 900',
    },
  });
  assert.equal(
    (payload.blocks[2] as { text: { text: string } }).text.text,
    '*2.* <https://arxiv.org/abs/2106.01345|Pipes ¦ and stars> · score 400',
  );
  assert.equal(payload.blocks.length, 4);
  assert.equal(payload.blocks[3]!.type, 'context');
});

test('webhookPayload - a day with no ranked paper says so', () => {
  const d = { ...digest(), papers: [] };
  assert.equal(
    webhookPayload(d, 10).text,
    'Hot Papers 2021-06-09: no paper reached the threshold (812 papers listed, 300 posts found)',
  );
});

test('postWebhook - POSTs the JSON payload to the URL', async (t) => {
  const hook = await startStandIn(() => ({ status: 200, body: 'ok' }));
  t.after(() => hook.close());
  await postWebhook(http(), `${hook.url}/services/T000/B000/SECRETXYZ`, digest(), 3);
  assert.equal(hook.requests.length, 1);
  const req = hook.requests[0]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/services/T000/B000/SECRETXYZ');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(req.body), webhookPayload(digest(), 3));
});

test('postWebhook - failures name the host, never the secret path', async (t) => {
  const hook = await startStandIn(() => ({ status: 404, body: 'no_service SECRETXYZ' }));
  t.after(() => hook.close());
  const host = new URL(hook.url).host;
  await assert.rejects(postWebhook(http(), `${hook.url}/services/T000/B000/SECRETXYZ`, digest()), {
    message: `webhook: HTTP 404 from ${host}`,
  });
  const down = await closedPort();
  await assert.rejects(postWebhook(http(), `${down}/services/SECRETXYZ`, digest()), (error: Error) => {
    assert.match(error.message, /^webhook: no answer from 127\.0\.0\.1:\d+ \(/);
    assert.doesNotMatch(error.message, /SECRETXYZ/);
    return true;
  });
});

test('webhookHost / escapeMrkdwn', () => {
  assert.equal(webhookHost('https://hooks.slack.com/services/T/B/X'), 'hooks.slack.com');
  assert.throws(() => webhookHost('ftp://x/y'), { message: 'webhook: the webhook URL must be http(s)' });
  assert.throws(() => webhookHost('not a url'), { message: 'webhook: the webhook URL is not a valid URL' });
  assert.equal(escapeMrkdwn('a<b>&c'), 'a&lt;b&gt;&amp;c');
});
