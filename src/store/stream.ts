/**
 * The listener's side of the store: its resume cursor, the posts it hears of being deleted,
 * and the stored posts of a day that `post` re-reads. Cursor and posts are written in the same
 * transaction by the caller, so a saved cursor never runs ahead of what is stored.
 */
import type { Post, SourceId } from '../types.js';
import type { Db } from './db.js';
import { postIdTextSql, storedPostId, usualPostUrlSql } from './derived.js';
import { packTime } from './packed.js';
import { keptRaw, linkedPapers, notePaperChanges, packLinks, putEmbed } from './posts.js';

/** The stream name of Bluesky's Jetstream in `stream_cursors`. */
export const JETSTREAM = 'jetstream';

/** The saved cursor (unix microseconds) of `stream`, if any. */
export function getStreamCursor(db: Db, stream: string): number | undefined {
  const row = db.prepare('SELECT time_us FROM stream_cursors WHERE stream = ?').get(stream) as
    | { time_us: number | bigint }
    | undefined;
  return row === undefined ? undefined : Number(row.time_us);
}

/** Save `stream`'s cursor; it never moves back (a replay with overlap re-reads older events). */
export function saveStreamCursor(db: Db, stream: string, timeUs: number, updatedAt: string): void {
  db.prepare(`
    INSERT INTO stream_cursors (stream, time_us, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (stream) DO UPDATE SET
      time_us = max(stream_cursors.time_us, excluded.time_us), updated_at = excluded.updated_at`).run(
    stream,
    timeUs,
    updatedAt,
  );
}

/** True when a listener has ever saved a cursor in this store. */
export function hasStreamCursor(db: Db, stream: string): boolean {
  return getStreamCursor(db, stream) !== undefined;
}

/**
 * Record that stored posts were deleted (or are no longer served) at `deletedAt`. Ids of posts
 * not in the store are ignored; the first recorded deletion is kept. The cached embed becomes
 * `unavailable`, so pages that showed the post say it has since been deleted. Returns how many
 * stored posts were marked.
 */
export function recordDeletions(
  db: Db,
  source: SourceId,
  postIds: readonly string[],
  deletedAt: string,
  how: 'stream' | 'refresh',
): number {
  const known = db.prepare('SELECT 1 FROM posts WHERE source = ? AND id = ?');
  const mark = db.prepare(`
    INSERT INTO post_deletions (source, post_id, deleted_at, how) VALUES (?, ?, ?, ?)
    ON CONFLICT (source, post_id) DO UPDATE SET
      deleted_at = min(post_deletions.deleted_at, excluded.deleted_at)`);
  let marked = 0;
  db.transaction(() => {
    for (const id of postIds) {
      if (!known.get(source, storedPostId(id))) continue;
      mark.run(source, storedPostId(id), deletedAt, how);
      putEmbed(db, source, id, null, deletedAt);
      marked++;
    }
  })();
  return marked;
}

/** When a stored post was recorded deleted, if it was. */
export function deletedAt(db: Db, source: SourceId, postId: string): string | undefined {
  const row = db
    .prepare('SELECT deleted_at FROM post_deletions WHERE source = ? AND post_id = ?')
    .get(source, storedPostId(postId)) as { deleted_at: string } | undefined;
  return row?.deleted_at;
}

/** Ids of the stored posts of `source` that link one of `paperIds` and are not deleted by `asOf`. */
export function storedPostIds(db: Db, source: SourceId, paperIds: readonly string[], asOf: string): string[] {
  if (paperIds.length === 0) return [];
  const rows = db
    .prepare(`
      SELECT DISTINCT ${postIdTextSql('pp.post_id')} AS id
      FROM post_papers pp INDEXED BY post_papers_paper
      WHERE pp.paper_id IN (SELECT value FROM json_each(@ids)) AND pp.source = @source
        AND NOT EXISTS (SELECT 1 FROM post_deletions d
                        WHERE d.source = pp.source AND d.post_id = pp.post_id AND d.deleted_at <= @asOf)
      ORDER BY 1`)
    .all({ ids: JSON.stringify(paperIds), source, asOf }) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/**
 * Store a post heard on the stream with the ids it links (listed papers or not yet: `post`
 * finds it through post_papers once the day's listing has the paper) and zero counts at
 * `observedAt`. Idempotent: a replayed event changes nothing, and what a count refresh learned
 * (handle, counts) is never overwritten. An update (`replaceLinks`) also drops ids it no longer links.
 */
export function saveStreamPost(
  db: Db,
  post: Post,
  paperIds: readonly string[],
  observedAt: string,
  replaceLinks = false,
): void {
  db.prepare(`
    INSERT INTO post_rows (source, id, author_id, author_handle, author_name, own_url, text, created, links, raw)
    SELECT s, i, a, NULL, NULL, nullif(u, ${usualPostUrlSql('s', 'i', 'NULL')}), t, c, l, r
    FROM (SELECT @source AS s, @id AS i, @authorId AS a, @url AS u, @text AS t, @created AS c, @links AS l,
                 @raw AS r) WHERE true
    ON CONFLICT (source, id) DO UPDATE SET
      text = excluded.text, links = excluded.links,
      first_seen = CASE WHEN post_rows.first_seen IS NOT NULL THEN min(post_rows.first_seen, @seen) END,
      last_seen = CASE WHEN post_rows.last_seen IS NOT NULL THEN max(post_rows.last_seen, @seen) END`).run({
    source: post.source,
    id: storedPostId(post.id),
    authorId: post.authorId ?? null,
    url: post.url,
    text: post.text,
    created: post.createdAt === undefined ? null : packTime(post.createdAt),
    links: packLinks(post.links),
    raw: keptRaw(post),
    seen: observedAt,
  });
  if (replaceLinks) unlinkPost(db, post.source, post.id, paperIds);
  const link = db.prepare('INSERT OR IGNORE INTO post_papers (source, post_id, paper_id) VALUES (?, ?, ?)');
  const id = storedPostId(post.id);
  for (const paperId of paperIds) link.run(post.source, id, paperId);
  db.prepare(`
    INSERT OR IGNORE INTO snapshot_rows (source, post_id, observed, reposts, likes, replies, quotes)
    VALUES (?, ?, ?, 0, 0, 0, 0)`).run(post.source, id, packTime(observedAt));
  notePaperChanges(db, paperIds);
}

/** Drop a stored post's links to papers other than `keep` (an edit removed them). */
export function unlinkPost(db: Db, source: SourceId, postId: string, keep: readonly string[] = []): void {
  notePaperChanges(
    db,
    linkedPapers(db, source, postId).filter((id) => !keep.includes(id)),
  );
  db.prepare(`
    DELETE FROM post_papers WHERE source = ? AND post_id = ?
      AND paper_id NOT IN (SELECT value FROM json_each(?))`).run(
    source,
    storedPostId(postId),
    JSON.stringify(keep),
  );
}
