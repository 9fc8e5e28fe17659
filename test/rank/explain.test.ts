import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainPaper, explainPaperJson, formatNumber } from '../../src/rank/explain.js';
import { DEFAULT_THRESHOLDS, scoreAll, type Weights } from '../../src/rank/score.js';
import type { MatchedPost, Paper, SourceId } from '../../src/types.js';

const PAPER: Paper = {
  id: '2106.04554',
  version: 1,
  title: 'A Survey of Transformers',
  abstract: 'A survey.',
  authors: ['Tianyang Lin', 'Xipeng Qiu'],
  categories: ['cs.LG'],
  primaryCategory: 'cs.LG',
  pdfUrl: 'https://arxiv.org/pdf/2106.04554',
  announceType: 'new',
  method: 'rss',
};

function mp(
  source: SourceId,
  id: string,
  reposts: number,
  likes: number,
  extra: Record<string, string> = {},
): MatchedPost {
  return {
    paperIds: [PAPER.id],
    post: {
      source,
      id,
      url: `https://example.com/${id}`,
      text: '',
      links: [`https://arxiv.org/abs/${PAPER.id}`],
      metrics: { reposts, likes, replies: 2, quotes: 0 },
      ...extra,
    },
  };
}

const POSTS = [
  mp('x', '1402589585109098500', 40, 60, { authorHandle: 'omarsar0', authorName: 'elvis' }),
  mp('x', '1402589585109098501', 1, 2, { authorHandle: 'qiu', authorName: 'Xipeng Qiu' }),
  mp('bluesky', 'at://did:plc:x/app.bsky.feed.post/1', 5, 5, { authorHandle: 'jane.bsky.social' }),
  mp('hn', '49100001', 0, 120, { authorHandle: 'jdoe' }),
  mp('hf', '2106.04554', 0, 9),
];

describe('explain', () => {
  const weights: Weights = { x: 1, bluesky: 2, hn: 0.5, hf: 3 };
  const [scored] = scoreAll({ papers: [PAPER], posts: POSTS, weights, thresholds: DEFAULT_THRESHOLDS });

  it('totals to the paper score, per post and per source', () => {
    const e = explainPaperJson(PAPER.id, scored!, weights);
    assert.equal(e.total, scored!.score);
    assert.equal(e.total, 100 + 3 + 20 + 60 + 27);
    assert.deepEqual(
      e.subtotals.map((s) => [s.source, s.posts, s.score, s.weight, s.weighted]),
      [
        ['x', 2, 103, 1, 103],
        ['bluesky', 1, 10, 2, 20],
        ['hn', 1, 120, 0.5, 60],
        ['hf', 1, 9, 3, 27],
      ],
    );
    assert.equal(
      e.posts.reduce((a, p) => a + p.weighted, 0),
      scored!.score,
    );
    assert.deepEqual(e.weights, { x: 1, bluesky: 2, hn: 0.5, hf: 3 });
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
  });

  it('marks shown posts and self-promotion', () => {
    const e = explainPaperJson(PAPER.id, scored!, weights);
    const flags = Object.fromEntries(e.posts.map((p) => [p.id, [p.shown, p.selfPromotion]]));
    assert.deepEqual(flags['1402589585109098500'], [true, false]);
    assert.deepEqual(flags['1402589585109098501'], [false, true]);
    assert.deepEqual(flags['49100001'], [true, false]);
    assert.deepEqual(flags['2106.04554'], [false, false]);
  });

  it('prints human lines ending with the total', () => {
    const lines = explainPaper(PAPER.id, scored!, weights);
    assert.equal(lines[0], '2106.04554 A Survey of Transformers');
    assert.equal(lines[1], 'rank 1, score 210, 4 unique accounts, 1 self-promotion posts');
    assert.equal(lines[2], 'weights: x=1 bluesky=2 hn=0.5 hf=3');
    assert.ok(
      lines.includes('  x @omarsar0 1402589585109098500: 40 reposts + 60 likes = 100 × 1 = 100 [shown]'),
    );
    assert.ok(lines.includes('  hn jdoe 49100001: 120 points = 120 × 0.5 = 60 [shown]'));
    assert.ok(lines.includes('  hf (unknown) 2106.04554: 9 upvotes = 9 × 3 = 27'));
    assert.ok(
      lines.includes('  x @qiu 1402589585109098501: 1 reposts + 2 likes = 3 × 1 = 3 [self-promotion]'),
    );
    assert.ok(lines.includes('subtotal hn: 1 posts, score 120 × 0.5 = 60'));
    assert.equal(lines.at(-1), `total: ${scored!.score}`);
  });

  it('refuses a scored paper that is not the one asked for', () => {
    assert.throws(() => explainPaper('2106.99999', scored!, weights), /not 2106\.99999/);
  });

  it('explains a paper without posts', () => {
    const [empty] = scoreAll({ papers: [PAPER], posts: [], weights: {}, thresholds: DEFAULT_THRESHOLDS });
    const lines = explainPaper(PAPER.id, empty!, {});
    assert.ok(lines.includes('no posts'));
    assert.equal(lines.at(-1), 'total: 0');
  });

  it('shows HF enrichment beside the score, never in it', () => {
    const enrichment = {
      paperId: PAPER.id,
      status: 'ok' as const,
      githubRepo: 'https://github.com/org/repo',
      githubStars: 12,
      aiSummary: 'Transformers, surveyed.',
      aiKeywords: ['transformers', 'survey'],
      fetchedAt: '2021-06-10T12:00:00.000Z',
    };
    const e = explainPaperJson(PAPER.id, scored!, weights, enrichment);
    assert.deepEqual(e.enrichment, enrichment);
    assert.equal(e.total, scored!.score);
    const lines = explainPaper(PAPER.id, scored!, weights, enrichment);
    assert.deepEqual(lines.slice(-5), [
      `total: ${scored!.score}`,
      'hugging face: paper page (asked 2021-06-10T12:00:00.000Z)',
      '  tl;dr: Transformers, surveyed.',
      '  code: https://github.com/org/repo (12 stars)',
      '  keywords: transformers, survey',
    ]);
    const unknown = { paperId: PAPER.id, status: 'unknown' as const, fetchedAt: '2021-06-10T12:00:00.000Z' };
    assert.equal(
      explainPaper(PAPER.id, scored!, weights, unknown).at(-1),
      'hugging face: no paper page (asked 2021-06-10T12:00:00.000Z)',
    );
    assert.equal(explainPaperJson(PAPER.id, scored!, weights).enrichment, undefined);
    assert.throws(
      () => explainPaperJson(PAPER.id, scored!, weights, { ...unknown, paperId: '1' }),
      /enrichment is of 1/,
    );
  });

  it('formats numbers with thousands separators and at most 3 decimals', () => {
    assert.equal(formatNumber(3), '3');
    assert.equal(formatNumber(0.1 + 0.2), '0.3');
    assert.equal(formatNumber(12345), '12,345');
    assert.equal(formatNumber(1234567.891234), '1,234,567.891');
    assert.equal(formatNumber(-2500.5), '-2,500.5');
  });

  it('prints large counts with separators', () => {
    const post = {
      source: 'x' as const,
      id: '1',
      url: 'https://x.com/a/status/1',
      authorHandle: 'a',
      metrics: { reposts: 12000, likes: 45000, replies: 0 },
      score: 57000,
      weighted: 57000,
      selfPromotion: false,
    };
    const lines = explainPaper(
      '2106.00001',
      { paper: { id: '2106.00001', title: 'T' }, score: 57000, posts: [post], shown: [] } as never,
      {},
    );
    assert.ok(lines.includes('score 57,000'), lines.join('\n'));
    assert.match(lines.join('\n'), /x @a 1: 12,000 reposts \+ 45,000 likes = 57,000 × 1 = 57,000/);
    assert.ok(lines.includes('total: 57,000'));
  });
});
