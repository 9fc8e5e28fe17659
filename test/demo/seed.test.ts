import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseSeedPost, seedInstant, seedToDay, splitCounts } from '../../src/demo/seed.js';
import { ParseError } from '../../src/errors.js';

const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'seed');
const read = (name: string) => readFileSync(join(SEED_DIR, name), 'utf8');

describe('parseSeedPost', () => {
  const seed = parseSeedPost(read('2021-06-09---Hot-Papers.md'));

  it('reads the front matter', () => {
    assert.deepEqual(seed.frontMatter, {
      title: 'Hot Papers 2021-06-09',
      date: '2021-06-10T18:07:48.Z',
      template: 'post',
      draft: false,
      slug: 'hot-papers-2021-06-09',
      category: 'arXiv',
      tags: ['arXiv', 'Twitter', 'Machine Learning', 'Computer Science'],
      description: 'Hot papers 2021-06-09',
      socialImage: '/media/flying-marine.jpg',
    });
    assert.equal(seed.day, '2021-06-09');
    assert.equal(seed.observedAt, '2021-06-10T18:07:48.000Z');
  });

  it('reads every paper block', () => {
    assert.equal(seed.papers.length, 24);
    const p = seed.papers[0]!;
    assert.equal(p.rank, 1);
    assert.equal(p.title, 'A Survey of Transformers');
    assert.deepEqual(p.authors, ['Tianyang Lin', 'Yuxin Wang', 'Xiangyang Liu', 'Xipeng Qiu']);
    assert.equal(p.retweets, 17382);
    assert.equal(p.favorites, 49);
    assert.equal(p.timestamp, '06/10/2021 18:07:48');
    assert.equal(p.id, '2106.04554');
    assert.deepEqual(p.categories, ['cs.LG', 'cs.AI', 'cs.CL']);
    assert.ok(p.abstract.startsWith('Transformers have achieved great success'));
    assert.ok(p.abstract.endsWith('potential directions for future research.'));
    assert.equal(p.embeds.length, 1);
    const e = p.embeds[0]!;
    assert.equal(e.tweetId, '1402589585109098500');
    assert.equal(e.username, 'omarsar0');
    assert.equal(e.authorName, 'elvis');
    assert.ok(e.html.startsWith('<blockquote class="twitter-tweet">'));
    assert.ok(
      e.html.endsWith(
        '</blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>',
      ),
    );
    assert.ok(e.text.startsWith('A comprehensive overview of Transformer variants.\n\nA must-read'));
  });

  it('keeps titles as printed and decodes credit names', () => {
    const p4 = seed.papers[3]!;
    assert.equal(
      p4.title,
      'Swords: A Benchmark for Lexical Substitution with Improved Data Coverage  and Quality',
    );
    const march = parseSeedPost(read('2021-03-16---Hot-Papers.md'));
    const names = march.papers.flatMap((p) => p.embeds.map((e) => e.authorName));
    assert.ok(names.includes('Xinyi Wang (Cindy)'));
    assert.ok(!names.some((n) => /&[#a-z0-9]+;/i.test(n)));
  });

  it('parses all six seeds: ranks, ids and embeds consistent', () => {
    const counts: Record<string, [number, number]> = {};
    for (const f of readdirSync(SEED_DIR).sort()) {
      const s = parseSeedPost(read(f));
      counts[s.day] = [s.papers.length, s.papers.reduce((a, p) => a + p.embeds.length, 0)];
      const md = read(f);
      assert.equal((md.match(/<blockquote class="twitter-tweet"/g) ?? []).length, counts[s.day]![1]);
    }
    assert.deepEqual(counts, {
      '2020-06-29': [10, 12],
      '2020-12-14': [10, 7],
      '2021-03-16': [18, 18],
      '2021-04-20': [19, 20],
      '2021-06-09': [24, 28],
      '2021-08-26': [3, 3],
    });
  });

  it('fails with a one-line seed error on malformed input', () => {
    assert.throws(
      () => parseSeedPost('no front matter'),
      (e: unknown) => e instanceof ParseError && /^seed: /.test(e.message),
    );
    const md = read('2021-08-26---Hot-Papers.md');
    assert.throws(
      () => parseSeedPost(md.replace('- retweets: 1406,', '- retweets: many,')),
      /seed: paper 1: bad counts line/,
    );
    assert.throws(() => parseSeedPost(md.replace('# 2. YOLOP', '# 3. YOLOP')), /rank 3, expected 2/);
    assert.throws(() => seedInstant('not a date'), /seed: bad date/);
  });
});

describe('splitCounts', () => {
  const sum = (xs: { reposts: number; likes: number }[]) =>
    xs.reduce((a, x) => ({ reposts: a.reposts + x.reposts, likes: a.likes + x.likes }), {
      reposts: 0,
      likes: 0,
    });
  const scores = (xs: { reposts: number; likes: number }[]) => xs.map((x) => x.reposts + x.likes);

  it('gives shown posts strictly decreasing scores ≥ 25 and extras < 25, totals exact', () => {
    const split = splitCounts(4103, 98, 2);
    assert.deepEqual(sum(split), { reposts: 4103, likes: 98 });
    // Ladder 26, 25; one extra of 24; the first shown post takes the rest: 4201 − 25 − 24.
    assert.deepEqual(scores(split), [4152, 25, 24]);
  });

  it('handles every small or lopsided case of the seeds', () => {
    const cases: Array<[number, number, number]> = [
      [17382, 49, 1],
      [11, 61, 0],
      [26, 35, 0],
      [0, 60, 2],
      [55, 0, 2],
      [25, 26, 2],
      [26, 25, 2],
      [26, 26, 2],
      [1, 1, 0],
      [0, 0, 0],
      [40, 24, 0],
      [300, 300, 10],
    ];
    for (const [r, f, k] of cases) {
      const split = splitCounts(r, f, k);
      const s = scores(split);
      assert.deepEqual(sum(split), { reposts: r, likes: f }, `${r}/${f}/${k}`);
      for (let i = 0; i < k; i++) {
        assert.ok(s[i]! >= 25, `${r}/${f}/${k} shown ${i}`);
        if (i > 0) assert.ok(s[i]! < s[i - 1]!, `${r}/${f}/${k} order ${i}`);
      }
      for (const extra of s.slice(k)) assert.ok(extra > 0 && extra < 25, `${r}/${f}/${k} extra ${extra}`);
      assert.ok(split.every((x) => x.reposts >= 0 && x.likes >= 0));
    }
  });

  it('refuses totals that cannot pay for the shown posts', () => {
    assert.throws(() => splitCounts(20, 30, 2), /seed: totals 20\+30 cannot give 2 posts/);
  });

  it('keeps a pinned (shared) post’s counts and fits the others around it', () => {
    const split = splitCounts(100, 31, 1, 25, new Map([[0, { reposts: 18, likes: 7 }]]));
    assert.deepEqual(split[0], { reposts: 18, likes: 7 });
    assert.deepEqual(sum(split), { reposts: 100, likes: 31 });
    assert.ok(
      scores(split)
        .slice(1)
        .every((s) => s < 25),
    );
  });
});

describe('seedToDay', () => {
  it('gives papers and X posts whose sums are the printed totals', () => {
    const seed = parseSeedPost(read('2021-06-09---Hot-Papers.md'));
    const day = seedToDay(seed, { published: '2021-06-08T18:00:00Z' });
    assert.equal(day.papers.length, 24);
    const p = day.papers[3]!;
    assert.equal(
      p.title,
      'Swords: A Benchmark for Lexical Substitution with Improved Data Coverage and Quality',
    );
    assert.equal(p.pdfUrl, `https://arxiv.org/pdf/${p.id}`);
    assert.equal(p.published, '2021-06-08T18:00:00Z');
    for (const sp of seed.papers) {
      const mine = day.posts.filter((x) => x.links.includes(`https://arxiv.org/abs/${sp.id}`));
      assert.equal(
        mine.reduce((a, x) => a + x.metrics.reposts, 0),
        sp.retweets,
      );
      assert.equal(
        mine.reduce((a, x) => a + x.metrics.likes, 0),
        sp.favorites,
      );
    }
    assert.equal(day.embeds.length, 28);
    assert.deepEqual(day.embeds[0], {
      paperId: '2106.04554',
      tweetId: '1402589585109098500',
      username: 'omarsar0',
      url: 'https://twitter.com/omarsar0/status/1402589585109098500',
      html: seed.papers[0]!.embeds[0]!.html,
    });
    assert.equal(day.embedHtml.get('1402589585109098500'), seed.papers[0]!.embeds[0]!.html);
  });

  it('makes a tweet embedded under two papers one post linking both', () => {
    const seed = parseSeedPost(read('2020-12-14---Hot-Papers.md'));
    const day = seedToDay(seed);
    const shared = day.posts.filter((x) => x.id === '1338493133244534785');
    assert.equal(shared.length, 1);
    assert.deepEqual(shared[0]!.links, [
      'https://arxiv.org/abs/2012.06283',
      'https://arxiv.org/abs/2012.06519',
    ]);
    assert.equal(day.embeds.filter((e) => e.tweetId === '1338493133244534785').length, 2);
    const ids = day.posts.map((x) => `${x.source}:${x.id}`);
    assert.equal(new Set(ids).size, ids.length);
  });
});
