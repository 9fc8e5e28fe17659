/** The manifest's in-memory file table and the packed lines of a day summary. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import {
  contentHash,
  dayFileSlice,
  type FileEntry,
  FileTable,
  fragmentPath,
  groupRun,
  groupSignature,
  MANIFEST_DIR,
  MANIFEST_PATH,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestDay,
  monthSignature,
  readHead,
  readManifest,
  StaleGenerationError,
  thumbSlice,
  writeManifest,
} from '../../src/site/manifest.js';
import { packLines, paths, unpackLines } from '../../src/site/model.js';
import { stampsOf } from '../../src/site/source.js';

test('a file table gives back each entry as set, with and without a key', () => {
  const t = new FileTable();
  t.set('papers/2106.00001.html', ['hashA=', 'p:2106.00001', 1]);
  t.set('index.html', ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(t.size, 2);
  assert.deepEqual(t.get('papers/2106.00001.html'), ['hashA=', 'p:2106.00001', 1]);
  assert.deepEqual(t.get('index.html'), ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(t.get('missing.html'), undefined);
  assert.equal(t.hash('index.html'), 'hashB=');
  assert.equal(t.owner('papers/2106.00001.html'), 'p:2106.00001');
  assert.equal(t.owner('index.html'), '');
  assert.deepEqual([...t.owners()].sort(), [
    ['index.html', ''],
    ['papers/2106.00001.html', 'p:2106.00001'],
  ]);
  assert.equal(t.anyMath(), true);
  const next = new FileTable();
  assert.equal(next.copy(t, 'index.html'), true);
  assert.equal(next.copy(t, 'missing.html'), false);
  assert.deepEqual(next.get('index.html'), ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(next.anyMath(), false);
});

test('packed lines come back as they were, in order, empty ones and non-ASCII included', () => {
  const lines = ['Ada Lovelace, Émile Borel and 3 more', '', '李 小龙', 'x'.repeat(500)];
  const packed = packLines(lines);
  assert.deepEqual(unpackLines(packed), lines);
  assert.ok(packed.length < lines.join('\n').length, 'smaller than the lines themselves');
  // Lines packed with zlib's default window and tables (manifests of earlier releases) read back too.
  const before = deflateRawSync(Buffer.from(lines.join('\n'))).toString('base64');
  assert.deepEqual(unpackLines(before), lines);
});

/** A day summary of `papers` (ids) on `day`, as the manifest keeps it. */
function manifestDay(day: string, papers: string[]): ManifestDay {
  return {
    day,
    categoriesKey: 'cs.LG',
    horizon: '',
    fingerprint: `f-${day}`,
    digest: {
      categories: ['cs.LG'],
      observedAt: `${day}T18:00:00Z`,
      listed: papers.length,
      postsFound: papers.length,
      papers: papers.map((id, i) => ({
        rank: i + 1,
        score: 10 - i,
        paper: { id, title: `Paper ${id}`, categories: ['cs.LG'], primaryCategory: 'cs.LG' },
      })),
    },
  };
}

/** A site folder's manifest files in memory, written through writeManifest as the build does. */
function writeInto(
  folder: Map<string, Buffer>,
  m: Manifest,
  latest: Record<string, string>,
  previous?: Manifest,
  also: { moved?: (paper: string) => boolean; absent?: readonly string[] } = {},
): { put: string[]; kept: string[] } {
  const put: string[] = [];
  const kept: string[] = [];
  const before = new Set(folder.keys());
  writeManifest(
    m,
    (id) => latest[id],
    (path, data) => {
      put.push(path);
      folder.set(path, data);
      m.files.set(path, [contentHash(data), '', 0]);
    },
    (data) => {
      // As the build does: what the generation no longer has is removed.
      for (const path of before) if (path !== MANIFEST_PATH && !m.files.has(path)) folder.delete(path);
      folder.set(MANIFEST_PATH, data);
    },
    previous && {
      manifest: previous,
      keep: (name) => {
        if (!folder.has(name)) return false;
        kept.push(name);
        m.files.copy(previous.files, name);
        return true;
      },
      ...also,
    },
  );
  return { put, kept };
}

/** A May day ranking A (with a thumbnail) and B, an April day ranking C, and their files. */
function mayAndApril(): { may: ManifestDay; april: ManifestDay; files: FileTable } {
  const files = new FileTable();
  files.set('papers/A.html', ['hA', 'p:A', 0]);
  files.set('thumbs/A.webp', ['tA', 'p:A', 0]);
  files.set('papers/B.html', ['hB', 'p:B', 0]);
  files.set('papers/C.html', ['hC', 'p:C', 1]);
  files.set('days/2021-05-03.html', ['d1', 'd:2021-05-03', 0]);
  files.set('days/2021-04-05.html', ['d2', 'd:2021-04-05', 0]);
  return { may: manifestDay('2021-05-03', ['A', 'B']), april: manifestDay('2021-04-05', ['C']), files };
}

/** What each test's manifest carries besides its days and files. */
const BASE = { version: MANIFEST_VERSION, engine: 'e', marks: { digests: 1 } } as const;

/** The May and April days with `files` (mayAndApril's, and any added), written whole into a new folder. */
function writeMayAndApril(may: ManifestDay, april: ManifestDay, files: FileTable): Map<string, Buffer> {
  const folder = new Map<string, Buffer>();
  writeInto(
    folder,
    { ...BASE, days: [may, april], files },
    { A: '2021-05-03', B: '2021-05-03', C: '2021-04-05' },
  );
  return folder;
}

/** `folder` holds, slice for slice, what a whole write of `m` (its entries but the slices) gives. */
function assertWholeWrite(folder: Map<string, Buffer>, m: Manifest, latest: Record<string, string>): void {
  const whole = new Map<string, Buffer>();
  const files = new FileTable();
  for (const [path] of m.files.owners()) if (!path.startsWith(MANIFEST_DIR)) files.copy(m.files, path);
  writeInto(whole, { ...m, files }, latest);
  assert.deepEqual([...folder.keys()].sort(), [...whole.keys()].sort());
  for (const [path, data] of whole) assert.equal(folder.get(path)!.toString(), data.toString(), path);
}

test('the days read back are the days written: every field of every ranked paper, category lists shared', () => {
  const a = manifestDay('2021-06-09', ['2106.00001', '2106.00002', '2106.00003']);
  const b = { ...manifestDay('2021-06-10', ['2106.00004', '2106.00005']), authors: 'packed authors' };
  const papers = (d: ManifestDay) => d.digest.papers;
  papers(a)[1]!.paper = {
    ...papers(a)[1]!.paper,
    categories: ['hep-th', 'cs.LG'],
    primaryCategory: 'hep-th',
  };
  papers(a)[2]!.paper = { ...papers(a)[2]!.paper, categories: [], title: 'A "quoted" \\ title' };
  // A category with a space (none is, in arXiv) is kept as it was, not split.
  papers(b)[1]!.paper = { ...papers(b)[1]!.paper, categories: ['odd cat', 'cs.LG'] };
  papers(b)[0]!.score = 0.5;
  const files = new FileTable();
  files.set('days/2021-06-09.html', ['h1', 'd:2021-06-09', 0]);
  files.set('.hotpapers/search/2021-06-09.txt', ['fragment-hash', 'd:2021-06-09', 0]);
  const folder = new Map<string, Buffer>();
  writeInto(folder, { ...BASE, days: [b, a], files }, {});
  const back = readManifest((path) => folder.get(path));
  // Each day's head holds its search fragment's hash (b has no fragment).
  assert.deepEqual(back?.days.map(fields), [b, { ...a, fragment: 'fragment-hash' }]);
  // The first papers of both days are in cs.LG alone: one array serves both.
  assert.equal(papers(back!.days[0]!)[0]!.paper.categories, papers(back!.days[1]!)[0]!.paper.categories);
});

/** The manifest read back from `folder`, and every path it read, in order. */
function readRecorded(folder: Map<string, Buffer>): { read: string[]; manifest: Manifest | undefined } {
  const read: string[] = [];
  const manifest = readManifest((path) => {
    read.push(path);
    return folder.get(path);
  });
  return { read, manifest };
}

/** A day's fields as a plain object (a stored day's papers and author lines are its class's accessors). */
function fields(d: ManifestDay): ManifestDay {
  const { categories, observedAt, announcedAt, listed, postsFound, papers } = d.digest;
  const digest = {
    categories,
    observedAt,
    ...(announcedAt ? { announcedAt } : {}),
    listed,
    postsFound,
    papers,
  };
  const { day, categoriesKey, horizon, fingerprint, fragment, authors } = d;
  return {
    day,
    categoriesKey,
    horizon,
    fingerprint,
    digest,
    ...(authors === undefined ? {} : { authors }),
    ...(fragment === undefined ? {} : { fragment }),
  };
}

test("a day's head is one line, or a row when a field would break the line; both read back the same", () => {
  const plain = { ...manifestDay('2021-06-09', ['2106.00001']), horizon: '24h' };
  const odd = manifestDay('2021-06-10', ['2106.00002']);
  odd.digest = { ...odd.digest, categories: ['odd cat', 'cs.LG'], announcedAt: '2021-06-10T00:00:00Z' };
  const folder = new Map<string, Buffer>();
  writeInto(folder, { ...BASE, days: [odd, plain], files: new FileTable() }, {});
  const slice = JSON.parse(folder.get(`${MANIFEST_DIR}/days-2021-06.json`)!.toString()) as {
    days: unknown[];
  };
  assert.equal(typeof slice.days[1], 'string');
  assert.equal((slice.days[1] as string).split('\t').length, 10);
  assert.ok(Array.isArray(slice.days[0]), 'a category with a space: a row');
  const back = readManifest((path) => folder.get(path))!;
  assert.deepEqual(back.days.map(fields), [odd, plain]);
  // A line missing a field reads as a day, and fails (the build turns full) once its head is asked for.
  const cut = (slice.days[1] as string).split('\t').slice(0, 8).join('\t');
  folder.set(
    `${MANIFEST_DIR}/days-2021-06.json`,
    Buffer.from(JSON.stringify({ ...slice, days: [slice.days[0], cut] })),
  );
  const broken = readManifest((path) => folder.get(path))!;
  assert.equal(broken.days[1]!.fingerprint, plain.fingerprint);
  assert.throws(() => broken.days[1]!.digest, StaleGenerationError);
});

test('writing against the manifest read keeps unchanged slices and gives the bytes of a whole write', () => {
  const { may, april, files } = mayAndApril();
  const march = manifestDay('2021-03-01', ['D']);
  files.set('papers/D.html', ['hD', 'p:D', 0]);
  files.set('days/2021-03-01.html', ['d3', 'd:2021-03-01', 0]);
  files.set('page/1.html', ['i1', '', 0, 'key one']);
  files.set('page/70.html', ['i70', '', 0, 'key seventy']);
  files.set('old/1.html', ['o1', '', 0]);
  const latest1 = { A: '2021-05-03', B: '2021-05-03', C: '2021-04-05', D: '2021-03-01' };
  const folder = new Map<string, Buffer>();
  writeInto(folder, { ...BASE, days: [may, april, march], files }, latest1);
  const { read, manifest: prev } = readRecorded(folder);
  assert.ok(prev?.slices, 'read back, with where each entry came from');
  assert.deepEqual(
    read.filter((path) => path.includes('/ranked-')),
    [],
    "no day's ranked papers are read with the manifest",
  );

  // Next generation: a July day ranks A again (its page changes, its thumbnail does not), March
  // is gone with its files, page 70 changed, old/1.html is gone; April and page 1 are unchanged.
  const july = manifestDay('2021-07-01', ['A', 'E']);
  const next = new FileTable();
  for (const path of prev.files.paths())
    if (!path.startsWith(MANIFEST_DIR) && !/2021-03-01|papers\/D|old\//.test(path))
      next.copy(prev.files, path);
  next.set('papers/A.html', ['hA2', 'p:A', 0]);
  next.set('papers/E.html', ['hE', 'p:E', 0]);
  next.set('days/2021-07-01.html', ['d4', 'd:2021-07-01', 0]);
  next.set('page/70.html', ['i70b', '', 0, 'key seventy, again']);
  const keptDays = prev.days.filter((d) => d.day !== '2021-03-01');
  const latest2 = { ...latest1, A: '2021-07-01', E: '2021-07-01' };
  const days = [july, ...keptDays];
  const { put, kept } = writeInto(folder, { ...BASE, days, files: next }, latest2, prev);
  const rankedRead = read.filter((path) => path.includes('/ranked-'));

  // The same folder as a whole write of that generation gives, slice for slice.
  assertWholeWrite(folder, { ...BASE, days, files: next }, latest2);
  // A's thumbnail, unchanged, stays in the slice its name gives (not its paper's month's).
  assert.match(folder.get(thumbSlice('thumbs/A.webp'))!.toString(), /thumbs\/A\.webp/);
  assert.doesNotMatch(folder.get(`${MANIFEST_DIR}/days-2021-07.json`)!.toString(), /thumbs\/A\.webp/);
  // A's page stays in its own paper slice, rewritten with its new hash.
  assert.match(folder.get(`${MANIFEST_DIR}/papers-A.json`)!.toString(), /papers\/A\.html\\t0hA2\\tp:A/);
  assert.ok(put.includes(`${MANIFEST_DIR}/papers-A.json`));
  // April's and May's slices, May's day files, page 1's group, the thumbnail's slice and the
  // slices of B's and C's unchanged pages were kept unwritten; March's are gone.
  assert.deepEqual(kept.sort(), [
    `${MANIFEST_DIR}/dayfiles-2021-04.json`,
    `${MANIFEST_DIR}/dayfiles-2021-05.json`,
    `${MANIFEST_DIR}/days-2021-04.json`,
    `${MANIFEST_DIR}/days-2021-05.json`,
    `${MANIFEST_DIR}/files-page-0.json`,
    `${MANIFEST_DIR}/papers-B.json`,
    `${MANIFEST_DIR}/papers-C.json`,
    `${MANIFEST_DIR}/ranked-2021-04.json`,
    `${MANIFEST_DIR}/ranked-2021-05.json`,
    thumbSlice('thumbs/A.webp'),
  ]);
  // No day's ranked papers were read: April's and May's were kept, March's are gone.
  assert.deepEqual(rankedRead, []);
  assert.ok(!put.includes(`${MANIFEST_DIR}/days-2021-04.json`));
  assert.ok(!folder.has(`${MANIFEST_DIR}/days-2021-03.json`));
  assert.ok(!folder.has(`${MANIFEST_DIR}/dayfiles-2021-03.json`));
  assert.ok(!folder.has(`${MANIFEST_DIR}/papers-D.json`), 'the slice of a paper gone');
  assert.ok(!folder.has(`${MANIFEST_DIR}/files-old-0.json`), 'the slice of a file gone, left empty');
});

test('told which papers moved, the manifest looks only at the entries the build set, and gives the bytes of a whole write', () => {
  const { may, april, files } = mayAndApril();
  files.set('old/1.html', ['o1', '', 0]);
  const latest1 = { A: '2021-05-03', B: '2021-05-03', C: '2021-04-05' };
  const folder = new Map<string, Buffer>();
  writeInto(folder, { ...BASE, days: [may, april], files }, latest1);
  const prev = readManifest((path) => folder.get(path))!;

  // A July day ranks A again: the build renders A's page and thumbnail again (set, the
  // thumbnail with the same entry), copies every other entry, and old/1.html is gone.
  const july = manifestDay('2021-07-01', ['A']);
  const next = new FileTable();
  next.trackSets();
  for (const path of prev.files.paths())
    if (!path.startsWith(MANIFEST_DIR) && path !== 'old/1.html') next.copy(prev.files, path);
  assert.deepEqual(next.setPaths(), [], 'copies are not noted');
  next.set('papers/A.html', ['hA2', 'p:A', 0]);
  next.set('thumbs/A.webp', ['tA', 'p:A', 0]);
  next.set('days/2021-07-01.html', ['d3', 'd:2021-07-01', 0]);
  const latest2 = { ...latest1, A: '2021-07-01' };
  const days = [july, may, april];
  const absent = [...prev.files.paths()].filter((path) => !next.has(path));
  writeInto(folder, { ...BASE, days, files: next }, latest2, prev, { moved: (id) => id === 'A', absent });

  assertWholeWrite(folder, { ...BASE, days, files: next }, latest2);
  assert.match(folder.get(thumbSlice('thumbs/A.webp'))!.toString(), /thumbs\/A\.webp/);
  assert.ok(!folder.has(`${MANIFEST_DIR}/files-old-0.json`), 'the slice of the file gone, left empty');
});

test('a paper slice read is parsed when one of its pages is first asked for, and can be taken over whole, unparsed', () => {
  const { may, april, files } = mayAndApril();
  const folder = writeMayAndApril(may, april, files);
  const whole = readManifest((path) => folder.get(path))!;
  // C's slice (its page uses math) no longer parses: nothing below may parse it but where said.
  folder.set(`${MANIFEST_DIR}/papers-C.json`, Buffer.from('{"days":[],"files":["papers/C.html'));
  const prev = readManifest((path) => folder.get(path));
  assert.ok(prev, 'read without parsing the paper slices');
  assert.equal(prev.files.size, whole.files.size);
  assert.equal(prev.files.anyMath(), true, "C's math, from the head");
  assert.equal(prev.files.hash('papers/A.html'), 'hA');

  const next = new FileTable();
  next.set('papers/A.html', ['hA2', 'p:A', 0]);
  assert.equal(
    next.inherit(prev.files),
    5,
    "B's and C's slices, both months' day files and the thumbnail's, not A's (the table has an entry of it)",
  );
  assert.equal(next.size, 6);
  assert.equal(next.anyMath(), true);
  assert.deepEqual(next.get('papers/B.html'), ['hB', 'p:B', 0]);
  assert.deepEqual(next.get('papers/A.html'), ['hA2', 'p:A', 0]);
  assert.throws(() => next.has('papers/C.html'), StaleGenerationError);
  assert.throws(() => [...prev.files.paths()], StaleGenerationError);
});

test("a search segment's chunk slices are owned ones: read unparsed, taken over whole, parsed when one of their files is looked up", () => {
  const { may, april, files } = mayAndApril();
  // Segment S1's chunks in its own folder (two slices: b0…63 and b64…), and its summary beside
  // the others' (a shared folder: never an owned slice).
  for (let i = 0; i < 70; i++) files.set(`assets/search/S1/b${i}.js`, [`h${i}`, 's:S1', 0]);
  files.set('assets/search/S2/b0.js', ['s2', 's:S2', 0]);
  files.set('.hotpapers/search/S1.json', ['sum1', 's:S1', 0]);
  files.set('assets/search/meta.js', ['meta', '', 0]);
  const folder = writeMayAndApril(may, april, files);
  const head = readHead(folder.get(MANIFEST_PATH)!)!;
  assert.deepEqual(Object.fromEntries(head.owned), {
    [`${MANIFEST_DIR}/files-assets-search-S1-b0.json`]: [64, 's:S1', 'assets/search/S1/'],
    [`${MANIFEST_DIR}/files-assets-search-S1-b1.json`]: [6, 's:S1', 'assets/search/S1/'],
    [`${MANIFEST_DIR}/files-assets-search-S2-b0.json`]: [1, 's:S2', 'assets/search/S2/'],
  });
  // S1's first slice and S2's no longer parse: only a lookup of one of their files may read them.
  const cut = (name: string) =>
    folder.set(`${MANIFEST_DIR}/${name}`, Buffer.from('{"days":[],"files":["ass'));
  cut('files-assets-search-S1-b0.json');
  cut('files-assets-search-S2-b0.json');
  const prev = readManifest((path) => folder.get(path))!;
  assert.ok(prev, 'read without parsing the owned slices');
  assert.equal(prev.files.hash('.hotpapers/search/S1.json'), 'sum1');
  assert.equal(prev.files.hash('assets/search/meta.js'), 'meta');
  assert.equal(prev.files.hash('assets/search/S1/b65.js'), 'h65', 'its own slice parsed, not the other');

  // S1 kept whole: its slice not parsed is taken over (64 entries), the one parsed is named.
  const next = new FileTable();
  const taken = next.inheritOwned(prev.files, 's:S1');
  assert.equal(taken.count, 64);
  assert.deepEqual(
    taken.parsed.sort(),
    ['b64', 'b65', 'b66', 'b67', 'b68', 'b69'].map((b) => `assets/search/S1/${b}.js`),
  );
  assert.equal(next.size, 64);
  // S2 is rebuilt or gone: parsing what the next table did not take over reads its slice.
  assert.throws(() => prev.files.parseOwned(next), StaleGenerationError);
  // A lookup outside the owned folders reads no owned slice; one inside reads its own.
  assert.equal(next.has('assets/search/meta.js'), false);
  assert.throws(() => next.has('assets/search/S1/b3.js'), StaleGenerationError);
});

test('a slice of list pages is a group one: read unparsed, parsed when one of its pages is looked up, taken over whole only for exactly its paths', () => {
  const { may, april, files } = mayAndApril();
  // Index pages 1 and 2 (block 0), page 70 (block 1), an asset with math, and a rising page (an
  // owner: never a group).
  files.set('page/1.html', ['i1', '', 0, 'k1']);
  files.set('page/2.html', ['i2', '', 0, 'k2']);
  files.set('page/70.html', ['i70', '', 0, 'k70']);
  files.set('assets/katex.css', ['kx', '', 1]);
  files.set('top/rising.html', ['r', 'rising', 0]);
  const folder = writeMayAndApril(may, april, files);
  const head = readHead(folder.get(MANIFEST_PATH)!)!;
  const slice = (group: string) => `${MANIFEST_DIR}/files-${group}.json`;
  assert.deepEqual(Object.fromEntries(head.groups), {
    [slice('assets-')]: [1, 1, groupSignature(['assets/katex.css'])],
    [slice('page-0')]: [2, 0, groupSignature(['page/1.html', 'page/2.html']), 'page/1.html\tpage/2.html'],
    [slice('page-1')]: [1, 0, groupSignature(['page/70.html']), 'page/70.html\tpage/70.html'],
  });
  assert.ok(
    folder.has(slice('top-')) && !head.groups.has(slice('top-')),
    'the rising page is in a plain slice',
  );
  // Block 0 and the asset's slice no longer parse: only a lookup of one of their pages reads them.
  const cut = (name: string) => folder.set(name, Buffer.from('{"days":[],"files":["pa'));
  cut(slice('page-0'));
  cut(slice('assets-'));
  const { read, manifest } = readRecorded(folder);
  const prev = manifest!;
  assert.ok(prev, 'read without parsing the group slices');
  assert.deepEqual(
    read.filter((path) => head.groups.has(path)),
    [],
    'no group slice read with the manifest',
  );
  assert.equal(prev.files.size, files.size);
  assert.equal(prev.files.anyMath(), true, "the asset's math, from the head");
  assert.equal(prev.files.hash('top/rising.html'), 'r');
  assert.equal(prev.files.hash('page/70.html'), 'i70', 'its own slice parsed, not the others');
  assert.deepEqual(
    read.filter((path) => head.groups.has(path)),
    [slice('page-1')],
  );
  assert.equal(prev.files.unreadGroupOf('page/3.html'), slice('page-0'), 'named by the path alone');
  assert.equal(prev.files.unreadGroupOf('page/70.html'), undefined, 'parsed already');
  assert.equal(prev.files.unreadGroupOf('papers/A.html'), undefined);

  const next = new FileTable();
  // Other paths than its own, or one short: not taken; a parsed slice is never taken.
  assert.equal(next.takeGroup(prev.files, slice('page-0'), ['page/1.html']), undefined);
  assert.equal(next.takeGroup(prev.files, slice('page-0'), ['page/1.html', 'page/3.html']), undefined);
  assert.equal(next.takeGroup(prev.files, slice('page-1'), ['page/70.html']), undefined);
  // By its run: only its own ends and count.
  assert.equal(next.takeGroupRun(prev.files, slice('page-0'), 'page/1.html\tpage/3.html', 3), undefined);
  assert.equal(next.takeGroupRun(prev.files, slice('page-0'), 'page/1.html\tpage/2.html', 3), undefined);
  assert.equal(
    next.takeGroupRun(prev.files, slice('assets-'), 'assets/katex.css\tassets/katex.css', 1),
    undefined,
  );
  // Exactly its paths: taken over whole, unparsed, as if each entry were copied.
  assert.equal(next.takeGroup(prev.files, slice('page-0'), ['page/1.html', 'page/2.html']), 2);
  assert.equal(next.size, 2);
  assert.equal(
    next.takeGroupRun(prev.files, slice('page-0'), 'page/1.html\tpage/2.html', 2),
    undefined,
    'taken once',
  );
  // The paper and day-file slices are taken by inherit, the group ones never.
  const inherited = next.inherit(prev.files);
  assert.equal(next.size, 2 + inherited);
  assert.equal(next.has('assets/katex.css'), false);
  // What the next table did not take over is parsed; what it took, not (it does not parse).
  assert.throws(() => prev.files.parseGroups(), StaleGenerationError);
  assert.throws(() => next.has('page/2.html'), StaleGenerationError);
  const again = readManifest((path) => folder.get(path))!;
  const other = new FileTable();
  assert.equal(other.takeGroupRun(again.files, slice('page-0'), 'page/1.html\tpage/2.html', 2), 2);
  assert.equal(other.size, 2);
  folder.set(slice('assets-'), Buffer.from(JSON.stringify({ days: [], files: ['assets/katex.css\t1kx\t'] })));
  again.files.parseGroups(other);
  assert.equal(again.files.hash('assets/katex.css'), 'kx');
});

test("a group slice's paths make a run when one number runs through them, written one way, each once", () => {
  const run = (...paths: string[]) => groupRun(paths);
  // The ends by number, whatever the order the slice holds them in (sorted by text).
  assert.equal(
    run(
      'page/1.html',
      'page/10.html',
      'page/2.html',
      'page/3.html',
      'page/4.html',
      'page/5.html',
      'page/6.html',
      'page/7.html',
      'page/8.html',
      'page/9.html',
    ),
    'page/1.html\tpage/10.html',
  );
  assert.equal(run('page/70.html'), 'page/70.html\tpage/70.html');
  // A past year's months (padded, one width) and weeks.
  assert.equal(
    run('archive/2019-06.html', 'archive/2019-07.html', 'archive/2019-08.html'),
    'archive/2019-06.html\tarchive/2019-08.html',
  );
  assert.equal(
    run('top/week-2019-W09.html', 'top/week-2019-W10.html'),
    'top/week-2019-W09.html\ttop/week-2019-W10.html',
  );
  // Not a run: a gap, a number twice, two ways of writing, other text around it, no number.
  assert.equal(run('page/1.html', 'page/3.html'), undefined);
  assert.equal(run('page/1.html', 'page/01.html'), undefined);
  assert.equal(run('archive/2019-09.html', 'archive/2019-10.html', 'archive/2019-8.html'), undefined);
  assert.equal(run('top/week-9.html', 'top/week-010.html'), undefined);
  assert.equal(run('page/1.html', 'page/2.xml'), undefined);
  assert.equal(run('categories/cs.AI_p1.html', 'categories/cs.CV_p2.html'), undefined);
  assert.equal(run('assets/katex.css'), undefined);
  assert.equal(run(), undefined);
});

test("a day's page and search fragment are in its month's day-file slice, read when one of them is looked up", () => {
  // The slice follows from the path alone: the site's own paths for a day's files.
  assert.equal(dayFileSlice(paths.day('2021-05-03')), `${MANIFEST_DIR}/dayfiles-2021-05.json`);
  assert.equal(dayFileSlice(fragmentPath('2021-05-03')), `${MANIFEST_DIR}/dayfiles-2021-05.json`);
  for (const other of [
    'days/index.html',
    '.hotpapers/search/S1.json',
    'archive/2021-05.html',
    'thumbs/A.webp',
  ])
    assert.equal(dayFileSlice(other), undefined, other);
  assert.equal(thumbSlice('thumbs/3fa2b0c91d7e.webp'), `${MANIFEST_DIR}/thumbs-3f.json`);

  const { may, april, files } = mayAndApril();
  files.set(fragmentPath('2021-05-03'), ['f1', 'd:2021-05-03', 0]);
  const folder = writeMayAndApril(may, april, files);
  const head = readHead(folder.get(MANIFEST_PATH)!)!;
  assert.deepEqual(head.deferred.get(`${MANIFEST_DIR}/dayfiles-2021-05.json`), [2, 0]);
  // The thumbnail is in a deferred slice of its own, named from its path.
  assert.deepEqual(head.deferred.get(thumbSlice('thumbs/A.webp')), [1, 0]);
  assert.doesNotMatch(folder.get(`${MANIFEST_DIR}/days-2021-05.json`)!.toString(), /thumbs\/A\.webp/);
  assert.doesNotMatch(folder.get(`${MANIFEST_DIR}/days-2021-05.json`)!.toString(), /days\/2021-05-03/);
  // April's day files no longer parse: only a lookup of one of them may read them.
  folder.set(`${MANIFEST_DIR}/dayfiles-2021-04.json`, Buffer.from('{"days":[],"files":["da'));
  const prev = readManifest((path) => folder.get(path))!;
  assert.ok(prev, 'read without parsing the day-file slices');
  assert.equal(prev.days[0]!.fragment, 'f1', "the fragment's hash is in the day's head");
  assert.equal(prev.files.hash('days/2021-05-03.html'), 'd1');
  assert.equal(prev.files.hash('thumbs/A.webp'), 'tA');
  // A new day's table takes April's over unparsed; May's, parsed, is not taken (it is copied).
  const next = new FileTable();
  next.set('days/2021-07-01.html', ['d3', 'd:2021-07-01', 0]);
  assert.equal(
    next.inherit(prev.files),
    4,
    "A's, B's and C's paper slices and April's day files (the thumbnail's slice was parsed by the lookup)",
  );
  assert.throws(() => next.has('days/2021-04-05.html'), StaleGenerationError);
  assert.throws(() => prev.files.hash(fragmentPath('2021-04-05')), StaleGenerationError);
});

/** March's two days, April's two (the first with a search fragment) and May's one, their files, an empty folder. */
function threeMonths() {
  const files = new FileTable();
  files.set(fragmentPath('2021-04-06'), ['frag-a', 'd:2021-04-06', 0]);
  return {
    march: [manifestDay('2021-03-02', ['M1']), manifestDay('2021-03-01', ['M2'])],
    april: [manifestDay('2021-04-06', ['A1']), manifestDay('2021-04-05', ['A2'])],
    may: [manifestDay('2021-05-03', ['Y1'])],
    files,
    folder: new Map<string, Buffer>(),
  };
}

test("a month whose store rows have its head's signature is made from them: its days slice is read only when a day of it is looked at closely", () => {
  const { march, april, may, files, folder } = threeMonths();
  writeInto(folder, { ...BASE, days: [...may, ...april, ...march], files }, {});
  const head = readHead(folder.get(MANIFEST_PATH)!)!;
  assert.deepEqual(head.months.get(`${MANIFEST_DIR}/days-2021-04.json`), [
    2,
    monthSignature(april),
    0,
    '2021-04',
    '',
    april.map((d) => `${d.day.slice(7)}=${stampsOf(d.fingerprint).whole}`).join(' '),
  ]);

  const { read, manifest } = readRecorded(folder);
  const prev = manifest!;
  assert.deepEqual(
    read.filter((path) => path.includes('/days-')),
    [],
    'no days slice is read with the head',
  );
  // The store's rows: March and April as written, May's day rewritten since (another fingerprint).
  const refs = [
    { day: '2021-05-03', fingerprint: 'f-2021-05-03, again' },
    ...april.map((d) => ({ day: d.day, fingerprint: d.fingerprint })),
    ...march.map((d) => ({ day: d.day, fingerprint: d.fingerprint })),
  ];
  const days = prev.daysFor!(refs);
  assert.deepEqual(
    days.map((d) => [d.day, d.fingerprint]),
    [...may, ...april, ...march].map((d) => [d.day, d.fingerprint]),
    "the previous generation's days, with their own fingerprints",
  );
  assert.equal(prev.days, days, 'the list daysFor made');
  assert.deepEqual(
    read.filter((path) => path.includes('/days-')),
    [`${MANIFEST_DIR}/days-2021-05.json`],
    "only May's, whose rows differ",
  );
  // A closer look at an April day reads April's slice, once, for both its days.
  assert.equal(days[1]!.fragment, 'frag-a');
  assert.equal(days[2]!.categoriesKey, 'cs.LG');
  assert.deepEqual(fields(days[2]!), fields(april[1]!));
  assert.deepEqual(
    read.filter((path) => path.includes('/days-2021-04')),
    [`${MANIFEST_DIR}/days-2021-04.json`],
  );
  assert.ok(!read.includes(`${MANIFEST_DIR}/days-2021-03.json`), "March's is still unread");

  // A slice that does not hold the days its signature says makes the build a full one.
  folder.set(`${MANIFEST_DIR}/days-2021-03.json`, folder.get(`${MANIFEST_DIR}/days-2021-04.json`)!);
  const again = readManifest((path) => folder.get(path))!;
  const list = again.daysFor!(refs);
  assert.throws(() => list[3]!.horizon, StaleGenerationError);
  // With no rows at hand, `days` reads every slice (and finds March's wrong at once).
  assert.throws(() => readManifest((path) => folder.get(path))!.days, StaleGenerationError);
});

test('a month older than every month whose store token changed is made from the head alone: neither its rows nor its slice are read until a day of it is looked at closely', () => {
  const { march, april, may, files, folder } = threeMonths();
  const tokens = new Map([
    ['2021-03', 't-march'],
    ['2021-04', 't-april'],
    ['2021-05', 't-may'],
  ]);
  writeInto(folder, { ...BASE, days: [...may, ...april, ...march], files, tokens }, {});
  const { read, manifest } = readRecorded(folder);
  const prev = manifest!;
  assert.deepEqual(prev.tokens, tokens, 'the tokens the head keeps, by month');
  // The store's rows from May on (May's token changed): April and March come from the head.
  const refs = [{ day: '2021-05-03', fingerprint: 'f-2021-05-03, again' }];
  const days = prev.daysFor!(refs, '2021-05');
  assert.deepEqual(
    days.map((d) => d.day),
    [...may, ...april, ...march].map((d) => d.day),
  );
  assert.deepEqual(
    read.filter((path) => path.includes('/days-')),
    [`${MANIFEST_DIR}/days-2021-05.json`],
    "only May's, whose rows differ",
  );
  // What a list page keys a day by comes from the head: no slice is read for it.
  for (const [i, d] of [...april, ...march].entries())
    assert.deepEqual(days[i + 1]!.stamps, stampsOf(d.fingerprint));
  assert.equal(read.filter((path) => path.includes('/days-2021-0')).length, 1);
  // A day's fingerprint is what reads its month's slice, once, for both its days.
  assert.equal(days[2]!.fingerprint, april[1]!.fingerprint);
  assert.equal(days[1]!.fingerprint, april[0]!.fingerprint);
  assert.equal(days[1]!.fragment, 'frag-a');
  assert.deepEqual(fields(days[2]!), fields(april[1]!));
  assert.deepEqual(
    read.filter((path) => path.includes('/days-2021-04')),
    [`${MANIFEST_DIR}/days-2021-04.json`],
  );
  assert.ok(!read.includes(`${MANIFEST_DIR}/days-2021-03.json`), "March's is still unread");

  // The next generation, March's token renewed (its rows read again and found the same): its
  // slice is kept unread, and its head line takes the new token.
  const next = new FileTable();
  for (const path of prev.files.paths()) if (!path.startsWith(MANIFEST_DIR)) next.copy(prev.files, path);
  const newer = new Map([...tokens, ['2021-03', 't-march-2']]);
  const { kept } = writeInto(folder, { ...BASE, days, files: next, tokens: newer }, {}, prev);
  assert.ok(kept.includes(`${MANIFEST_DIR}/days-2021-03.json`), "March's slice kept");
  assert.ok(!read.includes(`${MANIFEST_DIR}/days-2021-03.json`), 'and not read');
  assert.deepEqual(readManifest((path) => folder.get(path))!.tokens, newer);

  // A slice that holds other days than its head says (here April's days in March's place)
  // makes the build a full one when a day of it is read.
  folder.set(`${MANIFEST_DIR}/days-2021-03.json`, folder.get(`${MANIFEST_DIR}/days-2021-04.json`)!);
  const again = readManifest((path) => folder.get(path))!.daysFor!(refs, '2021-05');
  assert.throws(() => again[3]!.fingerprint, StaleGenerationError);
  // So does one with the head's days but not the signature it keeps (another fingerprint).
  const changed = march.map((d, i) => (i === 0 ? { ...d, fingerprint: 'other' } : d));
  const folder3 = new Map<string, Buffer>();
  writeInto(folder3, { ...BASE, days: [...may, ...april, ...changed], files, tokens }, {});
  folder.set(`${MANIFEST_DIR}/days-2021-03.json`, folder3.get(`${MANIFEST_DIR}/days-2021-03.json`)!);
  const third = readManifest((path) => folder.get(path))!.daysFor!(refs, '2021-05');
  assert.throws(() => third[3]!.fingerprint, StaleGenerationError);

  // A day some of whose papers were revised keeps its row's stamp and each paper's count.
  const revised = [{ ...manifestDay('2021-07-02', ['R1']), fingerprint: 'f-2021-07-02|r3#R1 R2 R1' }];
  const folder5 = new Map<string, Buffer>();
  writeInto(folder5, { ...BASE, days: [...revised, ...may], files: new FileTable(), tokens }, {});
  const fifth = readManifest((path) => folder5.get(path))!.daysFor!([], '~');
  assert.deepEqual(fifth[0]!.stamps, stampsOf(revised[0]!.fingerprint));
  assert.deepEqual(
    [...fifth[0]!.stamps!.revisions],
    [
      ['R1', 2],
      ['R2', 1],
    ],
  );
  assert.notEqual(fifth[0]!.stamps!.row, fifth[0]!.stamps!.whole);

  // A head line without its month (a day not of the plain form) leaves the manifest no tokens.
  const odd = [manifestDay('2021-06-0 1', ['O1'])];
  const folder4 = new Map<string, Buffer>();
  writeInto(folder4, { ...BASE, days: [...odd, ...may], files: new FileTable(), tokens }, {});
  assert.equal(readManifest((path) => folder4.get(path))!.tokens, undefined);
});

test("a head written with slices kept takes their lines as it read them (a kept month's with its new token), and is the head the same generation written whole has", () => {
  const { march, april, may } = threeMonths();
  const files = new FileTable();
  files.set(fragmentPath('2021-04-06'), ['frag-a', 'd:2021-04-06', 0]);
  files.set('days/2021-03-01.html', ['d1', 'd:2021-03-01', 0]);
  files.set('papers/2103.00001.html', ['p1', 'p:2103.00001', 1]);
  files.set('papers/2104.00002.html', ['p2', 'p:2104.00002', 0]);
  files.set('page/1.html', ['i1', '', 0, 'k1']);
  files.set('page/2.html', ['i2', '', 0, 'k2']);
  files.set('archive/2021-03.html', ['a3', '', 1, 'k3']);
  files.set('assets/search/s1/c0.js', ['c0', 's:s1', 0]);
  files.set('assets/search/s1/c1.js', ['c1', 's:s1', 0]);
  const tokens = new Map([
    ['2021-03', 't-march'],
    ['2021-04', 't-april'],
    ['2021-05', 't-may'],
  ]);
  const history = [...may, ...april, ...march];
  const folder = new Map<string, Buffer>();
  writeInto(folder, { ...BASE, days: history, files, tokens }, {});
  const lists = JSON.parse(folder.get(MANIFEST_PATH)!.toString()) as Record<string, string[]>;
  for (const list of ['files', 'deferred', 'owned', 'groups', 'months'])
    assert.ok(lists[list]!.length > 0, `the head has ${list} lines to keep`);

  /** The next generation, `days` newest first with `added` files, written with the previous one read from `folder`, and whole into a new folder. */
  const both = (
    days: (prev: Manifest) => ManifestDay[],
    whole: ManifestDay[],
    added: Array<[string, FileEntry]>,
    now: Map<string, string>,
  ) => {
    const prev = readManifest((path) => folder.get(path))!;
    const next = new FileTable();
    for (const path of prev.files.paths()) if (!path.startsWith(MANIFEST_DIR)) next.copy(prev.files, path);
    const fresh = new FileTable();
    for (const path of next.paths()) fresh.copy(next, path);
    for (const [path, entry] of added) {
      next.set(path, entry);
      fresh.set(path, entry);
    }
    const alone = new Map<string, Buffer>();
    writeInto(alone, { ...BASE, days: whole, files: fresh, tokens: now }, {});
    const { put, kept } = writeInto(
      folder,
      { ...BASE, days: days(prev), files: next, tokens: now },
      {},
      prev,
    );
    assert.equal(folder.get(MANIFEST_PATH)!.toString(), alone.get(MANIFEST_PATH)!.toString());
    return { put, kept };
  };
  const refs = (list: ManifestDay[]) => list.map((d) => ({ day: d.day, fingerprint: d.fingerprint }));

  // Nothing changed but March's token (its rows written again, the same): every slice kept, and
  // March's head line takes the new token.
  const renewed = new Map([...tokens, ['2021-03', 't-march-2']]);
  const first = both((prev) => prev.daysFor!(refs(history)), history, [], renewed);
  assert.deepEqual(first.put, []);
  assert.ok(first.kept.includes(`${MANIFEST_DIR}/days-2021-03.json`));
  const head = readHead(folder.get(MANIFEST_PATH)!)!;
  assert.equal(head.months.get(`${MANIFEST_DIR}/days-2021-03.json`)![4], 't-march-2');

  // A new day in a new month: its slices written, the others' lines kept.
  const june = manifestDay('2021-06-01', ['2106.00003']);
  const grown = [june, ...history];
  const withJune = new Map([...renewed, ['2021-06', 't-june']]);
  const second = both(
    (prev) => [june, ...prev.daysFor!(refs(history), '2021-06')],
    grown,
    [
      ['days/2021-06-01.html', ['d6', 'd:2021-06-01', 0]],
      ['papers/2106.00003.html', ['p3', 'p:2106.00003', 0]],
      ['page/3.html', ['i3', '', 0, 'k4']],
    ],
    withJune,
  );
  assert.ok(second.put.includes(`${MANIFEST_DIR}/days-2021-06.json`));
  assert.ok(second.kept.includes(`${MANIFEST_DIR}/days-2021-04.json`));
});
