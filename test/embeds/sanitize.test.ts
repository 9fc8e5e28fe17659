import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { trimEmbed } from '../../src/embeds/oembed.js';
import { sanitizeEmbed } from '../../src/embeds/sanitize.js';

const seedDir = new URL('../fixtures/seed/', import.meta.url);
const fixture = (name: string): { html: string } =>
  JSON.parse(readFileSync(new URL(`../fixtures/x/${name}`, import.meta.url), 'utf8'));

/** Every `<blockquote…>` line of the seeds with the `<script>` line after it. */
function seedEmbeds(): Array<{ file: string; html: string }> {
  const out: Array<{ file: string; html: string }> = [];
  for (const file of readdirSync(seedDir).filter((f) => f.endsWith('.md'))) {
    const lines = readFileSync(new URL(file, seedDir), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.startsWith('<blockquote')) out.push({ file, html: `${line}\n${lines[i + 1]}` });
    });
  }
  return out;
}

describe('sanitizeEmbed keeps real embeds byte for byte', () => {
  it('every seed embed (blockquote + script) of the six seeds', () => {
    const embeds = seedEmbeds();
    assert.equal(new Set(embeds.map((e) => e.file)).size, 6);
    assert.ok(embeds.length >= 28, `${embeds.length} embeds`);
    for (const { file, html } of embeds) {
      assert.match(
        html,
        /<\/blockquote>\n<script async src="https:\/\/platform\.twitter\.com\/widgets\.js" charset="utf-8"><\/script>$/,
      );
      assert.equal(sanitizeEmbed(html), html, `changed an embed of ${file}`);
    }
    // Entities stay as written, not decoded.
    const all = embeds.map((e) => sanitizeEmbed(e.html)).join('\n');
    assert.ok(all.includes('&mdash;'));
    assert.ok(all.includes('&amp;'));
    assert.ok(all.includes('&quot;'));
    assert.ok(all.includes('&#39;'));
    assert.ok(!all.includes('—'));
  });

  it('a 2025 X oEmbed (x.com links, platform.x.com script)', () => {
    const html = trimEmbed(fixture('oembed-x-2025.json').html);
    assert.ok(
      html.endsWith('<script async src="https://platform.x.com/widgets.js" charset="utf-8"></script>'),
    );
    assert.equal(sanitizeEmbed(html), html);
  });

  it('a Bluesky oEmbed (data-bluesky-* attributes, embed.bsky.app script)', () => {
    const { html } = fixture('oembed-bluesky.json');
    assert.ok(html.includes('data-bluesky-uri="at://did:plc:abc123xyz/app.bsky.feed.post/3lxyzabc2k2a"'));
    assert.equal(sanitizeEmbed(html), html);
  });

  it('a Hacker News card', () => {
    const html =
      '<blockquote class="hn-card"><p><a href="https://news.ycombinator.com/item?id=1">Title</a></p>&mdash; 212 points, 87 comments on Hacker News</blockquote>';
    assert.equal(sanitizeEmbed(html), html);
  });
});

describe('sanitizeEmbed neutralises hostile markup', () => {
  const cases: Array<[string, string, string]> = [
    ['inline script', '<p>hi<script>alert(1)</script></p>', '<p>hi</p>'],
    ['img onerror', '<p>a<img src=x onerror="alert(1)">b</p>', '<p>ab</p>'],
    ['javascript: href', '<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['mixed-case javascript:', '<a href="JaVaScRiPt:alert(1)">x</a>', '<a>x</a>'],
    ['decimal-entity javascript:', '<a href="&#106;avascript:alert(1)">x</a>', '<a>x</a>'],
    ['hex-entity javascript:', '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>', '<a>x</a>'],
    ['named-entity colon', '<a href="javascript&colon;alert(1)">x</a>', '<a>x</a>'],
    ['leading space and tab', '<a href=" \tjavascript:alert(1)">x</a>', '<a>x</a>'],
    ['data: URL', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a>x</a>'],
    ['protocol-relative URL', '<a href="//evil.example/">x</a>', '<a>x</a>'],
    ['foreign script src', '<script async src="https://evil.example/x.js" charset="utf-8"></script>', ''],
    [
      'look-alike script host',
      '<script src="https://platform.twitter.com.evil.example/widgets.js"></script>',
      '',
    ],
    [
      'known script with inline code',
      '<script src="https://platform.x.com/widgets.js">alert(1)</script>',
      '<script src="https://platform.x.com/widgets.js"></script>',
    ],
    [
      'known script with handler',
      '<script async src="https://platform.x.com/widgets.js" onload="alert(1)" type="module"></script>',
      '<script async src="https://platform.x.com/widgets.js"></script>',
    ],
    [
      'iframe',
      '<blockquote><iframe src="https://evil.example/"></iframe>t</blockquote>',
      '<blockquote>t</blockquote>',
    ],
    ['svg onload', '<svg onload="alert(1)"><circle r="1"/></svg><p>k</p>', '<p>k</p>'],
    ['style attribute and element', '<p style="position:fixed">a</p><style>*{}</style>', '<p>a</p>'],
    [
      'event handlers on allowed tags',
      '<blockquote class="twitter-tweet" onmouseover="alert(1)"><a href="https://x.com/" onclick="alert(1)">x</a></blockquote>',
      '<blockquote class="twitter-tweet"><a href="https://x.com/">x</a></blockquote>',
    ],
    [
      'attribute quote break-out',
      `<a href='https://x.com/"onmouseover="alert(1)'>x</a>`,
      '<a href="https://x.com/&quot;onmouseover=&quot;alert(1)">x</a>',
    ],
    ['unknown tags unwrapped', '<p><b>bold</b> <span class="x">t</span></p>', '<p>bold t</p>'],
    ['comment', '<p>a<!-- <script>alert(1)</script> -->b</p>', '<p>ab</p>'],
    ['bare angle brackets in text', '<p>a < b > c</p>', '<p>a &lt; b &gt; c</p>'],
    ['split tag trick', '<scr<script>ipt>alert(1)</script>', 'ipt&gt;alert(1)'],
    ['upper-case script', '<SCRIPT>alert(1)</SCRIPT><P>x</P>', '<p>x</p>'],
    ['form and input', '<form action="https://evil.example"><input name="q"></form>x', 'x'],
    ['data attribute off blockquote', '<p data-x="1" id="y">a</p>', '<p>a</p>'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const out = sanitizeEmbed(input);
      assert.equal(out, expected);
      // No live handler attribute, script URL or dangerous element survives.
      assert.doesNotMatch(out, /\son\w+=|javascript:|<iframe|<svg|<img|<style|\sstyle=/i);
    });
  }

  it('leaves no unclosed allowed element behind', () => {
    assert.equal(
      sanitizeEmbed('<blockquote class="twitter-tweet"><p>open'),
      '<blockquote class="twitter-tweet"><p>open</p></blockquote>',
    );
  });
});
