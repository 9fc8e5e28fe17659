import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_THRESHOLDS, rankDay } from '../../src/rank/score.js';
import { countTimestamp, postFileName, renderLumen, safeText, votesLine } from '../../src/render/lumen.js';
import type { DayDigest, MatchedPost, Paper, RankedPaper, SourceId } from '../../src/types.js';

const PAPER: Paper = {
  id: '2106.04554',
  version: 2,
  title: 'A Survey of Transformers',
  abstract: 'Transformers have achieved great success.',
  authors: ['Tianyang Lin', 'Yuxin Wang'],
  categories: ['cs.LG', 'cs.AI'],
  primaryCategory: 'cs.LG',
  pdfUrl: 'https://arxiv.org/pdf/2106.04554v2',
  announceType: 'new',
  method: 'rss',
};

function mp(source: SourceId, id: string, reposts: number, likes: number, replies = 0): MatchedPost {
  return {
    paperIds: [PAPER.id],
    post: {
      source,
      id,
      url: `https://example.com/${id}`,
      text: '',
      links: [`https://arxiv.org/abs/${PAPER.id}`],
      metrics: { reposts, likes, replies, quotes: 0 },
    },
  };
}

function digest(papers: RankedPaper[], observedAt = '2021-06-10T18:07:48Z'): DayDigest {
  return {
    day: '2021-06-09',
    categories: ['cs', 'stat.ML'],
    observedAt,
    weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
    thresholds: DEFAULT_THRESHOLDS,
    listed: papers.length,
    postsFound: 0,
    papers,
    health: [],
  };
}

const FRONT =
  '---\ntitle: Hot Papers 2021-06-09\ndate: 2021-06-10T18:07:48.000Z\ntemplate: "post"\ndraft: false\n' +
  'slug: "hot-papers-2021-06-09"\ncategory: "arXiv"\ntags:\n  - "arXiv"\n  - "Twitter"\n' +
  '  - "Machine Learning"\n  - "Computer Science"\ndescription: "Hot papers 2021-06-09"\n' +
  'socialImage: "/media/flying-marine.jpg"\n\n---\n';

const embed = (id: string) =>
  `<blockquote class="twitter-tweet"><p>${id}</p></blockquote>\n<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n`;

describe('renderLumen', () => {
  it('renders an X-only block exactly as the seed lays it out', () => {
    const ranked = rankDay({
      papers: [PAPER],
      posts: [mp('x', '2', 30, 40), mp('x', '1', 20, 10), mp('x', '3', 1, 2)],
      weights: { x: 1 },
      thresholds: DEFAULT_THRESHOLDS,
    });
    const out = renderLumen(digest(ranked), (p) => embed(p.id));
    assert.equal(
      out,
      `${FRONT}\n# 1. A Survey of Transformers\n\nTianyang Lin, Yuxin Wang\n\n` +
        '- retweets: 51, favorites: 52 (06/10/2021 18:07:48)\n\n' +
        '- links: [abs](https://arxiv.org/abs/2106.04554) | [pdf](https://arxiv.org/pdf/2106.04554)\n' +
        '- [cs.LG](https://arxiv.org/list/cs.LG/recent) | [cs.AI](https://arxiv.org/list/cs.AI/recent)\n\n' +
        'Transformers have achieved great success.\n\n' +
        `${embed('2').trimEnd()}\n\n${embed('1').trimEnd()}\n\n\n\n`,
    );
  });

  it('adds the Hacker News / Hugging Face line right under the retweets line', () => {
    const ranked = rankDay({
      papers: [PAPER],
      posts: [mp('x', '1', 30, 40), mp('hn', '9', 0, 120, 45), mp('hf', '2106.04554', 0, 33, 2)],
      weights: {},
      thresholds: DEFAULT_THRESHOLDS,
    });
    const out = renderLumen(digest(ranked), () => undefined);
    assert.ok(
      out.includes(
        '- retweets: 30, favorites: 40 (06/10/2021 18:07:48)\n' +
          '- hacker news: 120 points, 45 comments | hugging face: 33 upvotes\n\n- links: ',
      ),
    );
  });

  it('prints only the non-zero parts of the votes line, and none when nothing contributed', () => {
    const base = { hn: { points: 0, comments: 0, stories: 0 }, hf: { upvotes: 0, comments: 0 } };
    assert.equal(votesLine(base), '');
    assert.equal(votesLine({ ...base, hn: { points: 0, comments: 0, stories: 2 } }), '');
    assert.equal(
      votesLine({ ...base, hn: { points: 12, comments: 0, stories: 1 } }),
      '- hacker news: 12 points\n',
    );
    assert.equal(
      votesLine({ ...base, hn: { points: 0, comments: 3, stories: 1 } }),
      '- hacker news: 3 comments\n',
    );
    assert.equal(votesLine({ ...base, hf: { upvotes: 1, comments: 5 } }), '- hugging face: 1 upvotes\n');
  });

  it('skips posts without embed html and trims trailing whitespace of the html', () => {
    const ranked = rankDay({
      papers: [PAPER],
      posts: [mp('x', '1', 30, 40), mp('x', '2', 20, 10)],
      weights: {},
      thresholds: DEFAULT_THRESHOLDS,
    });
    const out = renderLumen(digest(ranked), (p) =>
      p.id === '1' ? undefined : `<blockquote>two</blockquote> \n\t\n`,
    );
    assert.ok(out.endsWith('success.\n\n<blockquote>two</blockquote>\n\n\n\n'));
  });

  it('renders a day without papers as the front matter alone', () => {
    assert.equal(
      renderLumen(digest([]), () => undefined),
      FRONT,
    );
  });

  it('stamps counts with the observed instant in UTC', () => {
    const out = renderLumen(
      digest(
        rankDay({
          papers: [PAPER],
          posts: [mp('x', '1', 30, 40)],
          weights: {},
          thresholds: DEFAULT_THRESHOLDS,
        }),
        '2021-06-11T03:04:05+09:00',
      ),
      () => undefined,
    );
    assert.match(out, /^date: 2021-06-10T18:04:05\.000Z$/m);
    assert.match(out, /\(06\/10\/2021 18:04:05\)$/m);
    assert.equal(countTimestamp(new Date('2020-01-02T03:04:05.999Z')), '01/02/2020 03:04:05');
  });

  it('says the horizon in the description of a fixed-horizon post, and nowhere else', () => {
    const plain = renderLumen(digest([]), () => undefined);
    const fixed = renderLumen({ ...digest([]), horizon: '24h' }, () => undefined);
    assert.match(fixed, /^description: "Hot papers 2021-06-09 \(counts 24h after the announcement\)"$/m);
    assert.equal(fixed.replace(/^description: .*$/m, ''), plain.replace(/^description: .*$/m, ''));
  });

  it('rejects an invalid observed instant', () => {
    assert.throws(() => renderLumen(digest([], 'yesterday'), () => undefined), /observedAt/);
  });

  it('keeps titles, authors and abstracts on one line and tag-free', () => {
    const nasty: Paper = {
      ...PAPER,
      title: 'Attack <script>alert(1)</script>\n# not a heading',
      authors: ['Eve <img src=x onerror=alert(1)>'],
      abstract: 'Line one\n\n---\nline   two with $\\alpha$ and *stars* & <b>',
    };
    const ranked = rankDay({
      papers: [nasty],
      posts: [mp('x', '1', 30, 40)],
      weights: {},
      thresholds: DEFAULT_THRESHOLDS,
    });
    const out = renderLumen(digest(ranked), () => undefined);
    assert.ok(out.includes('\n# 1. Attack &lt;script>alert(1)&lt;/script> # not a heading\n'));
    assert.ok(out.includes('\nEve &lt;img src=x onerror=alert(1)>\n'));
    assert.ok(out.includes('\nLine one --- line two with $\\alpha$ and *stars* & &lt;b>\n'));
    assert.ok(!out.includes('<script>'));
    assert.equal(safeText('  a\t b  '), 'a b');
  });
});

describe('postFileName', () => {
  it('names the post like the seed', () => {
    assert.equal(postFileName('2021-06-09'), '2021-06-09---Hot-Papers.md');
    assert.throws(() => postFileName('../etc'), /YYYY-MM-DD/);
  });
});
