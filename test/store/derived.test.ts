import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { isoTime, isoTimeSql, usualPostUrl, usualPostUrlSql } from '../../src/store/derived.js';

test('usualPostUrl gives what usualPostUrlSql gives for X, HN and HF, and leaves the others to it', () => {
  const db = new Database(':memory:');
  try {
    const sql = db.prepare(`SELECT ${usualPostUrlSql('@s', '@i', '@h')}`).pluck();
    const cases: Array<[string, string, string | undefined]> = [
      ['x', '1402589585109098500', 'ada'],
      ['x', '1402589585109098500', undefined],
      ['hn', '40123456', 'pg'],
      ['hf', '2603.00001', undefined],
    ];
    for (const [source, id, handle] of cases) {
      const js = usualPostUrl(source, id, handle);
      assert.ok(js, `${source} has a rule`);
      assert.equal(js, sql.get({ s: source, i: id, h: handle ?? null }), `${source} ${id} ${handle}`);
    }
    assert.equal(usualPostUrl('bluesky', 'at://did:plc:a/app.bsky.feed.post/k', 'ada'), undefined);
  } finally {
    db.close();
  }
});

test('isoTime gives what isoTimeSql gives: milliseconds as ISO text, text as it is', () => {
  const db = new Database(':memory:');
  try {
    const sql = db.prepare(`SELECT ${isoTimeSql('@t')}`).pluck();
    const cases: Array<number | string> = [
      Date.parse('2021-06-09T18:07:48.000Z'),
      Date.parse('2026-11-30T23:59:59.999Z'),
      Date.parse('2000-01-01T00:00:00.001Z'),
      0,
      '2021-06-09T18:07:48Z',
      'not an instant',
    ];
    // Bound as the store writes them (packTime: a BigInt is an INTEGER), read as SQLite returns them.
    for (const t of cases)
      assert.equal(isoTime(t), sql.get({ t: typeof t === 'number' ? BigInt(t) : t }), String(t));
  } finally {
    db.close();
  }
});
