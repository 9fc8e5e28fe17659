/** Comparing a site folder an incremental build left with the one a full build makes. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_PATH } from '../../src/site/build.js';
import { RESERVE_PATH } from '../../src/site/list-state.js';

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

/** A reserve file's lists as rows: the site's, then each category's under its name. */
function reserveLists(bytes: Buffer): { stamp: string; lists: Map<string, string[]> } {
  const f = JSON.parse(bytes.toString('utf8')) as {
    stamp: string;
    rows: unknown[];
    all: number[];
    cats: Array<[string, number[]]>;
  };
  const rows = (list: number[]) => list.map((n) => JSON.stringify(f.rows[n]));
  return {
    stamp: f.stamp,
    lists: new Map([['', rows(f.all)], ...f.cats.map(([c, l]) => [c, rows(l)] as const)]),
  };
}

/**
 * An incremental build's reserve against a full build's: the same state file (stamp), and each
 * all-time top's reserve the full one's or the start of it (an incremental build cuts a reserve
 * short where it cannot be sure of a paper; the next build that reads the history fills it).
 */
function assertReserveWithin(incremental: Buffer, full: Buffer, what: string): void {
  const a = reserveLists(incremental);
  const b = reserveLists(full);
  assert.equal(a.stamp, b.stamp, `${what}: the reserve goes with the same list state`);
  for (const [key, list] of a.lists) {
    const whole = b.lists.get(key);
    assert.ok(whole, `${what}: a reserve for "${key}" that a full build has not`);
    assert.deepEqual(
      list,
      whole.slice(0, list.length),
      `${what}: the reserve of "${key}" starts as the full one`,
    );
  }
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
    if (path === RESERVE_PATH) assertReserveWithin(mine, f.bytes, what);
    else assert.ok(mine.equals(f.bytes), `${what}: ${path}`);
  }
  return { incremental, full };
}
