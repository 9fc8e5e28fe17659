/**
 * A built site checked against its manifest, file by file: what is missing, what differs from
 * what the build wrote, what is there that no build wrote. An incremental build trusts the
 * manifest (it never reads the files it keeps), so a page deleted or edited by hand, by a sync
 * tool or by a failing disk stays so until a full build; this is how to find out.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HotpapersError } from '../errors.js';
import { SITE_MARKER } from './build.js';
import { contentHash, MANIFEST_PATH } from './manifest.js';
import { safeJoin } from './safe-join.js';
import { JOURNAL_PATH, PENDING_DIR, readSiteManifest, siteLockHolder } from './write.js';

/** What checkSite found. */
export interface SiteCheck {
  /** Absolute path of the site folder. */
  dir: string;
  /** 'ok': read whole; 'missing': none this release reads (none, or an older release's); 'damaged': a part of it does not read. */
  manifest: 'ok' | 'missing' | 'damaged';
  /** Why the manifest is damaged. */
  manifestProblem?: string;
  /** An in-place build died after its journal: the next build finishes it. */
  interrupted: boolean;
  /** Files the manifest lists. */
  files: number;
  /** Listed files that are not there (or not a plain file). */
  missing: string[];
  /** Listed files whose content is not what the build wrote. */
  changed: string[];
  /** Files in the folder that the manifest does not list (a full build drops them). */
  extra: string[];
  /** Whether the folder is exactly what the last build wrote. */
  whole: boolean;
}

/** Paths of the folder that are the engine's own bookkeeping, never listed in the manifest. */
const UNLISTED = new Set([MANIFEST_PATH, JOURNAL_PATH, `${JOURNAL_PATH}.tmp`]);

/** Whether `dir` is a folder a site build wrote (it holds the builds' marker file). */
export function isBuiltSite(dir: string): boolean {
  try {
    return readdirSync(dir).includes(SITE_MARKER);
  } catch {
    return false;
  }
}

/**
 * Check the site folder `outDir` against its manifest: every listed file read and hashed, the
 * folder walked for files nobody listed. Reads only. Fails (one line) when there is no folder,
 * when it is not a hotpapers site, or when a build is writing it.
 */
export function checkSite(outDir: string): SiteCheck {
  const dir = resolve(outDir);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : 'cannot be read';
    throw new HotpapersError('site', `${dir} ${why}: no site to check`, { cause: error });
  }
  if (!entries.includes(SITE_MARKER))
    throw new HotpapersError('site', `${dir} was not written by hotpapers site: nothing to check`);
  const holder = siteLockHolder(dir);
  if (holder !== undefined)
    throw new HotpapersError('site', `a build (pid ${holder}) is writing ${dir}; check it when that ends`);
  const result: SiteCheck = {
    dir,
    manifest: 'ok',
    interrupted: existsSync(join(dir, JOURNAL_PATH)),
    files: 0,
    missing: [],
    changed: [],
    extra: [],
    whole: false,
  };
  const listed = new Set<string>();
  let manifest: ReturnType<typeof readSiteManifest>;
  try {
    manifest = readSiteManifest(dir);
  } catch (error) {
    result.manifest = 'damaged';
    result.manifestProblem = (error as Error).message;
  }
  if (!manifest && result.manifest === 'ok') result.manifest = 'missing';
  if (manifest) {
    try {
      for (const path of manifest.files.paths()) {
        listed.add(path);
        const bytes = plainFile(dir, path);
        if (bytes === undefined) result.missing.push(path);
        else if (contentHash(bytes) !== manifest.files.hash(path)) result.changed.push(path);
      }
    } catch (error) {
      // A slice of the manifest missing or garbled: what it listed cannot be told.
      result.manifest = 'damaged';
      result.manifestProblem = (error as Error).message;
    }
  }
  result.files = listed.size;
  // Unlisted files are only told apart when the manifest was read whole.
  if (result.manifest === 'ok')
    walk(dir, '', (path) => {
      if (!listed.has(path) && !UNLISTED.has(path)) result.extra.push(path);
    });
  result.whole =
    result.manifest === 'ok' &&
    !result.interrupted &&
    result.missing.length === 0 &&
    result.changed.length === 0;
  return result;
}

/** The bytes of `path` under `dir` when it is a plain file (not a link, a folder or nothing). */
function plainFile(dir: string, path: string): Buffer | undefined {
  const target = safeJoin(dir, path);
  try {
    return lstatSync(target).isFile() ? readFileSync(target) : undefined;
  } catch {
    return undefined;
  }
}

/** Call `visit` with the site path of every entry under `dir` that is not a folder (the pending folder left out). */
function walk(dir: string, prefix: string, visit: (path: string) => void): void {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (path !== PENDING_DIR) walk(dir, path, visit);
    } else visit(path);
  }
}

/** One line per kind of finding, at most `max` paths each, for people. */
export function describeCheck(check: SiteCheck, max = 10): string[] {
  const lines: string[] = [];
  const some = (paths: readonly string[]) =>
    paths.length <= max
      ? paths.join(', ')
      : `${paths.slice(0, max).join(', ')} and ${paths.length - max} more`;
  if (check.manifest === 'missing')
    lines.push(
      'no manifest this release reads (none, or an older release wrote it): the next build rewrites the site whole',
    );
  if (check.manifest === 'damaged')
    lines.push(`the manifest is damaged (${check.manifestProblem}): the next build rewrites the site whole`);
  if (check.interrupted)
    lines.push('a build died while renaming its files into place: the next build finishes it');
  if (check.missing.length > 0) lines.push(`${check.missing.length} missing: ${some(check.missing)}`);
  if (check.changed.length > 0)
    lines.push(`${check.changed.length} not as the last build wrote them: ${some(check.changed)}`);
  if (check.extra.length > 0)
    lines.push(
      `${check.extra.length} not written by hotpapers (a full build drops them): ${some(check.extra)}`,
    );
  return lines;
}
