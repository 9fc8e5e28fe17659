/**
 * The thumbnail cache's download step (network and disk: the `post` run calls it after the
 * enrichment). Each image URL is downloaded once, checked (an image type, under the size cap,
 * decodable), written to the thumbnail folder beside the store and recorded in the store's
 * thumbnails table; a cached URL is never asked again. A failure is remembered with a time to
 * try again, so a dead URL costs one request per retry period, not one per run. Never fatal.
 */
import { join } from 'node:path';
import { HotpapersError, oneLine } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { DeadlineError, deadlineSignal, FatalResponseError, HttpError } from '../http/errors.js';
import type { Db } from '../store/db.js';
import { markEnrichmentChanged } from '../store/enrichment.js';
import { loadThumbnails, saveThumbnails, type ThumbnailRecord } from '../store/thumbnails.js';
import { writeFileAtomic } from '../util/atomic.js';
import type { Logger } from '../util/log.js';
import { originalName } from './files.js';

/** Largest image downloaded (HF's social thumbnails are ~100–600 KB). */
export const THUMBNAIL_MAX_BYTES = 5 * 1024 * 1024;
/** Images downloaded at once. */
export const THUMBNAIL_CONCURRENCY = 4;
/** The whole step's deadline: what is left is asked on the next run. */
export const THUMBNAIL_DEADLINE_MS = 60_000;
/** Largest image decoded (a small file can claim a huge canvas). */
const MAX_PIXELS = 40_000_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * When a URL that has now failed `failures` times in a row is asked again: a lasting failure
 * (404, wrong type, too large, not an image) after a week, doubling to two months; a passing
 * one (5xx, network, rate limit) after 6 hours, doubling to a week.
 */
export function retryAt(now: Date, failures: number, lasting: boolean): string {
  const [base, cap] = lasting ? [7 * DAY, 60 * DAY] : [6 * HOUR, 7 * DAY];
  const wait = Math.min(cap, base * 2 ** Math.max(0, Math.min(failures, 20) - 1));
  return new Date(now.getTime() + wait).toISOString();
}

/** URLs to download, in input order, once each: not cached, and not failed with its retry time ahead. */
export function urlsToFetch(
  urls: readonly string[],
  records: ReadonlyMap<string, ThumbnailRecord>,
  now: Date,
): string[] {
  const out: string[] = [];
  for (const url of new Set(urls)) {
    const r = records.get(url);
    if (r?.status === 'ok') continue;
    // An unparseable retry time is as good as a passed one.
    if (r?.status === 'failed' && Date.parse(r.retryAt) > now.getTime()) continue;
    out.push(url);
  }
  return out;
}

/** Hugging Face's own hosts. */
function hfHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'huggingface.co' || h.endsWith('.huggingface.co') || h === 'hf.co' || h.endsWith('.hf.co');
}

/**
 * Whether a thumbnail URL may be downloaded: from the origin of HF_API_URL, or, when that is
 * Hugging Face itself, over https from one of its hosts (its CDN). Remote JSON must not make
 * the run fetch arbitrary addresses, and a run pointed at a stand-in never leaves it.
 */
export function allowedThumbnailUrl(url: string, hfApiUrl: string): boolean {
  let u: URL;
  let api: URL;
  try {
    u = new URL(url);
    api = new URL(hfApiUrl);
  } catch {
    return false;
  }
  if (u.origin === api.origin) return true;
  return hfHost(api.hostname) && u.protocol === 'https:' && hfHost(u.hostname);
}

/** A failure the same request would meet again (lasting), or one that may pass. */
function isLasting(error: unknown): boolean {
  if (error instanceof HttpError)
    return error.status >= 400 && error.status < 500 && ![408, 429].includes(error.status);
  if (error instanceof FatalResponseError) return true;
  return error instanceof UnreadableImage;
}

class UnreadableImage extends HotpapersError {}

/** Decode an image's header: its format and size, or UnreadableImage. */
async function inspect(bytes: Buffer, url: string): Promise<{ width: number; height: number }> {
  const { default: sharp } = await import('sharp');
  const what = (reason: string) =>
    new UnreadableImage(
      'thumbnails',
      `${new URL(url).host}${new URL(url).pathname} is not a readable image (${reason})`,
    );
  let meta: { format?: string; width?: number; height?: number };
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).metadata();
  } catch (error) {
    throw what(oneLine((error as Error).message).slice(0, 80));
  }
  if (!meta.width || !meta.height || !['jpeg', 'png', 'webp', 'gif'].includes(meta.format ?? ''))
    throw what(`format ${meta.format ?? 'unknown'}`);
  if (meta.width * meta.height > MAX_PIXELS) throw what(`${meta.width}×${meta.height} pixels`);
  return { width: meta.width, height: meta.height };
}

export interface ThumbnailOptions {
  db: Db;
  http: HttpClient;
  /** The thumbnail folder (see thumbDirOf). */
  dir: string;
  /** Image URLs wanted (the ranked papers' thumbnails). */
  urls: readonly string[];
  /** The papers showing each URL: logged as changed when it arrives, so the site redoes their pages. */
  papers?: ReadonlyMap<string, readonly string[]>;
  /** HF_API_URL: its origin may serve images too (the stand-in). */
  hfApiUrl: string;
  /** HOTPAPERS_NOW or the clock: retry times are measured from it. */
  now: Date;
  log: Logger;
  concurrency?: number;
  /** Size cap of one image (default THUMBNAIL_MAX_BYTES). */
  maxBytes?: number;
  /** The step's deadline (default THUMBNAIL_DEADLINE_MS). */
  deadlineMs?: number;
}

export interface ThumbnailReport {
  /** URLs already cached. */
  cached: number;
  /** Downloaded now, and their bytes. */
  downloaded: number;
  bytes: number;
  /** One line per URL that failed now (remembered with a retry time). */
  failures: string[];
  /** URLs left alone: failed before and not due, or not from HF_API_URL's hosts (allowedThumbnailUrl). */
  waiting: number;
  refused: number;
  /** URLs not asked: the host failed for good or the deadline passed. */
  skipped: number;
}

/** Download the images of `urls` not cached yet; record each result as it comes. */
export async function cacheThumbnails(options: ThumbnailOptions): Promise<ThumbnailReport> {
  const { db, dir, now, log } = options;
  const wanted = [...new Set(options.urls)];
  const allowed = wanted.filter((u) => allowedThumbnailUrl(u, options.hfApiUrl));
  const records = loadThumbnails(db, allowed);
  const todo = urlsToFetch(allowed, records, now);
  const report: ThumbnailReport = {
    cached: allowed.filter((u) => records.get(u)?.status === 'ok').length,
    downloaded: 0,
    bytes: 0,
    failures: [],
    waiting: allowed.length - todo.length - allowed.filter((u) => records.get(u)?.status === 'ok').length,
    refused: wanted.length - allowed.length,
    skipped: 0,
  };
  const ms = options.deadlineMs ?? THUMBNAIL_DEADLINE_MS;
  const http = options.http.withSignal(deadlineSignal(ms, `the ${ms / 1000} s thumbnail deadline passed`));
  const checkedAt = now.toISOString();
  let next = 0;
  let stop = false;
  log.progress('thumbnails', 0, todo.length);
  async function worker(): Promise<void> {
    while (next < todo.length) {
      const url = todo[next++]!;
      if (stop) {
        report.skipped++;
        continue;
      }
      let record: ThumbnailRecord;
      try {
        const image = await http.getImage('thumbnails', url, {
          maxBytes: options.maxBytes ?? THUMBNAIL_MAX_BYTES,
          timeoutMs: 20_000,
        });
        const size = await inspect(image.bytes, url);
        const file = originalName(url, image.contentType);
        // The file first, then its row: a row always has its file.
        await writeFileAtomic(join(dir, file), image.bytes);
        record = {
          url,
          status: 'ok',
          file,
          contentType: image.contentType,
          bytes: image.bytes.length,
          checkedAt,
          ...size,
        };
        report.downloaded++;
        report.bytes += image.bytes.length;
      } catch (error) {
        if (error instanceof DeadlineError) {
          // Not the URL's fault: asked again next run.
          stop = true;
          report.skipped++;
          continue;
        }
        const line = oneLine(error instanceof Error ? error.message : String(error));
        report.failures.push(line);
        const lasting = isLasting(error);
        // A host that is down or refusing us fails every image: stop asking it in this run.
        if (!lasting) stop = true;
        if (!(error instanceof HotpapersError)) {
          // A local problem (disk full): nothing to remember about the URL.
          continue;
        }
        const before = records.get(url);
        const failures = (before?.status === 'failed' ? before.failures : 0) + 1;
        record = {
          url,
          status: 'failed',
          failures,
          retryAt: retryAt(now, failures, lasting),
          error: line,
          checkedAt,
        };
      }
      saveThumbnails(db, [record]);
      if (record.status === 'ok') markEnrichmentChanged(db, options.papers?.get(url) ?? []);
      log.progress('thumbnails', report.downloaded + report.failures.length, todo.length);
    }
  }
  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(options.concurrency ?? THUMBNAIL_CONCURRENCY, todo.length)) },
      worker,
    ),
  );
  log.info(
    `thumbnails: ${wanted.length} wanted, ${report.cached} cached, ${report.downloaded} downloaded (${Math.round(report.bytes / 1024)} KB), ${report.failures.length} failed, ${report.waiting} waiting to retry${report.refused ? `, ${report.refused} not from HF_API_URL's hosts` : ''}${report.skipped ? `, ${report.skipped} not asked` : ''}`,
  );
  if (report.failures.length > 0)
    log.warn(`thumbnails: ${report.failures.length} image(s) failed: ${report.failures[0]}`);
  return report;
}
