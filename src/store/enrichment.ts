/** The paper_enrichment table: what Hugging Face's paper page says of a paper, cached per paper. */
import type { PaperEnrichment } from '../types.js';
import { type Db, statement } from './db.js';

interface EnrichmentRow {
  paper_id: string;
  status: 'ok' | 'unknown';
  github_repo: string | null;
  github_stars: number | null;
  project_page: string | null;
  ai_summary: string | null;
  ai_keywords: string | null;
  thumbnail: string | null;
  fetched_at: string;
}

/** Store (or replace) the enrichment of each paper, in one transaction. */
export function saveEnrichments(db: Db, items: readonly PaperEnrichment[]): void {
  const upsert = db.prepare(`
    INSERT INTO paper_enrichment (paper_id, status, github_repo, github_stars, project_page, ai_summary, ai_keywords, thumbnail, fetched_at)
    VALUES (@paperId, @status, @githubRepo, @githubStars, @projectPage, @aiSummary, @aiKeywords, @thumbnail, @fetchedAt)
    ON CONFLICT (paper_id) DO UPDATE SET
      status = excluded.status, github_repo = excluded.github_repo, github_stars = excluded.github_stars,
      project_page = excluded.project_page, ai_summary = excluded.ai_summary, ai_keywords = excluded.ai_keywords,
      thumbnail = excluded.thumbnail, fetched_at = excluded.fetched_at`);
  db.transaction(() => {
    for (const e of items) {
      upsert.run({
        paperId: e.paperId,
        status: e.status,
        githubRepo: e.githubRepo ?? null,
        githubStars: e.githubStars ?? null,
        projectPage: e.projectPage ?? null,
        aiSummary: e.aiSummary ?? null,
        aiKeywords: e.aiKeywords ? JSON.stringify(e.aiKeywords) : null,
        thumbnail: e.thumbnail ?? null,
        fetchedAt: e.fetchedAt,
      });
    }
  })();
}

/** The stored enrichment of each of `paperIds` that has one (one query, an indexed lookup per id). */
export function loadEnrichments(db: Db, paperIds: readonly string[]): Map<string, PaperEnrichment> {
  const out = new Map<string, PaperEnrichment>();
  if (paperIds.length === 0) return out;
  // One query: json_each drives the join (CROSS JOIN fixes the order), a key lookup per paper.
  const rows = statement(
    db,
    'SELECT e.* FROM json_each(?) AS j CROSS JOIN paper_enrichment e ON e.paper_id = j.value',
  ).all(JSON.stringify(paperIds)) as EnrichmentRow[];
  const byId = new Map(rows.map((row) => [row.paper_id, row]));
  // In the order asked for, as callers list them.
  for (const id of paperIds) {
    const row = byId.get(id);
    if (row && !out.has(id)) out.set(id, rowToEnrichment(row));
  }
  return out;
}

function rowToEnrichment(row: EnrichmentRow): PaperEnrichment {
  return {
    paperId: row.paper_id,
    status: row.status,
    githubRepo: row.github_repo ?? undefined,
    githubStars: row.github_stars ?? undefined,
    projectPage: row.project_page ?? undefined,
    aiSummary: row.ai_summary ?? undefined,
    aiKeywords: row.ai_keywords ? (JSON.parse(row.ai_keywords) as string[]) : undefined,
    thumbnail: row.thumbnail ?? undefined,
    fetchedAt: row.fetched_at,
  };
}

/** The newest enrichment change (0 when none): a mark to pass to enrichmentChangesSince later. */
export function enrichmentMark(db: Db): number {
  // AUTOINCREMENT's own high-water mark (a row per such table): it never goes back.
  return (
    (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'enrichment_changes'").pluck().get() as
      | number
      | undefined) ?? 0
  );
}

/**
 * Papers whose shown enrichment (TL;DR, keywords, code, stars, project page, thumbnail, status)
 * was stored or changed after `mark` (from enrichmentMark). Walks only the newer changes.
 */
export function enrichmentChangesSince(db: Db, mark: number): string[] {
  return db.prepare('SELECT paper_id FROM enrichment_changes WHERE seq > ?').pluck().all(mark) as string[];
}

/**
 * Log `paperIds` as changed (the site redoes their day and paper pages): a thumbnail of theirs
 * arrived, which their enrichment row does not show.
 */
export function markEnrichmentChanged(db: Db, paperIds: readonly string[]): void {
  const drop = db.prepare('DELETE FROM enrichment_changes WHERE paper_id = ?');
  const add = db.prepare('INSERT INTO enrichment_changes (paper_id) VALUES (?)');
  db.transaction(() => {
    for (const id of new Set(paperIds)) {
      drop.run(id);
      add.run(id);
    }
  })();
}
