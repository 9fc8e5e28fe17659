/**
 * Builds the bundled demo day (demo/2021-06-09/) from the seed post of that day: the arXiv
 * API Atom listing, one X search response (v2 JSON) and an oEmbed JSON per embedded tweet.
 * Run once by a developer: `node --import tsx scripts/build-demo.ts`; the output is committed.
 *
 * What is recorded vs. made up: titles, authors, categories, abstracts, embedded tweets and the
 * per-paper totals come from the seed. Submission times (inside the mailing's window), the split
 * of each paper's totals over its posts, user ids and the ids of never-shown posts are ours.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { submissionWindow } from '../src/arxiv/schedule.js';
import { parseSeedPost, seedToDay } from '../src/demo/seed.js';
import { atomFeedXml, type StandInPaper } from '../src/standins/arxiv.js';
import { fakeTweet } from '../src/standins/x.js';

const DAY = '2021-06-09';
const seed = parseSeedPost(readFileSync(`test/fixtures/seed/${DAY}---Hot-Papers.md`, 'utf8'));
const replay = seedToDay(seed, { method: 'api' });
const window = submissionWindow(DAY);
const out = join('demo', DAY);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'oembed'), { recursive: true });

// Papers: submission times spread through the window, in seed order.
const span = window.end.getTime() - window.start.getTime();
const papers: StandInPaper[] = replay.papers.map((p, i) => {
  const at = new Date(window.start.getTime() + Math.round(((i + 0.5) * span) / (replay.papers.length + 1)));
  const iso = at.toISOString().replace('.000Z', 'Z');
  return {
    id: p.id,
    version: 1,
    title: seed.papers[i]!.title,
    abstract: seed.papers[i]!.abstract,
    authors: p.authors,
    categories: p.categories,
    primary: p.primaryCategory,
    published: iso,
    updated: iso,
  };
});
writeFileSync(
  join(out, 'arxiv-api.xml'),
  atomFeedXml(papers, {
    query: 'recorded demo day',
    start: 0,
    maxResults: papers.length,
    total: papers.length,
  }),
);

// Tweets: the seed's embedded tweets keep their ids and handles; the small, never-shown
// posts that make up the rest of each paper's total get ids from a synthetic range.
const users = new Map<string, { id: string; username: string; name: string }>();
let synthetic = 9_000_000_000_000_000_000n;
const tweets = replay.posts.map((post, i) => {
  const handle = post.authorHandle ?? `demo_reader_${i}`;
  let user = users.get(handle);
  if (!user) {
    user = {
      id: String(1_000_000 + users.size),
      username: handle,
      name: post.authorName ?? `Demo reader ${i}`,
    };
    users.set(handle, user);
  }
  const id = /^\d+$/.test(post.id) ? post.id : String(++synthetic);
  return fakeTweet({
    id,
    authorId: user.id,
    text: post.text || `Reading ${post.links.join(' ')}`,
    links: post.links,
    createdAt: new Date(Date.parse(`${DAY}T01:00:00Z`) + i * 60_000).toISOString(),
    reposts: post.metrics.reposts,
    likes: post.metrics.likes,
  });
});
writeFileSync(
  join(out, 'x-search.json'),
  `${JSON.stringify(
    { data: tweets, includes: { users: [...users.values()] }, meta: { result_count: tweets.length } },
    null,
    1,
  )}\n`,
);

for (const embed of replay.embeds) {
  const user = users.get(embed.username);
  const body = {
    url: embed.url,
    author_name: user?.name ?? embed.username,
    author_url: `https://twitter.com/${embed.username}`,
    // publish.twitter.com appends a newline after the script line; we trim it when rendering.
    html: `${embed.html}\n`,
    width: 550,
    height: null,
    type: 'rich',
    cache_age: '3153600000',
    provider_name: 'Twitter',
    provider_url: 'https://twitter.com',
    version: '1.0',
  };
  writeFileSync(join(out, 'oembed', `${embed.tweetId}.json`), `${JSON.stringify(body, null, 1)}\n`);
}
console.log(
  `demo: ${papers.length} papers, ${tweets.length} tweets, ${replay.embeds.length} embeds → ${out}`,
);
