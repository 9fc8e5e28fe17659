/**
 * A seeded world-size day for benches and tests: the papers of one mailing (as the arXiv
 * stand-ins serve them) and the X posts linking them (as the X stand-in serves them), with
 * engagement heavy-tailed as it is for real: most papers get no post, a few get hundreds, and
 * a few posts get most of the likes. The same seed and day give the same data.
 */
import { submissionWindow } from '../arxiv/schedule.js';
import type { XTweet, XUser } from '../sources/x-query.js';
import type { Paper } from '../types.js';
import type { StandInPaper } from './arxiv.js';
import { seededRandom } from './random.js';
import { fakeTweet } from './x.js';

export interface WorldDayOptions {
  /** Mailing day YYYY-MM-DD (a weekday). */
  day: string;
  papers: number;
  posts: number;
  /** Distinct X accounts posting. */
  users?: number;
  seed?: number;
}

export interface WorldDay {
  papers: StandInPaper[];
  tweets: XTweet[];
  users: XUser[];
}

const WORDS = (
  'learning model models neural network networks data training graph language large deep method ' +
  'methods we propose show that results performance task tasks based approach novel efficient ' +
  'transformer attention representation representations robust optimization inference benchmark ' +
  'diffusion reinforcement policy agents generalization theoretical empirical dataset datasets ' +
  'state-of-the-art framework analysis algorithm algorithms bounds convergence sample complexity ' +
  'of the and a to in for on with by from our this is are which can as over under across'
).split(' ');
const CATEGORIES = [
  'cs.LG',
  'cs.CV',
  'cs.CL',
  'cs.AI',
  'cs.RO',
  'cs.CR',
  'cs.DS',
  'cs.SE',
  'stat.ML',
  'cs.IR',
];
const FIRST = ['Ada', 'Bo', 'Chen', 'Dana', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivan', 'Jun', 'Kai', 'Lena'];
const LAST = ['Author', 'Writer', 'Li', 'Wang', 'Smith', 'Garcia', 'Müller', 'Kim', 'Rossi', 'Sato', 'Nowak'];
const SHAPES = [
  (id: string) => `https://arxiv.org/abs/${id}`,
  (id: string) => `https://arxiv.org/pdf/${id}v1`,
  (id: string) => `https://arxiv.org/abs/${id}v1`,
  (id: string) => `https://www.alphaxiv.org/abs/${id}`,
  (id: string) => `https://huggingface.co/papers/${id}`,
];

/** `n` words of the world's vocabulary, drawn by `rnd`. */
export function worldWords(rnd: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]!).join(' ');
}

/**
 * The index (of `n` papers) a post links, drawn with density ∝ x^(1/power - 1), x = i/n: with
 * the default power 6 (x^(-5/6)), a few papers get hundreds of posts and most get none.
 */
export function attentionIndex(n: number, rnd: () => number, power = 6): number {
  return Math.floor(n * rnd() ** power);
}

/** A post's likes, heavy-tailed: most get a few, a few get thousands. */
export function worldLikes(rnd: () => number): number {
  return Math.floor(Math.exp(rnd() * rnd() * 8)) - 1;
}

/** A post's counts given its likes: reposts, replies and quotes in proportion, drawn by `rnd`. */
export function worldCounts(
  likes: number,
  rnd: () => number,
): { likes: number; reposts: number; replies: number; quotes: number } {
  return {
    likes,
    reposts: Math.floor(likes * rnd() * 0.3),
    replies: Math.floor(likes * rnd() * 0.1),
    quotes: Math.floor(likes * rnd() * 0.05),
  };
}

/** A link to paper `id` in one of the shapes posts carry, drawn by `rnd`. */
export function worldLink(id: string, rnd: () => number): string {
  return SHAPES[Math.floor(rnd() * SHAPES.length)]!(id);
}

/** The papers and X posts of one world-size day. */
export function worldDay(options: WorldDayOptions): WorldDay {
  const { day } = options;
  const rnd = seededRandom((options.seed ?? 1) * 1_000_003 + Number(day.replaceAll('-', '')));
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const words = (n: number) => worldWords(rnd, n);
  const window = submissionWindow(day);
  const span = window.end.getTime() - window.start.getTime();
  // Ids unique per month: yymm, then the day of the month × 3,000 + the paper's number.
  const yymm = `${day.slice(2, 4)}${day.slice(5, 7)}`;
  const base = Number(day.slice(8, 10)) * 3000;
  const papers: StandInPaper[] = Array.from({ length: options.papers }, (_, i) => {
    const at = new Date(window.start.getTime() + Math.floor(((i + 0.5) / options.papers) * span));
    const primary = CATEGORIES[int(0, CATEGORIES.length - 1)]!;
    const others = CATEGORIES.filter((c) => c !== primary && rnd() < 0.15);
    const title = words(int(6, 14));
    return {
      id: `${yymm}.${String(base + i).padStart(5, '0')}`,
      version: 1,
      title: title[0]!.toUpperCase() + title.slice(1),
      abstract: `${words(int(110, 210))}.`,
      authors: Array.from(
        { length: int(1, 8) },
        () => `${FIRST[int(0, FIRST.length - 1)]} ${LAST[int(0, LAST.length - 1)]}`,
      ),
      categories: [primary, ...others],
      primary,
      published: at.toISOString().replace('.000Z', 'Z'),
      updated: at.toISOString().replace('.000Z', 'Z'),
    };
  });
  const users: XUser[] = Array.from({ length: options.users ?? 2000 }, (_, i) => ({
    id: String(10_000 + i),
    username: `reader${i}`,
    name: i % 50 === 0 ? `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]}` : `Reader ${i}`,
  }));
  const pick = () => papers[attentionIndex(options.papers, rnd)]!.id;
  const announced = window.end.getTime() + 6 * 3_600_000;
  const tweets: XTweet[] = Array.from({ length: options.posts }, (_, i) => {
    const ids = rnd() < 0.05 ? [pick(), pick()] : [pick()];
    const likes = worldLikes(rnd);
    return fakeTweet({
      id: String(1_900_000_000_000_000_000n + BigInt(Number(day.replaceAll('-', '')) * 100_000 + i)),
      authorId: users[Math.floor(users.length * rnd() ** 2)]!.id,
      text: `${words(int(8, 30))} ${ids.map((_, k) => `https://t.co/x${i}${k}`).join(' ')}`,
      links: ids.map((id) => worldLink(id, rnd)),
      createdAt: new Date(announced + int(0, 20 * 3_600_000)).toISOString(),
      ...worldCounts(likes, rnd),
    });
  });
  return { papers, tweets, users };
}

/** A stand-in paper as the listing code stores it (the API's view: new, with its PDF). */
export function standInToPaper(p: StandInPaper): Paper {
  return {
    id: p.id,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    primaryCategory: p.primary,
    published: p.published,
    updated: p.updated,
    pdfUrl: `https://arxiv.org/pdf/${p.id}v${p.version}`,
    announceType: 'new',
    method: 'api',
  };
}
