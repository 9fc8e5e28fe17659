/** A search segment changed in place (search-patch.ts) against the same segment made whole. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodePostings,
  encodePostings,
  type SearchEntry,
  type SegmentBody,
  segmentBuilder,
} from '../../src/site/search-index.js';
import { patchSegment } from '../../src/site/search-patch.js';
import { seededRandom as random } from '../../src/standins/random.js';

test('every posting list reads back as it was encoded, in both its forms', () => {
  const next = random(7);
  const forms = new Set<string>();
  for (const docs of [1, 5, 64, 700, 5000])
    for (const density of [0.002, 0.05, 0.4, 0.95]) {
      const list: number[] = [];
      for (let n = 0; n < docs; n++) if (next() < density) list.push(n * 4 + Math.floor(next() * 4));
      if (list.length === 0) list.push(Math.floor(next() * docs) * 4);
      const text = encodePostings(list, docs);
      forms.add(text.startsWith('!') ? 'bitmap' : 'deltas');
      assert.deepEqual(decodePostings(text), list, `${docs} docs, density ${density}`);
    }
  assert.deepEqual([...forms].sort(), ['bitmap', 'deltas']);
});

const WORDS = 'graph neural network quokka transformer diffusion sparse kernel bandit agent'.split(' ');

/** `count` entries of day `day`, their words drawn from WORDS. */
function entries(day: string, count: number, seed: number): SearchEntry[] {
  const next = random(seed);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]);
  return Array.from({ length: count }, (_, i) => ({
    paper: {
      id: `2101.${day.slice(8)}${String(i).padStart(3, '0')}`,
      title: words(4).join(' '),
      abstract: `${words(30).join(' ')} w${i}x${seed}`,
      authors: [`Author ${i % 7}`, `Writer ${i % 3}`],
      categories: i % 2 ? ['cs.LG'] : ['cs.CL', 'stat.ML'],
    },
    day,
    rank: i + 1,
    score: 200 - i,
  }));
}

/** A segment made whole from days of entries (newest first): its files and body. */
function made(id: string, days: SearchEntry[][]): { files: Map<string, string>; body: SegmentBody } {
  const builder = segmentBuilder(id);
  for (const list of days) for (const e of list) builder.add(e);
  const files = new Map<string, string>();
  const body = builder.finishBody((path, data) => files.set(path, data));
  return { files, body };
}

const fragment = (list: readonly SearchEntry[]) =>
  Buffer.from(list.map((e) => `${e.paper.id}\t${JSON.stringify(e)}`).join('\n'));

/** Patch `before` to the days `now` (same days, newest first) as a build would. */
function patch(id: string, before: SearchEntry[][], now: SearchEntry[][]) {
  const old = made(id, before);
  const changed = now.flatMap((list, k) =>
    fragment(list).equals(fragment(before[k]!)) ? [] : [list[0]?.day ?? ''],
  );
  const byDay = (days: SearchEntry[][]) => new Map(days.map((list) => [list[0]!.day, fragment(list)]));
  const nowByDay = byDay(now);
  const beforeByDay = byDay(before);
  const patched = patchSegment(old.body, changed, {
    fragment: (day) => nowByDay.get(day)!,
    previousFragment: (day) => beforeByDay.get(day),
    readPrevious: (path) => (old.files.has(path) ? Buffer.from(old.files.get(path)!) : undefined),
  });
  return { old, patched, whole: made(id, now) };
}

/** The days' entries with paper `id`'s row changed by `change` (on every day that ranks it). */
function withRow(days: SearchEntry[][], id: string, change: (e: SearchEntry) => SearchEntry['paper']) {
  return days.map((list) => list.map((e) => (e.paper.id === id ? { ...e, paper: change(e) } : e)));
}

test("a paper's new title and category change its segment in place: the same files as the segment made whole", () => {
  for (const id of ['L72', 'S590']) {
    const days = [entries('2021-01-14', 40, 1), entries('2021-01-13', 40, 2), entries('2021-01-12', 40, 3)];
    const target = days[1]![5]!.paper.id;
    const now = withRow(days, target, (e) => ({
      ...e.paper,
      title: 'Quokka habitats, revisited with zymurgical care',
      categories: [...e.paper.categories, 'cs.RO'],
    }));
    const { old, patched, whole } = patch(id, days, now);
    assert.ok(patched, `${id}: patched`);
    assert.deepEqual(patched.body, whole.body);
    // Every file the patch gives is the whole segment's; every other file is as it was.
    const changed = [...patched.files.keys()];
    assert.ok(
      changed.some((p) => p.endsWith('/d0.js') || /\/d\d+\.js$/.test(p)),
      changed.join(' '),
    );
    for (const [path, data] of whole.files)
      assert.equal(patched.files.get(path) ?? old.files.get(path), data, path);
    // Not every file is made again: the days and most chunks are kept.
    assert.ok(changed.length < whole.files.size / 2, `${changed.length} of ${whole.files.size}`);
    assert.ok(!changed.some((p) => p.endsWith('/w.js')));
  }
});

test('a paper ranked twice in a segment: a change seen only on its older day changes nothing there', () => {
  const days = [entries('2021-01-14', 10, 4), entries('2021-01-13', 10, 5)];
  // The first paper of the 14th is ranked on the 13th too; the segment shows the 14th's entry.
  const twice = { ...days[0]![0]!, day: '2021-01-13', rank: 11, score: 1 };
  days[1]!.push(twice);
  const now = days.map((list) => [...list]);
  now[1]![10] = { ...twice, paper: { ...twice.paper, title: 'Only the older day says so' } };
  const { old, patched, whole } = patch('L72', days, now);
  assert.ok(patched);
  assert.equal(patched.files.size, 0);
  for (const [path, data] of whole.files) assert.equal(old.files.get(path), data, path);
});

test('what a patch cannot follow makes the segment whole: a paper added, a score moved, a new bucket count', () => {
  const days = [entries('2021-01-14', 30, 6), entries('2021-01-13', 30, 7)];
  const added = [days[0]!, [...days[1]!, entries('2021-01-13', 31, 8)[30]!]];
  assert.equal(patch('L72', days, added).patched, undefined, 'a paper added');
  const scored = days.map((list) => list.map((e, i) => (i === 3 ? { ...e, score: e.score + 0.5 } : e)));
  assert.equal(patch('L72', days, scored).patched, undefined, 'a score moved');
  // Enough new words to need another bucket.
  const target = days[0]![0]!.paper.id;
  const long = Array.from({ length: 400 }, (_, i) => `neologism${i}`).join(' ');
  const grown = withRow(days, target, (e) => ({ ...e.paper, title: long }));
  const { old, patched, whole } = patch('L72', days, grown);
  assert.notEqual(whole.body.buckets, old.body.buckets, 'the whole segment has another bucket count');
  assert.equal(patched, undefined, 'a new bucket count');
});
