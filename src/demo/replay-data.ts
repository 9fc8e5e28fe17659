/**
 * What the stand-ins serve to replay a seed post: its papers in arXiv's shape (submitted inside
 * the mailing's window, titles and abstracts as printed), X posts whose counts add up to the
 * seed's totals, and the seed's embed html as oEmbed answers. Used by the demo builder and tests.
 */
import { submissionWindow } from '../arxiv/schedule.js';
import type { XTweet, XUser } from '../sources/x-query.js';
import type { StandInPaper } from '../standins/arxiv.js';
import { fakeTweet } from '../standins/x.js';
import { type SeedPost, seedToDay } from './seed.js';

export interface ReplayData {
  papers: StandInPaper[];
  tweets: XTweet[];
  users: XUser[];
  /** Tweet id → oEmbed html (with the newline publish.twitter.com appends). */
  oembed: Record<string, string>;
}

/** Build the stand-in data replaying `seed`. Never-shown posts get ids from a synthetic range. */
export function seedReplayData(seed: SeedPost): ReplayData {
  const day = seedToDay(seed, { method: 'api' });
  const window = submissionWindow(seed.day);
  const span = window.end.getTime() - window.start.getTime();
  const papers: StandInPaper[] = day.papers.map((p, i) => {
    const at = new Date(window.start.getTime() + Math.floor(((i + 0.5) * span) / day.papers.length));
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
  const users = new Map<string, XUser>();
  let synthetic = 9_000_000_000_000_000_000n;
  const tweets = day.posts.map((post, i) => {
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
    return fakeTweet({
      id: /^\d+$/.test(post.id) ? post.id : String(++synthetic),
      authorId: user.id,
      text: post.text || `Reading ${post.links.join(' ')}`,
      links: post.links,
      // Posted after the announcement, a minute apart.
      createdAt: new Date(window.end.getTime() + 8 * 3_600_000 + i * 60_000).toISOString(),
      reposts: post.metrics.reposts,
      likes: post.metrics.likes,
    });
  });
  const oembed = Object.fromEntries(day.embeds.map((e) => [e.tweetId, `${e.html}\n`]));
  return { papers, tweets, users: [...users.values()], oembed };
}
