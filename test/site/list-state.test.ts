/** The list state: advanced day by day it is the state made from the whole history, and its file reads back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type AllTimeLoader,
  advanceState,
  allTimePath,
  allTimeWindow,
  attachReserve,
  type ListState,
  type ListView,
  listPartPath,
  type PartLoader,
  parseAllTime,
  parsePart,
  parseStateFile,
  RESERVE,
  serializeAllTime,
  serializePart,
  serializeReserve,
  serializeState,
  stateFromHistory,
  stateOfFile,
} from '../../src/site/list-state.js';
import { Appearances, type ListAppearance, type ListDay } from '../../src/site/model.js';
import { windowOf, windowStart } from '../../src/site/windows.js';
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

/** Rankings as the tests name them. */
function named(list: readonly ListAppearance[] | undefined): string[] {
  return (list ?? []).map((a) => `${a.ranked.paper.id}@${a.day.day}`);
}

/** Each category's list in `view` is the newest of its list in the whole history's. */
function assertListsOfWhole(view: ListView, whole: ListView, where: string): void {
  for (const cat of view.state.counts.keys()) {
    const list = view.list(cat);
    assert.deepEqual(named(list), named(whole.list(cat)).slice(0, list.length), `${where}, ${cat}`);
  }
}

/** The state of `days` advanced with `added` (newer), as a build does: each new paper once, at its latest. */
function advance(
  before: ListState,
  all: readonly ListDay[],
  added: readonly ListDay[],
  allTime?: AllTimeLoader,
  parts?: PartLoader,
): ListView | undefined {
  const appearances = new Appearances();
  for (const d of added) appearances.add(d);
  const fresh: ListAppearance[] = [...appearances.latests()];
  const again = new Map(
    [...appearances.repeated()].map(([id, list]) => [id, list.map((a) => a.day.day)] as [string, string[]]),
  );
  return advanceState(before, fresh, again, all[all.length - 1]!.day, shape, undefined, allTime, parts);
}

/**
 * The files a build leaves of `state`, as the next one reads them back: the state file, the
 * reserve file, each category's part and all-time file (`files`, by site path: a part or window
 * the build did not read keeps its file; one it made writes it).
 */
function writeAndRead(
  state: ListState,
  files: Map<string, string>,
  dayOf: (day: string) => ListDay | undefined,
): ListState | undefined {
  for (const [cat, wins] of state.catWindows) {
    const w = allTimeWindow(wins);
    if (w && !w.detached) files.set(allTimePath(cat), serializeAllTime(w));
    const part = serializePart(state, cat);
    if (part !== undefined) files.set(listPartPath(cat), part);
  }
  const file = parseStateFile(serializeState(state));
  const back = file && stateOfFile(file, dayOf);
  if (back) attachReserve(back, serializeReserve(state, 'stamp'), 'stamp', dayOf);
  return back;
}

/** The state file of `state` and the part of each category (as `files` holds it when not held). */
function stateText(state: ListState, files: ReadonlyMap<string, string> = new Map()): string {
  const parts = [...state.counts.keys()]
    .sort()
    .map((cat) => serializePart(state, cat) ?? files.get(listPartPath(cat)) ?? `${cat}: no part`);
  return [serializeState(state), ...parts].join('\n');
}

/** Category `cat`'s all-time top and reserve in `state`: as its file in `files` holds them when not read. */
function heldBy(
  state: ListState,
  cat: string,
  files: ReadonlyMap<string, string>,
  dayOf: (day: string) => ListDay | undefined,
): { top: ListAppearance[]; more: ListAppearance[] } | undefined {
  const w = allTimeWindow(state.catWindows.get(cat) ?? []);
  if (!w) return undefined;
  return w.detached ? parseAllTime(files.get(allTimePath(cat))!, dayOf) : { top: w.top, more: w.more! };
}

/** A loader of the all-time files `files` left (writeAndRead), counting the categories read in `read`. */
function loaderOf(
  files: ReadonlyMap<string, string>,
  dayOf: (day: string) => ListDay | undefined,
  read: string[],
): AllTimeLoader {
  return (cat) => {
    read.push(cat);
    const text = files.get(allTimePath(cat));
    return text === undefined ? undefined : parseAllTime(text, dayOf);
  };
}

/** A loader of the parts `files` holds for `state` (read back by writeAndRead), counting the categories read in `read`. */
function partsOf(
  files: ReadonlyMap<string, string>,
  state: ListState,
  dayOf: (day: string) => ListDay | undefined,
  read: string[] = [],
): PartLoader {
  return (cat) => {
    read.push(cat);
    const text = files.get(listPartPath(cat));
    return text === undefined ? undefined : parsePart(text, cat, state, dayOf);
  };
}

test('advanced one day or two at a time, the state is the one made from the whole history, and its file reads back the same', () => {
  /**
   * Per seed: category all-time windows the advanced days did not read, and those they did; then
   * the same for the categories' parts.
   */
  const reads: Array<[number, number, number, number]> = [];
  for (const seed of [1, 2, 3]) {
    const days = history(120, seed);
    const dayOf = new Map(days.map((d) => [d.day, d]));
    const of = (d: string) => dayOf.get(d);
    const stateFiles = new Map<string, string>();
    let state = writeAndRead(fromHistory(days.slice(0, 1)).state, stateFiles, of)!;
    let i = 1;
    let step = 0;
    let [unread, read, partsUnread, partsRead] = [0, 0, 0, 0];
    while (i < days.length) {
      // One day, or two at once every third step.
      const n = step++ % 3 === 2 ? 2 : 1;
      const added = days.slice(i, i + n);
      i += added.length;
      const asked: string[] = [];
      const partsAsked: string[] = [];
      const view = advance(
        state,
        days.slice(0, i),
        added,
        loaderOf(stateFiles, of, asked),
        partsOf(stateFiles, state, of, partsAsked),
      );
      assert.ok(view, `seed ${seed}, day ${days[i - 1]!.day}: advanced`);
      read += asked.length;
      unread += view.state.catWindows.size - asked.length;
      partsRead += partsAsked.length;
      partsUnread += view.state.counts.size - view.state.heads.size;
      // A part not read: none of its category's papers is new, and its windows did not move on.
      const newCats = new Set(added.flatMap((d) => d.digest.papers.flatMap((r) => r.paper.categories)));
      for (const cat of view.state.counts.keys())
        if (!view.state.heads.has(cat)) {
          assert.ok(!newCats.has(cat), `seed ${seed}, day ${days[i - 1]!.day}: ${cat} has new papers`);
          assert.deepEqual(
            view.state.catWindows.get(cat)!.map((w) => w.key),
            state.catWindows.get(cat)!.map((w) => w.key),
          );
        }
      const whole = fromHistory(days.slice(0, i));
      const text = stateText(view.state, stateFiles);
      assert.equal(text, stateText(whole.state), `seed ${seed}, day ${days[i - 1]!.day}`);
      // Each category's all-time window: the whole history's top, its reserve the start of the
      // whole one's (read or not, as its file holds it).
      for (const [cat, wins] of whole.state.catWindows) {
        const w = allTimeWindow(wins)!;
        const held: { top: ListAppearance[]; more: ListAppearance[] } = heldBy(
          view.state,
          cat,
          stateFiles,
          of,
        )!;
        const where = `seed ${seed}, day ${days[i - 1]!.day}, ${cat}`;
        assert.deepEqual(named(held.top), named(w.top), where);
        assert.deepEqual(named(held.more), named(w.more).slice(0, held.more.length), where);
      }
      // What the changed pages are made of: the newest of each category's whole list.
      assertListsOfWhole(view, whole, `seed ${seed}`);
      for (const [cat, n] of view.state.counts)
        assert.ok(view.list(cat).length >= Math.min(2 * shape.pageSize, n));
      // The newest windows can be made; the state's file reads back to the same state.
      for (const kind of ['week', 'month', 'year'] as const)
        for (const s of view.state.windows[kind].newest.slice(0, 1))
          assert.ok(view.windows[kind].has(s.key), `seed ${seed}: the newest ${kind}`);
      const back = writeAndRead(view.state, stateFiles, of);
      assert.ok(back);
      assert.equal(stateText(back, stateFiles), text);
      state = back;
    }
    assert.ok(state.windows.year.keys.length >= 2, 'the history runs over a new year');
    reads.push([unread, read, partsUnread, partsRead]);
  }
  // Both ways were taken: windows and parts left unread (papers past what a window's file holds;
  // a category with no new paper) and read.
  assert.ok(
    reads.every((counts) => counts.every((n) => n > 0)),
    `unread and read: ${JSON.stringify(reads)}`,
  );
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
  assert.equal(stateText(view.state), stateText(fromHistory(all).state));
  const id = last.digest.papers[0]!.paper.id;
  assert.deepEqual(view.state.repeats.get(id), ['2030-01-02', last.day]);
});

test('a state file of another format, cut short or naming a day not there is not read', () => {
  const days = history(10, 5);
  const text = serializeState(fromHistory(days).state);
  const dayOf = new Map(days.map((d) => [d.day, d]));
  assert.equal(parseStateFile(text.slice(0, 50)), undefined);
  assert.equal(parseStateFile(text.replace(/"format":\d+/, '"format":1')), undefined);
  const file = parseStateFile(text)!;
  assert.equal(
    stateOfFile(file, (d) => (d === days[5]!.day ? undefined : dayOf.get(d))),
    undefined,
    'a day gone',
  );
  assert.ok(stateOfFile(file, (d) => dayOf.get(d)));
});

test("a category's part of another count, other windows, another category or cut short is not read; without it the state is not advanced", () => {
  const days = history(40, 6);
  const dayOf = new Map(days.map((d) => [d.day, d]));
  const of = (d: string) => dayOf.get(d);
  const made = fromHistory(days.slice(0, 39)).state;
  const files = new Map<string, string>();
  const state = writeAndRead(made, files, of)!;
  const cat = 'cs.LG';
  const text = files.get(listPartPath(cat))!;
  const part = parsePart(text, cat, state, of);
  assert.deepEqual(named(part?.head), named(made.heads.get(cat)));
  const f = JSON.parse(text) as { count: number; windows: Array<[string, number, number[]]> };
  for (const [what, bad, name] of [
    ['another count', JSON.stringify({ ...f, count: f.count + 1 }), cat],
    [
      'another window',
      JSON.stringify({ ...f, windows: f.windows.map((w, i) => (i === 1 ? ['1999-01', ...w.slice(1)] : w)) }),
      cat,
    ],
    ['fewer windows', JSON.stringify({ ...f, windows: f.windows.slice(1) }), cat],
    ['another category', text, 'cs.CV'],
    ['cut short', text.slice(0, -5), cat],
  ] as const)
    assert.equal(parsePart(bad, name, state, of), undefined, what);
  // The new day ranks a paper in cs.LG: its part is needed, and a loader without it refuses.
  const last = days[39]!;
  const added: ListDay = {
    ...last,
    digest: {
      ...last.digest,
      papers: [
        { rank: 1, score: 7, paper: { id: 'new', title: 'New', categories: [cat], primaryCategory: cat } },
      ],
    },
  };
  const all = [...days.slice(0, 39), added];
  const asked: string[] = [];
  const allTime = loaderOf(files, of, []);
  assert.equal(
    advance(state, all, [added], allTime, (c) => (c === cat ? undefined : partsOf(files, state, of)(c))),
    undefined,
  );
  const view = advance(state, all, [added], allTime, partsOf(files, state, of, asked));
  assert.ok(view);
  assert.ok(asked.includes(cat));
  assert.equal(stateText(view.state, files), stateText(fromHistory(all).state));
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

/** `history(n, seed)` where about a third of the days also rank again a paper of the 60 days before, some in one more category, a few in one less. */
function historyRankingAgain(n: number, seed: number): ListDay[] {
  const rnd = random(seed + 100);
  const days = history(n, seed);
  days.forEach((d, i) => {
    if (i < 3 || rnd() > 0.35) return;
    const j = Math.max(0, i - 60) + Math.floor(rnd() * Math.min(60, i));
    const earlier = days[j]!.digest.papers;
    const p = earlier[Math.floor(rnd() * earlier.length)];
    if (!p || d.digest.papers.some((r) => r.paper.id === p.paper.id)) return;
    // Some gain a category (a later cross-list), a few lose one (a revision).
    const change = rnd();
    const categories =
      change < 0.3
        ? [...new Set([...p.paper.categories, 'cs.CL'])]
        : change > 0.85 && p.paper.categories.length > 1
          ? p.paper.categories.slice(1)
          : p.paper.categories;
    d.digest.papers = [
      ...d.digest.papers,
      {
        rank: d.digest.papers.length + 1,
        score: 10 * Math.floor(rnd() * 40),
        paper: { ...p.paper, categories },
      },
    ];
  });
  return days;
}

/**
 * The state of `all` less `added` advanced with `added` as a build does when some of their papers
 * were ranked before: those move, and the days from `from` on are read whole (from at most the
 * first day of each window of a moved paper's previous ranking; `back` days earlier still).
 */
function advanceMoving(
  before: ListState,
  all: readonly ListDay[],
  added: readonly ListDay[],
  back = 0,
  allTime?: AllTimeLoader,
  parts?: PartLoader,
): { view: ListView | undefined; moved: number; from: string } {
  const whole = new Appearances();
  for (const d of all) whole.add(d);
  const first = added[0]!.day;
  const fresh = new Map<string, ListAppearance>();
  const removed: ListAppearance[] = [];
  const again = new Map<string, string[]>();
  let from = first;
  for (const d of added)
    for (const r of d.digest.papers) {
      const list = whole.get(r.paper.id);
      fresh.set(r.paper.id, list[0]!);
      if (list.length > 1)
        again.set(
          r.paper.id,
          list.map((a) => a.day.day),
        );
      const previous = list.find((a) => a.day.day < first);
      if (!previous || removed.includes(previous)) continue;
      removed.push(previous);
      for (const kind of ['week', 'month', 'year'] as const) {
        const start = windowStart(kind, windowOf(kind, previous.day.day).key);
        if (start < from) from = start;
      }
    }
  const earlier = all[Math.max(0, all.findIndex((d) => d.day >= from) - back)]!.day;
  if (earlier < from) from = earlier;
  const latest = [...whole.latests()].filter((a) => a.day.day >= from);
  const range = removed.length > 0 ? { from, latest, removed } : undefined;
  return {
    view: advanceState(
      before,
      [...fresh.values()],
      again,
      all[all.length - 1]!.day,
      shape,
      range,
      allTime,
      parts,
    ),
    moved: removed.length,
    from,
  };
}

test('a paper ranked again moves to its new ranking: advanced over the days read, the state is the one made from the whole history', () => {
  let movedSteps = 0;
  let advanced = 0;
  /** Categories' all-time files read on steps that moved a paper. */
  let movedReads = 0;
  /** Categories' parts left unread on steps that moved a paper (no paper of theirs new or moved). */
  let movedUnread = 0;
  for (const seed of [11, 12, 13, 14]) {
    const days = historyRankingAgain(140, seed);
    const dayOf = new Map(days.map((d) => [d.day, d]));
    const of = (d: string) => dayOf.get(d);
    for (const back of [0, 400]) {
      // Through the files, as a build reads the state (the categories' all-time files read by need).
      const stateFiles = new Map<string, string>();
      let state = writeAndRead(fromHistory(days.slice(0, 1)).state, stateFiles, of)!;
      let i = 1;
      let step = 0;
      while (i < days.length) {
        const n = step++ % 4 === 3 ? 2 : 1;
        const added = days.slice(i, i + n);
        i += added.length;
        const asked: string[] = [];
        const { view, moved } = advanceMoving(
          state,
          days.slice(0, i),
          added,
          back,
          loaderOf(stateFiles, of, asked),
          partsOf(stateFiles, state, of),
        );
        if (moved > 0 && view) {
          movedReads += asked.length;
          movedUnread += view.state.counts.size - view.state.heads.size;
        }
        const whole = fromHistory(days.slice(0, i));
        const where = `seed ${seed}, back ${back}, day ${days[i - 1]!.day}`;
        if (moved > 0) movedSteps++;
        if (view) {
          if (moved > 0) advanced++;
          assert.equal(stateText(view.state, stateFiles), stateText(whole.state), where);
          assertListsOfWhole(view, whole, where);
          // The all-time reserves are the whole history's, or the first of them (a category's
          // as its file holds it when the step did not read it).
          const reserves = (v: ListView) =>
            new Map([
              ['', v.state.all.more],
              ...[...v.state.catWindows.keys()].map(
                (cat) => [cat, heldBy(v.state, cat, stateFiles, of)?.more] as const,
              ),
            ]);
          const wholeReserves = reserves(whole);
          for (const [cat, more] of reserves(view)) {
            assert.ok(more, `${where}: a reserve`);
            assert.deepEqual(
              named(more),
              named(wholeReserves.get(cat)).slice(0, more.length),
              `${where}: reserve ${cat}`,
            );
          }
          // The windows it can make are the whole history's.
          for (const kind of ['week', 'month', 'year'] as const)
            for (const [key, s] of view.windows[kind])
              assert.deepEqual(
                serializeState({ ...whole.state, all: s }),
                serializeState({ ...whole.state, all: whole.windows[kind].get(key)! }),
                `${where}: ${kind} ${key}`,
              );
        } else if (back > 0) {
          // Read from the first day, only a window or a category left empty needs the history.
          const emptied = [...state.counts.keys()].some((c) => !whole.state.counts.has(c));
          const windowGone = (['week', 'month', 'year'] as const).some((k) =>
            state.windows[k].keys.some((key) => !whole.state.windows[k].keys.includes(key)),
          );
          assert.ok(emptied || windowGone, `${where}: advanced from the first day`);
        }
        state = writeAndRead((view ?? whole).state, stateFiles, of)!;
      }
    }
  }
  // Most steps with a paper ranked again advance (the others need a paper not read).
  assert.ok(movedSteps >= 40, `${movedSteps} steps with a paper ranked again`);
  assert.ok(advanced >= movedSteps * 0.6, `${advanced} of ${movedSteps} advanced`);
  assert.ok(movedReads > 0, 'a category all-time file read for a paper that moved');
  assert.ok(movedUnread > 0, 'a part left unread on a step that moved a paper');
});

test('papers leaving the all-time top one by one are replaced from its reserve until it runs out; then the history is needed', () => {
  const days = history(200, 21);
  let all = days;
  let state = fromHistory(all).state;
  assert.equal(state.all.more?.length, RESERVE, 'a full reserve');
  let t = Date.parse(`${days[days.length - 1]!.day}T00:00:00Z`) + 86_400_000;
  let taken = 0;
  for (let step = 0; step < 300; step++) {
    // The day ranks again the all-time top paper, with no score: it leaves the top.
    const top = state.all.top[0]!;
    const day = new Date(t).toISOString().slice(0, 10);
    t += 86_400_000;
    const again: ListDay = {
      day,
      categoriesKey: 'cs,stat.ML',
      horizon: '',
      digest: {
        categories: ['cs'],
        observedAt: `${day}T18:00:00Z`,
        listed: 100,
        postsFound: 1,
        papers: [{ rank: 1, score: 0, paper: { ...top.ranked.paper } }],
      },
    };
    all = [...all, again];
    const { view, from } = advanceMoving(state, all, [again]);
    const made = fromHistory(all);
    if (!view) {
      // A week, month or year left with no paper needs the history too: go on from it.
      const gone = (['week', 'month', 'year'] as const).some(
        (k) => made.state.windows[k].keys.length < state.windows[k].keys.length,
      );
      if (!gone) break;
      state = made.state;
      taken = 0;
      continue;
    }
    assert.equal(stateText(view.state), stateText(made.state), day);
    // Read from the first day, the reserve is whole again; else the paper after the top came from it.
    const whole = from <= days[0]!.day;
    const expected: number = whole ? RESERVE : state.all.more!.length - 1;
    assert.equal(view.state.all.more!.length, expected, `${day}: the reserve`);
    taken = whole ? 0 : taken + 1;
    state = view.state;
  }
  // The reserve ran out (every paper of it taken since it was last whole), and the step after
  // needed the history.
  assert.equal(taken, RESERVE);
  assert.equal(state.all.more!.length, 0);
});

test('the reserves read back from their file for the state file they name, and not for another', () => {
  const days = history(200, 23);
  const dayOf = new Map(days.map((d) => [d.day, d]));
  const made = fromHistory(days).state;
  const text = serializeState(made);
  // The site's reserve; per category, how many papers its all-time file holds and the last.
  const reserves = (s: ListState) => [
    named(s.all.more),
    ...[...s.catWindows].sort().map(([cat, wins]) => {
      const w = allTimeWindow(wins)!;
      const held = w.detached ? (w.detached.last ? [w.detached.last] : []) : [...w.top, ...w.more!];
      return [cat, w.detached ? w.detached.held : held.length, ...named(held.slice(-1))];
    }),
  ];
  const file = serializeReserve(made, 'stamp-1');
  const read = () => stateOfFile(parseStateFile(text)!, (d) => dayOf.get(d))!;
  // The state's file alone holds no reserve.
  const bare = read();
  assert.equal(bare.all.more, undefined);
  const back = read();
  attachReserve(back, file, 'stamp-1', (d) => dayOf.get(d));
  assert.equal(back.all.more?.length, RESERVE);
  assert.ok([...back.catWindows.values()].every((wins) => wins[3]?.detached?.held === 150));
  assert.deepEqual(reserves(back), reserves(made));
  // Another state's, a damaged file, a day gone: none.
  for (const [what, f, stamp, of] of [
    ['another state', file, 'stamp-2', (d: string) => dayOf.get(d)],
    ['cut short', file.slice(0, file.length - 9), 'stamp-1', (d: string) => dayOf.get(d)],
    [
      'a day gone',
      file,
      'stamp-1',
      (d: string) => (d === made.all.more![0]!.day.day ? undefined : dayOf.get(d)),
    ],
  ] as const) {
    const s = read();
    attachReserve(s, f, stamp, of);
    assert.equal(s.all.more, undefined, what);
    assert.ok(
      [...s.catWindows.values()].every((wins) =>
        wins.every((w) => w.more === undefined && w.detached?.held === undefined),
      ),
      what,
    );
  }
});
