/** A paper's engagement over time as an inline SVG line chart: no script, styled by the page CSS. */
import { formatInstant } from './cards.js';
import { escapeHtml } from './escape.js';
import type { EngagementPoint } from './model.js';

const W = 600;
const H = 150;
const PAD = { left: 48, right: 12, top: 12, bottom: 28 };

/** The SVG chart of `points` (oldest first); empty string when there is nothing to draw. */
export function engagementChart(points: readonly EngagementPoint[]): string {
  if (points.length === 0) return '';
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const maxY = Math.max(1, ...points.map((p) => p.engagement));
  const x = (t: number) =>
    PAD.left +
    (t1 === t0 ? (W - PAD.left - PAD.right) / 2 : ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right));
  const y = (v: number) => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const xy = points.map((p, i) => [x(times[i]!), y(p.engagement)] as const);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const label = `Engagement (reposts + likes, points, upvotes) went from ${first.engagement} at ${formatInstant(first.at)} to ${last.engagement} at ${formatInstant(last.at)} over ${points.length} snapshot${points.length === 1 ? '' : 's'}.`;
  const dots = points
    .map((p, i) => {
      const [cx, cy] = xy[i]!;
      return `<circle class="dot" cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="3"><title>${escapeHtml(`${formatInstant(p.at)}: ${p.engagement} (${p.posts} posts)`)}</title></circle>`;
    })
    .join('');
  const line = xy.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const base = H - PAD.bottom;
  return [
    `<figure class="chart"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(label)}">`,
    `<line class="axis" x1="${PAD.left}" y1="${base}" x2="${W - PAD.right}" y2="${base}"/>`,
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${base}"/>`,
    `<text class="lbl" x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${maxY}</text>`,
    `<text class="lbl" x="${PAD.left - 6}" y="${base}" text-anchor="end">0</text>`,
    `<text class="lbl" x="${PAD.left}" y="${H - 8}">${escapeHtml(formatInstant(first.at))}</text>`,
    points.length > 1
      ? `<text class="lbl" x="${W - PAD.right}" y="${H - 8}" text-anchor="end">${escapeHtml(formatInstant(last.at))}</text>`
      : '',
    points.length > 1 ? `<polyline class="line" points="${line}"/>` : '',
    dots,
    `</svg><figcaption>${escapeHtml(label)}</figcaption></figure>`,
  ].join('');
}
