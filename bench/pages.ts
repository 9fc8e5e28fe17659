/**
 * DESIGN §9: a 60-paper day page < 100 KB of HTML. Builds the realistic 60-paper day of the
 * tests (abstracts of ~1,100 characters, three posts a paper, HF enrichment on a third) and the
 * heaviest seed day, and prints each day page's size, raw and gzipped, with the build time.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseSeedPost } from '../src/demo/seed.js';
import { buildSite } from '../src/site/build.js';
import type { SiteModel } from '../src/site/model.js';
import type { DayDigest, PaperEnrichment } from '../src/types.js';
import { bigDay } from '../test/site/big-day.js';
import { digest, paper, post, ranked } from '../test/site/fixtures.js';

function dayPage(name: string, d: DayDigest, enrichments: PaperEnrichment[] = []): void {
  const model: SiteModel = {
    days: [{ day: d.day, categoriesKey: 'cs,stat.ML', horizon: '', digest: d }],
    enrichments: new Map(enrichments.map((e) => [e.paperId, e])),
  };
  const cpu = process.cpuUsage();
  const files = buildSite(model, { baseUrl: 'https://example.org/' });
  const ms = process.cpuUsage(cpu).user / 1000;
  const html = files.get(`days/${d.day}.html`)!;
  const bytes = Buffer.byteLength(html);
  console.log(
    `day page, ${name}: ${d.papers.length} papers, ${(bytes / 1000).toFixed(1)} KB HTML (budget 100 KB), ${(gzipSync(html).length / 1000).toFixed(1)} KB gzipped; whole site of that day built in ${ms.toFixed(0)} ms CPU`,
  );
}

/** Print the day page sizes. */
export async function benchPages(): Promise<void> {
  const big = bigDay();
  dayPage('realistic 60-paper day', big.digest, big.enrichments);
  const seed = parseSeedPost(readFileSync('test/fixtures/seed/2021-06-09---Hot-Papers.md', 'utf8'));
  const papers = seed.papers.map((sp, i) =>
    ranked(
      i + 1,
      paper(sp.id, {
        title: sp.title,
        abstract: sp.abstract,
        authors: sp.authors,
        categories: sp.categories,
      }),
      sp.embeds.map((e) =>
        post(
          'x',
          e.tweetId,
          Math.floor(sp.retweets / sp.embeds.length),
          Math.floor(sp.favorites / sp.embeds.length),
          {
            text: e.text,
            authorName: e.authorName,
            authorHandle: e.username,
          },
        ),
      ),
    ),
  );
  dayPage('seed 2021-06-09 (real abstracts)', digest(seed.day, papers));
}
