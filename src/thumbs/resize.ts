/**
 * The site's resize step (disk only, no network): each cached original gets a small WebP copy
 * (THUMB_WIDTH px wide, THUMB_QUALITY) made once with `sharp` and kept in the thumbnail folder,
 * so a build resizes only the images it has not seen. Async: it runs before the (synchronous)
 * site engine, which then reads the copies.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneLine } from '../errors.js';
import type { Db } from '../store/db.js';
import { listCachedThumbnails } from '../store/thumbnails.js';
import { resizedDir, resizedName, THUMB_QUALITY, THUMB_WIDTH } from './files.js';

export interface ResizeReport {
  /** Copies made now, and already there. */
  made: number;
  kept: number;
  /** One line per original that could not be resized (missing file, undecodable). */
  failures: string[];
}

/** The site's WebP copy of an image: THUMB_WIDTH px wide at most, THUMB_QUALITY. */
export async function makeThumb(image: Buffer): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(image, { limitInputPixels: 40_000_000 })
    .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
    .webp({ quality: THUMB_QUALITY, effort: 4 })
    .toBuffer();
}

/** Make the missing WebP copies of every cached original in `thumbDir`. */
export async function resizeThumbnails(db: Db, thumbDir: string): Promise<ResizeReport> {
  const report: ResizeReport = { made: 0, kept: 0, failures: [] };
  const cached = listCachedThumbnails(db);
  if (cached.length === 0) return report;
  const out = resizedDir(thumbDir);
  const have = new Set(existsSync(out) ? readdirSync(out) : []);
  const missing = cached.filter((t) => !have.has(resizedName(t.file)));
  report.kept = cached.length - missing.length;
  if (missing.length === 0) return report;
  await mkdir(out, { recursive: true });
  for (const t of missing) {
    const target = join(out, resizedName(t.file));
    try {
      const data = await makeThumb(await readFile(join(thumbDir, t.file)));
      // Renamed into place: a build that reads it sees a whole file or none.
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, data);
      await rename(temp, target).catch(async (error) => {
        await unlink(temp).catch(() => {});
        throw error;
      });
      report.made++;
    } catch (error) {
      report.failures.push(
        `thumbnails: cannot resize ${t.file} (${oneLine((error as Error).message).slice(0, 100)})`,
      );
    }
  }
  return report;
}
