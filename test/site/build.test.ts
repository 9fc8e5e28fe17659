import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Parser } from 'htmlparser2';
import { buildGeneration, buildSite, mapOutput, type SiteFiles } from '../../src/site/build.js';
import type { SiteDay, SiteModel } from '../../src/site/model.js';
import { modelSource } from '../../src/site/source.js';
import type { DayDigest } from '../../src/types.js';
import { digest, JS_LINK_TEXT, paper, post, ranked, sampleDigests, seedDay, XSS_TITLE } from './fixtures.js';

const BASE = 'https://example.org/hot/';

function modelOf(digests: DayDigest[], extra: Partial<SiteModel> = {}): SiteModel {
  const days: SiteDay[] = digests.map((d) => ({
    day: d.day,
    categoriesKey: 'cs,stat.ML',
    horizon: d.horizon ?? '',
    digest: d,
  }));
  return { days, ...extra };
}

function text(files: SiteFiles, path: string): string {
  const v = files.get(path);
  assert.ok(v !== undefined, `missing ${path}`);
  return v.toString();
}

interface Element {
  name: string;
  attribs: Record<string, string>;
}

function elements(html: string): Element[] {
  const out: Element[] = [];
  const parser = new Parser(
    { onopentag: (name, attribs) => out.push({ name, attribs }) },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

test('the site has an index, day, paper, category, archive, search pages, feeds and assets', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  for (const path of [
    'index.html',
    'days/2021-06-08.html',
    'days/2021-06-09.html',
    'days/2021-06-10.html',
    'papers/2106.00001.html',
    'papers/2106.00003.html',
    'papers/hep-th_9901001.html',
    'categories/index.html',
    'categories/cs.LG.html',
    'categories/cs.LG.atom.xml',
    'categories/cs.LG.rss.xml',
    'categories/cs.LG.json',
    'archive/index.html',
    'archive/2021-06.html',
    'search.html',
    'assets/search.js',
    'assets/search/meta.js',
    'assets/site.css',
    'atom.xml',
    'rss.xml',
    'feed.json',
    '404.html',
  ]) {
    assert.ok(files.has(path), path);
  }
  const index = text(files, 'index.html');
  // Newest day first.
  assert.ok(index.indexOf('Thursday 10 June 2021') < index.indexOf('Wednesday 9 June 2021'));
  assert.ok(index.indexOf('Wednesday 9 June 2021') < index.indexOf('Tuesday 8 June 2021'));
});

test('every relative link and asset of every page resolves to a file of the site', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE, daysPerPage: 1, categoryPageSize: 1 });
  let checked = 0;
  for (const [path, content] of files) {
    if (!path.endsWith('.html')) continue;
    for (const el of elements(content.toString())) {
      const ref =
        el.attribs['href'] ?? el.attribs['src'] ?? (el.name === 'form' ? el.attribs['action'] : undefined);
      if (!ref || /^(https?:|data:|#)/.test(ref)) continue;
      const target = new URL(ref, `file:///site/${path}`).pathname.replace(/^\/site\//, '');
      assert.ok(files.has(target), `${path} links ${ref} → ${target}, which does not exist`);
      checked++;
    }
  }
  assert.ok(checked > 100, `checked ${checked} links`);
});

test('outside text never becomes markup: no foreign script, handler or javascript: link on any page', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  for (const [path, content] of files) {
    if (!path.endsWith('.html')) continue;
    for (const el of elements(content.toString())) {
      if (el.name === 'script')
        assert.match(
          el.attribs['src'] ?? '',
          /^assets\/search(\/meta)?\.js$/,
          `${path}: script ${JSON.stringify(el.attribs)}`,
        );
      assert.notEqual(el.name, 'img', `${path}: img`);
      for (const [name, value] of Object.entries(el.attribs)) {
        assert.ok(!name.startsWith('on'), `${path}: ${el.name} has handler ${name}`);
        assert.ok(!/^\s*javascript:/i.test(value), `${path}: ${el.name} ${name}=${value}`);
      }
    }
  }
  const paperPage = text(files, 'papers/2106.00003.html');
  assert.ok(
    paperPage.includes(
      '&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt; Attention &lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;',
    ),
  );
  assert.ok(paperPage.includes('<title>&lt;script&gt;window.__pwned=1'));
  assert.ok(paperPage.includes('Mallory &lt;script&gt;x&lt;/script&gt;'));
  assert.ok(paperPage.includes('An abstract with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;.'));
  assert.ok(paperPage.includes('&lt;b&gt;Eve&lt;/b&gt;'));
  assert.ok(!paperPage.includes(JS_LINK_TEXT));
  assert.ok(!paperPage.includes(XSS_TITLE), 'the raw title never appears');
});

test('math is typeset at build time and only pages with math load KaTeX', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  const math = text(files, 'papers/2106.00001.html');
  assert.ok(math.includes('<span class="katex">'));
  assert.ok(math.includes('<link rel="stylesheet" href="../assets/katex/katex.min.css">'));
  assert.ok(!/<h1>[\s\S]*\$\\mathcal[\s\S]*<\/h1>/.test(math), 'no raw TeX left in the heading');
  const plain = text(files, 'papers/2106.00002.html');
  assert.ok(!plain.includes('katex'));
  assert.ok(files.has('assets/katex/fonts/KaTeX_Main-Regular.woff2'));
  const css = text(files, 'assets/katex/katex.min.css');
  assert.ok(css.includes('url(fonts/KaTeX_Main-Regular.woff2) format("woff2")'));
  assert.ok(!css.includes('.ttf'), 'only WOFF2 fonts are referenced');
  const noMath = buildSite(
    modelOf([digest('2021-06-01', [ranked(1, paper('1'), [post('x', '1', 30, 30)])])]),
    { baseUrl: BASE },
  );
  assert.ok(![...noMath.keys()].some((k) => k.startsWith('assets/katex')));
});

test('a day page shows counts, links, categories, abstract, top posts, source health and its horizon', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  const day = text(files, 'days/2021-06-09.html');
  assert.ok(day.includes('<h1>Hot papers of Wednesday 9 June 2021</h1>'));
  // Score, its bar, and one line saying what it is (counts and weights) linking the breakdown.
  assert.ok(
    day.includes(
      '<p class="stats"><b>275</b><i class="sb" style="--w:100%"></i><span class="why">= X 40 reposts + 120 likes, Bluesky 5 reposts + 30 likes, HN 80 points; weights 1 <a href="../papers/2106.00001.html#breakdown">breakdown</a></span></p>',
    ),
    day,
  );
  assert.ok(
    day.includes(
      '<p class="links"><span class="au">Grace Hopper, Edsger Dijkstra et al.</span> · <a href="https://arxiv.org/abs/2106.00001">arXiv</a> · <a href="https://arxiv.org/pdf/2106.00001">PDF</a> · <a href="https://example.org/hn/1003">HN (1 comment)</a> · <a href="../categories/cs.CL.html" title="Computation and Language">cs.CL</a></p>',
    ),
  );
  // The TL;DR (the first sentence) is the summary of the collapsed abstract; a one-sentence abstract is just the TL;DR.
  assert.ok(
    day.includes(
      '<details><summary>We study the problem of 2106.00002.</summary>Our method improves the baseline.</details>',
    ),
  );
  assert.match(day, /<p class="tldr">We show that attention costs .*zymurgical/);
  // The top post, one line, its author linking to it.
  assert.ok(
    day.includes(
      '<p class="top"><a href="https://x.com/someone/status/1001" rel="nofollow ugc">User 1001</a> on X: Great paper!',
    ),
  );
  assert.ok(day.includes('<li class="warn">Hacker News: failed (HTTP 503 from hn.algolia.com)</li>'));
  assert.ok(day.includes('<a rel="prev" href="../days/2021-06-08.html">&larr; 2021-06-08</a>'));
  assert.ok(day.includes('<a rel="next" href="../days/2021-06-10.html">2021-06-10 &rarr;</a>'));
  assert.ok(!day.includes('counts at 24h'));
  const horizon = text(files, 'days/2021-06-10.html');
  assert.ok(
    horizon.includes(
      '<span class="badge" title="Counts as of 24h after the announcement">counts at 24h</span>',
    ),
  );
});

test('a paper page lists every post (store extras too), the chart, the breakdown and deleted notes', () => {
  const [d1] = sampleDigests();
  const model = modelOf([d1!], {
    papers: new Map([
      [
        '2106.00001',
        {
          posts: [
            {
              source: 'bluesky',
              id: 'late',
              url: 'https://bsky.app/profile/a/post/late',
              authorHandle: 'late.bsky.social',
              text: 'Found later',
              metrics: { reposts: 2, likes: 3, replies: 0, quotes: 0 },
            },
          ],
          history: [
            { at: '2021-06-09T06:00:00Z', engagement: 10, reposts: 4, likes: 6, replies: 0, posts: 2 },
            { at: '2021-06-09T18:00:00Z', engagement: 275, reposts: 45, likes: 230, replies: 3, posts: 3 },
          ],
        },
      ],
    ]),
    embeds: new Map([['bluesky:1002', { status: 'unavailable' as const }]]),
  });
  const page = text(buildSite(model, { baseUrl: BASE }), 'papers/2106.00001.html');
  assert.ok(page.includes('<h2>Posts (3)</h2>'));
  assert.equal((page.match(/<article class="post/g) ?? []).length, 4);
  assert.ok(page.includes('More posts in the store (1)'));
  assert.ok(page.includes('Found later'));
  assert.ok(page.includes('<svg viewBox="0 0 600 170" width="600" height="170" role="img"'));
  // Axes: the unit, and round formatted ticks (275 → an axis up to 500).
  assert.ok(page.includes('>reposts + likes (points, upvotes)</text>'));
  assert.ok(page.includes('text-anchor="end">500</text>'));
  // +N in the last 24 h: both snapshots fall within the day before the last one, so all 275 is growth.
  assert.ok(page.includes('<b>+275</b> in the last 24 h'));
  assert.ok(
    page.includes('went from 10 at 2021-06-09 06:00 UTC to 275 at 2021-06-09 18:00 UTC over 2 snapshots'),
  );
  // The breakdown: sources as columns (fits a phone), figures as rows, a total that is the score.
  assert.ok(
    page.includes(
      '<thead><tr><td></td><th scope="col">X</th><th scope="col">Bluesky</th><th scope="col">Hacker News</th><th scope="col">Total</th></tr></thead>',
    ),
  );
  assert.ok(
    page.includes(
      '<tr><th scope="row">Adds</th><td><b>160</b></td><td><b>35</b></td><td><b>80</b></td><td><b>275</b></td></tr>',
    ),
  );
  assert.ok(page.includes('<h2 id="breakdown">Score breakdown</h2>'));
  // Links out and authors linking to a search for them.
  assert.ok(
    page.includes(
      '<a href="https://huggingface.co/papers/2106.00001" aria-label="Hugging Face paper page">Hugging Face</a>',
    ),
  );
  assert.ok(page.includes('<a href="https://www.alphaxiv.org/abs/2106.00001">alphaXiv</a>'));
  assert.ok(page.includes('<a href="https://example.org/hn/1003">HN thread (1 comment)</a>'));
  assert.ok(page.includes('<a href="../search.html?q=Grace%20Hopper">Grace Hopper</a>'));
  assert.ok(page.includes('adds 160 to the score (160 × weight 1)'));
  assert.ok(
    page.includes(
      '<article class="post gone"><p class="meta"><span class="src">Bluesky</span> <b>User 1002</b>',
    ),
  );
  assert.ok(page.includes('This post has since been deleted'));
  assert.ok(page.includes('#1 on <a href="../days/2021-06-09.html">Wednesday 9 June 2021</a>'));
});

test('live embeds show the sanitised widget HTML; the default never loads a third-party script', () => {
  const model = modelOf(sampleDigests(), {
    embeds: new Map([
      [
        'x:1001',
        {
          status: 'ok' as const,
          html: '<blockquote class="twitter-tweet"><p>Live!</p></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script><script>alert(1)</script>',
        },
      ],
    ]),
  });
  const live = text(buildSite(model, { baseUrl: BASE, liveEmbeds: true }), 'days/2021-06-09.html');
  assert.ok(live.includes('<blockquote class="twitter-tweet"><p>Live!</p></blockquote>'));
  assert.ok(live.includes('src="https://platform.twitter.com/widgets.js"'));
  assert.ok(!live.includes('<script>alert(1)'));
  const still = text(buildSite(model, { baseUrl: BASE }), 'days/2021-06-09.html');
  assert.ok(!still.includes('platform.twitter.com'));
  assert.ok(!still.includes('Live!'));
});

test('the heaviest seed day (24 papers, real abstracts, math and posts) builds a day page under 100 KB', () => {
  const seed = seedDay();
  const files = buildSite(modelOf([seed]), { baseUrl: BASE });
  const html = text(files, `days/${seed.day}.html`);
  const size = Buffer.byteLength(html);
  assert.equal((html.match(/<li class="paper"/g) ?? []).length, 24);
  const math = [...files].filter(
    ([p, v]) => p.startsWith('papers/') && v.toString().includes('<span class="katex">'),
  );
  assert.ok(math.length >= 2, 'the seed day has math (whole abstracts on the paper pages)');
  assert.ok(size < 100_000, `day page is ${size} bytes`);
});

test('index pages are anchored at the oldest day, so a new day leaves full pages as they were; the build is deterministic', () => {
  const dayOf = (i: number) =>
    digest(`2021-05-${String(i + 1).padStart(2, '0')}`, [
      ranked(1, paper(`2105.${String(i).padStart(5, '0')}`), [post('x', `p${i}`, 30, 30)]),
    ]);
  const days = Array.from({ length: 23 }, (_, i) => dayOf(i));
  const a = buildSite(modelOf(days), { baseUrl: BASE, daysPerPage: 10 });
  // The index shows the newest 10 days; pages 1–3 hold days 1–10, 11–20 and 21–23.
  assert.ok(a.has('page/1.html') && a.has('page/2.html') && a.has('page/3.html') && !a.has('page/4.html'));
  const has = (path: string, day: number) =>
    text(a, path).includes(`days/2021-05-${String(day).padStart(2, '0')}.html`);
  assert.ok(has('index.html', 23) && has('index.html', 14) && !has('index.html', 13));
  assert.ok(has('page/1.html', 1) && has('page/1.html', 10) && !has('page/1.html', 11));
  assert.ok(has('page/3.html', 21) && has('page/3.html', 23) && !has('page/3.html', 20));
  assert.ok(text(a, 'page/3.html').includes('page 3</li>'));
  // "Older" from the index goes to the page holding the day after its last one (13: page 2).
  assert.ok(text(a, 'index.html').includes('<a rel="next" href="page/2.html">older days &rarr;</a>'));
  assert.ok(text(a, 'page/3.html').includes('<a rel="prev" href="../index.html">&larr; newer days</a>'));
  assert.ok(text(a, 'page/2.html').includes('<a rel="prev" href="../page/3.html">&larr; newer days</a>'));
  assert.ok(text(a, 'page/2.html').includes('<a rel="next" href="../page/1.html">older days &rarr;</a>'));
  assert.ok(!text(a, 'page/1.html').includes('rel="next"'), 'page 1 is the oldest');
  // One more day: pages 1 and 2 are the same files; the index and page 3 change.
  const c = buildSite(modelOf([...days, dayOf(23)]), { baseUrl: BASE, daysPerPage: 10 });
  for (const p of ['page/1.html', 'page/2.html']) assert.equal(text(c, p), text(a, p), p);
  for (const p of ['index.html', 'page/3.html']) assert.notEqual(text(c, p), text(a, p), p);
  const b = buildSite(modelOf([...days].reverse()), { baseUrl: BASE, daysPerPage: 10 });
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) assert.equal(v.toString(), b.get(k)?.toString(), k);
});

test('an empty store builds a valid, small site', () => {
  const files = buildSite({ days: [] }, { baseUrl: BASE });
  assert.ok(text(files, 'index.html').includes('No days yet'));
  assert.ok(text(files, 'atom.xml').includes('<feed'));
});

test('categories show their names and are ordered by activity', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  const index = text(files, 'categories/index.html');
  const order = [...index.matchAll(/<th scope="row"><a href="\.\.\/categories\/([^"]+)\.html">/g)].map(
    (m) => m[1],
  );
  // cs.LG lists five ranked papers, stat.ML two, the others one each (then by code).
  assert.deepEqual(order, ['cs.LG', 'stat.ML', 'cs.CL', 'hep-th']);
  assert.ok(index.includes('<td>Machine Learning</td><td>5</td>'), index);
  assert.match(text(files, 'categories/cs.LG.html'), /<h1>cs\.LG — Machine Learning<\/h1>/);
});

test('a category page lists each paper once at its latest ranking, newest day first, then by rank', () => {
  const digests = sampleDigests();
  // A paper of the oldest day ranked again, last, on the next; every day's papers stored out of
  // rank order: the page still lists them by rank, each paper at its latest ranking.
  const again = digests[0]!.papers.find((r) => r.paper.categories.includes('cs.LG'))!;
  const next = digests[1]!;
  digests[1] = { ...next, papers: [...next.papers, { ...again, rank: next.papers.length + 1 }] };
  const shuffled = digests.map((d) => ({ ...d, papers: [...d.papers].reverse() }));
  const files = buildSite(modelOf(shuffled), { baseUrl: BASE });
  const latest = new Map<string, { day: string; rank: number }>();
  for (const d of shuffled)
    for (const r of d.papers)
      if (r.paper.categories.includes('cs.LG') && (latest.get(r.paper.id)?.day ?? '') <= d.day)
        latest.set(r.paper.id, { day: d.day, rank: r.rank });
  const want = [...latest]
    .sort((a, b) => (a[1].day < b[1].day ? 1 : a[1].day > b[1].day ? -1 : a[1].rank - b[1].rank))
    .map(([id, at]) => `${id.replace('/', '_')}#${at.rank}@${at.day}`);
  const page = text(files, 'categories/cs.LG.html');
  const got = [
    ...page.matchAll(/<li><a href="\.\.\/papers\/([^"]+)\.html">.*?#(\d+) on <a href="[^"]+">([\d-]+)<\/a>/g),
  ].map((m) => `${m[1]}#${m[2]}@${m[3]}`);
  assert.deepEqual(got, want);
  // Two papers share a day and one paper is ranked on two days: the order is not trivially right.
  assert.ok(new Set(want.map((w) => w.split('@')[1])).size < want.length, want.join());
  assert.ok(
    shuffled.some((d, i) =>
      d.papers.some((r) =>
        shuffled.some((e, j) => j !== i && e.papers.some((q) => q.paper.id === r.paper.id)),
      ),
    ),
  );
});

test('every page carries Open Graph and Twitter card tags with absolute URLs', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  for (const [path, data] of files) {
    if (!path.endsWith('.html')) continue;
    const html = data.toString();
    const metas = elements(html).filter((e) => e.name === 'meta');
    const prop = (k: string) =>
      metas.find((m) => m.attribs.property === k || m.attribs.name === k)?.attribs.content;
    assert.ok(prop('og:title'), `${path}: og:title`);
    assert.ok(prop('og:description'), `${path}: og:description`);
    assert.equal(prop('og:url'), BASE + (path === 'index.html' ? '' : path), path);
    assert.match(prop('twitter:card') ?? '', /^summary(_large_image)?$/, path);
    assert.equal(prop('twitter:title'), prop('og:title'), `${path}: twitter:title`);
    assert.equal(prop('twitter:description'), prop('og:description'), `${path}: twitter:description`);
  }
  const paper = text(files, 'papers/2106.00003.html');
  // Hostile titles are escaped in attributes too.
  assert.ok(!paper.includes('content="<script'), 'escaped');
});

test('window pages list each paper once by score across days, with its day and rank; nav links this week and month', () => {
  const files = buildSite(modelOf(sampleDigests()), { baseUrl: BASE });
  // 2021-06-08 to 2021-06-10 are all in ISO week 2021-W23.
  const week = text(files, 'top/week-2021-W23.html');
  const order = [...week.matchAll(/<li><a href="\.\.\/papers\/([^"]+)\.html">/g)].map((m) => m[1]);
  // Scores 275, 145, 71, 65 (ranked 2021-06-08), 60: days interleave.
  assert.deepEqual(order, ['2106.00001', 'hep-th_9901001', '2106.00002', '2106.00009', '2106.00003']);
  const scores = [...week.matchAll(/score ([\d,]+) <i class="sb"/g)].map((m) =>
    Number(m[1]!.replace(/,/g, '')),
  );
  assert.deepEqual(
    scores,
    [...scores].sort((a, b) => b - a),
  );
  assert.match(week, /#1 on <a href="\.\.\/days\/2021-06-10\.html">2021-06-10<\/a>/);
  for (const path of ['top/month-2021-06.html', 'top/year-2021.html', 'top/all.html'])
    assert.ok(files.has(path), path);
  assert.deepEqual(
    [...text(files, 'top/all.html').matchAll(/<li><a href="\.\.\/papers\/([^"]+)\.html">/g)].map((m) => m[1]),
    order,
  );
  // The navigation links the stable pages of the current windows: the same week's list.
  const index = text(files, 'index.html');
  assert.ok(index.includes('<a href="top/week.html">This week</a>'), 'nav: this week');
  assert.ok(index.includes('<a href="top/month.html">This month</a>'), 'nav: this month');
  const papersOf = (html: string) =>
    [...html.matchAll(/<li><a href="\.\.\/papers\/([^"]+)\.html">/g)].map((m) => m[1]);
  assert.deepEqual(papersOf(text(files, 'top/week.html')), order);
  assert.deepEqual(papersOf(text(files, 'top/month.html')), papersOf(text(files, 'top/month-2021-06.html')));
  assert.match(text(files, 'top/week.html'), /<h1>Top papers of the week 7 June 2021 to 13 June 2021<\/h1>/);
  const cat = text(files, 'categories/cs.LG-top-week.html');
  assert.deepEqual(
    [...cat.matchAll(/<li><a href="\.\.\/papers\/([^"]+)\.html">/g)].map((m) => m[1]),
    order.filter((id) => text(files, `papers/${id}.html`).includes('categories/cs.LG.html')),
  );
  assert.ok(text(files, 'categories/cs.LG.html').includes('href="../categories/cs.LG-top-month.html"'));
});

test('a paper page links its code with stars, its project page and HF TL;DR; one snapshot draws no chart', () => {
  const [d1] = sampleDigests();
  const model = modelOf([d1!], {
    papers: new Map([
      [
        '2106.00002',
        {
          posts: [],
          history: [
            { at: '2021-06-09T06:00:00Z', engagement: 71, reposts: 21, likes: 50, replies: 0, posts: 2 },
          ],
        },
      ],
    ]),
    enrichments: new Map([
      [
        '2106.00002',
        {
          paperId: '2106.00002',
          status: 'ok' as const,
          githubRepo: 'https://github.com/example/robust',
          githubStars: 1234,
          projectPage: 'https://example.org/robust',
          aiSummary: 'Graphs, but robust.',
          fetchedAt: '2021-06-10T00:00:00Z',
        },
      ],
    ]),
  });
  const files = buildSite(model, { baseUrl: BASE });
  const page = text(files, 'papers/2106.00002.html');
  assert.ok(
    page.includes(
      '<a href="https://github.com/example/robust" aria-label="Code repository, 1,234 stars">Code &#9733;&#8239;1,234</a>',
    ),
  );
  assert.ok(page.includes('<a href="https://example.org/robust">Project page</a>'));
  assert.ok(page.includes('Graphs, but robust.'));
  assert.ok(!page.includes('<svg'), 'no one-dot chart');
  assert.ok(page.includes('One snapshot so far'));
  const day = text(files, 'days/2021-06-09.html');
  // On the day page the HF summary is the TL;DR and the code link carries its stars.
  assert.ok(
    day.includes(
      '<summary><span class="vh">TL;DR: </span>Graphs, but robust.</summary><b>Abstract.</b> We study',
    ),
  );
  assert.ok(day.includes('<a href="https://github.com/example/robust">code &#9733;1,234</a>'));
});

test('a build calls its eachDay hook once before each day it loads', () => {
  const digests = sampleDigests();
  let calls = 0;
  const stats = buildGeneration(
    modelSource(modelOf(digests)),
    { baseUrl: 'https://example.org/' },
    mapOutput(new Map()),
    { eachDay: () => calls++ },
  );
  assert.ok(stats.daysLoaded > 1);
  assert.equal(calls, stats.daysLoaded);
});
