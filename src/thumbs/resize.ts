/**
 * The site's resize step (disk only, no network): each cached original gets a small WebP copy
 * (THUMB_WIDTH px wide, THUMB_QUALITY) made once with `sharp` and kept in the thumbnail folder,
 * so a build resizes only the images it has not seen. It looks only at the images the store
 * logged since its last run (thumbnail_changes, up to the number kept in the copies' folder),
 * not at every image of the history: a site of years has tens of thousands. Once an image has
 * its copy the original is deleted (the site reads only the copy, ~4 KB against 100–600 KB),
 * unless the originals are to be kept (thumbnailOriginals: keep). Async: it runs before the
 * (synchronous) site engine, which then reads the copies.
 */
import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine } from '../errors.js';
import type { Db } from '../store/db.js';
import { cachedThumbnailsSince, thumbnailLogTop } from '../store/thumbnails.js';
import { isOriginalName, resizedDir, resizedName, THUMB_QUALITY, THUMB_WIDTH } from './files.js';

export interface ResizeReport {
  /** Copies made now, and already there, of the images looked at. */
  made: number;
  kept: number;
  /** Originals deleted now, their copy made, and their bytes (as downloaded). */
  pruned: number;
  prunedBytes: number;
  /** One line per original that could not be resized (missing file, undecodable) or deleted. */
  failures: string[];
}

/**
 * File in the copies' folder holding the number of the last logged image (thumbnail_changes)
 * up to which every image has its copy: the next run starts after it. Gone with the folder.
 */
export const RESIZED_MARK = '.resized-through';

/**
 * File in the thumbnail folder holding the number of the last logged image up to which every
 * original with its copy was deleted. Apart from RESIZED_MARK: a store whose originals were
 * kept (by an older release, or by choice) has them all deleted once, on its first build that
 * prunes, however far its copies are.
 */
export const PRUNED_MARK = '.originals-pruned-through';

/** What the resize step does besides making the copies missing. */
export interface ResizeOptions {
  /** Look at every cached image, not only those logged since the last run (`site --full`). */
  all?: boolean;
  /** Keep each original once its copy is made (default: delete it). */
  keepOriginals?: boolean;
}

/** The site's WebP copy of an image: THUMB_WIDTH px wide at most, THUMB_QUALITY. */
export async function makeThumb(image: Buffer): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(image, { limitInputPixels: 40_000_000 })
    .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
    .webp({ quality: THUMB_QUALITY, effort: 4 })
    .toBuffer();
}

/**
 * Write `data` to `target` through a temporary file renamed into place (a reader sees all or
 * nothing). Not writeFileAtomic (src/util/atomic.ts): it lists the folder for stale temporary
 * files on every write, and this folder holds a copy per image of the history.
 */
async function writeWhole(target: string, data: Buffer | string): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, target).catch(async (error) => {
    await unlink(temp).catch(() => {});
    throw error;
  });
}

/** An error's message as a failure line gives it: one line, at most 100 characters. */
function reason(error: unknown): string {
  return oneLine((error as Error).message).slice(0, 100);
}

/** The mark in file `path`: 0 when there is none or it does not read as a number. */
function readMark(path: string): number {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

/**
 * Make the missing WebP copies of the cached originals in `thumbDir` logged since the last run
 * (of every cached original with `all`, as `site --full` asks), and delete the originals that
 * have their copy unless `keepOriginals`.
 */
export async function resizeThumbnails(
  db: Db,
  thumbDir: string,
  { all = false, keepOriginals = false }: ResizeOptions = {},
): Promise<ResizeReport> {
  const report: ResizeReport = { made: 0, kept: 0, pruned: 0, prunedBytes: 0, failures: [] };
  const out = resizedDir(thumbDir);
  const marks = { resized: join(out, RESIZED_MARK), pruned: join(thumbDir, PRUNED_MARK) };
  const top = thumbnailLogTop(db);
  // A mark past the log's top is another store's (an older copy restored): it counts as none.
  const trusted = (path: string) => {
    const n = all ? 0 : readMark(path);
    return n > top ? 0 : n;
  };
  const resized = trusted(marks.resized);
  const since = keepOriginals ? resized : Math.min(resized, trusted(marks.pruned));
  const cached = cachedThumbnailsSince(db, since);
  if (cached.length === 0) return report;
  await mkdir(out, { recursive: true });
  // Looking at every image (a first run, a full pass): one listing of each folder, not a look-up
  // (nor a failed delete) each.
  const have = since === 0 ? new Set(readdirSync(out)) : undefined;
  const originals = since === 0 && !keepOriginals ? new Set(readdirSync(thumbDir)) : undefined;
  // The marks move up to the image before the first that failed (sharp missing, a full disk):
  // that one is tried again next run. An original gone from the folder does not hold them back:
  // downloaded again, it is logged again.
  let through = since;
  let held = false;
  for (const t of cached) {
    const name = resizedName(t.file);
    const target = join(out, name);
    let copied = true;
    if (have ? have.has(name) : existsSync(target)) report.kept++;
    else
      try {
        await writeWhole(target, await makeThumb(await readFile(join(thumbDir, t.file))));
        report.made++;
      } catch (error) {
        const gone = (error as NodeJS.ErrnoException).code === 'ENOENT';
        // Its original deleted by another build that made the copy meanwhile.
        if (gone && existsSync(target)) report.kept++;
        else {
          copied = false;
          if (!gone) held = true;
          report.failures.push(`thumbnails: cannot resize ${t.file} (${reason(error)})`);
        }
      }
    // Only an original whose copy is there is deleted (a failed one is tried again), and only a
    // file of the cache's own naming.
    if (copied && !keepOriginals && isOriginalName(t.file) && (originals?.has(t.file) ?? true))
      try {
        // Sync: one by one either way, and a first run after an upgrade deletes tens of thousands.
        unlinkSync(join(thumbDir, t.file));
        report.pruned++;
        report.prunedBytes += t.bytes;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
          report.failures.push(`thumbnails: cannot delete the original ${t.file} (${reason(error)})`);
      }
    if (!held) through = t.seq;
  }
  // Not lowered by a full pass (another build may have gone further meanwhile), but for a mark
  // past the log's top.
  const advance = async (path: string) => {
    const now = readMark(path);
    if (through > now || now > top) await writeWhole(path, `${through}\n`).catch(() => {});
  };
  await advance(marks.resized);
  if (!keepOriginals) await advance(marks.pruned);
  return report;
}

/** The report's one info line (`thumbnails: 20 copies made, 20 originals deleted (1.8 MB)`), undefined when nothing was done. */
export function describeResize(r: ResizeReport): string | undefined {
  const done: string[] = [];
  if (r.made > 0) done.push(`${r.made} cop${r.made === 1 ? 'y' : 'ies'} made`);
  if (r.pruned > 0)
    done.push(
      `${r.pruned} original${r.pruned === 1 ? '' : 's'} deleted (${(r.prunedBytes / 1e6).toFixed(1)} MB)`,
    );
  return done.length > 0 ? `thumbnails: ${done.join(', ')}` : undefined;
}
