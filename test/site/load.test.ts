import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSiteModel } from '../../src/site/load.js';
import { openStore } from '../../src/store/db.js';
import { digest, fillStore, paper, post, ranked, sampleDigests } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-site-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function store(name: string) {
  const db = openStore(join(dir, `${name}.db`));
  fillStore(db, sampleDigests());
  return db;
}

test('one digest row per day, newest first, preferring the asked categories and horizon', () => {
  const db = store('prefs');
  // Another category set and a 24h row for 2021-06-09.
  const other = digest('2021-06-09', [
    ranked(1, paper('2106.77777', { title: 'Other categories' }), [post('x', '7', 30, 30)]),
  ]);
  const at24 = digest(
    '2021-06-09',
    [ranked(1, paper('2106.88888', { title: 'At 24 hours' }), [post('x', '8', 30, 30)])],
    { horizon: '24h' },
  );
  fillStore(db, [other], 'math');
  fillStore(db, [at24]);
  const plain = loadSiteModel(db, { categories: 'cs,stat.ML' }).model;
  assert.deepEqual(
    plain.days.map((d) => [d.day, d.horizon]),
    [
      ['2021-06-10', '24h'],
      ['2021-06-09', ''],
      ['2021-06-08', ''],
    ],
  );
  assert.equal(plain.days[1]!.digest.papers[0]!.paper.id, '2106.00001');
  const horizon = loadSiteModel(db, { categories: 'cs,stat.ML', horizon: '24h' }).model;
  assert.equal(horizon.days[1]!.horizon, '24h');
  assert.equal(horizon.days[1]!.digest.papers[0]!.paper.title, 'At 24 hours');
  assert.equal(horizon.days[2]!.horizon, '', 'a day without the horizon shows its plain row');
  const math = loadSiteModel(db, { categories: 'math' }).model;
  assert.equal(math.days[1]!.categoriesKey, 'math');
  assert.equal(math.days[0]!.categoriesKey, 'cs,stat.ML', 'days stored only under another key still show');
  db.close();
});

test('a paper gets the stored posts its digests lack and its engagement history from all snapshots', () => {
  const db = store('extras');
  // A post found later, linked in the store but not in the digest.
  db.prepare(`INSERT INTO post_rows (source, id, author_handle, own_url, text, links, first_seen, last_seen)
    VALUES ('bluesky', 'late', 'late.bsky.social', 'https://bsky.app/profile/late/post/1', 'Late post', '[]', 'x', 'x')`).run();
  db.prepare("INSERT INTO post_papers VALUES ('bluesky', 'late', '2106.00001')").run();
  db.prepare(
    "INSERT INTO snapshot_rows VALUES ('bluesky', 'late', '2021-06-10T06:00:00.000Z', 4, 6, 0, 0)",
  ).run();
  const { model, warnings } = loadSiteModel(db);
  assert.deepEqual(warnings, []);
  const extras = model.papers!.get('2106.00001')!;
  // The digest's own posts (with their text) are not read again.
  assert.deepEqual(
    extras.posts.map((p) => `${p.source}:${p.id}`),
    ['bluesky:late'],
  );
  assert.equal(extras.posts[0]!.text, 'Late post');
  assert.deepEqual(extras.posts[0]!.metrics, { reposts: 4, likes: 6, replies: 0, quotes: 0 });
  assert.deepEqual(model.papers!.get('2106.00002')!.posts, []);
  // `shown` shares the objects of `posts` (one copy of each post in memory).
  const ranked = model.days.find((d) => d.day === '2021-06-09')!.digest.papers[0]!;
  assert.equal(ranked.shown[0], ranked.posts[0]);
  // fillStore: half the counts at 12:00, the digest's counts at 18:00; the late post at 06:00 next day.
  assert.deepEqual(
    extras.history.map((h) => [h.at, h.engagement, h.posts]),
    [
      ['2021-06-09T12:00:00.000Z', 20 + 60 + 2 + 15 + 0 + 40, 3],
      ['2021-06-09T18:00:00.000Z', 160 + 35 + 80, 3],
      ['2021-06-10T06:00:00.000Z', 160 + 35 + 80 + 10, 4],
    ],
  );
  db.close();
});

test('embeds: deleted posts are marked; HTML is read only for live embeds', () => {
  const db = store('embeds');
  db.prepare(
    "INSERT INTO embeds VALUES ('x', '1001', '<blockquote>hi</blockquote>', 'ok', '2021-06-09T18:00:00Z')",
  ).run();
  db.prepare(
    "INSERT INTO embeds VALUES ('bluesky', '1002', NULL, 'unavailable', '2021-06-09T18:00:00Z')",
  ).run();
  db.prepare("INSERT INTO embeds VALUES ('x', 'unrelated', '<p>x</p>', 'ok', '2021-06-09T18:00:00Z')").run();
  const cards = loadSiteModel(db).model.embeds!;
  assert.deepEqual(cards.get('x:1001'), { status: 'ok', html: undefined });
  assert.deepEqual(cards.get('bluesky:1002'), { status: 'unavailable', html: undefined });
  assert.equal(cards.has('x:unrelated'), false);
  const live = loadSiteModel(db, { embedHtml: true }).model.embeds!;
  assert.equal(live.get('x:1001')?.html, '<blockquote>hi</blockquote>');
  db.close();
});

test('an unreadable digest row is left out with a one-line warning', () => {
  const db = store('bad');
  db.prepare(`INSERT INTO digests (day, categories, horizon, observed_at, digest, written_at)
    VALUES ('2021-06-11', 'cs,stat.ML', '', '2021-06-11T18:00:00Z', '{not json', 'x')`).run();
  const { model, warnings } = loadSiteModel(db);
  assert.equal(model.days.length, 3);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^site: digest of 2021-06-11 \(cs,stat\.ML\) is not readable \(.+\); left out$/);
  db.close();
});

test('one day read in batches: a post linking two of its papers counts once for each, integer instants and long ids read back', () => {
  const db = store('batches');
  // A post stored as `post` stores them: a 19-digit X id (kept as an integer) and instants in ms.
  const id = '1400000000000000001';
  db.prepare(`INSERT INTO post_rows (source, id, author_handle, own_url, text, links, first_seen, last_seen)
    VALUES ('x', CAST(? AS INTEGER), 'both', 'https://x.com/both/status/1', 'Two papers', '[]', 'x', 'x')`).run(
    id,
  );
  for (const paperId of ['2106.00001', '2106.00002'])
    db.prepare("INSERT INTO post_papers VALUES ('x', CAST(? AS INTEGER), ?)").run(id, paperId);
  // As packTime stores an instant: a BigInt of milliseconds (an INTEGER).
  const at = (iso: string) => BigInt(Date.parse(iso));
  db.prepare('INSERT INTO snapshot_rows VALUES (?, CAST(? AS INTEGER), ?, ?, ?, 0, 0)').run(
    'x',
    id,
    at('2021-06-10T06:00:00.000Z'),
    1,
    2,
  );
  db.prepare('INSERT INTO snapshot_rows VALUES (?, CAST(? AS INTEGER), ?, ?, ?, 0, 0)').run(
    'x',
    id,
    at('2021-06-11T06:00:00.000Z'),
    3,
    4,
  );
  db.prepare(
    "INSERT INTO embeds VALUES ('x', CAST(? AS INTEGER), '<blockquote>both</blockquote>', 'ok', '2021-06-10T06:00:00Z')",
  ).run(id);
  db.prepare(
    "INSERT INTO paper_enrichment (paper_id, status, ai_summary, fetched_at) VALUES ('2106.00002', 'ok', 'A TL;DR', 'x')",
  ).run();
  const { model, warnings } = loadSiteModel(db, { embedHtml: true });
  assert.deepEqual(warnings, []);
  for (const paperId of ['2106.00001', '2106.00002']) {
    const extras = model.papers!.get(paperId)!;
    const found = extras.posts.filter((p) => p.id === id);
    assert.equal(found.length, 1, `${paperId} lists the post once`);
    assert.deepEqual(found[0]!.metrics, { reposts: 3, likes: 4, replies: 0, quotes: 0 });
    const last = extras.history.at(-1)!;
    assert.equal(last.at, '2021-06-11T06:00:00.000Z');
    const before = extras.history.at(-2)!;
    // The post's own counts are added once, on top of the digest's posts at their latest.
    assert.equal(last.engagement - before.engagement, 3 + 4 - (1 + 2), `${paperId}: counted once`);
  }
  assert.equal(model.embeds!.get(`x:${id}`)?.html, '<blockquote>both</blockquote>');
  assert.equal(model.enrichments!.get('2106.00002')?.aiSummary, 'A TL;DR');
  assert.equal(model.enrichments!.has('2106.00001'), false);
  db.close();
});
