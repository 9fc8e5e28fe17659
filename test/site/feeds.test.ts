import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildSite, type SiteFiles } from '../../src/site/build.js';
import { type FeedItem, feedTexts, itemTexts } from '../../src/site/feeds.js';
import type { SiteModel } from '../../src/site/model.js';
import { digest, paper, post, ranked, sampleDigests } from './fixtures.js';

const BASE = 'https://example.org/hot/';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function site(): SiteFiles {
  const digests = sampleDigests();
  // A control character and a CDATA terminator must not break the XML feeds.
  digests[2]!.papers[0]!.paper.title = 'Bell\u0007 ]]> & <tricky>';
  const model: SiteModel = {
    days: digests.map((d) => ({
      day: d.day,
      categoriesKey: 'cs,stat.ML',
      horizon: d.horizon ?? '',
      digest: d,
    })),
  };
  return buildSite(model, { baseUrl: BASE });
}

const LISTS = new Set([
  'feed.entry',
  'feed.link',
  'feed.entry.link',
  'feed.entry.category',
  'rss.channel.item',
  'rss.channel.atom:link',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (_name, jpath) => LISTS.has(String(jpath)),
});

function xml(files: SiteFiles, path: string): Record<string, unknown> {
  const text = files.get(path)?.toString() ?? '';
  assert.equal(XMLValidator.validate(text), true, `${path} is well-formed XML`);
  return parser.parse(text) as Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: parsed feeds are checked field by field below.
type Any = any;

test('the Atom feed has the fields RFC 4287 requires, one entry per day, newest first', () => {
  const feed = (xml(site(), 'atom.xml') as Any).feed;
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  assert.equal(feed.id, 'https://example.org/hot/atom.xml');
  assert.equal(feed.title['#text'], 'Hot Papers');
  assert.match(feed.updated, RFC3339);
  assert.equal(feed.updated, '2021-06-10T18:00:00Z');
  assert.equal(feed.author.name, 'hotpapers');
  assert.ok(
    feed.link.some((l: Any) => l['@rel'] === 'self' && l['@href'] === 'https://example.org/hot/atom.xml'),
  );
  assert.equal(feed.entry.length, 3);
  const [first, second] = feed.entry;
  assert.equal(first.id, 'https://example.org/hot/days/2021-06-10.html');
  assert.equal(first.title['#text'], 'Hot papers of Thursday 10 June 2021 (counts at 24h)');
  for (const entry of feed.entry) {
    assert.match(entry.updated, RFC3339);
    assert.match(entry.published, RFC3339);
    assert.equal(entry.link[0]['@rel'], 'alternate');
    assert.match(entry.link[0]['@href'], /^https:\/\/example\.org\/hot\/days\/\d{4}-\d{2}-\d{2}\.html$/);
    assert.equal(entry.content['@type'], 'html');
  }
  // The hostile title arrives as text inside the HTML content: escaped HTML once the XML is decoded.
  const content: string = second.content['#text'];
  assert.ok(content.includes('&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt;'), content);
  assert.ok(!content.includes('<script'));
});

test('the RSS 2.0 feed has channel title, link, description and dated, guided items', () => {
  const rss = (xml(site(), 'rss.xml') as Any).rss;
  assert.equal(rss['@version'], '2.0');
  const ch = rss.channel;
  assert.equal(ch.title, 'Hot Papers');
  assert.equal(ch.link, 'https://example.org/hot/');
  assert.ok(ch.description.length > 0);
  assert.match(ch.lastBuildDate, RFC822);
  assert.equal(ch['atom:link'][0]['@href'], 'https://example.org/hot/rss.xml');
  assert.equal(ch.item.length, 3);
  for (const item of ch.item) {
    assert.ok(item.title && item.link && item.description);
    assert.match(item.pubDate, RFC822);
    assert.equal(item.guid['@isPermaLink'], 'true');
    assert.equal(item.guid['#text'], item.link);
  }
  const tricky = ch.item[2];
  assert.ok(tricky.description.includes('Bell ]]&gt; &amp; &lt;tricky&gt;'), tricky.description);
});

test('the JSON feed is JSON Feed 1.1 with ids, content and RFC 3339 dates', () => {
  const feed = JSON.parse(site().get('feed.json')!.toString());
  assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
  assert.equal(feed.title, 'Hot Papers');
  assert.equal(feed.home_page_url, 'https://example.org/hot/');
  assert.equal(feed.feed_url, 'https://example.org/hot/feed.json');
  assert.deepEqual(feed.authors, [{ name: 'hotpapers' }]);
  assert.equal(feed.author, undefined, '1.1 uses authors, not author');
  assert.equal(feed.items.length, 3);
  for (const item of feed.items) {
    assert.equal(typeof item.id, 'string');
    assert.equal(typeof item.content_html, 'string');
    assert.match(item.date_published, RFC3339);
    assert.match(item.date_modified, RFC3339);
    assert.match(item.url, /^https:\/\//);
  }
  assert.deepEqual(feed.items[1].tags, ['cs.CL', 'cs.LG']);
});

test('each category has its own Atom, RSS and JSON feed of the days with papers in it', () => {
  const files = site();
  const atom = (xml(files, 'categories/cs.CL.atom.xml') as Any).feed;
  assert.equal(atom.title['#text'], 'Hot Papers in cs.CL');
  assert.equal(atom.entry.length, 1);
  assert.equal(atom.entry[0].id, 'https://example.org/hot/days/2021-06-09.html#cs.CL');
  assert.ok(atom.entry[0].content['#text'].includes('Scaling $\\mathcal{O}(n^2)$ Attention'));
  assert.ok(!atom.entry[0].content['#text'].includes('Robust Graph Networks'), 'only the category’s papers');
  const rss = (xml(files, 'categories/cs.LG.rss.xml') as Any).rss;
  assert.equal(rss.channel.item.length, 3);
  const json = JSON.parse(files.get('categories/hep-th.json')!.toString());
  assert.equal(json.items.length, 1);
  assert.equal(json.items[0].title, 'hep-th: hot papers of Thursday 10 June 2021');
});

test('feeds keep the latest days only and never fall back to the clock', () => {
  const days = Array.from({ length: 40 }, (_, i) =>
    digest(`2021-0${1 + Math.floor(i / 20)}-${String((i % 20) + 1).padStart(2, '0')}`, [
      ranked(1, paper(`21.${i}`), [post('x', `${i}`, 30, 30)]),
    ]),
  );
  const model: SiteModel = {
    days: days.map((d) => ({ day: d.day, categoriesKey: '', horizon: '', digest: d })),
  };
  const a = buildSite(model, { baseUrl: BASE, feedItems: 30 });
  const feed = (xml(a, 'atom.xml') as Any).feed;
  assert.equal(feed.entry.length, 30);
  assert.equal(feed.entry[0].id, 'https://example.org/hot/days/2021-02-20.html');
  const empty = buildSite({ days: [] }, { baseUrl: BASE });
  assert.equal((xml(empty, 'atom.xml') as Any).feed.updated, '1970-01-01T00:00:00Z');
});

test("each feed's layout is the one its format's serialiser gives, and its items read back", () => {
  const files = site();
  // The JSON feed is assembled from each item's own text: it must read as JSON.stringify(·, null, 2) of the whole.
  for (const path of ['feed.json', 'categories/cs.LG.json', 'categories/hep-th.json']) {
    const text = files.get(path)!.toString();
    assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 2)}\n`, path);
  }
  // The feeds put together from the items' texts are well-formed in each format.
  const item: FeedItem = {
    id: 'https://e.org/a',
    url: 'https://e.org/b',
    title: 'T "q" <&>',
    published: '2021-06-09T00:00:00.000Z',
    updated: '2021-06-09T18:00:00.000Z',
    contentHtml: '<p>one\ntwo & "three"</p>',
    summary: 's',
    tags: ['cs.LG', 'stat.ML'],
  };
  const head = {
    title: 'F',
    description: 'D',
    homeUrl: 'https://e.org/',
    urls: { atom: 'https://e.org/a.xml', rss: 'https://e.org/r.xml', json: 'https://e.org/f.json' },
    updated: item.updated,
    author: 'hotpapers',
  };
  const bare: FeedItem = { ...item, id: item.url, summary: undefined, tags: [] };
  for (const items of [[], [item], [item, bare]]) {
    const parts = feedTexts(head, items.map(itemTexts));
    const json = JSON.parse(parts.json);
    assert.equal(parts.json, `${JSON.stringify(json, null, 2)}\n`);
    assert.equal(json.items.length, items.length);
    assert.equal(XMLValidator.validate(parts.atom), true);
    assert.equal(XMLValidator.validate(parts.rss), true);
  }
  // Each item's texts read back as the item, in each format.
  const parts = feedTexts(head, [item, bare].map(itemTexts));
  const atom = (parser.parse(parts.atom) as Any).feed.entry;
  assert.equal(atom.length, 2);
  assert.equal(atom[0].title['#text'], item.title);
  assert.equal(atom[0].content['#text'], item.contentHtml);
  assert.equal(atom[0].summary['#text'], 's');
  assert.deepEqual(
    atom[0].category.map((c: Any) => c['@term']),
    ['cs.LG', 'stat.ML'],
  );
  assert.equal(atom[1].summary, undefined);
  assert.equal(atom[1].category, undefined);
  const rss = (parser.parse(parts.rss) as Any).rss.channel.item;
  assert.equal(rss[0].guid['@isPermaLink'], 'false');
  assert.equal(rss[1].guid['@isPermaLink'], 'true');
  assert.equal(rss[1].description, item.contentHtml);
  const json = JSON.parse(parts.json).items;
  assert.equal(json[0].content_html, item.contentHtml);
  assert.deepEqual(json[0].tags, ['cs.LG', 'stat.ML']);
  assert.equal(json[1].summary, undefined);
  assert.equal(json[1].tags, undefined);
  assert.equal(json[1].date_modified, '2021-06-09T18:00:00Z');
});
