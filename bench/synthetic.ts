/** What the synthetic archives of the site and search benches share. */
import { previousMailing } from '../src/arxiv/schedule.js';

/** Categories of the search bench's synthetic papers, most active first (its own weights). */
export const SYNTHETIC_CATEGORIES = [
  'cs.LG',
  'cs.CL',
  'cs.CV',
  'cs.AI',
  'stat.ML',
  'cs.RO',
  'cs.CR',
  'cs.IR',
  'cs.NE',
  'cs.DS',
  'cs.SE',
  'cs.HC',
] as const;

/**
 * The categories of the site bench's synthetic papers, each with how many of the 76 ranked papers
 * of the six real posts in test/fixtures/seed list it (32 categories, cross-lists outside cs and
 * stat.ML included: the site makes pages and feeds for every category a ranked paper lists).
 */
const SEED_CATEGORIES: ReadonlyArray<readonly [string, number]> = [
  ['cs.CV', 30],
  ['cs.LG', 29],
  ['cs.CL', 20],
  ['cs.AI', 20],
  ['stat.ML', 8],
  ['eess.AS', 4],
  ['cs.SD', 4],
  ['cs.RO', 4],
  ['cs.IR', 3],
  ...['cs.NE', 'cs.LO', 'cs.GR', 'cs.CE'].map((c) => [c, 2] as const),
  ...[
    'stat.CO',
    'q-bio.NC',
    'physics.flu-dyn',
    'physics.chem-ph',
    'physics.ao-ph',
    'math.ST',
    'math.OC',
    'math.LO',
    'math.DS',
    'math.AG',
    'eess.SY',
    'cs.SI',
    'cs.SE',
    'cs.IT',
    'cs.HC',
    'cs.DL',
    'cs.DC',
    'cs.CY',
    'cs.CR',
  ].map((c) => [c, 1] as const),
];

/** How many categories those 76 papers list: [categories, papers]. */
const SEED_CATEGORY_COUNTS: ReadonlyArray<readonly [number, number]> = [
  [1, 37],
  [2, 16],
  [3, 16],
  [4, 4],
  [5, 2],
  [6, 1],
];

/** One of `weighted`, drawn in proportion to its weight. */
export function drawWeighted<T>(weighted: ReadonlyArray<readonly [T, number]>, rnd: () => number): T {
  let x = rnd() * weighted.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of weighted) {
    x -= w;
    if (x < 0) return v;
  }
  return weighted[0]![0];
}

/** A synthetic paper's categories, primary first, drawn as the seed's ranked papers list them. */
export function seedLikeCategories(rnd: () => number): string[] {
  const n = drawWeighted(SEED_CATEGORY_COUNTS, rnd);
  const out: string[] = [];
  while (out.length < n) {
    const c = drawWeighted(SEED_CATEGORIES, rnd);
    if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** `n` mailing days (Mon–Fri) going back from `newest` (a mailing day), newest first. */
export function mailingDaysBack(newest: string, n: number): string[] {
  const out = n > 0 ? [newest] : [];
  while (out.length < n) out.push(previousMailing(out[out.length - 1]!));
  return out;
}
