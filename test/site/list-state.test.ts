/** The list state: advanced day by day it is the state made from the whole history, and its file reads back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  advanceState,
  type ListState,
  type ListView,
  parseStateFile,
  serializeState,
  stateFromHistory,
  stateOfFile,
} from '../../src/site/list-state.js';
import { Appearances, type ListAppearance, type ListDay } from '../../src/site/model.js';
import { seededRandom as random } from '../../src/standins/random.js';

const CATS = ['cs.LG', 'cs.CV', 'cs.CL', 'stat.ML', 'cs.RO'];

/**
 * `n` days from 2021-12-20 on, a few days apart (weeks, months and a year go by), each ranking
 * 0–7 new papers in one or two categories (cs.RO only from the 30th day); ties in score on purpose.
 */
function history(n: number, seed: number): ListDay[] {
  const rnd = random(seed);
  const days: ListDay[] = [];
  let t = Date.UTC(2021, 11, 20);
  for (let i = 0; i < n; i++) {
    t += (1 + Math.floor(rnd() * 4)) * 86_400_000;
    const day = new Date(t).toISOString().slice(0, 10);
    const count = Math.floor(rnd() * 8);
    const papers = Array.from({ length: count }, (_, k) => {
      const cats = CATS.slice(0, i < 30 ? 4 : 5);
      const first = cats[Math.floor(rnd() * cats.length)]!;
      const second = cats[Math.floor(rnd() * cats.length)]!;
      const categories = [...new Set([first, second])];
      return {
        rank: k + 1,
        score: 10 * Math.floor(rnd() * 30),
        paper: { id: `${day}-${k}`, title: `Paper ${k} of ${day}`, categories, primaryCategory: first },
      };
    });
    days.push({
      day,
      categoriesKey: 'cs,stat.ML',
      horizon: '',
      digest: { categories: ['cs'], observedAt: `${day}T18:00:00Z`, listed: 100, postsFound: count, papers },
    });
  }
  return days;
}

const shape = { pageSize: 3, feedDays: 2 };

/** The state and view of the first `n` days made from their whole history. */
function fromHistory(days: readonly ListDay[]): ListView {
  const appearances = new Appearances();
  for (const d of days) appearances.add(d);
  const repeats = new Map(
    [...appearances.repeated()].map(([id, list]) => [id, list.map((a) => a.day.day)] as [string, string[]]),
  );
  return stateFromHistory(
    [...appearances.latests()],
    repeats,
    appearances.size,
    days[days.length - 1]?.day,
    shape,
  );
}

/** The state of `days` advanced with `added` (newer), as a build does: each new paper once, at its latest. */
function advance(
  before: ListState,
  all: readonly ListDay[],
  added: readonly ListDay[],
): ListView | undefined {
  const appearances = new Appearances();
  for (const d of added) appearances.add(d);
  const fresh: ListAppearance[] = [...appearances.latests()];
  const again = new Map(
    [...appearances.repeated()].map(([id, list]) => [id, list.map((a) => a.day.day)] as [string, string[]]),
  );
  return advanceState(before, fresh, again, all[all.length - 1]!.day, shape);
}

test('advanced one day or two at a time, the state is the one made from the whole history, and its file reads back the same', () => {
  for (const seed of [1, 2, 3]) {
    const days = history(120, seed);
    const dayOf = new Map(days.map((d) => [d.day, d]));
    let state = fromHistory(days.slice(0, 1)).state;
    let i = 1;
    let step = 0;
    while (i < days.length) {
      // One day, or two at once every third step.
      const n = step++ % 3 === 2 ? 2 : 1;
      const added = days.slice(i, i + n);
      i += added.length;
      const view = advance(state, days.slice(0, i), added);
      assert.ok(view, `seed ${seed}, day ${days[i - 1]!.day}: advanced`);
      const whole = fromHistory(days.slice(0, i));
      const text = serializeState(view.state);
      assert.equal(text, serializeState(whole.state), `seed ${seed}, day ${days[i - 1]!.day}`);
      // What the changed pages are made of: the newest of each category's whole list.
      for (const cat of view.state.counts.keys()) {
        const list = view.list(cat);
        assert.deepEqual(
          list.map((a) => `${a.ranked.paper.id}@${a.day.day}`),
          whole
            .list(cat)
            .slice(0, list.length)
            .map((a) => `${a.ranked.paper.id}@${a.day.day}`),
          `seed ${seed}, ${cat}`,
        );
        assert.ok(list.length >= Math.min(2 * shape.pageSize, view.state.counts.get(cat)!));
      }
      // The newest windows can be made; the state's file reads back to the same state.
      for (const kind of ['week', 'month', 'year'] as const)
        for (const s of view.state.windows[kind].newest.slice(0, 1))
          assert.ok(view.windows[kind].has(s.key), `seed ${seed}: the newest ${kind}`);
      const file = parseStateFile(text);
      assert.ok(file);
      const back = stateOfFile(file, (d) => dayOf.get(d));
      assert.ok(back);
      assert.equal(serializeState(back), text);
      state = back;
    }
    assert.ok(state.windows.year.keys.length >= 2, 'the history runs over a new year');
  }
});

test('a paper ranked on two of the new days is one paper, at its newest ranking, and a repeat', () => {
  const days = history(20, 7);
  const last = days[days.length - 1]!;
  const repeat = {
    ...last,
    day: '2030-01-02',
    digest: { ...last.digest, papers: [{ ...last.digest.papers[0]!, rank: 1 }] },
  };
  if (last.digest.papers.length === 0) return assert.fail('the seed gives the last day papers');
  const before = fromHistory(days.slice(0, -1)).state;
  const all = [...days, repeat];
  const view = advance(before, all, [last, repeat]);
  assert.ok(view);
  assert.equal(serializeState(view.state), serializeState(fromHistory(all).state));
  const id = last.digest.papers[0]!.paper.id;
  assert.deepEqual(view.state.repeats.get(id), ['2030-01-02', last.day]);
});

test('a state file of another format, cut short or naming a day not there is not read', () => {
  const days = history(10, 5);
  const text = serializeState(fromHistory(days).state);
  const dayOf = new Map(days.map((d) => [d.day, d]));
  assert.equal(parseStateFile(text.slice(0, 50)), undefined);
  assert.equal(parseStateFile(text.replace('"format":1', '"format":2')), undefined);
  const file = parseStateFile(text)!;
  assert.equal(
    stateOfFile(file, (d) => (d === days[5]!.day ? undefined : dayOf.get(d))),
    undefined,
    'a day gone',
  );
  assert.ok(stateOfFile(file, (d) => dayOf.get(d)));
});

test('advancing with a new day in a window older than the newest two the state kept is refused', () => {
  const days = history(60, 9);
  const before = fromHistory(days.slice(0, 40)).state;
  // A day of the oldest week, after the state: not one a build adding days can give.
  const old = {
    ...days[0]!,
    day: days[0]!.day,
    digest: { ...days[0]!.digest, papers: [] as ListDay['digest']['papers'] },
  };
  old.digest.papers = [
    { rank: 1, score: 5, paper: { id: 'x', title: 'X', categories: ['cs.LG'], primaryCategory: 'cs.LG' } },
  ];
  assert.equal(advance(before, [...days.slice(0, 40), old], [old]), undefined);
});
