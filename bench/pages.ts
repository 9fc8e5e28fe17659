/**
 * DESIGN §9: a 60-paper day page < 100 KB of HTML. Builds the realistic 60-paper day of the
 * tests (abstracts of ~1,100 characters, three posts a paper, HF enrichment on a third) and the
 * heaviest seed day, and prints each day page's size, raw and gzipped, with the build time.
 * Then the thumbnails: the realistic day with a thumbnail for each paper HF enriched (a third),
 * and for every paper (the worst case), made by the real resize step (`sharp`) from a 1200 × 648
 * page-like image as HF's social thumbnails are: the HTML they add and the WebP bytes a reader
 * of the day page downloads.
 */
import { gzipSync } from 'node:zlib';
import { buildSite } from '../src/site/build.js';
import type { SiteModel } from '../src/site/model.js';
import type { SiteThumb } from '../src/site/thumbs.js';
import { makeThumb } from '../src/thumbs/resize.js';
import { webpSize } from '../src/thumbs/webp.js';
import type { DayDigest, PaperEnrichment } from '../src/types.js';
import { bigDay } from '../test/site/big-day.js';
import { seedDay } from '../test/site/fixtures.js';
import { reportGoal } from './goals.js';
import { socialImage } from './images.js';

function dayPage(
  name: string,
  d: DayDigest,
  enrichments: PaperEnrichment[] = [],
  thumbs?: Map<string, SiteThumb>,
): number {
  const model: SiteModel = {
    days: [{ day: d.day, categoriesKey: 'cs,stat.ML', horizon: '', digest: d }],
    enrichments: new Map(enrichments.map((e) => [e.paperId, e])),
    thumbs,
  };
  const cpu = process.cpuUsage();
  const files = buildSite(model, { baseUrl: 'https://example.org/' });
  const ms = process.cpuUsage(cpu).user / 1000;
  const html = files.get(`days/${d.day}.html`)!;
  const bytes = Buffer.byteLength(html);
  console.log(
    `day page, ${name}: ${d.papers.length} papers, ${(bytes / 1000).toFixed(1)} KB HTML (budget 100 KB), ${(gzipSync(html).length / 1000).toFixed(1)} KB gzipped; whole site of that day built in ${ms.toFixed(0)} ms CPU`,
  );
  return bytes;
}

/** Thumbnails of `ids`, through the site's resize step. */
async function thumbsOf(ids: readonly string[]): Promise<Map<string, SiteThumb>> {
  const out = new Map<string, SiteThumb>();
  for (const [i, id] of ids.entries()) {
    const data = await makeThumb(await socialImage(i));
    const size = webpSize(data)!;
    out.set(id, { path: `thumbs/${String(i).padStart(12, '0')}.webp`, ...size, data });
  }
  return out;
}

function thumbFigures(name: string, thumbs: Map<string, SiteThumb>, withHtml: number, without: number): void {
  const webp = [...thumbs.values()].reduce((n, t) => n + t.data.length, 0);
  const sizes = [...thumbs.values()].map((t) => `${t.width}×${t.height}`);
  console.log(
    `thumbnails, ${name}: ${thumbs.size} on the day page (${[...new Set(sizes)].join(', ')}), ${(webp / 1000).toFixed(1)} KB of WebP (${(webp / thumbs.size / 1000).toFixed(1)} KB each, the first four loaded at once, the rest lazily), +${((withHtml - without) / 1000).toFixed(1)} KB of HTML`,
  );
}

/** Print the day page sizes. */
export async function benchPages(): Promise<void> {
  const big = bigDay();
  const plain = dayPage('realistic 60-paper day', big.digest, big.enrichments);
  const enriched = await thumbsOf(big.enrichments.map((e) => e.paperId));
  const some = dayPage(
    'realistic 60-paper day, thumbnails for the HF-enriched third',
    big.digest,
    big.enrichments,
    enriched,
  );
  thumbFigures('HF-enriched third', enriched, some, plain);
  for (const [what, bytes] of [
    ['', plain],
    [', with the thumbnails of its Hugging Face-enriched papers', some],
  ] as const)
    reportGoal({
      part: 'pages',
      goal: `a realistic 60-paper day page${what}`,
      target: '≤ 100 KB',
      figure: `${(bytes / 1000).toFixed(1)} KB`,
      met: bytes <= 100_000,
    });
  const all = await thumbsOf(big.digest.papers.map((r) => r.paper.id));
  const every = dayPage(
    'realistic 60-paper day, a thumbnail for every paper',
    big.digest,
    big.enrichments,
    all,
  );
  thumbFigures('every paper', all, every, plain);
  const seed = seedDay();
  dayPage('seed 2021-06-09 (real abstracts)', seed);
}
