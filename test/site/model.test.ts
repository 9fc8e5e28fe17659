import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engagementHistory, paths, relativeUrl, slug } from '../../src/site/model.js';

test('engagementHistory sums each post’s latest counts at every snapshot instant', () => {
  const points = engagementHistory([
    { post: 'x:2', observedAt: '2021-06-09T12:00:00Z', reposts: 5, likes: 5, replies: 0, quotes: 0 },
    { post: 'x:1', observedAt: '2021-06-09T06:00:00Z', reposts: 1, likes: 2, replies: 1, quotes: 0 },
    { post: 'x:1', observedAt: '2021-06-09T12:00:00Z', reposts: 3, likes: 4, replies: 2, quotes: 0 },
    { post: 'hn:3', observedAt: '2021-06-09T18:00:00Z', reposts: 0, likes: 50, replies: 9, quotes: 0 },
  ]);
  assert.deepEqual(points, [
    { at: '2021-06-09T06:00:00Z', engagement: 3, reposts: 1, likes: 2, replies: 1, posts: 1 },
    { at: '2021-06-09T12:00:00Z', engagement: 17, reposts: 8, likes: 9, replies: 2, posts: 2 },
    { at: '2021-06-09T18:00:00Z', engagement: 67, reposts: 8, likes: 59, replies: 11, posts: 3 },
  ]);
  assert.deepEqual(engagementHistory([]), []);
});

test('paths are file-name safe and relative links climb to the root', () => {
  assert.equal(paths.paper('hep-th/9901001'), 'papers/hep-th_9901001.html');
  assert.equal(paths.paper('../../etc/passwd'), 'papers/__.._etc_passwd.html');
  assert.equal(slug('cs.LG'), 'cs.LG');
  assert.equal(slug('a:b'), 'a_b');
  assert.equal(paths.category('cs.LG', 2), 'categories/cs.LG_p2.html');
  assert.equal(paths.index(), 'index.html');
  assert.equal(paths.index(1), 'page/1.html');
  assert.equal(paths.index(3), 'page/3.html');
  assert.equal(relativeUrl('index.html', 'days/2021-06-09.html'), 'days/2021-06-09.html');
  assert.equal(relativeUrl('days/2021-06-09.html', 'papers/1.html'), '../papers/1.html');
});
