import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Appearance } from '../../src/site/fragments.js';
import type { EngagementPoint, SiteDay } from '../../src/site/model.js';
import {
  byScore,
  groupByWindow,
  growthLast24h,
  isoWeek,
  risingPapers,
  topByScore,
  weekDays,
  windowOf,
  windowStart,
} from '../../src/site/windows.js';
import { digest, paper, post, ranked } from './fixtures.js';

test('ISO weeks: Monday starts a week, the Thursday decides its year', () => {
  assert.equal(isoWeek('2021-06-09'), '2021-W23');
  assert.equal(isoWeek('2021-06-07'), '2021-W23');
  assert.equal(isoWeek('2021-06-13'), '2021-W23');
  assert.equal(isoWeek('2021-06-14'), '2021-W24');
  assert.equal(isoWeek('2021-01-01'), '2020-W53');
  assert.equal(isoWeek('2026-12-31'), '2026-W53');
  assert.equal(isoWeek('2024-12-30'), '2025-W01');
  assert.deepEqual(weekDays('2021-W23'), ['2021-06-07', '2021-06-13']);
  assert.deepEqual(weekDays('2025-W01'), ['2024-12-30', '2025-01-05']);
  assert.deepEqual(windowOf('month', '2021-06-09'), { kind: 'month', key: '2021-06' });
  assert.deepEqual(windowOf('all', '2021-06-09'), { kind: 'all', key: 'all' });
});

test('a window holds the days from its first on, up to a day in it (across ISO-year edges)', () => {
  // Every day from late 2020 to early 2022 as the newest; every earlier day of the stretch.
  const days: string[] = [];
  for (let t = Date.UTC(2020, 11, 20); t <= Date.UTC(2022, 0, 12); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  for (const kind of ['week', 'month', 'year'] as const) {
    let checked = 0;
    days.forEach((newest, i) => {
      const current = windowOf(kind, newest).key;
      const from = windowStart(kind, current);
      for (const day of days.slice(Math.max(0, i - 400), i + 1)) {
        if (day >= from !== (windowOf(kind, day).key === current)) assert.fail(`${kind} ${current}: ${day}`);
        checked++;
      }
    });
    assert.ok(checked > 50_000, `${checked} pairs`);
  }
  assert.equal(windowStart('week', '2020-W53'), '2020-12-28');
  assert.equal(windowStart('all', 'all'), '');
});

function appearance(day: string, id: string, score: number, rank = 1): Appearance {
  const r = ranked(rank, paper(id), [post('x', `${id}-p`, 0, score)]);
  const d: SiteDay = { day, categoriesKey: 'cs', horizon: '', digest: digest(day, [r]) };
  return { day: d, ranked: r };
}

test('a window holds each paper once, ordered by score across its days', () => {
  const list = [
    appearance('2021-06-07', '2106.00001', 100, 1),
    appearance('2021-06-09', '2106.00002', 300, 2),
    appearance('2021-06-09', '2106.00003', 200, 1),
    appearance('2021-06-14', '2106.00004', 900, 1),
    appearance('2021-05-31', '2105.00005', 50, 1),
  ];
  const weeks = groupByWindow(list, 'week');
  assert.deepEqual(
    weeks.map(([k, l]) => [k, l.map((a) => a.ranked.paper.id)]),
    [
      ['2021-W24', ['2106.00004']],
      ['2021-W23', ['2106.00002', '2106.00003', '2106.00001']],
      ['2021-W22', ['2105.00005']],
    ],
  );
  const months = groupByWindow(list, 'month');
  assert.deepEqual(
    months[0]![1].map((a) => a.ranked.score),
    [900, 300, 200, 100],
  );
  assert.deepEqual(
    groupByWindow(list, 'all')[0]![1].map((a) => a.ranked.paper.id),
    ['2106.00004', '2106.00002', '2106.00003', '2106.00001', '2105.00005'],
  );
  // Given by score already, each window keeps that order: the same groups without sorting them.
  const sorted = [...list].sort(byScore);
  for (const kind of ['week', 'month', 'year', 'all'] as const) {
    const ids = (groups: ReturnType<typeof groupByWindow>) =>
      groups.map(([k, l]) => [k, l.map((a) => a.ranked.paper.id)]);
    assert.deepEqual(ids(groupByWindow(sorted, kind, true)), ids(groupByWindow(list, kind)), kind);
  }
  // Unsorted input with the flag keeps the input order (what the flag promises not to redo).
  assert.deepEqual(
    groupByWindow(list, 'all', true)[0]![1].map((a) => a.ranked.paper.id),
    list.map((a) => a.ranked.paper.id),
  );
});

test('topByScore gives the first k by score of a list in any order, ties broken by day then id', () => {
  // A seeded list with many equal scores (and equal scores on one day), in no order.
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  const days = ['2021-06-08', '2021-06-09', '2021-06-10'];
  const list = Array.from({ length: 1500 }, (_, i) => {
    const day = days[next() % 3]!;
    return {
      day: { day },
      ranked: { rank: 1, score: next() % 60, paper: { id: `2106.${String(i).padStart(5, '0')}` } },
    };
  });
  const sorted = [...list].sort(byScore);
  const ids = (xs: readonly (typeof list)[number][]) => xs.map((a) => `${a.ranked.paper.id}@${a.day.day}`);
  // 1,500 > 4 × k: the selection without a whole sort; 3 × 500 < 1,500 < 4 × 500: the sort.
  for (const k of [0, 1, 3, 100, 374, 500, 1500, 2000])
    assert.deepEqual(ids(topByScore(list, k)), ids(sorted.slice(0, k)), `k = ${k}`);
  assert.deepEqual(
    list.map((a) => a.ranked.paper.id),
    Array.from({ length: 1500 }, (_, i) => `2106.${String(i).padStart(5, '0')}`),
    'the list is left as it was',
  );
});

const point = (at: string, engagement: number): EngagementPoint => ({
  at,
  engagement,
  reposts: 0,
  likes: engagement,
  replies: 0,
  posts: 1,
});

test('growth over the last 24 h needs two snapshots and counts from the last one before the window', () => {
  assert.equal(growthLast24h([point('2021-06-09T10:00:00Z', 50)]), undefined);
  const h = [
    point('2021-06-08T00:00:00Z', 10),
    point('2021-06-09T06:00:00Z', 40),
    point('2021-06-10T00:00:00Z', 100),
  ];
  assert.deepEqual(growthLast24h(h), { gain: 90, now: 100, at: '2021-06-10T00:00:00Z' });
  // Within 24 h of the first snapshot, everything counted so far is growth.
  assert.deepEqual(growthLast24h(h.slice(1)), { gain: 100, now: 100, at: '2021-06-10T00:00:00Z' });
  assert.equal(growthLast24h(h, '2021-06-09T12:00:00Z')!.gain, 30);
});

test('rising: recent papers by their growth over the 24 h before the newest snapshot', () => {
  const list = [
    appearance('2021-06-09', 'a', 500),
    appearance('2021-06-09', 'b', 100),
    appearance('2021-06-10', 'c', 80),
    appearance('2021-06-10', 'd', 70),
  ];
  const histories: Record<string, EngagementPoint[]> = {
    a: [point('2021-06-09T00:00:00Z', 480), point('2021-06-10T18:00:00Z', 500)],
    b: [point('2021-06-09T00:00:00Z', 10), point('2021-06-10T12:00:00Z', 100)],
    c: [point('2021-06-10T00:00:00Z', 20), point('2021-06-11T00:00:00Z', 80)],
    d: [point('2021-06-11T00:00:00Z', 70)],
  };
  const rising = risingPapers(list, (id) => histories[id]);
  // "now" is c's last snapshot (2021-06-11T00:00Z): b gained 90, c 60 (its snapshot of exactly 24 h before counts as the start), a 20; d has one snapshot.
  assert.deepEqual(
    rising.map((r) => [r.appearance.ranked.paper.id, r.growth.gain]),
    [
      ['b', 90],
      ['c', 60],
      ['a', 20],
    ],
  );
  assert.deepEqual(
    risingPapers(list, (id) => histories[id], 1).map((r) => r.appearance.ranked.paper.id),
    ['c'],
  );
});
