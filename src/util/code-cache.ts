/**
 * A CommonJS package (one file: requireCached; a package of many: requireCachedTree) loaded
 * through V8's code cache, kept in `node_modules/.cache/hotpapers/` (the convention of
 * find-cache-dir). Node 20 has no compile cache of its own (22 has
 * `module.enableCompileCache`), and KaTeX, loaded by every build whose pages have math, took
 * ~18 ms of a one-day build's ~200 ms of CPU to parse and compile; with the cache it takes ~7.
 * Reading its minified file instead (ASCII, read as Latin-1, its bytes hashed) took loading and
 * three first formulas from ~51 to ~35 ms of CPU (3 December 2026, ten fresh processes each).
 *
 * V8 checks the data against the source and its own version and flags, and ignores it when they
 * differ (`cachedDataRejected`); the file name holds a hash of the same, so processes run with
 * other flags (those set at start, and those set while running: src/util/v8-flags.ts) keep
 * caches of their own instead of replacing each other's. Any failure to read or write the cache
 * only costs the time it would have saved.
 */
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { runtimeProfile } from './v8-flags.js';

/** A loaded package and what its cache did. */
export interface CachedModule<T> {
  exports: T;
  /** The file loaded (the package's main one, or the sibling asked for). */
  file: string;
  /** Whether V8 used the cached code (false: none, or rejected). */
  fromCache: boolean;
  /**
   * Write the cache when it was not used. Called after the package's first real use, so the
   * functions that use compiled lazily are in it too (most of what the cache saves).
   */
  save(): void;
}

const require = createRequire(import.meta.url);

/** The cache folder of a file installed under node_modules (undefined when it is not). */
export function cacheDirOf(file: string): string | undefined {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`);
  return at < 0 ? undefined : join(file.slice(0, at), 'node_modules', '.cache', 'hotpapers');
}

/** Where to find a package and which of its files to load. */
export interface CachedOptions {
  /** The cache folder (default: cacheDirOf the file). */
  dir?: string;
  /**
   * A file beside the package's main one to load instead, when it is there: a minified build of
   * the same code (KaTeX's `katex.min.js`, 273 KB of ASCII against 621 KB with 2,544 bytes of
   * UTF-8 in `katex.js`, which makes a two-byte string ~6 ms to decode and more to hash).
   */
  sibling?: string;
}

/** The file requireCached loads for `id`: its main file, or the sibling asked for when it exists. */
function fileOf(id: string, sibling: string | undefined): string {
  const main = require.resolve(id);
  if (sibling === undefined) return main;
  const beside = join(dirname(main), sibling);
  return existsSync(beside) ? beside : main;
}

/** Load the CommonJS package `id` (with no imports of its own resolved differently) through the code cache (see CachedOptions). */
export function requireCached<T>(id: string, options: CachedOptions = {}): CachedModule<T> {
  const file = fileOf(id, options.sibling);
  const dir = options.dir ?? cacheDirOf(file);
  const bytes = readFileSync(file);
  // The key hashes the bytes (the same for the same text, without encoding it again).
  const key = createHash('sha256')
    .update(
      `${process.version}\n${process.arch}\n${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}\n${runtimeProfile()}\n`,
    )
    .update(bytes)
    .digest('hex')
    .slice(0, 20);
  // One cache per package and flags, whichever of its files: the first load of another file
  // (a new version, or the minified build instead of the main one) removes the other's.
  const prefix = `${id.replace(/[^a-z0-9]+/gi, '-')}-${runtimeProfile()}-`;
  const path = dir && join(dir, `${prefix}${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    if (path) cachedData = readFileSync(path);
  } catch {}
  const script = compiled(file, bytes, cachedData);
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as T };
  run(script, module, file, createRequire(file));
  let saved = fromCache;
  return {
    exports: module.exports,
    file,
    fromCache,
    save() {
      if (saved || !dir || !path) return;
      saved = true;
      if (!writeCache(dir, path, script.createCachedData())) return;
      // The caches of other versions of the package or of Node are of no more use.
      try {
        for (const name of readdirSync(dir))
          if (name.startsWith(prefix) && name.endsWith('.v8cache') && join(dir, name) !== path)
            rmSync(join(dir, name), { force: true });
      } catch {}
    },
  };
}

/**
 * Load the CommonJS package `id` and every file it requires by a relative path through one code
 * cache: for a package of many small files (zod: 95 files, a median 77 ms of CPU to import in a
 * fresh process, most of it compiling; 52 ms through the cache, measured 4 December 2026). Other
 * requires (Node's modules, other packages, JSON) go to Node's own `require`. Each file's cached
 * code is found by its path and a hash of its bytes: V8's own check compares only the source's
 * length. Its module objects have `exports` only, which is all compiled packages such as zod use.
 */
export function requireCachedTree<T>(id: string, options: { dir?: string } = {}): CachedModule<T> {
  const file = require.resolve(id);
  const dir = options.dir ?? cacheDirOf(file);
  // One file per package and run-time flags (runtimeProfile). Code V8 made under other flags or
  // by another Node is rejected by V8 and written again: such processes take turns.
  const name = id.replace(/[^a-z0-9]+/gi, '-').slice(-40);
  const path = dir && join(dir, `${name}-tree-${runtimeProfile()}.v8cache`);
  let cache = new Map<string, Uint8Array>();
  try {
    if (path) cache = deserialize(readFileSync(path)) as Map<string, Uint8Array>;
    if (!(cache instanceof Map)) cache = new Map();
  } catch {}
  const scripts: Array<[key: string, script: Script]> = [];
  const loaded = new Map<string, { exports: unknown }>();
  let missed = 0;
  /** Node's module semantics for these files: one instance each, a cycle sees the exports so far. */
  const load = (at: string): unknown => {
    const known = loaded.get(at);
    if (known) return known.exports;
    const bytes = readFileSync(at);
    const key = `${at}\n${createHash('sha1').update(bytes).digest('base64')}`;
    const found = cache.get(key);
    // A file that is not ours may hold anything under the key: only bytes are code.
    const cachedData =
      found instanceof Uint8Array ? Buffer.from(found.buffer, found.byteOffset, found.byteLength) : undefined;
    const script = compiled(at, bytes, cachedData);
    if (cachedData === undefined || script.cachedDataRejected !== false) missed++;
    scripts.push([key, script]);
    const module = { exports: {} as unknown };
    loaded.set(at, module);
    const own = createRequire(at);
    const requireHere = (spec: string): unknown => {
      if (!spec.startsWith('.')) return own(spec);
      const target = /\.c?js$/.test(spec) ? join(dirname(at), spec) : own.resolve(spec);
      return /\.c?js$/.test(target) ? load(target) : own(target);
    };
    run(script, module, at, requireHere);
    return module.exports;
  };
  const exports = load(file) as T;
  let saved = false;
  return {
    exports,
    file,
    // Read when asked: a file required later (inside a function) counts too.
    get fromCache() {
      return missed === 0;
    },
    save() {
      if (saved || missed === 0 || !dir || !path) return;
      saved = true;
      writeCache(
        dir,
        path,
        serialize(new Map(scripts.map(([key, script]) => [key, script.createCachedData()]))),
      );
    },
  };
}

/**
 * A CommonJS file compiled as Node wraps it, with V8's cached code when given. An ASCII file is
 * read as Latin-1: the same string, made without UTF-8 decoding, one byte a character.
 */
function compiled(file: string, bytes: Buffer, cachedData: Buffer | undefined): Script {
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  return new Script(Module.wrap(source), { filename: file, cachedData });
}

/** Run a compiled file's wrapper as Node would: `this` its exports, then exports, require, module, names. */
function run(
  script: Script,
  module: { exports: unknown },
  file: string,
  requireHere: (id: string) => unknown,
): void {
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, requireHere, module, file, dirname(file));
}

/**
 * Write a cache file whole, then rename it into place: a process reading it never sees half a
 * file. False when it could not (the cache only costs the time it would have saved).
 */
function writeCache(dir: string, path: string, data: Uint8Array): boolean {
  const temp = `${path}.${process.pid}-${threadId}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, data);
    renameSync(temp, path);
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {}
    return false;
  }
}
