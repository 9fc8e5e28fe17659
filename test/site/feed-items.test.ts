// The file in which a feed keeps its items' texts: what is packed reads back the same, and a
// file that is not whole reads as no items (the feed then makes every item again).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packFeedItems, unpackFeedItems } from '../../src/site/feed-items.js';
import type { ItemTexts } from '../../src/site/feeds.js';

/** Texts that would break a naive framing: line feeds, digits first, "end 2", non-Latin text, empty. */
const tricky: Array<[string, ItemTexts]> = [
  [
    '2021-06-09\nabc',
    {
      updated: '2021-06-09T18:00:00.000Z',
      atom: '<entry>\n<title type="text">12\nend 2\n</title>\n</entry>',
      rss: '<item><title>Ünïcödé — “quotes” 😀 \\ backslash</title></item>',
      json: '    {\n      "title": "a \\"b\\""\n    }',
    },
  ],
  ['', { updated: '', atom: '', rss: '\n', json: '7\n' }],
  ['end 1', { updated: 'x', atom: 'end 1\n', rss: '0\n', json: 'end 3' }],
];

test('packed item texts read back the same, in the same order, with each key', () => {
  const back = unpackFeedItems(packFeedItems(tricky));
  assert.deepEqual([...back], tricky);
  assert.deepEqual([...unpackFeedItems(packFeedItems([]))], []);
});

test('a file cut anywhere, with another first line, or with a wrong count reads as no items', () => {
  const text = packFeedItems(tricky);
  // Every cut that leaves a part: none of them reads as some of the items.
  for (let n = 0; n < text.length; n++)
    assert.equal(unpackFeedItems(text.slice(0, n)).size, 0, `cut at ${n}`);
  assert.equal(unpackFeedItems(text.replace('feed items 1', 'feed items 2')).size, 0);
  assert.equal(unpackFeedItems(text.replace(/end 3\n$/, 'end 2\n')).size, 0);
  assert.equal(unpackFeedItems(`${text}x`).size, 0);
  // A length one off misaligns every frame after it.
  const first = text.indexOf('\n') + 1;
  const wrong = `${text.slice(0, first)}${Number(text.slice(first, text.indexOf('\n', first))) + 1}${text.slice(text.indexOf('\n', first))}`;
  assert.equal(unpackFeedItems(wrong).size, 0);
  // The JSON form of before is not read.
  assert.equal(unpackFeedItems(JSON.stringify({ items: [['k', 'u', 'a', 'r', 'j']] })).size, 0);
});
