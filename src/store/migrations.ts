/**
 * Versioned schema migrations. Never edit a shipped entry: append a new one. Entry N brings
 * the schema to user_version N: SQL, or a function for a change of data SQL cannot express.
 */
import type { Db } from './db.js';
import { isoTimeSql, storedPostIdSql, usualPostUrlSql } from './derived.js';
import { compactStoredDigests } from './digests.js';
import { packStoredAbstracts } from './packed.js';

/**
 * A trigger of migration 13: after `event` on `table`, when `changed` (SQL over old/new; none:
 * always), the papers the row's post links (its id in column `id`) are renumbered in
 * enrichment_changes, the log of what their day pages show. Frozen with migration 13.
 */
function shownChangeTrigger(
  name: string,
  event: 'INSERT' | 'UPDATE',
  table: string,
  id: string,
  changed?: string,
): string {
  const papers = `SELECT paper_id FROM post_papers WHERE source = new.source AND post_id = new.${id}`;
  return `CREATE TRIGGER ${name} AFTER ${event} ON ${table}${changed ? ` WHEN ${changed}` : ''} BEGIN
    DELETE FROM enrichment_changes WHERE paper_id IN (${papers});
    INSERT INTO enrichment_changes (paper_id) ${papers};
  END;`;
}

/** Migration 13's triggers (see its comment in MIGRATIONS). */
const SHOWN_CHANGE_TRIGGERS = [
  shownChangeTrigger(
    'post_shown_changed',
    'UPDATE',
    'posts',
    'id',
    `old.author_id IS NOT new.author_id OR old.author_handle IS NOT new.author_handle
      OR old.author_name IS NOT new.author_name OR old.own_url IS NOT new.own_url
      OR old.text IS NOT new.text OR old.created IS NOT new.created`,
  ),
  shownChangeTrigger('embed_added', 'INSERT', 'embeds', 'post_id'),
  shownChangeTrigger(
    'embed_changed',
    'UPDATE',
    'embeds',
    'post_id',
    'old.html IS NOT new.html OR old.status IS NOT new.status',
  ),
  shownChangeTrigger('post_deleted', 'INSERT', 'post_deletions', 'post_id'),
  shownChangeTrigger(
    'post_deletion_changed',
    'UPDATE',
    'post_deletions',
    'post_id',
    'old.deleted_at IS NOT new.deleted_at',
  ),
].join('\n');

/**
 * The columns of papers the site's pages show (a newer version changes its PDF address; its
 * number and dates alone are not shown: a listing that only fills those redoes nothing). Frozen
 * with migration 15.
 */
const PAPER_SHOWN_COLUMNS = [
  'title',
  'abstract',
  'authors',
  'categories',
  'primary_category',
  'comment',
  'journal_ref',
  'doi',
  'pdf_url',
] as const;

/** The paper_revised trigger's condition: one of the shown columns changed (migrations 15, 16). */
const PAPER_SHOWN_CHANGED = PAPER_SHOWN_COLUMNS.map((c) => `old.${c} IS NOT new.${c}`).join(' OR ');

/** SQL giving the month of `day` (an expression) a new token, its row made when `insert` (migration 17). */
function touchMonth(day: string, insert: boolean): string {
  const token = 'lower(hex(randomblob(8)))';
  return insert
    ? `INSERT INTO digest_months (month, token) VALUES (substr(${day}, 1, 7), ${token})
      ON CONFLICT (month) DO UPDATE SET token = excluded.token;`
    : `UPDATE digest_months SET token = ${token} WHERE month = substr(${day}, 1, 7);`;
}

/** SQL removing the token of the month of `day` when no digest row of that month is left. */
function dropEmptyMonth(day: string): string {
  return `DELETE FROM digest_months WHERE month = substr(${day}, 1, 7) AND NOT EXISTS
      (SELECT 1 FROM digests WHERE day >= substr(${day}, 1, 7) AND substr(day, 1, 7) = substr(${day}, 1, 7));`;
}

/**
 * Migration 17's triggers. A month has a token while it has a row in digests: a row written there
 * makes or renews it, one removed renews it or, the month's last, removes it. A row of
 * digest_revisions written or removed renews its month's token (it makes none: a month with no
 * digest has no days to list).
 */
const DIGEST_MONTH_TRIGGERS = `
  CREATE TRIGGER digests_month_inserted AFTER INSERT ON digests
  BEGIN
    ${touchMonth('new.day', true)}
  END;
  CREATE TRIGGER digests_month_updated AFTER UPDATE ON digests
  BEGIN
    ${touchMonth('old.day', false)}
    ${dropEmptyMonth('old.day')}
    ${touchMonth('new.day', true)}
  END;
  CREATE TRIGGER digests_month_deleted AFTER DELETE ON digests
  BEGIN
    ${touchMonth('old.day', false)}
    ${dropEmptyMonth('old.day')}
  END;
  CREATE TRIGGER digest_revisions_month_inserted AFTER INSERT ON digest_revisions
  BEGIN
    ${touchMonth('new.day', false)}
  END;
  CREATE TRIGGER digest_revisions_month_updated AFTER UPDATE ON digest_revisions
  BEGIN
    ${touchMonth('old.day', false)}
    ${touchMonth('new.day', false)}
  END;
  CREATE TRIGGER digest_revisions_month_deleted AFTER DELETE ON digest_revisions
  BEGIN
    ${touchMonth('old.day', false)}
  END;`;

/** One schema step: SQL run as a script, or a function given the open store (same transaction). */
export type Migration = string | ((db: Db) => void);

export const MIGRATIONS: readonly Migration[] = [
  // 1: papers, listings, runs, posts, links, snapshots, embeds.
  `
  CREATE TABLE papers (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL,
    authors TEXT NOT NULL,            -- JSON array of names
    categories TEXT NOT NULL,         -- JSON array, primary first
    primary_category TEXT NOT NULL,
    comment TEXT,
    journal_ref TEXT,
    doi TEXT,
    published TEXT,
    updated TEXT,
    pdf_url TEXT
  );

  -- One row per (mailing day, category set) whose listing is complete in the store.
  CREATE TABLE listing_days (
    day TEXT NOT NULL,                -- YYYY-MM-DD mailing date
    categories TEXT NOT NULL,         -- normalised comma list, e.g. "cs,stat.ML"
    method TEXT NOT NULL,             -- api | rss | catchup
    fetched_at TEXT NOT NULL,
    paper_count INTEGER NOT NULL,
    PRIMARY KEY (day, categories)
  );

  CREATE TABLE listings (
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    paper_id TEXT NOT NULL REFERENCES papers(id),
    announce_type TEXT NOT NULL,      -- new | cross | replace | replace-cross
    method TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (day, categories, paper_id)
  );
  CREATE INDEX listings_paper ON listings(paper_id);

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    command TEXT NOT NULL,
    day TEXT,
    started_at TEXT NOT NULL,         -- real clock
    ended_at TEXT,
    status TEXT NOT NULL,             -- running | ok | partial | failed
    health TEXT,                      -- JSON SourceHealth[]
    requests TEXT,                    -- JSON {host: count}
    detail TEXT
  );

  CREATE TABLE posts (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    author_id TEXT,
    author_handle TEXT,
    author_name TEXT,
    url TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT,
    links TEXT NOT NULL,              -- JSON array of expanded URLs
    raw TEXT,                         -- JSON payload as received
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (source, id)
  );

  CREATE TABLE post_papers (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    PRIMARY KEY (source, post_id, paper_id),
    FOREIGN KEY (source, post_id) REFERENCES posts(source, id)
  );
  CREATE INDEX post_papers_paper ON post_papers(paper_id);

  -- Engagement counts of a post as observed at an instant (HOTPAPERS_NOW or the clock).
  CREATE TABLE snapshots (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    reposts INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (source, post_id, observed_at),
    FOREIGN KEY (source, post_id) REFERENCES posts(source, id)
  );

  -- Sanitised embed HTML per post; status "unavailable" remembers a 404 so it is not re-asked.
  CREATE TABLE embeds (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    html TEXT,
    status TEXT NOT NULL,             -- ok | unavailable
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, post_id)
  );

  -- The ranked result of each written day (JSON DayDigest): what the post, site and feeds show.
  CREATE TABLE digests (
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    horizon TEXT NOT NULL DEFAULT '',  -- '' (as observed), '24h', '72h'
    observed_at TEXT NOT NULL,
    digest TEXT NOT NULL,
    markdown_sha256 TEXT,
    path TEXT,
    written_at TEXT NOT NULL,          -- real clock
    PRIMARY KEY (day, categories, horizon)
  );
  `,
  // 2: Hugging Face paper enrichment (links out, TL;DR, keywords, thumbnail), one row per paper.
  `
  CREATE TABLE paper_enrichment (
    paper_id TEXT PRIMARY KEY,
    status TEXT NOT NULL,             -- ok | unknown (HF answered 404)
    github_repo TEXT,
    github_stars INTEGER,
    project_page TEXT,
    ai_summary TEXT,
    ai_keywords TEXT,                 -- JSON array
    thumbnail TEXT,
    fetched_at TEXT NOT NULL
  );
  `,
  // 3: digests refer to posts, snapshots and papers by key (format 2) instead of copying them;
  // a row the compact form would not give back deep-equal stays whole.
  (db: Db) => {
    compactStoredDigests(db);
  },
  // 4: a covering index of the digests' keys and dates, so the site lists the days and sees which
  // changed without reading each row's digest (stored before the dates, on overflow pages).
  `
  CREATE INDEX IF NOT EXISTS digests_listing
    ON digests(day, categories, horizon, observed_at, written_at, markdown_sha256);
  `,
  // 5: the Jetstream listener's resume point, and the posts known to be deleted.
  `
  CREATE TABLE stream_cursors (
    stream TEXT PRIMARY KEY,          -- 'jetstream'
    time_us INTEGER NOT NULL,         -- time_us of the newest event whose effects are stored
    updated_at TEXT NOT NULL          -- real clock
  );

  -- A deleted post stops counting from deleted_at on; its stored copy stays for the record.
  CREATE TABLE post_deletions (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,         -- the delete event's time, or the run that found it gone
    how TEXT NOT NULL,                -- stream | refresh
    PRIMARY KEY (source, post_id)
  );
  `,
  // 6: a log of enrichment changes, so the site redoes the pages of a paper whose HF data (TL;DR,
  // code link, stars, project page, thumbnail) changed. Rows are upserted in place, so their
  // rowids say nothing; this table keeps one row per paper, renumbered (AUTOINCREMENT: never
  // reused) whenever a shown column changes, and the site asks for the rows above its mark.
  // (Delete then insert: an upsert's own conflict policy would override an OR REPLACE here.)
  `
  CREATE TABLE enrichment_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL UNIQUE
  );
  INSERT INTO enrichment_changes (paper_id) SELECT paper_id FROM paper_enrichment;
  CREATE TRIGGER paper_enrichment_added AFTER INSERT ON paper_enrichment BEGIN
    DELETE FROM enrichment_changes WHERE paper_id = new.paper_id;
    INSERT INTO enrichment_changes (paper_id) VALUES (new.paper_id);
  END;
  CREATE TRIGGER paper_enrichment_changed AFTER UPDATE ON paper_enrichment
  WHEN old.status IS NOT new.status OR old.github_repo IS NOT new.github_repo
    OR old.github_stars IS NOT new.github_stars OR old.project_page IS NOT new.project_page
    OR old.ai_summary IS NOT new.ai_summary OR old.ai_keywords IS NOT new.ai_keywords
    OR old.thumbnail IS NOT new.thumbnail
  BEGIN
    DELETE FROM enrichment_changes WHERE paper_id = new.paper_id;
    INSERT INTO enrichment_changes (paper_id) VALUES (new.paper_id);
  END;
  `,
  // 7: a day's store growth halved. Posts keep only HF's small payload extract; the X, Bluesky
  // and HN bodies repeated what the columns hold and nothing read them (posts.ts keptRaw).
  // Abstracts are packed (see packed.ts).
  slimPostsAndAbstracts,
  // 8: the thumbnail cache: one row per image URL, downloaded once (the bytes are files beside
  // the store, see src/thumbs/), or the failure remembered with when to try again.
  `
  CREATE TABLE thumbnails (
    url TEXT PRIMARY KEY,
    status TEXT NOT NULL,             -- ok | failed
    file TEXT,                        -- ok: file name in the thumbnail folder
    content_type TEXT,                -- ok: image/png, image/jpeg, image/webp, image/gif
    bytes INTEGER,                    -- ok: size as downloaded
    width INTEGER,                    -- ok: pixels, as decoded
    height INTEGER,
    failures INTEGER NOT NULL DEFAULT 0, -- failed: failures in a row
    retry_at TEXT,                    -- failed: not asked again before this instant
    error TEXT,                       -- failed: the one-line reason
    checked_at TEXT NOT NULL          -- HOTPAPERS_NOW (or the clock) of the last attempt
  );
  `,
  // 9: a world-size day stores in about half the bytes, and a saved post costs fewer B-tree
  // inserts. See compactTables.
  compactTables,
  // 10: a snapshot's instant in 6 bytes instead of 24 (snapshots.observed), papers WITHOUT
  // ROWID, no index of listings by paper (see compactSnapshotsAndPapers).
  compactSnapshotsAndPapers,
  // 11: X's 19-digit post ids kept as 8-byte integers in every per-post table (see integerPostIds).
  integerPostIds,
  // 12: the cached images logged as they become usable (downloaded, or their file changed), so the
  // site's resize step looks at those since its last run, not at every image of the history.
  // (Delete then insert, renumbered: as enrichment_changes.)
  `
  CREATE TABLE thumbnail_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE
  );
  INSERT INTO thumbnail_changes (url) SELECT url FROM thumbnails WHERE status = 'ok' ORDER BY rowid;
  CREATE TRIGGER thumbnail_added AFTER INSERT ON thumbnails WHEN new.status = 'ok' BEGIN
    DELETE FROM thumbnail_changes WHERE url = new.url;
    INSERT INTO thumbnail_changes (url) VALUES (new.url);
  END;
  CREATE TRIGGER thumbnail_changed AFTER UPDATE ON thumbnails
  WHEN new.status = 'ok' AND (old.status IS NOT new.status OR old.file IS NOT new.file)
  BEGIN
    DELETE FROM thumbnail_changes WHERE url = new.url;
    INSERT INTO thumbnail_changes (url) VALUES (new.url);
  END;
  `,
  // 13: what a day page shows of a stored post (its author, address, text and time, its embed,
  // whether it was deleted) logged when it changes, for the papers the post links, in
  // enrichment_changes: the log of what those papers' day pages show (as a thumbnail is, by
  // markEnrichmentChanged), so an incremental build redoes those days and not only the papers'
  // pages (paper_changes). A post first stored is on no day page yet: of posts, only updates count.
  `
  ${SHOWN_CHANGE_TRIGGERS}
  `,
  // 14: posts' url and created_at, and snapshots' observed_at, computed by views instead of
  // generated columns (see viewsForDerivedColumns).
  viewsForDerivedColumns,
  // 15: a digest shows the papers it refers to by key as their rows are now, so a change of such
  // a row (a later listing stores a newer version, other texts) must change the digest's
  // fingerprint (listDigestFingerprints), or an incremental site would keep the old pages.
  // digest_papers names the papers each digest refers to by key (saveDigest writes it; filled
  // here from the stored digests, formats 2 and 3); a changed row counts one revision on each
  // of them in digest_revisions. A listing that stores a row unchanged fires nothing.
  `
  CREATE TABLE digest_papers (
    paper_id TEXT NOT NULL,
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    horizon TEXT NOT NULL,
    PRIMARY KEY (paper_id, day, categories, horizon)
  ) WITHOUT ROWID;
  CREATE INDEX digest_papers_digest ON digest_papers(day, categories, horizon);
  INSERT OR IGNORE INTO digest_papers (paper_id, day, categories, horizon)
    SELECT json_extract(p.value, '$.id'), d.day, d.categories, d.horizon
    FROM digests d, json_each(d.digest, '$.papers') p
    WHERE json_valid(d.digest) AND json_extract(d.digest, '$.format') IN (2, 3)
      AND json_type(p.value, '$.id') = 'text' AND json_type(p.value, '$.paper') IS NULL;
  CREATE TABLE digest_revisions (
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    horizon TEXT NOT NULL,
    revisions INTEGER NOT NULL,
    PRIMARY KEY (day, categories, horizon)
  ) WITHOUT ROWID;
  CREATE TRIGGER paper_revised AFTER UPDATE ON papers
  WHEN ${PAPER_SHOWN_CHANGED}
  BEGIN
    INSERT INTO digest_revisions (day, categories, horizon, revisions)
      SELECT day, categories, horizon, 1 FROM digest_papers WHERE paper_id = new.id
      ON CONFLICT (day, categories, horizon) DO UPDATE SET revisions = revisions + 1;
  END;
  `,
  // 16: which papers a digest's revisions were of, as a log of their ids (one per revision), so
  // that a site build can tell the papers whose rows changed from the day's others, whose pages
  // and list entries stay as they were. Revisions counted before keep their count and no log.
  `
  ALTER TABLE digest_revisions ADD COLUMN papers TEXT NOT NULL DEFAULT '';
  DROP TRIGGER paper_revised;
  CREATE TRIGGER paper_revised AFTER UPDATE ON papers
  WHEN ${PAPER_SHOWN_CHANGED}
  BEGIN
    INSERT INTO digest_revisions (day, categories, horizon, revisions, papers)
      SELECT day, categories, horizon, 1, new.id FROM digest_papers WHERE paper_id = new.id
      ON CONFLICT (day, categories, horizon) DO UPDATE
        SET revisions = revisions + 1, papers = ltrim(papers || ' ' || excluded.papers);
  END;
  `,
  // 17: per month of digest rows (the day's first seven characters), a token that triggers
  // replace whenever one of the month's rows of digests or digest_revisions is written or
  // removed, so that a site build reads the rows of the months whose token is not the one it
  // kept, not every day of the history (listDigestMonths). The token is random, not a counter:
  // a store put back from a copy cannot give a month an old token for other rows.
  `
  CREATE TABLE digest_months (
    month TEXT PRIMARY KEY,
    token TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO digest_months (month, token)
    SELECT month, lower(hex(randomblob(8))) FROM (SELECT DISTINCT substr(day, 1, 7) AS month FROM digests);
  ${DIGEST_MONTH_TRIGGERS}
  `,
];

/**
 * Migration 14's step. SQLite computes every generated column of a row it writes, VIRTUAL ones
 * included: a post's address and creation time and a snapshot's instant (a strftime and a printf
 * each) were worked out for every row saved and thrown away, a third of SQLite's work in saving a
 * day of real posts. The tables keep their stored columns under new names (post_rows,
 * snapshot_rows; the foreign keys and triggers that name them follow the rename); `posts` and
 * `snapshots` become views over them that give the same columns in the same order, by the same
 * expressions (derived.ts), so every reader is unchanged; the writers write the tables.
 */
export function viewsForDerivedColumns(db: Db): void {
  db.exec(`
  ALTER TABLE posts RENAME TO post_rows;
  ALTER TABLE post_rows DROP COLUMN url;
  ALTER TABLE post_rows DROP COLUMN created_at;
  ALTER TABLE snapshots RENAME TO snapshot_rows;
  ALTER TABLE snapshot_rows DROP COLUMN observed_at;
  ${DERIVED_VIEWS}
  `);
}

/**
 * isoTimeSql as the TEXT generated columns gave it: their affinity turned a number that was not
 * an integer (no writer stores one) into text, which a view's expression does not do by itself.
 */
function isoTimeTextSql(column: string): string {
  return `CASE WHEN typeof(${column}) = 'real' THEN CAST(${column} AS TEXT) ELSE ${isoTimeSql(column)} END`;
}

/** The views of migration 14 (posts, snapshots) over the tables that store their columns. */
const DERIVED_VIEWS = `
  CREATE VIEW posts AS SELECT source, id, author_id, author_handle, author_name, own_url,
    coalesce(own_url, ${usualPostUrlSql('source', 'id', 'author_handle')}) AS url, text, created,
    ${isoTimeTextSql('created')} AS created_at, links, raw, first_seen, last_seen
  FROM post_rows;
  CREATE VIEW snapshots AS SELECT source, post_id, observed, ${isoTimeTextSql('observed')} AS observed_at,
    reposts, likes, replies, quotes
  FROM snapshot_rows;`;

const ISO_GLOB =
  '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z';

/**
 * Migration 9's step. The per-post tables become WITHOUT ROWID (their key is their access path,
 * so the B-tree of the key is the table: no second copy of the key in an autoindex, and one
 * insert instead of two per row). posts keeps the address only when it is not the source's
 * usual one (url is a generated column), created_at in 6 bytes when it is a canonical instant,
 * and first_seen/last_seen only where they are not its snapshots' first and last instants.
 * listings drops its copy of listing_days.fetched_at. The site saw what changed by these tables'
 * rowids; it now reads paper_changes, a log the writers keep (one row per paper, renumbered).
 */
export function compactTables(db: Db): void {
  const url = usualPostUrlSql('source', 'id', 'author_handle');
  // An old created_at as milliseconds, kept so only when it reads back as the same text.
  const ms =
    "(CAST(strftime('%s', created_at) AS INTEGER) * 1000 + CAST(substr(created_at, 21, 3) AS INTEGER))";
  db.exec(`
  CREATE TABLE posts_new (
    source TEXT NOT NULL,
    id TEXT NOT NULL,
    author_id TEXT,
    author_handle TEXT,
    author_name TEXT,
    own_url TEXT,                     -- NULL: the usual address of the post (url)
    url TEXT NOT NULL GENERATED ALWAYS AS (coalesce(own_url, ${url})) VIRTUAL,
    text TEXT NOT NULL,
    created,                          -- ms since the epoch, or the text as received (created_at)
    created_at TEXT GENERATED ALWAYS AS (${isoTimeSql('created')}) VIRTUAL,
    links TEXT NOT NULL,              -- JSON array of expanded URLs
    raw TEXT,                         -- HF's payload extract (see posts.ts keptRaw)
    first_seen TEXT,                  -- NULL: its first snapshot's observed_at
    last_seen TEXT,                   -- NULL: its last snapshot's observed_at
    PRIMARY KEY (source, id)
  ) WITHOUT ROWID;

  CREATE TABLE post_papers_new (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    paper_id TEXT NOT NULL,
    PRIMARY KEY (source, post_id, paper_id),
    FOREIGN KEY (source, post_id) REFERENCES posts_new(source, id)
  ) WITHOUT ROWID;

  CREATE TABLE snapshots_new (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    reposts INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (source, post_id, observed_at),
    FOREIGN KEY (source, post_id) REFERENCES posts_new(source, id)
  ) WITHOUT ROWID;

  CREATE TABLE embeds_new (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    html,                             -- TEXT, or packed (see packed.ts); NULL when unavailable
    status TEXT NOT NULL,             -- ok | unavailable
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, post_id)
  ) WITHOUT ROWID;

  CREATE TABLE listings_new (
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    paper_id TEXT NOT NULL REFERENCES papers(id),
    announce_type TEXT NOT NULL,
    method TEXT NOT NULL,
    fetched_at TEXT,                  -- NULL: listing_days.fetched_at of its day
    PRIMARY KEY (day, categories, paper_id)
  ) WITHOUT ROWID;

  INSERT INTO posts_new (source, id, author_id, author_handle, author_name, own_url, text, created, links, raw,
                         first_seen, last_seen)
    SELECT source, id, author_id, author_handle, author_name, nullif(url, ${url}), text,
           CASE WHEN created_at GLOB '${ISO_GLOB}' AND ${isoTimeSql(ms)} IS created_at THEN ${ms} ELSE created_at END,
           links, raw,
           nullif(first_seen, (SELECT min(observed_at) FROM snapshots s WHERE s.source = p.source AND s.post_id = p.id)),
           nullif(last_seen, (SELECT max(observed_at) FROM snapshots s WHERE s.source = p.source AND s.post_id = p.id))
    FROM posts p ORDER BY source, id;
  INSERT INTO post_papers_new SELECT source, post_id, paper_id FROM post_papers ORDER BY source, post_id, paper_id;
  INSERT INTO snapshots_new SELECT source, post_id, observed_at, reposts, likes, replies, quotes FROM snapshots
    ORDER BY source, post_id, observed_at;
  INSERT INTO embeds_new SELECT source, post_id, html, status, fetched_at FROM embeds ORDER BY source, post_id;
  INSERT INTO listings_new
    SELECT l.day, l.categories, l.paper_id, l.announce_type, l.method, nullif(l.fetched_at, d.fetched_at)
    FROM listings l LEFT JOIN listing_days d ON d.day = l.day AND d.categories = l.categories
    ORDER BY l.day, l.categories, l.paper_id;

  DROP TABLE snapshots;
  DROP TABLE post_papers;
  DROP TABLE embeds;
  DROP TABLE posts;
  DROP TABLE listings;
  ALTER TABLE posts_new RENAME TO posts;
  ALTER TABLE post_papers_new RENAME TO post_papers;
  ALTER TABLE snapshots_new RENAME TO snapshots;
  ALTER TABLE embeds_new RENAME TO embeds;
  ALTER TABLE listings_new RENAME TO listings;
  CREATE INDEX post_papers_paper ON post_papers(paper_id);
  CREATE INDEX listings_paper ON listings(paper_id);

  -- Papers whose posts, links, snapshots or embeds changed, for the site: one row per paper,
  -- renumbered (REPLACE; AUTOINCREMENT never reuses a number) at each change.
  CREATE TABLE paper_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_id TEXT NOT NULL UNIQUE
  );
  `);
  const check = db.pragma('foreign_key_check') as unknown[];
  if (check.length > 0) throw new Error(`${check.length} row(s) refer to a missing parent after the rebuild`);
}

/** Migration 7's step (named so its test can build the store of the release before it). */
export function slimPostsAndAbstracts(db: Db): void {
  db.exec("UPDATE posts SET raw = NULL WHERE source <> 'hf' AND raw IS NOT NULL");
  packStoredAbstracts(db);
}

/** SQL of a canonical ISO instant (toISOString's form) in `column` as milliseconds since the epoch. */
function isoMsSql(column: string): string {
  return `(CAST(strftime('%s', ${column}) AS INTEGER) * 1000 + CAST(substr(${column}, 21, 3) AS INTEGER))`;
}

/**
 * Migration 10's step. A snapshot keeps its instant as milliseconds since the epoch (`observed`,
 * 6 bytes) when it is in toISOString's own form, else as the text given; `observed_at` is a
 * generated column giving the text back, so readers are unchanged. (Snapshots are one row per
 * post and observation: the 24-byte instant was ~40% of the row; the key cannot hold a generated
 * column, so the stored one is the key's third part.) papers becomes WITHOUT ROWID (its key
 * was a second B-tree), and the index of listings by paper goes: nothing reads it, and it was
 * 40% of the listings' bytes.
 */
export function compactSnapshotsAndPapers(db: Db): void {
  const ms = isoMsSql('observed_at');
  db.exec(`
  CREATE TABLE snapshots_new (
    source TEXT NOT NULL,
    post_id TEXT NOT NULL,
    observed NOT NULL,                -- ms since the epoch, or the text as given (observed_at)
    observed_at TEXT GENERATED ALWAYS AS (${isoTimeSql('observed')}) VIRTUAL,
    reposts INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (source, post_id, observed),
    FOREIGN KEY (source, post_id) REFERENCES posts(source, id)
  ) WITHOUT ROWID;
  INSERT INTO snapshots_new (source, post_id, observed, reposts, likes, replies, quotes)
    SELECT source, post_id,
           CASE WHEN observed_at GLOB '${ISO_GLOB}' AND ${isoTimeSql(ms)} IS observed_at THEN ${ms} ELSE observed_at END,
           reposts, likes, replies, quotes
    FROM snapshots ORDER BY source, post_id, observed_at;
  `);
  // (An instant becomes a number only when it reads back as the same text: see the CASE.)
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  if (count('snapshots_new') !== count('snapshots')) throw new Error('snapshots lost in the rebuild');
  db.exec(`
  DROP TABLE snapshots;
  ALTER TABLE snapshots_new RENAME TO snapshots;

  -- papers keyed by id alone (no autoindex beside the table). listings is rebuilt with it (its
  -- rows refer to papers), without the index by paper: nothing asks for a paper's listings
  -- (readers go by day), and a paper is never deleted nor its id changed, the only case where
  -- its foreign key would look listings up by paper_id.
  CREATE TABLE papers_new (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL,           -- TEXT, or packed with title and authors (see packed.ts)
    authors TEXT NOT NULL,
    categories TEXT NOT NULL,
    primary_category TEXT NOT NULL,
    comment TEXT,
    journal_ref TEXT,
    doi TEXT,
    published TEXT,
    updated TEXT,
    pdf_url TEXT
  ) WITHOUT ROWID;
  CREATE TABLE listings_new (
    day TEXT NOT NULL,
    categories TEXT NOT NULL,
    paper_id TEXT NOT NULL REFERENCES papers_new(id),
    announce_type TEXT NOT NULL,
    method TEXT NOT NULL,
    fetched_at TEXT,                  -- NULL: listing_days.fetched_at of its day
    PRIMARY KEY (day, categories, paper_id)
  ) WITHOUT ROWID;
  INSERT INTO papers_new SELECT id, version, title, abstract, authors, categories, primary_category, comment,
    journal_ref, doi, published, updated, pdf_url FROM papers ORDER BY id;
  INSERT INTO listings_new SELECT day, categories, paper_id, announce_type, method, fetched_at FROM listings
    ORDER BY day, categories, paper_id;
  DROP TABLE listings;
  DROP TABLE papers;
  ALTER TABLE papers_new RENAME TO papers;
  ALTER TABLE listings_new RENAME TO listings;
  `);
  const check = db.pragma('foreign_key_check') as unknown[];
  if (check.length > 0) throw new Error(`${check.length} row(s) refer to a missing parent after the rebuild`);
}

/**
 * Migration 11's step. A post's id is in five tables (posts, post_papers and its index by paper,
 * snapshots, embeds; post_deletions): an X id, 19 digits of text each time, becomes the integer
 * it spells (8 bytes) where that gives it back exactly (derived.ts storedPostId); every other id
 * stays text. The id columns lose their TEXT type, which would turn the integer back into text;
 * readers compare with storedPostId's form and read the text back with CAST.
 */
export function integerPostIds(db: Db): void {
  const url = usualPostUrlSql('source', 'id', 'author_handle');
  const id = (column: string) => storedPostIdSql(column);
  db.exec(`
  CREATE TABLE posts_new (
    source TEXT NOT NULL,
    id NOT NULL,                      -- INTEGER for a long decimal id (storedPostId), else TEXT
    author_id TEXT,
    author_handle TEXT,
    author_name TEXT,
    own_url TEXT,                     -- NULL: the usual address of the post (url)
    url TEXT NOT NULL GENERATED ALWAYS AS (coalesce(own_url, ${url})) VIRTUAL,
    text TEXT NOT NULL,
    created,                          -- ms since the epoch, or the text as received (created_at)
    created_at TEXT GENERATED ALWAYS AS (${isoTimeSql('created')}) VIRTUAL,
    links TEXT NOT NULL,              -- see posts.ts packLinks
    raw TEXT,                         -- HF's payload extract (see posts.ts keptRaw)
    first_seen TEXT,                  -- NULL: its first snapshot's observed_at
    last_seen TEXT,                   -- NULL: its last snapshot's observed_at
    PRIMARY KEY (source, id)
  ) WITHOUT ROWID;
  CREATE TABLE post_papers_new (
    source TEXT NOT NULL,
    post_id NOT NULL,                 -- as posts.id
    paper_id TEXT NOT NULL,
    PRIMARY KEY (source, post_id, paper_id),
    FOREIGN KEY (source, post_id) REFERENCES posts_new(source, id)
  ) WITHOUT ROWID;
  CREATE TABLE snapshots_new (
    source TEXT NOT NULL,
    post_id NOT NULL,                 -- as posts.id
    observed NOT NULL,                -- ms since the epoch, or the text as given (observed_at)
    observed_at TEXT GENERATED ALWAYS AS (${isoTimeSql('observed')}) VIRTUAL,
    reposts INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    quotes INTEGER NOT NULL,
    PRIMARY KEY (source, post_id, observed),
    FOREIGN KEY (source, post_id) REFERENCES posts_new(source, id)
  ) WITHOUT ROWID;
  CREATE TABLE embeds_new (
    source TEXT NOT NULL,
    post_id NOT NULL,                 -- as posts.id
    html,                             -- TEXT, or packed (see packed.ts); NULL when unavailable
    status TEXT NOT NULL,             -- ok | unavailable
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (source, post_id)
  ) WITHOUT ROWID;
  CREATE TABLE post_deletions_new (
    source TEXT NOT NULL,
    post_id NOT NULL,                 -- as posts.id
    deleted_at TEXT NOT NULL,
    how TEXT NOT NULL,                -- stream | refresh
    PRIMARY KEY (source, post_id)
  );

  INSERT INTO posts_new (source, id, author_id, author_handle, author_name, own_url, text, created, links, raw,
                         first_seen, last_seen)
    SELECT source, ${id('id')}, author_id, author_handle, author_name, own_url, text, created, links, raw,
           first_seen, last_seen
    FROM posts ORDER BY 1, 2;
  INSERT INTO post_papers_new SELECT source, ${id('post_id')}, paper_id FROM post_papers ORDER BY 1, 2, 3;
  INSERT INTO snapshots_new (source, post_id, observed, reposts, likes, replies, quotes)
    SELECT source, ${id('post_id')}, observed, reposts, likes, replies, quotes FROM snapshots ORDER BY 1, 2, 3;
  INSERT INTO embeds_new SELECT source, ${id('post_id')}, html, status, fetched_at FROM embeds ORDER BY 1, 2;
  INSERT INTO post_deletions_new SELECT source, ${id('post_id')}, deleted_at, how FROM post_deletions;
  `);
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  for (const t of ['posts', 'post_papers', 'snapshots', 'embeds', 'post_deletions'])
    if (count(`${t}_new`) !== count(t)) throw new Error(`${t} lost rows in the rebuild`);
  db.exec(`
  DROP TABLE snapshots;
  DROP TABLE post_papers;
  DROP TABLE embeds;
  DROP TABLE post_deletions;
  DROP TABLE posts;
  ALTER TABLE posts_new RENAME TO posts;
  ALTER TABLE post_papers_new RENAME TO post_papers;
  ALTER TABLE snapshots_new RENAME TO snapshots;
  ALTER TABLE embeds_new RENAME TO embeds;
  ALTER TABLE post_deletions_new RENAME TO post_deletions;
  CREATE INDEX post_papers_paper ON post_papers(paper_id);
  `);
  const check = db.pragma('foreign_key_check') as unknown[];
  if (check.length > 0) throw new Error(`${check.length} row(s) refer to a missing parent after the rebuild`);
}
