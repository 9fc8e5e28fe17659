/** Stores as an earlier release left them, for the migration tests. */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from '../../src/store/migrations.js';

/** A new store file holding the schema just before migration `step`, as that release left it. */
export function storeJustBefore(step: Migration, file: string): { path: string; old: Database.Database } {
  const path = join(mkdtempSync(join(tmpdir(), 'hp-migrate-')), file);
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  const version = MIGRATIONS.indexOf(step);
  assert.ok(version > 0);
  for (const earlier of MIGRATIONS.slice(0, version)) {
    if (typeof earlier === 'string') old.exec(earlier);
    else earlier(old);
  }
  old.pragma(`user_version = ${version}`);
  return { path, old };
}
