// What a feed keeps of its items: an index of their keys and lengths, by which the next build
// cuts them out of the feed's files as bytes. What is written reads back the same; an index or a
// feed that does not match reads as no items (the feed then makes every item again).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keptFeedItems, packFeedIndex } from '../../src/site/feed-items.js';
import {
  type FeedItem,
  feedBytes,
  feedTexts,
  type ItemBytes,
  itemBytes,
  itemTexts,
} from '../../src/site/feeds.js';
import type { FeedKind } from '../../src/site/model.js';

const head = {
  title: 'F — “quoted”',
  description: 'D',
  homeUrl: 'https://e.org/',
  urls: { atom: 'https://e.org/a.xml', rss: 'https://e.org/r.xml', json: 'https://e.org/f.json' },
  updated: '2021-06-10T18:00:00.000Z',
  author: 'hotpapers',
};

/** Items whose texts would trip a naive cut: line feeds, non-Latin text, markup-like words, "end 2". */
const feedItems: FeedItem[] = [
  {
    id: 'https://e.org/days/2021-06-09.html',
    url: 'https://e.org/days/2021-06-09.html',
    title: 'Ünïcödé — 😀 </entry> <item> end 2',
    published: '2021-06-09T18:00:00.000Z',
    updated: '2021-06-09T18:00:00.000Z',
    contentHtml: '<p>one\ntwo & "three"</p>    }',
    tags: ['cs.LG'],
  },
  {
    id: 'https://e.org/days/2021-06-10.html',
    url: 'https://e.org/days/2021-06-10.html',
    title: 'plain',
    published: '2021-06-10T18:00:00.000Z',
    updated: '2021-06-10T18:00:00.000Z',
    contentHtml: '<p>x</p>',
  },
];
const keys = ['2021-06-09\nabc', 'end 1'];

/** A feed's files and index as writeFeeds writes them. */
function written(items: readonly ItemBytes[], itemKeys = keys) {
  const feeds = feedBytes(head, items);
  const files = {
    atom: Buffer.concat(feeds.atom),
    rss: Buffer.concat(feeds.rss),
    json: Buffer.concat(feeds.json),
  };
  const open = { atom: feeds.atom[0]!.length, rss: feeds.rss[0]!.length, json: feeds.json[0]!.length };
  const index = Buffer.from(
    packFeedIndex(
      open,
      items.map((t, i) => [itemKeys[i]!, t] as const),
    ),
  );
  return { files, index };
}

const items = feedItems.map((item) => itemBytes(itemTexts(item)));
const asText = (t: ItemBytes) => ({
  updated: t.updated,
  atom: t.atom.toString(),
  rss: t.rss.toString(),
  json: t.json.toString(),
});

test('the feeds hold the bytes of their texts; the items are cut out of them by the index, each with its key', () => {
  const { files, index } = written(items);
  const texts = feedTexts(head, feedItems.map(itemTexts));
  for (const kind of ['atom', 'rss', 'json'] as const)
    assert.equal(files[kind].toString(), texts[kind], kind);
  const kept = keptFeedItems(index, (k) => files[k]);
  assert.deepEqual([...kept.keys()], keys);
  assert.deepEqual([...kept.values()].map(asText), items.map(asText));
  // Kept items make the same feeds again, and a feed of none reads as none.
  const again = feedBytes(head, [...kept.values()]);
  assert.equal(Buffer.concat(again.atom).toString(), texts.atom);
  const empty = written([]);
  assert.equal(keptFeedItems(empty.index, (k) => empty.files[k]).size, 0);
});

test('an index or feed that does not match reads as no items', () => {
  const { files, index } = written(items);
  const read = (idx: Buffer | undefined, change: Partial<Record<FeedKind, Buffer | undefined>> = {}) =>
    keptFeedItems(idx, (k) => (k in change ? change[k] : files[k])).size;
  assert.equal(read(index), 2);
  // The index missing, cut, of another format, or with a length one off.
  assert.equal(read(undefined), 0);
  for (let n = 0; n < index.length - 1; n++) assert.equal(read(index.subarray(0, n)), 0, `index cut at ${n}`);
  const parsed = JSON.parse(index.toString());
  assert.equal(read(Buffer.from(JSON.stringify({ ...parsed, format: 2 }))), 0);
  for (const at of [2, 3, 4]) {
    const off = structuredClone(parsed);
    off.items[0][at] += 1;
    assert.equal(read(Buffer.from(JSON.stringify(off))), 0, `length ${at} one off`);
  }
  const shifted = structuredClone(parsed);
  shifted.open[1] -= 1;
  assert.equal(read(Buffer.from(JSON.stringify(shifted))), 0);
  // A feed missing, cut anywhere, or one byte longer.
  for (const kind of ['atom', 'rss', 'json'] as const) {
    assert.equal(read(index, { [kind]: undefined }), 0, kind);
    for (let n = 0; n < files[kind].length; n += 7)
      assert.equal(read(index, { [kind]: files[kind].subarray(0, n) }), 0, `${kind} cut at ${n}`);
    assert.equal(read(index, { [kind]: Buffer.concat([files[kind], Buffer.from('\n')]) }), 0, kind);
  }
  // The texts of before (format 2: the items' bytes in the index itself) are not read.
  assert.equal(read(Buffer.from('hotpapers feed items 2\n3\nkey\n')), 0);
});
