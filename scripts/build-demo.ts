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
import { seedReplayData } from '../src/demo/replay-data.js';
import { parseSeedPost } from '../src/demo/seed.js';
import { atomFeedXml } from '../src/standins/arxiv.js';
import { oembedBody } from '../src/standins/x.js';

const DAY = '2021-06-09';
const seed = parseSeedPost(readFileSync(`test/fixtures/seed/${DAY}---Hot-Papers.md`, 'utf8'));
const data = seedReplayData(seed);
const out = join('demo', DAY);
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'oembed'), { recursive: true });

writeFileSync(
  join(out, 'arxiv-api.xml'),
  atomFeedXml(data.papers, {
    query: 'recorded demo day',
    start: 0,
    maxResults: data.papers.length,
    total: data.papers.length,
  }),
);
writeFileSync(
  join(out, 'x-search.json'),
  `${JSON.stringify({ data: data.tweets, includes: { users: data.users }, meta: { result_count: data.tweets.length } }, null, 1)}\n`,
);
const byId = new Map(data.tweets.map((t) => [t.id, t]));
const users = new Map(data.users.map((u) => [u.id, u]));
for (const [id, html] of Object.entries(data.oembed)) {
  const user = users.get(byId.get(id)?.author_id ?? '');
  const handle = user?.username ?? 'i';
  const body = oembedBody(`https://twitter.com/${handle}/status/${id}`, handle, user?.name ?? handle, html);
  writeFileSync(join(out, 'oembed', `${id}.json`), `${JSON.stringify(body, null, 1)}\n`);
}
console.log(
  `demo: ${data.papers.length} papers, ${data.tweets.length} tweets, ${Object.keys(data.oembed).length} embeds → ${out}`,
);
