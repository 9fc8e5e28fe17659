import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import {
  isoTime,
  isoTimeSql,
  storedJson,
  storedPostId,
  usualPostUrl,
  usualPostUrlSql,
} from '../../src/store/derived.js';
import { packTime } from '../../src/store/packed.js';

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

test('storedJson keys meet the stored values: json_each gives back what storedPostId and packTime bind', () => {
  const db = new Database(':memory:');
  try {
    // Untyped columns, as the store's id and instant columns are.
    db.exec('CREATE TABLE t (id NOT NULL, at NOT NULL, PRIMARY KEY (id, at)) WITHOUT ROWID');
    const ids = [
      '1402589585109098500',
      '9223372036854775807',
      '-9223372036854775808',
      '9223372036854775808',
      '1234567890123456',
      '0123456789012345678',
      '40123456',
      'at://did:plc:a/app.bsky.feed.post/k',
      'he said "hi"',
    ];
    const times = ['2021-06-09T18:07:48.000Z', '2021-06-09T18:07:48Z', 'not an instant'];
    const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
    for (const id of ids) for (const at of times) insert.run(storedPostId(id), packTime(at));
    const keys = ids.flatMap((id) =>
      times.map((at) => `[${storedJson(storedPostId(id))},${storedJson(packTime(at))}]`),
    );
    const found = db
      .prepare(
        `SELECT CAST(t.id AS TEXT) AS id, j.key AS k FROM json_each(?) AS j
         CROSS JOIN t ON t.id = j.value ->> 0 AND t.at = j.value ->> 1 ORDER BY j.key`,
      )
      .all(`[${keys.join(',')}]`) as Array<{ id: string; k: number }>;
    assert.deepEqual(
      found.map((r) => r.k),
      keys.map((_, i) => i),
      'every key meets its row',
    );
    assert.deepEqual(
      found.map((r) => r.id),
      ids.flatMap((id) => times.map(() => id)),
    );
  } finally {
    db.close();
  }
});
