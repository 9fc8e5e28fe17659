/**
 * A CommonJS package loaded through V8's code cache, kept in `node_modules/.cache/hotpapers/`
 * (the convention of find-cache-dir). Node 20 has no compile cache of its own (22 has
 * `module.enableCompileCache`), and KaTeX, loaded by every build whose pages have math, took
 * ~18 ms of a one-day build's ~200 ms of CPU to parse and compile; with the cache it takes ~7.
 *
 * V8 checks the data against the source and its own version and flags, and ignores it when they
 * differ (`cachedDataRejected`); the file name holds a hash of the same, so processes run with
 * other flags (those set at start, and those set while running: src/util/v8-flags.ts) keep
 * caches of their own instead of replacing each other's. Any failure to read or write the cache
 * only costs the time it would have saved.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { runtimeProfile } from './v8-flags.js';

/** A loaded package and what its cache did. */
export interface CachedModule<T> {
  exports: T;
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

/** Load the CommonJS package `id` (with no imports of its own resolved differently) through the code cache in `dirGiven` (default: cacheDirOf its file). */
export function requireCached<T>(id: string, dirGiven?: string): CachedModule<T> {
  const file = require.resolve(id);
  const dir = dirGiven ?? cacheDirOf(file);
  const source = readFileSync(file, 'utf8');
  const key = createHash('sha256')
    .update(
      `${process.version}\n${process.arch}\n${process.execArgv.join(' ')}\n${process.env.NODE_OPTIONS ?? ''}\n${runtimeProfile()}\n`,
    )
    .update(source)
    .digest('hex')
    .slice(0, 20);
  const prefix = `${id.replace(/[^a-z0-9]+/gi, '-')}-${runtimeProfile()}-`;
  const path = dir && join(dir, `${prefix}${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    if (path) cachedData = readFileSync(path);
  } catch {}
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  let saved = fromCache;
  return {
    exports: module.exports,
    fromCache,
    save() {
      if (saved || !dir || !path) return;
      saved = true;
      // Written whole, then renamed: a process reading it never sees half a file.
      const temp = `${path}.${process.pid}-${threadId}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, path);
        // The caches of other versions of the package or of Node are of no more use.
        for (const name of readdirSync(dir))
          if (name.startsWith(prefix) && name.endsWith('.v8cache') && join(dir, name) !== path)
            rmSync(join(dir, name), { force: true });
      } catch {
        try {
          rmSync(temp, { force: true });
        } catch {}
      }
    },
  };
}
