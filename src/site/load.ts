/**
 * Store → site, a day at a time. The only module of the site with SQL: it lists the digest rows
 * (through src/store/digests.ts), reads one day's digest, the posts linking its papers, their
 * snapshots and cached embeds, and tells what the store gained since an earlier build. Every
 * query is bounded by one day's data or by the rows added since that build.
 */

import { StoreError } from '../errors.js';
import { type Db, statement } from '../store/db.js';
import { isoTime, postIdTextSql, storedJson, storedPostId } from '../store/derived.js';
import { listDigestFingerprints, listDigestMonths, readDigest } from '../store/digests.js';
import { enrichmentChangesSince, enrichmentMark, loadEnrichments } from '../store/enrichment.js';
import { unpackText } from '../store/packed.js';
import type { DayDigest, PaperEnrichment, SourceId } from '../types.js';
import {
  type EmbedRecord,
  type EngagementPoint,
  engagementHistory,
  type PaperExtras,
  postKey,
  type SiteDay,
  type SiteModel,
  type SnapshotRow,
} from './model.js';
import type { DayList, DayRef, DaySlice, SiteSource, StoreChanges, StoreMarks } from './source.js';
import { loadDayThumbs } from './thumbs.js';

export interface LoadOptions {
  /** Preferred categories key (e.g. `cs,stat.ML`); days stored only under another key still show. */
  categories?: string;
  /** Preferred horizon (`24h`, `72h`); days without it show their '' row. */
  horizon?: string;
  /** Read the embeds' HTML too (live embeds); otherwise only whether each post still exists. */
  embedHtml?: boolean;
  /** The store's thumbnail folder: papers with a resized thumbnail there show it. */
  thumbDir?: string;
}

/**
 * The change logs whose new rows can change a paper's page, and how a row finds its papers:
 * paper_changes (kept by the store's writers of posts, links, snapshots and embeds).
 */
const MARKED: ReadonlyArray<{ table: string; papers: string }> = [
  { table: 'paper_changes', papers: 'SELECT paper_id FROM paper_changes WHERE seq > ?' },
];

/** The store as the site engine's source. */
export function storeSource(db: Db, options: LoadOptions = {}): SiteSource {
  return {
    days: (known) => guard(() => listDays(db, options, known)),
    loadDay: (ref) => guard(() => loadDay(db, ref, options)),
    changes: (marks) => guard(() => changesSince(db, marks)),
    histories: (ids) => guard(() => histories(db, ids)),
  };
}

/**
 * The engagement history of each of `ids` that has snapshots: every snapshot of every post
 * linking it, summed per instant. One indexed query, bounded by the ids' own links (the rising
 * page asks for the papers of the recent days only).
 */
export function histories(db: Db, ids: readonly string[]): Map<string, EngagementPoint[]> {
  const rows = db
    .prepare(`
      SELECT pp.paper_id, s.source, ${postIdTextSql('s.post_id')}, s.observed_at, s.reposts, s.likes, s.replies,
             s.quotes
      FROM post_papers pp INDEXED BY post_papers_paper
      JOIN snapshots s ON s.source = pp.source AND s.post_id = pp.post_id
      WHERE pp.paper_id IN (SELECT value FROM json_each(?))`)
    .raw()
    .all(JSON.stringify(ids)) as Array<[string, string, string, string, number, number, number, number]>;
  const byPaper = new Map<string, SnapshotRow[]>();
  for (const [paper, source, postId, observedAt, reposts, likes, replies, quotes] of rows) {
    const row: SnapshotRow = {
      post: postKey({ source, id: postId }),
      observedAt,
      reposts,
      likes,
      replies,
      quotes,
    };
    const list = byPaper.get(paper);
    if (list) list.push(row);
    else byPaper.set(paper, [row]);
  }
  const out = new Map<string, EngagementPoint[]>();
  for (const [id, list] of byPaper) out.set(id, engagementHistory(list));
  return out;
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError('site', `cannot read the store (${(error as Error).message})`, { cause: error });
  }
}

/**
 * The oldest month whose token is not the one `known` (or that only one of them has): '~',
 * after every day, when there is none.
 */
function oldestChanged(tokens: ReadonlyMap<string, string>, known: ReadonlyMap<string, string>): string {
  let since = '~';
  for (const [month, token] of tokens) if (known.get(month) !== token && month < since) since = month;
  for (const month of known.keys()) if (!tokens.has(month) && month < since) since = month;
  return since;
}

/**
 * A row per day: the preferred categories key first, then the preferred horizon, then ''. With
 * `known`, the days of the months from the oldest whose token differs on (DayList.since).
 */
function listDays(db: Db, options: LoadOptions, known?: ReadonlyMap<string, string>): DayList {
  // The tokens before the rows: a row written in between leaves its month a token newer than the
  // rows read, so the next build reads that month again (never a token older than its rows).
  // Which row of a day is taken depends on the preferences: they are part of every token.
  const preferred = `|${options.categories ?? ''}|${options.horizon ?? ''}`;
  const tokens = new Map<string, string>();
  for (const [month, token] of listDigestMonths(db)) tokens.set(month, token + preferred);
  const since = known ? oldestChanged(tokens, known) : undefined;
  const rank = (categories: string, horizon: string) =>
    (categories === options.categories ? 0 : 10) +
    (horizon === (options.horizon ?? '') ? 0 : horizon === '' ? 1 : 2);
  // Rows come newest day first, each day's by categories and horizon from the last: the
  // best-ranked row of each day is taken, the first by categories among equals, in one pass.
  const refs: DayRef[] = [];
  let best = 0;
  for (const [day, categoriesKey, horizon, fingerprint] of listDigestFingerprints(db, since)) {
    const last = refs[refs.length - 1];
    const r = rank(categoriesKey, horizon);
    if (last?.day === day) {
      if (r > best) continue;
      refs.pop();
    }
    best = r;
    refs.push({ day, categoriesKey, horizon, fingerprint });
  }
  return since === undefined ? { refs, warnings: [], tokens } : { refs, warnings: [], tokens, since };
}

function loadDay(db: Db, ref: DayRef, options: LoadOptions): DaySlice | string {
  let digest: DayDigest | undefined;
  try {
    // The store rehydrates the digest (format 2 refers to posts and papers by key).
    digest = readDigest(db, ref.day, ref.categoriesKey, ref.horizon);
    if (!digest) throw new Error('the row is gone');
    if (!Array.isArray(digest.papers)) throw new Error('no papers array');
  } catch (error) {
    return `site: digest of ${ref.day} (${ref.categoriesKey}${ref.horizon ? `, ${ref.horizon}` : ''}) is not readable (${(error as Error).message}); left out`;
  }
  const plain = digest;
  shareShownPosts(plain);
  const day = {
    day: ref.day,
    categoriesKey: ref.categoriesKey,
    horizon: ref.horizon,
    digest: { ...plain, health: plain.health ?? [] },
  };

  // The day's papers, their stored links and the links' snapshots: one indexed query for this
  // day only. A post linking two of the day's papers comes once per link: its snapshots are
  // kept from its first. Instants are read raw and made ISO here (isoTime), not by SQL.
  const ids = JSON.stringify(day.digest.papers.map((r) => r.paper.id));
  const rows = statement(
    db,
    `SELECT pp.paper_id, pp.source, ${postIdTextSql('pp.post_id')}, s.observed, s.reposts, s.likes, s.replies,
            s.quotes
     FROM post_papers pp LEFT JOIN snapshots s ON s.source = pp.source AND s.post_id = pp.post_id
     WHERE pp.paper_id IN (SELECT value FROM json_each(?))`,
  )
    .raw()
    .all(ids) as Array<[string, SourceId, string, number | string | null, number, number, number, number]>;
  const links: Array<{ paper_id: string; source: SourceId; post_id: string }> = [];
  const snapshotsByPost = new Map<string, SnapshotRow[]>();
  /** The link whose rows the snapshots of its post were taken from. */
  const snapshotsFrom = new Map<string, string>();
  const seenLinks = new Set<string>();
  // Snapshots come from a few runs, so the day's rows share a few instants: each made ISO once.
  const isoOf = new Map<number | string, string>();
  for (const [paperId, source, postId, observed, reposts, likes, replies, quotes] of rows) {
    const key = postKey({ source, id: postId });
    const linkKey = `${paperId}\t${key}`;
    if (!seenLinks.has(linkKey)) {
      seenLinks.add(linkKey);
      links.push({ paper_id: paperId, source, post_id: postId });
    }
    if (observed === null) continue;
    const from = snapshotsFrom.get(key);
    if (from === undefined) snapshotsFrom.set(key, paperId);
    else if (from !== paperId) continue;
    let observedAt = isoOf.get(observed);
    if (observedAt === undefined) {
      observedAt = isoTime(observed);
      isoOf.set(observed, observedAt);
    }
    const row: SnapshotRow = { post: key, observedAt, reposts, likes, replies, quotes };
    const list = snapshotsByPost.get(key);
    if (list) list.push(row);
    else snapshotsByPost.set(key, [row]);
  }

  // Posts the day's digest lists (with their text) per paper: the store adds only the others.
  const listed = new Map<string, Set<string>>();
  for (const r of day.digest.papers) listed.set(r.paper.id, new Set((r.posts ?? []).map(postKey)));

  const postRow = statement(
    db,
    `SELECT source, ${postIdTextSql('id')} AS id, url, author_handle, author_name, text, created_at FROM posts
     WHERE source = ? AND id = ?`,
  );
  const papers = new Map<string, PaperExtras>();
  const paperSnapshots = new Map<string, SnapshotRow[]>();
  const wanted = new Set<string>();
  for (const l of links) {
    const key = postKey({ source: l.source, id: l.post_id });
    wanted.add(key);
    const all = paperSnapshots.get(l.paper_id) ?? [];
    for (const s of snapshotsByPost.get(key) ?? []) all.push(s);
    paperSnapshots.set(l.paper_id, all);
    let extras = papers.get(l.paper_id);
    if (!extras) {
      extras = { posts: [], history: [] };
      papers.set(l.paper_id, extras);
    }
    if (listed.get(l.paper_id)?.has(key)) continue;
    const r = postRow.get(l.source, storedPostId(l.post_id)) as
      | {
          source: SourceId;
          id: string;
          url: string;
          author_handle: string | null;
          author_name: string | null;
          text: string;
          created_at: string | null;
        }
      | undefined;
    if (!r) continue;
    let latest: SnapshotRow | undefined;
    for (const s of snapshotsByPost.get(key) ?? [])
      if (!latest || s.observedAt > latest.observedAt) latest = s;
    extras.posts.push({
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

  // Embeds of every post the day's pages may show: those the digest lists and those linked in the store.
  for (const keys of listed.values()) for (const k of keys) wanted.add(k);
  // One query for all of them: json_each drives the join (CROSS JOIN fixes the order), a
  // primary-key lookup per post (a statement per post cost a 300-day build ~15,000 calls).
  const keys = [...wanted];
  const embeds = new Map<string, EmbedRecord>();
  if (keys.length > 0) {
    const rows = statement(
      db,
      `SELECT j.key, e.status, ${options.embedHtml ? 'e.html' : 'NULL'}
       FROM json_each(?) AS j
       CROSS JOIN embeds e ON e.source = j.value ->> 0 AND e.post_id = j.value ->> 1`,
    )
      .raw()
      .all(
        `[${keys
          .map((key) => {
            // Keyed as the table stores it: no SQL conversion of the id per row.
            const colon = key.indexOf(':');
            return `[${JSON.stringify(key.slice(0, colon))},${storedJson(storedPostId(key.slice(colon + 1)))}]`;
          })
          .join(',')}]`,
      ) as Array<[number, string, string | Buffer | null]>;
    for (const [i, status, html] of rows)
      embeds.set(keys[i]!, {
        status: status === 'unavailable' ? 'unavailable' : 'ok',
        // Stored packed (see src/store/packed.ts).
        html: unpackText(html) ?? undefined,
      });
  }
  const enrichments = loadEnrichments(
    db,
    day.digest.papers.map((r) => r.paper.id),
  );
  const thumbs = options.thumbDir ? loadDayThumbs(db, options.thumbDir, enrichments) : undefined;
  return { day, papers, embeds, enrichments, thumbs };
}

/**
 * The whole model at once, a day at a time through the source (tests and small tools; the site
 * engine itself never holds it). A paper's extras come from its latest day.
 */
export function loadSiteModel(db: Db, options: LoadOptions = {}): { model: SiteModel; warnings: string[] } {
  const source = storeSource(db, options);
  const { refs, warnings } = source.days();
  const days: SiteDay[] = [];
  const papers = new Map<string, PaperExtras>();
  const embeds = new Map<string, EmbedRecord>();
  const enrichments = new Map<string, PaperEnrichment>();
  for (const ref of refs) {
    const slice = source.loadDay(ref);
    if (typeof slice === 'string') {
      warnings.push(slice);
      continue;
    }
    days.push(slice.day);
    for (const [id, extras] of slice.papers) if (!papers.has(id)) papers.set(id, extras);
    for (const [key, embed] of slice.embeds) embeds.set(key, embed);
    for (const [id, e] of slice.enrichments ?? []) enrichments.set(id, e);
  }
  return { model: { days, papers, embeds, enrichments }, warnings };
}

/** Mark (in StoreMarks) of the enrichment change log (also of the changes to shown posts, migration 13). */
const ENRICHED = 'enrichment_changes';

/**
 * Papers with rows added since `marks` (the change logs' highest numbers; each query walks only
 * new rows), and papers whose enrichment or shown posts changed since (their day pages show them too).
 */
function changesSince(db: Db, marks: StoreMarks | undefined): StoreChanges {
  const now: StoreMarks = {};
  // AUTOINCREMENT's own high-water mark of each log: it never goes back.
  const mark = db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck();
  for (const { table } of MARKED) now[table] = (mark.get(table) as number | undefined) ?? 0;
  now[ENRICHED] = enrichmentMark(db);
  if (
    !marks ||
    [...MARKED.map((m) => m.table), ENRICHED].some(
      (table) => typeof marks[table] !== 'number' || marks[table]! > now[table]!,
    )
  )
    return { marks: now, papers: 'all' };
  const papers = new Set<string>();
  for (const { table, papers: sql } of MARKED) {
    if (marks[table] === now[table]) continue;
    for (const id of db.prepare(sql).pluck().all(marks[table]) as string[]) papers.add(id);
  }
  const enriched =
    marks[ENRICHED] === now[ENRICHED]
      ? new Set<string>()
      : new Set(enrichmentChangesSince(db, marks[ENRICHED]!));
  for (const id of enriched) papers.add(id);
  return { marks: now, papers, enriched };
}

/** JSON repeats each shown post inside `posts`; point `shown` at those objects to halve the memory. */
function shareShownPosts(digest: DayDigest): void {
  for (const r of digest.papers) {
    if (!Array.isArray(r.posts) || !Array.isArray(r.shown)) continue;
    const byKey = new Map(r.posts.map((p) => [postKey(p), p]));
    r.shown = r.shown.map((p) => byKey.get(postKey(p)) ?? p);
  }
}
