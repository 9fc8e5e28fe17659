import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  batchQueries,
  describeProblem,
  parseSearchPage,
  queryIds,
  RECENT_WINDOW_MS,
  rfc3339,
  searchEndpoint,
  searchStartTime,
  X_QUERY_LIMIT,
} from '../../src/sources/x-query.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/x/${name}`, import.meta.url), 'utf8'));

/** 64 distinct new-style ids like 2106.04554. */
const ids64 = Array.from({ length: 64 }, (_, i) => `2106.${String(4500 + i * 7).padStart(5, '0')}`);

describe('batchQueries', () => {
  it('keeps every query within 512 characters and makes at most ⌈64/20⌉ queries for 64 ids', () => {
    const queries = batchQueries(ids64);
    assert.ok(queries.length <= Math.ceil(64 / 20), `made ${queries.length} queries`);
    assert.equal(queries.length, 3, '25 bare ids fit in one query');
    for (const q of queries) {
      assert.ok(q.length <= X_QUERY_LIMIT, `${q.length} characters`);
      assert.match(q, /^\(url:"[^"]+"( OR url:"[^"]+")+\) -is:retweet$/);
    }
    assert.deepEqual(queries.flatMap(queryIds), ids64, 'every id once, in order');
  });

  it('fills each query as far as the limit allows', () => {
    const queries = batchQueries(ids64);
    // The next id would not have fitted: the first query plus one more term exceeds the limit.
    const first = queries[0]!;
    assert.ok(first.length + ' OR url:"2106.99999"'.length > X_QUERY_LIMIT);
    assert.equal(queryIds(first).length, 25);
  });

  it('respects a smaller limit and old-style ids', () => {
    const old = Array.from({ length: 30 }, (_, i) => `hep-th/99010${String(i).padStart(2, '0')}`);
    const queries = batchQueries(old, 200);
    for (const q of queries) assert.ok(q.length <= 200, `${q.length} characters: ${q}`);
    assert.deepEqual(queries.flatMap(queryIds), old);
  });

  it('gives a lone id the plain old query, even when it alone exceeds the limit', () => {
    assert.deepEqual(batchQueries(['2106.04554']), ['url:"2106.04554" -is:retweet']);
    assert.deepEqual(batchQueries(['2106.04554', '2106.04555'], 20), [
      'url:"2106.04554" -is:retweet',
      'url:"2106.04555" -is:retweet',
    ]);
  });

  it('drops duplicates, blanks and ids that would break the quoting', () => {
    assert.deepEqual(batchQueries([]), []);
    assert.deepEqual(batchQueries(['2106.04554', ' 2106.04554 ', '', 'a"b', 'x y']), [
      'url:"2106.04554" -is:retweet',
    ]);
  });
});

describe('searchEndpoint and searchStartTime', () => {
  const now = new Date('2026-09-01T12:00:00Z');
  const daysBefore = (d: number) => new Date(now.getTime() - d * 24 * 3600 * 1000);

  it('uses recent search within 7 days of now and full-archive search before', () => {
    assert.equal(searchEndpoint(daysBefore(1), now), '/tweets/search/recent');
    assert.equal(searchEndpoint(daysBefore(6.9), now), '/tweets/search/recent');
    assert.equal(searchEndpoint(daysBefore(7), now), '/tweets/search/all');
    assert.equal(searchEndpoint(daysBefore(400), now), '/tweets/search/all');
  });

  it('starts at the announcement, clamped into the recent window', () => {
    const announced = daysBefore(2);
    assert.equal(searchStartTime('/tweets/search/recent', announced, now), rfc3339(announced));
    assert.equal(rfc3339(announced), '2026-08-30T12:00:00Z');
    const nearEdge = new Date(now.getTime() - RECENT_WINDOW_MS + 1000);
    assert.equal(searchStartTime('/tweets/search/recent', nearEdge, now), '2026-08-25T12:01:00Z');
    const future = new Date(now.getTime() + 3600_000);
    assert.equal(searchStartTime('/tweets/search/recent', future, now), '2026-09-01T11:59:00Z');
    const old = new Date('2021-06-09T00:00:00.000Z');
    assert.equal(searchStartTime('/tweets/search/all', old, now), '2021-06-09T00:00:00Z');
  });
});

describe('parseSearchPage', () => {
  it('reads a documented page: tweets as received, users, next token', () => {
    const json = fixture('search-page.json') as { data: unknown[] };
    const page = parseSearchPage(json);
    assert.equal(page.tweets.length, 1);
    assert.equal(page.tweets[0], json.data[0], 'the tweet object itself, not a copy');
    assert.equal(page.tweets[0]!.public_metrics?.like_count, 311);
    assert.deepEqual(
      page.users.map((u) => u.username),
      ['janer'],
    );
    assert.equal(page.nextToken, 'b26v89c19zqg8o3fo7gesq314yb9l2l4ptqy');
    assert.deepEqual(page.errors, []);
  });

  it('reads an empty result (no data key) and an errors array', () => {
    assert.deepEqual(parseSearchPage({ meta: { result_count: 0 } }), { tweets: [], users: [], errors: [] });
    const page = parseSearchPage({ errors: [{ title: 'Operational Error', detail: 'degraded' }], meta: {} });
    assert.equal(page.errors.length, 1);
    assert.equal(describeProblem(page.errors[0]!), 'Operational Error: degraded');
    assert.equal(describeProblem({ code: 88, message: 'Rate limit exceeded' }), 'Rate limit exceeded');
  });

  it('fails with one line naming the bad field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /^x: search response is null, expected a JSON object$/],
      [[1], /^x: search response is an array, expected a JSON object$/],
      ['text', /^x: search response is a string, expected a JSON object$/],
      [{ data: {} }, /^x: search response has an unexpected shape at data: .+$/],
      [{ data: [{ id: 5, text: 'x' }] }, /^x: search response has an unexpected shape at data\[0\]\.id: .+$/],
      [{ data: [], includes: { users: [{ id: '1' }] } }, /at includes\.users\[0\]\.username: /],
      [{ meta: { next_token: 7 } }, /at meta\.next_token: /],
    ];
    for (const [json, pattern] of cases) {
      assert.throws(
        () => parseSearchPage(json),
        (error: Error) => {
          assert.match(error.message, pattern);
          assert.doesNotMatch(error.message, /\n/);
          return true;
        },
      );
    }
  });
});
