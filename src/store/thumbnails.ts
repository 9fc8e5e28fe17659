/** The thumbnails table: what the thumbnail cache knows of each image URL (downloaded, or failing). */
import type { Db } from './db.js';

/** A cached image: its file in the thumbnail folder and what it is. */
export interface ThumbnailOk {
  url: string;
  status: 'ok';
  file: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  checkedAt: string;
}

/** A URL that failed: how often in a row, why, and when it may be asked again. */
export interface ThumbnailFailed {
  url: string;
  status: 'failed';
  failures: number;
  retryAt: string;
  error: string;
  checkedAt: string;
}

export type ThumbnailRecord = ThumbnailOk | ThumbnailFailed;

interface Row {
  url: string;
  status: string;
  file: string | null;
  content_type: string | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  failures: number;
  retry_at: string | null;
  error: string | null;
  checked_at: string;
}

/** The record of each of `urls` the table has (one indexed lookup each). */
export function loadThumbnails(db: Db, urls: Iterable<string>): Map<string, ThumbnailRecord> {
  const get = db.prepare('SELECT * FROM thumbnails WHERE url = ?');
  const out = new Map<string, ThumbnailRecord>();
  for (const url of new Set(urls)) {
    const row = get.get(url) as Row | undefined;
    if (row) out.set(url, fromRow(row));
  }
  return out;
}

/** The highest number the image log has given (thumbnail_changes; 0 before the first). */
export function thumbnailLogTop(db: Db): number {
  const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'thumbnail_changes'").pluck().get();
  return typeof row === 'number' ? row : 0;
}

/**
 * The cached images logged after `seq` (thumbnail_changes: downloaded, or their file changed),
 * each with its number in the log, in log order: bounded by what changed since, not by the
 * history (the site's resize step asks for those since its last run; 0 gives every one).
 */
export function cachedThumbnailsSince(db: Db, seq: number): Array<ThumbnailOk & { seq: number }> {
  const rows = db
    .prepare(`
      SELECT c.seq AS seq, t.* FROM thumbnail_changes c JOIN thumbnails t ON t.url = c.url
      WHERE c.seq > ? AND t.status = 'ok' ORDER BY c.seq`)
    .all(seq) as Array<Row & { seq: number }>;
  return rows.map((r) => ({ ...(fromRow(r) as ThumbnailOk), seq: r.seq }));
}

/** Store (or replace) records, in one transaction. */
export function saveThumbnails(db: Db, records: readonly ThumbnailRecord[]): void {
  const upsert = db.prepare(`
    INSERT INTO thumbnails (url, status, file, content_type, bytes, width, height, failures, retry_at, error, checked_at)
    VALUES (@url, @status, @file, @contentType, @bytes, @width, @height, @failures, @retryAt, @error, @checkedAt)
    ON CONFLICT (url) DO UPDATE SET
      status = excluded.status, file = excluded.file, content_type = excluded.content_type,
      bytes = excluded.bytes, width = excluded.width, height = excluded.height,
      failures = excluded.failures, retry_at = excluded.retry_at, error = excluded.error,
      checked_at = excluded.checked_at`);
  db.transaction(() => {
    for (const r of records) {
      const ok = r.status === 'ok';
      upsert.run({
        url: r.url,
        status: r.status,
        file: ok ? r.file : null,
        contentType: ok ? r.contentType : null,
        bytes: ok ? r.bytes : null,
        width: ok ? r.width : null,
        height: ok ? r.height : null,
        failures: ok ? 0 : r.failures,
        retryAt: ok ? null : r.retryAt,
        error: ok ? null : r.error,
        checkedAt: r.checkedAt,
      });
    }
  })();
}

function fromRow(r: Row): ThumbnailRecord {
  if (r.status === 'ok')
    return {
      url: r.url,
      status: 'ok',
      file: r.file ?? '',
      contentType: r.content_type ?? '',
      bytes: r.bytes ?? 0,
      width: r.width ?? 0,
      height: r.height ?? 0,
      checkedAt: r.checked_at,
    };
  return {
    url: r.url,
    status: 'failed',
    failures: r.failures,
    retryAt: r.retry_at ?? r.checked_at,
    error: r.error ?? '',
    checkedAt: r.checked_at,
  };
}
