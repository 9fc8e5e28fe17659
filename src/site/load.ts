/**
 * Store → site model. The only module of the site with SQL: it reads the digests (one row per
 * day), the posts linking their ranked papers, those posts' snapshots and their cached embeds.
 */
import { StoreError } from '../errors.js';
import type { Db } from '../store/db.js';
import { listDigestRows, readDigest } from '../store/digests.js';
import type { DayDigest, SourceId } from '../types.js';
import {
  type EmbedRecord,
  engagementHistory,
  type PaperExtras,
  postKey,
  type SiteDay,
  type SiteModel,
  type SnapshotRow,
} from './model.js';

export interface LoadOptions {
  /** Preferred categories key (e.g. `cs,stat.ML`); days stored only under another key still show. */
  categories?: string;
  /** Preferred horizon (`24h`, `72h`); days without it show their '' row. */
  horizon?: string;
  /** Read the embeds' HTML too (live embeds); otherwise only whether each post still exists. */
  embedHtml?: boolean;
}

export interface LoadResult {
  model: SiteModel;
  /** One line per digest row that could not be read (left out of the site). */
  warnings: string[];
}

interface DigestRow {
  day: string;
  categories: string;
  horizon: string;
}

/** Read the site model from the store. */
export function loadSiteModel(db: Db, options: LoadOptions = {}): LoadResult {
  try {
    return load(db, options);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('site', `cannot read the store (${(error as Error).message})`, { cause: error });
  }
}

function load(db: Db, options: LoadOptions): LoadResult {
  const warnings: string[] = [];
  const rows: DigestRow[] = listDigestRows(db);
  const rank = (r: DigestRow) =>
    (r.categories === options.categories ? 0 : 10) +
    (r.horizon === (options.horizon ?? '') ? 0 : r.horizon === '' ? 1 : 2);
  rows.sort((a, b) =>
    a.day < b.day ? 1 : a.day > b.day ? -1 : rank(a) - rank(b) || (a.categories < b.categories ? -1 : 1),
  );

  // One digest at a time, rehydrated by the store: a day takes its first readable row.
  const days: SiteDay[] = [];
  for (const row of rows) {
    if (days.length > 0 && days[days.length - 1]!.day === row.day) continue;
    let digest: DayDigest;
    try {
      const read = readDigest(db, row.day, row.categories, row.horizon);
      if (!read) throw new Error('no row');
      digest = read;
      if (!digest || !Array.isArray(digest.papers)) throw new Error('no papers array');
    } catch (error) {
      warnings.push(
        `site: digest of ${row.day} (${row.categories}${row.horizon ? `, ${row.horizon}` : ''}) is not readable (${(error as Error).message}); left out`,
      );
      continue;
    }
    shareShownPosts(digest);
    days.push({
      day: row.day,
      categoriesKey: row.categories,
      horizon: row.horizon,
      digest: { ...digest, health: digest.health ?? [] },
    });
  }

  // Posts each paper's digests already list (with their text): the store adds only the others.
  const listed = new Map<string, Set<string>>();
  for (const d of days) {
    for (const r of d.digest.papers) {
      const keys = listed.get(r.paper.id) ?? new Set<string>();
      for (const p of r.posts ?? []) keys.add(postKey(p));
      listed.set(r.paper.id, keys);
    }
  }
  const idsJson = JSON.stringify([...listed.keys()]);

  const links = db
    .prepare(`
      WITH ids(id) AS (SELECT value FROM json_each(?))
      SELECT pp.paper_id, pp.source, pp.post_id FROM post_papers pp JOIN ids ON ids.id = pp.paper_id`)
    .all(idsJson) as Array<{ paper_id: string; source: SourceId; post_id: string }>;

  const snapRows = db
    .prepare(`
      WITH ids(id) AS (SELECT value FROM json_each(?)),
           linked AS (SELECT DISTINCT pp.source, pp.post_id FROM post_papers pp JOIN ids ON ids.id = pp.paper_id)
      SELECT s.source, s.post_id, s.observed_at, s.reposts, s.likes, s.replies, s.quotes
      FROM snapshots s JOIN linked l ON l.source = s.source AND l.post_id = s.post_id`)
    .all(idsJson) as Array<{
    source: string;
    post_id: string;
    observed_at: string;
    reposts: number;
    likes: number;
    replies: number;
    quotes: number;
  }>;

  const snapshotsByPost = new Map<string, SnapshotRow[]>();
  for (const s of snapRows) {
    const key = postKey({ source: s.source, id: s.post_id });
    const row: SnapshotRow = {
      post: key,
      observedAt: s.observed_at,
      reposts: s.reposts,
      likes: s.likes,
      replies: s.replies,
      quotes: s.quotes,
    };
    const list = snapshotsByPost.get(key);
    if (list) list.push(row);
    else snapshotsByPost.set(key, [row]);
  }

  // Every paper's history from all its stored posts; the text only of posts its digests lack.
  const papers = new Map<string, PaperExtras>();
  const paperSnapshots = new Map<string, SnapshotRow[]>();
  const unlisted: Array<{ paper: string; source: SourceId; id: string }> = [];
  for (const l of links) {
    const key = postKey({ source: l.source, id: l.post_id });
    const all = paperSnapshots.get(l.paper_id) ?? [];
    for (const s of snapshotsByPost.get(key) ?? []) all.push(s);
    paperSnapshots.set(l.paper_id, all);
    if (!papers.has(l.paper_id)) papers.set(l.paper_id, { posts: [], history: [] });
    if (!listed.get(l.paper_id)?.has(key))
      unlisted.push({ paper: l.paper_id, source: l.source, id: l.post_id });
  }
  const postRows =
    unlisted.length === 0
      ? []
      : (db
          .prepare(`
            WITH wanted(source, id) AS (
              SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
            SELECT p.source, p.id, p.url, p.author_handle, p.author_name, p.text, p.created_at
            FROM wanted w JOIN posts p ON p.source = w.source AND p.id = w.id`)
          .all(JSON.stringify(unlisted.map((u) => [u.source, u.id]))) as Array<{
          source: SourceId;
          id: string;
          url: string;
          author_handle: string | null;
          author_name: string | null;
          text: string;
          created_at: string | null;
        }>);
  const byKey = new Map(postRows.map((r) => [postKey(r), r]));
  for (const u of unlisted) {
    const key = postKey(u);
    const r = byKey.get(key);
    if (!r) continue;
    let latest: SnapshotRow | undefined;
    for (const s of snapshotsByPost.get(key) ?? [])
      if (!latest || s.observedAt > latest.observedAt) latest = s;
    papers.get(u.paper)!.posts.push({
      source: r.source,
      id: r.id,
      url: r.url,
      authorHandle: r.author_handle ?? undefined,
      authorName: r.author_name ?? undefined,
      text: r.text,
      createdAt: r.created_at ?? undefined,
      metrics: {
        reposts: latest?.reposts ?? 0,
        likes: latest?.likes ?? 0,
        replies: latest?.replies ?? 0,
        quotes: latest?.quotes ?? 0,
      },
    });
  }
  for (const [id, extras] of papers) {
    extras.history = engagementHistory(paperSnapshots.get(id) ?? []);
    extras.posts.sort(
      (a, b) =>
        b.metrics.reposts + b.metrics.likes - (a.metrics.reposts + a.metrics.likes) ||
        (postKey(a) < postKey(b) ? -1 : 1),
    );
  }

  // Embeds of every post a page may show: those the digests list and those linked in the store.
  const wanted = new Set<string>(snapshotsByPost.keys());
  for (const r of postRows) wanted.add(postKey(r));
  for (const keys of listed.values()) for (const k of keys) wanted.add(k);
  const embedRows = db
    .prepare(`SELECT source, post_id, status, ${options.embedHtml ? 'html' : 'NULL AS html'} FROM embeds`)
    .all() as Array<{ source: string; post_id: string; status: string; html: string | null }>;
  const embeds = new Map<string, EmbedRecord>();
  for (const e of embedRows) {
    const key = postKey({ source: e.source, id: e.post_id });
    if (!wanted.has(key)) continue;
    embeds.set(key, { status: e.status === 'unavailable' ? 'unavailable' : 'ok', html: e.html ?? undefined });
  }

  return { model: { days, papers, embeds }, warnings };
}

/** JSON repeats each shown post inside `posts`; point `shown` at those objects to halve the memory. */
function shareShownPosts(digest: DayDigest): void {
  for (const r of digest.papers) {
    if (!Array.isArray(r.posts) || !Array.isArray(r.shown)) continue;
    const byKey = new Map(r.posts.map((p) => [postKey(p), p]));
    r.shown = r.shown.map((p) => byKey.get(postKey(p)) ?? p);
  }
}
