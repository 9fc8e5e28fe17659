/**
 * The lumen Markdown post (DESIGN §7), byte-compatible with the seed system's posts.
 *
 * Text from arXiv (titles, authors, abstracts) is printed as the seed printed it, with two
 * guards that leave every seed byte unchanged: whitespace runs (newlines included) collapse to
 * one space, so a field can never start a new Markdown block or end the front matter; and `<`
 * becomes `&lt;`, so the text can never open an HTML tag in a renderer that passes raw HTML
 * (none of the seed's titles, authors or abstracts contains `<`), which also makes autolinks
 * (`<http://…>`) inert. Links are escaped minimally: `](` becomes `]\(`, so no inline link or
 * image can form, and a field that starts a paragraph (authors, abstract) gets its leading `[`
 * escaped, so it cannot define a link reference. Other Markdown punctuation and `$…$` stay
 * raw: the seed has TeX in titles and the site renders it. The site escapes the same fields
 * itself when it builds HTML from the structured data.
 */
import { trimEmbed } from '../embeds/oembed.js';
import type { DayDigest, RankedPaper, ScoredPost } from '../types.js';
import { collapseWhitespace } from '../util/text.js';

/** `D---Hot-Papers.md`, the seed's file name for mailing day D (YYYY-MM-DD). */
export function postFileName(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`render: day must be YYYY-MM-DD, got "${day}"`);
  return `${day}---Hot-Papers.md`;
}

/** A field made single-line, tag-free and link-free (see the module comment). */
export function safeText(text: string): string {
  let safe = collapseWhitespace(text);
  // Most fields hold neither: no regex pass over them.
  if (safe.includes('<')) safe = safe.replace(/</g, '&lt;');
  if (safe.includes('](')) safe = safe.replace(/\](?=\()/g, ']\\');
  return safe;
}

/** safeText for a field that starts a paragraph: it cannot begin a link reference definition either. */
export function safeParagraph(text: string): string {
  const safe = safeText(text);
  return safe.startsWith('[') ? `\\${safe}` : safe;
}

function instant(observedAt: string): Date {
  const date = new Date(observedAt);
  if (Number.isNaN(date.getTime()))
    throw new RangeError(`render: observedAt is not a valid instant: "${observedAt}"`);
  return date;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The seed's count timestamp, `MM/DD/YYYY HH:MM:SS`, in UTC. */
export function countTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/**
 * The lumen front matter, ending with the line `---` and its newline. A fixed-horizon post
 * says its horizon in the description; every other field keeps the seed's form.
 */
export function frontMatter(day: string, observedAt: string, horizon?: string): string {
  return [
    '---',
    `title: Hot Papers ${day}`,
    `date: ${instant(observedAt).toISOString()}`,
    'template: "post"',
    'draft: false',
    `slug: "hot-papers-${day}"`,
    'category: "arXiv"',
    'tags:',
    '  - "arXiv"',
    '  - "Twitter"',
    '  - "Machine Learning"',
    '  - "Computer Science"',
    horizon
      ? `description: "Hot papers ${day} (counts ${horizon} after the announcement)"`
      : `description: "Hot papers ${day}"`,
    'socialImage: "/media/flying-marine.jpg"',
    '',
    '---',
    '',
  ].join('\n');
}

/**
 * The votes line under the retweets line, or '' when neither Hacker News nor Hugging Face
 * contributed. Shape: `- hacker news: P points, C comments | hugging face: U upvotes\n`, each
 * part only when non-zero; words stay plural like the seed's `retweets: 1`. It follows the
 * retweets line directly (no blank line between), so an X-only block is unchanged.
 */
export function votesLine(paper: Pick<RankedPaper, 'hn' | 'hf'>): string {
  const groups: string[] = [];
  const hnParts: string[] = [];
  if (paper.hn.points > 0) hnParts.push(`${paper.hn.points} points`);
  if (paper.hn.comments > 0) hnParts.push(`${paper.hn.comments} comments`);
  if (hnParts.length > 0) groups.push(`hacker news: ${hnParts.join(', ')}`);
  if (paper.hf.upvotes > 0) groups.push(`hugging face: ${paper.hf.upvotes} upvotes`);
  return groups.length > 0 ? `- ${groups.join(' | ')}\n` : '';
}

/** One paper's block: heading, authors, counts, links, categories, abstract, embeds. */
export function paperBlock(
  paper: RankedPaper,
  timestamp: string,
  embedHtml: (post: ScoredPost) => string | undefined,
): string {
  const parts: string[] = [];
  pushPaperBlock(parts, paper, timestamp, embedHtml);
  return parts.join('');
}

/** paperBlock's text, as pieces pushed onto `parts` (one join for the whole post, no string trees). */
function pushPaperBlock(
  parts: string[],
  paper: RankedPaper,
  timestamp: string,
  embedHtml: (post: ScoredPost) => string | undefined,
): void {
  const p = paper.paper;
  const categories = p.categories.map((c) => `[${c}](https://arxiv.org/list/${c}/recent)`).join(' | ');
  parts.push(
    `\n# ${paper.rank}. ${safeText(p.title)}\n\n${safeParagraph(p.authors.map(safeText).join(', '))}\n\n`,
    `- retweets: ${paper.reposts}, favorites: ${paper.likes} (${timestamp})\n`,
    votesLine(paper),
    `\n- links: [abs](https://arxiv.org/abs/${p.id}) | [pdf](https://arxiv.org/pdf/${p.id})\n`,
    `- ${categories}\n\n`,
    safeParagraph(p.abstract),
    '\n\n',
  );
  for (const post of paper.shown) {
    // One HTML block: a blank line inside (a cached embed of an older run) would end it.
    const raw = embedHtml(post);
    const html = raw === undefined ? undefined : trimEmbed(raw);
    if (html) parts.push(html, '\n\n');
  }
  parts.push('\n\n');
}

/** The whole post for a day: front matter, then one block per ranked paper in order. */
export function renderLumen(digest: DayDigest, embedHtml: (post: ScoredPost) => string | undefined): string {
  const observed = instant(digest.observedAt);
  const timestamp = countTimestamp(observed);
  const parts = [frontMatter(digest.day, digest.observedAt, digest.horizon)];
  for (const paper of digest.papers) pushPaperBlock(parts, paper, timestamp, embedHtml);
  return parts.join('');
}
