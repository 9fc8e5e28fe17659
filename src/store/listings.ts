/**
 * The store's side of a day's listing: papers (one row per un-versioned id, highest version
 * kept), the listing rows of (day, categories) and the listing_days marker saying the listing
 * is complete. Writes happen in one transaction, so a killed run leaves all or nothing.
 */

import type { Listing } from '../arxiv/listing.js';
import { sortListing } from '../arxiv/merge.js';
import type { AnnounceType, ListingMethod, Paper } from '../types.js';
import { type Db, inTransaction, placeholderRows, statementsBySize } from './db.js';
import { MAX_ISO_MS, packedAs, packText, unpackText, unpackTextParts } from './packed.js';

/** A `papers` row joined with its `listings` row. */
export interface PaperRow {
  id: string;
  version: number;
  title: string;
  /** TEXT, or a packed BLOB (see packed.ts); with the title and authors (see packPaperTexts). */
  abstract: string | Buffer;
  /** See packList. */
  authors: string;
  categories: string;
  primary_category: string;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  /** See packPaperTime. */
  published: string | Buffer | null;
  updated: string | Buffer | null;
  /** See packPdfUrl. */
  pdf_url: string | Buffer | null;
  announce_type?: string;
  method?: string;
}

/** The store key of a category set: trimmed, de-duplicated, in the order given (`cs,stat.ML`). */
export function categoriesKey(categories: readonly string[]): string {
  const out: string[] = [];
  for (const raw of categories) {
    const c = raw.trim();
    if (c && !out.includes(c)) out.push(c);
  }
  return out.join(',');
}

// How a paper's row leaves out what it can say shorter; rowToPaper reads both forms back (rows
// written before hold the plain ones).
const PDF_VERSION = /^v\d+$/;
const pdfPrefix = (id: string) => `https://arxiv.org/pdf/${id}`;

/**
 * A PDF address as stored: `vN` when it is the id's usual arXiv address of version N; an address
 * that is itself of the form `vN` as a BLOB of its text, so it is not read as the short form.
 */
function packPdfUrl(id: string, url: string): string | Buffer {
  if (PDF_VERSION.test(url)) return Buffer.from(url, 'utf8');
  const prefix = pdfPrefix(id);
  return url.startsWith(prefix) && PDF_VERSION.test(url.slice(prefix.length))
    ? url.slice(prefix.length)
    : url;
}

function unpackPdfUrl(id: string, stored: string | Buffer): string {
  if (typeof stored !== 'string') return stored.toString('utf8');
  return PDF_VERSION.test(stored) ? pdfPrefix(id) + stored : stored;
}

/** A list of names or categories as stored: one per line, or JSON (older rows, and lists a line could not hold). */
function packList(items: readonly string[]): string {
  const plain = items.length > 0 && !items[0]!.startsWith('[') && items.every((s) => !s.includes('\n'));
  return plain ? items.join('\n') : JSON.stringify(items);
}

function unpackList(stored: string): string[] {
  return stored.startsWith('[') ? (JSON.parse(stored) as string[]) : stored.split('\n');
}

/**
 * An instant as stored: a BLOB when it reads back as the same text — 6 bytes of milliseconds
 * for toISOString's form, 5 bytes of seconds for arXiv's form without them
 * (`2024-05-01T17:59:59Z`) — else the text. (A BLOB, because the TEXT column would turn a
 * number into its digits.)
 */
function packPaperTime(iso: string): string | Buffer {
  const ms = Date.parse(iso);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_ISO_MS) return iso;
  const canonical = new Date(ms).toISOString();
  const out = Buffer.alloc(canonical === iso ? 6 : 5);
  if (canonical === iso) out.writeUIntBE(ms, 0, 6);
  else if (ms % 1000 === 0 && canonical.replace('.000Z', 'Z') === iso) out.writeUIntBE(ms / 1000, 0, 5);
  else return iso;
  return out;
}

function unpackPaperTime(stored: string | Buffer): string {
  if (typeof stored === 'string') return stored;
  return stored.length === 6
    ? new Date(stored.readUIntBE(0, 6)).toISOString()
    : new Date(stored.readUIntBE(0, 5) * 1000).toISOString().replace('.000Z', 'Z');
}

const SEP = '\u0000';

/**
 * A paper's title, authors and abstract as stored: packed together in `abstract` (title and
 * authors left empty) when they pack, which the title and names gain from (the packing finds
 * their words in the abstract and the dictionary); else each in its column, the abstract packed alone.
 */
export function packPaperTexts(paper: Pick<Paper, 'title' | 'authors' | 'abstract'>): {
  title: string;
  authors: string;
  abstract: string | Buffer;
} {
  const authors = packList(paper.authors);
  if (!paper.title.includes(SEP) && !authors.includes(SEP)) {
    const whole = packText(`${paper.title}${SEP}${authors}${SEP}${paper.abstract}`, 'paper');
    if (typeof whole !== 'string') return { title: '', authors: '', abstract: whole };
  }
  return { title: paper.title, authors, abstract: packText(paper.abstract) };
}

function unpackPaperTexts(row: PaperRow): Pick<Paper, 'title' | 'authors' | 'abstract'> {
  if (!packedAs(row.abstract, 'paper'))
    return { title: row.title, authors: unpackList(row.authors), abstract: unpackText(row.abstract) };
  // Each text decoded on its own (see unpackTextParts): a title kept by a site build does not
  // keep its abstract alive.
  const [title, authors, abstract] = unpackTextParts(row.abstract as Buffer, 3);
  return { title: title!, authors: unpackList(authors!), abstract: abstract ?? '' };
}

/**
 * A stored row back to a Paper (announce type and method default to new / api when absent);
 * `texts`, when the caller knows them (textsPackedFrom), spare unpacking the row's.
 */
export function rowToPaper(
  row: PaperRow,
  texts: Pick<Paper, 'title' | 'authors' | 'abstract'> = unpackPaperTexts(row),
): Paper {
  const paper: Paper = {
    id: row.id,
    version: row.version,
    ...texts,
    categories: unpackList(row.categories),
    primaryCategory: row.primary_category,
    announceType: (row.announce_type ?? 'new') as AnnounceType,
    method: (row.method ?? 'api') as ListingMethod,
  };
  if (row.comment !== null) paper.comment = row.comment;
  if (row.journal_ref !== null) paper.journalRef = row.journal_ref;
  if (row.doi !== null) paper.doi = row.doi;
  if (row.published !== null) paper.published = unpackPaperTime(row.published);
  if (row.updated !== null) paper.updated = unpackPaperTime(row.updated);
  if (row.pdf_url !== null) paper.pdfUrl = unpackPdfUrl(row.id, row.pdf_url);
  return paper;
}

const REQUIRED = ['title', 'abstract', 'authors', 'categories', 'primary_category'] as const;
const OPTIONAL = ['comment', 'journal_ref', 'doi', 'published', 'updated', 'pdf_url'] as const;
const NEWER = 'excluded.version >= papers.version';

// A newer (or equal) version replaces the metadata; optional fields a source lacks (the feed
// has no submission time) keep what another source stored. Positional parameters, in
// paperParams' order; one paper a statement (a statement writing several rows of papers, a
// parent table, would plan a scan of listings for its foreign key).
const PAPER_COLUMNS = ['id', 'version', ...REQUIRED, ...OPTIONAL] as const;
const UPSERT_PAPER = `
  INSERT INTO papers (${PAPER_COLUMNS.join(', ')})
  VALUES (${PAPER_COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT(id) DO UPDATE SET
    version = MAX(excluded.version, papers.version),
    ${REQUIRED.map((c) => `${c} = CASE WHEN ${NEWER} THEN excluded.${c} ELSE papers.${c} END`).join(',\n    ')},
    ${OPTIONAL.map((c) => `${c} = CASE WHEN ${NEWER} THEN COALESCE(excluded.${c}, papers.${c}) ELSE COALESCE(papers.${c}, excluded.${c}) END`).join(',\n    ')}
`;
// The listing's rows, up to ROWS a statement (one call into SQLite per ROWS rows).
const ROWS = 64;
// fetched_at is the day's (listing_days), not repeated per row.
const insertListings = (n: number) => `
  INSERT OR REPLACE INTO listings (day, categories, paper_id, announce_type, method)
  SELECT ?, ?, column1, column2, column3 FROM (VALUES ${placeholderRows(n, 3)})`;

/** What packPaperTexts made of a paper's texts: the texts given and the columns stored. */
interface PackedTexts {
  from: Pick<Paper, 'title' | 'authors' | 'abstract'>;
  stored: ReturnType<typeof packPaperTexts>;
}

/**
 * The papers the latest saveListing of this process packed, by id: packing is a zstd
 * frame per paper, and a reader holding the same texts (the day's digest) can then tell a stored
 * row holds them by comparing bytes instead of unpacking it.
 */
let lastPacked = new Map<string, PackedTexts>();

/**
 * The paper's title, authors and abstract when `row` stores exactly what the latest saveListing
 * packed from those very texts (packing is lossless: those bytes unpack to them); else undefined.
 */
export function textsPackedFrom(
  row: PaperRow,
  paper: Pick<Paper, 'id' | 'title' | 'authors' | 'abstract'>,
): Pick<Paper, 'title' | 'authors' | 'abstract'> | undefined {
  const known = lastPacked.get(paper.id);
  if (!known) return undefined;
  const { from, stored } = known;
  const same =
    sameTexts(from, paper) &&
    row.title === stored.title &&
    row.authors === stored.authors &&
    (typeof stored.abstract === 'string'
      ? row.abstract === stored.abstract
      : Buffer.isBuffer(row.abstract) && stored.abstract.equals(row.abstract));
  return same ? { title: paper.title, authors: [...paper.authors], abstract: paper.abstract } : undefined;
}

/** Whether two papers' title, authors and abstract are the same texts. */
function sameTexts(
  a: Pick<Paper, 'title' | 'authors' | 'abstract'>,
  b: Pick<Paper, 'title' | 'authors' | 'abstract'>,
): boolean {
  return (
    a.abstract === b.abstract &&
    a.title === b.title &&
    a.authors.length === b.authors.length &&
    a.authors.every((x, i) => x === b.authors[i])
  );
}

/**
 * Append a paper's values in PAPER_COLUMNS' order to `out`. Its texts are packed (packed.ts), or
 * taken from the previous saveListing of this process when it packed the very same texts.
 */
function paperParams(
  paper: Paper,
  previous: ReadonlyMap<string, PackedTexts>,
  packed: Map<string, PackedTexts>,
  out: unknown[],
): void {
  const known = previous.get(paper.id);
  const texts = known && sameTexts(known.from, paper) ? known.stored : packPaperTexts(paper);
  packed.set(paper.id, {
    from: { title: paper.title, authors: [...paper.authors], abstract: paper.abstract },
    stored: texts,
  });
  out.push(
    paper.id,
    paper.version,
    texts.title,
    texts.abstract,
    texts.authors,
    packList(paper.categories),
    paper.primaryCategory,
    paper.comment ?? null,
    paper.journalRef ?? null,
    paper.doi ?? null,
    paper.published === undefined ? null : packPaperTime(paper.published),
    paper.updated === undefined ? null : packPaperTime(paper.updated),
    paper.pdfUrl === undefined ? null : packPdfUrl(paper.id, paper.pdfUrl),
  );
}

/** Store a complete listing (papers upserted, the day's rows replaced); idempotent. */
export function saveListing(db: Db, listing: Listing, fetchedAt: string): void {
  const key = categoriesKey(listing.categories);
  const upsert = db.prepare(UPSERT_PAPER);
  const insert = statementsBySize(db, insertListings);
  const clear = db.prepare('DELETE FROM listings WHERE day = ? AND categories = ?');
  const mark = db.prepare(
    'INSERT OR REPLACE INTO listing_days (day, categories, method, fetched_at, paper_count) VALUES (?, ?, ?, ?, ?)',
  );
  const previous = lastPacked;
  const packed = new Map<string, PackedTexts>();
  lastPacked = packed;
  inTransaction(db, () => {
    clear.run(listing.day, key);
    const ids = new Set<string>();
    const papers = listing.papers;
    const paperValues: unknown[] = [];
    for (let from = 0; from < papers.length; from += ROWS) {
      const chunk = papers.slice(from, from + ROWS);
      const listingValues: unknown[] = [listing.day, key];
      for (const paper of chunk) {
        paperValues.length = 0;
        paperParams(paper, previous, packed, paperValues);
        upsert.run(paperValues);
        listingValues.push(paper.id, paper.announceType, paper.method);
        ids.add(paper.id);
      }
      insert(chunk.length).run(listingValues);
    }
    mark.run(listing.day, key, listing.method, fetchedAt, ids.size);
  });
}

/** A stored complete listing of (day, categories), or undefined when there is none. */
export function loadListing(db: Db, day: string, categories: readonly string[]): Listing | undefined {
  const key = categoriesKey(categories);
  const marker = db
    .prepare('SELECT method, fetched_at, paper_count FROM listing_days WHERE day = ? AND categories = ?')
    .get(day, key) as { method: ListingMethod; fetched_at: string; paper_count: number } | undefined;
  if (!marker) return undefined;
  const rows = db
    .prepare(
      `SELECT p.*, l.announce_type, l.method FROM listings l JOIN papers p ON p.id = l.paper_id
       WHERE l.day = ? AND l.categories = ?`,
    )
    .all(day, key) as PaperRow[];
  // A marker without its rows means the store was edited by hand; treat it as absent.
  if (rows.length !== marker.paper_count) return undefined;
  return {
    day,
    categories: key.split(','),
    method: marker.method,
    papers: sortListing(rows.map((row) => rowToPaper(row))),
    notes: [`from the store (fetched ${marker.fetched_at} by ${marker.method})`],
  };
}
