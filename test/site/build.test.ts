import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Parser } from 'htmlparser2';
import { parseSeedPost } from '../../src/demo/seed.js';
import { buildSite, type SiteFiles } from '../../src/site/build.js';
import type { SiteDay, SiteModel } from '../../src/site/model.js';
import type { DayDigest } from '../../src/types.js';
import {
  digest,
  JS_LINK_TEXT,
  paper,
  post,
  RARE_WORD,
  ranked,
  sampleDigests,
  XSS_TITLE,
} from './fixtures.js';

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
    'assets/search-index.js',
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
          /^assets\/search(-index)?\.js$/,
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
  assert.ok(
    day.includes(
      'score <b>275</b> · 45 reposts · 150 likes · Hacker News 80 points, 1 comment · 3 posts · 3 accounts',
    ),
  );
  assert.ok(
    day.includes(
      '<a href="https://arxiv.org/abs/2106.00001">arXiv abs</a> · <a href="https://arxiv.org/pdf/2106.00001v1">pdf</a>',
    ),
  );
  assert.ok(day.includes('<a href="../categories/cs.CL.html">cs.CL</a>'));
  assert.ok(day.includes(RARE_WORD));
  assert.ok(day.includes('class="post"'));
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
  assert.ok(page.includes('<svg viewBox="0 0 600 150" width="600" height="150" role="img"'));
  assert.ok(
    page.includes('went from 10 at 2021-06-09 06:00 UTC to 275 at 2021-06-09 18:00 UTC over 2 snapshots'),
  );
  assert.ok(
    page.includes(
      '<th scope="row">X</th><td>1</td><td>40</td><td>120</td><td>1</td><td>160</td><td>1</td><td>160</td>',
    ),
  );
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
  const seed = parseSeedPost(readFileSync('test/fixtures/seed/2021-06-09---Hot-Papers.md', 'utf8'));
  const papers = seed.papers.map((sp, i) =>
    ranked(
      i + 1,
      paper(sp.id, {
        title: sp.title,
        abstract: sp.abstract,
        authors: sp.authors,
        categories: sp.categories,
      }),
      sp.embeds.map((e) =>
        post(
          'x',
          e.tweetId,
          Math.floor(sp.retweets / sp.embeds.length),
          Math.floor(sp.favorites / sp.embeds.length),
          {
            text: e.text,
            authorName: e.authorName,
            authorHandle: e.username,
          },
        ),
      ),
    ),
  );
  const html = text(
    buildSite(modelOf([digest(seed.day, papers)]), { baseUrl: BASE }),
    `days/${seed.day}.html`,
  );
  const size = Buffer.byteLength(html);
  assert.equal((html.match(/<li class="paper"/g) ?? []).length, 24);
  assert.ok((html.match(/<span class="katex">/g) ?? []).length >= 3, 'the seed day has math');
  assert.ok(size < 100_000, `day page is ${size} bytes`);
});

test('index pages paginate and the build is deterministic', () => {
  const days = Array.from({ length: 23 }, (_, i) =>
    digest(`2021-05-${String(i + 1).padStart(2, '0')}`, [
      ranked(1, paper(`2105.${String(i).padStart(5, '0')}`), [post('x', `p${i}`, 30, 30)]),
    ]),
  );
  const a = buildSite(modelOf(days), { baseUrl: BASE, daysPerPage: 10 });
  assert.ok(a.has('page/2.html') && a.has('page/3.html') && !a.has('page/4.html'));
  assert.ok(text(a, 'page/3.html').includes('page 3 of 3'));
  assert.ok(text(a, 'index.html').includes('<a rel="next" href="page/2.html">older days &rarr;</a>'));
  assert.ok(text(a, 'page/2.html').includes('<a rel="prev" href="../index.html">&larr; newer days</a>'));
  const b = buildSite(modelOf([...days].reverse()), { baseUrl: BASE, daysPerPage: 10 });
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of a) assert.equal(v.toString(), b.get(k)?.toString(), k);
});

test('an empty store builds a valid, small site', () => {
  const files = buildSite({ days: [] }, { baseUrl: BASE });
  assert.ok(text(files, 'index.html').includes('No days yet'));
  assert.ok(text(files, 'atom.xml').includes('<feed'));
});
