/** The digests table: the ranked result of each written day, as JSON. */
import type { DayDigest } from '../types.js';
import type { Db } from './db.js';

export interface DigestMeta {
  categoriesKey: string;
  markdownSha256?: string;
  path?: string;
  writtenAt: string;
}

/** Store (or replace) the digest of a day for its category set and horizon. */
export function saveDigest(db: Db, digest: DayDigest, meta: DigestMeta): void {
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
    JSON.stringify(digest),
    meta.markdownSha256 ?? null,
    meta.path ?? null,
    meta.writtenAt,
  );
}

/** The stored digest of a day, if any. */
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
    ...(JSON.parse(row.digest) as DayDigest),
    path: row.path ?? undefined,
    markdownSha256: row.markdown_sha256 ?? undefined,
  };
}
