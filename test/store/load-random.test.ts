/**
 * loadPostsForPapers given what the run saved (its fast path: the run's own posts taken from
 * memory, only the papers it cannot account for read back) against the plain read, over seeded
 * random stores: earlier runs and the listener at other instants and at the run's own, posts
 * saved again with other links or counts, repeated links, links to other days' papers, deletions
 * before and after, links removed, every source, ids of every stored form. The other writers
 * use a connection of their own, as another process does, and sometimes write between the run's
 * saves and its load. Both reads must give the same posts, fields, links and order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../../src/store/db.js';
import { loadPostsForPapers, SavedPosts, savePosts } from '../../src/store/posts.js';
import { recordDeletions, saveStreamPost, unlinkPost } from '../../src/store/stream.js';
import type { SourceId } from '../../src/types.js';
import { DAY, IDS, SOURCES, scenario, T, T0, T1, T2 } from './random-posts.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-load-random-'));
after(() => rmSync(dir, { recursive: true, force: true }));

for (let seed = 1; seed <= 120; seed++) {
  test(`loadPostsForPapers random store ${seed}: with what the run saved, the same as read back`, () => {
    const { rnd, pick, chance, post, batch } = scenario(seed);
    // The run's connection, and another process's (earlier runs, the listener).
    const path = join(dir, `store-${seed}.db`);
    const run = openStore(path);
    const other = openStore(path);
    const what: string[] = [];
    /** Another writer's change, at another instant or the run's. */
    const change = () => {
      const r = chance(0.5) ? 0 : chance(0.4) ? 1 : 2;
      if (r === 0) {
        const at = pick([T0, T1, T, T2]);
        savePosts(other, batch(), at);
        what.push(`save@${at}`);
      } else if (r === 1) {
        const m = post('bluesky');
        const at = pick([T0, T1, T2]);
        saveStreamPost(other, m.post, m.paperIds, at, chance(0.5));
        what.push(`stream@${at}`);
      } else {
        const source = pick(SOURCES);
        const id = pick(IDS[source]);
        if (chance(0.5)) {
          const at = pick([T0, T1, T, T2]);
          recordDeletions(other, source, [id], at, 'stream');
          what.push(`delete ${source}:${id}@${at}`);
        } else {
          unlinkPost(other, source, id, chance(0.5) ? [pick(DAY)] : []);
          what.push(`unlink ${source}:${id}`);
        }
      }
    };
    for (let i = Math.floor(rnd() * 8); i > 0; i--) change();
    // The run: a batch per source as it answers, each saved at its instant; then its refresh's deletions.
    const saved = new SavedPosts();
    for (let i = 1 + (chance(0.5) ? 1 : 0) + (chance(0.3) ? 1 : 0); i > 0; i--) {
      savePosts(run, batch(), T, saved);
      what.push('run save');
    }
    if (chance(0.3)) {
      const s = pick([...saved.values()]);
      recordDeletions(run, s.post.source, [s.post.id], T, 'refresh');
      what.push(`run delete ${s.post.source}:${s.post.id}`);
    }
    // Another writer meanwhile: it drops links of a post the run saved (an edit), or saves posts.
    if (chance(0.2)) {
      const s = pick([...saved.values()]);
      unlinkPost(other, s.post.source, s.post.id, chance(0.5) ? [] : s.paperIds.slice(1));
      what.push(`unlink ${s.post.source}:${s.post.id} after`);
    }
    if (chance(0.2)) {
      savePosts(other, batch(), pick([T1, T, T2]));
      what.push('save after');
    }
    for (const [asOf, fallbackAfter] of [
      [T, false],
      [T1, false],
      [T1, true],
      [T0, true],
    ] as const)
      for (const sources of [SOURCES, ['x', 'hn'] as SourceId[], [pick(SOURCES)]]) {
        const read = loadPostsForPapers(run, DAY, asOf, sources, { fallbackAfter });
        const mixed = loadPostsForPapers(run, DAY, asOf, sources, { fallbackAfter, saved });
        assert.deepStrictEqual(mixed, read, `seed ${seed}, ${what.join(', ')}; as of ${asOf}, ${sources}`);
      }
    run.close();
    other.close();
  });
}
