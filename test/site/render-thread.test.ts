/** Paper pages rendered on the render thread: the same site as the builder's own, in order, failures told. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { HotpapersError } from '../../src/errors.js';
import { generateSiteToDir } from '../../src/site/generate.js';
import type { ShellContext } from '../../src/site/layout.js';
import { contentHash } from '../../src/site/manifest.js';
import {
  type PaperTask,
  paperTask,
  renderPaperTask,
  renderThreadPolicy,
  startRenderThread,
} from '../../src/site/render-thread.js';
import { openGeneration } from '../../src/site/write.js';
import { openStore } from '../../src/store/db.js';
import { saveEnrichments } from '../../src/store/enrichment.js';
import { putEmbed, savePosts } from '../../src/store/posts.js';
import type { DayDigest } from '../../src/types.js';
import { digest, paper, post, ranked, storeAsPost, storeLatePost } from './fixtures.js';
import { snapshot } from './same-as-full.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-render-thread-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const BASE = 'https://example.org/';
const SHELL: ShellContext = { siteTitle: 'Hot Papers', baseUrl: BASE };
const FEEDS = { atom: 'atom.xml', rss: 'rss.xml', json: 'feed.json', label: 'Hot Papers' };

/** Run with the render thread's policy set to `policy` (restored after). */
async function withPolicy<T>(policy: typeof renderThreadPolicy, run: () => Promise<T>): Promise<T> {
  const before = { ...renderThreadPolicy };
  Object.assign(renderThreadPolicy, policy);
  try {
    return await run();
  } finally {
    Object.assign(renderThreadPolicy, before);
  }
}

/**
 * A store of twelve days whose paper pages show what a page can: math, a paper ranked on three
 * days, posts of several sources, a Hugging Face answer, a post found later, embeds (one of a
 * deleted post), a post seen again with more engagement (a chart).
 */
function makeStore(db: string): void {
  const days: DayDigest[] = [];
  for (let d = 0; d < 12; d++) {
    const name = `2021-06-${String(d + 1).padStart(2, '0')}`;
    const papers = [0, 1, 2].map((i) =>
      paper(`2106.${String(d * 10 + i).padStart(5, '0')}`, {
        title: i === 0 ? `Bounds of $O(n^${d + 2})$ for day ${d}` : `Paper ${d}.${i}`,
      }),
    );
    // Ranked again on every fourth day, with more engagement each time.
    if (d % 4 === 3) papers.push(paper('2106.99999', { title: 'The paper ranked again' }));
    days.push(
      digest(
        name,
        papers.map((p, i) =>
          ranked(i + 1, p, [
            post('x', `${d}${i}1`, 10 + d, 100 - i),
            post(i % 2 === 0 ? 'bluesky' : 'hn', `${d}${i}2`, 3, 40 + d),
          ]),
        ),
      ),
    );
  }
  const h = openStore(db);
  try {
    storeAsPost(h, days);
    saveEnrichments(h, [
      {
        paperId: '2106.99999',
        status: 'ok',
        aiSummary: 'It bounds $x^2$ tightly.',
        aiKeywords: ['bounds', 'graphs'],
        githubRepo: 'https://github.com/example/bounds',
        githubStars: 42,
        fetchedAt: '2021-06-20T00:00:00.000Z',
      },
    ]);
    storeLatePost(h, '2106.00050', 'A post found later');
    putEmbed(
      h,
      'x',
      '011',
      '<blockquote class="twitter-tweet"><p>Embedded</p></blockquote>',
      '2021-06-20T00:00:00.000Z',
    );
    putEmbed(h, 'x', '021', null, '2021-06-20T00:00:00.000Z');
    // Seen again a day later: the paper's page has a chart of two snapshots.
    const again = { ...post('x', '111', 50, 500), links: [] };
    savePosts(h, [{ post: again, paperIds: ['2106.00010'] }], '2021-06-03T12:00:00.000Z');
  } finally {
    h.close();
  }
}

test('a full build with paper pages on the render thread writes the same site as without it', async () => {
  const db = join(dir, 'site.db');
  makeStore(db);
  const build = (name: string, policy: typeof renderThreadPolicy) =>
    withPolicy(policy, async () => {
      const out = join(dir, name);
      const stats = await generateSiteToDir({ db, baseUrl: BASE, full: true }, out);
      return { stats, files: snapshot(out) };
    });
  const plain = await build('plain', { minDays: Number.POSITIVE_INFINITY, maxBehind: 48 });
  // Every page on the thread; then the thread one page behind at most, so that the builder
  // renders most pages itself while the thread holds others, some of the same paper.
  const all = await build('all', { minDays: 1, maxBehind: 1_000_000 });
  const mixed = await build('mixed', { minDays: 1, maxBehind: 1 });
  assert.equal(plain.stats.renderedOnThread, 0);
  const papers = [...plain.files.keys()].filter((p) => p.startsWith('papers/')).length;
  assert.ok(papers >= 36, `${papers} paper pages`);
  // The paper ranked three times is rendered at each of its days (the last page stands).
  assert.equal(all.stats.renderedOnThread, papers + 2);
  assert.ok(
    mixed.stats.renderedOnThread > 0 && mixed.stats.renderedOnThread < papers,
    `${mixed.stats.renderedOnThread}`,
  );
  for (const other of [all, mixed]) {
    assert.deepEqual([...other.files.keys()].sort(), [...plain.files.keys()].sort());
    for (const [path, { bytes }] of plain.files) assert.ok(other.files.get(path)!.bytes.equals(bytes), path);
    assert.equal(other.stats.rendered, plain.stats.rendered);
  }
  // What the store adds shows on the pages the thread made.
  const page = (path: string) => all.files.get(path)!.bytes.toString();
  const again = page('papers/2106.99999.html');
  assert.match(again, /class="katex"/);
  assert.match(again, /Hugging Face&#39;s AI summary|Hugging Face's AI summary/);
  assert.equal(again.match(/<li>#\d+ on </g)?.length, 3);
  assert.match(page('papers/2106.00050.html'), /A post found later/);
  assert.match(page('papers/2106.00010.html'), /<svg/);
});

/** A page's task as the builder makes it, for the paper of `id` ranked once. */
function task(id: string): PaperTask {
  const p = paper(id);
  const d = {
    day: '2021-06-09',
    categoriesKey: 'cs',
    horizon: '',
    digest: digest('2021-06-09', [ranked(1, p, [post('x', id, 1, 30)])]),
  };
  const ctx = { siteTitle: 'Hot Papers', baseUrl: BASE, liveEmbeds: false, dayPosts: 2, embeds: new Map() };
  return paperTask(
    { path: `papers/${id}.html`, title: p.title },
    [{ day: d, ranked: d.digest.papers[0]! }],
    undefined,
    ctx,
  );
}

test('the render thread gives pages back in the order handed over, and keeps a paper it holds', () => {
  const thread = startRenderThread(SHELL, FEEDS);
  const before = { ...renderThreadPolicy };
  renderThreadPolicy.maxBehind = 1;
  try {
    assert.equal(thread.wants('papers/a.html'), true);
    thread.add(task('a'), 'p:a', 'k1');
    // One page behind: the builder renders the next itself, but for a path the thread holds
    // (a later ranking of the same paper must come after the one the thread has).
    assert.equal(thread.wants('papers/b.html'), false);
    assert.equal(thread.wants('papers/a.html'), true);
    thread.add(task('a'), 'p:a', 'k2');
    thread.add(task('c'), 'p:c', undefined);
    const put: Array<[string, string, boolean, string | undefined]> = [];
    thread.finish((path, html, owner, math, key) => {
      assert.equal(html, renderPaperTask(task(path.slice(7, -5)), SHELL, FEEDS)[0]);
      put.push([path, owner, math, key]);
    });
    assert.deepEqual(put, [
      ['papers/a.html', 'p:a', false, 'k1'],
      ['papers/a.html', 'p:a', false, 'k2'],
      ['papers/c.html', 'p:c', false, undefined],
    ]);
    assert.equal(thread.handed, 3);
  } finally {
    Object.assign(renderThreadPolicy, before);
    thread.stop();
  }
});

test('given a way into the writer, the thread writes its pages itself; a page put before stays with the builder', async () => {
  const out = join(dir, 'direct');
  const generation = openGeneration(out);
  const thread = startRenderThread(SHELL, FEEDS, generation.directWrites!());
  const before = { ...renderThreadPolicy };
  renderThreadPolicy.maxBehind = 1_000_000;
  try {
    // The writer takes the builder's batches and the thread's in no set order: a path put
    // before is not handed over, lest the thread's write of it come first.
    assert.equal(thread.wants('papers/b.html', true), false);
    assert.equal(thread.wants('papers/a.html', false), true);
    thread.add(task('a'), 'p:a', 'k1');
    thread.add(task('c'), 'p:c', undefined);
    const put: Array<[string, string | null, string, boolean, string | undefined]> = [];
    thread.finish((path, html, owner, math, key) => {
      put.push([path, html, owner, math, key]);
      generation.noteHashed!(path);
    });
    // Only the paths come back; the pages went to the writer.
    assert.deepEqual(put, [
      ['papers/a.html', null, 'p:a', false, 'k1'],
      ['papers/c.html', null, 'p:c', false, undefined],
    ]);
    // Nor is a path put before, whoever wrote it: the builder writes it again (build.ts waits
    // for the writer first).
    assert.equal(thread.wants('papers/a.html', true), false);
    const hashes = generation.writtenHashes!();
    await generation.commit();
    for (const id of ['a', 'c']) {
      const html = renderPaperTask(task(id), SHELL, FEEDS)[0];
      assert.equal(readFileSync(join(out, `papers/${id}.html`), 'utf8'), html);
      assert.equal(hashes.get(`papers/${id}.html`), contentHash(Buffer.from(html)));
    }
  } finally {
    Object.assign(renderThreadPolicy, before);
    thread.stop();
    // A failed check leaves the generation open: its writer thread would keep the test alive.
    await generation.abort();
  }
});

test('a page the render thread cannot make fails the build with the reason', () => {
  const thread = startRenderThread(SHELL, FEEDS);
  const bad = task('bad');
  // No appearance: the page cannot be made.
  (bad as { appearances: unknown[] }).appearances = [];
  thread.add(bad, 'p:bad', undefined);
  assert.throws(
    () => thread.finish(() => assert.fail('no page')),
    (e: unknown) => e instanceof HotpapersError && /the paper page thread failed: /.test(e.message),
  );
});
