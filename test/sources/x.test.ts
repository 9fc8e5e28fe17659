import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { configSchema } from '../../src/config/schema.js';
import { HttpClient, type HttpOptions } from '../../src/http/client.js';
import { matchPosts } from '../../src/match/match.js';
import type { SourceContext } from '../../src/sources/source.js';
import { createXSource, isRetweet, tweetToPost } from '../../src/sources/x.js';
import { parseSearchPage, X_QUERY_LIMIT, type XTweet, type XUser } from '../../src/sources/x-query.js';
import {
  fakeLongTweet,
  fakeTweet,
  startXStandIn,
  X_TEXT_CUT,
  type XStandIn,
  type XStandInData,
  type XStandInOptions,
} from '../../src/standins/x.js';
import type { Paper } from '../../src/types.js';
import { silentLogger } from '../../src/util/log.js';

const TOKEN = 'sekret-bearer-AAAA1234';
/** Day 2021-06-09 became public at 2021-06-08 20:00 US Eastern. */
const ANNOUNCED = new Date('2021-06-09T00:00:00Z');

function paper(id: string): Paper {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    abstract: 'Abstract.',
    authors: ['A. Author'],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    announceType: 'new',
    method: 'rss',
  };
}

const paperIds = Array.from({ length: 64 }, (_, i) => `2106.${String(4500 + i).padStart(5, '0')}`);
const papers = paperIds.map(paper);

const users: XUser[] = [
  { id: '10', username: 'thomaskipf', name: 'Thomas Kipf' },
  { id: '11', username: 'dennybritz', name: 'Denny Britz' },
];

async function standIn(t: TestContext, data: XStandInData, options: XStandInOptions = {}): Promise<XStandIn> {
  const server = await startXStandIn(data, { token: TOKEN, ...options });
  t.after(() => server.close());
  return server;
}

function context(
  server: XStandIn,
  extra: { maxXReads?: number; token?: string; http?: Partial<HttpOptions> } = {},
) {
  const http = new HttpClient({ retryBaseMs: 5, ...extra.http });
  const config = configSchema.parse({
    xBearerToken: extra.token ?? TOKEN,
    xApiUrl: server.apiUrl,
    xOembedUrl: server.oembedUrl,
    ...(extra.maxXReads ? { maxXReads: extra.maxXReads } : {}),
  });
  const ctx: SourceContext = {
    http,
    config,
    now: new Date('2021-06-10T18:00:00Z'),
    day: '2021-06-09',
    announcedAt: ANNOUNCED,
    log: silentLogger,
  };
  return ctx;
}

/** The promise rejects with a one-line message matching `pattern`. */
async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.match(error.message, pattern);
    return true;
  });
}

const searches = (server: XStandIn) => server.requests.filter((r) => r.path.includes('/tweets/search/'));

/** n tweets linking `id`, one minute apart after the announcement. */
function tweetsFor(id: string, n: number, firstId: number): XTweet[] {
  return Array.from({ length: n }, (_, i) =>
    fakeTweet({
      id: String(firstId + i),
      authorId: '10',
      links: [`https://arxiv.org/abs/${id}`],
      createdAt: new Date(ANNOUNCED.getTime() + (i + 1) * 60_000).toISOString(),
      likes: i,
    }),
  );
}

describe('X source: collect', () => {
  it('batches the ids, sends the documented request, and builds posts', async (t) => {
    const tweets = [
      fakeTweet({
        id: '1277570203665170432',
        authorId: '10',
        text: 'Slot Attention &amp; more https://t.co/xfpjQwMuLP',
        links: ['https://arxiv.org/abs/2106.04500'],
        createdAt: '2021-06-09T10:00:00.000Z',
        reposts: 3,
        likes: 40,
        replies: 2,
        quotes: 1,
      }),
      fakeTweet({
        id: '1277503793513537536',
        authorId: '11',
        links: ['https://arxiv.org/pdf/2106.04563v2.pdf'],
      }),
      // Linked outside the day's papers: never returned.
      fakeTweet({ id: '999', authorId: '11', links: ['https://arxiv.org/abs/2001.00001'] }),
    ];
    tweets[0]!.entities!.urls![0]!.unwound_url = 'https://arxiv.org/abs/2106.04500v1';
    const server = await standIn(t, { tweets, users });
    const source = createXSource();
    const result = await source.collect(papers, context(server));

    const reqs = searches(server);
    assert.equal(reqs.length, 3, '64 ids in ⌈64/25⌉ queries');
    assert.ok(reqs.length <= Math.ceil(64 / 20));
    for (const req of reqs) {
      assert.equal(req.path, '/2/tweets/search/recent', 'the announcement is within 7 days of HOTPAPERS_NOW');
      assert.ok(req.query.get('query')!.length <= X_QUERY_LIMIT);
      assert.equal(req.query.get('max_results'), '100');
      assert.equal(
        req.query.get('tweet.fields'),
        'public_metrics,created_at,entities,author_id,lang,referenced_tweets,note_tweet',
      );
      assert.equal(req.query.get('expansions'), 'author_id');
      assert.equal(req.query.get('user.fields'), 'username,name');
      assert.equal(req.query.get('start_time'), null, 'recent search sends no start_time');
      assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    }
    assert.match(
      reqs[0]!.query.get('query')!,
      /^\(url:"2106\.04500" OR url:"2106\.04501" OR .*\) -is:retweet$/,
    );

    assert.deepEqual(result.notes, []);
    assert.deepEqual(result.posts.map((p) => p.id).sort(), ['1277503793513537536', '1277570203665170432']);
    const kipf = result.posts.find((p) => p.id === '1277570203665170432')!;
    assert.deepEqual(kipf, {
      source: 'x',
      id: '1277570203665170432',
      authorId: '10',
      authorHandle: 'thomaskipf',
      authorName: 'Thomas Kipf',
      url: 'https://twitter.com/thomaskipf/status/1277570203665170432',
      text: 'Slot Attention & more https://t.co/xfpjQwMuLP',
      createdAt: '2021-06-09T10:00:00.000Z',
      links: ['https://arxiv.org/abs/2106.04500', 'https://arxiv.org/abs/2106.04500v1'],
      metrics: { reposts: 3, likes: 40, replies: 2, quotes: 1 },
    });
    assert.equal('raw' in kipf, false, 'the tweet is not kept (nothing reads it)');
    assert.equal(source.stats.requests, 3);
    assert.equal(source.stats.postsRead, 2);
  });

  it('follows meta.next_token through every page', async (t) => {
    const server = await standIn(t, { tweets: tweetsFor('2106.04510', 250, 5000), users });
    const result = await createXSource().collect([paper('2106.04510')], context(server));
    const reqs = searches(server);
    assert.equal(reqs.length, 3);
    assert.equal(reqs[0]!.query.get('next_token'), null);
    assert.ok(reqs[1]!.query.get('next_token'));
    assert.notEqual(reqs[2]!.query.get('next_token'), reqs[1]!.query.get('next_token'));
    assert.equal(result.posts.length, 250);
    assert.equal(new Set(result.posts.map((p) => p.id)).size, 250);
  });

  it('a long post whose only arXiv link is past the 280-character cut counts for its paper', async (t) => {
    const prose = `We have been working on this for two years. ${'It scales, it is simple, and it beats every baseline we tried. '.repeat(5)}Paper:`;
    const long = fakeLongTweet({
      id: '300',
      authorId: '10',
      prose,
      links: ['https://arxiv.org/abs/2106.04530'],
      reposts: 12,
      likes: 80,
    });
    // The stand-in holds the post as X does: the link is only in note_tweet.
    assert.ok(prose.length > X_TEXT_CUT, 'the prose alone passes the cut');
    assert.equal(long.entities, undefined, 'no link inside the visible part');
    assert.equal(long.note_tweet?.entities?.urls?.[0]?.expanded_url, 'https://arxiv.org/abs/2106.04530');
    const server = await standIn(t, { tweets: [long], users });
    const result = await createXSource().collect(papers, context(server));
    for (const req of searches(server)) {
      assert.match(req.query.get('tweet.fields') ?? '', /(^|,)note_tweet(,|$)/, 'asks for note_tweet');
    }
    assert.equal(result.posts.length, 1);
    const post = result.posts[0]!;
    assert.deepEqual(post.links, ['https://arxiv.org/abs/2106.04530']);
    assert.equal(post.text, long.note_tweet!.text, 'the whole text, not the truncated one');
    const matched = matchPosts(result.posts, new Set(paperIds));
    assert.deepEqual(
      matched.map((m) => [m.post.id, m.paperIds]),
      [['300', ['2106.04530']]],
    );
  });

  it('the stand-in sends note_tweet only when tweet.fields asks for it, as X does', async (t) => {
    const long = fakeLongTweet({
      id: '301',
      authorId: '10',
      prose: 'x'.repeat(300),
      links: ['https://arxiv.org/abs/2106.04531'],
    });
    const server = await standIn(t, { tweets: [long], users });
    const ask = async (fields: string) => {
      const url = `${server.apiUrl}/tweets/search/recent?query=${encodeURIComponent('url:"2106.04531"')}&tweet.fields=${fields}`;
      const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      return parseSearchPage(await response.json());
    };
    const without = await ask('entities,public_metrics');
    assert.equal(
      without.tweets.length,
      1,
      'url: matches the full text, so the post is returned (and billed)',
    );
    assert.equal(without.tweets[0]!.note_tweet, undefined);
    assert.deepEqual(
      tweetToPost(without.tweets[0]!, undefined).links,
      [],
      'without note_tweet the link is lost',
    );
    const withNote = await ask('entities,public_metrics,note_tweet');
    assert.deepEqual(tweetToPost(withNote.tweets[0]!, undefined).links, ['https://arxiv.org/abs/2106.04531']);
  });

  it('a long post with links before and after the cut keeps both, once each', () => {
    const long = fakeLongTweet({
      id: '302',
      authorId: '10',
      prose: `Code https://t.co/early and ${'y'.repeat(300)}`,
      links: ['https://arxiv.org/abs/2106.04532'],
    });
    // A link inside the visible part is in both entities and note_tweet.
    long.entities = {
      urls: [{ start: 5, end: 23, url: 'https://t.co/early', expanded_url: 'https://github.com/a/b' }],
    };
    long.note_tweet!.entities!.urls!.unshift({
      start: 5,
      end: 23,
      url: 'https://t.co/early',
      expanded_url: 'https://github.com/a/b',
    });
    assert.deepEqual(tweetToPost(long, undefined).links, [
      'https://github.com/a/b',
      'https://arxiv.org/abs/2106.04532',
    ]);
  });

  it('drops retweet objects, whose engagement belongs to the original', async (t) => {
    const original = fakeTweet({
      id: '100',
      authorId: '10',
      links: ['https://arxiv.org/abs/2106.04501'],
      likes: 50,
    });
    const retweet = fakeTweet({
      id: '101',
      authorId: '11',
      links: ['https://arxiv.org/abs/2106.04501'],
      likes: 0,
      reposts: 0,
      retweetOf: '100',
    });
    assert.equal(isRetweet(retweet), true);
    assert.equal(isRetweet(original), false);
    const server = await standIn(t, { tweets: [original, retweet], users }, { honourIsRetweet: false });
    const source = createXSource();
    const result = await source.collect([paper('2106.04501')], context(server));
    assert.deepEqual(
      result.posts.map((p) => p.id),
      ['100'],
    );
    assert.equal(source.stats.postsRead, 2, 'the retweet was read (and billed)');
    assert.equal(source.stats.retweetsDropped, 1);
  });

  it('returns a post found by two batches twice (matching counts it once per paper)', async (t) => {
    const both = fakeTweet({
      id: '200',
      authorId: '10',
      links: ['https://arxiv.org/abs/2106.04500', 'https://arxiv.org/abs/2106.04563'],
    });
    const server = await standIn(t, { tweets: [both], users });
    const result = await createXSource().collect(papers, context(server));
    assert.equal(searches(server).length, 3);
    assert.deepEqual(
      result.posts.map((p) => p.id),
      ['200', '200'],
    );
  });

  it('waits for x-rate-limit-reset after a 429, then succeeds', async (t) => {
    const server = await standIn(
      t,
      { tweets: tweetsFor('2106.04520', 3, 7000), users },
      { failures: { rateLimited: { times: 1, resetInSeconds: 120 } } },
    );
    const waits: number[] = [];
    const ctx = context(server, {
      http: {
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    });
    const result = await createXSource().collect([paper('2106.04520')], ctx);
    assert.equal(result.posts.length, 3);
    assert.equal(searches(server).length, 2);
    assert.equal(waits.length, 1);
    // The header asked for ~120 s; backoff alone would have waited a few ms.
    assert.ok(waits[0]! > 60_000 && waits[0]! <= 121_000, `waited ${waits[0]} ms`);
  });

  it('retries a 503 and succeeds', async (t) => {
    const server = await standIn(
      t,
      { tweets: tweetsFor('2106.04520', 2, 7100), users },
      { failures: { unavailable: 2 } },
    );
    const result = await createXSource().collect([paper('2106.04520')], context(server));
    assert.equal(result.posts.length, 2);
    assert.equal(searches(server).length, 3);
  });

  it('fails a bad token with one line naming x and 401, never the token', async (t) => {
    const server = await standIn(t, { tweets: [], users });
    const wrong = 'wrong-token-ZZZZ9876';
    await assert.rejects(
      createXSource().collect(papers, context(server, { token: wrong })),
      (error: Error) => {
        assert.match(
          error.message,
          /^x: HTTP 401 Unauthorized for GET 127\.0\.0\.1:\d+\/2\/tweets\/search\/recent \(check X_BEARER_TOKEN\)$/,
        );
        assert.ok(!error.message.includes(wrong));
        assert.ok(!error.message.includes(TOKEN));
        return true;
      },
    );
    assert.equal(searches(server).length, 1, '401 is not retried');
  });

  it('fails malformed JSON with one line', async (t) => {
    const server = await standIn(t, { tweets: [], users }, { failures: { malformed: 'search' } });
    await rejectsWith(
      createXSource().collect([paper('2106.04500')], context(server)),
      /^x: malformed JSON for GET 127\.0\.0\.1:\d+\/2\/tweets\/search\/recent$/,
    );
  });

  it('reports an errors array inside a 200 that carries no data', async (t) => {
    const server = await standIn(t, { tweets: [], users }, { failures: { errorsOnly: true } });
    await rejectsWith(
      createXSource().collect([paper('2106.04500')], context(server)),
      /^x: GET 127\.0\.0\.1:\d+\/2\/tweets\/search\/recent returned errors and no data: Operational Error: Search is temporarily degraded; no results could be produced\.$/,
    );
  });

  it('stops at --max-x-reads with a note, asking for no more than the cap', async (t) => {
    const server = await standIn(t, { tweets: tweetsFor('2106.04530', 250, 8000), users });
    const source = createXSource();
    const result = await source.collect([paper('2106.04530')], context(server, { maxXReads: 120 }));
    assert.equal(result.posts.length, 120);
    assert.deepEqual(result.notes, ['x: stopped at 120 posts (--max-x-reads)']);
    assert.deepEqual(
      searches(server).map((r) => r.query.get('max_results')),
      ['100', '20'],
    );
    assert.equal(source.stats.capped, true);
  });

  it('counts what X bills: every post and user object returned, a page cut by the cap and a failed run included', async (t) => {
    // 250 posts, two authors: with a cap of 105 the second page asks for X's minimum of 10, and
    // X returns (and bills) all 10 though the reading stops after 5 of them.
    const tweets = tweetsFor('2106.04530', 250, 8000).map((tw, i) => ({
      ...tw,
      author_id: i % 2 ? '11' : '10',
    }));
    const server = await standIn(t, { tweets, users });
    const source = createXSource();
    const result = await source.collect([paper('2106.04530')], context(server, { maxXReads: 105 }));
    assert.deepEqual(
      searches(server).map((r) => r.query.get('max_results')),
      ['100', '10'],
    );
    assert.equal(result.posts.length, 105);
    assert.equal(source.stats.postsRead, 105);
    assert.deepEqual(source.billedReads?.(), { posts: 110, users: 4 }, 'two pages, each with both authors');

    // A run that fails on its second page: the first page's reads were billed all the same.
    const failing = await standIn(
      t,
      { tweets: tweetsFor('2106.04531', 150, 9000), users },
      {
        failures: {
          inject: (_req, index) =>
            index === 1 ? { status: 400, body: '{"title":"Invalid Request"}' } : undefined,
        },
      },
    );
    await rejectsWith(
      source.collect([paper('2106.04531')], context(failing)),
      /^x: HTTP 400 Bad Request for GET /,
    );
    assert.deepEqual(source.billedReads?.(), { posts: 100, users: 1 }, 'counted afresh for this run');
  });

  it('adds no note when the cap is met exactly with nothing left', async (t) => {
    const server = await standIn(t, { tweets: tweetsFor('2106.04530', 30, 8000), users });
    const result = await createXSource().collect([paper('2106.04530')], context(server, { maxXReads: 30 }));
    assert.equal(result.posts.length, 30);
    assert.deepEqual(result.notes, []);
  });

  it('stops between batches when the cap is reached', async (t) => {
    const tweets = [...tweetsFor('2106.04500', 15, 9000), ...tweetsFor('2106.04563', 15, 9100)];
    const server = await standIn(t, { tweets, users });
    const result = await createXSource().collect(papers, context(server, { maxXReads: 15 }));
    assert.equal(searches(server).length, 1, 'the second and third batches were never read');
    assert.equal(result.posts.length, 15);
    assert.deepEqual(result.notes, ['x: stopped at 15 posts (--max-x-reads)']);
  });

  it('chooses the endpoint by HOTPAPERS_NOW: recent within 7 days, full archive with start_time beyond', async (t) => {
    const announcedAt = new Date('2026-08-30T00:00:00Z');
    const tweets = [
      fakeTweet({
        id: '300',
        authorId: '10',
        links: ['https://arxiv.org/abs/2608.12345'],
        createdAt: '2026-08-31T09:00:00.000Z',
      }),
    ];
    const server = await standIn(t, { tweets, users });
    const source = createXSource({ clock: () => new Date('2026-09-20T00:00:00Z') });

    const recent = { ...context(server), announcedAt, now: new Date('2026-09-01T12:00:00Z') };
    const result = await source.collect([paper('2608.12345')], recent);
    const [req] = searches(server);
    assert.equal(req!.path, '/2/tweets/search/recent');
    assert.equal(req!.query.get('start_time'), null);
    assert.deepEqual(
      result.posts.map((p) => p.id),
      ['300'],
    );

    const late = { ...context(server), announcedAt, now: new Date('2026-09-07T00:00:01Z') };
    await source.collect([paper('2608.12345')], late);
    const last = searches(server).at(-1)!;
    assert.equal(last.path, '/2/tweets/search/all');
    assert.equal(last.query.get('start_time'), '2026-08-30T00:00:00Z');
  });

  it('fails without a token rather than sending an empty one', async (t) => {
    const server = await standIn(t, { tweets: [], users });
    const ctx = context(server);
    const noToken = { ...ctx, config: { ...ctx.config, xBearerToken: undefined } };
    await rejectsWith(createXSource().collect(papers, noToken), /^x: X_BEARER_TOKEN is not set$/);
    assert.equal(server.requests.length, 0);
  });
});

describe('X source: embed', () => {
  const seedHtml =
    '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Evaluation</p>&mdash; Denny Britz (@dennybritz) <a href="https://twitter.com/dennybritz/status/1277503793513537536?ref_src=twsrc%5Etfw">June 29, 2020</a></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n\n';
  const tweet = fakeTweet({
    id: '1277503793513537536',
    authorId: '11',
    links: ['https://arxiv.org/abs/2106.04500'],
  });

  it('GETs oEmbed with only the url parameter and returns the html as received', async (t) => {
    const server = await standIn(t, { tweets: [tweet], users, oembed: { [tweet.id]: seedHtml } });
    const post = tweetToPost(tweet, users[1]);
    const html = await createXSource().embed(post, context(server));
    assert.equal(html, seedHtml);
    const [req] = server.requests;
    assert.equal(req!.path, '/oembed');
    assert.deepEqual([...req!.query.keys()], ['url']);
    assert.equal(req!.query.get('url'), 'https://twitter.com/dennybritz/status/1277503793513537536');
    assert.equal(req!.headers.authorization, undefined, 'oEmbed needs no token');
  });

  it('returns null for a post X will not embed (404)', async (t) => {
    const server = await standIn(t, { tweets: [tweet], users });
    const html = await createXSource().embed(tweetToPost(tweet, users[1]), context(server));
    assert.equal(html, null);
    assert.equal(server.requests.length, 1, '404 is not retried');
  });

  it('fails malformed oEmbed JSON with one line naming x', async (t) => {
    const server = await standIn(
      t,
      { tweets: [tweet], users, oembed: { [tweet.id]: seedHtml } },
      { failures: { malformed: 'oembed' } },
    );
    await rejectsWith(
      createXSource().embed(tweetToPost(tweet, users[1]), context(server)),
      /^x: malformed JSON for GET 127\.0\.0\.1:\d+\/oembed$/,
    );
  });
});

describe('tweetToPost', () => {
  it('builds a post from the documented page', () => {
    const page = parseSearchPage(
      JSON.parse(readFileSync(new URL('../fixtures/x/search-page.json', import.meta.url), 'utf8')),
    );
    const post = tweetToPost(page.tweets[0]!, page.users[0]);
    assert.equal(post.url, 'https://twitter.com/janer/status/2060123456789012345');
    assert.equal(post.text, 'Our new paper on sparse attention is out & open https://t.co/AbCdEf12');
    assert.deepEqual(post.links, ['https://arxiv.org/abs/2608.12345', 'https://arxiv.org/abs/2608.12345v2']);
    assert.deepEqual(post.metrics, { reposts: 42, likes: 311, replies: 7, quotes: 5 });
    assert.equal(isRetweet(page.tweets[0]!), false, 'a quote is not a retweet');
  });

  it('has a handle-free address when the author is missing from includes', () => {
    const post = tweetToPost(fakeTweet({ id: '42', authorId: '77' }), undefined);
    assert.equal(post.url, 'https://twitter.com/i/web/status/42');
    assert.equal(post.authorHandle, undefined);
    assert.deepEqual(post.links, []);
  });
});

describe('X stand-in wire format', () => {
  const get = (server: XStandIn, path: string, token = TOKEN) =>
    fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers an empty search without a data key, with rate-limit headers', async (t) => {
    const server = await standIn(t, { tweets: [], users });
    const response = await get(
      server,
      `/2/tweets/search/recent?query=${encodeURIComponent('url:"2106.04500"')}`,
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { meta: { result_count: 0 } });
    assert.equal(response.headers.get('x-rate-limit-limit'), '450');
    assert.equal(response.headers.get('x-rate-limit-remaining'), '449');
    assert.match(response.headers.get('x-rate-limit-reset')!, /^\d{10}$/);
  });

  it('pages with max_results and next_token, newest first, users in includes', async (t) => {
    const server = await standIn(t, { tweets: tweetsFor('2106.04540', 15, 100), users });
    const q = `/2/tweets/search/all?max_results=10&query=${encodeURIComponent('(url:"2106.04540" OR url:"2106.04541") -is:retweet')}`;
    const first = (await (await get(server, q)).json()) as {
      data: XTweet[];
      includes: { users: XUser[] };
      meta: { result_count: number; next_token: string; newest_id: string };
    };
    assert.equal(first.data.length, 10);
    assert.equal(first.data[0]!.id, '114');
    assert.equal(first.meta.newest_id, '114');
    assert.equal(first.meta.result_count, 10);
    assert.deepEqual(first.includes.users, [users[0]]);
    const second = (await (await get(server, `${q}&next_token=${first.meta.next_token}`)).json()) as {
      data: XTweet[];
      meta: Record<string, unknown>;
    };
    assert.deepEqual(
      second.data.map((tw) => tw.id),
      ['104', '103', '102', '101', '100'],
    );
    assert.equal(second.meta['next_token'], undefined);
  });

  it('rejects what X rejects: bad token, long query, max_results out of range', async (t) => {
    const server = await standIn(t, { tweets: [], users });
    const bad = await get(server, '/2/tweets/search/recent?query=a', 'nope');
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), {
      title: 'Unauthorized',
      type: 'about:blank',
      status: 401,
      detail: 'Unauthorized',
    });
    const long = await get(server, `/2/tweets/search/recent?query=${'a'.repeat(513)}`);
    assert.equal(long.status, 400);
    assert.equal(((await long.json()) as { title: string }).title, 'Invalid Request');
    assert.equal((await get(server, '/2/tweets/search/recent?query=a&max_results=5')).status, 400);
    assert.equal((await get(server, '/2/tweets/search/all?query=a&max_results=500')).status, 200);
  });

  it('serves oEmbed JSON in X shape, 404 for unknown ids', async (t) => {
    const tweet = fakeTweet({
      id: '555',
      authorId: '11',
      text: 'a &lt; b',
      createdAt: '2021-06-09T10:00:00.000Z',
    });
    const server = await standIn(t, { tweets: [tweet], users }, { generateOembed: true });
    const ok = await fetch(
      `${server.oembedUrl}?url=${encodeURIComponent('https://twitter.com/dennybritz/status/555')}`,
    );
    const body = (await ok.json()) as Record<string, unknown>;
    assert.deepEqual(
      { ...body, html: undefined },
      {
        url: 'https://twitter.com/dennybritz/status/555',
        author_name: 'Denny Britz',
        author_url: 'https://twitter.com/dennybritz',
        html: undefined,
        width: 550,
        height: null,
        type: 'rich',
        cache_age: '3153600000',
        provider_name: 'Twitter',
        provider_url: 'https://twitter.com',
        version: '1.0',
      },
    );
    assert.equal(
      body['html'],
      '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">a &lt; b</p>&mdash; Denny Britz (@dennybritz) <a href="https://twitter.com/dennybritz/status/555?ref_src=twsrc%5Etfw">June 9, 2021</a></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n\n',
    );
    const missing = await fetch(
      `${server.oembedUrl}?url=${encodeURIComponent('https://twitter.com/x/status/1')}`,
    );
    assert.equal(missing.status, 404);
  });
});
