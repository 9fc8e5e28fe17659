/**
 * Digest format 2: a day is stored by key and loads back exactly what was saved (as a JSON
 * round trip of it would), whatever the store learns later.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchPosts } from '../../src/match/match.js';
import { DEFAULT_THRESHOLDS, rankDay } from '../../src/rank/score.js';
import { tweetToPost } from '../../src/sources/x.js';
import { standInToPaper, worldDay } from '../../src/standins/world.js';
import { type Db, openStore } from '../../src/store/db.js';
import { storedPostId } from '../../src/store/derived.js';
import {
  listDigestFingerprints,
  listDigestMonths,
  loadDigest,
  type Observations,
  observationsOf,
  readDigest,
  saveDigest,
} from '../../src/store/digests.js';
import { packPaperTexts, saveListing } from '../../src/store/listings.js';
import { loadPostsForPapers, savePosts } from '../../src/store/posts.js';
import type { DayDigest } from '../../src/types.js';

const DAY = '2026-01-05';
const AT = '2026-01-05T18:00:00.000Z';

/** A ranked day written as the pipeline writes it. */
function dayInStore(db: Db): { digest: DayDigest; observed: Observations } {
  const world = worldDay({ day: DAY, papers: 60, posts: 400, users: 50, seed: 7 });
  const papers = world.papers.map(standInToPaper);
  saveListing(db, { day: DAY, categories: ['cs', 'stat.ML'], method: 'api', papers, notes: [] }, AT);
  const users = new Map(world.users.map((u) => [u.id, u]));
  const posts = world.tweets.map((t) => tweetToPost(t, users.get(t.author_id ?? '')));
  savePosts(db, matchPosts(posts, new Set(papers.map((p) => p.id))), AT);
  const matched = loadPostsForPapers(
    db,
    papers.map((p) => p.id),
    AT,
    ['x'],
  );
  const weights = { x: 1.5, bluesky: 1, hn: 1, hf: 1 };
  const thresholds = { ...DEFAULT_THRESHOLDS, minPaperScore: 5 };
  const ranked = rankDay({ papers, posts: matched, weights, thresholds });
  assert.ok(ranked.length > 5 && ranked.some((r) => r.shown.length > 1));
  const digest: DayDigest = {
    day: DAY,
    categories: ['cs', 'stat.ML'],
    observedAt: AT,
    weights,
    thresholds,
    listed: papers.length,
    postsFound: matched.length,
    papers: ranked,
    health: [{ source: 'x', status: 'ok', posts: matched.length, requests: 3 }],
  };
  return { digest, observed: observationsOf(matched) };
}

const asJson = (d: DayDigest) => JSON.parse(JSON.stringify(d)) as DayDigest;

test('a pipeline day is stored by key and loads back as saved, later snapshots notwithstanding', () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, path: 'p.md', observedAt: observed });
  const text = db.prepare('SELECT digest FROM digests').pluck().get() as string;
  const stored = JSON.parse(text);
  assert.equal(stored.format, 3);
  // No post and no paper copied: every post is a key, every paper comes from the store.
  for (const p of stored.papers) {
    assert.equal(p.paper, undefined);
    assert.equal(p.whole, undefined);
    assert.match(p.src, /^x+$/);
    assert.equal(p.ids.length, p.src.length);
  }
  assert.ok(text.length * 4 < JSON.stringify(digest).length);
  // The next day's run observes the same posts with other counts: the day still shows its own.
  const later = loadPostsForPapers(
    db,
    digest.papers.map((r) => r.paper.id),
    AT,
    ['x'],
  ).map((m) => ({
    ...m,
    post: { ...m.post, metrics: { ...m.post.metrics, likes: m.post.metrics.likes + 1000 } },
  }));
  savePosts(db, later, '2026-01-06T18:00:00.000Z');
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML'), asJson(digest));
  assert.deepStrictEqual(loadDigest(db, DAY, 'cs,stat.ML'), {
    ...asJson(digest),
    path: 'p.md',
    markdownSha256: undefined,
  });
  // The row's key, then its fingerprint: categories, horizon, observed, written, no markdown hash.
  assert.deepEqual(listDigestFingerprints(db), [[DAY, 'cs,stat.ML', '', `cs,stat.ML||${AT}|${AT}|`]]);
  db.close();
});

test('without the observation map, posts are matched to their snapshots; what the store lacks stays whole', () => {
  const db = openStore(':memory:');
  const { digest } = dayInStore(db);
  // A paper whose listing says something else, and a post the store never saw.
  const edited = asJson(digest);
  edited.papers[0]!.paper.title = 'A title the store does not have';
  const ghost = { ...edited.papers[1]!.posts[0]!, id: '42', text: 'never stored' };
  edited.papers[1]!.posts.push(ghost);
  edited.horizon = '24h';
  saveDigest(db, edited, { categoriesKey: 'cs,stat.ML', writtenAt: AT });
  const stored = JSON.parse(db.prepare('SELECT digest FROM digests').pluck().get() as string);
  assert.equal(stored.papers[0].paper.title, 'A title the store does not have');
  assert.equal(stored.papers[1].paper, undefined);
  const last = edited.papers[1]!.posts.length - 1;
  assert.deepEqual(stored.papers[1].whole, [last, ghost]);
  assert.equal(stored.papers[1].src, `${'x'.repeat(last)}-`);
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML', '24h'), edited);
  db.close();
});

test('a digest whose post has left the store fails to load with a line naming it', () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, observedAt: observed });
  const victim = digest.papers[0]!.posts[0]!;
  db.pragma('foreign_keys = OFF');
  db.prepare('DELETE FROM snapshot_rows WHERE source = ? AND post_id = ?').run(
    victim.source,
    storedPostId(victim.id),
  );
  assert.throws(() => readDigest(db, DAY, 'cs,stat.ML'), new RegExp(`post x:${victim.id} observed`));
  db.close();
});

test('posts observed at another instant and self-promotion posts load back as saved', () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  const target = digest.papers[0]!.posts[1]!;
  // The same counts seen at an earlier instant too, and the digest says it used that one.
  const earlier = '2026-01-05T12:00:00.000Z';
  const again = loadPostsForPapers(db, [digest.papers[0]!.paper.id], AT, ['x']).filter(
    (m) => m.post.id === target.id,
  );
  savePosts(db, again, earlier);
  const byId = new Map(observed.get('x'));
  byId.set(target.id, earlier);
  for (const r of digest.papers) for (const p of r.posts) if (p.id === target.id) p.selfPromotion = true;
  saveDigest(db, digest, {
    categoriesKey: 'cs,stat.ML',
    writtenAt: AT,
    observedAt: new Map([['x', byId]]),
  });
  const stored = JSON.parse(db.prepare('SELECT digest FROM digests').pluck().get() as string);
  assert.deepEqual(stored.times, [AT, earlier]);
  assert.deepEqual(stored.papers[0].at, [1, 1]);
  assert.deepEqual(stored.papers[0].self, [1]);
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML'), asJson(digest));
  db.close();
});

test('a digest stored in format 2 (posts as [source, id, time, self] keys) still loads', () => {
  const db = openStore(':memory:');
  const { digest } = dayInStore(db);
  const { papers, ...header } = asJson(digest);
  const format2 = {
    format: 2,
    ...header,
    times: [AT],
    papers: papers.map(({ paper, posts, shown, ...figures }) => ({
      ...figures,
      id: paper.id,
      posts: posts.map((p) => [p.source, p.id, 0, p.selfPromotion ? 1 : 0]),
      shown: shown.map((s) => posts.findIndex((p) => p.id === s.id && p.source === s.source)),
    })),
  };
  db.prepare(
    `INSERT INTO digests (day, categories, horizon, observed_at, digest, written_at) VALUES (?, 'cs,stat.ML', '', ?, ?, ?)`,
  ).run(DAY, AT, JSON.stringify(format2), AT);
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML'), asJson(digest));
  db.close();
});

test('a paper whose stored texts are others is kept whole, whether or not this process packed them', () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  const [changed, kept] = digest.papers.map((r) => r.paper);
  const other = packPaperTexts({ ...changed!, abstract: `${changed!.abstract} (revised)` });
  db.prepare('UPDATE papers SET title = ?, authors = ?, abstract = ? WHERE id = ?').run(
    other.title,
    other.authors,
    other.abstract,
    changed!.id,
  );
  const stored = () => {
    saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, observedAt: observed });
    return JSON.parse(db.prepare('SELECT digest FROM digests').pluck().get() as string);
  };
  let row = stored();
  assert.equal(row.papers[0].paper.id, changed!.id);
  assert.equal(row.papers[1].paper, undefined);
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML'), asJson(digest));
  // Another listing saved since: the day's rows are unpacked to be compared, with the same outcome.
  const elsewhere = { ...kept!, id: '2601.99999', abstract: `${kept!.abstract} elsewhere` };
  saveListing(
    db,
    { day: '2026-01-06', categories: ['cs'], method: 'api', papers: [elsewhere], notes: [] },
    AT,
  );
  row = stored();
  assert.equal(row.papers[0].paper.id, changed!.id);
  assert.equal(row.papers[1].paper, undefined);
  assert.deepStrictEqual(readDigest(db, DAY, 'cs,stat.ML'), asJson(digest));
  db.close();
});

test("a later listing that changes a paper's row gives each digest referring to it by key a new fingerprint, naming the paper; one that keeps it does not", () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, observedAt: observed });
  // An earlier day with a paper of its own.
  const before = { ...digest.papers[1]!.paper, id: '2601.90000', announceType: 'new' as const };
  saveListing(db, { day: '2026-01-02', categories: ['cs'], method: 'api', papers: [before], notes: [] }, AT);
  saveDigest(
    db,
    { ...digest, day: '2026-01-02', categories: ['cs'], papers: [{ ...digest.papers[1]!, paper: before }] },
    { categoriesKey: 'cs', writtenAt: AT },
  );
  const fingerprints = () => new Map(listDigestFingerprints(db).map(([day, , , f]) => [day, f]));
  const first = fingerprints();
  const paper = digest.papers[0]!.paper;
  // Cross-listed on a later day as it was: its row is written again, the same.
  const cross = (p: typeof paper, day: string) =>
    saveListing(
      db,
      { day, categories: ['stat.ML'], method: 'api', papers: [{ ...p, announceType: 'cross' }], notes: [] },
      AT,
    );
  cross(paper, '2026-01-07');
  assert.deepEqual(fingerprints(), first);
  // A newer version with another title: the day that ranked it shows the title now stored.
  const v2 = { ...paper, version: paper.version + 1, title: 'A better title' };
  cross(v2, '2026-01-08');
  const second = fingerprints();
  assert.equal(second.get(DAY), `${first.get(DAY)}|r1#${paper.id}`);
  assert.equal(second.get('2026-01-02'), first.get('2026-01-02'));
  assert.equal(readDigest(db, DAY, 'cs,stat.ML')!.papers[0]!.paper.title, 'A better title');
  // Each change counts: a third version changes it again; an older one (stored no newer) does not.
  const v3 = { ...v2, version: v2.version + 1, comment: '12 pages' };
  cross(v3, '2026-01-09');
  const twice = `${first.get(DAY)}|r2#${paper.id} ${paper.id}`;
  assert.equal(fingerprints().get(DAY), twice);
  cross(paper, '2026-01-12');
  assert.equal(fingerprints().get(DAY), twice);
  // Another of the day's papers: its id follows, in the order of the changes.
  const other = digest.papers[1]!.paper;
  cross({ ...other, version: other.version + 1, doi: '10.1000/other' }, '2026-01-12');
  const thrice = `${first.get(DAY)}|r3#${paper.id} ${paper.id} ${other.id}`;
  assert.equal(fingerprints().get(DAY), thrice);
  // What the pages do not show (the version's dates) changes nothing.
  const updated = db.prepare('SELECT updated FROM papers WHERE id = ?').pluck();
  const dated = updated.get(paper.id);
  cross({ ...v3, updated: '2026-01-13T09:00:00Z' }, '2026-01-13');
  assert.notDeepEqual(updated.get(paper.id), dated, 'the new date is stored');
  assert.equal(fingerprints().get(DAY), thrice);
  db.close();
});

test("a month's token is renewed by every write or removal of one of its digest rows or revisions, and only its own; the month's last row removed takes it away", () => {
  const db = openStore(':memory:');
  const { digest, observed } = dayInStore(db);
  saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, observedAt: observed });
  const feb = (day: string) =>
    saveDigest(
      db,
      { ...digest, day, papers: digest.papers.slice(2, 4) },
      { categoriesKey: 'cs', writtenAt: AT },
    );
  feb('2026-02-02');
  const tokens = () => new Map(listDigestMonths(db));
  const first = tokens();
  assert.deepEqual([...first.keys()].sort(), ['2026-01', '2026-02']);
  assert.match(first.get('2026-01')!, /^[0-9a-f]{16}$/);
  // A new day of February: February's token only.
  feb('2026-02-03');
  const second = tokens();
  assert.equal(second.get('2026-01'), first.get('2026-01'));
  assert.notEqual(second.get('2026-02'), first.get('2026-02'));
  // January's row written again, the same: January's.
  saveDigest(db, digest, { categoriesKey: 'cs,stat.ML', writtenAt: AT, observedAt: observed });
  const third = tokens();
  assert.notEqual(third.get('2026-01'), second.get('2026-01'));
  assert.equal(third.get('2026-02'), second.get('2026-02'));
  // A newer version of a paper January's day refers to by key (a revision): January's.
  const paper = digest.papers[0]!.paper;
  saveListing(
    db,
    {
      day: '2026-03-02',
      categories: ['stat.ML'],
      method: 'api',
      papers: [{ ...paper, version: paper.version + 1, title: 'Retitled', announceType: 'cross' }],
      notes: [],
    },
    AT,
  );
  const fourth = tokens();
  assert.notEqual(fourth.get('2026-01'), third.get('2026-01'));
  assert.equal(fourth.get('2026-02'), third.get('2026-02'));
  assert.ok(!fourth.has('2026-03'), 'a listing alone makes no month of digests');
  // Rows listed from a month on are those of the whole list from that month on.
  const all = listDigestFingerprints(db);
  assert.deepEqual(
    listDigestFingerprints(db, '2026-02'),
    all.filter(([day]) => day >= '2026-02'),
  );
  assert.ok(listDigestFingerprints(db, '2026-02').length === 2 && all.length === 3);
  assert.deepEqual(listDigestFingerprints(db, '~'), []);
  // One of February's rows removed renews its token; the last one takes it away.
  db.prepare("DELETE FROM digests WHERE day = '2026-02-02'").run();
  const fifth = tokens();
  assert.notEqual(fifth.get('2026-02'), fourth.get('2026-02'));
  assert.equal(fifth.get('2026-01'), fourth.get('2026-01'));
  db.prepare("DELETE FROM digests WHERE day = '2026-02-03'").run();
  assert.deepEqual([...tokens().keys()], ['2026-01']);
  db.close();
});
