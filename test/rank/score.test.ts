import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchPosts } from '../../src/match/match.js';
import {
  compareIds,
  DEFAULT_THRESHOLDS,
  isSelfPromotion,
  normaliseName,
  postScore,
  rankDay,
  scoreAll,
  type Weights,
} from '../../src/rank/score.js';
import type { MatchedPost, Paper, Post, SourceId } from '../../src/types.js';

function paper(id: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    abstract: 'An abstract.',
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    announceType: 'new',
    method: 'rss',
    ...extra,
  };
}

let seq = 0;
function post(
  paperIds: string[],
  metrics: { reposts?: number; likes?: number; replies?: number },
  extra: Partial<Post> = {},
): MatchedPost {
  const id = extra.id ?? String(1000 + seq++);
  return {
    paperIds,
    post: {
      source: 'x',
      id,
      url: `https://x.com/u/status/${id}`,
      text: '',
      links: paperIds.map((p) => `https://arxiv.org/abs/${p}`),
      metrics: {
        reposts: metrics.reposts ?? 0,
        likes: metrics.likes ?? 0,
        replies: metrics.replies ?? 0,
        quotes: 0,
      },
      ...extra,
    },
  };
}

const X_ONLY: Weights = { x: 1 };
const T = DEFAULT_THRESHOLDS;

describe('postScore', () => {
  it('is reposts+likes for x and bluesky, points for hn, upvotes for hf', () => {
    const m = { reposts: 3, likes: 4, replies: 9, quotes: 7 };
    const score = (source: SourceId) => postScore({ source, metrics: m });
    assert.deepEqual([score('x'), score('bluesky'), score('hn'), score('hf')], [7, 7, 4, 4]);
  });
  it('counts bad numbers as 0', () => {
    assert.equal(
      postScore({ source: 'x', metrics: { reposts: -5, likes: Number.NaN, replies: 0, quotes: 0 } }),
      0,
    );
  });
});

describe('rankDay: thresholds', () => {
  it('lists a paper at exactly 50, not at 49', () => {
    const papers = [paper('2106.00001'), paper('2106.00002')];
    const posts = [
      post(['2106.00001'], { reposts: 20, likes: 30 }),
      post(['2106.00002'], { reposts: 20, likes: 29 }),
    ];
    const ranked = rankDay({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.paper.id, r.score]),
      [[1, '2106.00001', 50]],
    );
  });

  it('never lists a paper without a PDF', () => {
    const papers = [paper('2106.00001', { pdfUrl: undefined }), paper('2106.00002')];
    const posts = [post(['2106.00001'], { likes: 500 }), post(['2106.00002'], { likes: 60 })];
    const ranked = rankDay({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.paper.id]),
      [[1, '2106.00002']],
    );
    assert.equal(scoreAll({ papers, posts, weights: X_ONLY, thresholds: T })[0]!.paper.id, '2106.00001');
  });

  it('shows a post at exactly 25, not at 24, and at most maxPosts', () => {
    const papers = [paper('2106.00001')];
    const posts = [
      post(['2106.00001'], { reposts: 5, likes: 20 }, { id: '1' }),
      post(['2106.00001'], { reposts: 4, likes: 20 }, { id: '2' }),
    ];
    for (let i = 0; i < 12; i++) posts.push(post(['2106.00001'], { likes: 30 + i }, { id: String(100 + i) }));
    const [r] = rankDay({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.equal(r!.posts.length, 14);
    assert.equal(r!.shown.length, 10);
    assert.deepEqual(
      r!.shown.map((p) => p.score),
      [41, 40, 39, 38, 37, 36, 35, 34, 33, 32],
    );
    const loose = rankDay({ papers, posts, weights: X_ONLY, thresholds: { ...T, maxPosts: 20 } })[0]!;
    assert.equal(loose.shown.length, 13);
    assert.equal(loose.shown.at(-1)!.id, '1');
    assert.ok(!loose.shown.some((p) => p.id === '2'));
  });

  it('orders papers by score desc, then id asc; posts by weighted, score, then numeric id', () => {
    const papers = [paper('2106.00003'), paper('2106.00002'), paper('2106.00001'), paper('hep-th/9901001')];
    const posts = [
      post(['2106.00003'], { likes: 60 }),
      post(['2106.00002'], { likes: 80 }),
      post(['2106.00001'], { likes: 60 }),
      post(['hep-th/9901001'], { likes: 60 }),
    ];
    const ranked = rankDay({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      ranked.map((r) => [r.rank, r.paper.id]),
      [
        [1, '2106.00002'],
        [2, '2106.00001'],
        [3, '2106.00003'],
        [4, 'hep-th/9901001'],
      ],
    );

    const tied = [
      post(['2106.00001'], { likes: 30 }, { id: '10' }),
      post(['2106.00001'], { likes: 30 }, { id: '9' }),
      post(['2106.00001'], { likes: 30 }, { id: '100' }),
    ];
    const [r] = rankDay({ papers: [paper('2106.00001')], posts: tied, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      r!.shown.map((p) => p.id),
      ['9', '10', '100'],
    );
  });

  it('compares digit ids numerically and others by code unit', () => {
    assert.ok(compareIds('9', '10') < 0);
    assert.ok(compareIds('1402589585109098500', '999999999999999999') > 0);
    assert.ok(compareIds('at://b', 'at://a') > 0);
    assert.equal(compareIds('7', '7'), 0);
  });
});

describe('rankDay: counting', () => {
  it('counts a post linking two papers for both', () => {
    const papers = [paper('2106.00001'), paper('2106.00002')];
    const posts = [post(['2106.00001', '2106.00002'], { reposts: 10, likes: 50 })];
    const ranked = rankDay({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      ranked.map((r) => [r.paper.id, r.score, r.reposts, r.likes, r.shown.length]),
      [
        ['2106.00001', 60, 10, 50, 1],
        ['2106.00002', 60, 10, 50, 1],
      ],
    );
  });

  it('counts a post returned twice once (through matching, and even without it)', () => {
    const papers = [paper('2106.00001')];
    const raw: Post[] = [
      post(['2106.00001'], { likes: 40 }, { id: '7' }).post,
      post(['2106.00001'], { likes: 45 }, { id: '7' }).post,
    ];
    const matched = matchPosts(raw, new Set(['2106.00001']));
    const [a] = scoreAll({ papers, posts: matched, weights: X_ONLY, thresholds: T });
    assert.equal(a!.score, 45);
    assert.equal(a!.posts.length, 1);
    const unmatched = raw.map((p) => ({ post: p, paperIds: ['2106.00001'] }));
    const [b] = scoreAll({ papers, posts: unmatched, weights: X_ONLY, thresholds: T });
    assert.equal(b!.score, 45);
  });

  it('fuses sources with weights and keeps per-source totals', () => {
    const papers = [paper('2106.00001')];
    const posts = [
      post(['2106.00001'], { reposts: 10, likes: 20 }, { id: '1', source: 'x' }),
      post(
        ['2106.00001'],
        { reposts: 2, likes: 8 },
        { id: 'at://did:plc:a/app.bsky.feed.post/1', source: 'bluesky' },
      ),
      post(['2106.00001'], { likes: 100, replies: 40 }, { id: '3', source: 'hn' }),
      post(['2106.00001'], { likes: 7, replies: 4 }, { id: '2106.00001', source: 'hf' }),
    ];
    const weights: Weights = { x: 1, bluesky: 2, hn: 0.5, hf: 3 };
    const [r] = scoreAll({ papers, posts, weights, thresholds: T });
    assert.equal(r!.score, 30 + 20 + 50 + 21);
    assert.equal(r!.reposts, 12);
    assert.equal(r!.likes, 28);
    assert.deepEqual(r!.hn, { points: 100, comments: 40, stories: 1 });
    assert.deepEqual(r!.hf, { upvotes: 7, comments: 4 });
    assert.deepEqual(r!.bySource.bluesky, {
      posts: 1,
      score: 10,
      weighted: 20,
      reposts: 2,
      likes: 8,
      replies: 0,
      quotes: 0,
    });
    assert.equal(r!.bySource.hn!.weighted, 50);
    assert.deepEqual(
      r!.posts.map((p) => [p.source, p.weighted]),
      [
        ['hn', 50],
        ['x', 30],
        ['hf', 21],
        ['bluesky', 20],
      ],
    );
    // HF entries are votes, not posts: never embedded.
    assert.deepEqual(
      r!.shown.map((p) => p.source),
      ['hn', 'x'],
    );
    const unweighted = scoreAll({ papers, posts, weights: {}, thresholds: T })[0]!;
    assert.equal(unweighted.score, 30 + 10 + 100 + 7);
  });

  it('a zero weight mutes a source in the score', () => {
    const papers = [paper('2106.00001')];
    const posts = [post(['2106.00001'], { likes: 70 }, { source: 'bluesky' })];
    assert.equal(rankDay({ papers, posts, weights: { bluesky: 0 }, thresholds: T }).length, 0);
    assert.equal(rankDay({ papers, posts, weights: {}, thresholds: T }).length, 1);
  });

  it('counts unique accounts per source, each account once', () => {
    const papers = [paper('2106.00001')];
    const posts = [
      post(['2106.00001'], { likes: 1 }, { authorId: '11', authorHandle: 'ak' }),
      post(['2106.00001'], { likes: 1 }, { authorId: '11', authorHandle: 'ak' }),
      post(['2106.00001'], { likes: 1 }, { authorHandle: 'Bob' }),
      post(['2106.00001'], { likes: 1 }, { authorHandle: 'bob' }),
      post(['2106.00001'], { likes: 1 }, { source: 'bluesky', authorHandle: 'ak' }),
      post(['2106.00001'], { likes: 1 }, { source: 'hn', authorHandle: 'ak' }),
      post(['2106.00001'], { likes: 1 }, { source: 'hf' }),
      post(['2106.00001'], { likes: 1 }),
      post(['2106.00001'], { likes: 1 }),
    ];
    const [r] = scoreAll({ papers, posts, weights: {}, thresholds: T });
    // x:11, x:bob, bluesky:ak, hn:ak, and two unidentified x authors; hf is not an account.
    assert.equal(r!.uniqueAccounts, 6);
  });

  it('flags self-promotion when the display name is one of the authors', () => {
    const papers = [paper('2106.00001', { authors: ['Jin-Peng Liu', 'René Haas', 'Ko'] })];
    const posts = [
      post(['2106.00001'], { likes: 30 }, { authorName: 'jin peng LIU 🎓' }),
      post(['2106.00001'], { likes: 30 }, { authorName: 'Rene Haas (@ NLP lab)' }),
      post(['2106.00001'], { likes: 30 }, { authorName: 'Ko' }),
      post(['2106.00001'], { likes: 30 }, { authorName: 'Jin Liu' }),
      post(['2106.00001'], { likes: 30 }),
    ];
    const [r] = scoreAll({ papers, posts, weights: {}, thresholds: T });
    assert.equal(r!.selfPromotionPosts, 2);
    assert.deepEqual(
      r!.posts.filter((p) => p.selfPromotion).map((p) => p.authorName),
      ['jin peng LIU 🎓', 'Rene Haas (@ NLP lab)'],
    );
    assert.equal(r!.score, 150);
  });

  it('normalises names for the comparison', () => {
    assert.equal(normaliseName('  Xinyi Wang (Cindy) '), 'xinyi wang');
    assert.equal(normaliseName('Ekin D. Cubuk'), 'ekin d cubuk');
    assert.equal(normaliseName('José   Dolz'), 'jose dolz');
    assert.equal(isSelfPromotion('Xinyi Wang (Cindy)', new Set(['xinyi wang'])), true);
    assert.equal(isSelfPromotion('AK', new Set(['ak'])), false);
    assert.equal(isSelfPromotion(undefined, new Set(['ak'])), false);
  });

  it('scores every paper for explain, listed or not, ranks over all', () => {
    const papers = [paper('2106.00001'), paper('2106.00002'), paper('2106.00003')];
    const posts = [post(['2106.00002'], { likes: 10 }), post(['2106.00003'], { likes: 70 })];
    const all = scoreAll({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual(
      all.map((r) => [r.rank, r.paper.id, r.score]),
      [
        [1, '2106.00003', 70],
        [2, '2106.00002', 10],
        [3, '2106.00001', 0],
      ],
    );
  });

  it('ranks the same whether the posts come in store order or any other (with and without repeats)', () => {
    const papers = [paper('2106.00001'), paper('2106.00002'), paper('2106.00003')];
    const sources: SourceId[] = ['x', 'bluesky', 'hn', 'hf'];
    const posts: MatchedPost[] = [];
    for (let i = 0; i < 300; i++) {
      const ids = i % 7 === 0 ? ['2106.00001', '2106.00002'] : [`2106.0000${1 + (i % 3)}`];
      posts.push(
        post(
          ids,
          { reposts: i % 5, likes: (i * 37) % 90, replies: i % 4 },
          {
            id: String(5000 + ((i * 7919) % 300)),
            source: sources[i % 4]!,
            // More than 16 distinct accounts on a paper, some repeated, some unnamed.
            authorId: i % 9 === 0 ? undefined : `a${i % 97}`,
            authorHandle: i % 9 === 0 && i % 2 === 0 ? `H${i}` : undefined,
            authorName: i % 11 === 0 ? 'Ada Lovelace' : `Reader ${i}`,
          },
        ),
      );
    }
    const key = (m: MatchedPost) => `${m.post.source}\u0000${m.post.id}`;
    const storeOrder = [...posts].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const shuffled = [...storeOrder].reverse();
    const rank = (list: MatchedPost[]) => scoreAll({ papers, posts: list, weights: X_ONLY, thresholds: T });
    const ordered = rank(storeOrder);
    // Store order and reverse order sum in different orders; the figures are integers, so equal.
    assert.deepEqual(
      ordered.map((r) => [
        r.paper.id,
        r.score,
        r.uniqueAccounts,
        r.selfPromotionPosts,
        r.posts.map((p) => p.id),
      ]),
      rank(shuffled).map((r) => [
        r.paper.id,
        r.score,
        r.uniqueAccounts,
        r.selfPromotionPosts,
        r.posts.map((p) => p.id),
      ]),
    );
    // Accounts counted per source, each once: the same as counting them with sets.
    for (const r of ordered) {
      const seen = new Set(
        r.posts
          .filter((p) => p.source !== 'hf')
          .map((p) => `${p.source} ${p.authorId ?? p.authorHandle?.toLowerCase() ?? `post:${p.id}`}`),
      );
      assert.equal(r.uniqueAccounts, seen.size);
      // Three account sources of at most 16 each would make 48: one went past the short list.
      assert.ok(r.uniqueAccounts > 48, 'enough accounts to leave the short list');
    }
    // A post repeated in the input (not in store order): counted once, the later copy winning.
    const first = storeOrder[0]!;
    const again: MatchedPost = {
      post: { ...first.post, metrics: { reposts: 0, likes: 999, replies: 0, quotes: 0 } },
      paperIds: [...first.paperIds],
    };
    const repeated = rank([...storeOrder, again]);
    const before = ordered.find((r) => r.paper.id === first.paperIds[0])!;
    const after = repeated.find((r) => r.paper.id === first.paperIds[0])!;
    assert.equal(after.posts.length, before.posts.length);
    assert.ok(after.posts.some((p) => p.id === again.post.id && p.metrics.likes === 999));
  });

  it('counts a post naming a paper twice once, in store order too', () => {
    const papers = [paper('2106.00001')];
    const posts = [
      post(['2106.00001', '2106.00001'], { likes: 40 }, { id: '1' }),
      post(['2106.00001'], { likes: 20 }, { id: '2' }),
    ];
    const [r] = scoreAll({ papers, posts, weights: X_ONLY, thresholds: T });
    assert.deepEqual([r!.score, r!.posts.length], [60, 2]);
  });

  it('finds self-promotion whatever the first character of the name', () => {
    const papers = [paper('2106.00001', { authors: ['Ada Lovelace', 'Émilie du Châtelet', '1st Author'] })];
    const names = [
      ['Ada Lovelace', true],
      ['ada LOVELACE', true],
      ['  Ada Lovelace', true],
      ['(Dr) Ada Lovelace', true],
      ['[bot] Ada Lovelace', true],
      ['Emilie du Chatelet', true],
      ['ÉMILIE DU CHÂTELET', true],
      ['1st author', true],
      ['Bda Lovelace', false],
      ['Ada', false],
      ['Alan Turing', false],
      ['', false],
    ] as const;
    const posts = names.map(([authorName], i) =>
      post(['2106.00001'], { likes: 1 }, { id: String(i + 1), authorName }),
    );
    const [r] = scoreAll({ papers, posts, weights: X_ONLY, thresholds: T });
    const byId = new Map(r!.posts.map((p) => [p.id, p.selfPromotion]));
    assert.deepEqual(
      names.map(([name], i) => [name, byId.get(String(i + 1))]),
      names.map(([name, self]) => [name, self]),
    );
  });
});
