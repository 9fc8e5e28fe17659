/**
 * X API v2 recent search, contract fixtures (test/fixtures/contracts/README.md names the docs):
 * the real parser reads them, the source pages through them, and the stand-in answers in no
 * shape the docs do not have.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { HttpClient } from '../../src/http/client.js';
import { matchPosts } from '../../src/match/match.js';
import type { SourceContext } from '../../src/sources/source.js';
import { createXSource, tweetToPost } from '../../src/sources/x.js';
import { describeProblem, parseSearchPage } from '../../src/sources/x-query.js';
import { startStandIn } from '../../src/standins/server.js';
import { fakeLongTweet, fakeTweet, startXStandIn } from '../../src/standins/x.js';
import type { Paper } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';
import { contract, contractJson, undocumented } from './shape.js';

const PAGE1 = contractJson('x/search-recent-page1.json');
const PAGE2 = contractJson('x/search-recent-page2.json');
const EMPTY = contractJson('x/search-recent-empty.json');
const DAY_IDS = new Set(['2611.01234', '2611.01300']);

test('X contract - page 1: includes.users, next_token, a partial error and a long post', () => {
  const page = parseSearchPage(PAGE1);
  assert.equal(page.tweets.length, 3);
  assert.equal(page.nextToken, 'b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy');
  assert.deepEqual(
    page.users.map((u) => u.username),
    ['janer', 'mldigest'],
  );
  assert.equal(page.errors.length, 1);
  assert.equal(
    describeProblem(page.errors[0]!),
    'Not Found Error: Could not find user with id: [555000111].',
  );

  const users = new Map(page.users.map((u) => [u.id, u]));
  const posts = page.tweets.map((t) => tweetToPost(t, t.author_id ? users.get(t.author_id) : undefined));
  const [long, quote, reply] = posts;
  // The long post: its visible part links only GitHub; the paper is in note_tweet.
  assert.match(page.tweets[0]!.text, /…$/);
  assert.equal([...page.tweets[0]!.text].length, 280);
  assert.deepEqual(long!.links, ['https://github.com/sparse-moe/router', 'https://arxiv.org/abs/2611.01234']);
  assert.equal(long!.text, page.tweets[0]!.note_tweet!.text);
  assert.match(long!.text, /Paper: https:\/\/t\.co\/Ax9pL3nV0b$/);
  assert.equal(long!.url, 'https://twitter.com/janer/status/1862001234567890123');
  assert.deepEqual(long!.metrics, { reposts: 42, likes: 311, replies: 7, quotes: 5 });
  // X's `&amp;` is plain text in a Post.
  assert.equal(quote!.text, 'Nice results & a clean ablation https://t.co/Pdf0aB1cD2');
  // The author X could not return: a post without a handle, still counted.
  assert.equal(reply!.authorHandle, undefined);
  assert.equal(reply!.url, 'https://twitter.com/i/web/status/1862000900000000003');

  const matched = matchPosts(posts, DAY_IDS);
  assert.deepEqual(
    matched.map((m) => [m.post.id, m.paperIds]),
    [
      ['1862001234567890123', ['2611.01234']],
      ['1862001000000000002', ['2611.01300']],
      ['1862000900000000003', ['2611.01234']],
    ],
  );
});

test('X contract - the last page has no next_token; an empty result has only meta', () => {
  const last = parseSearchPage(PAGE2);
  assert.equal(last.nextToken, undefined);
  assert.deepEqual(
    matchPosts([tweetToPost(last.tweets[0]!, last.users[0])], DAY_IDS).map((m) => m.paperIds),
    [['2611.01300']],
  );
  assert.deepEqual(parseSearchPage(EMPTY), { tweets: [], users: [], errors: [] });
});

function paper(id: string): Paper {
  return {
    id,
    version: 1,
    title: id,
    abstract: '',
    authors: [],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    announceType: 'new',
    method: 'rss',
  };
}

test('X contract - the source pages through the documented bodies and keeps the long post', async (t) => {
  const server = await startStandIn((req) => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: contract(req.query.get('next_token') ? 'x/search-recent-page2.json' : 'x/search-recent-page1.json'),
  }));
  t.after(() => server.close());
  const warnings: string[] = [];
  const ctx: SourceContext = {
    http: new HttpClient({ retryBaseMs: 5 }),
    config: configSchema.parse({ xBearerToken: 'token', xApiUrl: `${server.url}/2` }),
    now: new Date('2026-11-26T12:00:00Z'),
    day: '2026-11-25',
    announcedAt: new Date('2026-11-25T01:00:00Z'),
    log: { ...silentLogger, warn: (m) => warnings.push(m) },
  };
  const result = await createXSource().collect([...DAY_IDS].map(paper), ctx);
  assert.equal(server.requests.length, 2);
  assert.equal(server.requests[1]!.query.get('next_token'), 'b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy');
  assert.match(server.requests[0]!.query.get('tweet.fields') ?? '', /(^|,)note_tweet(,|$)/);
  assert.equal(result.posts.length, 4);
  assert.deepEqual(
    matchPosts(result.posts, DAY_IDS)
      .filter((m) => m.paperIds.includes('2611.01234'))
      .map((m) => m.post.id),
    ['1862001234567890123', '1862000900000000003'],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /returned 1 partial error\(s\): Not Found Error: Could not find user/);
});

test('X contract - the stand-in answers only in the documented shape', async (t) => {
  const server = await startXStandIn(
    {
      tweets: [
        fakeTweet({ id: '1', authorId: '10', links: ['https://arxiv.org/abs/2611.01234'], likes: 3 }),
        fakeLongTweet({
          id: '2',
          authorId: '10',
          prose: 'z'.repeat(300),
          links: ['https://arxiv.org/abs/2611.01234'],
        }),
      ],
      users: [{ id: '10', username: 'janer', name: 'Jane Researcher' }],
    },
    { token: 'token' },
  );
  t.after(() => server.close());
  const params = new URLSearchParams({
    query: 'url:"2611.01234" -is:retweet',
    max_results: '10',
    'tweet.fields': 'public_metrics,created_at,entities,author_id,lang,referenced_tweets,note_tweet',
    expansions: 'author_id',
  });
  const response = await fetch(`${server.apiUrl}/tweets/search/recent?${params}`, {
    headers: { authorization: 'Bearer token' },
  });
  const body = await response.json();
  assert.deepEqual(undocumented(body, PAGE1), []);
});
