import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { usualPostUrl, usualPostUrlSql } from '../../src/store/derived.js';

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
