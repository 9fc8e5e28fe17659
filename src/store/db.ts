/**
 * The SQLite store: opening, pragmas and versioned migrations. This module owns the file;
 * the repository modules beside it (listings, posts, runs, …) own their queries.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Statement } from 'better-sqlite3';
import { noteStorePath, StoreError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

/** Open (creating if needed) the store at `path` and bring its schema up to date. */
export function openStore(path: string): Db {
  noteStorePath(path);
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (error) {
    throw new StoreError('store', `cannot open ${path} (${(error as Error).message})`, { cause: error });
  }
  try {
    // 8 KB pages for a new store (an existing one keeps its size): less per-page overhead and
    // fuller pages for the WITHOUT ROWID tables' rows (a store ~3% smaller than with 4 KB).
    db.pragma('page_size = 8192');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // An 8 MB page cache (the default is 2 MB): the inner pages of B-trees grown with years of
    // history stay in memory. Not more: a day's save dirties ~28 MB of pages, each written once
    // (rows go in key order), and a cache that holds them all until the commit only touches
    // fresh memory. Against 32 MB, a 2,000 × 50,000 day took 8–13% less CPU on a first run and
    // ~20 MB less peak memory (pipeline bench, world-shaped day, 3 December); the `post` ratio on
    // a 40-day store stayed within its goal.
    db.pragma('cache_size = -8192');
    // The day's GROUP BY and materialised id lists are temporary B-trees: kept off the disk.
    db.pragma('temp_store = MEMORY');
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError('store', `cannot prepare ${path} (${(error as Error).message})`, { cause: error });
  }
  return db;
}

/** Apply every migration newer than the stored user_version, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      'store',
      `schema version ${current} is newer than this hotpapers (${MIGRATIONS.length}); upgrade hotpapers`,
    );
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version - 1]!;
    db.transaction(() => {
      if (typeof step === 'string') db.exec(step);
      else step(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

/** Run `fn` inside one transaction (all or nothing). */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}

/** Statements prepared once per connection: readers called per day reuse the same few. */
const prepared = new WeakMap<Db, Map<string, Statement>>();

/** `sql` prepared on `db`, once per connection (each SQL text is used by one reader, in one mode). */
export function statement(db: Db, sql: string): Statement {
  let cache = prepared.get(db);
  if (!cache) {
    cache = new Map();
    prepared.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

/** The `VALUES` rows of a multi-row statement: n rows of `width` positional parameters each. */
export function placeholderRows(n: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: n }, () => row).join(', ');
}

/**
 * Statements of `sql(n)` on `db` for a multi-row write of n rows, each size prepared on first use
 * (a batch writer uses its full size and the one shorter remainder).
 */
export function statementsBySize(db: Db, sql: (n: number) => string): (n: number) => Statement {
  const made = new Map<number, Statement>();
  return (n) => {
    let stmt = made.get(n);
    if (!stmt) {
      stmt = db.prepare(sql(n));
      made.set(n, stmt);
    }
    return stmt;
  };
}
