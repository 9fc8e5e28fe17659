/**
 * Upgrading a store written by the release before digest format 2 (fa51622): every digest
 * loads deep-equal to what that release loaded, is stored by key afterwards, and posts,
 * snapshots, embeds, papers and listings are untouched.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/db.js';
import { listDigestRows, loadDigest, readDigest } from '../../src/store/digests.js';
import { MIGRATIONS } from '../../src/store/migrations.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'store', 'fa51622.db');
const TABLES = ['papers', 'listings', 'listing_days', 'posts', 'post_papers', 'snapshots', 'embeds', 'runs'];

interface OldRow {
  day: string;
  categories: string;
  horizon: string;
  digest: string;
  path: string | null;
  markdown_sha256: string | null;
}

/** What the old release's loadDigest returned: the JSON as stored, plus the file's path and hash. */
function oldLoad(row: OldRow) {
  return {
    ...JSON.parse(row.digest),
    path: row.path ?? undefined,
    markdownSha256: row.markdown_sha256 ?? undefined,
  };
}

function dump(db: Database.Database): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all();
  return out;
}

test('a store of the previous release upgrades in place with every digest loading as before', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'hp-migrate-')), 'old.db');
  copyFileSync(FIXTURE, path);
  const raw = new Database(path);
  assert.equal(raw.pragma('user_version', { simple: true }), 2);
  const oldRows = raw.prepare('SELECT * FROM digests ORDER BY day, categories, horizon').all() as OldRow[];
  const before = dump(raw);
  const oldBytes = oldRows.reduce((n, r) => n + r.digest.length, 0);
  raw.close();
  assert.ok(oldRows.length >= 4, 'the fixture holds several digests');
  assert.ok(oldRows.some((r) => r.horizon === '24h'));

  const db = openStore(path);
  try {
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    for (const row of oldRows) {
      const loaded = loadDigest(db, row.day, row.categories, row.horizon);
      assert.deepStrictEqual(loaded, oldLoad(row), `${row.day} ${row.categories} ${row.horizon}`);
      const { path: _p, markdownSha256: _h, ...digest } = oldLoad(row);
      assert.deepStrictEqual(readDigest(db, row.day, row.categories, row.horizon), digest);
    }
    // Every row is now stored by key, and much smaller.
    const now = db.prepare('SELECT digest FROM digests').pluck().all() as string[];
    for (const text of now) assert.equal(JSON.parse(text).format, 2);
    const newBytes = now.reduce((n, t) => n + t.length, 0);
    assert.ok(newBytes * 5 < oldBytes, `${newBytes} bytes by key vs ${oldBytes} whole`);
    assert.deepStrictEqual(dump(db), before);
    assert.deepEqual(
      listDigestRows(db).map((r) => `${r.day}|${r.categories}|${r.horizon}`),
      [...oldRows]
        .sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0))
        .map((r) => `${r.day}|${r.categories}|${r.horizon}`),
    );
  } finally {
    db.close();
  }
});
