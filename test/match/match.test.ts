import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchPosts, postKey } from '../../src/match/match.js';
import type { Post, SourceId } from '../../src/types.js';

function post(id: string, links: string[], likes = 1, source: SourceId = 'x'): Post {
  return {
    source,
    id,
    url: `https://x.com/u/status/${id}`,
    text: 'search result text mentioning 2106.04554 and arXiv:2106.04554',
    links,
    metrics: { reposts: 0, likes, replies: 0, quotes: 0 },
  };
}

const DAY = new Set(['2106.04554', '2106.04560', 'hep-th/9901001']);

describe('matchPosts', () => {
  it('matches a post to every day paper its links name, whatever the shape', () => {
    const out = matchPosts(
      [
        post('1', ['https://arxiv.org/pdf/2106.04554v2.pdf', 'https://www.alphaxiv.org/abs/2106.04560']),
        post('2', ['http://xxx.lanl.gov/abs/hep-th/9901001v1']),
      ],
      DAY,
    );
    assert.deepEqual(
      out.map((m) => [m.post.id, m.paperIds]),
      [
        ['1', ['2106.04554', '2106.04560']],
        ['2', ['hep-th/9901001']],
      ],
    );
  });

  it('drops posts whose links name no paper of the day, whatever their text says', () => {
    const out = matchPosts(
      [
        post('1', ['https://arxiv.org/abs/2106.09999']),
        post('2', ['https://example.com/2106.04554']),
        post('3', []),
        post('4', ['https://arxiv.org/abs/2106.04560']),
      ],
      DAY,
    );
    assert.deepEqual(
      out.map((m) => m.post.id),
      ['4'],
    );
  });

  it('keeps a post returned several times once, with the last copy’s metrics', () => {
    const out = matchPosts(
      [
        post('1', ['https://arxiv.org/abs/2106.04554'], 10),
        post('2', ['https://arxiv.org/abs/2106.04554'], 3),
        post('1', ['https://arxiv.org/abs/2106.04554'], 12),
      ],
      DAY,
    );
    assert.equal(out.length, 2);
    assert.equal(out[0]!.post.id, '1');
    assert.equal(out[0]!.post.metrics.likes, 12);
    assert.deepEqual(out[0]!.paperIds, ['2106.04554']);
  });

  it('unions the papers of the copies of one post', () => {
    const out = matchPosts(
      [post('1', ['https://arxiv.org/abs/2106.04554']), post('1', ['https://arxiv.org/abs/2106.04560'])],
      DAY,
    );
    assert.deepEqual(out[0]!.paperIds, ['2106.04554', '2106.04560']);
  });

  it('merging a repeated post never changes the papers of another post with the same link', () => {
    const out = matchPosts(
      [
        post('1', ['https://arxiv.org/abs/2106.04554']),
        post('2', ['https://arxiv.org/abs/2106.04554']),
        post('1', ['https://arxiv.org/abs/2106.04560']),
        post('3', ['https://arxiv.org/abs/2106.04554', 'https://arxiv.org/abs/2106.04560']),
        post('4', ['https://arxiv.org/abs/2106.04554']),
      ],
      DAY,
    );
    assert.deepEqual(
      out.map((m) => [m.post.id, m.paperIds]),
      [
        ['1', ['2106.04554', '2106.04560']],
        ['2', ['2106.04554']],
        ['3', ['2106.04554', '2106.04560']],
        ['4', ['2106.04554']],
      ],
    );
  });

  it('does not merge posts with the same id from different sources', () => {
    const out = matchPosts(
      [
        post('42', ['https://arxiv.org/abs/2106.04554'], 1, 'x'),
        post('42', ['https://arxiv.org/abs/2106.04554'], 1, 'hn'),
      ],
      DAY,
    );
    assert.equal(out.length, 2);
    assert.notEqual(postKey(out[0]!.post), postKey(out[1]!.post));
  });

  it('lists a paper once even when a post links it in several shapes', () => {
    const out = matchPosts(
      [
        post('1', [
          'https://arxiv.org/abs/2106.04554',
          'https://arxiv.org/pdf/2106.04554v1',
          'https://hf.co/papers/2106.04554',
        ]),
      ],
      DAY,
    );
    assert.deepEqual(out[0]!.paperIds, ['2106.04554']);
  });
});
