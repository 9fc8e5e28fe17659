/**
 * requireCached (src/util/code-cache.ts): KaTeX loaded through V8's code cache renders what a
 * plain require renders; the cache is written once and used by the next process, a damaged or
 * foreign one is ignored and replaced, and processes with other V8 flags keep their own.
 * requireCachedTree (zod's many files): the same, file by file. Each load runs in a fresh
 * process (one isolate would find the script in its own compilation cache).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serialize } from 'node:v8';
import { cacheDirOf } from '../../src/util/code-cache.js';

const CODE_CACHE = fileURLToPath(new URL('../../src/util/code-cache.ts', import.meta.url));
const JIT = fileURLToPath(new URL('../../src/util/jit.ts', import.meta.url));
const HEAP = fileURLToPath(new URL('../../src/util/heap.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const TEX = String.raw`\mathcal{O}(n^2) + \sum_{i=1}^{k} \alpha_i`;
const OPTIONS = { throwOnError: false, output: 'htmlAndMathml' } as const;

/** What a process sets at run time before it loads KaTeX (a site build: late, young; a full one: tight too). */
type Setting = 'late' | 'young' | 'tight';
const SET: Record<Setting, string> = {
  late: `(await import(${JSON.stringify(JIT)})).optimiseLater();`,
  young: `(await import(${JSON.stringify(HEAP)})).keepYoungSmall();`,
  tight: `(await import(${JSON.stringify(HEAP)})).keepHeapTight();`,
};

/**
 * Load KaTeX through the cache in `dir` in a fresh process (its `sibling` file instead of its
 * main one when given), typeset `texts`, save: what it reports (the HTML of all, joined).
 */
function load(
  dir: string,
  settings: readonly Setting[] = [],
  sibling?: string,
  texts: readonly string[] = [TEX],
): { fromCache: boolean; html: string; file: string } {
  const options = sibling === undefined ? { dir } : { dir, sibling };
  const program = `
${settings.map((s) => SET[s]).join('\n')}
const { requireCached } = await import(${JSON.stringify(CODE_CACHE)});
const m = requireCached('katex', ${JSON.stringify(options)});
const html = ${JSON.stringify(texts)}.map((t) => m.exports.renderToString(t, ${JSON.stringify(OPTIONS)})).join('\\n');
m.save();
process.stdout.write(JSON.stringify({ fromCache: m.fromCache, html, file: m.file }));
`;
  const child = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', program], {
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { fromCache: boolean; html: string; file: string };
}

const cacheFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.v8cache'))
    .sort();

test('KaTeX through the code cache: written by the first process, used by the next, same HTML as a plain require', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const plain = (createRequire(import.meta.url)('katex') as typeof import('katex').default).renderToString(
    TEX,
    OPTIONS,
  );
  const first = load(dir);
  assert.equal(first.fromCache, false);
  assert.equal(first.html, plain);
  const files = cacheFiles(dir);
  assert.equal(files.length, 1);
  assert.match(files[0]!, /^katex-default-[0-9a-f]{20}\.v8cache$/);
  const second = load(dir);
  assert.equal(second.fromCache, true);
  assert.equal(second.html, plain);
  assert.deepEqual(cacheFiles(dir), files);
});

test('a damaged cache is ignored and replaced; a stale one of the same flags is removed, another flags’ kept', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  load(dir);
  const [name] = cacheFiles(dir);
  writeFileSync(join(dir, name!), Buffer.from('not a code cache'));
  writeFileSync(join(dir, 'katex-default-0123456789abcdef0123.v8cache'), Buffer.from('an older one'));
  const damaged = load(dir);
  assert.equal(damaged.fromCache, false);
  assert.equal(damaged.html, load(mkdtempSync(join(dir, 'other-'))).html);
  // Replaced, and the stale file of the same flags gone.
  assert.deepEqual(cacheFiles(dir), [name]);
  assert.equal(load(dir).fromCache, true);
  // A process with a raised interrupt budget (a site build) keeps a cache of its own beside it.
  assert.equal(load(dir, ['late']).fromCache, false);
  const both = cacheFiles(dir);
  assert.equal(both.length, 2);
  assert.ok(both.includes(name!));
  assert.ok(both.some((n) => n.startsWith('katex-late-')));
  assert.equal(load(dir, ['late']).fromCache, true);
  assert.equal(load(dir).fromCache, true);
});

test('flags set while running name their own cache: an incremental and a full site build do not replace each other’s', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // V8 rejects data made under other flags, those set at run time included: one shared file
  // would be rejected and written again by every build that follows a build of the other kind.
  const incremental: Setting[] = ['late', 'young'];
  const full: Setting[] = ['late', 'young', 'tight'];
  assert.equal(load(dir, incremental).fromCache, false);
  assert.equal(load(dir, full).fromCache, false);
  assert.equal(load(dir, incremental).fromCache, true);
  assert.equal(load(dir, full).fromCache, true);
  assert.deepEqual(
    cacheFiles(dir)
      .map((n) => n.replace(/-[0-9a-f]{20}\.v8cache$/, ''))
      .sort(),
    ['katex-late+young', 'katex-late+young+tight'],
  );
});

test('the cache folder is node_modules/.cache/hotpapers of the installed package, none outside node_modules', () => {
  const file = ['', 'srv', 'app', 'node_modules', 'katex', 'dist', 'katex.js'].join(sep);
  assert.equal(cacheDirOf(file), ['', 'srv', 'app', 'node_modules', '.cache', 'hotpapers'].join(sep));
  const nested = ['', 'a', 'node_modules', 'b', 'node_modules', 'katex', 'katex.js'].join(sep);
  assert.equal(
    cacheDirOf(nested),
    ['', 'a', 'node_modules', 'b', 'node_modules', '.cache', 'hotpapers'].join(sep),
  );
  assert.equal(cacheDirOf(['', 'opt', 'katex', 'katex.js'].join(sep)), undefined);
});

test('a minified sibling (katex.min.js, what math.ts loads) renders what the main file renders; a missing one falls back to it', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-code-cache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const texts = [
    TEX,
    String.raw`\frac{a}{b} \sqrt[3]{x} \int_0^\infty e^{-x^2}\,dx`,
    String.raw`\mathbb{R}^d \times \mathfrak{g} \to \hat{\theta}_{\text{MLE}}`,
    String.raw`\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix} \le \| x \|_2`,
    String.raw`\frac{`,
  ];
  const katex = createRequire(import.meta.url)('katex') as typeof import('katex').default;
  const plain = texts.map((tex) => katex.renderToString(tex, OPTIONS)).join('\n');
  const minified = load(dir, [], 'katex.min.js', texts);
  assert.equal(basename(minified.file), 'katex.min.js');
  assert.equal(minified.fromCache, false);
  assert.equal(minified.html, plain);
  assert.equal(load(dir, [], 'katex.min.js', texts).fromCache, true);
  // One cache per package and flags, of the file loaded: the main file does not take the
  // minified file's, and replaces it (as the first build after an upgrade replaced katex.js's).
  const [minCache] = cacheFiles(dir);
  const main = load(dir, [], undefined, texts);
  assert.equal(main.fromCache, false);
  assert.equal(main.html, plain);
  assert.equal(cacheFiles(dir).length, 1);
  assert.notEqual(cacheFiles(dir)[0], minCache);
  const absent = load(mkdtempSync(join(dir, 'absent-')), [], 'no-such-file.js', texts);
  assert.equal(absent.html, plain);
  assert.equal(basename(absent.file), 'katex.js');
  assert.equal(absent.fromCache, false);
});

/**
 * Load the CommonJS package at `entry` with requireCachedTree (cache in `dir`) in a fresh
 * process, call its `describe()`, save: what it reports.
 */
function loadTree(dir: string, entry: string): { fromCache: boolean; described: string } {
  const program = `
const { requireCachedTree } = await import(${JSON.stringify(CODE_CACHE)});
const m = requireCachedTree(${JSON.stringify(entry)}, { dir: ${JSON.stringify(dir)} });
const described = m.exports.describe();
m.save();
process.stdout.write(JSON.stringify({ fromCache: m.fromCache, described }));
`;
  const child = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', program], {
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { fromCache: boolean; described: string };
}

test("a package of many files (requireCachedTree, how zod is loaded) keeps Node's require semantics and its cache follows each file's bytes", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-code-cache-tree-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = join(dir, 'pkg');
  mkdirSync(join(pkg, 'lib'), { recursive: true });
  const cache = join(dir, 'cache');
  // A cycle (lib/a.cjs requires the entry while the entry loads it), a path without an
  // extension, JSON, and one of Node's modules.
  writeFileSync(
    join(pkg, 'index.cjs'),
    `exports.name = 'entry';\nconst a = require('./lib/a.cjs');\nexports.describe = () => a.seen + ' ' + require('./lib/b').word + ' ' + require('./lib/data.json').n;\n`,
  );
  writeFileSync(
    join(pkg, 'lib', 'a.cjs'),
    `const entry = require('../index.cjs');\nexports.seen = entry.name + '/' + typeof entry.describe + '/' + require('node:path').basename('/x/y.txt');\n`,
  );
  writeFileSync(join(pkg, 'lib', 'b.js'), `module.exports = { word: 'alpha' };\n`);
  writeFileSync(join(pkg, 'lib', 'data.json'), '{"n": 7}\n');
  const expected = 'entry/undefined/y.txt alpha 7';
  const first = loadTree(cache, join(pkg, 'index.cjs'));
  assert.deepEqual(first, { fromCache: false, described: expected });
  assert.equal(cacheFiles(cache).length, 1);
  assert.deepEqual(loadTree(cache, join(pkg, 'index.cjs')), { fromCache: true, described: expected });
  // A file changed to another text of the same length (all V8 itself compares): its cached code
  // is not used, the new code runs, and the cache is written again for it.
  writeFileSync(join(pkg, 'lib', 'b.js'), `module.exports = { word: 'omega' };\n`);
  assert.deepEqual(loadTree(cache, join(pkg, 'index.cjs')), {
    fromCache: false,
    described: 'entry/undefined/y.txt omega 7',
  });
  assert.deepEqual(loadTree(cache, join(pkg, 'index.cjs')), {
    fromCache: true,
    described: 'entry/undefined/y.txt omega 7',
  });
  // A damaged cache is ignored and replaced.
  writeFileSync(join(cache, cacheFiles(cache)[0]!), 'not a cache');
  assert.deepEqual(loadTree(cache, join(pkg, 'index.cjs')), {
    fromCache: false,
    described: 'entry/undefined/y.txt omega 7',
  });
  assert.equal(loadTree(cache, join(pkg, 'index.cjs')).fromCache, true);
  // A cache that holds something else than code under a file's key is not used either.
  const entry = join(pkg, 'index.cjs');
  const key = `${entry}\n${createHash('sha1').update(readFileSync(entry)).digest('base64')}`;
  writeFileSync(join(cache, cacheFiles(cache)[0]!), serialize(new Map([[key, 'not code']])));
  assert.deepEqual(loadTree(cache, entry), { fromCache: false, described: 'entry/undefined/y.txt omega 7' });
  assert.equal(loadTree(cache, entry).fromCache, true);
});

test('zod as the configuration loads it (src/util/zod.ts) is the package itself', async () => {
  const { z } = await import('../../src/util/zod.js');
  const direct = createRequire(import.meta.url)('zod') as typeof import('zod');
  assert.deepEqual(Object.keys(z).sort(), Object.keys(direct.z).sort());
  const schema = z.object({ a: z.string().min(2) });
  assert.deepEqual(schema.parse({ a: 'xy' }), { a: 'xy' });
  assert.throws(() => schema.parse({ a: 'x' }), /too_small|Too small/);
});
