/**
 * Browser tests of the site in Debian's Chromium driven by playwright-core: navigation by
 * clicks and keyboard, search over http and file://, no console errors, hostile text inert,
 * no layout shift, JavaScript off, and a screenshot of each page type (light and dark) saved
 * under artifacts/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { generateSite } from '../src/site/generate.js';
import { type SiteServer, startSiteServer } from '../src/site/server.js';
import { writeSite } from '../src/site/write.js';
import { openStore } from '../src/store/db.js';
import { fillStore, RARE_WORD, sampleDigests } from '../test/site/fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'artifacts', 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'hotpapers-browser-'));
const siteDir = join(tmp, 'public');

let browser: Browser;
let server: SiteServer;
/** Problems seen by any page: console errors, uncaught exceptions, dialogs. */
const problems: string[] = [];

before(async () => {
  const db = openStore(join(tmp, 'store.db'));
  fillStore(db, sampleDigests());
  db.prepare("INSERT INTO embeds VALUES ('x', '1006', NULL, 'unavailable', '2021-06-10T00:00:00Z')").run();
  db.close();
  const built = generateSite({ db: join(tmp, 'store.db'), baseUrl: 'https://example.org/hot/' });
  writeSite(built.files, siteDir);
  server = await startSiteServer({ build: () => built.files, port: 0 });
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function context(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  // Nothing may leave the machine: any request that is not to our loopback server or file:// fails the test.
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
  page.on('dialog', (d) => {
    problems.push(`dialog on ${page.url()}: ${d.message()}`);
    void d.dismiss();
  });
  return page;
}

// Browser-side code is passed as strings: the project's TypeScript has no DOM types.
const pwned = (page: Page) => page.evaluate('window.__pwned');

test('index → day → paper by clicking links', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(server.url);
  await page.getByRole('link', { name: 'Wednesday 9 June 2021' }).click();
  assert.equal(new URL(page.url()).pathname, '/days/2021-06-09.html');
  assert.match((await page.locator('h1').textContent()) ?? '', /^Hot papers of Wednesday 9 June 2021/);
  await page.locator('li.paper h2 a').first().click();
  assert.equal(new URL(page.url()).pathname, '/papers/2106.00001.html');
  assert.match((await page.locator('h1').textContent()) ?? '', /^Scaling/);
  // The title's TeX is typeset (KaTeX HTML), with its fonts and stylesheet served locally.
  assert.equal(await page.locator('h1 .katex').count(), 1);
  assert.equal(await page.locator('figure.chart svg').count(), 1);
  await ctx.close();
});

test('keyboard: the skip link comes first, focus is visible, links are reachable with Tab', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(new URL('days/2021-06-09.html', server.url).href);
  await page.keyboard.press('Tab');
  const focused = `(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { tag: el.tagName, text: el.textContent, inMain: Boolean(el.closest('main')), outline: style.outlineStyle, left: el.getBoundingClientRect().left };
  })()`;
  const skip = (await page.evaluate(focused)) as {
    tag: string;
    text: string;
    inMain: boolean;
    outline: string;
    left: number;
  };
  assert.equal(skip.text, 'Skip to content');
  assert.equal(skip.outline, 'solid');
  assert.ok(skip.left >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const next = (await page.evaluate(focused)) as typeof skip;
  assert.equal(next.tag, 'A');
  assert.ok(next.inMain, 'after the skip link, Tab moves into the main content');
  assert.equal(next.outline, 'solid');
  assert.equal(next.text, 'How ranked');
  await page.keyboard.press('Tab');
  const pager = (await page.evaluate(focused)) as typeof skip;
  assert.equal(pager.text, '← 2021-06-08');
  // Enter on a focused link follows it.
  await Promise.all([page.waitForURL('**/days/2021-06-08.html'), page.keyboard.press('Enter')]);
  await ctx.close();
});

test('search finds a paper by a word of its abstract, over http and from file://', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(new URL('index.html', server.url).href);
  await page.fill('#site-q', RARE_WORD);
  await page.press('#site-q', 'Enter');
  await page.waitForSelector('#results li');
  assert.equal(await page.locator('#search-status').textContent(), '1 paper matches.');
  assert.equal(await page.locator('#results li a').getAttribute('href'), 'papers/2106.00001.html');

  // Offline, from the written folder: type into the search page's own box.
  const local = await open(ctx);
  await local.goto(pathToFileURL(join(siteDir, 'search.html')).href);
  await local.fill('#q', 'robust graph');
  await local.waitForSelector('#results li');
  assert.equal(await local.locator('#results li a').first().textContent(), 'Robust Graph Networks');
  await local.locator('#results li a').first().click();
  assert.ok(local.url().endsWith('/papers/2106.00002.html'));
  // A query with no match says so.
  await local.goto(`${pathToFileURL(join(siteDir, 'search.html')).href}?q=${RARE_WORD}`);
  await local.waitForSelector('#results li');
  assert.equal(await local.locator('#results li').count(), 1);
  await ctx.close();
});

test('file:// navigation works: relative links from the index reach day and paper pages', async () => {
  const ctx = await context();
  const page = await open(ctx);
  await page.goto(pathToFileURL(join(siteDir, 'index.html')).href);
  await page.getByRole('link', { name: 'Thursday 10 June 2021' }).click();
  assert.ok(page.url().endsWith('/days/2021-06-10.html'));
  await page.getByRole('link', { name: 'Old Style Identifier' }).click();
  assert.ok(page.url().endsWith('/papers/hep-th_9901001.html'));
  await ctx.close();
});

test('a <script> title and a javascript: link execute nothing', async () => {
  const ctx = await context();
  const page = await open(ctx);
  for (const path of [
    'papers/2106.00003.html',
    'days/2021-06-09.html',
    'categories/cs.LG.html',
    'index.html',
  ]) {
    await page.goto(new URL(path, server.url).href);
    assert.equal(await pwned(page), undefined, path);
    assert.equal(await page.locator('a[href^="javascript:" i]').count(), 0, path);
    assert.equal(await page.locator('img').count(), 0, path);
  }
  await page.goto(new URL('papers/2106.00003.html', server.url).href);
  assert.match(
    (await page.locator('h1').textContent()) ?? '',
    /^<script>window.__pwned=1;alert\(1\)<\/script> Attention/,
  );
  // Clicking every link of the hostile post's card runs nothing either.
  const links = page.locator('article.post a');
  for (let i = 0; i < (await links.count()); i++)
    assert.match((await links.nth(i).getAttribute('href')) ?? '', /^https:\/\//);
  // Search renders titles as text.
  await page.goto(`${new URL('search.html', server.url).href}?q=attention`);
  await page.waitForSelector('#results li');
  assert.equal(await pwned(page), undefined);
  assert.equal(await page.locator('#results script, #results img').count(), 0);
  await ctx.close();
});

test('no layout shift, no horizontal scroll on a phone, and pages work with JavaScript off', async () => {
  const ctx = await context({ viewport: { width: 390, height: 844 }, isMobile: true });
  const page = await open(ctx);
  await page.goto(new URL('days/2021-06-09.html', server.url).href);
  const cls = (await page.evaluate(`new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) total += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  })`)) as number;
  assert.ok(cls < 0.01, `cumulative layout shift ${cls}`);
  const overflow = (await page.evaluate(
    'document.documentElement.scrollWidth - window.innerWidth',
  )) as number;
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  await page.screenshot({ path: join(SHOTS, 'day-phone.png'), fullPage: false });
  await ctx.close();

  const noJs = await context({ javaScriptEnabled: false });
  const plain = await open(noJs);
  await plain.goto(server.url);
  await plain.getByRole('link', { name: 'Wednesday 9 June 2021' }).click();
  await plain.locator('li.paper h2 a').nth(1).click();
  assert.equal(new URL(plain.url()).pathname, '/papers/2106.00003.html');
  await plain.goto(new URL('search.html', server.url).href);
  assert.ok(
    await plain.getByText('Search needs JavaScript').isVisible(),
    'the search page says it needs JavaScript',
  );
  await noJs.close();
});

test('a screenshot of each page type, light and dark', async () => {
  const pages: Array<[string, string]> = [
    ['index', 'index.html'],
    ['day', 'days/2021-06-09.html'],
    ['paper', 'papers/2106.00001.html'],
    ['category', 'categories/cs.LG.html'],
    ['categories', 'categories/index.html'],
    ['archive', 'archive/index.html'],
    ['month', 'archive/2021-06.html'],
    ['search', `search.html?q=${RARE_WORD}`],
  ];
  for (const scheme of ['light', 'dark'] as const) {
    const ctx = await context({ colorScheme: scheme });
    const page = await open(ctx);
    for (const [name, path] of pages) {
      await page.goto(new URL(path, server.url).href);
      await page.evaluate('document.fonts.ready.then(() => true)');
      const file = join(SHOTS, `${name}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
    }
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    assert.equal(bg, scheme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(18, 20, 24)');
    await ctx.close();
  }
});

test('no page logged a console error, threw, opened a dialog or asked the network', () => {
  assert.deepEqual(problems, []);
});
