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

/** One stored digest row without its JSON: enough to choose a row per day and see that it changed. */
export interface DigestRow {
  day: string;
  categoriesKey: string;
  horizon: string;
  observedAt: string;
  writtenAt: string;
  markdownSha256?: string;
}

/** Every digest row's key and dates, read from an index (the digest JSON is not touched). */
export function listDigestRows(db: Db): DigestRow[] {
  const rows = db
    .prepare('SELECT day, categories, horizon, observed_at, written_at, markdown_sha256 FROM digests')
    .all() as Array<{
    day: string;
    categories: string;
    horizon: string;
    observed_at: string;
    written_at: string;
    markdown_sha256: string | null;
  }>;
  return rows.map((r) => ({
    day: r.day,
    categoriesKey: r.categories,
    horizon: r.horizon,
    observedAt: r.observed_at,
    writtenAt: r.written_at,
    markdownSha256: r.markdown_sha256 ?? undefined,
  }));
}
