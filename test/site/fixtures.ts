/** Plain-data fixtures for the site tests (and the browser tests): digests, posts, a store filler. */
import { readFileSync } from 'node:fs';
import { parseSeedPost } from '../../src/demo/seed.js';
import type { Db } from '../../src/store/db.js';
import { saveDigest } from '../../src/store/digests.js';
import { saveListing } from '../../src/store/listings.js';
import { packTime } from '../../src/store/packed.js';
import { notePaperChanges } from '../../src/store/posts.js';
import type { DayDigest, Paper, RankedPaper, ScoredPost, SourceId, SourceTotals } from '../../src/types.js';

/** A paper with defaults. */
export function paper(id: string, over: Partial<Paper> = {}): Paper {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    abstract: `We study the problem of ${id}. Our method improves the baseline.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.LG', 'stat.ML'],
    primaryCategory: over.categories?.[0] ?? 'cs.LG',
    pdfUrl: `https://arxiv.org/pdf/${id}v1`,
    announceType: 'new',
    method: 'rss',
    ...over,
  };
}

/** A scored post with defaults (score = reposts + likes, weight 1). */
export function post(
  source: SourceId,
  id: string,
  reposts: number,
  likes: number,
  over: Partial<ScoredPost> = {},
): ScoredPost {
  const score = source === 'hn' || source === 'hf' ? likes : reposts + likes;
  return {
    source,
    id,
    url: source === 'x' ? `https://x.com/someone/status/${id}` : `https://example.org/${source}/${id}`,
    authorHandle: `user${id}`,
    authorName: `User ${id}`,
    text: `Great paper! https://arxiv.org/abs/${id}`,
    createdAt: '2021-06-09T12:00:00.000Z',
    metrics: { reposts, likes, replies: 1, quotes: 0 },
    score,
    weighted: score,
    selfPromotion: false,
    ...over,
  };
}

/** A ranked paper whose totals are computed from its posts. */
export function ranked(rank: number, p: Paper, posts: ScoredPost[], shownMin = 25): RankedPaper {
  const bySource: Partial<Record<SourceId, SourceTotals>> = {};
  for (const s of posts) {
    const t = bySource[s.source] ?? {
      posts: 0,
      score: 0,
      weighted: 0,
      reposts: 0,
      likes: 0,
      replies: 0,
      quotes: 0,
    };
    bySource[s.source] = t;
    t.posts++;
    t.score += s.score;
    t.weighted += s.weighted;
    t.reposts += s.metrics.reposts;
    t.likes += s.metrics.likes;
    t.replies += s.metrics.replies;
    t.quotes += s.metrics.quotes;
  }
  const sorted = [...posts].sort((a, b) => b.weighted - a.weighted);
  const social = posts.filter((s) => s.source === 'x' || s.source === 'bluesky');
  const hn = posts.filter((s) => s.source === 'hn');
  const hf = posts.filter((s) => s.source === 'hf');
  return {
    rank,
    paper: p,
    score: posts.reduce((n, s) => n + s.weighted, 0),
    reposts: social.reduce((n, s) => n + s.metrics.reposts, 0),
    likes: social.reduce((n, s) => n + s.metrics.likes, 0),
    hn: {
      points: hn.reduce((n, s) => n + s.metrics.likes, 0),
      comments: hn.reduce((n, s) => n + s.metrics.replies, 0),
      stories: hn.length,
    },
    hf: {
      upvotes: hf.reduce((n, s) => n + s.metrics.likes, 0),
      comments: hf.reduce((n, s) => n + s.metrics.replies, 0),
    },
    bySource,
    uniqueAccounts: new Set(posts.map((s) => `${s.source}:${s.authorHandle}`)).size,
    selfPromotionPosts: posts.filter((s) => s.selfPromotion).length,
    posts: sorted,
    shown: sorted.filter((s) => s.score >= shownMin).slice(0, 10),
  };
}

/** A day digest around `papers`. */
export function digest(day: string, papers: RankedPaper[], over: Partial<DayDigest> = {}): DayDigest {
  return {
    day,
    categories: ['cs', 'stat.ML'],
    observedAt: `${day}T18:00:00.000Z`,
    announcedAt: `${day}T00:00:00.000Z`,
    ageHours: 18,
    weights: { x: 1, bluesky: 1, hn: 1, hf: 1 },
    thresholds: { minPaperScore: 50, minPostScore: 25, maxPosts: 10 },
    listed: 500,
    postsFound: papers.reduce((n, r) => n + r.posts.length, 0),
    papers,
    health: [
      { source: 'x', status: 'ok', posts: 10, requests: 2 },
      { source: 'hn', status: 'failed', posts: 0, requests: 1, detail: 'hn: HTTP 503 from hn.algolia.com' },
    ],
    ...over,
  };
}

export const XSS_TITLE =
  '<script>window.__pwned=1;alert(1)</script> Attention <img src=x onerror="window.__pwned=2">';
export const JS_LINK_TEXT =
  'Click javascript:window.__pwned=3 or <a href="javascript:window.__pwned=4">here</a> https://arxiv.org/abs/2106.00003';
/** A word that appears only in one abstract (search finds the paper by it). */
export const RARE_WORD = 'zymurgical';

/** Three days of papers, with the hostile title, a `javascript:` post, math, and a deleted post. */
export function sampleDigests(): DayDigest[] {
  const p1 = paper('2106.00001', {
    title: 'Scaling $\\mathcal{O}(n^2)$ Attention to Long Documents',
    abstract: `We show that attention costs $O(n^2)$ and propose a ${RARE_WORD} fix that costs $O(n \\log n)$.`,
    authors: ['Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
    categories: ['cs.CL', 'cs.LG'],
    primaryCategory: 'cs.CL',
  });
  const p2 = paper('2106.00002', { title: 'Robust Graph Networks', categories: ['cs.LG'] });
  const p3 = paper('2106.00003', {
    title: XSS_TITLE,
    abstract: 'An abstract with <b>tags</b> & "quotes".',
    authors: ['Mallory <script>x</script>'],
  });
  const p4 = paper('hep-th/9901001', {
    title: 'Old Style Identifier',
    categories: ['hep-th', 'cs.LG'],
    primaryCategory: 'hep-th',
  });
  const day1 = digest('2021-06-09', [
    ranked(1, p1, [post('x', '1001', 40, 120), post('bluesky', '1002', 5, 30), post('hn', '1003', 0, 80)]),
    ranked(2, p3, [
      post('x', '1004', 10, 50, {
        text: JS_LINK_TEXT,
        url: 'javascript:window.__pwned=5',
        authorName: '<b>Eve</b>',
      }),
    ]),
    ranked(3, p2, [post('x', '1005', 20, 40, { selfPromotion: true }), post('x', '1006', 1, 10)]),
  ]);
  const day2 = digest('2021-06-10', [ranked(1, p4, [post('x', '2001', 30, 60), post('hf', '2002', 0, 55)])], {
    horizon: '24h',
  });
  const day3 = digest('2021-06-08', [ranked(1, paper('2106.00009'), [post('x', '3001', 20, 45)])]);
  return [day1, day2, day3];
}

/** Insert digests (and their papers, posts, links, snapshots) into a store, as the pipeline would. */
export function fillStore(db: Db, digests: readonly DayDigest[], catKey = 'cs,stat.ML'): void {
  const insPaper =
    db.prepare(`INSERT OR REPLACE INTO papers (id, version, title, abstract, authors, categories, primary_category, pdf_url)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const insPost =
    db.prepare(`INSERT OR REPLACE INTO post_rows (source, id, author_handle, author_name, own_url, text, created, links, first_seen, last_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?, '[]', ?, ?)`);
  const insLink = db.prepare(
    'INSERT OR IGNORE INTO post_papers (source, post_id, paper_id) VALUES (?, ?, ?)',
  );
  const insSnap =
    db.prepare(`INSERT OR REPLACE INTO snapshot_rows (source, post_id, observed, reposts, likes, replies, quotes)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const insDigest =
    db.prepare(`INSERT OR REPLACE INTO digests (day, categories, horizon, observed_at, digest, written_at)
    VALUES (?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (const d of digests) {
      for (const r of d.papers) {
        const p = r.paper;
        insPaper.run(
          p.id,
          p.version,
          p.title,
          p.abstract,
          JSON.stringify(p.authors),
          JSON.stringify(p.categories),
          p.primaryCategory,
          p.pdfUrl ?? null,
        );
        for (const s of r.posts) {
          insPost.run(
            s.source,
            s.id,
            s.authorHandle ?? null,
            s.authorName ?? null,
            s.url,
            s.text,
            s.createdAt ?? null,
            d.observedAt,
            d.observedAt,
          );
          insLink.run(s.source, s.id, p.id);
          // Two snapshots: half the counts six hours earlier, then the digest's counts.
          const early = new Date(Date.parse(d.observedAt) - 6 * 3600_000).toISOString();
          const m = s.metrics;
          insSnap.run(
            s.source,
            s.id,
            packTime(early),
            Math.floor(m.reposts / 2),
            Math.floor(m.likes / 2),
            0,
            0,
          );
          insSnap.run(s.source, s.id, packTime(d.observedAt), m.reposts, m.likes, m.replies, m.quotes);
        }
      }
      insDigest.run(
        d.day,
        catKey,
        d.horizon ?? '',
        d.observedAt,
        JSON.stringify(d),
        '2021-06-11T00:00:00.000Z',
      );
      // As savePosts logs them: the papers whose posts, links or snapshots were written.
      notePaperChanges(
        db,
        d.papers.filter((r) => r.posts.length > 0).map((r) => r.paper.id),
      );
    }
  })();
}

/** Store a Bluesky post about `paperId` found after the build, as the listener stores one (the paper logged as changed). */
export function storeLatePost(
  handle: Db,
  paperId: string,
  text = 'Late post',
  postId = `late${paperId}`,
): void {
  handle
    .prepare(`INSERT INTO post_rows (source, id, author_handle, own_url, text, links, first_seen, last_seen)
    VALUES ('bluesky', ?, 'late.bsky.social', ?, ?, '[]', 'x', 'x')`)
    .run(postId, `https://bsky.app/profile/late/post/${postId}`, text);
  handle.prepare("INSERT INTO post_papers VALUES ('bluesky', ?, ?)").run(postId, paperId);
  notePaperChanges(handle, [paperId]);
}

/** The seed post of 2021-06-09 (24 papers, real abstracts, math and posts) as a day digest. */
export function seedDay(): DayDigest {
  const seed = parseSeedPost(
    readFileSync(new URL('../fixtures/seed/2021-06-09---Hot-Papers.md', import.meta.url), 'utf8'),
  );
  const papers = seed.papers.map((sp, i) =>
    ranked(
      i + 1,
      paper(sp.id, {
        title: sp.title,
        abstract: sp.abstract,
        authors: sp.authors,
        categories: sp.categories,
      }),
      sp.embeds.map((e) =>
        post(
          'x',
          e.tweetId,
          Math.floor(sp.retweets / sp.embeds.length),
          Math.floor(sp.favorites / sp.embeds.length),
          {
            text: e.text,
            authorName: e.authorName,
            authorHandle: e.username,
          },
        ),
      ),
    ),
  );
  return digest(seed.day, papers);
}

/**
 * Store days as `post` does: their listing (a paper's row is upserted: a paper ranked again in
 * other categories changes it), posts and snapshots, and each digest naming its papers and posts
 * by key (so a day page shows them as the papers and posts tables hold them now).
 */
export function storeAsPost(h: Db, days: readonly DayDigest[], categoriesKey = 'cs,stat.ML'): void {
  // A day at a time, as runs follow each other: each digest is saved beside its own listing.
  for (const d of days) {
    const listing = { day: d.day, method: 'rss' as const, papers: d.papers.map((r) => r.paper), notes: [] };
    saveListing(h, { ...listing, categories: categoriesKey.split(',') }, `${d.day}T01:00:00.000Z`);
    fillStore(h, [d]);
    saveDigest(h, d, { categoriesKey, writtenAt: '2021-07-01T00:00:00.000Z' });
  }
}
