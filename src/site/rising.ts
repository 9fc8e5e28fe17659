/**
 * The rising pages (site-wide and per category): the papers of the recent days whose engagement
 * grew most over the last 24 h of snapshots. A LIST producer with an input of its own: the
 * snapshot histories of the recent days' papers, read from the source for those papers only.
 * Its signature (the recent days' fingerprints and the categories) and the papers the store
 * gained rows for decide whether it is rendered again or its files are kept as they are.
 */
import { createHash } from 'node:crypto';
import { categoryLabel } from '../arxiv/category-names.js';
import { formatInstant } from './cards.js';
import { escapeHtml } from './escape.js';
import { num } from './fragments.js';
import type { PageSpec } from './layout.js';
import { type RisingItem, risingBody, type WindowLinks } from './lists.js';
import type { EngagementPoint, ListAppearance, ListDay } from './model.js';
import { risingPapers, windowPaths } from './windows.js';

/** Mailing days whose papers can rise (about two weeks). */
export const RISING_DAYS = 10;
/** Papers per rising page. */
export const RISING_SIZE = 50;
/** Owner of the rising pages in the engine's manifest. */
export const RISING_OWNER = 'rising';

/** The papers that can rise: each paper of the newest RISING_DAYS days, at its latest ranking there. */
export function risingCandidates(
  days: readonly ListDay[],
  appearances: { latest(id: string): ListAppearance | undefined },
): ListAppearance[] {
  const out: ListAppearance[] = [];
  for (const day of days.slice(0, RISING_DAYS))
    for (const ranked of day.digest.papers) {
      const latest = appearances.latest(ranked.paper.id);
      if (latest && latest.day.day === day.day && latest.ranked === ranked) out.push(latest);
    }
  return out;
}

/**
 * What the rising pages are made of, besides the snapshots: the recent days (each by its row's
 * fingerprint) and the categories that get a page. Equal signatures and no new store rows for
 * a candidate mean equal pages.
 */
export function risingSignature(
  days: ReadonlyArray<{ day: string; fingerprint: string }>,
  categories: readonly string[],
): string {
  const recent = days.slice(0, RISING_DAYS).map((d) => [d.day, d.fingerprint]);
  return createHash('sha1')
    .update(JSON.stringify([RISING_DAYS, RISING_SIZE, recent, [...categories].sort()]))
    .digest('base64');
}

/**
 * Render the rising page and one per category from the candidates' histories. `nav` gives the
 * site-wide window links, `categoryNav` a category's.
 */
export function renderRising(
  candidates: readonly ListAppearance[],
  histories: ReadonlyMap<string, readonly EngagementPoint[]>,
  categories: readonly string[],
  nav: WindowLinks,
  categoryNav: (cat: string) => WindowLinks,
  emit: (spec: PageSpec) => void,
): void {
  const all = risingPapers(candidates, (id) => histories.get(id), RISING_DAYS, Number.POSITIVE_INFINITY);
  const items: RisingItem[] = all.map((r) => ({
    appearance: r.appearance,
    gain: r.growth.gain,
    now: r.growth.now,
  }));
  // The instant the gains are measured to: the newest snapshot of any candidate.
  let at = '';
  for (const list of histories.values()) {
    const last = list[list.length - 1]?.at ?? '';
    if (last > at) at = last;
  }
  const days = new Set(candidates.map((a) => a.day.day)).size;
  const lead = (count: number, where: string) =>
    `${count > RISING_SIZE ? `The ${num(RISING_SIZE)} of ${num(count)}` : `${num(count)}`} paper${count === 1 ? '' : 's'} announced${where} on the last ${num(days)} mailing day${days === 1 ? '' : 's'} whose engagement grew in the 24 h before the newest snapshot${at ? ` (${escapeHtml(formatInstant(at))})` : ''}, by that gain. Score now: the reposts and likes, Hacker News points and Hugging Face upvotes of every stored post linking the paper, at its latest snapshot; each paper's ranking day and rank are those it was announced with.`;
  const path = windowPaths.rising();
  emit({
    path,
    title: 'Rising papers',
    description: items
      .slice(0, 3)
      .map((i) => i.appearance.ranked.paper.title)
      .join(' · '),
    body: risingBody({
      path,
      title: 'Rising papers',
      leadHtml: lead(items.length, ''),
      items: items.slice(0, RISING_SIZE),
      nav,
    }),
    section: 'top',
  });
  for (const cat of categories) {
    const mine = items.filter((i) => i.appearance.ranked.paper.categories.includes(cat));
    const catPath = windowPaths.categoryRising(cat);
    const title = `Rising papers in ${categoryLabel(cat)}`;
    emit({
      path: catPath,
      title: `Rising papers in ${cat}`,
      description: mine
        .slice(0, 3)
        .map((i) => i.appearance.ranked.paper.title)
        .join(' · '),
      body: risingBody({
        path: catPath,
        title,
        leadHtml: lead(mine.length, ` in ${escapeHtml(cat)}`),
        items: mine.slice(0, RISING_SIZE),
        nav: categoryNav(cat),
      }),
      section: 'categories',
    });
  }
}
