/**
 * loadPostsForPapers (the plain read, the one every day read back from the store takes) against
 * a model of what the store should hold, over seeded random histories: runs saving batches at
 * several instants, the listener's posts (new or edited, links replaced or not), deletions
 * recorded at any instant (the earliest kept), links removed. Each history is then read for
 * random paper sets, instants, sources, with and without the horizon fallback; the posts, their
 * fields, links, counts, the instant the counts come from and their order must be the model's,
 * as must the ids a count refresh asks about (storedPostIds) and each post's deletion instant.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openStore } from '../../src/store/db.js';
import { loadPostsForPapers, savePosts } from '../../src/store/posts.js';
import {
  deletedAt,
  recordDeletions,
  saveStreamPost,
  storedPostIds,
  unlinkPost,
} from '../../src/store/stream.js';
import type { MatchedPost, Metrics, Post, SourceId } from '../../src/types.js';
import { DAY, IDS, OTHER, SOURCES, scenario, T, T0, T1, T2 } from './random-posts.js';

const dir = mkdtempSync(join(tmpdir(), 'hp-load-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What the model keeps of a stored post. */
interface ModelPost {
  post: Omit<Post, 'metrics' | 'raw'>;
  links: Set<string>;
  snapshots: Map<string, Metrics>;
  deletedAt?: string;
}

/** Text ids in the store's order for them: UTF-8 byte order (SQLite's BINARY collation). */
function utf8Order(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** The posts' order as the store reads them: by source, then by id (utf8Order). */
function storeOrder(a: ModelPost, b: ModelPost): number {
  if (a.post.source !== b.post.source) return a.post.source < b.post.source ? -1 : 1;
  return utf8Order(a.post.id, b.post.id);
}

const ZERO: Metrics = { reposts: 0, likes: 0, replies: 0, quotes: 0 };
/** Instants a read may be asked for: each write's, and between them. */
const AS_OF = [T0, '2021-06-09T00:00:00.000Z', T1, T, '2021-06-10T20:00:00.000Z', T2];

for (let seed = 1; seed <= 80; seed++) {
  test(`loadPostsForPapers random history ${seed}: the model's posts, counts and order`, () => {
    const { rnd, pick, chance, post, batch } = scenario(seed);
    const db = openStore(join(dir, `store-${seed}.db`));
    const model = new Map<string, ModelPost>();
    const what: string[] = [];
    const keyOf = (source: SourceId, id: string) => `${source}:${id}`;
    const fields = (p: Post): ModelPost['post'] => ({
      source: p.source,
      id: p.id,
      authorId: p.authorId,
      authorHandle: p.authorHandle,
      authorName: p.authorName,
      url: p.url,
      text: p.text,
      createdAt: p.createdAt,
      links: p.links,
    });
    try {
      for (let step = 8 + Math.floor(rnd() * 20); step > 0; step--) {
        const r = rnd();
        if (r < 0.45) {
          // A run: every field of each post written, its links added, its counts at `at`.
          const at = pick([T0, T1, T, T2]);
          const posts: MatchedPost[] = batch();
          savePosts(db, posts, at);
          what.push(`save ${posts.map((m) => keyOf(m.post.source, m.post.id)).join(',')}@${at}`);
          for (const { post: p, paperIds } of posts) {
            const key = keyOf(p.source, p.id);
            const m = model.get(key) ?? { post: fields(p), links: new Set(), snapshots: new Map() };
            m.post = fields(p);
            for (const id of paperIds) m.links.add(id);
            m.snapshots.set(at, { ...p.metrics });
            model.set(key, m);
          }
        } else if (r < 0.7) {
          // The listener: a new post keeps its author id, address and time; an edit changes its
          // text and links only. Its zero counts never replace counts a run stored.
          const m0 = post('bluesky');
          const at = pick([T0, T1, T2]);
          const replace = chance(0.5);
          saveStreamPost(db, m0.post, m0.paperIds, at, replace);
          what.push(`stream ${m0.post.id}${replace ? ' (replace)' : ''}@${at}`);
          const key = keyOf('bluesky', m0.post.id);
          const had = model.get(key);
          const m = had ?? {
            post: { ...fields(m0.post), authorHandle: undefined, authorName: undefined },
            links: new Set<string>(),
            snapshots: new Map<string, Metrics>(),
          };
          if (had) m.post = { ...had.post, text: m0.post.text, links: m0.post.links };
          if (replace) for (const id of [...m.links]) if (!m0.paperIds.includes(id)) m.links.delete(id);
          for (const id of m0.paperIds) m.links.add(id);
          if (!m.snapshots.has(at)) m.snapshots.set(at, ZERO);
          model.set(key, m);
        } else if (r < 0.88) {
          const source = pick(SOURCES);
          const id = pick(IDS[source]);
          const at = pick([T0, T1, T, T2]);
          recordDeletions(db, source, [id], at, chance(0.5) ? 'stream' : 'refresh');
          what.push(`delete ${keyOf(source, id)}@${at}`);
          const m = model.get(keyOf(source, id));
          // Only a stored post is marked; the earliest instant stands.
          if (m && (m.deletedAt === undefined || at < m.deletedAt)) m.deletedAt = at;
        } else {
          const source = pick(SOURCES);
          const id = pick(IDS[source]);
          const keep = chance(0.5) ? [pick([...DAY, ...OTHER])] : [];
          unlinkPost(db, source, id, keep);
          what.push(`unlink ${keyOf(source, id)} keep ${keep.join(',')}`);
          const m = model.get(keyOf(source, id));
          if (m) for (const p of [...m.links]) if (!keep.includes(p)) m.links.delete(p);
        }
      }
      for (let read = 0; read < 12; read++) {
        const papers = [...DAY, ...OTHER].filter(() => chance(0.6));
        if (papers.length === 0) papers.push(pick(DAY));
        const asOf = pick(AS_OF);
        const sources = SOURCES.filter(() => chance(0.75));
        if (sources.length === 0) sources.push(pick(SOURCES));
        const fallbackAfter = chance(0.4);
        const got = loadPostsForPapers(db, papers, asOf, sources, { fallbackAfter });
        const want: MatchedPost[] = [];
        for (const m of [...model.values()].sort(storeOrder)) {
          if (!sources.includes(m.post.source)) continue;
          if (m.deletedAt !== undefined && m.deletedAt <= asOf) continue;
          const linked = [...m.links].filter((id) => papers.includes(id)).sort();
          if (linked.length === 0) continue;
          const instants = [...m.snapshots.keys()].sort();
          const before = instants.filter((t) => t <= asOf);
          const observedAt = before.at(-1) ?? (fallbackAfter ? instants[0] : undefined);
          if (observedAt === undefined) continue;
          want.push({
            post: { ...m.post, metrics: m.snapshots.get(observedAt)! },
            paperIds: linked,
            observedAt,
          });
        }
        const shown = (list: MatchedPost[]) =>
          list.map((m) => ({
            ...m,
            post: Object.fromEntries(Object.entries(m.post).filter(([, v]) => v !== undefined)),
          }));
        assert.deepEqual(
          shown(got),
          shown(want),
          `read of ${papers.join(',')} as of ${asOf} (${sources.join(',')}${fallbackAfter ? ', fallback' : ''}) after:\n${what.join('\n')}`,
        );
        // A count refresh's question: the source's linked posts not deleted by then, snapshots or not.
        const source = pick(SOURCES);
        const ids = [...model.values()]
          .filter(
            (m) =>
              m.post.source === source &&
              !(m.deletedAt !== undefined && m.deletedAt <= asOf) &&
              [...m.links].some((id) => papers.includes(id)),
          )
          .map((m) => m.post.id)
          .sort(utf8Order);
        assert.deepEqual(
          storedPostIds(db, source, papers, asOf),
          ids,
          `${source} ids of ${papers.join(',')} as of ${asOf}`,
        );
      }
      for (const m of model.values())
        assert.equal(
          deletedAt(db, m.post.source, m.post.id),
          m.deletedAt,
          `deletion of ${m.post.source}:${m.post.id}`,
        );
    } finally {
      db.close();
    }
  });
}
