/**
 * Posts, their links to papers, their metric snapshots and their cached embeds.
 * Writes are idempotent: re-saving the same post at the same instant changes nothing.
 */

import type { MatchedPost, Metrics, Post, SourceId } from '../types.js';
import { type Db, placeholderRows, statementsBySize } from './db.js';
import { postIdTextSql, storedPostId, storedPostIdSql, usualPostUrl, usualPostUrlSql } from './derived.js';
import { packText, packTime, unpackText } from './packed.js';

/**
 * What the store keeps of a post's payload as received: HF's small extract (Daily Papers date,
 * GitHub repo and stars, project page, thumbnail: facts no column holds, ~200 bytes a paper);
 * nothing of X, Bluesky and HN, whose bodies repeat the columns (they were half of a day's
 * growth, and nothing reads them).
 */
export function keptRaw(post: Pick<Post, 'source' | 'raw'>): string | null {
  return post.source === 'hf' && post.raw !== undefined ? JSON.stringify(post.raw) : null;
}

/** Common link beginnings, each stored as one control character (see packLinks). */
const LINK_PREFIXES = [
  'https://arxiv.org/abs/',
  'https://arxiv.org/pdf/',
  'https://huggingface.co/papers/',
  'https://arxiv.org/',
  'https://www.alphaxiv.org/abs/',
  'https://github.com/',
  'https://',
  'http://',
];

/**
 * A post's links as stored: one per line, a common beginning as one control character
 * (`https://arxiv.org/abs/2106.04554` in 11 bytes instead of the 36 of its JSON); JSON (rows
 * written before, and lists a line could not hold) when it starts with `[`.
 */
export function packLinks(links: readonly string[]): string {
  // Plain loops, no closures or intermediate arrays: a day's save packs 50,000 posts' links.
  if (links.length === 0 || links[0]!.startsWith('[')) return JSON.stringify(links);
  let out = '';
  for (let k = 0; k < links.length; k++) {
    const l = links[k]!;
    if (l.charCodeAt(0) <= LINK_PREFIXES.length || l.includes('\n')) return JSON.stringify(links);
    if (k > 0) out += '\n';
    out += packLink(l);
  }
  return out;
}

/** One link as packLinks stores it: its first matching common beginning as one character. */
function packLink(link: string): string {
  for (let i = 0; i < LINK_PREFIXES.length; i++) {
    const prefix = LINK_PREFIXES[i]!;
    if (link.startsWith(prefix)) return String.fromCharCode(i + 1) + link.slice(prefix.length);
  }
  return link;
}

/** A stored value of packLinks back to the links. */
export function unpackLinks(stored: string): string[] {
  if (stored.startsWith('[')) return JSON.parse(stored) as string[];
  return stored.split('\n').map((l) => {
    const code = l.charCodeAt(0);
    return code >= 1 && code <= LINK_PREFIXES.length ? LINK_PREFIXES[code - 1]! + l.slice(1) : l;
  });
}

// Positional parameters (binding a dozen named ones from an object costs more than the insert),
// ROWS rows a statement (one call into SQLite per ROWS rows, not per row: a third less CPU), of
// one source: its name (and the observation instant) are bound once, before the rows, and read
// through scalar subqueries, each computed once (joined to the rows instead, the one-row CTE cost
// ~10% more per row).
// The address is kept only when it is not the source's usual one, computed by the very
// expression of the posts view's url column (NULL when savePosts already knows it is the usual
// one). The tables are written, not the views (migration 14).
// first_seen/last_seen stay NULL (the post's first and last snapshots say them); a row migrated
// with values its snapshots do not give keeps them, moved by this observation.
const ROWS = 64;
const POST_WIDTH = 9;
const upsertPosts = (n: number) => `
  WITH k(s, o) AS (SELECT ?, ?), v(i, a, h, n, u, t, c, l, r) AS (VALUES ${placeholderRows(n, POST_WIDTH)})
  INSERT INTO post_rows (source, id, author_id, author_handle, author_name, own_url, text, created, links, raw)
  SELECT (SELECT s FROM k), i, a, h, n,
         CASE WHEN u IS NOT NULL THEN nullif(u, ${usualPostUrlSql('(SELECT s FROM k)', 'i', 'h')}) END, t, c, l, r
  FROM v WHERE true
  ON CONFLICT (source, id) DO UPDATE SET
    author_id = excluded.author_id, author_handle = excluded.author_handle, author_name = excluded.author_name,
    own_url = excluded.own_url, text = excluded.text, created = excluded.created, links = excluded.links,
    raw = excluded.raw,
    first_seen = CASE WHEN post_rows.first_seen IS NOT NULL THEN min(post_rows.first_seen, (SELECT o FROM k)) END,
    last_seen = CASE WHEN post_rows.last_seen IS NOT NULL THEN max(post_rows.last_seen, (SELECT o FROM k)) END`;
const LINK_WIDTH = 2;
const insertLinks = (n: number) => `
  INSERT OR IGNORE INTO post_papers (source, post_id, paper_id)
  SELECT ?, column1, column2 FROM (VALUES ${placeholderRows(n, LINK_WIDTH)})`;
const SNAPSHOT_WIDTH = 5;
const upsertSnapshots = (n: number) => `
  INSERT INTO snapshot_rows (source, post_id, observed, reposts, likes, replies, quotes)
  SELECT ?, column1, ?, column2, column3, column4, column5 FROM (VALUES ${placeholderRows(n, SNAPSHOT_WIDTH)}) WHERE true
  ON CONFLICT (source, post_id, observed) DO UPDATE SET
    reposts = excluded.reposts, likes = excluded.likes, replies = excluded.replies, quotes = excluded.quotes`;

/**
 * The address savePosts stores for a post: null when it is certainly its source's usual one
 * (usualPostUrlSql's, for X, HN and HF, whose rule is a plain concatenation), else the address
 * (the statement then compares it with the usual one itself).
 */
function ownUrl(post: Post): string | null {
  return post.url === usualPostUrl(post.source, post.id, post.authorHandle) ? null : post.url;
}

/** A post to save with its key as stored (storedPostId), computed once. */
interface Keyed {
  m: MatchedPost;
  id: string | bigint;
}

/** Order of the posts' primary key (source, stored id): integers first, by value, then text. */
function compareKeys(a: Keyed, b: Keyed): number {
  const x = a.m.post.source;
  const y = b.m.post.source;
  if (x !== y) return x < y ? -1 : 1;
  const i = a.id;
  const j = b.id;
  if (typeof i !== typeof j) return typeof i === 'bigint' ? -1 : 1;
  // (Equality before `>`: two different ids, whose hashes are known, differ at once.)
  return i < j ? -1 : i === j ? 0 : 1;
}

/**
 * Record that these papers' posts, links, snapshots or embeds changed (the site redoes their
 * pages): each paper's row in paper_changes is renumbered above every earlier one.
 */
export function notePaperChanges(db: Db, paperIds: Iterable<string>): void {
  const ids = [...new Set(paperIds)];
  if (ids.length === 0) return;
  // One statement for them all, renumbered in the order given (json_each's order).
  db.prepare('REPLACE INTO paper_changes (paper_id) SELECT value FROM json_each(?) ORDER BY key').run(
    JSON.stringify(ids),
  );
}

/**
 * Store matched posts, their paper links and a snapshot of their counts at `observedAt`, in one
 * transaction; with `saved`, record there what was written (for loadPostsForPapers).
 */
export function savePosts(
  db: Db,
  matched: readonly MatchedPost[],
  observedAt: string,
  saved?: SavedPosts,
): void {
  const posts = statementsBySize(db, upsertPosts);
  const links = statementsBySize(db, insertLinks);
  const snapshots = statementsBySize(db, upsertSnapshots);
  // In key order: each B-tree grows at its end instead of splitting pages all over.
  const ordered: Keyed[] = matched.map((m) => ({ m, id: storedPostId(m.post.id) }));
  ordered.sort(compareKeys);
  // As the snapshots keep it: milliseconds when canonical (see migration 10), else the text.
  const observed = packTime(observedAt);
  // In the order the caller gave them, as paper_changes numbers them.
  const changed = new Set<string>();
  for (let k = 0; k < matched.length; k++) {
    const ids = matched[k]!.paperIds;
    for (let i = 0; i < ids.length; i++) changed.add(ids[i]!);
  }
  const save = db.transaction(() => {
    // Arrays reused from one full statement to the next (little garbage), spread into run():
    // better-sqlite3 binds an array passed whole through one Object::Get per item (~430
    // instructions each), and spreading hundreds of arguments costs less (16% less CPU for a
    // bind-heavy statement, measured on 3 December).
    const full = {
      posts: new Array<unknown>(ROWS * POST_WIDTH + 2),
      snapshots: new Array<unknown>(ROWS * SNAPSHOT_WIDTH + 2),
      links: new Array<unknown>(1 + ROWS * LINK_WIDTH),
    };
    const linkValues = full.links;
    let lv = 1;
    const flushLinks = (source: string) => {
      const n = (lv - 1) / LINK_WIDTH;
      const values = n === ROWS ? linkValues : linkValues.slice(0, lv);
      values[0] = source;
      links(n).run(...values);
      lv = 1;
    };
    let from = 0;
    while (from < ordered.length) {
      const source = ordered[from]!.m.post.source;
      // A statement's rows are of one source.
      let to = from + 1;
      while (to < ordered.length && to - from < ROWS && ordered[to]!.m.post.source === source) to++;
      const n = to - from;
      const postValues = n === ROWS ? full.posts : new Array<unknown>(2 + n * POST_WIDTH);
      const snapshotValues = n === ROWS ? full.snapshots : new Array<unknown>(2 + n * SNAPSHOT_WIDTH);
      postValues[0] = source;
      postValues[1] = observedAt;
      snapshotValues[0] = source;
      snapshotValues[1] = observed;
      let pv = 2;
      let sv = 2;
      for (let k = from; k < to; k++) {
        const { m, id } = ordered[k]!;
        const post = m.post;
        postValues[pv++] = id;
        postValues[pv++] = post.authorId ?? null;
        postValues[pv++] = post.authorHandle ?? null;
        postValues[pv++] = post.authorName ?? null;
        postValues[pv++] = ownUrl(post);
        postValues[pv++] = post.text;
        postValues[pv++] = post.createdAt === undefined ? null : packTime(post.createdAt);
        postValues[pv++] = packLinks(post.links);
        postValues[pv++] = keptRaw(post);
        const paperIds = m.paperIds;
        for (let i = 0; i < paperIds.length; i++) {
          if (lv === 1 + ROWS * LINK_WIDTH) flushLinks(source);
          linkValues[lv++] = id;
          linkValues[lv++] = paperIds[i];
        }
        const c = post.metrics;
        snapshotValues[sv++] = id;
        snapshotValues[sv++] = c.reposts;
        snapshotValues[sv++] = c.likes;
        snapshotValues[sv++] = c.replies;
        snapshotValues[sv++] = c.quotes;
      }
      posts(n).run(...postValues);
      snapshots(n).run(...snapshotValues);
      if (lv > 1 && (to === ordered.length || ordered[to]!.m.post.source !== source)) flushLinks(source);
      from = to;
    }
    notePaperChanges(db, changed);
  });
  // Every link and snapshot is written after the posts, so its parent row always exists:
  // the foreign-key check (a lookup of the post per child row) is skipped for this write.
  // (Inside a caller's transaction the pragma cannot change, and the checks simply run.)
  const toggle = !db.inTransaction && db.pragma('foreign_keys', { simple: true }) === 1;
  // Taken before writing: any other connection's commit from here on changes it.
  const version = saved ? storeVersion(db) : 0;
  if (toggle) db.pragma('foreign_keys = OFF');
  try {
    save();
  } finally {
    if (toggle) db.pragma('foreign_keys = ON');
  }
  // Once committed: the last write of a key is what the store holds, as here. In the order
  // written (key order), which for ids of one length is the order loadPostsForPapers returns
  // them in: it then checks that order rather than sorting.
  if (saved) {
    saved.noteVersion(observedAt, version);
    // A source's posts at a time; a post given twice is adjacent (same key), the later kept.
    let from = 0;
    while (from < ordered.length) {
      const source = ordered[from]!.m.post.source;
      const entries: SavedPost[] = [];
      let k = from;
      for (; k < ordered.length && ordered[k]!.m.post.source === source; k++) {
        const { post, paperIds } = ordered[k]!.m;
        const entry = { post: asStored(post), paperIds, observedAt };
        if (k > from && ordered[k - 1]!.m.post.id === post.id) entries[entries.length - 1] = entry;
        else entries.push(entry);
      }
      saved.setAll(source, entries);
      from = k;
    }
  }
}

/**
 * The store's version as this connection sees it (`PRAGMA data_version`): it changes when
 * another connection (the listener, another process) commits, never with this one's own writes.
 */
function storeVersion(db: Db): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/** A row of loadPostsForPapers, in its SELECT order. */
type PostRow = [
  source: SourceId,
  id: string,
  authorId: string | null,
  authorHandle: string | null,
  authorName: string | null,
  url: string,
  text: string,
  createdAt: string | null,
  links: string,
  paperIds: string,
  observedAt: string,
  reposts: number,
  likes: number,
  replies: number,
  quotes: number,
];

/**
 * A post a run saved (savePosts' `saved`): the Post as the store gives it back (asStored), the
 * papers that save linked it to (the store may hold more links of it), the instant of its
 * snapshot. A MatchedPost as loadPostsForPapers returns it: when the store holds nothing more of
 * it, that very object is returned (nothing changes a loaded post).
 */
export interface SavedPost extends MatchedPost {
  observedAt: string;
}

/**
 * What a run's savePosts wrote: per source and id the last write (no `source:id` key string per
 * post), and per observation instant the store versions (storeVersion) its saves were made at.
 */
export class SavedPosts {
  // Per source, its one save's posts as savePosts gave them (each id once, in key order), with
  // no map to build for a day's 50,000; once a source is saved again, a map by id.
  readonly #bySource = new Map<string, SavedPost[] | Map<string, SavedPost>>();
  readonly #versions = new Map<string, Set<number>>();

  /** Record one save's posts of `source`, each id once (a later save of one replaces it, in its place). */
  setAll(source: string, entries: SavedPost[]): void {
    if (entries.length === 0) return;
    if (!this.#bySource.has(source)) this.#bySource.set(source, entries);
    else {
      const byId = this.#byId(source);
      for (const entry of entries) byId.set(entry.post.id, entry);
    }
  }

  /** The posts of `source` by id, made a map now if they were one save's list. */
  #byId(source: string): Map<string, SavedPost> {
    const held = this.#bySource.get(source);
    if (held instanceof Map) return held;
    const byId = new Map<string, SavedPost>();
    if (held) for (const entry of held) byId.set(entry.post.id, entry);
    this.#bySource.set(source, byId);
    return byId;
  }

  /** A save at `observedAt` was made with the store at `version` (just before it wrote). */
  noteVersion(observedAt: string, version: number): void {
    const versions = this.#versions.get(observedAt);
    if (versions) versions.add(version);
    else this.#versions.set(observedAt, new Set([version]));
  }

  /** The store versions the saves at `observedAt` were made at (none: no save at that instant). */
  versionsAt(observedAt: string): ReadonlySet<number> | undefined {
    return this.#versions.get(observedAt);
  }

  /** Every post recorded, source by source (in the order each was first saved), then by id likewise. */
  *values(): IterableIterator<SavedPost> {
    for (const held of this.#bySource.values()) yield* held.values();
  }

  /** values(), a source's posts at a time (no generator step per post: a day holds 50,000). */
  bySource(): IterableIterator<[source: string, posts: Pick<SavedPost[], 'values'>]> {
    return this.#bySource.entries();
  }

  /** How many posts are recorded. */
  get size(): number {
    let n = 0;
    for (const held of this.#bySource.values()) n += held instanceof Map ? held.size : held.length;
    return n;
  }
}

// The day's linked posts (ids materialised: IN (SELECT …) builds a temporary index, and they
// drive the joins, so the work is bounded by the day's own links, not by the store's history),
// each with the instant of the snapshot its counts come from.
const LINKED_LATEST = `
      WITH linked AS MATERIALIZED (
             SELECT pp.source, pp.post_id, group_concat(pp.paper_id, ' ') AS paper_ids
             FROM post_papers pp INDEXED BY post_papers_paper
             WHERE pp.paper_id IN (SELECT value FROM json_each(@ids))
               AND pp.source IN (SELECT value FROM json_each(@sources))
               -- A post deleted by then no longer counts.
               AND NOT EXISTS (SELECT 1 FROM post_deletions d
                               WHERE d.source = pp.source AND d.post_id = pp.post_id AND d.deleted_at <= @asOf)
             GROUP BY pp.source, pp.post_id
           ),
           latest AS MATERIALIZED (
             SELECT l.source, l.post_id, l.paper_ids,
                    coalesce(
                      (SELECT max(s.observed_at) FROM snapshots s
                       WHERE s.source = l.source AND s.post_id = l.post_id AND s.observed_at <= @asOf),
                      CASE WHEN @fallback = 1 THEN
                        (SELECT min(s.observed_at) FROM snapshots s WHERE s.source = l.source AND s.post_id = l.post_id)
                      END) AS observed_at
             FROM linked l
           )`;

/**
 * Every stored post of `sources` linked to one of `paperIds` and not deleted by `asOf`, with
 * its latest counts observed at or before `asOf`. A post with no snapshot by then is left out, or, with `fallbackAfter`,
 * takes its earliest later snapshot (a horizon run that started after its horizon).
 * With `saved` (what this run's savePosts wrote), and no other connection's write since, a post
 * whose chosen snapshot is the one this run wrote is taken from there instead of read back: the
 * same fields, as the store gives them.
 */
export function loadPostsForPapers(
  db: Db,
  paperIds: readonly string[],
  asOf: string,
  sources: readonly SourceId[],
  options: { fallbackAfter?: boolean; saved?: SavedPosts } = {},
): MatchedPost[] {
  if (paperIds.length === 0 || sources.length === 0) return [];
  const params = {
    ids: JSON.stringify(paperIds),
    sources: JSON.stringify(sources),
    asOf,
    fallback: options.fallbackAfter ? 1 : 0,
  };
  if (options.saved && untouchedSince(db, options.saved, asOf))
    return loadWithSaved(db, paperIds, sources, params, options.saved);
  const rows = db
    .prepare(`${LINKED_LATEST}
      SELECT p.source, ${postIdTextSql('p.id')}, p.author_id, p.author_handle, p.author_name, p.url, p.text,
             p.created_at, p.links, t.paper_ids, s.observed_at, s.reposts, s.likes, s.replies, s.quotes
      FROM latest t
      CROSS JOIN snapshots s ON s.source = t.source AND s.post_id = t.post_id AND s.observed_at = t.observed_at
      CROSS JOIN posts p ON p.source = t.source AND p.id = t.post_id
      WHERE t.observed_at IS NOT NULL
      ORDER BY p.source, ${postIdTextSql('p.id')}`)
    // Arrays, not objects: a day of 50,000 posts builds its rows a third faster; iterated, so
    // the rows and the posts made of them are not both held at once.
    .raw()
    .iterate(params) as IterableIterator<PostRow>;
  const out: MatchedPost[] = [];
  for (const row of rows)
    out.push({
      post: rowToPost(row),
      // arXiv ids hold no space: the group_concat separator.
      paperIds: row[9].split(' ').sort(),
      observedAt: row[10],
    });
  return out;
}

/**
 * Whether no other connection has written to the store since the run saved its posts of `asOf`:
 * then the store holds every link and count the run saved, as loadWithSaved assumes. Another
 * writer (the listener, say) may have removed a link of one of them meanwhile, which a paper's
 * link count cannot tell from a link it added: the posts are then read back, all of them.
 */
function untouchedSince(db: Db, saved: SavedPosts, asOf: string): boolean {
  const now = storeVersion(db);
  // Every save made at `asOf`, even one a later save at another instant overwrote: the store
  // holds its links all the same.
  for (const version of saved.versionsAt(asOf) ?? []) if (version !== now) return false;
  return true;
}

/**
 * loadPostsForPapers given what the run saved: the store is asked only for what the run does not
 * hold. Per paper, the store's link count (read from the index alone) is compared with the links
 * of the posts the run saved at `asOf`; as the store holds every link the run saved, equal counts
 * mean the same posts, so only the papers whose counts differ ("dirty": an earlier run's post,
 * another source, a deleted post, a snapshot of another instant) have their posts read.
 */
function loadWithSaved(
  db: Db,
  paperIds: readonly string[],
  sources: readonly SourceId[],
  params: Record<string, string | number>,
  saved: SavedPosts,
): MatchedPost[] {
  const asOf = params.asOf as string;
  const stored = db
    .prepare(`
      SELECT pp.paper_id, count(*) FROM post_papers pp INDEXED BY post_papers_paper
      WHERE pp.paper_id IN (SELECT value FROM json_each(?))
      GROUP BY pp.paper_id`)
    .raw()
    .all(params.ids) as Array<[string, number]>;
  // Driven by the deletions (few), with the day's ids a filter (+): not one probe per id each.
  const deleted = new Set(
    (
      db
        .prepare(`
          SELECT DISTINCT d.source || ':' || d.post_id FROM post_deletions d
          CROSS JOIN post_papers pp ON pp.source = d.source AND pp.post_id = d.post_id
          WHERE d.deleted_at <= ? AND +pp.paper_id IN (SELECT value FROM json_each(?))`)
        .pluck()
        .all(asOf, params.ids) as string[]
    ).values(),
  );
  const wanted = new Set(paperIds);
  const enabled = new Set(sources);
  // Per paper, the store's links not (yet) accounted for by the run's posts at `asOf`: each of
  // the run's links takes one off (one map operation a link), so a paper left at 0 holds exactly
  // the run's posts.
  const left = new Map<string, number>();
  for (const [id, n] of stored) left.set(id, n);
  // A paper the run linked that the store does not (no other writer can have removed the link,
  // see untouchedSince; read it all the same rather than trust a count that went below zero).
  const unstored = new Set<string>();
  const mine: SavedPost[] = [];
  for (const [source, posts] of saved.bySource()) {
    if (!enabled.has(source as SourceId)) continue;
    for (const s of posts.values()) {
      const p = s.post;
      if (s.observedAt !== asOf) continue;
      if (deleted.size > 0 && deleted.has(`${p.source}:${p.id}`)) continue;
      let linked = false;
      const ids = s.paperIds;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        // (A repeated id is one link.)
        if (i > 0 && ids.lastIndexOf(id, i - 1) >= 0) continue;
        const n = left.get(id);
        if (n !== undefined) left.set(id, n - 1);
        else if (wanted.has(id)) unstored.add(id);
        else continue;
        linked = true;
      }
      if (linked) mine.push(s);
    }
  }
  const dirty: string[] = [];
  for (const [id, n] of left) if (n !== 0) dirty.push(id);
  for (const id of unstored) dirty.push(id);

  // The posts of the dirty papers: the run's get their links there added, the others are read.
  const extra = new Map<string, string[]>();
  const missing: Array<[SourceId, string, string]> = [];
  const missingIds: string[][] = [];
  if (dirty.length > 0) {
    const mineKeys = new Set(mine.map((s) => `${s.post.source}:${s.post.id}`));
    const keys = db
      .prepare(`${LINKED_LATEST}
        SELECT source, ${postIdTextSql('post_id')}, paper_ids, observed_at FROM latest
        WHERE observed_at IS NOT NULL`)
      .raw()
      .all({ ...params, ids: JSON.stringify(dirty) }) as Array<[SourceId, string, string, string]>;
    for (const [source, id, ids, observedAt] of keys) {
      const key = `${source}:${id}`;
      // One of the run's (its snapshot at asOf is necessarily the latest by asOf).
      if (observedAt === asOf && mineKeys.has(key)) extra.set(key, ids.split(' '));
      // Not the run's: its links all go to dirty papers (a clean paper's are all the run's).
      else {
        missing.push([source, id, observedAt]);
        missingIds.push(ids.split(' '));
      }
    }
  }
  const out: MatchedPost[] = [];
  for (const s of mine) {
    const more = extra.size > 0 ? extra.get(`${s.post.source}:${s.post.id}`) : undefined;
    // Most posts link one paper of the day: the saved entry is the loaded post as it is (its
    // post as stored, its array shared: nothing changes a loaded post).
    if (!more && s.paperIds.length === 1) {
      out.push(s);
      continue;
    }
    const ids = s.paperIds.filter((id, i) => wanted.has(id) && s.paperIds.indexOf(id) === i);
    if (more) for (const id of more) if (!ids.includes(id)) ids.push(id);
    ids.sort();
    out.push({ post: s.post, paperIds: ids, observedAt: asOf });
  }
  if (missing.length > 0) {
    // json_each drives the join (CROSS JOIN fixes the order): primary-key lookups per post.
    const rows = db
      .prepare(`
        SELECT p.source, ${postIdTextSql('p.id')}, p.author_id, p.author_handle, p.author_name, p.url, p.text,
               p.created_at, p.links, NULL, s.observed_at, s.reposts, s.likes, s.replies, s.quotes
        FROM json_each(?) AS j
        CROSS JOIN posts p ON p.source = j.value ->> 0 AND p.id = ${storedPostIdSql('j.value ->> 1')}
        CROSS JOIN snapshots s ON s.source = p.source AND s.post_id = p.id AND s.observed_at = j.value ->> 2
        ORDER BY j.key`)
      .raw()
      .all(JSON.stringify(missing)) as PostRow[];
    if (rows.length !== missing.length)
      throw new Error(`${missing.length - rows.length} linked post(s) vanished while the day was read`);
    rows.forEach((row, i) => {
      out.push({ post: rowToPost(row), paperIds: missingIds[i]!.sort(), observedAt: row[10] });
    });
  }
  return inStoreOrder(out);
}

/** Posts in the store's order: by source, then id, as SQLite compares text (UTF-8 bytes). */
function inStoreOrder(posts: MatchedPost[]): MatchedPost[] {
  const bySource = new Map<string, MatchedPost[]>();
  // Posts come in runs of one source: its list is kept at hand.
  let source = '';
  let list: MatchedPost[] | undefined;
  for (const m of posts) {
    if (m.post.source !== source || list === undefined) {
      source = m.post.source;
      list = bySource.get(source);
      if (list === undefined) {
        list = [];
        bySource.set(source, list);
      }
    }
    list.push(m);
  }
  const out: MatchedPost[] = [];
  for (const source of [...bySource.keys()].sort(compareUtf8)) {
    const list = bySource.get(source)!;
    // UTF-16 order is code-point order unless a surrogate meets a unit of U+E000–U+FFFF.
    let plain = true;
    for (let i = 0; i < list.length && plain; i++) plain = !WIDE_UNIT.test(list[i]!.post.id);
    // A run's own posts come in key order, mostly that order already: then checked, not sorted.
    let sorted = plain;
    for (let i = 1; i < list.length && sorted; i++) sorted = list[i - 1]!.post.id < list[i]!.post.id;
    if (!sorted)
      list.sort(
        plain
          ? (a, b) => (a.post.id < b.post.id ? -1 : a.post.id > b.post.id ? 1 : 0)
          : (a, b) => compareUtf8(a.post.id, b.post.id),
      );
    for (const m of list) out.push(m);
  }
  return out;
}

/** A UTF-16 unit of U+D800 or above (a regex: faster than a loop of charCodeAt over 50,000 ids). */
const WIDE_UNIT = /[\ud800-\uffff]/;

/** Compare as SQLite's BINARY collation does (UTF-8 bytes, i.e. code points), not by UTF-16 units. */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 unit's place in code-point order: surrogates (code points above U+FFFF) after U+E000–U+FFFF. */
function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/** A post as savePosts stores it and rowToPost gives it back (no payload, absent fields undefined). */
function asStored(p: Post): Post {
  return {
    source: p.source,
    id: p.id,
    authorId: p.authorId ?? undefined,
    authorHandle: p.authorHandle ?? undefined,
    authorName: p.authorName ?? undefined,
    url: p.url,
    text: p.text,
    createdAt: p.createdAt ?? undefined,
    // Shared, not copied: nothing downstream changes a post's links or counts.
    links: p.links,
    metrics: p.metrics,
  };
}

function rowToPost(row: PostRow): Post {
  const metrics: Metrics = { reposts: row[11], likes: row[12], replies: row[13], quotes: row[14] };
  return {
    source: row[0],
    id: row[1],
    authorId: row[2] ?? undefined,
    authorHandle: row[3] ?? undefined,
    authorName: row[4] ?? undefined,
    url: row[5],
    text: row[6],
    createdAt: row[7] ?? undefined,
    links: unpackLinks(row[8]),
    metrics,
  };
}

/** A cached embed: sanitised html, or `unavailable` for a post that cannot be embedded. */
export interface StoredEmbed {
  html: string | null;
  status: 'ok' | 'unavailable';
  fetchedAt: string;
}

/** The cached embed of a post, if any. */
export function getEmbed(db: Db, source: SourceId, postId: string): StoredEmbed | undefined {
  const row = db
    .prepare('SELECT html, status, fetched_at FROM embeds WHERE source = ? AND post_id = ?')
    .get(source, storedPostId(postId)) as
    | { html: string | Buffer | null; status: 'ok' | 'unavailable'; fetched_at: string }
    | undefined;
  return row ? { html: unpackText(row.html), status: row.status, fetchedAt: row.fetched_at } : undefined;
}

/** Cache a post's sanitised embed html, packed (null: the provider says it cannot be embedded). */
export function putEmbed(
  db: Db,
  source: SourceId,
  postId: string,
  html: string | null,
  fetchedAt: string,
): void {
  db.prepare(`
    INSERT INTO embeds (source, post_id, html, status, fetched_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (source, post_id) DO UPDATE SET html = excluded.html, status = excluded.status, fetched_at = excluded.fetched_at`).run(
    source,
    storedPostId(postId),
    html === null ? null : packText(html, 'embed'),
    html === null ? 'unavailable' : 'ok',
    fetchedAt,
  );
  notePaperChanges(db, linkedPapers(db, source, postId));
}

/** The ids of the papers a stored post links. */
export function linkedPapers(db: Db, source: SourceId, postId: string): string[] {
  return db
    .prepare('SELECT paper_id FROM post_papers WHERE source = ? AND post_id = ?')
    .pluck()
    .all(source, storedPostId(postId)) as string[];
}
