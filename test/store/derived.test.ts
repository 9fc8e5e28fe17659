import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { seededRandom } from '../../src/standins/random.js';
import {
  isoTime,
  isoTimeSql,
  storedJson,
  storedPostId,
  usualPostUrl,
  usualPostUrlSql,
} from '../../src/store/derived.js';
import { packTime, packTimeByRoundTrip } from '../../src/store/packed.js';

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

test('packTime reads a time field by field exactly as the round trip through toISOString decides', () => {
  const rnd = seededRandom(20261203);
  const canonical = (ms: number) => new Date(ms).toISOString();
  const cases = [
    '2021-06-09T18:07:48.000Z',
    '1970-01-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59.999Z',
    '+010000-01-01T00:00:00.000Z',
    '2024-02-29T12:00:00.000Z',
    '2023-02-29T12:00:00.000Z',
    '2100-02-29T12:00:00.000Z',
    '2000-02-29T12:00:00.000Z',
    '2026-02-30T00:00:00.000Z',
    '2026-04-31T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:60:00.000Z',
    '2026-01-01T23:59:60.000Z',
    '2026-00-10T00:00:00.000Z',
    '2026-13-10T00:00:00.000Z',
    '2026-01-00T00:00:00.000Z',
    '2021-06-09T18:07:48Z',
    '2021-06-09T18:07:48.000+00:00',
    '2021-06-09 18:07:48.000Z',
    '2021-06-09T18:07:48.000z',
    '2021-06-09T18:07:4８.000Z',
    '',
    'not an instant',
  ];
  for (let i = 0; i < 5000; i++) cases.push(canonical(Math.floor(rnd() * 253_402_300_799_999)));
  // Every canonical time with one character changed, dropped or added.
  const chars = '0123456789-:.TZz +a٣';
  for (let i = 0; i < 20_000; i++) {
    const text = canonical(Math.floor(rnd() * 4_102_444_800_000));
    const at = Math.floor(rnd() * text.length);
    const c = chars[Math.floor(rnd() * chars.length)]!;
    const edit = i % 3;
    cases.push(
      edit === 0
        ? text.slice(0, at) + c + text.slice(at + 1)
        : edit === 1
          ? text.slice(0, at) + text.slice(at + 1)
          : text.slice(0, at) + c + text.slice(at),
    );
  }
  let packed = 0;
  for (const text of cases) {
    const got = packTime(text);
    assert.equal(got, packTimeByRoundTrip(text), text);
    if (typeof got === 'bigint') packed++;
  }
  // Both kinds of answer were exercised.
  assert.ok(packed > 5000 && packed < cases.length - 5000, String(packed));
});
