/** A paper's engagement over time as an inline SVG line chart: no script, styled by the page CSS. */
import { formatInstant } from './cards.js';
import { escapeHtml } from './escape.js';
import { num } from './fragments.js';
import type { EngagementPoint } from './model.js';

const W = 600;
const H = 170;
const PAD = { left: 64, right: 12, top: 22, bottom: 30 };

/** A round axis maximum at or above `v`: 1, 2 or 5 times a power of ten. */
function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, v)));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * The SVG chart of `points` (oldest first); empty string with fewer than two points (one dot
 * says nothing about a trend). The y axis is labelled with its unit and formatted numbers.
 */
export function engagementChart(points: readonly EngagementPoint[]): string {
  if (points.length < 2) return '';
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const maxY = niceMax(Math.max(1, ...points.map((p) => p.engagement)));
  const plotW = W - PAD.left - PAD.right;
  const x = (t: number) => PAD.left + (t1 === t0 ? plotW / 2 : ((t - t0) / (t1 - t0)) * plotW);
  const y = (v: number) => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const xy = points.map((p, i) => [x(times[i]!), y(p.engagement)] as const);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const label = `Engagement (reposts + likes, Hacker News points, Hugging Face upvotes) went from ${num(first.engagement)} at ${formatInstant(first.at)} to ${num(last.engagement)} at ${formatInstant(last.at)} over ${points.length} snapshots.`;
  const dots = points
    .map((p, i) => {
      const [cx, cy] = xy[i]!;
      return `<circle class="dot" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3"><title>${escapeHtml(`${formatInstant(p.at)}: ${num(p.engagement)} (${num(p.posts)} posts)`)}</title></circle>`;
    })
    .join('');
  const line = xy.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const base = H - PAD.bottom;
  const ticks = [0, maxY / 2, maxY]
    .map(
      (v) =>
        `<line class="grid" x1="${PAD.left}" y1="${y(v).toFixed(1)}" x2="${W - PAD.right}" y2="${y(v).toFixed(1)}"/><text class="lbl" x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${num(v)}</text>`,
    )
    .join('');
  return [
    // The caption names the chart (one chart a page): its text is not repeated in an aria-label.
    `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="chart-caption">`,
    ticks,
    `<line class="axis" x1="${PAD.left}" y1="${base}" x2="${W - PAD.right}" y2="${base}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${base}"/>`,
    `<text class="lbl" x="${PAD.left}" y="12">reposts + likes (points, upvotes)</text>`,
    `<text class="lbl" x="${PAD.left}" y="${H - 8}">${escapeHtml(formatInstant(first.at))}</text>`,
    `<text class="lbl" x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${escapeHtml(formatInstant(last.at))}</text>`,
    `<polyline class="line" points="${line}"/>`,
    dots,
    `</svg><figcaption id="chart-caption">${escapeHtml(label)}</figcaption></figure>`,
  ].join('');
}
