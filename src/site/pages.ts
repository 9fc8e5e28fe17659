/** The day page (a day's ranking) and the paper page (every post, history, score breakdown). */
import { publicFailure } from '../http/errors.js';
import { type ScoredPost, SOURCE_IDS, type SourceId } from '../types.js';
import { redact } from '../util/redact.js';
import { formatInstant, renderPost, SOURCE_NAMES } from './cards.js';
import { engagementChart } from './chart.js';
import { escapeHtml } from './escape.js';
import {
  type Appearance,
  authorsText,
  categoriesHtml,
  horizonBadge,
  longDay,
  num,
  type PageContext,
  paperLinksHtml,
  plural,
  statsHtml,
} from './fragments.js';
import { renderMath } from './math.js';
import { type ListAppearance, type PaperExtras, paths, postKey, relativeUrl, type SiteDay } from './model.js';

/** Neighbouring days of a day page (site paths and dates). */
export interface DayNav {
  newer?: { day: string };
  older?: { day: string };
}

/** The body of a day page. */
export function dayBody(day: SiteDay, nav: DayNav, ctx: PageContext): string {
  const d = day.digest;
  const from = paths.day(day.day);
  const to = (p: string) => escapeHtml(relativeUrl(from, p));
  const observed = formatInstant(d.observedAt);
  const age = typeof d.ageHours === 'number' ? ` (${num(d.ageHours)} h after the announcement)` : '';
  const out: string[] = [
    `<h1>Hot papers of ${escapeHtml(longDay(day.day))}${horizonBadge(day.horizon)}</h1>`,
    `<p class="lead">${plural(d.papers.length, 'paper')} ranked of ${num(d.listed)} listed in ${escapeHtml(d.categories.join(', '))}, from ${plural(d.postsFound, 'post')}. Counts observed ${escapeHtml(observed)}${escapeHtml(age)}.</p>`,
    healthHtml(d.health),
    dayPager(nav, from),
  ];
  if (d.papers.length === 0) out.push('<p>No paper reached the threshold this day.</p>');
  else {
    out.push('<ol class="papers">');
    for (const r of d.papers) {
      const paperPath = paths.paper(r.paper.id);
      const shown = r.shown.length > 0 ? r.shown : [];
      const cards = shown
        .slice(0, ctx.dayPosts)
        .map((p) => renderPost(p, ctx.embeds.get(postKey(p)), { liveEmbeds: ctx.liveEmbeds, maxText: 300 }));
      const more = r.posts.length - Math.min(shown.length, ctx.dayPosts);
      out.push(
        `<li class="paper" id="p-${escapeHtml(r.paper.id.replace(/[^A-Za-z0-9.-]/g, '_'))}"><article>`,
        `<h2><span class="n">${r.rank}.</span> <a href="${to(paperPath)}">${renderMath(r.paper.title)}</a></h2>`,
        `<p class="authors">${escapeHtml(authorsText(r.paper.authors, 12))}</p>`,
        statsHtml(r),
        paperLinksHtml(r.paper, `<a href="${to(paperPath)}">all posts and score breakdown</a>`),
        categoriesHtml(r.paper.categories, from),
        `<p class="abstract">${renderMath(r.paper.abstract)}</p>`,
        cards.length > 0 ? `<div class="posts">${cards.join('')}</div>` : '',
        more > 0
          ? `<p class="more"><a href="${to(paperPath)}">${num(more)} more post${more === 1 ? '' : 's'} about this paper</a></p>`
          : '',
        '</article></li>',
      );
    }
    out.push('</ol>');
  }
  out.push(howRanked(day), dayPager(nav, from));
  return out.join('');
}

function dayPager(nav: DayNav, from: string): string {
  if (!nav.newer && !nav.older) return '';
  // Entities keep pages ASCII: one-byte strings build and encode faster.
  const link = (day: { day: string } | undefined, rel: string, before: string, after: string) =>
    day
      ? `<li><a rel="${rel}" href="${escapeHtml(relativeUrl(from, paths.day(day.day)))}">${before}${escapeHtml(day.day)}${after}</a></li>`
      : '<li></li>';
  return `<nav aria-label="Other days"><ul class="pager">${link(nav.older, 'prev', '&larr; ', '')}${link(nav.newer, 'next', '', ' &rarr;')}</ul></nav>`;
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
  return `<p class="note">How ranked: a post scores its reposts + likes (Hacker News points, Hugging Face upvotes); a paper scores the sum of its posts' scores times the source weight (${escapeHtml(weights)}). Papers scoring at least ${num(t?.minPaperScore ?? 0)} with a PDF are listed; posts scoring at least ${num(t?.minPostScore ?? 0)} are shown.</p>`;
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
  const out: string[] = [
    `<article><h1>${renderMath(p.title)}</h1>`,
    `<p class="authors">${escapeHtml(authorsText(p.authors))}</p>`,
    paperLinksHtml(p),
    categoriesHtml(p.categories, from),
  ];
  const notes = [p.comment, p.journalRef ? `Journal ref: ${p.journalRef}` : undefined].filter(
    Boolean,
  ) as string[];
  if (notes.length > 0) out.push(`<p class="muted">${notes.map(escapeHtml).join(' · ')}</p>`);
  out.push('<h2>Abstract</h2>', `<p class="abstract">${renderMath(p.abstract)}</p>`);

  out.push('<h2>Ranked</h2><ul>');
  for (const a of appearances) {
    out.push(
      `<li>#${a.ranked.rank} on <a href="${to(paths.day(a.day.day))}">${escapeHtml(longDay(a.day.day))}</a>${horizonBadge(a.day.horizon)} with score ${num(a.ranked.score)} (counts observed ${escapeHtml(formatInstant(a.day.digest.observedAt))})</li>`,
    );
  }
  out.push('</ul>');

  out.push('<h2>Score breakdown</h2>', statsHtml(r), breakdownTable(latest));

  out.push('<h2>Engagement over time</h2>');
  const chart = extras ? engagementChart(extras.history) : '';
  out.push(chart || '<p class="muted">No stored snapshots of these posts.</p>');

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
  const rows: string[] = [];
  let total = 0;
  for (const s of SOURCE_IDS) {
    const t = r.bySource[s];
    if (!t) continue;
    total += t.weighted;
    rows.push(
      `<tr><th scope="row">${escapeHtml(SOURCE_NAMES[s])}</th><td>${num(t.posts)}</td><td>${num(t.reposts)}</td><td>${num(t.likes)}</td><td>${num(t.replies)}</td><td>${num(t.score)}</td><td>${num(weights[s] ?? 1)}</td><td>${num(t.weighted)}</td></tr>`,
    );
  }
  if (rows.length === 0) return '';
  const t = a.day.digest.thresholds;
  return [
    '<div class="table-wrap"><table><caption class="vh">Score by source</caption>',
    '<thead><tr><th scope="col">Source</th><th scope="col">Posts</th><th scope="col">Reposts</th><th scope="col">Likes / points</th><th scope="col">Replies</th><th scope="col">Score</th><th scope="col">Weight</th><th scope="col">Adds</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    `<tfoot><tr><th scope="row">Total</th><td colspan="6"></td><td>${num(total)}</td></tr></tfoot></table></div>`,
    `<p class="note">${num(r.uniqueAccounts)} distinct account${r.uniqueAccounts === 1 ? '' : 's'}; ${num(r.selfPromotionPosts)} post${r.selfPromotionPosts === 1 ? '' : 's'} by the paper's authors. Listed because the score is at least ${num(t?.minPaperScore ?? 0)}; rank ${r.rank} of ${num(a.day.digest.papers.length)} on ${escapeHtml(a.day.day)}.</p>`,
  ].join('');
}
