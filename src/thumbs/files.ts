/**
 * Where the thumbnail cache keeps its images: a folder beside the store (`hotpapers.db` →
 * `hotpapers.db.thumbs/`), originals named by a hash of their URL, and the site's resized WebP
 * copies in a subfolder named by the size and quality they were made with.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Width of the site's thumbnails, in pixels (shown at 120 CSS px: sharp on 2× screens). */
export const THUMB_WIDTH = 320;
/** WebP quality of the site's thumbnails. */
export const THUMB_QUALITY = 70;

/** The thumbnail folder of a store file; undefined for an in-memory store (no cache). */
export function thumbDirOf(dbPath: string): string | undefined {
  return dbPath === ':memory:' || dbPath === '' ? undefined : `${dbPath}.thumbs`;
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/** File name of an original: the URL's SHA-256 and the extension of its type. */
export function originalName(url: string, contentType: string): string {
  return `${urlKey(url)}.${EXTENSIONS[contentType] ?? 'img'}`;
}

/**
 * Whether `name` is one originalName makes: the only kind of file the resize step deletes, so a
 * store row naming another path (`../…`) never deletes anything outside the folder.
 */
export function isOriginalName(name: string): boolean {
  return /^[0-9a-f]{64}\.(?:jpg|png|webp|gif|img)$/.test(name);
}

/** The cache key of a URL (hex SHA-256). */
export function urlKey(url: string): string {
  return createHash('sha256').update(url).digest('hex');
}

/** Folder of the resized copies made with the current settings. */
export function resizedDir(thumbDir: string): string {
  return join(thumbDir, `w${THUMB_WIDTH}q${THUMB_QUALITY}`);
}

/** File name of the resized copy of an original. */
export function resizedName(original: string): string {
  return `${original.replace(/\.[a-z]+$/, '')}.webp`;
}
