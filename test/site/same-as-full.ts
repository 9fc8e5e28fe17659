/** Comparing a site folder an incremental build left with the one a full build makes. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_PATH } from '../../src/site/build.js';
import { ALL_TIME_DIR, allTimePath, RESERVE_PATH } from '../../src/site/list-state.js';

/** A file of a folder: "inode:mtime" (changes when it is rewritten) and its bytes. */
export type Snapshot = Map<string, { id: string; bytes: Buffer }>;

/** Every file of a folder: site path → "inode:mtime" and its bytes. */
export function snapshot(root: string): Snapshot {
  const out: Snapshot = new Map();
  for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    const s = statSync(full);
    out.set(full.slice(root.length + 1), { id: `${s.ino}:${s.mtimeMs}`, bytes: readFileSync(full) });
  }
  return out;
}

/** A folder's site paths but the manifest's head, sorted. */
export function names(m: Map<string, unknown>): string[] {
  return [...m.keys()].filter((p) => p !== MANIFEST_PATH).sort();
}

/** A reserve file: its stamp, the site's reserve as rows, and per category [held, last row]. */
function reserveOf(bytes: Buffer): { stamp: string; all: string[]; cats: Map<string, [number, string]> } {
  const f = JSON.parse(bytes.toString('utf8')) as {
    stamp: string;
    rows: unknown[];
    all: number[];
    cats: Array<[string, number, number]>;
  };
  return {
    stamp: f.stamp,
    all: f.all.map((n) => JSON.stringify(f.rows[n])),
    cats: new Map(f.cats.map(([c, held, last]) => [c, [held, JSON.stringify(f.rows[last])]])),
  };
}

/** A category's all-time file: its top and its reserve as rows. */
function allTimeOf(bytes: Buffer): { top: string[]; more: string[] } {
  const f = JSON.parse(bytes.toString('utf8')) as { rows: unknown[]; top: number[]; more: number[] };
  const rows = (list: number[]) => list.map((n) => JSON.stringify(f.rows[n]));
  return { top: rows(f.top), more: rows(f.more) };
}

/**
 * An incremental build's reserve file against a full build's: the same state file (stamp), the
 * site's all-time reserve the full one's or the start of it (an incremental build cuts a reserve
 * short where it cannot be sure of a paper; the next build that reads the history fills it), and
 * for each category what its own all-time file holds (see assertAllTimeWithin).
 */
function assertReserveWithin(incremental: Snapshot, full: Buffer, what: string): void {
  const a = reserveOf(incremental.get(RESERVE_PATH)!.bytes);
  const b = reserveOf(full);
  assert.equal(a.stamp, b.stamp, `${what}: the reserve goes with the same list state`);
  assert.deepEqual(a.all, b.all.slice(0, a.all.length), `${what}: the site's reserve starts as the full one`);
  assert.deepEqual([...a.cats.keys()], [...b.cats.keys()], `${what}: the same categories' all-time files`);
  for (const [cat, [held, last]] of a.cats) {
    const file = incremental.get(allTimePath(cat));
    assert.ok(file, `${what}: the all-time file of ${cat}`);
    const { top, more } = allTimeOf(file.bytes);
    const rows = [...top, ...more];
    assert.deepEqual(
      [held, last],
      [rows.length, rows[rows.length - 1]],
      `${what}: what ${cat}'s all-time file holds`,
    );
  }
}

/** An incremental build's all-time file against a full build's: the same top, the reserve the full one's or the start of it. */
function assertAllTimeWithin(incremental: Buffer, full: Buffer, what: string): void {
  const a = allTimeOf(incremental);
  const b = allTimeOf(full);
  assert.deepEqual(a.top, b.top, `${what}: the same all-time top`);
  assert.deepEqual(
    a.more,
    b.more.slice(0, a.more.length),
    `${what}: the all-time reserve starts as the full one`,
  );
}

/**
 * Folder `out` holds the files of `fullOut`, byte for byte, and no other (the manifest's head
 * aside, and the all-time reserves, which may be the full ones cut short); both folders' snapshots.
 */
export function assertSameAsFull(
  out: string,
  fullOut: string,
  what: string,
): { incremental: Snapshot; full: Snapshot } {
  const incremental = snapshot(out);
  const full = snapshot(fullOut);
  const a = names(incremental);
  const b = names(full);
  assert.deepEqual(
    { onlyIncremental: a.filter((p) => !full.has(p)), onlyFull: b.filter((p) => !incremental.has(p)) },
    { onlyIncremental: [], onlyFull: [] },
    `${what}: the same files as a full build`,
  );
  for (const [path, f] of full) {
    if (path === MANIFEST_PATH) continue;
    const mine = incremental.get(path)!.bytes;
    if (path === RESERVE_PATH) assertReserveWithin(incremental, f.bytes, what);
    else if (path.startsWith(`${ALL_TIME_DIR}/`)) assertAllTimeWithin(mine, f.bytes, `${what}: ${path}`);
    else assert.ok(mine.equals(f.bytes), `${what}: ${path}`);
  }
  return { incremental, full };
}
