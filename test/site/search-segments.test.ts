/** The time-segmented search index: what one new day rewrites, papers ranked again, merging segments. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { buildGeneration, buildSite, mapOutput, type SiteFiles } from '../../src/site/build.js';
import { contentHash, fragmentPath, readManifest } from '../../src/site/manifest.js';
import type { SiteDay, SiteModel } from '../../src/site/model.js';
import { buildSearchSegments, searchThreadPolicy, startSearchThread } from '../../src/site/search-build.js';
import {
  buildSearchIndex,
  LARGE_DAYS,
  type SearchEntry,
  SMALL_DAYS,
  segmenter,
  segmentOf,
} from '../../src/site/search-index.js';
import { searchEngineOver } from '../../src/site/search-vm.js';
import { type DayRef, modelSource } from '../../src/site/source.js';
import { prewarmSiteThreads, spareSearchThread } from '../../src/site/threads.js';
import type { Paper } from '../../src/types.js';
import { digest, paper, post, ranked } from './fixtures.js';

const BASE = 'https://example.org/';

/** A day ranking these papers, the first best (scores 300, 290, ...). */
function day(name: string, papers: Paper[]): SiteDay {
  return {
    day: name,
    categoriesKey: 'cs',
    horizon: '',
    digest: digest(
      name,
      papers.map((p, i) => ranked(i + 1, p, [post('x', `${name}-${i}`, 100, 200 - i * 10)])),
    ),
  };
}

/** Build `model` over the previous generation `prev` (in memory); the files and what was written. */
function generation(model: SiteModel, prev?: SiteFiles) {
  const files: SiteFiles = new Map();
  const out = mapOutput(files);
  const reads: string[] = [];
  const current = out.readCurrent;
  out.readCurrent = (path) => {
    reads.push(path);
    return current(path);
  };
  if (prev) {
    out.readPrevious = (path) => {
      reads.push(path);
      const data = prev.get(path);
      return data === undefined ? undefined : Buffer.from(data);
    };
    // The manifest's head and its slices (manifest.ts).
    out.previous = readManifest(out.readPrevious);
    out.keep = (path) => {
      const data = prev.get(path);
      if (data === undefined) return false;
      files.set(path, data);
      return true;
    };
  }
  const stats = buildGeneration(modelSource(model), { baseUrl: BASE }, out);
  return { files, reads, search: stats.writtenPaths.filter((p) => p.startsWith('assets/search/')).sort() };
}

const RECENT = ['2021-06-07', '2021-06-08', '2021-06-09', '2021-06-10'].map((d, k) =>
  day(d, [paper(`2106.0${k}001`, { title: `Recent paper ${k}` }), paper(`2106.0${k}002`)]),
);
/** 30 older days, one every 20 calendar days back from 2021-05-01: many closed segments. */
const OLD = Array.from({ length: 30 }, (_, k) => {
  const d = new Date(Date.UTC(2021, 4, 1 - 20 * k)).toISOString().slice(0, 10);
  return day(d, [
    paper(`${d.slice(2, 4)}${d.slice(5, 7)}.1${String(k).padStart(4, '0')}`, {
      title: `Old paper ${k} about quokkas`,
    }),
  ]);
});
const NEW = day('2021-06-11', [paper('2106.09001', { title: 'A new paper about quokkas' })]);
const sets = (model: SiteModel) => new Set(model.days.map((d) => segmentOf(d.day, model.days[0]!.day)));

test('one new day rewrites the same few search files whatever the length of the history', () => {
  const short = { days: [...RECENT].reverse() };
  const long = { days: [...[...RECENT].reverse(), ...OLD] };
  assert.ok(sets(long).size > sets(short).size + 3, `${sets(long).size} segments`);
  const written = [short, long].map((model) => {
    const before = generation(model).files;
    return generation({ days: [NEW, ...model.days] }, before).search;
  });
  // The open segment's changed files and the meta, the same names for both histories.
  const open = segmentOf(NEW.day, NEW.day);
  assert.deepEqual(written[0], written[1]);
  assert.ok(written[0]!.includes('assets/search/meta.js'));
  for (const p of written[0]!)
    assert.ok(p === 'assets/search/meta.js' || p.startsWith(`assets/search/${open}/`), p);
  assert.ok(written[0]!.length >= 4, written[0]!.join(' '));
});

test('a paper ranked again in a later segment is found once, with its latest ranking; only the old head is rewritten', () => {
  const old = OLD[25]!.digest.papers[0]!.paper;
  const model = { days: [...[...RECENT].reverse(), ...OLD] };
  const before = generation(model).files;
  const again = day('2021-06-11', [paper('2106.09001', { title: 'A new paper about quokkas' }), old]);
  const next = { days: [again, ...model.days] };
  const { files, search } = generation(next, before);
  const oldSegment = segmentOf(OLD[25]!.day, again.day);
  assert.notEqual(oldSegment, segmentOf(again.day, again.day));
  const outside = search.filter((p) => !p.startsWith(`assets/search/${segmentOf(again.day, again.day)}/`));
  assert.deepEqual(outside, [`assets/search/${oldSegment}/h.js`, 'assets/search/meta.js'].sort());

  const { query } = searchEngineOver(files);
  const r = query(old.title);
  const found = r.docs.filter((d) => d[0] === old.id);
  assert.equal(found.length, 1);
  assert.equal(found[0]![3], '2021-06-11');
  assert.equal(found[0]![5], 2);
  // Every quokka paper once: 30 old ones and the new one.
  assert.equal(query('quokkas', {}, 100).docs.length, 31);
  // The same index as a full build of the same days.
  const full = buildSite(next, { baseUrl: BASE });
  for (const [path, data] of full)
    if (path.startsWith('assets/search/')) assert.equal(String(files.get(path)), String(data), path);
  assert.deepEqual(
    [...files.keys()].filter((p) => p.startsWith('assets/search/')).sort(),
    [...full.keys()].filter((p) => p.startsWith('assets/search/')).sort(),
  );
});

test('a paper ranked again with a new title and category changes its old segment in place: only the files naming it, as a full build makes them', () => {
  const model = { days: [...[...RECENT].reverse(), ...OLD] };
  const before = generation(model).files;
  const was = OLD[25]!.digest.papers[0]!.paper;
  const now = { ...was, title: 'Zymurgical quokkas', categories: [...was.categories, 'cs.RO'] };
  // Every day ranking the paper shows its row as it is now.
  const oldDays = model.days.map((d) => (d.day === OLD[25]!.day ? day(d.day, [now]) : d));
  const again = day('2021-06-11', [paper('2106.09001'), now]);
  const next = { days: [again, ...oldDays] };
  const { files, search, reads } = generation(next, before);
  const oldSegment = segmentOf(OLD[25]!.day, again.day);
  // Changed in place: no other day's fragment of that segment was read.
  const segmentDays = model.days.filter((d) => segmentOf(d.day, again.day) === oldSegment);
  assert.ok(segmentDays.length > 1);
  for (const d of segmentDays)
    if (d.day !== OLD[25]!.day) assert.ok(!reads.includes(fragmentPath(d.day)), `${d.day} read`);
  // Each previous file of the segment the patch looked at was read once.
  const twice = reads.filter((p, i) => p.includes(oldSegment) && reads.indexOf(p) !== i);
  assert.deepEqual(twice, []);
  assert.ok(
    reads.some((p) => p.startsWith(`assets/search/${oldSegment}/b`)),
    'no bucket read',
  );
  const inOld = search.filter((p) => p.startsWith(`assets/search/${oldSegment}/`));
  // Its head, the chunk of the paper and the buckets of the words it gained or lost; not its days.
  assert.ok(inOld.includes(`assets/search/${oldSegment}/h.js`), inOld.join(' '));
  assert.equal(inOld.filter((p) => /\/d\d+\.js$/.test(p)).length, 1, inOld.join(' '));
  assert.ok(!inOld.includes(`assets/search/${oldSegment}/w.js`), inOld.join(' '));
  const inBefore = [...before.keys()].filter((p) => p.startsWith(`assets/search/${oldSegment}/`));
  assert.ok(inOld.length < inBefore.length, `${inOld.length} of ${inBefore.length}`);
  const { query } = searchEngineOver(files);
  const found = query('zymurgical').docs;
  assert.deepEqual(
    found.map((d) => [d[0], d[3]]),
    [[was.id, '2021-06-11']],
  );
  const full = buildSite(next, { baseUrl: BASE });
  for (const [path, data] of full)
    if (path.startsWith('assets/search/') || path.startsWith('.hotpapers/search/'))
      assert.equal(String(files.get(path)), String(data), path);
});

/** A full build with a writer that hashes what it is given (as the threaded writer does), in memory. */
function hashedBuild(model: SiteModel, source = modelSource(model)) {
  const files: SiteFiles = new Map();
  const hashes = new Map<string, string>();
  const out = mapOutput(files);
  out.writeHashed = (path, data) => {
    const bytes =
      typeof data === 'string' ? Buffer.from(data) : Array.isArray(data) ? Buffer.concat(data) : data;
    files.set(path, bytes);
    hashes.set(path, contentHash(bytes));
  };
  out.writtenHashes = () => hashes;
  const stats = buildGeneration(source, { baseUrl: BASE }, out);
  return { files, stats };
}

/**
 * The same files with the same bytes; the manifest's slices only by their files (a model's days
 * have no fingerprint, so its list pages are keyed by a random number).
 */
function assertSameFiles(actual: SiteFiles, expected: SiteFiles): void {
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [path, data] of expected)
    if (!path.startsWith('.hotpapers/manifest')) assert.equal(String(actual.get(path)), String(data), path);
}

/**
 * Build with the search thread for every build (true) or for none (false); `maxBehind`: how far
 * the builder may run ahead of it.
 */
function withSearchThread<T>(on: boolean, run: () => T, maxBehind = searchThreadPolicy.maxBehind): T {
  const before = { ...searchThreadPolicy };
  searchThreadPolicy.minDays = on ? 1 : Number.POSITIVE_INFINITY;
  searchThreadPolicy.maxBehind = maxBehind;
  try {
    return run();
  } finally {
    Object.assign(searchThreadPolicy, before);
  }
}

test("a full build makes the same search index on its own thread as on the build's thread", () => {
  // Many segments (large and small); a recent paper ranked twice in its segment, an old one
  // ranked again in the newest (masked in its old segment).
  const old = OLD[25]!.digest.papers[0]!.paper;
  const twice = RECENT[0]!.digest.papers[0]!.paper;
  const newest = day('2021-06-11', [paper('2106.09001', { title: 'A new paper about quokkas' }), old, twice]);
  const model = { days: [newest, ...[...RECENT].reverse(), ...OLD] };
  const threaded = withSearchThread(true, () => hashedBuild(model));
  const plain = withSearchThread(false, () => hashedBuild(model));
  // The builder waiting for the thread at nearly every day (it may run one fragment ahead).
  const held = withSearchThread(true, () => hashedBuild(model), 1);
  assert.ok([...threaded.files.keys()].filter((p) => p.startsWith('assets/search/')).length > 20);
  assertSameFiles(threaded.files, plain.files);
  assertSameFiles(held.files, plain.files);
  const { query } = searchEngineOver(threaded.files);
  assert.equal(query(old.title).docs.filter((d) => d[0] === old.id).length, 1);
  // Found once each, with its latest ranking.
  const found = query(twice.title).docs.filter((d) => d[0] === twice.id);
  assert.deepEqual(
    found.map((d) => d[3]),
    [newest.day],
  );
  assert.equal(query('quokkas', {}, 100).docs.length, 31);

  // When the newest day cannot be read and it opened a new large block, the segments are counted
  // from the day before it: the thread's are set aside and the build makes the index itself.
  const opening = day('2021-11-13', [paper('2111.00001', { title: 'First of a block' })]);
  assert.equal(segmentOf(opening.day, opening.day), 'S592');
  assert.equal(segmentOf(newest.day, opening.day), 'L73');
  const later = { days: [opening, ...model.days] };
  const source = modelSource(later);
  const failing = {
    ...source,
    loadDay: (ref: DayRef) => (ref.day === opening.day ? 'unreadable' : source.loadDay(ref)),
  };
  const a = withSearchThread(true, () => hashedBuild(later, failing));
  const b = withSearchThread(false, () => hashedBuild(later, failing));
  assert.deepEqual(a.stats.warnings, ['unreadable']);
  assertSameFiles(a.files, b.files);
  assert.ok(a.files.has(`assets/search/${segmentOf(newest.day, newest.day)}/h.js`));
});

function entry(
  id: string,
  score: number,
  dayName: string,
  title: string,
  abstract = 'Plain words.',
): SearchEntry {
  return { paper: paper(id, { title, abstract }), day: dayName, rank: 1, score };
}

test('hits of several segments are merged by relevance, then score; windows cut a long segment by day', () => {
  // Three segments (two large, one small); relevance ties are broken by score across them.
  const entries = [
    entry('1901.00001', 700, '2019-01-10', 'Otter paper one'),
    entry('2001.00002', 900, '2020-01-10', 'Otter paper two'),
    entry('2106.00003', 800, '2021-06-10', 'Otter paper three'),
    entry('2106.00004', 100, '2021-06-10', 'Plain', 'An otter in the abstract only.'),
    entry('2105.00005', 950, '2021-04-20', 'Plain', 'An otter in the abstract only.'),
    entry('2106.00006', 50, '2021-06-09', 'Otter paper six'),
  ];
  const index = buildSearchIndex(entries);
  assert.ok(index.segments.length >= 3, index.segments.map((s) => s.id).join(' '));
  const { query } = searchEngineOver(index.files);
  const ids = (r: { docs: Array<[string, ...unknown[]]> }) => r.docs.map((d) => d[0]);
  assert.deepEqual(ids(query('otter')), [
    '2001.00002',
    '2106.00003',
    '1901.00001',
    '2106.00006',
    '2105.00005',
    '2106.00004',
  ]);
  // 2021-04-20 is 51 days before the newest: in the year, not in the month; the large 2019 and
  // 2020 segments are out of the year.
  assert.deepEqual(ids(query('otter', { win: 'month' })), ['2106.00003', '2106.00006', '2106.00004']);
  assert.deepEqual(ids(query('otter', { win: 'year' })), [
    '2106.00003',
    '2106.00006',
    '2105.00005',
    '2106.00004',
  ]);
  // A window that cuts a large segment reads its papers' days (two digits each there).
  const wide = buildSearchIndex([
    ...entries,
    entry('2006.00007', 990, '2020-06-15', 'Otter paper seven'),
    entry('2001.00008', 980, '2020-01-15', 'Otter paper eight'),
  ]);
  const w = searchEngineOver(wide.files);
  const year = ids(w.query('otter', { win: 'year' }));
  assert.ok(year.includes('2006.00007') && !year.includes('2001.00008'), year.join(' '));
  assert.ok(w.loaded.files.some((f) => f.endsWith('/w.js')));
});

// A thread that never ends would leave the test waiting: it fails after 30 s instead.
test('the search thread ends once told no day follows, and its last segment is taken after', {
  timeout: 30_000,
}, async () => {
  // A full build tells it at the end of its days and takes the segments after its list pages:
  // the thread must not hold its heap meanwhile, and what it sent must outlive it.
  prewarmSiteThreads();
  const worker = spareSearchThread();
  assert.ok(worker, 'a spare search thread');
  const put: Array<[string, string]> = [];
  const thread = startSearchThread('2021-06-11', (path, _data, owner) => void put.push([path, owner]));
  assert.equal(spareSearchThread(), undefined, 'the spare thread was taken');
  const days = ['2021-06-11', '2021-06-10', '2020-01-03'];
  for (const d of [...days].reverse()) thread.add(d, fragmentOf(d, `A paper about wombats of ${d}`));
  // The build's threads do not keep the process alive; this test waits for the thread's end.
  worker.ref();
  const exit = once(worker, 'exit');
  thread.end();
  assert.deepEqual(await exit, [0], 'the thread exited by itself, cleanly');
  const made = thread.finish(days, new Map(), 'x');
  assert.deepEqual(made.rebuild, [], 'every segment came back');
  assert.equal(made.segments.length, new Set(days.map((d) => segmentOf(d, days[0]!))).size);
  // The last segment's files, sent before the thread ended, were handed over by finish.
  const newest = `s:${segmentOf(days[0]!, days[0]!)}`;
  assert.ok(
    put.some(([path, owner]) => owner === newest && path.startsWith('assets/search/')),
    put.map(([path, owner]) => `${owner} ${path}`).join('\n'),
  );
});

test('the search thread reports what went wrong as one error of the build', () => {
  const put = () => {};
  const bad = startSearchThread('2021-06-11', put);
  bad.add('2021-06-11', '2106.00001\t{not json');
  assert.throws(
    () => bad.finish(['2021-06-11'], new Map(), 'x'),
    /^HotpapersError: .*search index thread failed: .*JSON/,
  );
  // Days out of order (a segment opened again after a later one) are refused, not merged wrongly.
  const shuffled = startSearchThread('2021-06-11', put);
  for (const d of ['2020-01-02', '2021-06-11', '2020-01-03']) shuffled.add(d, '');
  assert.throws(
    () => shuffled.finish(['2021-06-11', '2020-01-03', '2020-01-02'], new Map(), 'x'),
    /search index thread failed: the days of segment L71 came out of order/,
  );
});

/** A day's search fragment: one paper, `title` (lines `paperId TAB SearchEntry JSON`). */
function fragmentOf(dayName: string, title: string): string {
  const id = `${dayName.slice(2, 4)}${dayName.slice(5, 7)}.0${dayName.slice(8, 10)}01`;
  const entry: SearchEntry = {
    paper: { id, title, abstract: 'An abstract.', authors: ['A. Author'], categories: ['cs.LG'] },
    day: dayName,
    rank: 1,
    score: 100,
  };
  return `${id}\t${JSON.stringify(entry)}`;
}

/**
 * Build the segments of `fragments`' days (newest first) over `prev` (what a previous run put):
 * what was put, the days whose fragment hash was asked for, the owners kept.
 */
function segmentRun(
  fragments: Map<string, string>,
  prev: Map<string, string>,
  stable: ((id: string) => boolean) | undefined,
) {
  const put = new Map<string, string>();
  const hashed = new Set<string>();
  const kept: string[] = [];
  const days = [...fragments.keys()].sort().reverse();
  const segments = buildSearchSegments(days, days[0]!, new Map(), '.hotpapers/search', {
    fragment: (d) => Buffer.from(fragments.get(d)!),
    fragmentHash: (d) => {
      hashed.add(d);
      return contentHash(Buffer.from(fragments.get(d)!));
    },
    ...(stable ? { stable } : {}),
    readPrevious: (path) => (prev.has(path) ? Buffer.from(prev.get(path)!) : undefined),
    keepOwned: (owner) => kept.push(owner),
    put: (path, data) => put.set(path, data),
    stale: (why) => assert.fail(why),
  });
  return { put, hashed, kept, segments };
}

test("a stable segment is kept from its previous summary's body key, without its days' fragment hashes", () => {
  // Days 40 calendar days apart over ~3 years: closed large segments and open small ones.
  const fragments = new Map<string, string>();
  for (let k = 0; k < 30; k++) {
    const d = new Date(Date.UTC(2021, 5, 11 - 40 * k)).toISOString().slice(0, 10);
    fragments.set(d, fragmentOf(d, `Paper of ${d}`));
  }
  const newest = [...fragments.keys()].sort().reverse()[0]!;
  const first = segmentRun(fragments, new Map(), undefined);
  assert.ok(first.segments.length >= 4, `${first.segments.length} segments`);
  const ids = first.segments.map((s) => s.id);

  // Nothing changed, every segment stable: each is kept whole, and no fragment hash is asked for.
  const again = segmentRun(fragments, first.put, () => true);
  assert.equal(again.hashed.size, 0);
  assert.deepEqual(again.kept.sort(), ids.map((id) => `s:${id}`).sort());
  assert.equal(again.put.size, 0);
  assert.deepEqual(
    again.segments,
    first.segments.map((s) => JSON.parse(first.put.get(`.hotpapers/search/${s.id}.json`)!)),
  );

  // The newest day's fragment changed, its segment said unstable: that segment alone is made
  // again, from its days' fragments; the others are kept without any hash.
  const open = segmentOf(newest, newest);
  const changed = new Map(fragments).set(newest, fragmentOf(newest, 'A new title'));
  const next = segmentRun(changed, first.put, (id) => id !== open);
  const openDays = [...fragments.keys()].filter((d) => segmentOf(d, newest) === open);
  assert.deepEqual([...next.hashed].sort(), openDays.sort());
  assert.deepEqual(
    next.kept.sort(),
    ids
      .filter((id) => id !== open)
      .map((id) => `s:${id}`)
      .sort(),
  );
  assert.ok(next.put.has(`.hotpapers/search/${open}.json`));
  assert.ok(
    [...next.put.keys()].every((p) => p.includes(`/${open}`)),
    [...next.put.keys()].join(' '),
  );

  // The same change with every segment hashed (no `stable`): the same files are made.
  const unhinted = segmentRun(changed, first.put, undefined);
  assert.deepEqual([...unhinted.put].sort(), [...next.put].sort());
  assert.equal(unhinted.hashed.size, fragments.size);
});

test('a segmenter names every day as the blocks of its Date.UTC day number do, whatever the order and however odd the day', () => {
  const epoch = (d: string) =>
    Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;
  const expected = (d: string, newest: string) => {
    const e = epoch(d);
    const large = Math.floor(e / LARGE_DAYS);
    return large < Math.floor(epoch(newest) / LARGE_DAYS) ? `L${large}` : `S${Math.floor(e / SMALL_DAYS)}`;
  };
  const days: string[] = [];
  // Before 1970 too: there a large and a small block can have the same number.
  for (const [from, to] of [
    [Date.UTC(1968, 5, 1), Date.UTC(1970, 1, 1)],
    [Date.UTC(2017, 11, 1), Date.UTC(2021, 2, 1)],
  ] as const)
    for (let t = from; t < to; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  // Not dates, or not as the store writes them: the answers must still be the definition's.
  const odd = [
    '2020-02-30',
    '2020-13-01',
    '2020-00-00',
    '2020-01-99',
    '2020-01x05',
    '2020-1',
    'abc',
    '',
    '0099-01-01',
  ];
  const orders = [
    [...days].reverse(),
    [...odd, ...days, ...odd],
    days.map((_, i) => days[(i * 7919) % days.length]!),
    // Large block -2, then small block -2 (the newest day 1969-12-20), then the large one again.
    ['1969-01-01', '1969-11-01', '1969-01-01'],
  ];
  let asked = 0;
  for (const newest of ['2021-02-28', '2019-06-30', '1969-12-20', 'not a day'])
    for (const order of orders) {
      const segmentOfDay = segmenter(newest);
      for (const d of order) {
        assert.equal(segmentOfDay(d), expected(d, newest), `${d} with ${newest} newest`);
        asked++;
      }
    }
  assert.ok(asked > 10_000);
});
