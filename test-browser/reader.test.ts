/**
 * What a reader compares with Hugging Face Papers, in Debian's Chromium: window pages ordered by
 * score across days, four papers above the fold of a 60-paper day at 1280 × 900, search that
 * finds (`ViT`, `lora`, `cs.RO`, an arXiv id, an author) and not substrings, no card link ending
 * mid-URL, and axe-core clean (no serious or critical violation) on every page type at 1280 and
 * 390 px, light and dark.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { buildSite, type SiteFiles } from '../src/site/build.js';
import { paths, type SiteDay } from '../src/site/model.js';
import { type SiteServer, startSiteServer } from '../src/site/server.js';
import type { SiteThumb } from '../src/site/thumbs.js';
import { writeSite } from '../src/site/write.js';
import type { DayDigest, PaperEnrichment } from '../src/types.js';
import { bigDay } from '../test/site/big-day.js';
import { digest, paper, post, ranked, sampleDigests } from '../test/site/fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'hotpapers-reader-'));
const siteDir = join(tmp, 'public');

/** A day whose papers test search: words that are substrings of others, a robotics paper, an author. */
function searchDay(): DayDigest {
  return digest('2021-06-11', [
    ranked(
      1,
      paper('2106.10001', {
        title: 'Measuring Selectivity in Deep Networks',
        abstract: 'Selectivity and exploration of units in trained networks.',
        authors: ['Hedy Lamarr'],
        categories: ['cs.LG'],
      }),
      [post('x', '5001', 100, 400)],
    ),
    ranked(
      2,
      paper('2106.10002', {
        title: 'ViT Backbones for Dense Prediction',
        abstract: 'A vision transformer (ViT) adapted with LoRA to dense prediction.',
        authors: ['Katherine Johnson', 'Hedy Lamarr'],
        categories: ['cs.CV'],
      }),
      [post('x', '5002', 50, 200)],
    ),
    ranked(
      3,
      paper('2106.10003', {
        title: 'Legged Locomotion from Pixels',
        abstract: 'A quadruped robot learns to walk from camera images.',
        authors: ['Joan Clarke'],
        categories: ['cs.RO', 'cs.LG'],
      }),
      [
        post('x', '5003', 20, 100, {
          // A long post whose cut must not leave a partial link.
          text: `Robots walking from pixels, and what it means for the field of embodied learning: https://t.co/AbCdEfGhIjKl plus more text after the link that goes on for a while https://example.org/a/long/path/of/the/project/page and the end.`,
        }),
      ],
    ),
  ]);
}

let browser: Browser;
let server: SiteServer;
let files: SiteFiles;
let allDigests: DayDigest[] = [];
const problems: string[] = [];

before(async () => {
  const big = bigDay('2021-06-14');
  const digests = [...sampleDigests(), searchDay(), big.digest];
  allDigests = digests;
  const days: SiteDay[] = digests.map((d) => ({
    day: d.day,
    categoriesKey: 'cs,stat.ML',
    horizon: d.horizon ?? '',
    digest: d,
  }));
  const enrichments = new Map<string, PaperEnrichment>(big.enrichments.map((e) => [e.paperId, e]));
  // The lower a paper ranked among the top ten, the more it gained in the last day: the rising
  // page's order (by gain) is then the reverse of the score order.
  const history = (engagement: number, i: number) => [
    {
      at: '2021-06-13T18:00:00Z',
      engagement: engagement - 10 * (i + 1),
      reposts: 0,
      likes: 0,
      replies: 0,
      posts: 1,
    },
    { at: '2021-06-14T18:00:00Z', engagement, reposts: 0, likes: 0, replies: 0, posts: 3 },
  ];
  const papers = new Map(
    big.digest.papers.slice(0, 10).map((r, i) => [r.paper.id, { posts: [], history: history(r.score, i) }]),
  );
  // Thumbnails for the big day's first eight papers, as the resize step makes them (320 px WebP).
  const thumbs = new Map<string, SiteThumb>();
  for (const [i, r] of big.digest.papers.slice(0, 8).entries()) {
    const data = await sharp({
      create: { width: 1200, height: 648, channels: 3, background: { r: 30 * i, g: 120, b: 200 } },
    })
      .resize({ width: 320 })
      .webp({ quality: 70 })
      .toBuffer();
    thumbs.set(r.paper.id, { path: `thumbs/t${i}.webp`, width: 320, height: 173, data });
  }
  files = buildSite({ days, enrichments, papers, thumbs }, { baseUrl: 'https://example.org/hot/' });
  writeSite(files, siteDir);
  server = await startSiteServer({ build: () => files, port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function context(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  // bypassCSP: the test injects axe-core, an inline script the site's policy rightly refuses.
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
    ...options,
  });
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith('file://') || url.startsWith('data:'))
      return route.continue();
    problems.push(`request to ${url}`);
    return route.abort();
  });
  return ctx;
}

async function open(ctx: BrowserContext): Promise<Page> {
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  return page;
}

const paperHrefs = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => e.getAttribute('href') ?? ''));

test('window pages list papers by score across days, each with its day and its rank that day', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(server.url);
  await page.getByRole('link', { name: 'This month' }).first().click();
  // A stable address: it always shows the current month, so a page kept from an older build
  // never links a past one.
  assert.equal(new URL(page.url()).pathname, '/top/month.html');
  assert.match((await page.locator('h1').textContent()) ?? '', /June 2021/);
  const rows = (await page.$$eval('ol.results > li', (els) =>
    els.map((li) => {
      const meta = li.querySelector('.muted')?.textContent ?? '';
      return {
        score: Number((/score ([\d,]+)/.exec(meta)?.[1] ?? '0').replace(/,/g, '')),
        day: /on (\d{4}-\d{2}-\d{2})/.exec(meta)?.[1] ?? '',
        rank: Number(/#(\d+) on/.exec(meta)?.[1] ?? '0'),
      };
    }),
  )) as Array<{ score: number; day: string; rank: number }>;
  assert.ok(rows.length >= 60, `${rows.length} rows`);
  for (let i = 1; i < rows.length; i++)
    assert.ok(rows[i - 1]!.score >= rows[i]!.score, `row ${i} out of order`);
  assert.ok(new Set(rows.map((r) => r.day)).size >= 4, 'papers from several days');
  assert.ok(rows.every((r) => r.rank >= 1 && r.day !== ''));
  // This week (of the newest day) holds only that ISO week's papers.
  await page.getByRole('link', { name: 'This week' }).first().click();
  const days = await page.$$eval('ol.results > li .muted a', (els) => els.map((e) => e.textContent));
  assert.ok(days.length > 0 && days.every((d) => d === '2021-06-14'), days.join(' '));
  await ctx.close();
});

test('the rising page lists the recent papers by their gain in the last 24 h, linked from the index', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Rising' }).first().click();
  assert.equal(new URL(page.url()).pathname, '/top/rising.html');
  // Plain data out of the page, parsed here (a helper inside the callback would not survive
  // the transpiler's renaming).
  const raw = (await page.$$eval('ol.rising > li', (els) =>
    els.map((li) => [
      li.querySelector('.n')?.textContent ?? '',
      li.querySelector('a')?.getAttribute('href') ?? '',
      li.querySelector('.muted')?.textContent ?? '',
    ]),
  )) as Array<[string, string, string]>;
  const n = (meta: string, re: RegExp) => Number((re.exec(meta)?.[1] ?? '-1').replace(/,/g, ''));
  const rows = raw.map(([place, href, meta]) => ({
    place: Number.parseInt(place, 10),
    href,
    gain: n(meta, /\+([\d,]+) in the last 24 h/),
    now: n(meta, /score now ([\d,]+)/),
    day: /announced (\d{4}-\d{2}-\d{2})/.exec(meta)?.[1] ?? '',
    rank: n(meta, /\(#(\d+) that day\)/),
  }));
  assert.equal(rows.length, 10);
  rows.forEach((r, i) => {
    assert.equal(r.place, i + 1);
    assert.equal(r.day, '2021-06-14');
    assert.ok(r.now > 0 && r.rank >= 1, JSON.stringify(r));
    if (i > 0) assert.ok(rows[i - 1]!.gain >= r.gain, `row ${i} out of order`);
  });
  // By gain, not by score: the tenth of the day gained most.
  assert.deepEqual(
    rows.map((r) => r.rank),
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
  );
  assert.equal(rows[0]!.gain, 100);
  // The paper link works.
  await page.locator('ol.rising > li a').first().click();
  assert.match(new URL(page.url()).pathname, /^\/papers\//);
  await ctx.close();
});

test('the day page shows at least four papers above the fold at 1280 × 900', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(new URL('days/2021-06-14.html', server.url).href);
  const bottoms = (await page.$$eval('li.paper', (els) =>
    els.slice(0, 6).map((e) => e.getBoundingClientRect().bottom),
  )) as number[];
  assert.ok(bottoms[3]! <= 900, `the fourth paper ends at ${bottoms[3]} px`);
  // Thumbnails come from the site, sized before they load (no layout shift), lazily below the fold.
  const imgs = (await page.$$eval('li.paper > img', (els) =>
    els.map((e) => {
      const box = e.getBoundingClientRect();
      return {
        src: (e as unknown as { src: string }).src,
        lazy: e.getAttribute('loading') === 'lazy',
        box: [Math.round(box.width), Math.round(box.height)],
      };
    }),
  )) as Array<{ src: string; lazy: boolean; box: number[] }>;
  assert.equal(imgs.length, 8);
  assert.deepEqual(
    imgs.map((i) => i.lazy),
    [false, false, false, false, true, true, true, true],
  );
  for (const i of imgs) {
    assert.ok(i.src.startsWith(server.url), i.src);
    assert.deepEqual(i.box, [120, 65]);
  }
  await page.waitForFunction(
    "[...document.querySelectorAll('li.paper > img')].slice(0, 4).every((e) => e.complete && e.naturalWidth === 320)",
  );

  // The abstract is collapsed and opens without script.
  const details = page.locator('li.paper details').first();
  assert.equal(await details.getAttribute('open'), null);
  await details.locator('summary').click();
  assert.notEqual(await details.getAttribute('open'), null);
  await ctx.close();
});

async function search(page: Page, q: string): Promise<string[]> {
  await page.goto(`${new URL('search.html', server.url).href}?q=${encodeURIComponent(q)}`);
  await page.waitForFunction('document.getElementById("search-status").textContent !== ""');
  return paperHrefs(page, '#results li > a');
}

test('search finds whole words and prefixes, category codes, arXiv ids and authors', async () => {
  const ctx = await context();
  const page = await open(ctx);
  assert.deepEqual(await search(page, 'ViT'), ['papers/2106.10002.html']);
  assert.deepEqual(await search(page, 'lora'), ['papers/2106.10002.html']);
  const ro = await search(page, 'cs.RO');
  // Exactly the papers listed in cs.RO (the big day files every fifth paper there), best first; none
  // merely mentions it.
  const inRo = allDigests.flatMap((d) => d.papers).filter((r) => r.paper.categories.includes('cs.RO'));
  assert.equal(
    await page.locator('#search-status').textContent(),
    `${inRo.length} papers match, best first.`,
  );
  assert.ok(ro.length > 0);
  for (const href of ro) assert.ok(files.get(href)!.toString().includes('categories/cs.RO.html'), href);
  const best = [...inRo].sort((x, y) => y.score - x.score)[0]!;
  assert.equal(ro[0], `papers/${best.paper.id}.html`);
  assert.deepEqual(await search(page, 'locomotion cs.RO'), ['papers/2106.10003.html']);
  // A common term: ten results, then "Show more" draws the next ten, still by score.
  const inLg = allDigests
    .flatMap((d) => d.papers)
    .filter((r) => r.paper.categories.includes('cs.LG'))
    .sort((x, y) => y.score - x.score || (x.paper.id < y.paper.id ? -1 : 1))
    .map((r) => paths.paper(r.paper.id));
  assert.ok(inLg.length > 20, `${inLg.length} cs.LG papers`);
  assert.deepEqual(await search(page, 'cs.LG'), inLg.slice(0, 10));
  await page.click('#more');
  await page.waitForFunction('document.querySelectorAll("#results li").length > 10');
  assert.deepEqual(await paperHrefs(page, '#results li > a'), inLg.slice(0, 20));
  assert.deepEqual(await search(page, 'Hedy Lamarr'), ['papers/2106.10001.html', 'papers/2106.10002.html']);
  // Results show the score and the day.
  assert.match(
    (await page.locator('#results li .muted').first().textContent()) ?? '',
    /^score [\d,]+ · #1 on 2021-06-11/,
  );
  // An arXiv id (or a link to it) goes straight to the paper page.
  await page.goto(
    `${new URL('search.html', server.url).href}?q=${encodeURIComponent('https://arxiv.org/abs/2106.10003v2')}`,
  );
  await page.waitForURL('**/papers/2106.10003.html');
  // Also from file://, offline: the index is loaded by script tags.
  const local = await open(ctx);
  await local.goto(pathToFileURL(join(siteDir, 'search.html')).href);
  await local.fill('#q', 'selectivity');
  await local.waitForSelector('#results li');
  assert.deepEqual(await paperHrefs(local, '#results li > a'), ['papers/2106.10001.html']);
  await local.fill('#q', '2106.10002');
  await local.press('#q', 'Enter');
  await local.waitForURL('**/papers/2106.10002.html');
  await ctx.close();
});

test('no link in a post card ends mid-URL', async () => {
  const ctx = await context();
  const page = await open(ctx);
  const urls = ['days/2021-06-11.html', 'days/2021-06-14.html', 'papers/2106.10003.html'];
  for (const path of urls) {
    await page.goto(new URL(path, server.url).href);
    const links = (await page.$$eval('.top a, article.post a', (els) =>
      els.map((a) => [a.getAttribute('href') ?? '', a.textContent ?? '']),
    )) as Array<[string, string]>;
    assert.ok(links.length > 0, path);
    for (const [href, text] of links) {
      if (!text.startsWith('http')) continue;
      // A link's text is its whole URL, and that URL appears whole in the stored post.
      assert.ok(/^https?:\/\/[^/]+\.[a-z]{2,}/.test(text), `${path}: partial link ${text}`);
      assert.equal(new URL(href).href, new URL(text).href, path);
    }
  }
  await ctx.close();
});

test('axe-core: no serious or critical violation on any page type, 1280 and 390 px, light and dark', async () => {
  const pages = [
    'index.html',
    'days/2021-06-14.html',
    'days/2021-06-09.html',
    `papers/${bigDay('2021-06-14').digest.papers[0]!.paper.id}.html`,
    'papers/2106.00001.html',
    'categories/index.html',
    'categories/cs.LG.html',
    'categories/cs.LG-top-week.html',
    'archive/index.html',
    'archive/2021-06.html',
    'top/week-2021-W24.html',
    'top/month.html',
    'top/rising.html',
    'top/all.html',
    'search.html?q=robot',
    '404.html',
  ];
  const found: string[] = [];
  for (const width of [1280, 390]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const ctx = await context({ viewport: { width, height: 900 }, colorScheme, isMobile: width < 500 });
      const page = await open(ctx);
      for (const path of pages) {
        await page.goto(new URL(path, server.url).href);
        if (path.startsWith('search')) await page.waitForSelector('#results li');
        await page.addScriptTag({ content: AXE });
        const violations =
          (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
          r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
            .map((v) => v.id + ' (' + v.nodes.length + ': ' + v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(', ') + ')'))`)) as string[];
        for (const v of violations) found.push(`${path} at ${width}px ${colorScheme}: ${v}`);
      }
      await ctx.close();
    }
  }
  assert.deepEqual(found, []);
  assert.deepEqual(problems, []);
  // The check can fail: a nameless button is a critical violation.
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(new URL('index.html', server.url).href);
  await page.evaluate('document.querySelector("main").appendChild(document.createElement("button"))');
  await page.addScriptTag({ content: AXE });
  const ids = await page.evaluate(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => v.id + ':' + v.impact))",
  );
  assert.ok((ids as string[]).includes('button-name:critical'), String(ids));
  await ctx.close();
});
