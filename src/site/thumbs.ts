/**
 * A day's thumbnails for the site: each paper's HF thumbnail, as the small WebP copy the resize
 * step made (src/thumbs/resize.ts), named by a hash of its bytes so a browser may cache it for
 * ever and an unchanged image is the same file in every build. Papers without a cached image
 * have none: pages never link an image elsewhere.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { loadThumbnails } from '../store/thumbnails.js';
import { resizedDir, resizedName } from '../thumbs/files.js';
import { webpSize } from '../thumbs/webp.js';
import type { PaperEnrichment } from '../types.js';
import type { Thumb } from './fragments.js';

/** A thumbnail with the bytes of its file. */
export interface SiteThumb extends Thumb {
  data: Buffer;
}

/** The thumbnail of each paper in `enrichments` that has a resized copy in `thumbDir`. */
export function loadDayThumbs(
  db: Db,
  thumbDir: string,
  enrichments: ReadonlyMap<string, PaperEnrichment>,
): Map<string, SiteThumb> {
  const out = new Map<string, SiteThumb>();
  const urls = [...enrichments.values()].flatMap((e) => e.thumbnail ?? []);
  if (urls.length === 0) return out;
  const records = loadThumbnails(db, urls);
  const dir = resizedDir(thumbDir);
  for (const [id, e] of enrichments) {
    const r = e.thumbnail ? records.get(e.thumbnail) : undefined;
    if (r?.status !== 'ok') continue;
    let data: Buffer;
    try {
      data = readFileSync(join(dir, resizedName(r.file)));
    } catch {
      continue; // Not resized (yet): the page goes without.
    }
    const size = webpSize(data);
    if (!size) continue;
    const hash = createHash('sha256').update(data).digest('hex').slice(0, 12);
    out.set(id, { path: `thumbs/${hash}.webp`, width: size.width, height: size.height, data });
  }
  return out;
}
