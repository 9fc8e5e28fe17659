/** Matching two lists of days (alignDays) and grouping days by month (byMonth). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alignDays, byMonth } from '../../src/site/align.js';
import { seededRandom as random } from '../../src/standins/random.js';

/** Day `n` after 2020-01-01, as a string. */
const dayOf = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);

/** The days among 0..n-1 that `keep` picks, newest first. */
function days(n: number, keep: () => boolean): Array<{ day: string; n: number }> {
  const out: Array<{ day: string; n: number }> = [];
  for (let i = n - 1; i >= 0; i--) if (keep()) out.push({ day: dayOf(i), n: i });
  return out;
}

/** What alignDays must give, the plain way. */
function expected(now: ReadonlyArray<{ day: string }>, before: ReadonlyArray<{ day: string }>) {
  return {
    at: now.map((d) => before.findIndex((b) => b.day === d.day)),
    gone: before.filter((b) => !now.some((d) => d.day === b.day)),
  };
}

test('alignDays matches each day with its place in the other list and names the days gone', () => {
  const r = random(7);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(r() * 120);
    const now = days(n, () => r() < 0.8);
    const before = days(n, () => r() < 0.8);
    const got = alignDays(now, before);
    const want = expected(now, before);
    assert.deepEqual([...got.at], want.at, `round ${round}`);
    assert.deepEqual(got.gone, want.gone, `round ${round}`);
  }
});

test('alignDays gives the same answer for lists out of order, or with a day twice', () => {
  const before = [{ day: '2021-06-09' }, { day: '2021-06-07' }, { day: '2021-06-08' }, { day: '2021-06-04' }];
  const now = [{ day: '2021-06-10' }, { day: '2021-06-08' }, { day: '2021-06-09' }];
  const got = alignDays(now, before);
  assert.deepEqual([...got.at], [-1, 2, 0]);
  assert.deepEqual(
    got.gone.map((d) => d.day),
    ['2021-06-07', '2021-06-04'],
  );
  const twice = alignDays([{ day: '2021-06-09' }, { day: '2021-06-09' }], [{ day: '2021-06-09' }]);
  assert.deepEqual([...twice.at], [0, 0]);
  assert.deepEqual(twice.gone, []);
  // In order, a new newest day and a day gone in the middle.
  const sorted = alignDays(
    [{ day: '2021-06-10' }, { day: '2021-06-09' }, { day: '2021-06-07' }],
    [{ day: '2021-06-09' }, { day: '2021-06-08' }, { day: '2021-06-07' }],
  );
  assert.deepEqual([...sorted.at], [-1, 0, 2]);
  assert.deepEqual(
    sorted.gone.map((d) => d.day),
    ['2021-06-08'],
  );
});

test('alignDays matches a common tail of the same objects by identity and says where it begins', () => {
  const r = random(11);
  for (let round = 0; round < 200; round++) {
    const n = 2 + Math.floor(r() * 120);
    const before = days(n, () => r() < 0.8);
    // The newest days made again (new objects), some gone, some new; the rest the same objects.
    const cut = Math.floor(r() * (before.length + 1));
    const newest = days(n + 5, () => r() < 0.8).filter((d) => d.n >= (before[cut]?.n ?? -1) + 1);
    const now = [...newest.map((d) => ({ ...d })), ...before.slice(cut)];
    const got = alignDays(now, before);
    const want = expected(now, before);
    assert.deepEqual([...got.at], want.at, `round ${round}`);
    assert.deepEqual(got.gone, want.gone, `round ${round}`);
    // The days made again are new objects: the tail of the very same ones begins past them.
    assert.equal(got.tail, newest.length, `round ${round}`);
  }
  // The tail's days are not read: only the day just past it is, to check the order at its edge.
  let reads = 0;
  const counted = (day: string) => ({
    get day() {
      reads++;
      return day;
    },
  });
  const history = Array.from({ length: 1000 }, (_, i) => counted(dayOf(1000 - i)));
  const fresh = { day: dayOf(1001) };
  const aligned = alignDays([fresh, ...history], history);
  assert.equal(aligned.tail, 1);
  assert.deepEqual([...aligned.at.slice(0, 3)], [-1, 0, 1]);
  assert.ok(reads <= 2, `${reads} days read`);
  // A tail whose first day is not older than the day before it: matched by day, as before.
  const a = { day: '2021-06-08' };
  const b = { day: '2021-06-07' };
  const odd = alignDays([{ day: '2021-06-07' }, a, b], [a, b]);
  assert.deepEqual([...odd.at], [1, 0, 1]);
  assert.equal(odd.tail, 3);
});

test('byMonth groups days by month under the name given, in their order', () => {
  const list = days(100, () => true);
  const grouped = byMonth(list, (m) => `m-${m}`);
  const want = new Map<string, typeof list>();
  for (const d of list) {
    const key = `m-${d.day.slice(0, 7)}`;
    want.set(key, [...(want.get(key) ?? []), d]);
  }
  assert.deepEqual([...grouped], [...want]);
  assert.deepEqual([...grouped.keys()], ['m-2020-04', 'm-2020-03', 'm-2020-02', 'm-2020-01']);
  // A day too short to hold a month is a group of its own, as cutting every day gives.
  const short = byMonth([{ day: '2021-0' }, { day: '2021-01-02' }, { day: '2021-0' }]);
  assert.deepEqual(
    [...short].map(([m, ds]) => [m, ds.length]),
    [
      ['2021-0', 2],
      ['2021-01', 1],
    ],
  );
  // A month met again later (out of order) joins its group.
  const mixed = byMonth([{ day: '2021-06-09' }, { day: '2021-05-31' }, { day: '2021-06-01' }]);
  assert.deepEqual(
    [...mixed].map(([m, ds]) => [m, ds.map((d) => d.day)]),
    [
      ['2021-06', ['2021-06-09', '2021-06-01']],
      ['2021-05', ['2021-05-31']],
    ],
  );
});
