/**
 * Golden tests: each seed post, parsed and replayed through match → rank → render with the
 * seed system's thresholds and X only, gives the seed again byte for byte, except for the
 * three differences DESIGN §7 documents (normalised below, nothing else) and the differences
 * listed in KNOWN_EXTRA, which DESIGN does not document yet (see their comment).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseSeedPost, seedToDay } from '../../src/demo/seed.js';
import { matchPosts } from '../../src/match/match.js';
import { DEFAULT_THRESHOLDS, rankDay } from '../../src/rank/score.js';
import { postFileName, renderLumen } from '../../src/render/lumen.js';
import type { DayDigest } from '../../src/types.js';

const SEED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'seed');
const SEEDS = readdirSync(SEED_DIR)
  .filter((f) => f.endsWith('---Hot-Papers.md'))
  .sort();

/**
 * Differences DESIGN §7 does not document (reported to the lead), each checked exactly:
 * - `abstractWhitespace`: these abstracts had paragraph breaks on arXiv (newline + indentation)
 *   that the seed printed as three spaces; our abstracts are whitespace-collapsed (DESIGN §7,
 *   types.ts), so the abstract line differs by whitespace only;
 * - `blankAfterFrontMatter`: the oldest seed (June 2020) has one more blank line between the
 *   front matter and the first paper than the later seeds (and the byte-for-byte 2021-06-09).
 */
const KNOWN_EXTRA: Readonly<
  Record<string, { abstractWhitespace?: readonly number[]; blankAfterFrontMatter?: true }>
> = {
  '2020-06-29---Hot-Papers.md': { blankAfterFrontMatter: true },
  '2021-03-16---Hot-Papers.md': { abstractWhitespace: [7, 18] },
};

const COUNTS_LINE = /^(- retweets: \d+, favorites: \d+ )\(\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}\)$/;

/** Normalise exactly the three documented differences: front-matter date, timestamps, title whitespace. */
function normalise(markdown: string): string[] {
  const lines = markdown.split('\n');
  let frontMatterEnd = -1;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '---') {
      frontMatterEnd = i;
      break;
    }
  }
  return lines.map((line, i) => {
    if (i < frontMatterEnd && line.startsWith('date: ')) return 'date: <DATE>';
    const counts = COUNTS_LINE.exec(line);
    if (counts) return `${counts[1]}(<TIMESTAMP>)`;
    const heading = /^(# \d+\. )(.*)$/.exec(line);
    if (heading && i > frontMatterEnd) return `${heading[1]}${heading[2]!.replace(/\s+/g, ' ').trim()}`;
    return line;
  });
}

function replay(markdown: string): { out: string; digest: DayDigest } {
  const seed = parseSeedPost(markdown);
  const day = seedToDay(seed);
  const matched = matchPosts(day.posts, new Set(day.papers.map((p) => p.id)));
  const weights = { x: 1, bluesky: 1, hn: 1, hf: 1 };
  const papers = rankDay({ papers: day.papers, posts: matched, weights, thresholds: DEFAULT_THRESHOLDS });
  const digest: DayDigest = {
    day: seed.day,
    categories: ['cs', 'stat.ML'],
    observedAt: seed.observedAt,
    weights,
    thresholds: DEFAULT_THRESHOLDS,
    listed: day.papers.length,
    postsFound: matched.length,
    papers,
    health: [{ source: 'x', status: 'ok', posts: matched.length, requests: 0 }],
  };
  return { out: renderLumen(digest, (post) => day.embedHtml.get(post.id)), digest };
}

/** Line indexes (0-based) where the normalised texts differ; lengths must agree. */
function differingLines(ours: string[], theirs: string[]): number[] {
  assert.equal(ours.length, theirs.length, 'line counts differ');
  const out: number[] = [];
  for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) out.push(i);
  return out;
}

describe('golden: the six seed posts', () => {
  it('has all six seeds to compare with', () => {
    assert.equal(SEEDS.length, 6);
  });

  for (const file of SEEDS) {
    it(`reproduces ${file}`, () => {
      const markdown = readFileSync(join(SEED_DIR, file), 'utf8');
      const { out, digest } = replay(markdown);
      const seed = parseSeedPost(markdown);
      assert.equal(postFileName(digest.day), file);
      assert.equal(digest.papers.length, seed.papers.length);

      const known = KNOWN_EXTRA[file] ?? {};
      const ours = normalise(out);
      const theirs = normalise(markdown);
      if (known.blankAfterFrontMatter) {
        const end = theirs.indexOf('---', 1);
        assert.deepEqual(theirs.slice(end, end + 4), ['---', '', '', `# 1. ${seed.papers[0]!.title}`]);
        assert.deepEqual(ours.slice(end, end + 3), ['---', '', `# 1. ${seed.papers[0]!.title}`]);
        theirs.splice(end + 1, 1);
      }
      const diffs = differingLines(ours, theirs);
      const allowed = new Set<number>();
      for (const rank of known.abstractWhitespace ?? []) {
        // The abstract is the 10th line of a block (heading = 1st); find the heading in the seed.
        const heading = theirs.findIndex((l) => l.startsWith(`# ${rank}. `));
        assert.ok(heading > 0, `rank ${rank} heading`);
        const abstractLine = heading + 9;
        allowed.add(abstractLine);
        assert.notEqual(theirs[abstractLine], ours[abstractLine], `known difference at rank ${rank} is gone`);
        assert.equal(
          theirs[abstractLine]!.replace(/\s+/g, ' '),
          ours[abstractLine],
          `rank ${rank} differs by more than whitespace`,
        );
      }
      const unexpected = diffs.filter((i) => !allowed.has(i));
      assert.deepEqual(
        unexpected.map((i) => ({ line: i + 1, ours: ours[i], seed: theirs[i] })),
        [],
        'differences beyond the documented ones',
      );
    });
  }

  it('prints a valid ISO date and the UTC count timestamp where the seed did not', () => {
    const markdown = readFileSync(join(SEED_DIR, '2021-06-09---Hot-Papers.md'), 'utf8');
    const { out } = replay(markdown);
    assert.match(markdown, /^date: 2021-06-10T18:07:48\.Z$/m);
    assert.match(out, /^date: 2021-06-10T18:07:48\.000Z$/m);
    const stamps = [...out.matchAll(/^- retweets: \d+, favorites: \d+ \((.*)\)$/gm)].map((m) => m[1]);
    assert.equal(stamps.length, 24);
    assert.ok(stamps.every((s) => s === '06/10/2021 18:07:48'));
  });

  it('keeps the seed byte for byte where it has no documented difference (2021-08-26 first block)', () => {
    const markdown = readFileSync(join(SEED_DIR, '2021-08-26---Hot-Papers.md'), 'utf8');
    const { out } = replay(markdown);
    const start = markdown.indexOf('\n# 1. ');
    const end = markdown.indexOf('\n# 2. ');
    assert.equal(out.slice(out.indexOf('\n# 1. '), out.indexOf('\n# 2. ')), markdown.slice(start, end));
    assert.ok(out.endsWith('</script>\n\n\n\n'));
  });

  it('catches any other difference: the normalisation hides nothing else', () => {
    const markdown = readFileSync(join(SEED_DIR, '2021-08-26---Hot-Papers.md'), 'utf8');
    const { out } = replay(markdown);
    const mutations = [
      out.replace('- retweets: 1406, favorites: 134', '- retweets: 1405, favorites: 135'),
      out.replace('# 2. YOLOP:', '# 2. YOLOP;'),
      out.replace('socialImage', 'socialimage'),
      out.replace('</script>\n\n\n\n', '</script>\n\n\n'),
      out.replace('Golnaz Ghiasi, Barret Zoph', 'Golnaz Ghiasi,  Barret Zoph'),
    ];
    for (const mutated of mutations) {
      assert.notEqual(mutated, out);
      const m = normalise(mutated);
      const s = normalise(markdown);
      assert.ok(m.length !== s.length || differingLines(m, s).length > 0);
    }
  });
});
