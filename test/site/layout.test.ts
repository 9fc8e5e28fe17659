import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PageSpec, renderPage, type ShellContext } from '../../src/site/layout.js';

const ctx: ShellContext = {
  siteTitle: 'Hot Papers',
  baseUrl: 'https://example.org/',
  thisWeek: 'top/week-2030-W01.html',
  thisMonth: 'top/month-2030-01.html',
};
const feeds = { atom: 'atom.xml', rss: 'rss.xml', json: 'feed.json', label: 'Hot Papers' };

function page(spec: Partial<PageSpec>, shell: ShellContext = ctx): string {
  return renderPage(
    { path: 'papers/2101.00001.html', title: 'A paper', body: '<p>body</p>', feeds, ...spec },
    shell,
  );
}

test("a page's shell is shared by pages of its kind and depth, its own tags are its own", () => {
  const a = page({ path: 'papers/2101.00001.html', title: 'First "<title>"', description: 'Ada & Bob' });
  const b = page({ path: 'papers/2101.00002.html', title: 'Second', description: 'Carol' });
  assert.match(a, /<title>First &quot;&lt;title&gt;&quot; · Hot Papers<\/title>/);
  assert.match(a, /<meta property="og:title" content="First &quot;&lt;title&gt;&quot;">/);
  assert.match(a, /<meta name="twitter:title" content="First &quot;&lt;title&gt;&quot;">/);
  assert.match(a, /<meta name="twitter:description" content="Ada &amp; Bob">/);
  assert.match(a, /<link rel="canonical" href="https:\/\/example.org\/papers\/2101.00001.html">/);
  assert.match(b, /<link rel="canonical" href="https:\/\/example.org\/papers\/2101.00002.html">/);
  assert.match(b, /<meta property="og:url" content="https:\/\/example.org\/papers\/2101.00002.html">/);
  assert.doesNotMatch(b, /First|Ada/);
  // Everything after the sharing tags is the same for both.
  const shell = (html: string) => html.slice(html.indexOf('<link rel="icon"'));
  assert.equal(shell(a), shell(b));
});

test("a page's shell follows its depth, kind, feeds and the site's current windows", () => {
  const deep = page({ path: 'papers/2101.00001.html' });
  const top = page({ path: 'index.html', section: 'latest' });
  assert.match(deep, /<link rel="stylesheet" href="\.\.\/assets\/site\.css">/);
  assert.match(top, /<link rel="stylesheet" href="assets\/site\.css">/);
  assert.match(top, /<a href="index\.html" aria-current="page">Latest<\/a>/);
  assert.doesNotMatch(deep, /aria-current/);

  assert.doesNotMatch(deep, /katex/);
  assert.match(page({ math: true }), /<link rel="stylesheet" href="\.\.\/assets\/katex\/katex\.min\.css">/);

  const nextWeek = page({}, { ...ctx, thisWeek: 'top/week-2030-W02.html' });
  assert.match(deep, /href="\.\.\/top\/week-2030-W01\.html">This week</);
  assert.match(nextWeek, /href="\.\.\/top\/week-2030-W02\.html">This week</);

  const categoryFeeds = { atom: 'categories/cs.LG.atom.xml', rss: 'x.rss', json: 'x.json', label: 'cs.LG' };
  assert.match(
    page({ feeds: categoryFeeds }),
    /title="cs\.LG \(Atom\)" href="\.\.\/categories\/cs\.LG\.atom\.xml"/,
  );
  assert.match(page({ feeds: categoryFeeds }), /Feeds for cs\.LG:/);
  assert.match(deep, /Feeds for Hot Papers:/);

  assert.match(page({}, { ...ctx, liveEmbeds: true }), /shown with their providers' widgets/);
  assert.match(deep, /with no third-party script/);
  assert.match(page({ noHeaderSearch: true }), /<\/nav><\/div><\/header>/);
  assert.match(
    page({ scripts: [{ src: 'assets/search.js', defer: true }] }),
    /<script src="\.\.\/assets\/search\.js" defer>/,
  );
});
