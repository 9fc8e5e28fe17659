/**
 * The package's bin as `npm install` builds it: `npx hotpapers …` in a clone runs the file that
 * package.json names as a program (not through node), so it must be executable and start.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the built bin is executable and answers --version as a program of its own', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
    bin: Record<string, string>;
  };
  const bin = join(ROOT, pkg.bin.hotpapers!);
  // `npm install` (and `npm ci`) builds it through the `prepare` script.
  accessSync(bin, constants.X_OK);
  const run = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(run.error, undefined);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), pkg.version);
});
