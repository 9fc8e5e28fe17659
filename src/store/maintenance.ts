/**
 * Looking after a store kept for years (`hotpapers store`): what it holds, whether SQLite finds
 * it whole, a consistent copy taken while other processes write, and giving back free pages.
 * None of these upgrades the schema: a store is checked and copied as it is on disk.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { noteStorePath, StoreError } from '../errors.js';
import { removeStaleTemps, syncDir, tempPathFor } from '../util/atomic.js';
import type { Db } from './db.js';
import { readDigest } from './digests.js';
import { MIGRATIONS } from './migrations.js';

/** A store's schema version and this build's. */
export interface SchemaState {
  version: number;
  current: number;
}

/** What `store info` reports. */
export interface StoreInfo {
  path: string;
  /** The database file and its write-ahead log, in bytes (the log is 0 when absent). */
  fileBytes: number;
  walBytes: number;
  schema: SchemaState;
  pageSize: number;
  pages: number;
  /** Pages no table uses (a `compact` gives them back to the file system). */
  freePages: number;
  journalMode: string;
  /** Complete listings stored: how many (day, categories) pairs, and the first and last day. */
  listings: { count: number; first: string | null; last: string | null };
  digests: number;
  /** With `counts`: each table's rows and the bytes of its pages and its indexes' (reads every page). */
  tables?: Array<{ name: string; rows: number; bytes: number }>;
}

/** Throw the one-line error of a store that is not there (nothing is created by asking). */
export function requireStore(path: string): void {
  if (!existsSync(path)) throw new StoreError('store', `no store at ${path} (set HOTPAPERS_DB or --db)`);
}

/** Open an existing store as it is: no folder or file made, no migration (see db.ts openStore for the daily use). */
export function openExisting(path: string, readonly: boolean): Db {
  noteStorePath(path);
  requireStore(path);
  // An SQLite error (not a database, cannot open) is reported with the store's name noted above.
  const db = new Database(path, { readonly, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Reading the header here, before any caller's work: "not a database" fails now.
    db.pragma('user_version', { simple: true });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The store's schema version against this build's. */
export function schemaOf(db: Db): SchemaState {
  return { version: db.pragma('user_version', { simple: true }) as number, current: MIGRATIONS.length };
}

/** One line on the schema: current, older (the next run upgrades it) or newer (this build cannot read it). */
export function schemaNote({ version, current }: SchemaState): string {
  if (version === current) return `schema ${version} (current)`;
  if (version < current)
    return `schema ${version} (this hotpapers has ${current}; the next post or listen upgrades it in place)`;
  return `schema ${version} (newer than this hotpapers, ${current}; upgrade hotpapers)`;
}

/** The size of `path` in bytes, 0 when it does not exist. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The store at `path` on disk: its file and its write-ahead log, in bytes. */
export function storeBytes(path: string): number {
  return sizeOf(path) + sizeOf(`${path}-wal`);
}

/** What the store at `path` holds, read without changing it; `counts` reads every page. */
export function storeInfo(path: string, options: { counts?: boolean } = {}): StoreInfo {
  const db = openExisting(path, true);
  try {
    const schema = schemaOf(db);
    const pragma = (name: string) => db.pragma(name, { simple: true }) as number;
    const info: StoreInfo = {
      path,
      fileBytes: sizeOf(path),
      walBytes: sizeOf(`${path}-wal`),
      schema,
      pageSize: pragma('page_size'),
      pages: pragma('page_count'),
      freePages: pragma('freelist_count'),
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      listings: { count: 0, first: null, last: null },
      digests: 0,
    };
    // An older or newer schema may name its tables otherwise: only the file's figures then.
    if (schema.version !== schema.current) return info;
    const listings = db
      .prepare('SELECT count(*) AS count, min(day) AS first, max(day) AS last FROM listing_days')
      .get() as StoreInfo['listings'];
    info.listings = listings;
    info.digests = db.prepare('SELECT count(*) FROM digests').pluck().get() as number;
    if (options.counts) info.tables = tableSizes(db);
    return info;
  } finally {
    db.close();
  }
}

/** Every table's rows, and the bytes of its pages with its indexes' (dbstat), largest first. */
function tableSizes(db: Db): NonNullable<StoreInfo['tables']> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  const bytes = new Map<string, number>();
  const rows = db
    .prepare(
      `SELECT coalesce(i.tbl_name, d.name) AS name, sum(d.pgsize) AS bytes
       FROM dbstat d LEFT JOIN sqlite_schema i ON i.type = 'index' AND i.name = d.name
       GROUP BY 1`,
    )
    .all() as Array<{ name: string; bytes: number }>;
  for (const r of rows) bytes.set(r.name, r.bytes);
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  return tables
    .map((name) => ({
      name,
      rows: db
        .prepare(`SELECT count(*) FROM ${quoted(name)}`)
        .pluck()
        .get() as number,
      bytes: bytes.get(name) ?? 0,
    }))
    .sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}

/** What `store check` found: SQLite's own problems, references to missing rows, digests that do not load, and the schema. */
export interface CheckResult {
  path: string;
  schema: SchemaState;
  /** One line per problem (none: the store is whole). */
  problems: string[];
  /** How many digests were loaded back (null: not checked, the schema is not this build's). */
  digests: number | null;
}

/** Most problems a check lists (SQLite stops at 100 itself). */
const MAX_PROBLEMS = 100;

/**
 * Check the store at `path` without changing it: SQLite's integrity check (every page, index and
 * constraint; `quick` skips comparing indexes with their tables, much faster on a large store),
 * every reference between tables (foreign_key_check), then every digest loaded back by key.
 */
export function checkStore(path: string, options: { quick?: boolean } = {}): CheckResult {
  const db = openExisting(path, true);
  try {
    const schema = schemaOf(db);
    const problems: string[] = [];
    if (schema.version > schema.current) problems.push(schemaNote(schema));
    const pragma = options.quick ? 'quick_check' : 'integrity_check';
    const steps = [
      () => {
        const found = db.pragma(`${pragma}(${MAX_PROBLEMS})`) as Array<Record<string, string>>;
        for (const row of found) {
          const line = String(Object.values(row)[0]);
          if (line !== 'ok') problems.push(line);
        }
      },
      () => {
        // Grouped by table and parent: one damaged write can leave thousands of such rows.
        const missing = new Map<string, number>();
        for (const row of db.pragma('foreign_key_check') as Array<{ table: string; parent: string }>) {
          const key = `${row.table} → ${row.parent}`;
          missing.set(key, (missing.get(key) ?? 0) + 1);
        }
        for (const [key, n] of missing) {
          const [table, parent] = key.split(' → ');
          problems.push(`${n} row(s) of ${table} refer to a missing row of ${parent}`);
        }
      },
    ];
    for (const step of steps) {
      try {
        step();
      } catch (error) {
        if (!isDamage(error)) throw error;
        problems.push(damageLine(error));
      }
    }
    // What SQLite cannot see: a digest refers to its posts, snapshots and papers by key inside
    // its JSON. Each must load back whole (an older schema's digests load once it is upgraded).
    const digests = schema.version === schema.current ? checkDigests(db, problems) : null;
    return { path, schema, problems: problems.slice(0, MAX_PROBLEMS), digests };
  } finally {
    db.close();
  }
}

/** Whether `error` is SQLite finding the file damaged (a page too damaged to walk stops a step: a finding). */
function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

function damageLine(error: unknown): string {
  return `SQLite stopped at a damaged page: ${(error as Error).message} (${(error as { code: string }).code})`;
}

/**
 * Load every stored digest as the site and `explain` do; one problem per digest that does not
 * load. How many were loaded (all, unless the problems reached their limit first).
 */
function checkDigests(db: Db, problems: string[]): number {
  let keys: Array<[string, string, string]>;
  try {
    keys = db.prepare('SELECT day, categories, horizon FROM digests ORDER BY 1, 2, 3').raw().all() as Array<
      [string, string, string]
    >;
  } catch (error) {
    if (!isDamage(error)) throw error;
    problems.push(damageLine(error));
    return 0;
  }
  let loaded = 0;
  for (const [day, categories, horizon] of keys) {
    if (problems.length >= MAX_PROBLEMS) break;
    loaded++;
    try {
      readDigest(db, day, categories, horizon);
    } catch (error) {
      const what = `digest ${day} ${categories}${horizon ? ` (horizon ${horizon})` : ''}`;
      const message = error instanceof Error ? error.message.replace(/^store: /, '') : String(error);
      problems.push(`${what} does not load: ${message}`);
    }
  }
  return loaded;
}

/** What `store backup` wrote. */
export interface BackupResult {
  from: string;
  to: string;
  bytes: number;
  schema: SchemaState;
}

/**
 * A consistent copy of the store at `path` in `target`, taken while other processes (`listen`,
 * a `post`) go on writing: SQLite's `VACUUM INTO` reads one snapshot of the store and writes it
 * compacted. The copy is made beside `target` (its folder made if needed) under a temporary name
 * of util/atomic.ts (so the next backup removes what a killed one left), checked (quick_check,
 * same schema), synced and renamed into place, so `target` is either the whole copy or as it was.
 */
export async function backupStore(
  path: string,
  target: string,
  options: { force?: boolean } = {},
): Promise<BackupResult> {
  if (resolve(path) === resolve(target) || sameFile(path, target))
    throw new StoreError('store', `cannot back up ${path} onto itself`);
  if (existsSync(target) && !options.force)
    throw new StoreError('store', `${target} already exists (add --force to replace it)`);
  const db = openExisting(path, true);
  const dir = dirname(target);
  const temp = tempPathFor(target);
  try {
    const schema = schemaOf(db);
    // A first backup into a folder of its own (backups/hotpapers.db) makes the folder.
    await mkdir(dir, { recursive: true });
    await removeStaleTemps(dir, basename(target));
    db.prepare('VACUUM INTO ?').run(temp);
    const copy = new Database(temp, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      const version = copy.pragma('user_version', { simple: true });
      if (check !== 'ok' || version !== schema.version)
        throw new StoreError(
          'store',
          `the copy of ${path} did not check out (${String(check)}); ${target} was left as it was`,
        );
    } finally {
      copy.close();
    }
    const handle = await open(temp, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    await syncDir(dir);
    return { from: path, to: target, bytes: sizeOf(target), schema };
  } finally {
    db.close();
    await rm(temp, { force: true });
  }
}

/**
 * Whether two paths name one file (a link, another spelling): renaming a copy over the live store
 * would leave the processes that have it open writing to a file no longer there.
 */
function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** What `store compact` gave back. */
export interface CompactResult {
  path: string;
  /** The file and its log before and after. */
  before: number;
  after: number;
}

/**
 * Give the store's free pages back to the file system (`VACUUM`, then the log checkpointed and
 * truncated). It rewrites the whole file inside one transaction, so it needs free disk space of
 * about the store's size and waits (up to the busy timeout) for a writer's transaction to end;
 * readers go on reading meanwhile.
 */
export function compactStore(path: string): CompactResult {
  const db = openExisting(path, false);
  try {
    const before = storeBytes(path);
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { path, before, after: storeBytes(path) };
  } finally {
    db.close();
  }
}
