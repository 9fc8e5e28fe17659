import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipText, countsText, formatInstant, linkify, renderPost } from '../../src/site/cards.js';
import { post } from './fixtures.js';

test('a static card shows author, handle, date, text, counts and a link, escaped', () => {
  const html = renderPost(
    post('x', '42', 3, 7, { authorName: 'Eve <b>', authorHandle: 'eve', text: 'Nice & new <i>' }),
    undefined,
  );
  assert.match(
    html,
    /^<article class="post"><p class="meta"><span class="src">X<\/span> <b>Eve &lt;b&gt;<\/b> @eve · /,
  );
  assert.match(html, /<time datetime="2021-06-09T12:00:00.000Z">2021-06-09 12:00 UTC<\/time>/);
  assert.match(html, /<p>Nice &amp; new &lt;i&gt;<\/p>/);
  assert.match(
    html,
    /<p class="counts">3 reposts · 7 likes · 1 reply · <a href="https:\/\/x.com\/someone\/status\/42" rel="nofollow ugc">view on X<\/a><\/p>/,
  );
  assert.ok(!html.includes('<script'));
});

test('a deleted post gets the note and a dashed card', () => {
  const html = renderPost(post('x', '7', 1, 30), { status: 'unavailable' });
  assert.match(html, /^<article class="post gone"/);
  assert.match(html, /This post has since been deleted/);
  assert.match(html, />original link<\/a>/);
});

test('javascript: URLs never become links, in the post URL or in its text', () => {
  const html = renderPost(
    post('x', '9', 1, 1, {
      url: 'javascript:alert(1)',
      text: 'see javascript:alert(2) and <a href="javascript:alert(3)">x</a> https://ok.org/a).',
    }),
    undefined,
  );
  assert.ok(!/href="javascript/i.test(html), html);
  assert.ok(!/<a href="[^h]/.test(html));
  assert.match(html, /<a href="https:\/\/ok.org\/a" rel="nofollow ugc">https:\/\/ok.org\/a<\/a>\)\./);
  assert.ok(!html.includes('view on X'), 'no link for a post whose URL is not http(s)');
});

test('live embeds go through sanitizeEmbed; static cards are used without one', () => {
  const embed = {
    status: 'ok' as const,
    html: '<blockquote class="twitter-tweet"><p>hi <a href="javascript:alert(1)">x</a></p><img src=x onerror=alert(1)></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script><script>alert(2)</script>',
  };
  const live = renderPost(post('x', '1', 1, 1), embed, { liveEmbeds: true });
  assert.match(live, /^<div class="post live"><blockquote class="twitter-tweet">/);
  assert.ok(
    live.includes('<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'),
  );
  assert.ok(!live.includes('alert('), live);
  assert.ok(!live.includes('onerror'));
  const off = renderPost(post('x', '1', 1, 1), embed, { liveEmbeds: false });
  assert.match(off, /^<article class="post"/);
  assert.ok(!off.includes('<script'));
  const deleted = renderPost(post('x', '1', 1, 1), { status: 'unavailable' }, { liveEmbeds: true });
  assert.match(deleted, /This post has since been deleted/);
});

test('counts use each source’s words; long text is cut on day pages', () => {
  assert.equal(
    countsText('hn', { reposts: 0, likes: 120, replies: 45, quotes: 0 }),
    '120 points · 45 comments',
  );
  assert.equal(countsText('hf', { reposts: 0, likes: 1, replies: 0, quotes: 0 }), '1 upvote');
  assert.equal(
    countsText('bluesky', { reposts: 0, likes: 2, replies: 0, quotes: 3 }),
    '0 reposts · 2 likes · 3 quotes',
  );
  const html = renderPost(post('x', '1', 1, 1, { text: 'a'.repeat(50) }), undefined, { maxText: 10 });
  assert.match(html, /<p>a{10}&hellip;<\/p>/);
  assert.equal(countsText('x', { reposts: 1, likes: 0, replies: 1, quotes: 0 }), '1 repost · 1 reply');
  assert.equal(formatInstant('not a date'), '');
  assert.equal(formatInstant('not a date'), '', 'remembered');
  assert.equal(formatInstant('2021-06-09T18:05:07.123Z'), '2021-06-09 18:05 UTC');
  assert.equal(formatInstant('2021-06-09T20:05:07+02:00'), '2021-06-09 18:05 UTC');
  assert.equal(formatInstant('2021-06-09T20:05:07+02:00'), '2021-06-09 18:05 UTC', 'remembered');
  assert.equal(linkify('a\nb'), 'a<br>b');
});

test('a cut card text ends at a word boundary and never links a partial URL', () => {
  const url = 'https://t.co/AbCdEfGhIj';
  const text = `A long thought about this paper, with a link ${url} and more words after it`;
  // Every limit that falls inside the URL drops it whole; the others keep it whole or leave it out.
  for (let max = 10; max < text.length; max++) {
    const clipped = clipText(text, max);
    assert.ok(clipped.length <= max, `${max}: ${clipped}`);
    assert.ok(text.startsWith(clipped), `${max}: ${clipped}`);
    const next = text[clipped.length];
    assert.ok(next === undefined || /\s/.test(next), `${max}: cut mid-word: ${clipped}`);
    const html = renderPost(post('x', '1', 1, 1, { text }), undefined, { maxText: max });
    for (const m of html.matchAll(/<a href="([^"]+)" rel="nofollow ugc">([^<]*)<\/a>/g)) {
      if (m[2] === 'view on X') continue;
      assert.equal(m[1], url, `${max}: partial link ${m[1]}`);
      assert.equal(m[2], url);
    }
  }
  assert.equal(clipText(text, text.indexOf(url) + 5), 'A long thought about this paper, with a link');
  assert.equal(clipText('short', 10), 'short');
});
