/**
 * A small seeded pseudo-random generator (mulberry32) for stand-in data, benches and tests:
 * the same seed gives the same sequence, so synthetic days and kill points can be replayed.
 */

/** A function returning numbers in [0, 1), determined by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
