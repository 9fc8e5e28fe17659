/** The incremental site engine: what a second build rewrites, keeps, and how a crash leaves the site. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { MANIFEST_PATH, replacePagers } from '../../src/site/build.js';
import { generateSiteToDir } from '../../src/site/generate.js';
import { LIST_PART_DIR, listPartPath } from '../../src/site/list-state.js';
import { contentHash, type Head, readHead, readManifest } from '../../src/site/manifest.js';
import { segmentOf } from '../../src/site/search-index.js';
import { prewarmSiteThreads, spareThreads } from '../../src/site/threads.js';
import { recoverSite, writerStats } from '../../src/site/write.js';
import { openStore } from '../../src/store/db.js';
import { ABSTRACTS_V1 } from '../../src/store/dictionaries.js';
import { saveDigest } from '../../src/store/digests.js';
import { saveEnrichments } from '../../src/store/enrichment.js';
import { saveListing } from '../../src/store/listings.js';
import { savePosts } from '../../src/store/posts.js';
import { recordDeletions } from '../../src/store/stream.js';
import type { DayDigest, Paper } from '../../src/types.js';
import {
  digest,
  fillStore,
  paper,
  post,
  ranked,
  sampleDigests,
  storeAsPost,
  storeLatePost,
} from './fixtures.js';
import { assertSameAsFull, names, snapshot } from './same-as-full.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-incr-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BASE = 'https://example.org/';

/** `n` weekdays of two papers each, ending 2021-05-28 (older than the sample days). */
function moreDays(n: number): DayDigest[] {
  const out: DayDigest[] = [];
  const d = new Date(Date.UTC(2021, 4, 28));
  let k = 0;
  while (out.length < n) {
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) {
      const day = d.toISOString().slice(0, 10);
      const cats = k % 2 === 0 ? ['cs.LG'] : ['cs.CV', 'cs.LG'];
      out.push(
        digest(day, [
          ranked(1, paper(`2105.${String(k * 2).padStart(5, '0')}`, { categories: cats }), [
            post('x', `a${k}`, 30, 90),
          ]),
          ranked(2, paper(`2105.${String(k * 2 + 1).padStart(5, '0')}`), [post('bluesky', `b${k}`, 5, 60)]),
        ]),
      );
      k++;
    }
    d.setUTCDate(d.getUTCDate() - 1);
  }
  return out;
}

function makeStore(name: string, digests: DayDigest[]): string {
  const path = join(dir, name);
  addDays(path, digests);
  return path;
}

/** Add `digests` to the store at `db` (a `post` run between two builds). */
function addDays(db: string, digests: DayDigest[]): void {
  const handle = openStore(db);
  fillStore(handle, digests);
  handle.close();
}

/** Cut the manifest slice `name` of the site at `out` to its first `keep` bytes: it no longer parses. */
function breakSlice(out: string, name: string, keep: number): { path: string; broken: Buffer } {
  const path = join(out, '.hotpapers/manifest', name);
  const broken = readFileSync(path).subarray(0, keep);
  writeFileSync(path, broken);
  return { path, broken };
}

const newDay = digest('2021-06-11', [
  ranked(1, paper('2106.11111', { title: 'A brand new paper', categories: ['cs.CV'] }), [
    post('x', '9001', 50, 150),
  ]),
]);

test('one new day rewrites exactly the files whose content changed, and the result equals a full build', async () => {
  const db = makeStore('incr.db', [...sampleDigests(), ...moreDays(30)]);
  const out = join(dir, 'public');
  const first = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(first.full, true);
  const before = snapshot(out);

  // Nothing changed: nothing but the manifest is written, no digest is read.
  const again = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(again.full, false);
  assert.equal(again.daysLoaded, 0);
  assert.deepEqual(again.writtenPaths, []);
  const same = snapshot(out);
  for (const [path, f] of before) if (path !== MANIFEST_PATH) assert.equal(same.get(path)?.id, f.id, path);

  // One new day.
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  // The new day alone: its older neighbour's page (whose pager now links it) is its previous
  // page with the pagers replaced, its day not read again (the page is checked below).
  assert.equal(second.daysLoaded, 1);
  assert.ok(second.writtenPaths.includes('days/2021-06-10.html'), "the neighbour's page is written");

  // What a full build of the new store gives, from scratch.
  const fullOut = join(dir, 'public-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  const { incremental: after2, full } = assertSameAsFull(out, fullOut, 'one new day');

  // Rewritten (new inode or mtime) = exactly the files that are new or whose bytes changed.
  const expected = names(full).filter((p) => !before.get(p)?.bytes.equals(full.get(p)!.bytes));
  const rewritten = names(after2).filter((p) => before.get(p)?.id !== after2.get(p)!.id);
  assert.deepEqual(rewritten, expected);
  assert.deepEqual([...second.writtenPaths].sort(), expected);
  // Sanity of that set: the new pages are in it, an old day's and an old paper's pages are not.
  // The search index's detail chunks hold every paper, the new one included.
  const searchDir = join(out, 'assets/search');
  const search = readdirSync(searchDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /(^|\/)d\d+\.js$/.test(f))
    .map((f) => readFileSync(join(searchDir, f), 'utf8'))
    .join('');
  for (const id of ['2106.11111', '2106.00001', '2105.00004']) assert.ok(search.includes(`["${id}",`), id);
  for (const p of ['days/2021-06-11.html', 'papers/2106.11111.html', 'index.html', 'atom.xml'])
    assert.ok(expected.includes(p), p);
  assert.ok(expected.includes('days/2021-06-10.html'), 'the previous newest day gains a "newer" link');
  for (const p of ['days/2021-06-09.html', 'papers/2106.00001.html', 'papers/2105.00004.html', 'site.css'])
    assert.ok(!expected.includes(p), p);
  assert.ok(expected.length < before.size / 4, `${expected.length} of ${before.size} files rewritten`);
  // Pagination is anchored at the oldest day: of the 34 days' index pages (10 a page), only the
  // newest (page 4) gains the day; full pages, past months and past weeks are not rewritten.
  assert.ok(expected.includes('page/4.html') && !expected.includes('page/5.html'));
  for (const p of [
    'page/1.html',
    'page/2.html',
    'page/3.html',
    'archive/2021-05.html',
    'top/week-2021-W20.html',
  ])
    assert.ok(before.has(p) && !expected.includes(p), p);
  // The navigation links the current week at a fixed path: day and paper pages keep their bytes.
  assert.ok(
    !expected.some(
      (p) => p.startsWith('days/') && p !== 'days/2021-06-11.html' && p !== 'days/2021-06-10.html',
    ),
  );
});

test("a neighbour's page whose pagers are not found as made is read and rendered again; pagers are replaced only when each is found once", async () => {
  const db = makeStore('repage.db', [...sampleDigests(), ...moreDays(5)]);
  const out = join(dir, 'public-repage');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // The newest day's page loses its lower pager: its previous page cannot be repaged.
  const neighbour = join(out, 'days/2021-06-10.html');
  const page = readFileSync(neighbour, 'utf8');
  assert.equal(page.split('<nav aria-label="More days">').length, 2);
  writeFileSync(neighbour, page.replace('<nav aria-label="More days">', '<nav aria-label="Other">'));
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  // The new day and the neighbour, read and rendered again: its page is whole once more.
  assert.equal(second.daysLoaded, 2);
  const fullOut = join(dir, 'public-repage-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'a neighbour rendered again');

  const bytes = (text: string) => Buffer.from(text);
  const pagers = ['<nav a>1</nav>', '<nav b>2</nav>'];
  const made = ['<nav a>one</nav>', '<nav b>two</nav>'];
  assert.equal(
    replacePagers(bytes(`x${pagers[0]}ü${pagers[1]}y`), pagers, made)?.toString(),
    `x${made[0]}ü${made[1]}y`,
  );
  // Found twice, out of order, missing or empty: not replaced.
  assert.equal(replacePagers(bytes(`${pagers[0]}${pagers[0]}${pagers[1]}`), pagers, made), undefined);
  assert.equal(replacePagers(bytes(`${pagers[1]}${pagers[0]}`), pagers, made), undefined);
  assert.equal(replacePagers(bytes(`${pagers[0]}`), pagers, made), undefined);
  assert.equal(replacePagers(bytes('x'), ['', ''], made), undefined);
});

test('through new days, a new week and month, a paper ranked again in another category, a changed day, an older day added and removed, the newest removed: every incremental build equals a full build', async () => {
  const db = makeStore('sequence.db', [...sampleDigests(), ...moreDays(30)]);
  const out = join(dir, 'public-sequence');
  // Small pages: each category and the index run to several pages anchored at their oldest.
  const small = { categoryPageSize: 4, daysPerPage: 5 };
  await generateSiteToDir({ db, baseUrl: BASE, ...small }, out);
  const change = (fn: (handle: ReturnType<typeof openStore>) => void) => {
    const handle = openStore(db);
    fn(handle);
    handle.close();
  };
  const steps: Array<[string, (handle: ReturnType<typeof openStore>) => void, string[]]> = [
    ['a new day in the same week', (h) => fillStore(h, [newDay]), ['categories/cs.CV.html']],
    [
      'a new week and month: an old cs.LG paper ranked again in stat.ML, a paper of a new category',
      (h) =>
        fillStore(h, [
          digest('2021-07-01', [
            ranked(1, paper('2105.00004', { categories: ['stat.ML'] }), [post('x', '9200', 80, 200)]),
            ranked(2, paper('2107.00002', { categories: ['cs.RO'] }), [post('x', '9201', 10, 40)]),
          ]),
        ]),
      ['categories/cs.RO.html', 'categories/stat.ML.html', 'categories/cs.LG.html', 'top/week-2021-W26.html'],
    ],
    [
      'an old day written again (observed later) with other papers',
      (h) =>
        fillStore(h, [
          digest(
            '2021-05-14',
            [ranked(1, paper('2105.90001', { categories: ['cs.AI'] }), [post('x', '9300', 40, 100)])],
            { observedAt: '2021-05-14T20:00:00.000Z' },
          ),
        ]),
      ['days/2021-05-14.html', 'categories/cs.AI.html', 'top/month-2021-05.html'],
    ],
    [
      'a day weeks older than the rest (new windows beside the oldest)',
      (h) =>
        fillStore(h, [
          digest('2021-03-01', [
            ranked(1, paper('2103.00001', { categories: ['cs.LG'] }), [post('x', '9400', 20, 60)]),
          ]),
        ]),
      ['top/week-2021-W09.html', 'top/month-2021-03.html', 'archive/2021-03.html'],
    ],
    [
      'that old day removed again',
      (h) => h.prepare("DELETE FROM digests WHERE day = '2021-03-01'").run(),
      ['top/week-2021-W09.html', 'papers/2103.00001.html'],
    ],
    [
      'the newest day removed',
      (h) => h.prepare("DELETE FROM digests WHERE day = '2021-07-01'").run(),
      ['categories/cs.LG.html', 'top/week-2021-W23.html'],
    ],
  ];
  for (const [what, fn, rewritten] of steps) {
    const before = snapshot(out);
    change(fn);
    const built = await generateSiteToDir({ db, baseUrl: BASE, ...small }, out);
    assert.equal(built.full, false, what);
    const fullOut = join(dir, `public-sequence-full-${steps.findIndex((s) => s[0] === what)}`);
    await generateSiteToDir({ db, baseUrl: BASE, ...small, full: true }, fullOut);
    const { incremental } = assertSameAsFull(out, fullOut, what);
    // The step did change these pages (or made or removed them): the comparison saw a change.
    for (const path of rewritten)
      assert.ok(
        !before.get(path)?.bytes.equals(incremental.get(path)?.bytes ?? Buffer.alloc(0)),
        `${what}: ${path}`,
      );
  }
});

test('days added after the newest are made from the list state, across a new week, month and year, a batch, a category running to new pages; each build equals a full build', async () => {
  const db = makeStore('state.db', [...sampleDigests(), ...moreDays(30)]);
  const out = join(dir, 'public-state');
  const small = { categoryPageSize: 4, daysPerPage: 5, feedItems: 2 };
  const first = await generateSiteToDir({ db, baseUrl: BASE, ...small }, out);
  assert.equal(first.lists, 'history');
  const one = (rank: number, id: string, cats: string[], likes: number) =>
    ranked(rank, paper(id, { categories: cats }), [post('x', `s${id}`, 5, likes)]);
  const lateFor = (id: string) => (h: ReturnType<typeof openStore>) => storeLatePost(h, id);
  const steps: Array<[string, (h: ReturnType<typeof openStore>) => void, 'state' | 'history']> = [
    [
      'a day in the same week',
      (h) => fillStore(h, [digest('2021-06-11', [one(1, '2106.20001', ['cs.CV'], 90)])]),
      'state',
    ],
    [
      'a day of a new week',
      (h) =>
        fillStore(h, [
          digest('2021-06-14', [
            one(1, '2106.20002', ['cs.LG', 'cs.CV'], 300),
            one(2, '2106.20003', ['cs.CV'], 40),
          ]),
        ]),
      'state',
    ],
    [
      'a day of a new month ranking thirteen cs.LG papers (more than three category pages)',
      (h) =>
        fillStore(h, [
          digest(
            '2021-07-01',
            Array.from({ length: 13 }, (_, i) =>
              one(i + 1, `2107.${String(20000 + i)}`, ['cs.LG'], 900 - i * 50),
            ),
          ),
        ]),
      'state',
    ],
    [
      'two days at once, a paper ranked on both',
      (h) =>
        fillStore(h, [
          digest('2021-07-02', [one(1, '2107.30001', ['stat.ML'], 120), one(2, '2107.30002', ['cs.LG'], 60)]),
          digest('2021-07-05', [one(1, '2107.30001', ['stat.ML'], 140)]),
        ]),
      'state',
    ],
    [
      'a day of a new year, in a new category',
      (h) => fillStore(h, [digest('2022-01-03', [one(1, '2201.00001', ['cs.RO'], 70)])]),
      'state',
    ],
    ['a post found later for a paper of a recent day', lateFor('2107.20001'), 'state'],
    // Its day is named by its page's entry: that day is read, not the history.
    ['a post found later for a paper of an old day', lateFor('2105.00004'), 'state'],
    // It moves from its previous ranking: the days from that ranking's windows on are read.
    [
      'a paper ranked again',
      (h) => fillStore(h, [digest('2022-01-04', [one(1, '2106.20002', ['cs.LG', 'cs.CV'], 900)])]),
      'state',
    ],
    [
      'a paper of the oldest days ranked again, in one more category, beside a new paper',
      (h) =>
        fillStore(h, [
          digest('2022-01-05', [
            one(1, '2105.00058', ['cs.CV', 'cs.LG', 'cs.CL'], 950),
            one(2, '2201.00003', ['cs.CL'], 30),
          ]),
        ]),
      'state',
    ],
    [
      'a paper ranked again with a low score, out of the tops it was in',
      (h) => fillStore(h, [digest('2022-01-06', [one(1, '2106.20002', ['cs.LG', 'cs.CV'], 1)])]),
      'state',
    ],
    [
      'a paper ranked again out of the only category it was in (which goes)',
      (h) => fillStore(h, [digest('2022-01-07', [one(1, '2201.00001', ['cs.LG'], 60)])]),
      'history',
    ],
    [
      'then a day again',
      (h) => fillStore(h, [digest('2022-01-10', [one(1, '2201.00002', ['cs.LG'], 80)])]),
      'state',
    ],
  ];
  for (const [i, [what, change, lists]] of steps.entries()) {
    const handle = openStore(db);
    change(handle);
    handle.close();
    const built = await generateSiteToDir({ db, baseUrl: BASE, ...small }, out);
    assert.equal(built.full, false, what);
    assert.deepEqual(built.warnings, [], what);
    assert.equal(built.lists, lists, what);
    const fullOut = join(dir, `public-state-full-${i}`);
    await generateSiteToDir({ db, baseUrl: BASE, ...small, full: true }, fullOut);
    assertSameAsFull(out, fullOut, what);
  }
  // The cs.LG papers of July run over several anchored pages, the newest ones made from the state.
  assert.ok(existsSync(join(out, 'categories/cs.LG_p3.html')));
});

test('a build from the list state reads the ranked papers of the newest days only; one that needs the history reads them all', async () => {
  const db = makeStore('state-lazy.db', [...sampleDigests(), ...moreDays(60)]);
  const out = join(dir, 'public-state-lazy');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // March's ranked papers no longer parse: a new day does not read them (its feeds show the
  // newest 30 days, from mid-April on).
  const { path: march, broken } = breakSlice(out, 'ranked-2021-03.json', 30);
  addDays(db, [digest('2021-06-11', [ranked(1, paper('2106.30001'), [post('x', '9501', 10, 40)])])]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.lists, 'state');
  assert.equal(second.full, false);
  assert.deepEqual(second.warnings, []);
  assert.ok(readFileSync(march).equals(broken), 'kept unread');
  // A day ranking a March paper again needs every day's papers: the build turns full.
  addDays(db, [digest('2021-06-14', [ranked(1, paper('2105.00110'), [post('x', '9502', 80, 200)])])]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) => /ranked-2021-03\.json does not parse; the site is built in full/.test(w)),
    third.warnings.join('\n'),
  );
  assert.ok(!readFileSync(march).equals(broken), 'written again whole');
});

test('a small incremental build writes on the calling thread; a full one through one writer thread, in batches', async () => {
  const db = makeStore('threads.db', moreDays(240));
  const out = join(dir, 'public-threads');
  const started = { ...writerStats };
  const first = await generateSiteToDir({ db, baseUrl: BASE }, out);
  // More files than the calling thread writes itself: the rest go to one thread, many per message.
  assert.ok(first.fresh > 600, `${first.fresh} files`);
  assert.equal(writerStats.threads, started.threads + 1);
  const batches = writerStats.batches - started.batches;
  const before = snapshot(out);
  assert.ok(batches > 0 && batches < (first.fresh - 400) / 8, `${batches} batches`);
  // The sizes the writer thread reports are those of the files written.
  assert.equal(first.written.files, before.size);
  assert.equal(
    first.written.bytes,
    [...before.values()].reduce((k, f) => k + f.bytes.length, 0),
  );
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.ok(second.writtenPaths.includes('papers/2106.11111.html'));
  // The hashes the writer thread made for the manifest are those of the bytes: a file rendered
  // again with the same bytes is kept, so every file written has new bytes.
  for (const path of second.writtenPaths) {
    const was = before.get(path);
    assert.ok(!was?.bytes.equals(readFileSync(join(out, path))), `${path} rewritten unchanged`);
  }
  assert.equal(writerStats.threads, started.threads + 1, 'no thread for a small incremental build');
  assert.equal(writerStats.batches - started.batches, batches);
});

test("the writer thread hashes the bytes it writes: each manifest hash is its file's, text beyond ASCII included", async () => {
  // Every day's paper and post in accented Latin, CJK and emoji: UTF-8 of 2, 3 and 4 bytes.
  const days = moreDays(240).map((d, k) => ({
    ...d,
    papers: d.papers.map((r) => ({
      ...r,
      paper: { ...r.paper, title: `Gödel ${k}: naïve 日本語 🚀`, authors: ['Erdős Pál', '山田 太郎'] },
      posts: r.posts.map((q) => ({ ...q, text: `Très bien 🤗 ${k} — “quoted” ✓` })),
    })),
  }));
  const db = makeStore('utf8.db', days);
  const out = join(dir, 'public-utf8');
  const started = { ...writerStats };
  const built = await generateSiteToDir({ db, baseUrl: BASE, full: true }, out);
  assert.equal(writerStats.threads, started.threads + 1, 'through the writer thread');
  const files = snapshot(out);
  const manifest = readManifest((path) => files.get(path)?.bytes);
  assert.ok(manifest, 'the manifest reads back');
  let checked = 0;
  let beyondAscii = 0;
  for (const [path, file] of files) {
    const hash = manifest!.files.hash(path);
    if (hash === undefined) continue;
    assert.equal(hash, contentHash(file.bytes), path);
    checked++;
    if (file.bytes.some((b) => b > 0x7f)) beyondAscii++;
  }
  assert.ok(
    checked > built.fresh - 50 && beyondAscii > 400,
    `${checked} hashes, ${beyondAscii} beyond ASCII`,
  );
});

test('threads started ahead of a full build serve it: the same site as threads it starts itself', async () => {
  const db = makeStore('prewarm.db', moreDays(30));
  const started = { ...writerStats };
  prewarmSiteThreads();
  assert.equal(spareThreads(), 3);
  const ahead = await generateSiteToDir({ db, baseUrl: BASE, full: true }, join(dir, 'public-ahead'));
  assert.equal(spareThreads(), 0, 'all taken');
  const own = await generateSiteToDir({ db, baseUrl: BASE, full: true }, join(dir, 'public-own'));
  assert.equal(writerStats.threads, started.threads + 2);
  assert.ok(ahead.fresh > 100 && ahead.fresh === own.fresh, `${ahead.fresh} and ${own.fresh} files`);
  // Both made paper pages on the render thread (started ahead, and then by the build).
  assert.ok(
    ahead.renderedOnThread > 0 && own.renderedOnThread > 0,
    `${ahead.renderedOnThread}, ${own.renderedOnThread}`,
  );
  const a = snapshot(join(dir, 'public-ahead'));
  const b = snapshot(join(dir, 'public-own'));
  assert.ok(
    [...a.keys()].some((path) => path.startsWith('assets/search/')),
    'a search index',
  );
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [path, file] of a) assert.ok(file.bytes.equals(b.get(path)!.bytes), path);
});

test('a post found later for an old paper rewrites that paper page only (and the lists)', async () => {
  const db = makeStore('late.db', [...sampleDigests(), ...moreDays(5)]);
  const out = join(dir, 'public-late');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const handle = openStore(db);
  // As the store's writers do (savePosts, saveStreamPost): the paper is logged as changed.
  storeLatePost(handle, '2106.00002');
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  // The page, and its paper slice (its new hash), only.
  assert.deepEqual(second.writtenPaths, ['papers/2106.00002.html', '.hotpapers/manifest/papers-2106.json']);
  assert.ok(readFileSync(join(out, 'papers/2106.00002.html'), 'utf8').includes('Late post'));
});

test('a shown post deleted, or its author renamed, redoes the pages of the days that show it, not only its paper page', async () => {
  const db = makeStore('shown.db', [...sampleDigests(), ...moreDays(5)]);
  // 2021-06-09 stored as `post` stores a day: its posts by key, read from the posts table.
  const first = openStore(db);
  saveDigest(first, sampleDigests()[0]!, {
    categoriesKey: 'cs,stat.ML',
    writtenAt: '2021-06-12T00:00:00.000Z',
  });
  const stored = first.prepare("SELECT digest FROM digests WHERE day = '2021-06-09'").pluck().get() as string;
  assert.equal(JSON.parse(stored).format, 3);
  assert.ok(!stored.includes('Great paper'), 'no post text in the digest');
  first.close();
  const out = join(dir, 'public-shown');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const handle = openStore(db);
  // X post 1001 is shown under 2106.00001 on 2021-06-09; the stream hears it was deleted.
  recordDeletions(handle, 'x', ['1001'], '2021-06-20T00:00:00.000Z', 'stream');
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  for (const [page, says] of [
    ['days/2021-06-09.html', 'on X (since deleted)'],
    ['papers/2106.00001.html', 'This post has since been deleted'],
  ] as const) {
    assert.ok(second.writtenPaths.includes(page), `${page} rewritten`);
    assert.ok(readFileSync(join(out, page), 'utf8').includes(says), page);
  }
  // The same post seen again by a later run: its author has a new display name.
  const again = openStore(db);
  const shown = sampleDigests()[0]!.papers[0]!.posts[0]!;
  savePosts(
    again,
    [{ post: { ...shown, authorName: 'Grace H.', links: [] }, paperIds: ['2106.00001'] }],
    '2021-06-21T00:00:00.000Z',
  );
  again.close();
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.ok(third.writtenPaths.includes('days/2021-06-09.html'), third.writtenPaths.join(' '));
  assert.ok(readFileSync(join(out, 'days/2021-06-09.html'), 'utf8').includes('Grace H.'));
  const fullOut = join(dir, 'public-shown-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after a shown post changed');
});

test("a post found later for a paper ranked months ago reads that paper's day only, found from its page's entry", async () => {
  const { db, out } = await siteWithHistory('late-old');
  // March's ranked papers no longer parse: a build that read the whole history would turn full.
  const whole = readFileSync(join(out, '.hotpapers/manifest/ranked-2021-03.json'));
  const { path: march, broken } = breakSlice(out, 'ranked-2021-03.json', 30);
  // A post about 2105.00040 (ranked on 30 April, once), as the Bluesky listener stores it.
  const handle = openStore(db);
  storeLatePost(handle, '2105.00040', 'A late capybara post');
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.deepEqual(second.warnings, []);
  assert.equal(second.full, false);
  assert.equal(second.lists, 'state');
  assert.ok(readFileSync(march).equals(broken), 'kept unread');
  assert.ok(second.writtenPaths.includes('papers/2105.00040.html'), second.writtenPaths.join(' '));
  const page = readFileSync(join(out, 'papers/2105.00040.html'), 'utf8');
  assert.ok(page.includes('A late capybara post'));
  assert.ok(page.includes('2021-04-30'), 'its ranking day');
  writeFileSync(march, whole);
  const fullOut = join(dir, 'public-late-old-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after a late post');
});

test('a day ranking an older paper again rewrites its page in its own paper slice; untouched slices are kept unwritten', async () => {
  const db = makeStore('moved.db', [...sampleDigests(), ...moreDays(30)]);
  const out = join(dir, 'public-moved');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const before = snapshot(out);
  // 2105.00004 was last ranked in May; a July day ranks it again, beside a new paper.
  addDays(db, [
    digest('2021-07-01', [
      ranked(1, paper('2105.00004'), [post('x', '9100', 80, 200)]),
      ranked(2, paper('2107.00001', { categories: ['cs.CV'] }), [post('x', '9101', 10, 40)]),
    ]),
  ]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  const fullOut = join(dir, 'public-moved-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  const slicesOf = (root: string) =>
    new Map(
      readdirSync(join(root, '.hotpapers/manifest')).map((name) => [
        name,
        readFileSync(join(root, '.hotpapers/manifest', name), 'utf8'),
      ]),
    );
  const incremental = slicesOf(out);
  const full = slicesOf(fullOut);
  // The same slices, byte for byte, as a full build of the same store writes.
  assert.deepEqual([...incremental.keys()].sort(), [...full.keys()].sort());
  for (const [name, text] of full) assert.equal(incremental.get(name), text, name);
  const head = (root: string) => [...readHead(readFileSync(join(root, MANIFEST_PATH)))!.files.keys()].sort();
  assert.deepEqual(head(out), head(fullOut));
  // The paper's page stays in the slice of its id's month, written with its new hash; May's
  // days did not change.
  assert.ok(incremental.get('papers-2105.json')!.includes('"papers/2105.00004.html\\t'));
  assert.ok(!incremental.get('days-2021-07.json')!.includes('"papers/2105.00004.html\\t'));
  const written = second.writtenPaths.filter((p) => p.startsWith('.hotpapers/manifest/'));
  assert.ok(written.includes('.hotpapers/manifest/papers-2105.json'), 'the slice of its page');
  assert.ok(written.includes('.hotpapers/manifest/days-2021-07.json'), "the new day's");
  assert.ok(!written.includes('.hotpapers/manifest/days-2021-05.json'), 'the month it was ranked last');
  // April's days and papers did not change: its slice is neither rewritten nor read again.
  const april = '.hotpapers/manifest/days-2021-04.json';
  assert.ok(before.has(april) && !written.includes(april));
  assert.equal(snapshot(out).get(april)?.id, before.get(april)!.id);
});

test('one new day writes the same manifest slices whatever the length of the history', async () => {
  /** The manifest files one new day writes over a history of `n` older days, and their bytes. */
  const newDayWrites = async (n: number) => {
    const db = makeStore(`slices-${n}.db`, [...sampleDigests(), ...moreDays(n)]);
    const out = join(dir, `public-slices-${n}`);
    await generateSiteToDir({ db, baseUrl: BASE }, out);
    addDays(db, [newDay]);
    const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
    assert.equal(second.full, false);
    const slices = second.writtenPaths.filter((p) => p.startsWith('.hotpapers/manifest/')).sort();
    const all = readdirSync(join(out, '.hotpapers/manifest'));
    const size = (p: string) => statSync(join(out, p)).size;
    return {
      slices,
      written: [...slices, MANIFEST_PATH].reduce((k, p) => k + size(p), 0),
      total: all.reduce((k, name) => k + size(`.hotpapers/manifest/${name}`), size(MANIFEST_PATH)),
      count: all.length,
    };
  };
  const short = await newDayWrites(20);
  const long = await newDayWrites(160);
  // Eight months more history: many more slices, the same ones written.
  assert.ok(long.count > short.count + 6, `${long.count} slices vs ${short.count}`);
  assert.ok(long.total > 3 * short.total, `${long.total} bytes vs ${short.total}`);
  assert.deepEqual(long.slices, short.slices);
  assert.ok(short.slices.includes('.hotpapers/manifest/days-2021-06.json'));
  // The bytes written barely grow (the head lists every slice; list-page slices hold more pages).
  assert.ok(long.written < 1.5 * short.written, `${long.written} bytes written vs ${short.written}`);
});

test('a template or version change rebuilds and rewrites every file', async () => {
  const db = makeStore('tpl.db', [...sampleDigests(), ...moreDays(5)]);
  const out = join(dir, 'public-tpl');
  await generateSiteToDir({ db, baseUrl: BASE, templateTag: 'a' }, out);
  const before = snapshot(out);
  const second = await generateSiteToDir({ db, baseUrl: BASE, templateTag: 'b' }, out);
  assert.equal(second.full, true);
  assert.equal(second.kept, 0);
  const after2 = snapshot(out);
  for (const [path, f] of after2) assert.notEqual(before.get(path)?.id, f.id, `${path} is written anew`);
  // Other options (the base URL) are part of the fingerprint too.
  const third = await generateSiteToDir({ db, baseUrl: 'https://other.example/', templateTag: 'b' }, out);
  assert.equal(third.full, true);
});

test('one new day parses only the paper slices of the pages it renders; one that does not parse makes the build full', async () => {
  const db = makeStore('lazy.db', [...sampleDigests(), ...moreDays(8)]);
  const out = join(dir, 'public-lazy');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // The May papers' slice no longer parses. A day ranking only a new paper does not look at it:
  // it stays as it is, and the build is incremental.
  const { path: may, broken } = breakSlice(out, 'papers-2105.json', 40);
  addDays(db, [digest('2021-07-01', [ranked(1, paper('2107.00001'), [post('x', '9201', 10, 40)])])]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.deepEqual(second.warnings, []);
  assert.ok(readFileSync(may).equals(broken), 'kept unparsed');
  assert.ok(second.writtenPaths.includes('.hotpapers/manifest/papers-2107.json'));
  // A day ranking a May paper again must look its page up in that slice: the build turns full.
  addDays(db, [digest('2021-07-02', [ranked(1, paper('2105.00004'), [post('x', '9202', 80, 200)])])]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) =>
      /manifest slice \.hotpapers\/manifest\/papers-2105\.json does not parse; the site is built in full/.test(
        w,
      ),
    ),
    third.warnings.join('\n'),
  );
  assert.ok(
    JSON.parse(readFileSync(may, 'utf8')).files.some((line: string) =>
      line.startsWith('papers/2105.00004.html\t'),
    ),
  );
});

test("one new day reads and writes the list parts of its papers' categories only; one that does not read back makes the build full", async () => {
  const db = makeStore('parts.db', [...sampleDigests(), ...moreDays(8)]);
  const out = join(dir, 'public-parts');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const parts = readdirSync(join(out, LIST_PART_DIR)).sort();
  assert.deepEqual(parts, ['cs.CL.json', 'cs.CV.json', 'cs.LG.json', 'hep-th.json', 'stat.ML.json']);
  // cs.LG's part no longer reads back. The new day (the same week, month and year as the day
  // before) ranks a cs.CV paper only: cs.LG's part is not read, and stays as it is.
  const lg = join(out, listPartPath('cs.LG'));
  const broken = readFileSync(lg).subarray(0, 30);
  writeFileSync(lg, broken);
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.deepEqual(second.warnings, []);
  assert.deepEqual(
    second.writtenPaths.filter((p) => p.startsWith(`${LIST_PART_DIR}/`)),
    [listPartPath('cs.CV')],
  );
  assert.ok(readFileSync(lg).equals(broken), 'kept unread');
  // A day ranking a cs.LG paper needs that part: the build turns full, and writes it whole.
  addDays(db, [
    digest('2021-06-14', [
      ranked(1, paper('2106.00020', { categories: ['cs.LG'] }), [post('x', '9301', 10, 40)]),
    ]),
  ]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) =>
      /\.hotpapers\/lists\/cs\.LG\.json does not read back; the site is built in full/.test(w),
    ),
    third.warnings.join('\n'),
  );
  assert.equal(JSON.parse(readFileSync(lg, 'utf8')).cat, 'cs.LG');
});

/**
 * A site built in full from the sample days and 120 days back to December 2020 (several months
 * and search segments); `head` reads its manifest head as it is now.
 */
async function siteWithHistory(name: string): Promise<{ db: string; out: string; head: () => Head }> {
  const db = makeStore(`${name}.db`, [...sampleDigests(), ...moreDays(120)]);
  const out = join(dir, `public-${name}`);
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  return { db, out, head: () => readHead(readFileSync(join(out, MANIFEST_PATH)))! };
}

/**
 * Break manifest slice `name` (a site path), add the day 2021-07-01 (one paper, one post of id
 * `postId`) and build: the build stays incremental, with no warning, and leaves the slice unread.
 */
async function newDayLeavesUnread(
  db: string,
  out: string,
  name: string,
  postId: string,
): Promise<{ second: Awaited<ReturnType<typeof generateSiteToDir>>; olderPath: string }> {
  const { path: olderPath, broken } = breakSlice(out, name.slice('.hotpapers/manifest/'.length), 30);
  addDays(db, [digest('2021-07-01', [ranked(1, paper('2107.00001'), [post('x', postId, 10, 40)])])]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.deepEqual(second.warnings, []);
  assert.equal(second.full, false);
  assert.ok(readFileSync(olderPath).equals(broken), 'kept unparsed');
  return { second, olderPath };
}

test("one new day parses only the owned slices of the search segment it rebuilds; an older segment's are kept unread, one that does not parse makes the build full", async () => {
  // The sample days' search segment and older ones.
  const { db, out, head } = await siteWithHistory('owned');
  const open = segmentOf('2021-07-01', '2021-07-01');
  const owners = new Set([...head().owned.values()].map(([, owner]) => owner));
  assert.ok(owners.has(`s:${open}`), [...owners].join(' '));
  assert.ok(owners.size >= 3, [...owners].join(' '));
  // A slice of an older segment's chunks (its summary file is read back by every build).
  const older = [...head().owned].find(
    ([, [, owner, folder]]) => owner !== `s:${open}` && folder.startsWith('assets/search/'),
  )!;
  const { second, olderPath } = await newDayLeavesUnread(db, out, older[0], '9301');
  assert.ok(head().owned.has(older[0]), 'still listed, with its owner');
  assert.ok(
    second.writtenPaths.some((p) => p.startsWith(`assets/search/${open}/`)),
    second.writtenPaths.join(' '),
  );
  // The open segment's slices are parsed when it is rebuilt: one that does not parse makes the
  // build full, and the full build writes every slice again.
  const openSlice = [...head().owned].find(
    ([, [, owner, folder]]) => owner === `s:${open}` && folder.startsWith('assets/search/'),
  )![0];
  breakSlice(out, openSlice.slice('.hotpapers/manifest/'.length), 30);
  addDays(db, [digest('2021-07-02', [ranked(1, paper('2107.00002'), [post('x', '9302', 10, 40)])])]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) => w.includes(`${openSlice} does not parse; the site is built in full`)),
    third.warnings.join('\n'),
  );
  assert.ok(JSON.parse(readFileSync(olderPath, 'utf8')).files.length > 0, 'written whole again');
});

test("a day that ranks again a paper of an older search segment rewrites only that segment's head and summary, from the body its build left", async () => {
  const { db, out, head } = await siteWithHistory('rerank-search');
  // 2105.00238 is the first paper of moreDays' oldest day (14 December 2020).
  const oldDay = moreDays(120).at(-1)!;
  const again = oldDay.papers[0]!.paper;
  assert.equal(again.id, '2105.00238');
  const newest = '2021-07-01';
  const older = segmentOf(oldDay.day, newest);
  assert.notEqual(older, segmentOf(newest, newest));
  assert.ok(existsSync(join(out, `.hotpapers/search/${older}.body.json`)), 'the full build left the body');
  const before = snapshot(out);
  // A slice of the older segment's chunks no longer parses: made again whole, the segment would
  // read it (and the build turn full); with its head alone made again, it is kept unread.
  const chunks = [...head().owned].find(
    ([name, [, owner]]) => owner === `s:${older}` && name.includes(`-search-${older}-`),
  )![0];
  const { path: chunksPath, broken } = breakSlice(out, chunks.slice('.hotpapers/manifest/'.length), 30);
  addDays(db, [digest(newest, [ranked(1, again, [post('x', '9601', 10, 40)])])]);
  const built = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(built.full, false);
  assert.deepEqual(built.warnings, []);
  assert.ok(readFileSync(chunksPath).equals(broken), 'kept unread');
  writeFileSync(chunksPath, before.get(chunks)!.bytes);
  const inOlder = built.writtenPaths.filter(
    (p) => p.startsWith(`assets/search/${older}/`) || p.startsWith(`.hotpapers/search/${older}.`),
  );
  assert.deepEqual(inOlder.sort(), [`.hotpapers/search/${older}.json`, `assets/search/${older}/h.js`]);
  // Its other files were not touched; its head changed (it now masks the paper).
  const after = snapshot(out);
  for (const [path, f] of before)
    if (path.startsWith(`assets/search/${older}/`) && !path.endsWith('/h.js'))
      assert.equal(after.get(path)?.id, f.id, path);
  assert.notEqual(
    readFileSync(join(out, `assets/search/${older}/h.js`), 'utf8'),
    before.get(`assets/search/${older}/h.js`)!.bytes.toString(),
  );
  const fullOut = join(dir, 'public-rerank-search-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'a paper ranked again');
  // A body the manifest lists but the folder lacks: the build is made in full, which writes it.
  rmSync(join(out, `.hotpapers/search/${older}.body.json`));
  addDays(db, [digest('2021-07-02', [ranked(1, oldDay.papers[1]!.paper, [post('x', '9602', 10, 40)])])]);
  const rebuilt = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(rebuilt.full, true);
  assert.ok(
    rebuilt.warnings.some((w) => w.includes(`${older}.body.json is missing or does not parse`)),
    rebuilt.warnings.join('\n'),
  );
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'a paper ranked again, the body missing');
});

test("one new day parses only its own month's day-file slice; an older month's is kept unread, and one that does not parse makes the build full", async () => {
  const { db, out, head } = await siteWithHistory('dayfiles');
  const slices = [...head().deferred.keys()].filter((name) => name.includes('/dayfiles-'));
  assert.ok(slices.length >= 5, slices.join(' '));
  // An older month's day pages and fragments: its slice no longer parses.
  const { second, olderPath } = await newDayLeavesUnread(db, out, slices[0]!, '9401');
  assert.ok(head().deferred.has(slices[0]!), 'still listed, with its count');
  assert.ok(second.writtenPaths.includes('days/2021-07-01.html'), second.writtenPaths.join(' '));
  // The new day's month is read when its next day's page is written: a slice that does not
  // parse makes the build full, and the full build writes every slice again.
  breakSlice(out, 'dayfiles-2021-07.json', 30);
  addDays(db, [digest('2021-07-02', [ranked(1, paper('2107.00002'), [post('x', '9402', 10, 40)])])]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) => w.includes('dayfiles-2021-07.json does not parse; the site is built in full')),
    third.warnings.join('\n'),
  );
  const rewritten = JSON.parse(readFileSync(olderPath, 'utf8')) as { files: string[] };
  assert.ok(rewritten.files.length > 0, 'written whole again');
  assert.ok(
    rewritten.files.every((line) => /^(days\/\S+\.html|\.hotpapers\/search\/\S+\.txt)\t/.test(line)),
    rewritten.files.join('\n'),
  );
});

test("one new day parses only the group slices of the list pages it changes; 2020's archive pages are kept unread, and one that does not parse makes the build full", async () => {
  const { db, out, head } = await siteWithHistory('groups');
  const name = '.hotpapers/manifest/files-archive-2020-0.json';
  assert.ok(head().groups.has(name), [...head().groups.keys()].join(' '));
  const before = snapshot(out);
  // December 2020's month page, in a slice of its own year: no new day of 2021 changes it.
  const { second, olderPath } = await newDayLeavesUnread(db, out, name, '9501');
  assert.ok(head().groups.has(name), 'still listed, with its signature');
  assert.ok(!second.writtenPaths.some((p) => p.startsWith('archive/2020-')), second.writtenPaths.join(' '));
  assert.ok(second.writtenPaths.includes('archive/2021-07.html'), second.writtenPaths.join(' '));
  writeFileSync(olderPath, before.get(name)!.bytes);
  const fullOut = join(dir, 'public-groups-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'a new day, old list pages taken over unread');
  // A day added in December 2020 changes that month's page: its slice is read, and one that
  // does not parse makes the build full.
  breakSlice(out, 'files-archive-2020-0.json', 30);
  addDays(db, [digest('2020-12-02', [ranked(1, paper('2012.00001'), [post('x', '9502', 10, 40)])])]);
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, true);
  assert.ok(
    third.warnings.some((w) =>
      w.includes('files-archive-2020-0.json does not parse; the site is built in full'),
    ),
    third.warnings.join('\n'),
  );
  assert.ok(JSON.parse(readFileSync(olderPath, 'utf8')).files.length > 0, 'written whole again');
});

test("an enrichment change redoes the days that rank the paper, found from its page's entry: no other month's ranked papers are read", async () => {
  const { db, out } = await siteWithHistory('enriched');
  // March's ranked papers no longer parse: a build that looked at every day's papers to find
  // those ranking an enriched paper would read them and turn full.
  const whole = readFileSync(join(out, '.hotpapers/manifest/ranked-2021-03.json'));
  const { path: march, broken } = breakSlice(out, 'ranked-2021-03.json', 30);
  // A daily run with Hugging Face: a new day, and the enrichment of its paper and of a paper
  // ranked on 30 April (moreDays' k = 20).
  addDays(db, [digest('2021-07-01', [ranked(1, paper('2107.00001'), [post('x', '9601', 10, 40)])])]);
  const handle = openStore(db);
  const at = '2021-07-01T20:00:00.000Z';
  saveEnrichments(handle, [
    { paperId: '2107.00001', status: 'ok', aiSummary: 'A wombat-grade summary.', fetchedAt: at },
    {
      paperId: '2105.00040',
      status: 'ok',
      aiSummary: 'A numbat-grade summary.',
      githubStars: 77,
      fetchedAt: at,
    },
  ]);
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.deepEqual(second.warnings, []);
  assert.equal(second.full, false);
  assert.ok(readFileSync(march).equals(broken), 'kept unread');
  for (const page of ['days/2021-04-30.html', 'papers/2105.00040.html']) {
    assert.ok(second.writtenPaths.includes(page), `${page} rewritten`);
    assert.ok(readFileSync(join(out, page), 'utf8').includes('numbat-grade'), `${page}: TL;DR`);
  }
  assert.ok(readFileSync(join(out, 'days/2021-07-01.html'), 'utf8').includes('wombat-grade'));
  // The other days of April are not redone.
  assert.ok(!second.writtenPaths.includes('days/2021-04-29.html'), second.writtenPaths.join(' '));
  // With March's slice whole again, the site is the one a full build makes.
  writeFileSync(march, whole);
  const fullOut = join(dir, 'public-enriched-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after an enrichment change');
});

test("a paper page's entry that names no days: an enrichment change finds them in every day's papers", async () => {
  const { db, out } = await siteWithHistory('enriched-unnamed');
  // The entry of 2105.00040's page with hash and owner only, as the engine leaves it when a
  // ranking day is not a plain word.
  const slice = join(out, '.hotpapers/manifest/papers-2105.json');
  const parsed = JSON.parse(readFileSync(slice, 'utf8')) as { days: unknown[]; files: string[] };
  const at = parsed.files.findIndex((line) => line.startsWith('papers/2105.00040.html\t'));
  assert.equal(parsed.files[at]!.split('\t')[3], '2021-04-30', 'the entry names its day');
  parsed.files[at] = parsed.files[at]!.split('\t').slice(0, 3).join('\t');
  writeFileSync(slice, JSON.stringify(parsed));
  const handle = openStore(db);
  saveEnrichments(handle, [
    {
      paperId: '2105.00040',
      status: 'ok',
      aiSummary: 'A dugong-grade summary.',
      fetchedAt: '2021-07-01T20:00:00.000Z',
    },
  ]);
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.deepEqual(second.warnings, []);
  assert.equal(second.full, false);
  for (const page of ['days/2021-04-30.html', 'papers/2105.00040.html'])
    assert.ok(readFileSync(join(out, page), 'utf8').includes('dugong-grade'), `${page}: TL;DR`);
  // The page rendered again names its day once more.
  const again = JSON.parse(readFileSync(slice, 'utf8')) as { files: string[] };
  const line = again.files.find((l) => l.startsWith('papers/2105.00040.html\t'))!;
  assert.equal(line.split('\t')[3], '2021-04-30');
});

test('a previous site missing a file the build reads is rebuilt in full; --full restores any file', async () => {
  const db = makeStore('stale.db', [...sampleDigests(), ...moreDays(3)]);
  const out = join(dir, 'public-stale');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // The search index is made from every day's fragment: one missing cannot be reused.
  rmSync(join(out, '.hotpapers/search/2021-06-09.txt'));
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, true);
  assert.ok(
    second.warnings.some((w) =>
      /search fragment of 2021-06-09 is missing; the site is built in full/.test(w),
    ),
    second.warnings.join('\n'),
  );
  assert.ok(existsSync(join(out, '.hotpapers/search/2021-06-09.txt')));
  // A page removed by hand is not looked for (that would cost a look at every file of the site)...
  rmSync(join(out, 'papers/2106.00001.html'));
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, false);
  assert.equal(existsSync(join(out, 'papers/2106.00001.html')), false);
  // ...and `site --full` writes every file again.
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, out);
  assert.ok(existsSync(join(out, 'papers/2106.00001.html')));
});

const MAIN = join(import.meta.dirname, '../../src/cli/main.ts');

/** Run `hotpapers site` in a child process; resolves to its exit code and signal. */
function siteProcess(
  out: string,
  db: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): { child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), MAIN, 'site', ...extra, '--out', out, '--db', db, '--quiet'],
    { stdio: 'ignore', env: { ...process.env, HOTPAPERS_BASE_URL: BASE, ...env } },
  );
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited };
}

/** Bytes of every file but the manifest (a site as a reader sees it). */
function contents(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [path, f] of snapshot(root)) if (path !== MANIFEST_PATH) out.set(path, f.bytes);
  return out;
}

function assertSameSite(actual: string, expected: string): void {
  const a = contents(actual);
  const e = contents(expected);
  assert.deepEqual([...a.keys()].sort(), [...e.keys()].sort());
  for (const [path, bytes] of e) assert.ok(a.get(path)!.equals(bytes), `${path}: same bytes as a full build`);
}

test('a full build killed mid-way leaves the old site whole; the next build cleans up and succeeds', async () => {
  // Big enough that the build is still running when its temporary folder appears.
  const db = makeStore('crash.db', [...sampleDigests(), ...moreDays(400)]);
  const out = join(dir, 'public-crash');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const before = snapshot(out);
  addDays(db, [newDay]);

  const { child, exited } = siteProcess(out, db, ['--full']);
  // Kill it once its next generation has files in it (it is writing), before it can swap.
  let killed = false;
  while (!killed) {
    const temp = readdirSync(dir).find((n) => n.startsWith('.public-crash.site-'));
    if (temp && existsSync(join(dir, temp, 'papers'))) {
      child.kill('SIGKILL');
      killed = true;
    } else if (child.exitCode !== null) break;
    else await new Promise((r) => setTimeout(r, 5));
  }
  await exited;
  assert.ok(killed, 'the build was killed while writing');
  const still = snapshot(out);
  assert.deepEqual([...still.keys()].sort(), [...before.keys()].sort());
  for (const [path, f] of before) assert.ok(still.get(path)!.bytes.equals(f.bytes), path);
  assert.ok(
    readdirSync(dir).some((n) => n.startsWith('.public-crash.site-')),
    'the dead build left its folder',
  );

  const next = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(next.full, false);
  assert.ok(existsSync(join(out, 'days/2021-06-11.html')));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('.public-crash.') && !n.endsWith('.lock')),
    [],
    'leftovers removed',
  );
});

for (const crash of ['before-journal', 'rename:1', 'rename:5']) {
  test(`an in-place build killed at ${crash} leaves whole files; the next build gives the same site as a full build`, async () => {
    const name = `inplace-${crash.replace(':', '-')}`;
    const db = makeStore(`${name}.db`, [...sampleDigests(), ...moreDays(12)]);
    const out = join(dir, name);
    await generateSiteToDir({ db, baseUrl: BASE }, out);
    const before = contents(out);
    addDays(db, [newDay]);

    const { exited } = siteProcess(out, db, [], { HOTPAPERS_SITE_CRASH: crash });
    const { signal } = await exited;
    assert.equal(signal, 'SIGKILL', 'the build died at its fault point');
    // Every file is whole: the old bytes or the new ones, never a part (pending files are apart).
    const during = contents(out);
    const fullOut = join(dir, `${name}-full`);
    await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
    const full = contents(fullOut);
    let changed = 0;
    for (const [path, bytes] of during) {
      if (path.startsWith('.hotpapers/pending/') || path === '.hotpapers/journal.json') continue;
      const old = before.get(path);
      const now = full.get(path);
      assert.ok(bytes.equals(old ?? Buffer.alloc(0)) || (now && bytes.equals(now)), `${path} is whole`);
      if (!old?.equals(bytes)) changed++;
    }
    if (crash === 'before-journal') {
      assert.equal(changed, 0, 'nothing of the live site was touched before the journal');
      assert.ok(!existsSync(join(out, '.hotpapers/journal.json')));
    } else {
      assert.ok(changed > 0 && existsSync(join(out, '.hotpapers/journal.json')), 'it died while renaming');
    }

    // Recovery alone finishes the dead build's renames (after the journal) or drops its files (before).
    recoverSite(out);
    if (crash === 'before-journal') {
      const now = contents(out);
      assert.deepEqual([...now.keys()].sort(), [...before.keys()].sort());
      for (const [path, bytes] of before) assert.ok(now.get(path)!.equals(bytes), `${path} as before`);
    } else assertSameSite(out, fullOut);
    // The next build then gives the site of a full build.
    const next = await generateSiteToDir({ db, baseUrl: BASE }, out);
    assert.equal(next.full, false);
    assertSameSite(out, fullOut);
    assert.ok(!existsSync(join(out, '.hotpapers/pending')), 'no pending files left');
    assert.ok(!existsSync(join(out, '.hotpapers/journal.json')), 'no journal left');
  });
}

test('feeds name each paper’s authors also for days kept from the manifest (their packed author lines)', async () => {
  const many = Array.from({ length: 7 }, (_, i) => `Author Number${i + 1}`);
  const old = digest('2021-06-08', [
    ranked(1, paper('2106.08001', { title: 'Seven authors', authors: many, categories: ['cs.RO'] }), [
      post('x', '7001', 40, 120),
    ]),
  ]);
  const mid = digest('2021-06-09', [ranked(1, paper('2106.09001'), [post('x', '7002', 30, 90)])]);
  const db = makeStore('authors.db', [mid, old]);
  const out = join(dir, 'public-authors');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const line = 'Author Number1, Author Number2, Author Number3, Author Number4, Author Number5';
  const feeds = ['atom.xml', 'rss.xml', 'feed.json', 'categories/cs.RO.atom.xml'];
  for (const f of feeds) assert.match(readFileSync(join(out, f), 'utf8'), new RegExp(line), f);
  // A new day: the old day is not read again, its summary (and author lines) come from the manifest.
  addDays(db, [newDay]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  // The new day alone (its neighbour's pager is replaced in its page): the day with seven
  // authors is not read.
  assert.equal(second.daysLoaded, 1);
  for (const f of feeds) {
    const text = readFileSync(join(out, f), 'utf8');
    assert.match(text, new RegExp(line), f);
    assert.equal(text.includes('Author Number6'), false, `${f} names five authors, then a count`);
  }
  assert.match(readFileSync(join(out, 'atom.xml'), 'utf8'), /A brand new paper/);
});

test("a new day makes only its own feed items: the older days' are cut out of the feeds as they were", async () => {
  const db = makeStore('feed-items.db', sampleDigests());
  const out = join(dir, 'public-feed-items');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  // Mark an older day's item in the site's feeds, keeping every length: a build that takes the
  // item over shows the mark; one that made the item again would not.
  const title = 'Hot papers of Wednesday 9 June 2021';
  const marked = 'HOT PAPERS of Wednesday 9 June 2021';
  for (const f of ['atom.xml', 'feed.json']) {
    const text = readFileSync(join(out, f), 'utf8');
    assert.ok(text.includes(title), f);
    writeFileSync(join(out, f), text.replace(title, marked));
  }
  // A category feed whose index is not whole has its items made again.
  const cat = join(out, '.hotpapers/feeds/category-cs.LG.txt');
  assert.ok(existsSync(cat));
  const catText = readFileSync(cat, 'utf8');
  writeFileSync(cat, catText.slice(0, catText.length >> 1));

  // A new day in cs.LG: the site's feeds and cs.LG's are written again.
  addDays(db, [
    digest('2021-06-11', [
      ranked(1, paper('2106.11111', { title: 'A brand new paper', categories: ['cs.LG'] }), [
        post('x', '9001', 50, 150),
      ]),
    ]),
  ]);
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  const atom = readFileSync(join(out, 'atom.xml'), 'utf8');
  assert.match(atom, new RegExp(`<title type="text">${marked}`));
  assert.match(atom, /A brand new paper/, "the new day's item is made");
  assert.match(readFileSync(join(out, 'feed.json'), 'utf8'), new RegExp(`"title": "${marked}`));

  // Without the marks, every feed is the one a full build makes (cs.LG's made whole again).
  const fullOut = join(dir, 'public-feed-items-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  const full = (path: string) => readFileSync(join(fullOut, path), 'utf8');
  assert.equal(atom.replace(marked, title), full('atom.xml'));
  for (const path of ['categories/cs.LG.atom.xml', 'categories/cs.LG.rss.xml', 'categories/cs.LG.json'])
    assert.equal(readFileSync(join(out, path), 'utf8'), full(path), path);
  assert.ok(full('categories/cs.LG.atom.xml').includes('A brand new paper'));
  assert.ok(
    second.writtenPaths.includes('.hotpapers/feeds/category-cs.LG.txt'),
    'its index written whole again',
  );
});

/** A later listing (2021-06-14) that brings `paper` again as a cross-list, as a `post` run stores it. */
function listAgain(db: string, paper: Paper): void {
  const handle = openStore(db);
  saveListing(
    handle,
    {
      day: '2021-06-14',
      categories: ['cs'],
      method: 'api',
      papers: [{ ...paper, announceType: 'cross' }],
      notes: [],
    },
    '2021-06-14T01:00:00.000Z',
  );
  handle.close();
}

test('a newer version of a paper listed later redoes the older days that rank it, as a full build shows them', async () => {
  const db = makeStore('revised.db', [...sampleDigests(), ...moreDays(5)]);
  // 2021-06-09 stored as `post` stores a day: its listing, then its digest with the papers by key.
  const june9 = sampleDigests()[0]!;
  const first = openStore(db);
  const listed = june9.papers.map((r) => r.paper);
  saveListing(
    first,
    { day: june9.day, categories: ['cs', 'stat.ML'], method: 'rss', papers: listed, notes: [] },
    '2021-06-09T01:00:00.000Z',
  );
  saveDigest(first, june9, { categoriesKey: 'cs,stat.ML', writtenAt: '2021-06-12T00:00:00.000Z' });
  const stored = JSON.parse(
    first.prepare("SELECT digest FROM digests WHERE day = '2021-06-09'").pluck().get() as string,
  );
  assert.equal(stored.papers[0].paper, undefined, 'the paper is stored by key');
  first.close();
  const out = join(dir, 'public-revised');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const oldTitle = listed[0]!.title;
  // A later listing (a cross-list, a run over an older day) brings version 2 with a new title.
  listAgain(db, { ...listed[0]!, version: 2, title: 'Attention for Long Documents, Revised' });
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  for (const page of ['days/2021-06-09.html', 'papers/2106.00001.html', 'atom.xml']) {
    assert.ok(second.writtenPaths.includes(page), `${page} rewritten`);
    const text = readFileSync(join(out, page), 'utf8');
    assert.ok(text.includes('Attention for Long Documents, Revised'), page);
    assert.equal(text.includes('Long Documents</'), false, `${page} no longer shows "${oldTitle}"`);
  }
  const fullOut = join(dir, 'public-revised-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after a paper revised');
});

test('a paper stored by the release before (DEFLATE) and listed again unchanged is packed again: its pages are made again and no file changes', async () => {
  // A paper whose texts are long enough to be packed, ranked on a day stored as `post` stores it:
  // its listing, then its digest with the paper by key.
  const long = paper('2106.08888', {
    title: 'Learning Graph Representations with Attention',
    abstract: 'We study how to learn representations of graphs with attention and message passing. '.repeat(
      4,
    ),
  });
  const day = digest('2021-06-08', [ranked(1, long, [post('x', '7001', 40, 120)])]);
  const db = makeStore('repacked.db', [...sampleDigests(), day]);
  const first = openStore(db);
  const listed = [long];
  saveListing(
    first,
    { day: day.day, categories: ['cs', 'stat.ML'], method: 'rss', papers: listed, notes: [] },
    '2021-06-08T01:00:00.000Z',
  );
  saveDigest(first, day, { categoriesKey: 'cs,stat.ML', writtenAt: '2021-06-12T00:00:00.000Z' });
  // The rows as the release before packed them: the three texts together, raw DEFLATE (tag 0x16).
  const dictionary = Buffer.from(ABSTRACTS_V1, 'utf8');
  for (const p of listed) {
    const whole = `${p.title}\u0000${p.authors.join('\n')}\u0000${p.abstract}`;
    if (whole.length < 200) continue;
    first
      .prepare("UPDATE papers SET title = '', authors = '', abstract = ? WHERE id = ?")
      .run(Buffer.concat([Buffer.from([0x16]), deflateRawSync(whole, { dictionary })]), p.id);
  }
  const tagOf = (h: ReturnType<typeof openStore>) =>
    h.prepare('SELECT hex(substr(abstract, 1, 1)) FROM papers WHERE id = ?').pluck().get(listed[0]!.id);
  assert.equal(tagOf(first), '16');
  first.close();
  const out = join(dir, 'public-repacked');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const before = snapshot(out);
  // A later listing (a cross-list) brings the same version with the same texts.
  listAgain(db, listed[0]!);
  const handle = openStore(db);
  assert.equal(tagOf(handle), '2E', 'packed again, with zstd');
  handle.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.ok(second.daysLoaded > 0, 'the day that ranks it is made again');
  const after = snapshot(out);
  for (const page of ['days/2021-06-08.html', `papers/${long.id}.html`]) {
    assert.equal(second.writtenPaths.includes(page), false, `${page} not rewritten`);
    assert.equal(after.get(page)!.id, before.get(page)!.id, `${page} is the same file`);
    assert.deepEqual(after.get(page)!.bytes, before.get(page)!.bytes, page);
  }
  const fullOut = join(dir, 'public-repacked-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after a paper packed again');
});

test("a day ranking again papers of older days, in a new category or a newer version, moves them from the list state: the older days' other papers stay as they were", async () => {
  const db = join(dir, 'moved-revised.db');
  const h = openStore(db);
  storeAsPost(h, [...moreDays(30), ...sampleDigests()]);
  h.close();
  const out = join(dir, 'public-moved-revised');
  await generateSiteToDir({ db, baseUrl: BASE }, out);
  const before = snapshot(out);
  // 2105.00004 (cs.LG) was ranked first on 2021-05-26 beside 2105.00005, and 2105.00006 on
  // 2021-05-25. A July day ranks both again: the first cross-listed in cs.RO, the second as
  // version 2 with a new title (their rows in papers change).
  const page = (path: string) => readFileSync(join(out, path), 'utf8');
  assert.match(page('days/2021-05-26.html'), /2105\.00005/);
  assert.equal(existsSync(join(out, 'categories/cs.RO.html')), false);
  const add = openStore(db);
  storeAsPost(add, [
    digest('2021-07-01', [
      ranked(1, paper('2105.00004', { categories: ['cs.LG', 'cs.RO'] }), [post('x', '9200', 80, 200)]),
      ranked(2, paper('2105.00006', { version: 2, title: 'Version Two Of A May Paper' }), [
        post('x', '9201', 10, 40),
      ]),
    ]),
  ]);
  add.close();
  const second = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(second.full, false);
  assert.equal(second.lists, 'state', 'the lists follow from the list state');
  const written = new Set(second.writtenPaths);
  for (const path of [
    'days/2021-05-25.html',
    'papers/2105.00004.html',
    'papers/2105.00006.html',
    'categories/cs.RO.html',
  ])
    assert.ok(written.has(path), `${path} written`);
  assert.match(page('categories/cs.RO.html'), /2105\.00004/);
  assertTitled(out, '2105.00006', 'Paper 2105.00006', 'Version Two Of A May Paper');
  // A day page names a paper's primary category only: 2021-05-26's is the same file. Neither
  // older day's other paper has its page written.
  for (const path of ['days/2021-05-26.html', 'papers/2105.00005.html', 'papers/2105.00007.html']) {
    assert.ok(!written.has(path), `${path} kept`);
    assert.equal(snapshot(out).get(path)?.id, before.get(path)!.id, path);
  }
  const fullOut = join(dir, 'public-moved-revised-full');
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after papers ranked again in a new category and version');

  // A newer version of another old paper (ranked on 2021-05-21), which no new day ranks: its
  // list entries stay on its day and show the new title, so the lists come from the history.
  const revise = openStore(db);
  revise.prepare("UPDATE papers SET version = 2, title = 'A Revised Title' WHERE id = '2105.00010'").run();
  revise.close();
  const third = await generateSiteToDir({ db, baseUrl: BASE }, out);
  assert.equal(third.full, false);
  assert.equal(third.lists, 'history');
  assertTitled(out, '2105.00010', 'Paper 2105.00010', 'A Revised Title');
  rmSync(fullOut, { recursive: true, force: true });
  await generateSiteToDir({ db, baseUrl: BASE, full: true }, fullOut);
  assertSameAsFull(out, fullOut, 'after a paper revised where it was ranked last');
});

/** Every HTML page of the site at `out` that names paper `id` shows its title `now`, none `was`. */
function assertTitled(out: string, id: string, was: string, now: string): void {
  const pages = (readdirSync(out, { recursive: true }) as string[]).filter((p) => p.endsWith('.html'));
  const naming = pages.filter((p) => readFileSync(join(out, p), 'utf8').includes(`${id}`));
  // Its paper page, its days' pages and the lists it is in.
  assert.ok(naming.length >= 4, naming.join());
  for (const p of naming) {
    const text = readFileSync(join(out, p), 'utf8');
    assert.ok(!text.includes(was), `${p} no longer shows "${was}"`);
  }
  assert.ok(
    naming.some((p) => p.startsWith('categories/') && readFileSync(join(out, p), 'utf8').includes(now)),
  );
}
