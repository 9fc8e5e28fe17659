/** The thumbnail cache: download once, remember failures with a retry time, the image checks. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { HttpClient } from '../../src/http/client.js';
import { hfDailyItem, imageReply, startHfStandIn } from '../../src/standins/hf.js';
import { openStore } from '../../src/store/db.js';
import { enrichmentChangesSince } from '../../src/store/enrichment.js';
import { loadThumbnails, saveThumbnails, type ThumbnailRecord } from '../../src/store/thumbnails.js';
import { allowedThumbnailUrl, cacheThumbnails, retryAt, urlsToFetch } from '../../src/thumbs/cache.js';
import { isOriginalName, originalName, resizedDir, resizedName } from '../../src/thumbs/files.js';
import {
  describeResize,
  PRUNED_MARK,
  RESIZED_MARK,
  type ResizeReport,
  resizeThumbnails,
} from '../../src/thumbs/resize.js';
import { webpSize } from '../../src/thumbs/webp.js';
import { type Logger, silentLogger } from '../../src/util/log.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');

function capture(): { log: Logger; warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return {
    log: { ...silentLogger, warn: (m) => warnings.push(m), info: (m) => infos.push(m) },
    warnings,
    infos,
  };
}

/** A real PNG of the HF social-thumbnail shape. */
async function png(width = 1200, height = 648): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 90, b: 200 } } })
    .png()
    .toBuffer();
}

test('retryAt - lasting failures wait a week and double to two months; passing ones 6 h to a week', () => {
  const hours = (iso: string) => (Date.parse(iso) - NOW.getTime()) / 3_600_000;
  assert.equal(hours(retryAt(NOW, 1, true)), 7 * 24);
  assert.equal(hours(retryAt(NOW, 2, true)), 14 * 24);
  assert.equal(hours(retryAt(NOW, 9, true)), 60 * 24);
  assert.equal(hours(retryAt(NOW, 1, false)), 6);
  assert.equal(hours(retryAt(NOW, 3, false)), 24);
  assert.equal(hours(retryAt(NOW, 50, false)), 7 * 24);
});

test('urlsToFetch - skips cached and not-yet-due failures, keeps due ones, once each in order', () => {
  const failed = (url: string, retry: string): ThumbnailRecord => ({
    url,
    status: 'failed',
    failures: 1,
    retryAt: retry,
    error: 'x',
    checkedAt: NOW.toISOString(),
  });
  const records = new Map<string, ThumbnailRecord>([
    [
      'a',
      {
        url: 'a',
        status: 'ok',
        file: 'a.png',
        contentType: 'image/png',
        bytes: 1,
        width: 1,
        height: 1,
        checkedAt: '',
      },
    ],
    ['b', failed('b', '2026-11-26T00:00:00.000Z')],
    ['c', failed('c', '2026-11-25T11:00:00.000Z')],
    ['d', failed('d', 'garbage')],
  ]);
  assert.deepEqual(urlsToFetch(['e', 'a', 'b', 'c', 'd', 'e'], records, NOW), ['e', 'c', 'd']);
});

test('allowedThumbnailUrl - HF hosts over https with the real API, only the stand-in with a stand-in', () => {
  const real = 'https://huggingface.co/api';
  assert.ok(
    allowedThumbnailUrl('https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/1.png', real),
  );
  assert.ok(!allowedThumbnailUrl('http://cdn-thumbnails.huggingface.co/x.png', real));
  assert.ok(!allowedThumbnailUrl('https://169.254.169.254/latest/meta-data', real));
  assert.ok(!allowedThumbnailUrl('https://huggingface.co.evil.example/x.png', real));
  const stand = 'http://127.0.0.1:4000/api';
  assert.ok(allowedThumbnailUrl('http://127.0.0.1:4000/thumbnails/1.png', stand));
  assert.ok(!allowedThumbnailUrl('https://cdn-thumbnails.huggingface.co/x.png', stand));
  assert.ok(!allowedThumbnailUrl('http://127.0.0.1:4001/thumbnails/1.png', stand));
});

test('webpSize - reads lossy, lossless and extended (alpha) WebP headers; not WebP is undefined', async () => {
  const base = sharp({
    create: { width: 321, height: 173, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
  });
  const lossy = await base.clone().removeAlpha().webp({ quality: 70 }).toBuffer();
  const lossless = await base.clone().removeAlpha().webp({ lossless: true }).toBuffer();
  const alpha = await base.clone().webp({ quality: 70 }).toBuffer();
  for (const data of [lossy, lossless, alpha]) assert.deepEqual(webpSize(data), { width: 321, height: 173 });
  assert.equal(lossy.toString('ascii', 12, 16), 'VP8 ');
  assert.equal(lossless.toString('ascii', 12, 16), 'VP8L');
  assert.equal(alpha.toString('ascii', 12, 16), 'VP8X');
  assert.equal(webpSize(await png(10, 10)), undefined);
  assert.equal(webpSize(Buffer.alloc(40)), undefined);
});

test('cacheThumbnails - downloads once, remembers each kind of failure, retries only when due', async (t) => {
  const image = await png();
  const ids = ['2611.00001', '2611.00002', '2611.00003', '2611.00004', '2611.00005', '2611.00006'];
  const hf = await startHfStandIn({
    days: {
      '2026-11-25': ids.map((id) =>
        hfDailyItem({ id, title: id, upvotes: 1, submittedAt: '2026-11-25T01:00:00Z' }),
      ),
    },
    thumbnails: {
      '2611.00001': imageReply(image),
      '2611.00002': { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' },
      '2611.00003': [
        { status: 503, body: 'busy' },
        imageReply(await sharp(image).jpeg().toBuffer(), 'image/jpeg'),
      ],
      '2611.00004': { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>sign in</html>' },
      '2611.00005': imageReply(Buffer.alloc(200_000, 7)),
      '2611.00006': imageReply(Buffer.from('not an image at all')),
    },
  });
  t.after(() => hf.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-thumbs-'));
  const url = (id: string) => `${hf.url}/thumbnails/${id}.png`;
  const urls = ids.map(url);
  const http = new HttpClient({ retryBaseMs: 1, retryCapMs: 2, sleep: async () => {} });
  const run = (now: Date) => {
    const c = capture();
    return cacheThumbnails({
      db,
      http,
      dir,
      urls,
      hfApiUrl: hf.apiUrl,
      now,
      log: c.log,
      maxBytes: 100_000,
      concurrency: 1,
    }).then((report) => ({ report, ...c }));
  };

  const first = await run(NOW);
  assert.equal(first.report.downloaded, 2);
  assert.equal(first.report.failures.length, 4);
  assert.equal(hf.requests.length, 7, 'six images, one of them asked twice (503 then OK)');
  const records = loadThumbnails(db, urls);
  const ok = records.get(url('2611.00001'));
  assert.equal(ok?.status, 'ok');
  if (ok?.status === 'ok') {
    assert.deepEqual([ok.contentType, ok.width, ok.height, ok.bytes], ['image/png', 1200, 648, image.length]);
    assert.ok(readFileSync(join(dir, ok.file)).equals(image));
  }
  assert.equal(records.get(url('2611.00003'))?.status, 'ok');
  const reasons: Record<string, [string, number, string]> = {};
  for (const id of ids.slice(1)) {
    const r = records.get(url(id));
    if (r?.status === 'failed') reasons[id] = [r.error, r.failures, r.retryAt];
  }
  const week = '2026-12-02T12:00:00.000Z';
  assert.match(
    reasons['2611.00002']![0],
    /^thumbnails: HTTP 404 Not Found for GET 127\.0\.0\.1:\d+\/thumbnails\/2611\.00002\.png/,
  );
  assert.match(
    reasons['2611.00004']![0],
    /answered text\/html, not image\/jpeg, image\/png, image\/webp or image\/gif$/,
  );
  assert.match(reasons['2611.00005']![0], /is larger than the 97\.7 KB cap|larger than the 100000 bytes cap/);
  assert.match(
    reasons['2611.00006']![0],
    /^thumbnails: 127\.0\.0\.1:\d+\/thumbnails\/2611\.00006\.png is not a readable image/,
  );
  for (const id of ['2611.00002', '2611.00004', '2611.00005', '2611.00006'])
    assert.deepEqual(reasons[id]?.slice(1), [1, week], id);
  assert.equal(first.warnings.length, 1);
  assert.match(first.warnings[0]!, /^thumbnails: 4 image\(s\) failed: thumbnails: /);

  // The next run: nothing cached is asked again, nothing failed before its retry time.
  const again = await run(new Date(NOW.getTime() + 3_600_000));
  assert.equal(hf.requests.length, 7);
  assert.deepEqual([again.report.cached, again.report.waiting, again.report.downloaded], [2, 4, 0]);

  // A week on, the failures are asked once more and wait twice as long.
  await run(new Date(week));
  assert.equal(hf.requests.length, 11);
  const later = loadThumbnails(db, [url('2611.00002')]).get(url('2611.00002'));
  assert.deepEqual(later?.status === 'failed' && [later.failures, later.retryAt], [
    2,
    '2026-12-16T12:00:00.000Z',
  ]);
});

test('cacheThumbnails - a host that stays down is asked once, the rest waits for 6 hours; URLs elsewhere are refused', async (t) => {
  const hf = await startHfStandIn({
    days: {},
    thumbnails: { a: { status: 503, body: 'down' }, b: imageReply(await png()) },
  });
  t.after(() => hf.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-thumbs-'));
  const http = new HttpClient({ retryBaseMs: 1, retryCapMs: 2, maxAttempts: 2, sleep: async () => {} });
  const urls = [
    `${hf.url}/thumbnails/a.png`,
    `${hf.url}/thumbnails/b.png`,
    'https://cdn-thumbnails.huggingface.co/x.png',
  ];
  const c = capture();
  const report = await cacheThumbnails({
    db,
    http,
    dir,
    urls,
    hfApiUrl: hf.apiUrl,
    now: NOW,
    log: c.log,
    concurrency: 1,
  });
  assert.deepEqual([report.failures.length, report.skipped, report.refused, report.downloaded], [1, 1, 1, 0]);
  assert.equal(hf.requests.length, 2, 'two attempts at a, none at b');
  const a = loadThumbnails(db, [urls[0]!]).get(urls[0]!);
  assert.deepEqual(a?.status === 'failed' && a.retryAt, '2026-11-25T18:00:00.000Z');
  assert.equal(loadThumbnails(db, [urls[1]!]).size, 0, 'b was not asked: nothing remembered');
  assert.match(c.infos.at(-1)!, /1 not from HF_API_URL's hosts, 1 not asked$/);
});

/** A resize report with no failure: `made` copies made, `kept` found, `pruned` originals deleted of `prunedBytes`. */
function report(made: number, kept: number, pruned = 0, prunedBytes = 0): ResizeReport {
  return { made, kept, pruned, prunedBytes, failures: [] };
}

test('resizeThumbnails - one small WebP per cached original, made once', async (t) => {
  const hf = await startHfStandIn({ days: {}, thumbnails: { a: imageReply(await png()) } });
  t.after(() => hf.close());
  const db = openStore(':memory:');
  t.after(() => db.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-thumbs-'));
  const http = new HttpClient({ sleep: async () => {} });
  const url = `${hf.url}/thumbnails/a.png`;
  const papers = new Map([[url, ['2611.00001', '2611.00002']]]);
  await cacheThumbnails({
    db,
    http,
    dir,
    urls: [url],
    papers,
    hfApiUrl: hf.apiUrl,
    now: NOW,
    log: silentLogger,
  });
  // The papers showing it are logged as changed: the site redoes their day and paper pages.
  assert.deepEqual(enrichmentChangesSince(db, 0).sort(), ['2611.00001', '2611.00002']);
  const rec = loadThumbnails(db, [url]).get(url);
  assert.equal(rec?.status, 'ok');
  const original = join(dir, rec?.status === 'ok' ? rec.file : '');
  assert.ok(existsSync(original));
  // The copy made, the original is deleted: the site reads only the copy.
  const bytes = readFileSync(original).length;
  const made = await resizeThumbnails(db, dir);
  assert.deepEqual(made, report(1, 0, 1, bytes));
  assert.ok(!existsSync(original));
  assert.match(describeResize(made)!, /^thumbnails: 1 copy made, 1 original deleted \(0\.\d MB\)$/);
  const file = join(resizedDir(dir), resizedName(rec?.status === 'ok' ? rec.file : ''));
  assert.ok(existsSync(file));
  const data = readFileSync(file);
  const meta = await sharp(data).metadata();
  assert.equal(meta.format, 'webp');
  assert.deepEqual([meta.width, meta.height], [320, 173]);
  assert.deepEqual(webpSize(data), { width: 320, height: 173 });
  assert.ok(data.length < 10_000, `${data.length} bytes`);
  // Nothing logged since: the next build looks at no image at all.
  assert.deepEqual(await resizeThumbnails(db, dir), report(0, 0));
  // A full pass finds the copy, and its original already gone is no failure.
  assert.deepEqual(await resizeThumbnails(db, dir, { all: true }), report(0, 1));
});

test('resizeThumbnails - looks only at the images logged since its last run, and all of them in a full pass (originals kept)', async (t) => {
  const db = openStore(':memory:');
  t.after(() => db.close());
  const dir = mkdtempSync(join(tmpdir(), 'hp-thumbs-'));
  const image = await png(640, 320);
  const ok = (name: string): ThumbnailRecord => ({
    url: `https://huggingface.co/${name}`,
    status: 'ok',
    file: name,
    contentType: 'image/png',
    bytes: image.length,
    width: 640,
    height: 320,
    checkedAt: NOW.toISOString(),
  });
  const copy = (name: string) => join(resizedDir(dir), resizedName(name));
  const mark = () => readFileSync(join(resizedDir(dir), RESIZED_MARK), 'utf8').trim();
  const keep = { keepOriginals: true };
  for (const name of ['a.png', 'b.png', 'c.png', 'd.png', 'f.png']) writeFileSync(join(dir, name), image);

  saveThumbnails(db, [ok('a.png'), ok('b.png')]);
  assert.deepEqual(await resizeThumbnails(db, dir, keep), report(2, 0));
  assert.equal(mark(), '2');
  // A copy gone behind its back is not looked for again: only the image logged since is.
  rmSync(copy('a.png'));
  saveThumbnails(db, [ok('c.png')]);
  assert.deepEqual(await resizeThumbnails(db, dir, keep), report(1, 0));
  assert.ok(existsSync(copy('c.png')));
  assert.ok(!existsSync(copy('a.png')));
  assert.equal(mark(), '3');
  // A failure that is retried and then succeeds is logged when it does (an update, not an insert).
  saveThumbnails(db, [
    {
      url: ok('d.png').url,
      status: 'failed',
      failures: 1,
      retryAt: NOW.toISOString(),
      error: '503',
      checkedAt: NOW.toISOString(),
    },
  ]);
  assert.deepEqual(await resizeThumbnails(db, dir, keep), report(0, 0));
  saveThumbnails(db, [ok('d.png')]);
  assert.deepEqual(await resizeThumbnails(db, dir, keep), report(1, 0));
  assert.equal(mark(), '4');
  // A full pass (site --full) looks at every image, and remakes the copy gone.
  assert.deepEqual(await resizeThumbnails(db, dir, { ...keep, all: true }), report(1, 3));
  assert.ok(existsSync(copy('a.png')));

  // An original that does not decode holds the mark back (tried again next run); one gone from
  // the folder does not (downloaded again, it is logged again).
  writeFileSync(join(dir, 'e.png'), 'not an image');
  saveThumbnails(db, [ok('e.png'), ok('f.png'), ok('g.png')]);
  const held = await resizeThumbnails(db, dir, keep);
  assert.deepEqual([held.made, held.kept, held.failures.length], [1, 0, 2]);
  assert.match(held.failures[0]!, /^thumbnails: cannot resize e\.png \(/);
  assert.match(held.failures[1]!, /^thumbnails: cannot resize g\.png \(.*ENOENT/);
  assert.equal(mark(), '4');
  writeFileSync(join(dir, 'e.png'), image);
  const again = await resizeThumbnails(db, dir, keep);
  assert.deepEqual([again.made, again.kept, again.failures.length], [1, 1, 1]);
  assert.equal(mark(), '7');
  assert.deepEqual(await resizeThumbnails(db, dir, keep), report(0, 0));
  // A mark past the log's top (an older copy of the store put back) is not trusted: all are looked at.
  rmSync(copy('b.png'));
  writeFileSync(join(resizedDir(dir), RESIZED_MARK), '99\n');
  const back = await resizeThumbnails(db, dir, keep);
  assert.deepEqual([back.made, back.kept, back.failures.length], [1, 5, 1]);
  assert.equal(mark(), '7');
});

test('resizeThumbnails - deletes each original once its copy is there, the kept history once, and nothing outside the folder', async (t) => {
  const db = openStore(':memory:');
  t.after(() => db.close());
  const root = mkdtempSync(join(tmpdir(), 'hp-thumbs-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'hp.db.thumbs');
  const image = await png(640, 320);
  const ok = (url: string, file = originalName(url, 'image/png')): ThumbnailRecord => ({
    url,
    status: 'ok',
    file,
    contentType: 'image/png',
    bytes: image.length,
    width: 640,
    height: 320,
    checkedAt: NOW.toISOString(),
  });
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((n) => ok(`https://huggingface.co/${n}.png`)) as [
    ThumbnailRecord & { file: string },
    ThumbnailRecord & { file: string },
    ThumbnailRecord & { file: string },
    ThumbnailRecord & { file: string },
  ];
  const originals = () =>
    [a, b, c, d].filter((r) => existsSync(join(dir, r.file))).map((r) => r.url.slice(-5, -4));
  const pruneMark = () => readFileSync(join(dir, PRUNED_MARK), 'utf8').trim();
  mkdirSync(dir);
  for (const r of [a, b, c, d]) writeFileSync(join(dir, r.file), image);

  // A history resized with its originals kept (an older release, or thumbnailOriginals: keep).
  saveThumbnails(db, [a, b]);
  const keep = await resizeThumbnails(db, dir, { keepOriginals: true });
  assert.deepEqual(keep, report(2, 0));
  assert.deepEqual(originals(), ['a', 'b', 'c', 'd']);
  assert.ok(!existsSync(join(dir, PRUNED_MARK)));

  // The first build that prunes deletes the history's originals too (their copies are there),
  // and the new image's once its copy is made; one that does not decode keeps its original.
  writeFileSync(join(dir, d.file), 'not an image');
  saveThumbnails(db, [c, d]);
  const first = await resizeThumbnails(db, dir);
  assert.deepEqual([first.made, first.kept, first.pruned, first.failures.length], [1, 2, 3, 1]);
  assert.equal(first.prunedBytes, 3 * image.length, 'as the store rows give them');
  assert.match(first.failures[0]!, new RegExp(`^thumbnails: cannot resize ${d.file} \\(`));
  assert.deepEqual(originals(), ['d']);
  assert.equal(pruneMark(), '3', 'held before the image that failed');
  for (const r of [a, b, c]) assert.ok(existsSync(join(resizedDir(dir), resizedName(r.file))));

  // The failed one is tried again (its original was kept), then deleted; then nothing is left to look at.
  writeFileSync(join(dir, d.file), image);
  assert.deepEqual(await resizeThumbnails(db, dir), report(1, 0, 1, image.length));
  assert.deepEqual(originals(), []);
  assert.equal(pruneMark(), '4');
  assert.deepEqual(await resizeThumbnails(db, dir), report(0, 0));
  // A full pass finds every copy: the originals gone are no failure.
  assert.deepEqual(await resizeThumbnails(db, dir, { all: true }), report(0, 4));

  // A row naming a file outside the cache's own naming (a store written by hand, or by an
  // adversary) may get its copy, but its file is never deleted.
  const outside = join(root, 'keep-me.png');
  writeFileSync(outside, image);
  saveThumbnails(db, [ok('https://huggingface.co/e.png', '../keep-me.png')]);
  const odd = await resizeThumbnails(db, dir);
  assert.deepEqual([odd.made, odd.pruned, odd.failures.length], [1, 0, 0]);
  assert.ok(existsSync(outside));
  assert.ok(isOriginalName(a.file));
  assert.ok(!isOriginalName('../keep-me.png'));
});
