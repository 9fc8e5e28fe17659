/**
 * keepYoungSmall and letYoungGrow (src/util/heap.ts) steer V8's young generation for the rest of
 * the process: checked by its size, a semi-space (youngSemiSpaceBytes, from V8's `new_space`), in
 * a fresh process that keeps many young objects alive (what makes V8 grow it), never by time. And which of the two a site
 * build leaves in force: a full build of a small history lets it grow, an incremental one holds it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fullBuildHooks, HOLD_YOUNG_FROM_DAYS } from '../../src/site/generate.js';
import { openStore } from '../../src/store/db.js';
import { sampleDigests, storeAsPost } from '../site/fixtures.js';

const HEAP = fileURLToPath(new URL('../../src/util/heap.ts', import.meta.url));
const FLAGS = fileURLToPath(new URL('../../src/util/v8-flags.ts', import.meta.url));
const GENERATE = fileURLToPath(new URL('../../src/site/generate.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** Run `program` (an ES module) in a fresh process through tsx; what it printed, parsed as JSON. */
function run<T>(program: string): T {
  const child = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', program], {
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as T;
}

test('keepYoungSmall holds the young generation, letYoungGrow lets V8 grow it, keepYoungSmall holds it again', () => {
  const got = run<{ sizes: number[]; profiles: string[] }>(`
const heap = await import(${JSON.stringify(HEAP)});
const { runtimeProfile } = await import(${JSON.stringify(FLAGS)});
const young = heap.youngSemiSpaceBytes;
// Objects that survive a few scavenges each: V8 grows the young generation when many survive.
const churn = () => {
  const kept = [];
  for (let i = 0; i < 300000; i++) {
    kept.push({ i, s: 'x' + i });
    if (kept.length > 100000) kept.splice(0, 50000);
  }
  return kept.length;
};
const profiles = [];
heap.letYoungGrow();
profiles.push(runtimeProfile());
heap.keepYoungSmall();
const sizes = [young()];
churn(); churn();
sizes.push(young());
heap.letYoungGrow();
profiles.push(runtimeProfile());
churn(); churn(); churn();
sizes.push(young());
heap.keepYoungSmall();
churn();
sizes.push(young());
churn(); churn(); churn();
sizes.push(young());
process.stdout.write(JSON.stringify({ sizes, profiles }));
`);
  const [held, afterHeld, grown, heldAgain, afterHeldAgain] = got.sizes;
  assert.equal(afterHeld, held, 'held: the young generation keeps its size');
  assert.ok(grown! > afterHeld!, `let grow: ${afterHeld} → ${grown}`);
  assert.equal(afterHeldAgain, heldAgain, 'held again: it keeps its size');
  // letYoungGrow with nothing held sets nothing (the first profile), and names what it set.
  assert.deepEqual(got.profiles, ['default', 'young+grow']);
});

test('a full build of a small history lets the young generation grow; an incremental build holds it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-heap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'store.db');
  const h = openStore(db);
  storeAsPost(h, sampleDigests());
  h.close();
  /** The V8 flags a build set, by runtimeProfile's names, in a fresh process. */
  const build = (full: boolean) =>
    run<string>(`
const { generateSiteToDir } = await import(${JSON.stringify(GENERATE)});
const { runtimeProfile } = await import(${JSON.stringify(FLAGS)});
await generateSiteToDir({ db: ${JSON.stringify(db)}, baseUrl: 'https://example.org/', full: ${full} }, ${JSON.stringify(join(dir, 'site'))});
process.stdout.write(JSON.stringify(runtimeProfile()));
`);
  assert.equal(build(true), 'late+young+tight+grow');
  assert.equal(build(false), 'late+young');
});

test('holdYoungAt lets the young generation grow to the size asked, then holds it there', () => {
  const sizes = run<number[]>(`
const heap = await import(${JSON.stringify(HEAP)});
const young = heap.youngSemiSpaceBytes;
const kept = [];
const churn = (n) => {
  for (let i = 0; i < n; i++) {
    kept.push({ i, s: 'x' + i });
    if (kept.length > 100000) kept.splice(0, 50000);
  }
};
// As a large full build begins: held at what the process reached, smaller than asked.
heap.keepYoungSmall();
const sizes = [young()];
// As at each of its days.
for (let day = 0; day < 60; day++) {
  heap.holdYoungAt(4);
  churn(20000);
  sizes.push(young());
}
process.stdout.write(JSON.stringify(sizes));
`);
  const MB = 1024 * 1024;
  assert.ok(sizes[0]! < 4 * MB, `the process began at ${sizes[0]! / MB} MB`);
  assert.equal(sizes.at(-1), 4 * MB);
  assert.ok(
    sizes.every((s) => s <= 4 * MB),
    `never past it: ${sizes.map((s) => s / MB).join(',')}`,
  );
});

test('a full build of 1,500 days or more holds the young generation at each day; of fewer, lets it grow', () => {
  assert.equal(fullBuildHooks(HOLD_YOUNG_FROM_DAYS - 1).eachDay, undefined);
  assert.equal(typeof fullBuildHooks(HOLD_YOUNG_FROM_DAYS).eachDay, 'function');
  assert.equal(typeof fullBuildHooks(3000).eachDay, 'function');
});
