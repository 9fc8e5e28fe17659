/**
 * The seed system's posts as data: a parser for its lumen Markdown, and a replay that turns
 * one post back into the papers and X-like posts that, ranked and rendered, give it again.
 */
import { ParseError } from '../errors.js';
import { parseArxivId } from '../match/ids.js';
import type { ListingMethod, Paper, Post } from '../types.js';
import { collapseWhitespace } from '../util/text.js';

/** The front matter of a seed post, values unquoted. */
export interface SeedFrontMatter {
  title: string;
  /** As printed, e.g. `2021-06-10T18:07:48.Z` (not a valid instant: see `SeedPost.observedAt`). */
  date: string;
  template: string;
  draft: boolean;
  slug: string;
  category: string;
  tags: string[];
  description: string;
  socialImage: string;
}

/** One embedded tweet of a seed paper. */
export interface SeedEmbed {
  /** The oEmbed html as printed: the blockquote line, a newline, the script line. */
  html: string;
  tweetId: string;
  /** Screen name from the status link (`omarsar0`). */
  username: string;
  /** Display name from the `&mdash; NAME (@user)` credit, entities decoded. */
  authorName: string;
  /** The tweet's text: the blockquote's paragraph with tags removed and entities decoded. */
  text: string;
}

/** One paper block of a seed post, fields as printed. */
export interface SeedPaper {
  rank: number;
  /** As printed (whitespace runs not always collapsed). */
  title: string;
  authors: string[];
  retweets: number;
  favorites: number;
  /** `MM/DD/YYYY HH:MM:SS` as printed. */
  timestamp: string;
  id: string;
  categories: string[];
  /** As printed (whitespace runs not always collapsed). */
  abstract: string;
  embeds: SeedEmbed[];
}

/** A parsed seed post. */
export interface SeedPost {
  frontMatter: SeedFrontMatter;
  /** Mailing day YYYY-MM-DD (from the title). */
  day: string;
  /** The front-matter date as a valid ISO instant with milliseconds. */
  observedAt: string;
  papers: SeedPaper[];
}

/** Where a replayed post's embed comes from: what an oEmbed stand-in must serve. */
export interface SeedEmbedRef {
  paperId: string;
  tweetId: string;
  username: string;
  /** `https://twitter.com/USER/status/ID`, the URL oEmbed is asked for. */
  url: string;
  html: string;
}

/** Plain data that replays a seed post through match → rank → render. */
export interface SeedDay {
  day: string;
  observedAt: string;
  papers: Paper[];
  posts: Post[];
  embeds: SeedEmbedRef[];
  /** Tweet id → embed html as printed in the seed. */
  embedHtml: Map<string, string>;
}

/** Options of `seedToDay`. */
export interface SeedDayOptions {
  /** `Paper.published` for every paper (default: the day at 00:00Z, a placeholder). */
  published?: string;
  method?: ListingMethod;
  /** The post threshold the split must respect (default 25, the seed's). */
  minPostScore?: number;
}

const fail = (message: string): never => {
  throw new ParseError('seed', message);
};

/** Parse a seed post (lumen Markdown of the 2020–21 system). Throws ParseError('seed', …). */
export function parseSeedPost(markdown: string): SeedPost {
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(markdown) ?? fail('no front matter');
  const frontMatter = parseFrontMatter(fm[1]!);
  const day =
    /^Hot Papers (\d{4}-\d{2}-\d{2})$/.exec(frontMatter.title)?.[1] ?? fail('title is not "Hot Papers D"');
  const observedAt = seedInstant(frontMatter.date);
  const body = markdown.slice(fm[0].length);
  const blocks = body.split(/\n(?=# \d+\. )/);
  if (blocks[0]!.trim() !== '') fail('text before the first paper');
  const papers = blocks.slice(1).map(parsePaper);
  papers.forEach((p, i) => {
    if (p.rank !== i + 1) fail(`paper ${p.id} has rank ${p.rank}, expected ${i + 1}`);
  });
  return { frontMatter, day, observedAt, papers };
}

/** `2021-06-10T18:07:48.Z` (the seed's broken fraction) → `2021-06-10T18:07:48.000Z`. */
export function seedInstant(date: string): string {
  const fixed = date.replace(/\.Z$/, 'Z');
  const t = Date.parse(fixed);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(fixed) || Number.isNaN(t)) fail(`bad date "${date}"`);
  return new Date(t).toISOString();
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function parseFrontMatter(text: string): SeedFrontMatter {
  const fields = new Map<string, string>();
  const tags: string[] = [];
  let inTags = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const item = /^\s+- (.*)$/.exec(line);
    if (item) {
      if (!inTags) fail(`list item outside tags: ${line}`);
      tags.push(unquote(item[1]!));
      continue;
    }
    const kv = /^([A-Za-z]+):\s?(.*)$/.exec(line) ?? fail(`bad front-matter line: ${line}`);
    inTags = kv[1] === 'tags';
    fields.set(kv[1]!, unquote(kv[2]!));
  }
  const get = (k: string): string => fields.get(k) ?? fail(`front matter lacks ${k}`);
  return {
    title: get('title'),
    date: get('date'),
    template: get('template'),
    draft: get('draft') === 'true',
    slug: get('slug'),
    category: get('category'),
    tags,
    description: get('description'),
    socialImage: get('socialImage'),
  };
}

const COUNTS = /^- retweets: (\d+), favorites: (\d+) \((\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2})\)$/;
const LINKS =
  /^- links: \[abs\]\(https:\/\/arxiv\.org\/abs\/(\S+)\) \| \[pdf\]\(https:\/\/arxiv\.org\/pdf\/(\S+)\)$/;
const CATEGORY = /^\[([^\]]+)\]\(https:\/\/arxiv\.org\/list\/([^/]+)\/recent\)$/;
const EMBED = /<blockquote[^>]*>[\s\S]*?<\/blockquote>\n<script [^>]*><\/script>/g;

function parsePaper(block: string): SeedPaper {
  const lines = block.split('\n');
  const head = /^# (\d+)\. (.*)$/.exec(lines[0]!) ?? fail(`bad heading: ${lines[0]}`);
  const rank = Number(head[1]);
  const where = `paper ${rank}`;
  const expectBlank = (i: number) => {
    if (lines[i] !== '') fail(`${where}: line ${i + 1} of its block should be blank`);
  };
  expectBlank(1);
  const authors = (lines[2] ?? '').split(', ');
  expectBlank(3);
  const counts = COUNTS.exec(lines[4] ?? '') ?? fail(`${where}: bad counts line`);
  expectBlank(5);
  const links = LINKS.exec(lines[6] ?? '') ?? fail(`${where}: bad links line`);
  if (links[1] !== links[2]) fail(`${where}: abs and pdf ids differ`);
  const id = links[1]!;
  if (parseArxivId(id)?.id !== id) fail(`${where}: "${id}" is not an un-versioned arXiv id`);
  const categories = (lines[7] ?? '')
    .replace(/^- /, '')
    .split(' | ')
    .map((c) => {
      const m = CATEGORY.exec(c) ?? fail(`${where}: bad category ${c}`);
      if (m[1] !== m[2]) fail(`${where}: category label and link differ`);
      return m[1]!;
    });
  expectBlank(8);
  const abstract = lines[9] ?? fail(`${where}: no abstract`);
  const rest = lines.slice(10).join('\n');
  const embeds = [...rest.matchAll(EMBED)].map((m) => parseEmbed(m[0], where));
  if (rest.replace(EMBED, '').trim() !== '') fail(`${where}: unexpected text after the abstract`);
  return {
    rank,
    title: head[2]!,
    authors,
    retweets: Number(counts[1]),
    favorites: Number(counts[2]),
    timestamp: counts[3]!,
    id,
    categories,
    abstract,
    embeds,
  };
}

const CREDIT =
  /&mdash; (.*) \(@(\w+)\) <a href="https:\/\/twitter\.com\/(\w+)\/status\/(\d+)[^"]*">[^<]*<\/a><\/blockquote>/;

function parseEmbed(html: string, where: string): SeedEmbed {
  const credit = CREDIT.exec(html) ?? fail(`${where}: embed without a status link`);
  const paragraph = /<p[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
  return {
    html,
    tweetId: credit[4]!,
    username: credit[3]!,
    authorName: decodeEntities(credit[1]!),
    text: decodeEntities(paragraph.replace(/<br\s*\/?>/g, '\n').replace(/<[^>]+>/g, '')),
  };
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  mdash: '—',
  nbsp: ' ',
};

/** Decode the few HTML entities oEmbed html uses. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/** One post's counts in a replay. */
export interface SplitCounts {
  reposts: number;
  likes: number;
}

/**
 * Split a paper's printed totals R (reposts) and F (likes) over its posts, deterministically.
 * Scores (reposts+likes):
 * - the `embeds` shown posts get a ladder built from the bottom: the last gets minPost, each
 *   one above gets one more than the one below it — strictly decreasing, so the seed's order
 *   is the only order the ranking can produce. A `pinned` post (a tweet embedded under several
 *   papers, whose counts are fixed once for all of them) keeps its score, and the posts above
 *   it climb from there;
 * - what the ladder leaves goes first to one extra, never-shown post (at most minPost−1), the
 *   rest tops up the first shown post (it stays the strict maximum). When there are no embeds,
 *   or the first shown post is pinned, the leftover is cut into never-shown posts of minPost−1
 *   and a remainder.
 * Reposts/likes: pinned posts keep theirs; the others share the remaining R′ in proportion
 * R′ : F′ (floors, the units left going to the largest fractional parts, earlier posts first
 * on ties), so Σreposts = R and Σlikes = F exactly.
 * Returns the shown posts first (in order), then the extras. Throws ParseError('seed', …) when
 * the totals cannot pay for the ladder (the seed would contradict its own thresholds).
 */
export function splitCounts(
  reposts: number,
  likes: number,
  embeds: number,
  minPostScore = 25,
  pinned: ReadonlyMap<number, SplitCounts> = new Map(),
): SplitCounts[] {
  const total = reposts + likes;
  const cap = minPostScore - 1;
  const scores: number[] = new Array(embeds).fill(0);
  for (let i = embeds - 1; i >= 0; i--) {
    const need = i === embeds - 1 ? minPostScore : scores[i + 1]! + 1;
    const pin = pinned.get(i);
    if (pin && pin.reposts + pin.likes < need) fail(`a shared post's score cannot keep position ${i + 1}`);
    scores[i] = pin ? pin.reposts + pin.likes : need;
  }
  let left = total - scores.reduce((a, b) => a + b, 0);
  if (left < 0) fail(`totals ${reposts}+${likes} cannot give ${embeds} posts of score ≥ ${minPostScore}`);
  if (embeds > 0 && !pinned.has(0) && left > 0) {
    const extra = Math.min(cap, left);
    scores[0]! += left - extra;
    left = extra;
  }
  if (cap <= 0 && left > 0) fail('no room for unshown posts when the post threshold is ≤ 1');
  while (left > 0) {
    const s = Math.min(cap, left);
    scores.push(s);
    left -= s;
  }

  let freeReposts = reposts;
  let freeTotal = total;
  for (const pin of pinned.values()) {
    freeReposts -= pin.reposts;
    freeTotal -= pin.reposts + pin.likes;
  }
  if (freeReposts < 0 || freeTotal - freeReposts < 0) fail('shared posts take more than the paper has');
  const freeIdx = scores.map((_, i) => i).filter((i) => !pinned.has(i));
  const freeSplit = splitProportionally(
    freeIdx.map((i) => scores[i]!),
    freeReposts,
    freeTotal,
  );
  const out: SplitCounts[] = scores.map((_, i) => pinned.get(i) ?? { reposts: 0, likes: 0 });
  freeIdx.forEach((i, j) => {
    out[i] = freeSplit[j]!;
  });
  return out;
}

function splitProportionally(scores: readonly number[], reposts: number, total: number): SplitCounts[] {
  if (total === 0) return scores.map(() => ({ reposts: 0, likes: 0 }));
  const floors = scores.map((s) => Math.floor((s * reposts) / total));
  let units = reposts - floors.reduce((a, b) => a + b, 0);
  const order = scores
    .map((s, i) => ({ i, frac: (s * reposts) % total }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (units === 0) break;
    if (floors[i]! < scores[i]!) {
      floors[i]!++;
      units--;
    }
  }
  return scores.map((s, i) => ({ reposts: floors[i]!, likes: s - floors[i]! }));
}

/**
 * Counts of tweets the seed embeds under several papers (a tweet linking two papers). Such a
 * post is one Post linking all of them, so its counts must fit every paper: its score is the
 * largest ladder value it needs at its positions, its reposts R·s/T over those papers, clamped
 * so that no paper's R or F is exceeded.
 */
function sharedCounts(seed: SeedPost, minPostScore: number): Map<string, SplitCounts> {
  const where = new Map<string, Array<{ paper: SeedPaper; position: number }>>();
  for (const paper of seed.papers) {
    paper.embeds.forEach((e, position) => {
      const list = where.get(e.tweetId) ?? [];
      list.push({ paper, position });
      where.set(e.tweetId, list);
    });
  }
  const out = new Map<string, SplitCounts>();
  for (const [tweetId, list] of where) {
    if (list.length < 2) continue;
    const score = Math.max(
      ...list.map(({ paper, position }) => minPostScore + paper.embeds.length - 1 - position),
    );
    const sumR = list.reduce((a, { paper }) => a + paper.retweets, 0);
    const sumT = list.reduce((a, { paper }) => a + paper.retweets + paper.favorites, 0);
    const minR = Math.min(...list.map(({ paper }) => paper.retweets));
    const minF = Math.min(...list.map(({ paper }) => paper.favorites));
    const lo = Math.max(0, score - minF);
    const hi = Math.min(score, minR);
    if (lo > hi) fail(`tweet ${tweetId} is embedded under papers whose counts cannot share it`);
    const reposts = Math.min(hi, Math.max(lo, sumT === 0 ? 0 : Math.round((score * sumR) / sumT)));
    out.set(tweetId, { reposts, likes: score - reposts });
  }
  return out;
}

/**
 * Turn a parsed seed post into the data that replays it: one Paper per block (title and
 * abstract collapsed as our arXiv parsers give them; `published` a placeholder the caller may
 * override) and X posts linking `https://arxiv.org/abs/ID` whose counts come from
 * `splitCounts`. A tweet embedded under several papers is one post linking each of them.
 */
export function seedToDay(seed: SeedPost, options: SeedDayOptions = {}): SeedDay {
  const minPostScore = options.minPostScore ?? 25;
  const published = options.published ?? `${seed.day}T00:00:00.000Z`;
  const shared = sharedCounts(seed, minPostScore);
  const papers: Paper[] = [];
  const posts: Post[] = [];
  const byTweet = new Map<string, Post>();
  const embeds: SeedEmbedRef[] = [];
  const embedHtml = new Map<string, string>();
  for (const sp of seed.papers) {
    papers.push({
      id: sp.id,
      version: 1,
      title: collapseWhitespace(sp.title),
      abstract: collapseWhitespace(sp.abstract),
      authors: sp.authors,
      categories: sp.categories,
      primaryCategory: sp.categories[0] ?? '',
      published,
      pdfUrl: `https://arxiv.org/pdf/${sp.id}`,
      announceType: 'new',
      method: options.method ?? 'catchup',
    });
    const link = `https://arxiv.org/abs/${sp.id}`;
    const pinned = new Map<number, SplitCounts>();
    sp.embeds.forEach((e, i) => {
      const counts = shared.get(e.tweetId);
      if (counts) pinned.set(i, counts);
    });
    const split = splitCounts(sp.retweets, sp.favorites, sp.embeds.length, minPostScore, pinned);
    split.forEach((counts, i) => {
      const metrics = { reposts: counts.reposts, likes: counts.likes, replies: 0, quotes: 0 };
      const embed = sp.embeds[i];
      if (!embed) {
        const id = `seed-${sp.id}-${i - sp.embeds.length + 1}`;
        posts.push({
          source: 'x',
          id,
          url: `https://twitter.com/i/web/status/${id}`,
          text: '',
          links: [link],
          metrics,
        });
        return;
      }
      const url = `https://twitter.com/${embed.username}/status/${embed.tweetId}`;
      embeds.push({
        paperId: sp.id,
        tweetId: embed.tweetId,
        username: embed.username,
        url,
        html: embed.html,
      });
      const known = byTweet.get(embed.tweetId);
      if (known) {
        known.links.push(link);
        return;
      }
      const post: Post = {
        source: 'x',
        id: embed.tweetId,
        authorHandle: embed.username,
        authorName: embed.authorName,
        url,
        text: embed.text,
        links: [link],
        metrics,
      };
      byTweet.set(embed.tweetId, post);
      posts.push(post);
      embedHtml.set(embed.tweetId, embed.html);
    });
  }
  return { day: seed.day, observedAt: seed.observedAt, papers, posts, embeds, embedHtml };
}
