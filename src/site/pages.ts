/** The day page (a day's ranking) and the paper page (every post, history, score breakdown). */
import { categoryName } from '../arxiv/category-names.js';
import { publicFailure } from '../http/errors.js';
import {
  type PaperEnrichment,
  type RankedPaper,
  type ScoredPost,
  SOURCE_IDS,
  type SourceId,
} from '../types.js';
import { redact } from '../util/redact.js';
import { clipText, compactPost, formatInstant, renderPost, SOURCE_NAMES } from './cards.js';
import { engagementChart } from './chart.js';
import { escapeHtml, safeHttpUrl } from './escape.js';
import {
  type Appearance,
  categoriesHtml,
  horizonBadge,
  linksOutHtml,
  longDay,
  num,
  type PageContext,
  plural,
  scoreBar,
  scoreWhyHtml,
  statsHtml,
  tldrOf,
} from './fragments.js';
import { renderMath } from './math.js';
import { type ListAppearance, type PaperExtras, paths, postKey, relativeUrl, type SiteDay } from './model.js';
import { growthLast24h } from './windows.js';

/** Neighbouring days of a day page (site paths and dates). */
export interface DayNav {
  newer?: { day: string };
  older?: { day: string };
}

/** Characters of abstract (after its first sentence) a day page shows before linking the rest. */
const DAY_ABSTRACT_CHARS = 460;
/** Papers of a day page above the fold at 1280 × 900: their thumbnails load at once, the others lazily. */
const ABOVE_FOLD = 4;

/** `text` cut at the last sentence end within `max` characters (at a word when none). */
function cutAtSentence(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
  // Math stays whole: never cut between two $ signs.
  const cutAt = end > max / 2 ? end + 1 : clipText(text, max).length;
  const piece = text.slice(0, cutAt);
  return (piece.match(/\$/g)?.length ?? 0) % 2 === 0 ? piece : text;
}

/** The body of a day page. */
export function dayBody(day: SiteDay, nav: DayNav, ctx: PageContext): string {
  const d = day.digest;
  const from = paths.day(day.day);
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const observed = formatInstant(d.observedAt);
  const age = typeof d.ageHours === 'number' ? ` (${num(d.ageHours)} h after the announcement)` : '';
  // The same two pagers a day whose neighbours alone change has replaced in its page.
  const [topPager, bottomPager] = dayPagers(day.day, nav);
  const out: string[] = [
    `<h1>Hot papers of ${escapeHtml(longDay(day.day))}${horizonBadge(day.horizon)}</h1>`,
    `<p class="lead">${plural(d.papers.length, 'paper')} ranked of ${num(d.listed)} listed in ${escapeHtml(d.categories.join(', '))}, from ${plural(d.postsFound, 'post')}. Counts observed ${escapeHtml(observed)}${escapeHtml(age)}. <a href="#how">How ranked</a>.</p>`,
    `<div class="dayhead">${healthHtml(d.health)}${topPager}</div>`,
  ];
  if (d.papers.length === 0) out.push('<p>No paper reached the threshold this day.</p>');
  else {
    const max = d.papers[0]!.score;
    out.push('<ol class="papers">');
    // Every byte here is paid 60 times (budget: 100 KB for a 60-paper day): terse markup.
    for (const r of d.papers) {
      const paperUrl = to(paths.paper(r.paper.id));
      const e = ctx.enrichments?.get(r.paper.id);
      const thumb = ctx.thumbs?.get(r.paper.id);
      const tldr = tldrOf(r.paper, e);
      const top = r.shown[0] ?? r.posts[0];
      // The TL;DR is the abstract's summary line: its first sentence (then the rest), or HF's summary.
      // Long abstracts are cut at a sentence (the paper page has them whole): a 60-paper day
      // page must stay under 100 KB, and abstracts are two thirds of it.
      const whole = tldr.fromHf ? r.paper.abstract : r.paper.abstract.slice(tldr.text.length).trim();
      const rest = cutAtSentence(whole, DAY_ABSTRACT_CHARS);
      const cut = rest.length < whole.length;
      out.push(
        '<li class="paper">',
        // The title beside it names the paper, so the image is decorative (empty alt); those
        // below the fold (four papers fit above it) load when scrolled to. No class: 60 times a page.
        thumb
          ? `<img src="${to(thumb.path)}" width="${thumb.width}" height="${thumb.height}" alt=""${r.rank > ABOVE_FOLD ? ' loading="lazy"' : ''}>`
          : '',
        `<h2><span class="n">${r.rank}.</span> <a href="${paperUrl}">${renderMath(r.paper.title)}</a></h2>`,
        `<p class="stats"><b>${num(r.score)}</b>${scoreBar(r.score, max)}${scoreWhyHtml(r, d.weights, `${relativeUrl(from, paths.paper(r.paper.id))}#breakdown`)}</p>`,
        rest
          ? `<details><summary>${tldr.fromHf ? '<span class="vh">TL;DR: </span>' : ''}${renderMath(tldr.text)}</summary>${tldr.fromHf ? '<b>Abstract.</b> ' : ''}${renderMath(rest)}${cut ? ` &hellip; <a href="${paperUrl}">full abstract</a>` : ''}</details>`
          : `<p class="tldr">${renderMath(tldr.text)}</p>`,
        top
          ? ctx.liveEmbeds && ctx.embeds.get(postKey(top))?.html
            ? renderPost(top, ctx.embeds.get(postKey(top)), { liveEmbeds: true })
            : compactPost(top, ctx.embeds.get(postKey(top)), 90)
          : '',
        dayLinksHtml(r, e, from),
        '</li>',
      );
    }
    out.push('</ol>');
  }
  out.push(howRanked(day), bottomPager);
  return out.join('');
}

/** The day page's links out: arXiv, PDF, the code (with its stars) and the HN thread. */
function dayLinksHtml(r: RankedPaper, e: PaperEnrichment | undefined, from: string): string {
  const id = encodeURI(r.paper.id);
  const links = [
    `<a href="https://arxiv.org/abs/${id}">arXiv</a>`,
    `<a href="https://arxiv.org/pdf/${id}">PDF</a>`,
  ];
  const repo = e?.githubRepo ? safeHttpUrl(e.githubRepo) : undefined;
  if (repo)
    links.push(
      `<a href="${escapeHtml(repo)}">code${typeof e?.githubStars === 'number' ? ` &#9733;${num(e.githubStars)}` : ''}</a>`,
    );
  let hn: ScoredPost | undefined;
  for (const p of r.posts) if (p.source === 'hn' && (!hn || p.metrics.likes > hn.metrics.likes)) hn = p;
  const hnUrl = hn ? safeHttpUrl(hn.url) : undefined;
  if (hn && hnUrl)
    links.push(`<a href="${escapeHtml(hnUrl)}">HN (${plural(hn.metrics.replies, 'comment')})</a>`);
  const cat = r.paper.primaryCategory || r.paper.categories[0];
  if (cat) {
    const name = categoryName(cat);
    links.push(
      `<a href="${escapeHtml(relativeUrl(from, paths.category(cat)))}"${name ? ` title="${escapeHtml(name)}"` : ''}>${escapeHtml(cat)}</a>`,
    );
  }
  const authors = r.paper.authors;
  const who = authors.length <= 2 ? authors.join(', ') : `${authors.slice(0, 2).join(', ')} et al.`;
  return `<p class="links">${who ? `<span class="au">${escapeHtml(who)}</span> · ` : ''}${links.join(' · ')}</p>`;
}

/**
 * The two pagers of day `day`'s page with neighbours `nav`, as dayBody places them (the top one
 * first): a day whose neighbours alone changed has its previous page with these replaced.
 */
export function dayPagers(day: string, nav: DayNav): [string, string] {
  const from = paths.day(day);
  return [dayPager(nav, from, 'Other days'), dayPager(nav, from, 'More days')];
}

function dayPager(nav: DayNav, from: string, label: string): string {
  if (!nav.newer && !nav.older) return '';
  // Entities keep pages ASCII: one-byte strings build and encode faster.
  const link = (day: { day: string } | undefined, rel: string, before: string, after: string) =>
    day
      ? `<li><a rel="${rel}" href="${escapeHtml(relativeUrl(from, paths.day(day.day)))}">${before}${escapeHtml(day.day)}${after}</a></li>`
      : '<li></li>';
  return `<nav aria-label="${label}"><ul class="pager">${link(nav.older, 'prev', '&larr; ', '')}${link(nav.newer, 'next', '', ' &rarr;')}</ul></nav>`;
}

function healthHtml(health: SiteDay['digest']['health']): string {
  if (health.length === 0) return '';
  const items = health.map((h) => {
    const name = SOURCE_NAMES[h.source] ?? h.source;
    // A failure shows its status and host only ("HTTP 500 from api.x.com"), never what a service sent.
    const text =
      h.status === 'ok'
        ? `${name}: ${num(h.posts)} posts`
        : h.status === 'failed'
          ? `${name}: failed (${publicFailure(h.detail)})`
          : `${name}: ${h.status}${h.detail ? ` (${redact(h.detail)})` : ''}`;
    return `<li${h.status === 'failed' || h.status === 'suspicious' ? ' class="warn"' : ''}>${escapeHtml(text)}</li>`;
  });
  return `<ul class="health" aria-label="Sources this day">${items.join('')}</ul>`;
}

function howRanked(day: SiteDay): string {
  const d = day.digest;
  const weights = SOURCE_IDS.map((s) => `${SOURCE_NAMES[s]} ${num(d.weights?.[s] ?? 1)}`).join(', ');
  const t = d.thresholds;
  return `<p class="note" id="how">How ranked: a post scores its reposts + likes (Hacker News points, Hugging Face upvotes); a paper scores the sum of its posts' scores times the source weight (${escapeHtml(weights)}). Papers scoring at least ${num(t?.minPaperScore ?? 0)} with a PDF are listed; posts scoring at least ${num(t?.minPostScore ?? 0)} are shown.</p>`;
}

/**
 * The body of a paper page, from its appearances (newest first: the latest in full, the others
 * as list entries) and what the store adds.
 */
export function paperBody(
  appearances: readonly [Appearance, ...ListAppearance[]],
  extras: PaperExtras | undefined,
  ctx: PageContext,
): string {
  const latest = appearances[0]!;
  const r = latest.ranked;
  const p = r.paper;
  const from = paths.paper(p.id);
  const to = (target: string) => escapeHtml(relativeUrl(from, target));
  const e = ctx.enrichments?.get(p.id);
  const thumb = ctx.thumbs?.get(p.id);
  const search = to(paths.search());
  const authorLinks = p.authors
    .map((a) => `<a href="${search}?q=${escapeHtml(encodeURIComponent(a))}">${escapeHtml(a)}</a>`)
    .join(', ');
  const out: string[] = [
    `<article><h1>${renderMath(p.title)}</h1>`,
    thumb
      ? `<img class="thumb" src="${to(thumb.path)}" width="${thumb.width}" height="${thumb.height}" alt="Thumbnail of the paper (from Hugging Face)">`
      : '',
    `<p class="authors">${authorLinks}</p>`,
    linksOutHtml(p, e, [...r.posts, ...(extras?.posts ?? [])]),
    categoriesHtml(p.categories, from),
  ];
  const growth = extras ? growthLast24h(extras.history) : undefined;
  out.push(
    `<p class="stats"><b>${num(r.score)}</b> ${scoreWhyHtml(r, latest.day.digest.weights, '#breakdown')}${growth && growth.gain > 0 ? ` · <b>+${num(growth.gain)}</b> in the last 24 h` : ''}</p>`,
  );
  const notes = [p.comment, p.journalRef ? `Journal ref: ${p.journalRef}` : undefined].filter(
    Boolean,
  ) as string[];
  if (notes.length > 0) out.push(`<p class="muted">${notes.map(escapeHtml).join(' · ')}</p>`);
  if (e?.aiSummary)
    out.push(
      `<h2>TL;DR</h2><p class="tldr">${renderMath(e.aiSummary)} <span class="muted">(Hugging Face's AI summary)</span></p>`,
    );
  out.push('<h2>Abstract</h2>', `<p class="abstract">${renderMath(p.abstract)}</p>`);
  if (e?.aiKeywords && e.aiKeywords.length > 0)
    out.push(
      `<p class="muted">Keywords: ${e.aiKeywords
        .slice(0, 12)
        .map((k) => `<a href="${search}?q=${escapeHtml(encodeURIComponent(k))}">${escapeHtml(k)}</a>`)
        .join(', ')}</p>`,
    );

  out.push('<h2>Ranked</h2><ul>');
  for (const a of appearances) {
    out.push(
      `<li>#${a.ranked.rank} on <a href="${to(paths.day(a.day.day))}">${escapeHtml(longDay(a.day.day))}</a>${horizonBadge(a.day.horizon)} with score ${num(a.ranked.score)} (counts observed ${escapeHtml(formatInstant(a.day.digest.observedAt))})</li>`,
    );
  }
  out.push('</ul>');

  out.push('<h2 id="breakdown">Score breakdown</h2>', statsHtml(r), breakdownTable(latest));

  out.push('<h2>Engagement over time</h2>');
  const history = extras?.history ?? [];
  if (history.length >= 2) {
    out.push(engagementChart(history));
    if (growth)
      out.push(
        `<p class="note">+${num(growth.gain)} in the 24 h before the last snapshot (${escapeHtml(formatInstant(growth.at))}).</p>`,
      );
  } else
    out.push(
      `<p class="muted">${history.length === 1 ? `One snapshot so far: ${num(history[0]!.engagement)} reposts + likes, points and upvotes at ${escapeHtml(formatInstant(history[0]!.at))}. A chart needs two.` : 'No stored snapshots of these posts.'}</p>`,
    );

  const counted = new Set(r.posts.map(postKey));
  const later = (extras?.posts ?? []).filter((s) => !counted.has(postKey(s)));
  out.push(`<h2>Posts (${num(r.posts.length)})</h2>`);
  if (r.posts.length === 0) out.push('<p class="muted">No posts counted.</p>');
  else {
    const weightOf = (s: SourceId) => latest.day.digest.weights?.[s] ?? 1;
    const cards = r.posts.map((post) =>
      renderPost(post, ctx.embeds.get(postKey(post)), {
        liveEmbeds: ctx.liveEmbeds,
        noteHtml: contributionNote(post, weightOf(post.source)),
      }),
    );
    out.push(`<div class="posts">${cards.join('')}</div>`);
  }
  if (later.length > 0) {
    out.push(
      `<h3>More posts in the store (${num(later.length)})</h3>`,
      `<p class="muted">Found after the ranking of ${escapeHtml(latest.day.day)} or from sources it did not use; not counted in the score above.</p>`,
      `<div class="posts">${later.map((s) => renderPost(s, ctx.embeds.get(postKey(s)), { liveEmbeds: ctx.liveEmbeds })).join('')}</div>`,
    );
  }
  out.push('</article>');
  return out.join('');
}

function contributionNote(post: ScoredPost, weight: number): string {
  const parts = [`adds ${num(post.weighted)} to the score (${num(post.score)} × weight ${num(weight)})`];
  if (post.selfPromotion) parts.push('posted by an author of the paper');
  return escapeHtml(parts.join(' · '));
}

function breakdownTable(a: Appearance): string {
  const r = a.ranked;
  const weights = a.day.digest.weights ?? {};
  const sources = SOURCE_IDS.filter((s) => r.bySource[s]);
  if (sources.length === 0) return '';
  // Sources as columns, figures as rows: at most five narrow columns, so it fits 390 px whole.
  const row = (label: string, cell: (s: SourceId) => string, total = '') =>
    `<tr><th scope="row">${label}</th>${sources.map((s) => `<td>${cell(s)}</td>`).join('')}${sources.length > 1 ? `<td>${total}</td>` : ''}</tr>`;
  let sum = 0;
  for (const s of sources) sum += r.bySource[s]!.weighted;
  const t = a.day.digest.thresholds;
  return [
    '<div class="table-wrap"><table class="breakdown"><caption class="vh">Score by source</caption>',
    `<thead><tr><td></td>${sources.map((s) => `<th scope="col">${escapeHtml(SOURCE_NAMES[s])}</th>`).join('')}${sources.length > 1 ? '<th scope="col">Total</th>' : ''}</tr></thead><tbody>`,
    row('Posts', (s) => num(r.bySource[s]!.posts), num(r.posts.length)),
    row('Reposts', (s) => num(r.bySource[s]!.reposts)),
    row('Likes / points / upvotes', (s) => num(r.bySource[s]!.likes)),
    row('Replies', (s) => num(r.bySource[s]!.replies)),
    row('Score', (s) => num(r.bySource[s]!.score)),
    row('Weight', (s) => `&times;${num(weights[s] ?? 1)}`),
    row('Adds', (s) => `<b>${num(r.bySource[s]!.weighted)}</b>`, `<b>${num(sum)}</b>`),
    '</tbody></table></div>',
    `<p class="note">${num(r.uniqueAccounts)} distinct account${r.uniqueAccounts === 1 ? '' : 's'}; ${num(r.selfPromotionPosts)} post${r.selfPromotionPosts === 1 ? '' : 's'} by the paper's authors. Listed because the score is at least ${num(t?.minPaperScore ?? 0)}; rank ${r.rank} of ${num(a.day.digest.papers.length)} on ${escapeHtml(a.day.day)}.</p>`,
  ].join('');
}
