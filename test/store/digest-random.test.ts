/**
 * A day's digest through the store, over seeded random days: posts of every source and id form,
 * saved by earlier runs and by this one, loaded at the run's instant or at a horizon before it,
 * ranked with random weights and thresholds, saved by key (with the run's observation instants,
 * or without them), then observed again later with other counts, joined by new posts, or
 * recorded deleted. Read back, the digest is the one saved, as a JSON round trip gives it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankDay } from '../../src/rank/score.js';
import { openStore } from '../../src/store/db.js';
import { observationsOf, readDigest, saveDigest } from '../../src/store/digests.js';
import { saveListing } from '../../src/store/listings.js';
import { loadPostsForPapers, SavedPosts, savePosts } from '../../src/store/posts.js';
import { recordDeletions } from '../../src/store/stream.js';
import type { DayDigest, Paper, SourceId } from '../../src/types.js';
import { DAY, SOURCES, scenario, T, T0, T1, T2 } from './random-posts.js';

const CATEGORIES = ['cs.LG', 'stat.ML', 'cs.CL', 'math.OC'];

for (let seed = 1; seed <= 60; seed++) {
  test(`digest random day ${seed}: read back as saved, whatever the store learns later`, () => {
    const { rnd, pick, chance, post, batch } = scenario(seed);
    const db = openStore(':memory:');
    const papers: Paper[] = DAY.map((id, i) => {
      const categories = [pick(CATEGORIES), ...(chance(0.5) ? [pick(CATEGORIES)] : [])];
      return {
        id,
        version: 1 + Math.floor(rnd() * 3),
        title: pick(['On $\\ell_1$ & <b>things</b>', 'Ümlaut näive ✓', `Paper ${i}`, '"Quoted" — dash']),
        abstract: pick(['We study.', 'Ab\nstract with $x^2$', '']),
        // Post authors named alike count as self-promotion.
        authors: chance(0.5) ? ['Ada Lovelace', 'B. C.'] : [`Author ${i}`],
        categories: [...new Set(categories)],
        primaryCategory: categories[0]!,
        pdfUrl: chance(0.9) ? `https://arxiv.org/pdf/${id}` : '',
        announceType: pick(['new', 'cross'] as const),
        method: 'api',
      };
    });
    saveListing(
      db,
      { day: '2021-06-10', categories: ['cs', 'stat.ML'], method: 'api', papers, notes: [] },
      T0,
    );
    const what: string[] = [];
    for (let i = Math.floor(rnd() * 4); i > 0; i--) {
      const at = pick([T0, T1]);
      savePosts(db, batch(), at);
      what.push(`save@${at}`);
    }
    const saved = new SavedPosts();
    for (let i = 1 + Math.floor(rnd() * 3); i > 0; i--) savePosts(db, batch(), T, saved);
    // The run's counts, or a horizon's before it (then the first later ones when none is older).
    const horizon = chance(0.3) ? '24h' : undefined;
    const asOf = horizon ? T1 : T;
    const sources: SourceId[] = chance(0.7) ? SOURCES : [pick(SOURCES), pick(SOURCES)];
    const matched = loadPostsForPapers(db, DAY, asOf, sources, { fallbackAfter: Boolean(horizon), saved });
    const weights = { x: pick([1, 1.5]), bluesky: pick([0, 1, 2]), hn: 1, hf: pick([0.5, 1]) };
    const thresholds = {
      minPaperScore: pick([0, 5, 50]),
      minPostScore: pick([0, 10, 25]),
      maxPosts: pick([1, 3, 10]),
    };
    const digest: DayDigest = {
      day: '2021-06-10',
      categories: ['cs', 'stat.ML'],
      observedAt: asOf,
      ...(horizon ? { horizon, ageHours: 27.5 } : {}),
      announcedAt: '2021-06-10T00:00:00.000Z',
      weights: { ...weights },
      thresholds,
      listed: papers.length,
      postsFound: matched.length,
      papers: rankDay({ papers, posts: matched, weights, thresholds }),
      health: [{ source: 'x', status: 'ok', posts: matched.length, requests: 2 }],
    };
    const withObservations = chance(0.75);
    saveDigest(db, digest, {
      categoriesKey: 'cs,stat.ML',
      writtenAt: T,
      ...(withObservations ? { observedAt: observationsOf(matched) } : {}),
    });
    // Later: the same posts seen again with other counts (and nothing else), new posts, deletions.
    for (let i = Math.floor(rnd() * 4); i > 0; i--) {
      const r = rnd();
      if (r < 0.5 && matched.length > 0) {
        const m = pick(matched);
        const metrics = { ...m.post.metrics, likes: m.post.metrics.likes + 1000 };
        savePosts(db, [{ ...m, post: { ...m.post, metrics } }], T2);
        what.push(`recount ${m.post.source}:${m.post.id}`);
      } else if (r < 0.8) {
        // A post not stored before (one stored is shown as the store now has it: migration 13).
        const source = pick(SOURCES);
        savePosts(db, [post(source, `later-${i}`)], pick([T1, T2]));
        what.push(`new post ${source}`);
      } else if (matched.length > 0) {
        const m = pick(matched);
        recordDeletions(db, m.post.source, [m.post.id], T2, 'refresh');
        what.push(`delete ${m.post.source}:${m.post.id}`);
      }
    }
    const label = `seed ${seed}: ${what.join(', ')}; as of ${asOf}, ${sources}, observations ${withObservations}`;
    assert.ok(digest.papers.length > 0, label);
    assert.deepStrictEqual(
      readDigest(db, '2021-06-10', 'cs,stat.ML', horizon ?? ''),
      JSON.parse(JSON.stringify(digest)),
      label,
    );
    db.close();
  });
}
