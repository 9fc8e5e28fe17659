#!/usr/bin/env node
// Runs every *.test.ts under the given folder (or the one test file given) with node's test
// runner through tsx. Node 20 cannot expand globs in --test arguments, so the list is built here.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.argv[2] ?? 'test';
const files = [];
const rootStat = statSync(root, { throwIfNoEntry: false });
if (rootStat?.isFile()) files.push(root);
else if (rootStat?.isDirectory())
  (function walk(dir) {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.test.ts')) files.push(path);
    }
  })(root);
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts files at ${root}`);
  process.exit(1);
}
const extra = process.argv.slice(3);
// Every temporary folder the tests make goes into one folder of this run (TMPDIR, which
// os.tmpdir() and the programs they start follow), removed at the end: a test that does not
// remove its own leaves nothing behind.
const scratch = mkdtempSync(join(tmpdir(), 'hotpapers-tests-'));
// tsx keeps what it compiled in TMPDIR/tsx-EUID: that folder stays the shared one, kept between runs.
const tsxCache = `tsx-${process.geteuid?.() ?? 'user'}`;
try {
  mkdirSync(join(tmpdir(), tsxCache), { recursive: true });
  symlinkSync(join(tmpdir(), tsxCache), join(scratch, tsxCache), 'dir');
} catch {
  // Without the link tsx compiles again into the run's folder: slower, the same tests.
}
let result;
try {
  result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files],
    { stdio: 'inherit', env: { ...process.env, TMPDIR: scratch } },
  );
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(result?.status ?? 1);
