// The file in which a feed keeps its items' bytes: what is packed reads back the same, and a
// file that is not whole reads as no items (the feed then makes every item again).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packFeedItems, unpackFeedItems } from '../../src/site/feed-items.js';
import { type ItemBytes, type ItemTexts, itemBytes } from '../../src/site/feeds.js';

/** Texts that would break a naive framing: line feeds, digits first, "end 2", non-Latin text, empty. */
const trickyTexts: Array<[string, ItemTexts]> = [
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

const tricky: Array<[string, ItemBytes]> = trickyTexts.map(([key, t]) => [key, itemBytes(t)]);

/** The items as text again, to compare. */
const asText = (items: Iterable<readonly [string, ItemBytes]>) =>
  [...items].map(([key, t]) => [
    key,
    { updated: t.updated, atom: t.atom.toString(), rss: t.rss.toString(), json: t.json.toString() },
  ]);

test('packed item bytes read back the same, in the same order, with each key', () => {
  const back = unpackFeedItems(packFeedItems(tricky));
  assert.deepEqual(asText(back), trickyTexts);
  assert.deepEqual([...unpackFeedItems(packFeedItems([]))], []);
  // Lengths are in bytes: the non-Latin text takes more bytes than UTF-16 units.
  const rss = trickyTexts[0]![1].rss;
  assert.ok(Buffer.byteLength(rss) > rss.length);
  assert.ok(packFeedItems(tricky).includes(`${Buffer.byteLength(rss)}\n${rss}\n`));
});

test('a file cut anywhere, with another first line, or with a wrong count reads as no items', () => {
  const bytes = packFeedItems(tricky);
  const text = bytes.toString('latin1');
  const of = (t: string) => Buffer.from(t, 'latin1');
  // Every cut that leaves a part: none of them reads as some of the items.
  for (let n = 0; n < bytes.length; n++)
    assert.equal(unpackFeedItems(bytes.subarray(0, n)).size, 0, `cut at ${n}`);
  assert.equal(unpackFeedItems(of(text.replace('feed items 2', 'feed items 3'))).size, 0);
  assert.equal(unpackFeedItems(of(text.replace(/end 3\n$/, 'end 2\n'))).size, 0);
  assert.equal(unpackFeedItems(of(`${text}x`)).size, 0);
  // A length one off misaligns every frame after it.
  const first = text.indexOf('\n') + 1;
  const wrong = `${text.slice(0, first)}${Number(text.slice(first, text.indexOf('\n', first))) + 1}${text.slice(text.indexOf('\n', first))}`;
  assert.equal(unpackFeedItems(of(wrong)).size, 0);
  // The forms of before are not read: the text frames (lengths in UTF-16 units), and JSON.
  const textFrames = `hotpapers feed items 1\n${trickyTexts
    .flatMap(([key, t]) => [key, t.updated, t.atom, t.rss, t.json])
    .map((f) => `${f.length}\n${f}\n`)
    .join('')}end 3\n`;
  assert.equal(unpackFeedItems(Buffer.from(textFrames)).size, 0);
  assert.equal(unpackFeedItems(Buffer.from(JSON.stringify({ items: [['k', 'u', 'a', 'r', 'j']] }))).size, 0);
});
