/**
 * HF enrichment bench: what `post` adds for the ranked papers of a day — requests, wall and
 * CPU time — through the real store (a file) and the HF stand-in answering 50 ms late, for a
 * cold store, the same day again (everything cached), and the next day (everything refreshed).
 * 60 ranked papers, as on a busy day; 40 are known to HF, 20 answer 404.
 * Then the thumbnails of the 40 (page-like 1200 × 648 PNGs, as HF's): downloaded by `post` into
 * the folder beside the store (cold, then again: nothing asked), and resized to WebP by `site`
 * (cold, then again: nothing made). Then the resize step on a history of HISTORY cached images
 * (3,000 days of 20), every copy made and every original kept: its first run over them (a store
 * just upgraded, its originals deleted then), a day of 20 new images, and a build with nothing
 * new (median of 5 each), and the folder's growth per day.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { enrichPapers } from '../src/enrich/hf-papers.js';
import { HttpClient } from '../src/http/client.js';
import { hfDailyItem, hfHandler, imageReply } from '../src/standins/hf.js';
import { startStandIn } from '../src/standins/server.js';
import { type Db, openStore } from '../src/store/db.js';
import { saveThumbnails, type ThumbnailOk } from '../src/store/thumbnails.js';
import { cacheThumbnails } from '../src/thumbs/cache.js';
import { originalName, resizedDir, resizedName } from '../src/thumbs/files.js';
import { resizeThumbnails } from '../src/thumbs/resize.js';
import { silentLogger } from '../src/util/log.js';
import { socialImage } from './images.js';
import { median } from './stats.js';

const RANKED = 60;
const KNOWN = 40;
const DELAY_MS = 50;
/** Cached images of a site's history: 3,000 days of 20 (HF's enriched third of a 60-paper day). */
const HISTORY = 60_000;
const NEW_A_DAY = 20;

/** Run the enrichment bench and print its figures. */
export async function benchEnrich(): Promise<void> {
  const ids = Array.from({ length: RANKED }, (_, i) => `2611.${String(10000 + i)}`);
  const items = ids.slice(0, KNOWN).map((id, i) =>
    hfDailyItem({
      id,
      title: `Paper ${id}`,
      upvotes: i,
      submittedAt: '2026-11-25T04:00:00.000Z',
      githubRepo: `https://github.com/org/repo${i}`,
      githubStars: i * 10,
    }),
  );
  const images = await Promise.all(ids.slice(0, KNOWN).map((_, i) => socialImage(i)));
  const thumbnails = Object.fromEntries(ids.slice(0, KNOWN).map((id, i) => [id, imageReply(images[i]!)]));
  const handler = hfHandler({ days: { '2026-11-25': items }, thumbnails });
  const server = await startStandIn(async (req, index) => ({
    ...(await handler(req, index)),
    delayMs: DELAY_MS,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-enrich-'));
  const db = openStore(join(dir, 'store.db'));
  const http = new HttpClient();
  const now = new Date('2026-11-26T12:00:00Z');
  try {
    for (const [label, at] of [
      ['cold store', now],
      ['same day again', new Date(now.getTime() + 3_600_000)],
      ['next day', new Date(now.getTime() + 25 * 3_600_000)],
    ] as const) {
      const before = http.totalRequests();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const report = await enrichPapers({
        db,
        http,
        hfApiUrl: `${server.url}/api`,
        paperIds: ids,
        now: at,
        log: silentLogger,
      });
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      console.log(
        `${label}: ${http.totalRequests() - before} requests, ${report.cached} cached, ` +
          `wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms ` +
          `(stand-in answers ${DELAY_MS} ms late, 4 at a time)`,
      );
    }
    // Thumbnails: the URLs as the Daily Papers items carry them (the stand-in's own).
    const urls = ids.slice(0, KNOWN).map((id) => `${server.url}/thumbnails/${id}.png`);
    const thumbDir = join(dir, 'store.db.thumbs');
    for (const label of ['cold', 'again']) {
      const before = http.totalRequests();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const report = await cacheThumbnails({
        db,
        http,
        dir: thumbDir,
        urls,
        hfApiUrl: `${server.url}/api`,
        now,
        log: silentLogger,
      });
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      console.log(
        `thumbnails (post), ${label}: ${urls.length} wanted, ${http.totalRequests() - before} requests, ` +
          `${report.downloaded} downloaded (${(report.bytes / 1e6).toFixed(2)} MB, ${(report.bytes / Math.max(1, report.downloaded) / 1000).toFixed(0)} KB each), ` +
          `${report.cached} cached, wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms`,
      );
    }
    for (const label of ['cold', 'again']) {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const report = await resizeThumbnails(db, thumbDir);
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      const out = resizedDir(thumbDir);
      const sizes = readdirSync(out).map((f) => statSync(join(out, f)).size);
      const total = sizes.reduce((a, b) => a + b, 0);
      console.log(
        `thumbnails (site resize), ${label}: ${report.made} made, ${report.kept} kept, ` +
          `${(total / 1000).toFixed(1)} KB of WebP (${(total / Math.max(1, sizes.length) / 1000).toFixed(1)} KB each), ` +
          `wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms (sharp's threads included)`,
      );
    }
    await resizeOnHistory(db, thumbDir, images);
  } finally {
    db.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time `step` (wall and CPU, ms). */
async function timed<T>(step: () => Promise<T>): Promise<{ result: T; wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const result = await step();
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return { result, wall, cpu: (used.user + used.system) / 1000 };
}

/** Bytes of the files in `dir` and its subfolders (the thumbnail folder: originals and copies). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * The resize step on a store whose HISTORY images all have their copy and, as an older release
 * left them, their original (tiny files: the step only looks for them and deletes them): once
 * over all of them (the originals deleted then), then five times each a day of NEW_A_DAY images
 * (real ones, resized, their originals deleted) and a build with nothing new; and what the
 * folder beside the store keeps per day.
 */
async function resizeOnHistory(db: Db, thumbDir: string, images: readonly Buffer[]): Promise<void> {
  const out = resizedDir(thumbDir);
  const record = (url: string, bytes: number): ThumbnailOk => ({
    url,
    status: 'ok',
    file: originalName(url, 'image/png'),
    contentType: 'image/png',
    bytes,
    width: 1200,
    height: 648,
    checkedAt: '2026-11-26T12:00:00.000Z',
  });
  const history = Array.from({ length: HISTORY }, (_, i) =>
    record(`https://huggingface.co/bench/h${i}.png`, 90_000),
  );
  saveThumbnails(db, history);
  for (const r of history) {
    writeFileSync(join(out, resizedName(r.file)), 'x');
    writeFileSync(join(thumbDir, r.file), 'x');
  }
  const first = await timed(() => resizeThumbnails(db, thumbDir));
  console.log(
    `thumbnails (site resize), first run over a history of ${HISTORY.toLocaleString('en-US')} cached images (every copy there, every original kept as before): ` +
      `${first.result.kept} kept, ${first.result.made} made, ${first.result.pruned} originals deleted, wall ${first.wall.toFixed(0)} ms, CPU ${first.cpu.toFixed(0)} ms`,
  );
  const day: number[] = [];
  const none: number[] = [];
  let made = 0;
  let pruned = 0;
  let downloaded = 0;
  const bytesBefore = folderBytes(thumbDir);
  for (let round = 0; round < 5; round++) {
    const urls = Array.from(
      { length: NEW_A_DAY },
      (_, i) => `https://huggingface.co/bench/d${round}-${i}.png`,
    );
    const records = urls.map((url, i) => record(url, images[i % images.length]!.length));
    records.forEach((r, i) => {
      writeFileSync(join(thumbDir, r.file), images[i % images.length]!);
      downloaded += images[i % images.length]!.length;
    });
    saveThumbnails(db, records);
    const a = await timed(() => resizeThumbnails(db, thumbDir));
    made += a.result.made;
    pruned += a.result.pruned;
    day.push(a.cpu);
    none.push((await timed(() => resizeThumbnails(db, thumbDir))).cpu);
  }
  const grown = (folderBytes(thumbDir) - bytesBefore) / 5;
  console.log(
    `thumbnails (site resize) on that history, median of 5: a day of ${NEW_A_DAY} new images ${median(day).toFixed(0)} ms CPU ` +
      `(${made / 5} made and ${pruned / 5} originals deleted each; sharp's threads included), nothing new ${median(none).toFixed(1)} ms CPU`,
  );
  console.log(
    `thumbnails: the folder beside the store grows by ${(grown / 1000).toFixed(1)} KB a day of ${NEW_A_DAY} images ` +
      `(their originals, ${(downloaded / 5 / 1000).toFixed(0)} KB a day, deleted once copied)`,
  );
}
