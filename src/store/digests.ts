/**
 * The digests table: the ranked result of each written day. A digest refers to its posts and
 * papers by key (format 3, see docs/store.md, "Digest format 3") and is rehydrated from the posts,
 * snapshots and papers tables on load, so a day costs a few hundred bytes per ranked paper
 * instead of a copy of every post. A row written before format 2 (a whole DayDigest as JSON)
 * still loads as it is.
 */
import { isDeepStrictEqual } from 'node:util';
import { StoreError } from '../errors.js';
import { postScore, weightOf } from '../rank/score.js';
import type { DayDigest, MatchedPost, Metrics, Paper, RankedPaper, ScoredPost, SourceId } from '../types.js';
import { type Db, inTransaction, statement } from './db.js';
import { isoTime, postIdTextSql, storedJson, storedPostId, storedPostIdSql } from './derived.js';
import { type PaperRow, rowToPaper, textsPackedFrom } from './listings.js';
import { packTime } from './packed.js';

export interface DigestMeta {
  categoriesKey: string;
  markdownSha256?: string;
  path?: string;
  writtenAt: string;
  /**
   * The snapshot instant each post's counts were read from (see observationsOf), as the
   * pipeline loaded them. Posts it names are stored by key without a check; without it each
   * post is matched against its stored snapshots and kept whole when none reproduces it.
   */
  observedAt?: Observations;
}

/** Per source, per post id: the instant of the snapshot its counts come from. */
export type Observations = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** The Observations of loaded posts (source → id → observed_at; no key strings to build). */
export function observationsOf(matched: readonly MatchedPost[]): Observations {
  const out = new Map<string, Map<string, string>>();
  // Loaded posts come in runs of one source (the store's order): its map is kept at hand.
  let source = '';
  let byId: Map<string, string> | undefined;
  for (let i = 0; i < matched.length; i++) {
    const { post, observedAt } = matched[i]!;
    if (observedAt === undefined) continue;
    if (post.source !== source || byId === undefined) {
      source = post.source;
      byId = out.get(source);
      if (byId === undefined) {
        byId = new Map();
        out.set(source, byId);
      }
    }
    byId.set(post.id, observedAt);
  }
  return out;
}

/** A stored digest row's key. */
export interface DigestRowKey {
  day: string;
  categories: string;
  horizon: string;
}

/** A post by key: [source, id, index into `times`, self-promotion 0/1]. */
type PostRef = [SourceId, string, number, 0 | 1];

/** A ranked paper by key; `paper` is inline only when the papers table would not give it back. */
interface CompactPaper extends Omit<RankedPaper, 'paper' | 'posts' | 'shown'> {
  id: string;
  paper?: Paper;
  /** A post the store would not give back exactly is kept whole. */
  posts: Array<PostRef | ScoredPost>;
  /** Indexes into `posts` (a shown post not among them is kept whole). */
  shown: Array<number | ScoredPost>;
}

interface CompactDigest extends Omit<DayDigest, 'papers'> {
  format: 2;
  /** The distinct snapshot instants the posts' counts come from. */
  times: string[];
  papers: CompactPaper[];
}

/**
 * Format 3: a paper's posts as two packed columns, no JSON value per post. `src` holds one
 * character per post (its source, see SOURCE_CODE; `-` for a post kept whole) and `ids` its id;
 * what most posts share is left out (observed at `times[0]`, not self-promotion).
 */
interface PackedPaper extends Omit<RankedPaper, 'paper' | 'posts' | 'shown'> {
  id: string;
  paper?: Paper;
  src: string;
  ids: string[];
  /** Posts observed at another instant than times[0]: flat pairs [post index, index into times]. */
  at?: number[];
  /** Indexes of the self-promotion posts. */
  self?: number[];
  /** Posts the store would not give back exactly, whole: flat pairs [post index, post]. */
  whole?: Array<number | ScoredPost>;
  /** Indexes into the paper's posts (a shown post not among them is kept whole). */
  shown: Array<number | ScoredPost>;
}

interface PackedDigest extends Omit<DayDigest, 'papers'> {
  format: 3;
  times: string[];
  papers: PackedPaper[];
}

/** One character per source in a packed digest; a source not listed here is kept whole. */
const SOURCE_CODE: ReadonlyMap<string, string> = new Map([
  ['x', 'x'],
  ['bluesky', 'b'],
  ['hn', 'h'],
  ['hf', 'f'],
]);
const CODE_SOURCE: ReadonlyMap<string, SourceId> = new Map(
  [...SOURCE_CODE].map(([source, code]) => [code, source as SourceId]),
);

/** Store (or replace) the digest of a day for its category set and horizon. */
export function saveDigest(db: Db, digest: DayDigest, meta: DigestMeta): void {
  const packed = packDigest(db, digest, meta.categoriesKey, meta.observedAt);
  // The papers it refers to by key, beside it: a later change of their rows changes its fingerprint.
  const byKey = packed.papers.flatMap((p) => (p.paper ? [] : [p.id]));
  const key = [digest.day, meta.categoriesKey, digest.horizon ?? ''] as const;
  inTransaction(db, () => {
    writeRow(db, digest, meta, JSON.stringify(packed));
    statement(db, 'DELETE FROM digest_papers WHERE day = ? AND categories = ? AND horizon = ?').run(...key);
    statement(
      db,
      'INSERT OR IGNORE INTO digest_papers (paper_id, day, categories, horizon) SELECT value, ?, ?, ? FROM json_each(?)',
    ).run(...key, JSON.stringify(byKey));
  });
}

function writeRow(db: Db, digest: DayDigest, meta: DigestMeta, text: string): void {
  db.prepare(`
    INSERT INTO digests (day, categories, horizon, observed_at, digest, markdown_sha256, path, written_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (day, categories, horizon) DO UPDATE SET
      observed_at = excluded.observed_at, digest = excluded.digest, markdown_sha256 = excluded.markdown_sha256,
      path = excluded.path, written_at = excluded.written_at`).run(
    digest.day,
    meta.categoriesKey,
    digest.horizon ?? '',
    digest.observedAt,
    text,
    meta.markdownSha256 ?? null,
    meta.path ?? null,
    meta.writtenAt,
  );
}

/** The stored digest of a day, if any, rehydrated, with the post file's path and hash. */
export function loadDigest(
  db: Db,
  day: string,
  categoriesKey: string,
  horizon = '',
): (DayDigest & { path?: string; markdownSha256?: string }) | undefined {
  const row = db
    .prepare(
      'SELECT digest, path, markdown_sha256 FROM digests WHERE day = ? AND categories = ? AND horizon = ?',
    )
    .get(day, categoriesKey, horizon) as
    | { digest: string; path: string | null; markdown_sha256: string | null }
    | undefined;
  if (!row) return undefined;
  return {
    ...parseDigest(db, row.digest, categoriesKey),
    path: row.path ?? undefined,
    markdownSha256: row.markdown_sha256 ?? undefined,
  };
}

/** The stored digest of a day, rehydrated, without the file's path and hash (the site's read). */
export function readDigest(db: Db, day: string, categoriesKey: string, horizon = ''): DayDigest | undefined {
  const text = statement(db, 'SELECT digest FROM digests WHERE day = ? AND categories = ? AND horizon = ?')
    .pluck()
    .get(day, categoriesKey, horizon) as string | undefined;
  return text === undefined ? undefined : parseDigest(db, text, categoriesKey);
}

/**
 * Every stored digest row as `[day, categories, horizon, fingerprint]`, newest first by day,
 * then categories, then horizon (the covering index read backwards, no sort). The fingerprint
 * joins the row's key and dates (`categories|horizon|observed_at|written_at|markdown_sha256`),
 * so it changes when the row is written again; a row one of whose papers by key had its row in
 * papers changed since (a later listing stored a newer version) gets `|r` and the count of such
 * changes (digest_revisions, migration 15), then `#` and the ids of the papers they were of, one
 * per change, space-separated (migration 16; none for changes counted before it). Rows as
 * arrays: a site build lists every day. With `since`, only the rows of days from `since` on.
 */
export function listDigestFingerprints(db: Db, since = ''): Array<[string, string, string, string]> {
  // `day >= ''` holds for every row: one statement, the index read from its end down to `since`.
  const rows = statement(
    db,
    `SELECT day, categories, horizon,
            categories || '|' || horizon || '|' || observed_at || '|' || written_at || '|' || ifnull(markdown_sha256, '')
     FROM digests WHERE day >= ? ORDER BY day DESC, categories DESC, horizon DESC`,
  )
    .raw()
    .all(since) as Array<[string, string, string, string]>;
  // Few rows ever have a revised paper: they are looked up in a map, not joined row by row.
  const revised = statement(
    db,
    'SELECT day, categories, horizon, revisions, papers FROM digest_revisions WHERE day >= ?',
  )
    .raw()
    .all(since) as Array<[string, string, string, number, string]>;
  if (revised.length === 0) return rows;
  const marks = new Map(
    revised.map(([day, categories, horizon, n, papers]) => [
      `${day}\n${categories}\n${horizon}`,
      papers === '' ? `|r${n}` : `|r${n}#${papers}`,
    ]),
  );
  for (const row of rows) {
    const mark = marks.get(`${row[0]}\n${row[1]}\n${row[2]}`);
    if (mark !== undefined) row[3] += mark;
  }
  return rows;
}

/**
 * Each month of digest rows (a day's first seven characters) with its token, which a trigger
 * replaces whenever a row of the month in digests or digest_revisions is written or removed
 * (migration 17): a month whose token is the one seen before has the rows it had then.
 */
export function listDigestMonths(db: Db): Array<[string, string]> {
  return statement(db, 'SELECT month, token FROM digest_months').raw().all() as Array<[string, string]>;
}

/**
 * Parse a stored digest text: formats 2 and 3 are rehydrated from the store, an older one returned
 * as is. `atMigration3`: the store is at the schema migration 3 ran on (text ids and instants).
 */
export function parseDigest(db: Db, text: string, categoriesKey: string, atMigration3 = false): DayDigest {
  const parsed = JSON.parse(text) as DayDigest | CompactDigest | PackedDigest;
  if (!parsed || !Array.isArray(parsed.papers)) throw new Error('no papers array');
  const format = (parsed as { format?: unknown }).format;
  const compact = format === 3 ? unpackDigest(parsed as PackedDigest) : (parsed as CompactDigest);
  if (format !== 2 && format !== 3) return parsed as DayDigest;
  return rehydrate(db, compact, categoriesKey, atMigration3 ? MIGRATION3_POSTS : KEYED_POSTS);
}

// ------------------------------------------------------------------ compacting

/** The digest by key (format 3): each post as a key when the store gives it back exactly. */
function packDigest(
  db: Db,
  digest: DayDigest,
  catKey: string,
  observed: Observations | undefined,
): PackedDigest {
  const { papers, ...header } = digest;
  const times: string[] = [];
  const timeIndex = new Map<string, number>();
  const timeOf = (t: string): number => {
    let i = timeIndex.get(t);
    if (i === undefined) {
      i = times.length;
      times.push(t);
      timeIndex.set(t, i);
    }
    return i;
  };
  const stored = storedPapers(
    db,
    papers.map((r) => r.paper),
    digest.day,
    catKey,
  );
  const matcher = observed ? undefined : snapshotMatcher(db, digest);
  const out: PackedPaper[] = papers.map((r) => {
    const { paper, posts, shown, ...figures } = r;
    let src = '';
    const ids: string[] = [];
    let at: number[] | undefined;
    let self: number[] | undefined;
    let whole: Array<number | ScoredPost> | undefined;
    // Posts come grouped by score, not source: the per-source lookups are kept while it repeats.
    let source = '';
    let code: string | undefined;
    let byId: ReadonlyMap<string, string> | undefined;
    let lastTime = '';
    let lastIndex = -1;
    for (let i = 0; i < posts.length; i++) {
      const p = posts[i]!;
      if (p.source !== source) {
        source = p.source;
        code = SOURCE_CODE.get(source);
        byId = observed?.get(source);
      }
      const t = code === undefined ? undefined : observed ? byId?.get(p.id) : matcher!(p, digest.weights);
      if (code === undefined || t === undefined) {
        src += '-';
        ids.push('');
        whole = whole ?? [];
        whole.push(i, p);
        continue;
      }
      src += code;
      ids.push(p.id);
      if (t !== lastTime) {
        lastTime = t;
        lastIndex = timeOf(t);
      }
      if (lastIndex !== 0) {
        at = at ?? [];
        at.push(i, lastIndex);
      }
      if (p.selfPromotion) {
        self = self ?? [];
        self.push(i);
      }
    }
    // A shown post is one of the paper's posts (the ranking shares the object, and shows the
    // best-scored, which come first): found by identity, or failing that as JSON.
    const shownRefs = shown.map((p) => {
      let i = posts.indexOf(p);
      if (i < 0) i = posts.findIndex((q) => sameJson(p, q));
      return i >= 0 ? i : p;
    });
    const entry: PackedPaper = { ...figures, id: paper.id, src, ids, shown: shownRefs };
    if (at) entry.at = at;
    if (self) entry.self = self;
    if (whole) entry.whole = whole;
    const back = stored.get(paper.id);
    if (!back || !samePaper(back, paper)) entry.paper = paper;
    return entry;
  });
  return { format: 3, ...header, times, papers: out };
}

/** A format-3 digest in the form of format 2 (posts as [source, id, time, self] keys). */
function unpackDigest(packed: PackedDigest): CompactDigest {
  const { format: _format, papers, ...header } = packed;
  const out = papers.map((r): CompactPaper => {
    const { src, ids, at, self, whole, ...rest } = r;
    const posts: Array<PostRef | ScoredPost> = [];
    for (let i = 0; i < src.length; i++) {
      const source = CODE_SOURCE.get(src[i]!);
      posts.push(source ? [source, ids[i]!, 0, 0] : (undefined as unknown as ScoredPost));
    }
    const ref = (i: number): PostRef => {
      const p = posts[i];
      if (!Array.isArray(p)) throw new StoreError('store', `digest of ${packed.day}: post ${i} is not a key`);
      return p;
    };
    for (let k = 0; k + 1 < (at?.length ?? 0); k += 2) ref(at![k]!)[2] = at![k + 1]!;
    for (const i of self ?? []) ref(i)[3] = 1;
    for (let k = 0; k + 1 < (whole?.length ?? 0); k += 2)
      posts[whole![k] as number] = whole![k + 1] as ScoredPost;
    return { ...rest, posts };
  });
  return { format: 2, ...header, papers: out };
}

/**
 * For a digest written without the pipeline's observation map (an old row, a hand-made one):
 * the instant of a stored snapshot that, with the stored post, gives this ScoredPost back.
 */
function snapshotMatcher(
  db: Db,
  digest: DayDigest,
): (p: ScoredPost, weights: DayDigest['weights']) => string | undefined {
  const snaps = db.prepare(
    'SELECT observed_at, reposts, likes, replies, quotes FROM snapshots WHERE source = ? AND post_id = ? ORDER BY observed_at DESC',
  );
  const postRow = db.prepare(`SELECT ${POST_COLUMNS} FROM posts WHERE source = ? AND id = ?`).raw();
  return (p, weights) => {
    const id = storedPostId(p.id);
    const row = postRow.get(p.source, id) as PostTuple | undefined;
    if (!row) return undefined;
    const candidates = snaps.all(p.source, id) as Array<Metrics & { observed_at: string }>;
    // The newest snapshot at or before the digest's instant first: the one the run used.
    candidates.sort((a, b) => rankTime(a.observed_at) - rankTime(b.observed_at));
    for (const s of candidates) {
      const { reposts, likes, replies, quotes } = s;
      const again = scoredFrom(row, { reposts, likes, replies, quotes }, p.selfPromotion, weights);
      if (sameJson(again, p)) return s.observed_at;
    }
    return undefined;
  };
  function rankTime(t: string): number {
    return t <= digest.observedAt ? 0 : 1;
  }
}

/** Papers equal as JSON would compare them (a key holding undefined is no key). */
function samePaper(a: Paper, b: Paper): boolean {
  // Every key of either (a key of both is compared twice: cheaper than building their union).
  for (const k of Object.keys(a) as Array<keyof Paper>) if (!sameField(a[k], b[k])) return false;
  for (const k of Object.keys(b) as Array<keyof Paper>) if (!sameField(a[k], b[k])) return false;
  return true;
}

/** A field of two papers equal as JSON would compare it (arrays of strings item by item). */
function sameField(x: unknown, y: unknown): boolean {
  if (!Array.isArray(x) && !Array.isArray(y)) return x === y;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** JSON-equal: what a JSON round trip would make equal (undefined keys dropped). */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

// ------------------------------------------------------------------ rehydrating

const POST_COLUMNS = `source, ${postIdTextSql('id')} AS id, url, author_id, author_handle, author_name, text, created_at`;

/**
 * A post row as POST_COLUMNS lists it, read raw (an array: no object per row): source, id, url,
 * author id, handle and name, text, created_at.
 */
type PostTuple = [
  SourceId,
  string,
  string,
  string | null,
  string | null,
  string | null,
  string,
  string | null,
];

/**
 * A row of rehydrate's join, raw: the post as PostTuple (its instant as stored until made ISO),
 * then its counts, then `at`, the post's index in the keys it was asked for.
 */
type KeyedPostRow = [...PostTuple, number, number, number, number, number];

/**
 * A ScoredPost as a JSON round trip of the ranking's object would give it (no undefined keys);
 * `metrics` becomes the post's own (a new object with the four counts only).
 */
function scoredFrom(
  row: PostTuple | KeyedPostRow,
  metrics: Metrics,
  selfPromotion: boolean,
  weights: DayDigest['weights'],
): ScoredPost {
  const [source, id, url, authorId, authorHandle, authorName, text, createdAt] = row;
  const post: ScoredPost = { source, id, url } as ScoredPost;
  if (authorId !== null) post.authorId = authorId;
  if (authorHandle !== null) post.authorHandle = authorHandle;
  if (authorName !== null) post.authorName = authorName;
  post.text = text;
  if (createdAt !== null) post.createdAt = createdAt;
  post.metrics = metrics;
  const score = postScore({ source, metrics });
  post.score = score;
  post.weighted = score * weightOf(weights, source);
  post.selfPromotion = selfPromotion;
  return post;
}

/**
 * The papers of `ids` as the store gives them back for a day's listing (announce type, method).
 * Given the papers themselves (`Paper`s, not ids), a row that holds byte for byte what the latest
 * saveListing packed from the paper's own title, authors and abstract is not inflated.
 */
function storedPapers(
  db: Db,
  wanted: ReadonlyArray<string | Paper>,
  day: string,
  catKey: string,
): Map<string, Paper> {
  const out = new Map<string, Paper>();
  if (wanted.length === 0) return out;
  const given = new Map<string, Paper>();
  const ids = wanted.map((w) => {
    if (typeof w === 'string') return w;
    given.set(w.id, w);
    return w.id;
  });
  // json_each drives the join (CROSS JOIN fixes the order): one primary-key lookup per id.
  const rows = statement(
    db,
    `
      SELECT pa.*, li.announce_type, li.method
      FROM json_each(?) AS j CROSS JOIN papers pa ON pa.id = j.value
      LEFT JOIN listings li ON li.day = ? AND li.categories = ? AND li.paper_id = pa.id`,
  ).all(JSON.stringify(ids), day, catKey) as PaperRow[];
  for (const row of rows) {
    const paper = given.get(row.id);
    out.set(row.id, rowToPaper(row, paper && textsPackedFrom(row, paper)));
  }
  return out;
}

/**
 * How rehydrate finds a digest's posts: each post's key as JSON ([source, id, instant]) and the
 * join it drives (json_each first, CROSS JOIN fixes the order: primary-key lookups per post).
 */
interface PostLookup {
  /** A post id as JSON. */
  id(id: string): string;
  /** An instant as JSON (once per digest: its posts share a few). */
  time(iso: string): string;
  sql: string;
}

/**
 * Keys as the tables store them (storedPostId, packTime): the join seeks the primary keys by
 * value, with no SQL conversion of the id or instant per row (~15% of a day's read).
 */
const KEYED_POSTS: PostLookup = {
  id: (id) => storedJson(storedPostId(id)),
  time: (iso) => storedJson(packTime(iso)),
  sql: `
    SELECT p.source, ${postIdTextSql('p.id')} AS id, p.url, p.author_id, p.author_handle, p.author_name,
           p.text, p.created, s.reposts, s.likes, s.replies, s.quotes, j.key AS at
    FROM json_each(?) AS j
    CROSS JOIN posts p ON p.source = j.value ->> 0 AND p.id = j.value ->> 1
    CROSS JOIN snapshots s ON s.source = p.source AND s.post_id = p.id AND s.observed = j.value ->> 2`,
};

/**
 * Keys as text, for migration 3 (compactStoredDigests): its schema has text ids and instants
 * (created_at and observed_at are columns; `created` and `observed` came with migration 9).
 * Frozen with that migration.
 */
const MIGRATION3_POSTS: PostLookup = {
  id: (id) => JSON.stringify(id),
  time: (iso) => JSON.stringify(iso),
  sql: `
    SELECT p.source, ${postIdTextSql('p.id')} AS id, p.url, p.author_id, p.author_handle, p.author_name,
           p.text, p.created_at AS created, s.reposts, s.likes, s.replies, s.quotes, j.key AS at
    FROM json_each(?) AS j
    CROSS JOIN posts p ON p.source = j.value ->> 0 AND p.id = ${storedPostIdSql('j.value ->> 1')}
    JOIN snapshots s ON s.source = p.source AND s.post_id = p.id AND s.observed_at = j.value ->> 2`,
};

function rehydrate(db: Db, compact: CompactDigest, catKey: string, lookup: PostLookup): DayDigest {
  const { format: _format, times, papers, ...header } = compact;
  // Each post once: its place in the list asked for (the rows come back with it), and each
  // key's place in that list, paper by paper (each key is built once).
  const keys = new Map<string, number>();
  const wanted: string[] = [];
  const places: number[][] = [];
  const paperIds: string[] = [];
  const timeKeys = times.map(lookup.time);
  for (const r of papers) {
    if (!r.paper) paperIds.push(r.id);
    const at: number[] = [];
    for (const p of r.posts) {
      if (!Array.isArray(p)) {
        at.push(-1);
        continue;
      }
      const key = `${p[0]}:${p[1]}@${p[2]}`;
      let place = keys.get(key);
      if (place === undefined) {
        place = wanted.length;
        keys.set(key, place);
        wanted.push(`[${JSON.stringify(p[0])},${lookup.id(p[1])},${timeKeys[p[2]]}]`);
      }
      at.push(place);
    }
    places.push(at);
  }
  const stored = storedPapers(db, paperIds, compact.day, catKey);
  // Rows as arrays (KeyedPostRow): an object per row with a dozen keys cost more than the join.
  const rows =
    wanted.length === 0
      ? []
      : (statement(db, lookup.sql)
          .raw()
          .all(`[${wanted.join(',')}]`) as KeyedPostRow[]);
  const byIndex: Array<KeyedPostRow | undefined> = new Array(wanted.length);
  for (const row of rows) {
    const created = row[7] as number | string | null;
    row[7] = created === null ? null : isoTime(created);
    byIndex[row[12]] = row;
  }

  const out: RankedPaper[] = papers.map((r, k) => {
    const { id, paper: inline, posts: refs, shown, ...figures } = r;
    const paper = inline ?? stored.get(id);
    if (!paper)
      throw new StoreError('store', `digest of ${compact.day} refers to paper ${id}, not in the store`);
    const at = places[k]!;
    const posts = refs.map((ref, i) => {
      if (!Array.isArray(ref)) return ref;
      const row = byIndex[at[i]!];
      if (!row) {
        throw new StoreError(
          'store',
          `digest of ${compact.day} refers to post ${ref[0]}:${ref[1]} observed ${times[ref[2]]!}, not in the store`,
        );
      }
      const metrics = { reposts: row[8], likes: row[9], replies: row[10], quotes: row[11] };
      return scoredFrom(row, metrics, ref[3] === 1, compact.weights);
    });
    return {
      ...figures,
      paper,
      posts,
      shown: shown.map((i) => (typeof i === 'number' ? posts[i]! : i)),
    } as RankedPaper;
  });
  return { ...header, papers: out } as DayDigest;
}

// ------------------------------------------------------------------ migration

/**
 * Rewrite every digest row stored whole (before format 2) by key, keeping it whole when the
 * compact form would not load back deep-equal to it. Used by the schema migration.
 */
export function compactStoredDigests(db: Db): { compacted: number; kept: number } {
  const rows = db
    .prepare(
      "SELECT day, categories, horizon, digest FROM digests WHERE json_extract(digest, '$.format') IS NOT 2",
    )
    .all() as Array<DigestRowKey & { digest: string }>;
  const update = db.prepare('UPDATE digests SET digest = ? WHERE day = ? AND categories = ? AND horizon = ?');
  let compacted = 0;
  let kept = 0;
  for (const row of rows) {
    let old: DayDigest;
    try {
      old = JSON.parse(row.digest) as DayDigest;
      if (!old || !Array.isArray(old.papers)) throw new Error('no papers array');
    } catch {
      kept++; // Unreadable: left exactly as it was (the site reports it).
      continue;
    }
    const text = JSON.stringify(packDigest(db, old, row.categories, undefined));
    let same = false;
    try {
      same = isDeepStrictEqual(parseDigest(db, text, row.categories, true), old);
    } catch {
      same = false;
    }
    if (!same) {
      kept++;
      continue;
    }
    update.run(text, row.day, row.categories, row.horizon);
    compacted++;
  }
  return { compacted, kept };
}
