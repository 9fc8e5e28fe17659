/**
 * The pipeline bench's second day: 2,000 papers and 50,000 posts shaped as the four sources
 * send them. Each source's answers are built by its stand-in's builders (the shapes of
 * research/social-sources.md §11), written as JSON bodies and read back by the source's own
 * parser, as a run reads them: the posts are what the parsers make of the answers (their strings
 * flat ones out of JSON.parse), Bluesky ids are `at://` URIs, texts are of real length and every
 * post has its creation time and its source's usual address.
 *
 * The mix is an assumption (no source says how many posts a day of 2026 has): X 28,000, Bluesky
 * 21,500, Hacker News 400 stories, Hugging Face 100 Daily Papers entries (tens a day, §8). As on
 * a real day, most papers get no post: the posts link 800 of the 2,000 papers, drawn with density
 * ∝ x^(-2/3) (the top paper gets ~11% of the posts, the median one of the 800 about 35); one post
 * in twenty links two papers. Likes are heavy-tailed as in worldDay.
 */
import { parseSearchPosts } from '../src/sources/bluesky.js';
import { parseDailyPapers } from '../src/sources/hf.js';
import { parseHnSearch } from '../src/sources/hn.js';
import { isRetweet, tweetToPost } from '../src/sources/x.js';
import { parseSearchPage, type XUser } from '../src/sources/x-query.js';
import { blueskyPost } from '../src/standins/bluesky.js';
import { hfDailyItem } from '../src/standins/hf.js';
import { hnStory } from '../src/standins/hn.js';
import { seededRandom } from '../src/standins/random.js';
import {
  attentionIndex,
  standInToPaper,
  worldCounts,
  worldDay,
  worldLikes,
  worldLink,
  worldWords,
} from '../src/standins/world.js';
import { fakeTweet } from '../src/standins/x.js';
import type { Paper, Post } from '../src/types.js';

const DAY = '2026-03-10';
const PAPERS = 2000;
const X_POSTS = 28_000;
const BLUESKY_POSTS = 21_500;
const HN_STORIES = 400;
const HF_ENTRIES = 100;
/** Posts per answer page, as X's recent search and Bluesky's searchPosts send them. */
const PAGE = 100;

/** Papers the posts link (the others get none). */
const TALKED_ABOUT = 800;

/** A JSON body as it comes over the wire, decoded as a source decodes it. */
function wire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body));
}

/** The day's papers and its posts, in the order a run gathers them (source by source). */
export function worldShapedDay(): { papers: Paper[]; posts: Post[] } {
  const world = worldDay({ day: DAY, papers: PAPERS, posts: 0, users: 9000, seed: 11 });
  const papers = world.papers.map(standInToPaper);
  const rnd = seededRandom(2026);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const posts: Post[] = [];
  const announced = Date.parse(`${DAY}T00:00:00Z`);
  const at = () => new Date(announced + int(0, 20 * 3_600_000)).toISOString();
  // Every other paper of the first 1,600: the talked-about ones are spread over the listing.
  const paper = () => papers[2 * attentionIndex(TALKED_ABOUT, rnd, 3)]!.id;

  // X: pages of 100 tweets with their authors in `includes.users`, made a page at a time (the
  // bench's own garbage stays small beside the run's).
  const users = new Map(world.users.map((u) => [u.id, u]));
  for (let from = 0; from < X_POSTS; from += PAGE) {
    const data = Array.from({ length: Math.min(PAGE, X_POSTS - from) }, (_, k) => {
      const i = from + k;
      const ids = rnd() < 0.05 ? [paper(), paper()] : [paper()];
      const likes = worldLikes(rnd);
      return fakeTweet({
        id: String(2_030_000_000_000_000_000n + BigInt(i * 4099)),
        authorId: world.users[Math.floor(world.users.length * rnd() ** 2)]!.id,
        text: `${worldWords(rnd, int(8, 40))} ${ids.map((_, n) => `https://t.co/${(i * 31 + n).toString(36).padStart(10, 'x')}`).join(' ')}`,
        links: ids.map((id) => worldLink(id, rnd)),
        createdAt: at(),
        ...worldCounts(likes, rnd),
      });
    });
    const authors = new Map<string, XUser>();
    for (const t of data) if (t.author_id) authors.set(t.author_id, users.get(t.author_id)!);
    const page = parseSearchPage(
      wire({ data, includes: { users: [...authors.values()] }, meta: { result_count: data.length } }),
    );
    const byId = new Map(page.users.map((u) => [u.id, u]));
    for (const tweet of page.tweets)
      if (!isRetweet(tweet))
        posts.push(tweetToPost(tweet, tweet.author_id ? byId.get(tweet.author_id) : undefined));
  }

  // Bluesky: searchPosts pages of 100 post views, the link in a facet, a card or both.
  const places = ['facet', 'external', 'facet+external'] as const;
  let views = [];
  for (let i = 0; i < BLUESKY_POSTS; i++) {
    const reader = Math.floor(9000 * rnd() ** 2);
    const likes = worldLikes(rnd);
    views.push(
      blueskyPost({
        // A TID-like record key: 13 characters of base-32.
        rkey: `3l${(1_000_000_000_000 + i * 7919).toString(32).padStart(11, 'a')}`,
        handle: `reader${reader}.bsky.social`,
        displayName: reader % 40 === 0 ? `Reader ${reader}` : '',
        text: worldWords(rnd, int(8, 40)),
        createdAt: at(),
        link: worldLink(paper(), rnd),
        linkIn: places[i % places.length]!,
        ...worldCounts(likes, rnd),
      }),
    );
    if (views.length === PAGE || i === BLUESKY_POSTS - 1) {
      posts.push(...parseSearchPosts(wire({ posts: views, cursor: String(i) }), 'searchPosts').posts);
      views = [];
    }
  }

  // Hacker News: one domain sweep's answer, stories of the papers with the most attention.
  const hits = Array.from({ length: HN_STORIES }, (_, i) =>
    hnStory({
      id: 46_000_000 + i * 37,
      title: worldWords(rnd, int(5, 12)),
      url: worldLink(paper(), rnd),
      author: `hn${int(0, 5000)}`,
      points: Math.floor(Math.exp(rnd() * rnd() * 7)),
      comments: int(0, 80),
      createdAt: at(),
    }),
  );
  posts.push(...parseHnSearch(wire({ hits, nbHits: hits.length, page: 0, nbPages: 1 }), 'hn sweep').posts);

  // Hugging Face: one Daily Papers answer, each entry a distinct paper.
  const entries = new Set<string>();
  while (entries.size < HF_ENTRIES) entries.add(paper());
  const items = [...entries].map((id) =>
    hfDailyItem({
      id,
      title: worldWords(rnd, int(6, 14)),
      upvotes: int(0, 120),
      comments: int(0, 10),
      submittedAt: at(),
      publishedAt: `${DAY}T00:00:00.000Z`,
      authors: ['Ada Li', 'Bo Kim'],
    }),
  );
  posts.push(...parseDailyPapers(wire(items), DAY, 'daily_papers'));
  return { papers, posts };
}
