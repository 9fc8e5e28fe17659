import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/db.js';
import { loadEnrichments, saveEnrichments } from '../../src/store/enrichment.js';

test('saveEnrichments / loadEnrichments - round trip, replace, unknown papers', () => {
  const db = openStore(':memory:');
  saveEnrichments(db, [
    {
      paperId: '2106.04554',
      status: 'ok',
      githubRepo: 'https://github.com/a/b',
      githubStars: 12,
      aiSummary: 'A TL;DR.',
      aiKeywords: ['vision', 'transformers'],
      fetchedAt: '2021-06-10T00:00:00.000Z',
    },
    { paperId: '2106.00001', status: 'unknown', fetchedAt: '2021-06-10T00:00:00.000Z' },
  ]);
  saveEnrichments(db, [
    { paperId: '2106.04554', status: 'ok', githubStars: 40, fetchedAt: '2021-06-11T00:00:00.000Z' },
  ]);
  const got = loadEnrichments(db, ['2106.04554', '2106.00001', '2106.99999']);
  assert.equal(got.size, 2);
  assert.deepEqual(got.get('2106.04554'), {
    paperId: '2106.04554',
    status: 'ok',
    githubRepo: undefined,
    githubStars: 40,
    projectPage: undefined,
    aiSummary: undefined,
    aiKeywords: undefined,
    thumbnail: undefined,
    fetchedAt: '2021-06-11T00:00:00.000Z',
  });
  assert.equal(got.get('2106.00001')?.status, 'unknown');
  assert.equal(got.has('2106.99999'), false);
});
