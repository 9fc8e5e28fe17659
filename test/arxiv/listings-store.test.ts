import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Listing } from '../../src/arxiv/listing.js';
import { openStore } from '../../src/store/db.js';
import { categoriesKey, loadListing, saveListing } from '../../src/store/listings.js';
import type { Paper } from '../../src/types.js';

function paper(id: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    version: 1,
    title: `Title ${id}`,
    abstract: `Abstract ${id}`,
    authors: ['A. Author', 'B. Author'],
    categories: ['cs.LG', 'stat.ML'],
    primaryCategory: 'cs.LG',
    announceType: 'new',
    method: 'api',
    ...extra,
  };
}

const LISTING: Listing = {
  day: '2021-06-09',
  categories: ['cs', 'stat.ML'],
  method: 'api',
  papers: [
    paper('2106.04001', {
      published: '2021-06-07T19:00:00Z',
      updated: '2021-06-07T19:00:00Z',
      pdfUrl: 'https://arxiv.org/pdf/2106.04001v1',
      comment: '9 pages',
    }),
    paper('2106.04006', {
      announceType: 'cross',
      primaryCategory: 'quant-ph',
      categories: ['quant-ph', 'cs.IT'],
      doi: '10.1/x',
      journalRef: 'PRL 1',
    }),
    paper('hep-th/9901001', {
      categories: ['hep-th', 'cs.LG'],
      primaryCategory: 'hep-th',
      announceType: 'cross',
    }),
  ],
  notes: [],
};

/** Save `papers` as one day's listing and check each reads back deep-equal. */
function assertRoundTrip(db: ReturnType<typeof openStore>, papers: Paper[]): void {
  saveListing(
    db,
    { day: '2021-06-09', categories: ['cs'], method: 'api', papers, notes: [] },
    '2021-06-09T01:00:00Z',
  );
  const back = loadListing(db, '2021-06-09', ['cs'])!.papers;
  for (const p of papers)
    assert.deepStrictEqual(
      back.find((b) => b.id === p.id),
      p,
      p.id,
    );
}

const count = (db: ReturnType<typeof openStore>, table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

test('categoriesKey - trimmed, de-duplicated, in the order given', () => {
  assert.equal(categoriesKey(['cs', 'stat.ML']), 'cs,stat.ML');
  assert.equal(categoriesKey([' stat.ML', 'cs ', 'cs', '']), 'stat.ML,cs');
});

test('saveListing / loadListing - round trip, idempotent', () => {
  const db = openStore(':memory:');
  assert.equal(loadListing(db, '2021-06-09', ['cs', 'stat.ML']), undefined);
  saveListing(db, LISTING, '2021-06-10T18:00:00.000Z');
  saveListing(db, LISTING, '2021-06-10T18:00:00.000Z');
  assert.equal(count(db, 'papers'), 3);
  assert.equal(count(db, 'listings'), 3);
  assert.equal(count(db, 'listing_days'), 1);
  const loaded = loadListing(db, '2021-06-09', ['cs', 'stat.ML'])!;
  assert.equal(loaded.method, 'api');
  assert.deepEqual(loaded.categories, ['cs', 'stat.ML']);
  // New before cross, then by id.
  assert.deepEqual(loaded.papers, [LISTING.papers[0], LISTING.papers[1], LISTING.papers[2]]);
  assert.deepEqual(loaded.notes, ['from the store (fetched 2021-06-10T18:00:00.000Z by api)']);
  // Another category set is another listing.
  assert.equal(loadListing(db, '2021-06-09', ['cs']), undefined);
  db.close();
});

test('saveListing - a re-fetch replaces the day rows; papers keep the highest version and known fields', () => {
  const db = openStore(':memory:');
  saveListing(db, LISTING, '2021-06-10T18:00:00.000Z');
  // The feed lists v2 of the first paper (no submission time) and drops the old-style one.
  const refetched: Listing = {
    ...LISTING,
    method: 'rss',
    papers: [
      paper('2106.04001', {
        version: 2,
        title: 'Title v2',
        method: 'rss',
        pdfUrl: 'https://arxiv.org/pdf/2106.04001v2',
      }),
      LISTING.papers[1]!,
    ],
  };
  saveListing(db, refetched, '2021-06-11T18:00:00.000Z');
  const loaded = loadListing(db, '2021-06-09', ['cs', 'stat.ML'])!;
  assert.deepEqual(
    loaded.papers.map((p) => p.id),
    ['2106.04001', '2106.04006'],
  );
  const first = loaded.papers[0]!;
  assert.equal(first.version, 2);
  assert.equal(first.title, 'Title v2');
  assert.equal(first.published, '2021-06-07T19:00:00Z', 'kept from the API copy');
  assert.equal(first.comment, '9 pages');
  assert.equal(first.method, 'rss');
  // An older version later does not overwrite the newer metadata.
  saveListing(db, { ...LISTING, day: '2021-06-10' }, '2021-06-12T00:00:00.000Z');
  const again = loadListing(db, '2021-06-09', ['cs', 'stat.ML'])!;
  assert.equal(again.papers[0]!.title, 'Title v2');
  assert.equal(again.papers[0]!.pdfUrl, 'https://arxiv.org/pdf/2106.04001v2');
  assert.equal(count(db, 'listing_days'), 2);
  db.close();
});

test('saveListing - all or nothing', () => {
  const db = openStore(':memory:');
  const broken = {
    ...LISTING,
    papers: [LISTING.papers[0]!, { ...LISTING.papers[1]!, title: null as unknown as string }],
  };
  assert.throws(() => saveListing(db, broken, '2021-06-10T18:00:00.000Z'));
  assert.equal(count(db, 'papers'), 0);
  assert.equal(count(db, 'listing_days'), 0);
  db.close();
});

test('saveListing / loadListing - every address, instant and list reads back as given, packed or not', () => {
  const db = openStore(':memory:');
  const odd: Array<Partial<Paper>> = [
    {
      pdfUrl: 'https://arxiv.org/pdf/2106.05001v3',
      published: '2021-06-07T19:00:00Z',
      updated: '2021-06-08T01:02:03.456Z',
    },
    {
      pdfUrl: 'https://arxiv.org/pdf/2106.05002',
      published: '1970-01-01T00:00:00Z',
      updated: '1971-05-01T00:00:00.250Z',
    },
    {
      pdfUrl: 'http://arxiv.org/pdf/2106.05003v1',
      published: '2021-06-07T19:00:00+00:00',
      updated: '2021-06-07T19:00:00.000Z',
    },
    {
      pdfUrl: 'https://arxiv.org/pdf/2106.05004v1x',
      published: 'June 7',
      authors: [],
      categories: ['cs.LG'],
    },
    { pdfUrl: 'https://export.arxiv.org/pdf/2106.05005v2', authors: ['[Bracketed] Name', 'B'] },
    { pdfUrl: 'v2', authors: ['Line\nbreak', 'C'], categories: ['cs.LG', ''] },
    { authors: [''], published: '9999-12-31T23:59:59Z' },
  ];
  const papers = odd.map((extra, i) => paper(`2106.0500${i + 1}`, extra));
  assertRoundTrip(db, papers);
  // The usual forms are the ones stored shorter.
  const rows = db
    .prepare('SELECT id, pdf_url, typeof(published), authors FROM papers ORDER BY id')
    .raw()
    .all() as unknown[][];
  assert.deepEqual(rows[0], ['2106.05001', 'v3', 'blob', 'A. Author\nB. Author']);
  assert.deepEqual(rows[1]!.slice(1, 3), ['https://arxiv.org/pdf/2106.05002', 'blob']);
  assert.deepEqual(rows[2]!.slice(1, 3), ['http://arxiv.org/pdf/2106.05003v1', 'text']);
});

test('saveListing / loadListing - a long abstract is packed with its title and authors, and reads back', () => {
  const db = openStore(':memory:');
  const abstract = `We study the packing of abstracts. ${'A sentence of an abstract, long enough to pack. '.repeat(8)}`;
  const papers = [
    paper('2106.06001', {
      abstract,
      title: 'Packing $x^2$ titles',
      authors: ['Ada Lovelace', 'Alan Turing'],
    }),
    paper('2106.06002', { abstract: `${abstract}\u0000with a NUL`, title: 'T', authors: [] }),
    paper('2106.06003', { abstract, title: 'A title with a \u0000 in it', authors: ['[x]'] }),
  ];
  assertRoundTrip(db, papers);
  const rows = db.prepare('SELECT id, title, authors, typeof(abstract) FROM papers ORDER BY id').raw().all();
  assert.deepEqual(rows, [
    ['2106.06001', '', '', 'blob'],
    ['2106.06002', '', '', 'blob'],
    ['2106.06003', 'A title with a \u0000 in it', '["[x]"]', 'blob'],
  ]);
});
