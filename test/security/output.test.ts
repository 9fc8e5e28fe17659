/**
 * What hotpapers writes from remote text (issue 11): the Markdown post stays inert in a
 * CommonMark renderer (defect 5), the webhook's fallback text is escaped (8), a category name
 * cannot overwrite another page (10), and `site` refuses a store that is missing or empty,
 * leaving the site it built before (6).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HtmlRenderer, Parser } from 'commonmark';
import { trimEmbed } from '../../src/embeds/oembed.js';
import { sanitizeEmbed } from '../../src/embeds/sanitize.js';
import { webhookPayload } from '../../src/ops/webhook.js';
import { DEFAULT_THRESHOLDS } from '../../src/rank/score.js';
import { renderLumen } from '../../src/render/lumen.js';
import { SITE_MARKER } from '../../src/site/build.js';
import { categoryKey, paths } from '../../src/site/model.js';
import { openStore } from '../../src/store/db.js';
import type { DayDigest, RankedPaper, ScoredPost } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';

function ranked(title: string, authors: string[], abstract: string, shown: ScoredPost[] = []): RankedPaper {
  return {
    rank: 1,
    paper: {
      id: '2106.04554',
      version: 1,
      title,
      abstract,
      authors,
      categories: ['cs.LG'],
      primaryCategory: 'cs.LG',
      pdfUrl: 'https://arxiv.org/pdf/2106.04554v1',
      announceType: 'new',
      method: 'api',
    },
    score: 100,
    reposts: 10,
    likes: 90,
    hn: { points: 0, comments: 0, stories: 0 },
    hf: { upvotes: 0, comments: 0 },
    bySource: {},
    uniqueAccounts: 1,
    selfPromotionPosts: 0,
    posts: shown,
    shown,
  };
}

function digest(papers: RankedPaper[]): DayDigest {
  return {
    day: '2021-06-09',
    categories: ['cs'],
    observedAt: '2021-06-10T18:07:48Z',
    weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
    thresholds: DEFAULT_THRESHOLDS,
    listed: papers.length,
    postsFound: 0,
    papers,
    health: [],
  };
}

/** The post's body (front matter removed) as CommonMark renders it, raw HTML allowed. */
function commonmark(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  return new HtmlRenderer().render(new Parser().parse(body));
}

const SHOWN: ScoredPost = {
  source: 'x',
  id: '1',
  url: 'https://twitter.com/a/status/1',
  text: '',
  metrics: { reposts: 10, likes: 90, replies: 0, quotes: 0 },
  score: 100,
  weighted: 100,
  selfPromotion: false,
};

test('titles, authors and abstracts cannot make a link, an image, an autolink or a link definition', () => {
  const hostile = ranked(
    'Click [here](javascript:alert(1)) and ![i](https://evil.example/p.png) <http://evil.example/a>',
    ['[x]: javascript:alert(2)', 'Bo [y](javascript:alert(3))'],
    '[z]: https://evil.example/def "t" and then [x] [z] [w](<javascript:alert(4)>) https://fine.example',
  );
  const html = commonmark(renderLumen(digest([hostile]), () => undefined));
  assert.doesNotMatch(html, /<img /, html);
  // Only our own three links (abs, pdf, the category) are links.
  assert.equal(html.match(/<a /g)?.length, 3, html);
  assert.doesNotMatch(html, /href="(?!https:\/\/arxiv\.org\/)/);
  // The text itself is all still there for the reader.
  assert.match(html, /Click \[here\]\(javascript:alert\(1\)\)/);
  assert.match(html, /\[x\]: javascript:alert\(2\), Bo \[y\]\(javascript:alert\(3\)\)/);
  assert.match(html, /&lt;http:\/\/evil\.example\/a&gt;/);
  // Our own links still work.
  const ours = commonmark(renderLumen(digest([ranked('Fine', ['A'], 'B')]), () => undefined));
  assert.match(ours, /<a href="https:\/\/arxiv\.org\/abs\/2106\.04554">abs<\/a>/);
});

test('an embed keeps one HTML block: what the sanitiser removes leaves no blank line, cached or fresh', () => {
  const raw =
    '<blockquote class="twitter-tweet"><p lang="en">Look</p>\n<style>p{}</style>\n<!-- c -->\n' +
    '[link](javascript:alert(1)) *not markdown* &mdash; A (@a) <a href="https://twitter.com/a/status/1">June 9, 2021</a></blockquote>\n' +
    '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n';
  // The pipeline's order: sanitise, then trim.
  const fresh = trimEmbed(sanitizeEmbed(raw));
  assert.doesNotMatch(fresh, /\n[ \t]*\n/);
  // An embed cached by an older run with a blank line inside is made one block when rendered.
  const cached = sanitizeEmbed(trimEmbed(raw));
  for (const embed of [fresh, cached]) {
    const md = renderLumen(digest([ranked('T', ['A'], 'B', [SHOWN])]), () => embed);
    const html = commonmark(md);
    assert.doesNotMatch(html, /<em>not markdown<\/em>|href="javascript/, html);
    assert.match(html, /\[link\]\(javascript:alert\(1\)\) \*not markdown\*/);
  }
});

test('the webhook fallback text escapes &, < and > so mentions and links are inert', () => {
  const d = digest([ranked('<!channel> read <https://evil.example|this> & more', ['A'], 'B')]);
  const { text } = webhookPayload(d);
  assert.doesNotMatch(text, /<!channel>|<https:\/\/evil/);
  assert.match(text, /&lt;!channel&gt; read &lt;https:\/\/evil\.example\|this&gt; &amp; more/);
});

test('no category name can write over another page: index, paging, look-alikes', () => {
  assert.notEqual(paths.category('index'), paths.categories());
  assert.notEqual(paths.category('INDEX'), paths.categories());
  assert.notEqual(paths.category('cs.LG-2'), paths.category('cs.LG', 2));
  assert.notEqual(paths.category('cs.LG_p2'), paths.category('cs.LG', 2));
  assert.notEqual(paths.category('a/b'), paths.category('a_b'));
  assert.notEqual(paths.category('a:b'), paths.category('a_3A'));
  assert.notEqual(paths.categoryFeed('index', 'atom'), paths.categories());
  assert.equal(paths.category('cs.LG'), 'categories/cs.LG.html');
  assert.equal(categoryKey('../x'), '_2E._2Fx');
  // One-to-one over a sample of hostile names.
  const names = [
    'index',
    'Index',
    '_index',
    'a',
    'a_',
    'a_5F',
    '.',
    '..',
    '',
    '_',
    'a-2',
    'a_p2',
    'é',
    '_C3_A9',
  ];
  const files = new Set<string>();
  for (const n of names) for (const page of [1, 2]) files.add(paths.category(n, page));
  assert.equal(files.size, names.length * 2);
  assert.equal(files.has(paths.categories()), false);
});

test('site refuses a missing store (not created) and an empty one, and leaves the site it built', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-site-refuse-'));
  const out = join(dir, 'public');
  mkdirSync(out);
  // A site `site` built before: its marker file says so (write.ts refuses folders it did not make).
  const before = join(out, 'index.html');
  writeFileSync(before, '<p>yesterday</p>');
  writeFileSync(join(out, SITE_MARKER), '');
  const missing = join(dir, 'nope', 'hp.db');
  const r1 = await runCli(['site', '--out', out], {
    HOTPAPERS_DB: missing,
    HOTPAPERS_BASE_URL: 'https://example.org/',
  });
  assert.equal(r1.code, 1);
  assert.match(r1.stderr.trim(), /^site: no store at .*nope\/hp\.db .*the site was left as it was$/);
  assert.equal(r1.stderr.trim().split('\n').length, 1);
  assert.equal(existsSync(missing), false, 'no store file was created');
  assert.equal(readFileSync(before, 'utf8'), '<p>yesterday</p>');

  const empty = join(dir, 'empty.db');
  openStore(empty).close();
  const r2 = await runCli(['site', '--out', out], {
    HOTPAPERS_DB: empty,
    HOTPAPERS_BASE_URL: 'https://example.org/',
  });
  assert.equal(r2.code, 1);
  assert.match(r2.stderr.trim(), /^site: the store .*empty\.db holds no day yet/);
  assert.equal(readFileSync(before, 'utf8'), '<p>yesterday</p>');
});
