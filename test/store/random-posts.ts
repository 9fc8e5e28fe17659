/**
 * Seeded random posts for the store's tests: every source, ids of every stored form (integers,
 * text, UTF-16 and UTF-8 ordered apart), links mostly to the day's papers, sometimes to another
 * day's or one twice, addresses and times the store can or cannot derive, any counts.
 */
import { seededRandom } from '../../src/standins/random.js';
import type { MatchedPost, SourceId } from '../../src/types.js';

export const DAY = ['2106.04554', '2106.04560', '2106.04570', '2106.04581'];
export const OTHER = ['2106.01000', '2105.00001'];
export const SOURCES: SourceId[] = ['x', 'bluesky', 'hn', 'hf'];
export const T0 = '2021-06-08T10:00:00.000Z';
export const T1 = '2021-06-09T23:30:00.000Z';
/** The run's instant. */
export const T = '2021-06-10T18:07:48.000Z';
export const T2 = '2021-06-11T02:00:00.000Z';

/** Ids of each source in the forms the store keeps: integers, text, UTF-16 and UTF-8 ordered apart. */
export const IDS: Record<SourceId, string[]> = {
  x: ['1400000000000000017', '1400000000000000018', '999999999999999', '42', '\u{1F600}', '\uFB01', 'z9'],
  bluesky: [
    'at://did:plc:abc/app.bsky.feed.post/3kx',
    'at://did:plc:abc/app.bsky.feed.post/3ky',
    'at://did:plc:def/app.bsky.feed.post/3ka',
  ],
  hn: ['4242', '4243', '27000001'],
  hf: ['2106.04554', '2106.04560'],
};

/** Random draws and posts from `seed`. */
export function scenario(seed: number) {
  const rnd = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const chance = (p: number) => rnd() < p;
  const papers = (): string[] => {
    const n = 1 + Math.floor(rnd() * 3);
    const out: string[] = [];
    // Mostly the day's papers; sometimes another day's, sometimes one twice.
    for (let i = 0; i < n; i++) out.push(chance(0.8) ? pick(DAY) : pick(OTHER));
    if (chance(0.1)) out.push(out[0]!);
    return out;
  };
  const post = (source: SourceId = pick(SOURCES), id = pick(IDS[source])): MatchedPost => {
    const paperIds = papers();
    const handle = chance(0.2) ? undefined : `user${Math.floor(rnd() * 5)}`;
    return {
      post: {
        source,
        id,
        authorId: chance(0.3) ? undefined : chance(0.2) ? '' : `a${Math.floor(rnd() * 5)}`,
        authorHandle: handle,
        authorName: chance(0.3) ? undefined : pick(['Ada Lovelace', 'Reader', '']),
        url:
          source === 'x' && chance(0.7)
            ? `https://twitter.com/${handle ?? 'i/web'}/status/${id}`
            : `https://example.org/${source}/${encodeURIComponent(id)}`,
        text: pick(['see', 'a paper', 'née ✓', '']),
        createdAt: pick([
          undefined,
          '2021-06-09T20:00:00.000Z',
          '2021-06-09T20:00:00Z',
          '2021-06-09T22:00:00+02:00',
        ]),
        links: paperIds.map((p) => `https://arxiv.org/abs/${p}`),
        metrics: {
          reposts: Math.floor(rnd() * 20),
          likes: Math.floor(rnd() * 200),
          replies: Math.floor(rnd() * 5),
          quotes: Math.floor(rnd() * 3),
        },
      },
      paperIds,
    };
  };
  const batch = () => Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => post());
  return { rnd, pick, chance, post, batch };
}
