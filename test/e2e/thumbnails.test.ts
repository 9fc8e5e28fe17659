/**
 * Thumbnails end to end through the CLI: `post` downloads each ranked paper's HF thumbnail once
 * into the folder beside the store, `site` (offline) makes a small WebP of it and the day and
 * paper pages show it from the site itself; no page refers to an image elsewhere.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { hfDailyItem, imageReply, startHfStandIn } from '../../src/standins/hf.js';
import { startStandIn } from '../../src/standins/server.js';
import { runCli } from '../helpers/cli.js';

const DAY = '2021-06-09';
const NOW = '2021-06-10T12:00:00Z';
const BASE = 'https://papers.example.org/hot/';

const paper = (n: number, title: string): StandInPaper => ({
  id: `2106.0000${n}`,
  version: 1,
  title,
  abstract: `About ${title}. It matters.`,
  authors: ['Ada Author'],
  categories: ['cs.LG'],
  primary: 'cs.LG',
  published: `2021-06-08T0${n}:00:00Z`,
  updated: `2021-06-08T0${n}:00:00Z`,
});

/** Every HTML file of the site, by path. */
function pages(dir: string, sub = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(join(dir, sub), { withFileTypes: true })) {
    const path = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) for (const [p, html] of pages(dir, path)) out.set(p, html);
    else if (e.name.endsWith('.html')) out.set(path, readFileSync(join(dir, path), 'utf8'));
  }
  return out;
}

describe('thumbnails', () => {
  it('post downloads once, site shows a small local WebP on the day and paper pages', async (t) => {
    const arxiv = await startStandIn(arxivApiHandler([paper(1, 'Alpha'), paper(2, 'Beta')]));
    const image = await sharp({
      create: { width: 1200, height: 648, channels: 3, background: { r: 200, g: 60, b: 30 } },
    })
      .png()
      .toBuffer();
    const item = (id: string, title: string, upvotes: number) =>
      hfDailyItem({ id, title, upvotes, submittedAt: '2021-06-10T04:00:00.000Z' });
    const hf = await startHfStandIn({
      days: { '2021-06-10': [item('2106.00001', 'Alpha', 90), item('2106.00002', 'Beta', 70)] },
      // Alpha's image is served; Beta's is a dead link (remembered, not asked again).
      thumbnails: {
        '2106.00001': imageReply(image),
        '2106.00002': { status: 404, headers: { 'content-type': 'text/html' }, body: 'gone' },
      },
    });
    t.after(async () => {
      await Promise.all([arxiv.close(), hf.close()]);
    });
    const dir = mkdtempSync(join(tmpdir(), 'hp-thumbs-e2e-'));
    const db = join(dir, 'hp.db');
    const env = {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      HOTPAPERS_SOURCES: 'hf',
      HF_API_URL: hf.apiUrl,
      HOTPAPERS_NOW: NOW,
      HOTPAPERS_DB: db,
      HOTPAPERS_RETRY_BASE_MS: '5',
    };
    const thumbRequests = () => hf.requests.filter((r) => r.path.startsWith('/thumbnails/')).length;
    const post = await runCli(['post', '--date', DAY, '--out', dir], env);
    assert.equal(post.code, 0, post.stderr);
    assert.equal(thumbRequests(), 2);
    assert.match(post.stderr, /thumbnails: 2 wanted, 0 cached, 1 downloaded \(\d+ KB\), 1 failed/);
    assert.match(
      post.stderr,
      /thumbnails: 1 image\(s\) failed: thumbnails: HTTP 404 Not Found for GET 127\.0\.0\.1:\d+\/thumbnails\/2106\.00002\.png/,
    );
    // The original, beside the store.
    assert.equal(readdirSync(`${db}.thumbs`).filter((f) => f.endsWith('.png')).length, 1);

    // Again: the cached image and the dead link are not asked for.
    const again = await runCli(['post', '--date', DAY, '--out', dir], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(thumbRequests(), 2);

    // The site: no network (no service URL is given), the base URL for og:image.
    await Promise.all([arxiv.close(), hf.close()]);
    const out = join(dir, 'public');
    // Kept by choice on the first build, the original is deleted by the next one that prunes.
    const site = await runCli(['site', '--out', out, '--base-url', BASE], {
      HOTPAPERS_DB: db,
      HOTPAPERS_THUMBNAIL_ORIGINALS: 'keep',
    });
    assert.equal(site.code, 0, site.stderr);
    assert.match(site.stderr, /thumbnails: 1 copy made\n/);
    const originals = () => readdirSync(`${db}.thumbs`).filter((f) => f.endsWith('.png')).length;
    assert.equal(originals(), 1);
    const html = pages(out);
    const day = html.get(`days/${DAY}.html`)!;
    const img = /<img src="\.\.\/(thumbs\/[0-9a-f]{12}\.webp)" width="(\d+)" height="(\d+)" alt="">/.exec(
      day,
    );
    assert.ok(img, "the day page shows Alpha's thumbnail, not lazily (first paper, above the fold)");
    const [, path, width, height] = img;
    assert.equal(day.match(/<img /g)?.length, 1, 'Beta has none');
    const file = readFileSync(join(out, path!));
    const meta = await sharp(file).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 320, 173]);
    assert.deepEqual([Number(width), Number(height)], [320, 173]);
    assert.ok(file.length < 10_000, `${file.length} bytes`);
    assert.match(day, new RegExp(`<meta property="og:image" content="${BASE}${path}">`));
    assert.match(day, new RegExp(`<meta name="twitter:image" content="${BASE}${path}">`));
    const alpha = html.get('papers/2106.00001.html')!;
    assert.match(
      alpha,
      new RegExp(`<img class="thumb" src="\\.\\./${path}" width="320" height="173" alt="[^"]+">`),
    );
    assert.match(alpha, new RegExp(`<meta property="og:image" content="${BASE}${path}">`));
    assert.doesNotMatch(html.get('papers/2106.00002.html')!, /og:image|<img /);

    // No page shows or shares an image from elsewhere: every <img> is a site path, every
    // og/twitter image is under the base URL.
    let images = 0;
    for (const [p, page] of html) {
      for (const m of page.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/g)) {
        images++;
        assert.doesNotMatch(m[1]!, /^(https?:)?\/\/|^data:/, `${p}: ${m[1]}`);
      }
      for (const m of page.matchAll(/<meta (?:property="og:image"|name="twitter:image") content="([^"]*)"/g))
        assert.ok(m[1]!.startsWith(BASE), `${p}: ${m[1]}`);
      assert.doesNotMatch(page, /cdn-thumbnails|127\.0\.0\.1/, p);
    }
    assert.equal(images, 2);

    // A rebuild keeps the file as it was (the engine links unchanged files).
    const before = statSync(join(out, path!));
    const rebuild = await runCli(['site', '--out', out, '--base-url', BASE], { HOTPAPERS_DB: db });
    assert.equal(rebuild.code, 0, rebuild.stderr);
    assert.equal(statSync(join(out, path!)).ino, before.ino);
    // Its copy made, the original is deleted (thumbnailOriginals defaults to prune).
    assert.equal(originals(), 0);
    assert.match(rebuild.stderr, /thumbnails: 1 original deleted \(0\.\d MB\)\n/);
    // A full build without the originals: the copies serve, and nothing is reported missing.
    const full = await runCli(['site', '--out', out, '--base-url', BASE, '--full', '--json'], {
      HOTPAPERS_DB: db,
    });
    assert.equal(full.code, 0, full.stderr);
    assert.doesNotMatch(full.stderr, /thumbnails/);
    assert.deepEqual(JSON.parse(full.stdout).thumbnails, { made: 0, kept: 1, pruned: 0, prunedBytes: 0 });
    assert.ok(pages(out).get(`days/${DAY}.html`)!.includes(path!));
  });
});
