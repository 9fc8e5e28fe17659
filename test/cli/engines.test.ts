/**
 * Issue 11: `npm install` on the oldest Node the package supports prints no EBADENGINE warning.
 * npm warns when an installed package's `engines.node` excludes the running Node, so every
 * package of the lockfile must accept the minimum of our own `engines.node` (katex's own
 * commander 15 wants Node ≥ 22.12; an `overrides` entry gives it ours).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import semver from 'semver';

const ROOT = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as {
  engines: { node: string };
  overrides?: Record<string, unknown>;
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', ROOT), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

test('every locked package accepts the oldest Node of our engines range (no EBADENGINE)', () => {
  const oldest = semver.minVersion(pkg.engines.node);
  assert.ok(oldest, `engines.node "${pkg.engines.node}" has a minimum`);
  const refused: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || Array.isArray(entry.engines)) continue;
    const range = entry.engines?.node;
    if (range && !semver.satisfies(oldest, range))
      refused.push(`${path}@${entry.version} wants node ${range}`);
  }
  assert.deepEqual(refused, [], `installing on Node ${oldest.version} would warn`);
});

test("katex's commander is overridden with ours and deduplicated", () => {
  assert.deepEqual(pkg.overrides, { katex: { commander: '$commander' } });
  assert.equal(lock.packages['node_modules/katex/node_modules/commander'], undefined);
});
