/**
 * HF enrichment bench: what `post` adds for the ranked papers of a day — requests, wall and
 * CPU time — through the real store (a file) and the HF stand-in answering 50 ms late, for a
 * cold store, the same day again (everything cached), and the next day (everything refreshed).
 * 60 ranked papers, as on a busy day; 40 are known to HF, 20 answer 404.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { enrichPapers } from '../src/enrich/hf-papers.js';
import { HttpClient } from '../src/http/client.js';
import { hfDailyItem, hfHandler } from '../src/standins/hf.js';
import { startStandIn } from '../src/standins/server.js';
import { openStore } from '../src/store/db.js';
import { silentLogger } from '../src/util/log.js';

const RANKED = 60;
const KNOWN = 40;
const DELAY_MS = 50;

/** Run the enrichment bench and print its figures. */
export async function benchEnrich(): Promise<void> {
  const ids = Array.from({ length: RANKED }, (_, i) => `2611.${String(10000 + i)}`);
  const items = ids.slice(0, KNOWN).map((id, i) =>
    hfDailyItem({
      id,
      title: `Paper ${id}`,
      upvotes: i,
      submittedAt: '2026-11-25T04:00:00.000Z',
      githubRepo: `https://github.com/org/repo${i}`,
      githubStars: i * 10,
    }),
  );
  const handler = hfHandler({ days: { '2026-11-25': items } });
  const server = await startStandIn(async (req, index) => ({
    ...(await handler(req, index)),
    delayMs: DELAY_MS,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-enrich-'));
  const db = openStore(join(dir, 'store.db'));
  const http = new HttpClient();
  const now = new Date('2026-11-26T12:00:00Z');
  try {
    for (const [label, at] of [
      ['cold store', now],
      ['same day again', new Date(now.getTime() + 3_600_000)],
      ['next day', new Date(now.getTime() + 25 * 3_600_000)],
    ] as const) {
      const before = http.totalRequests();
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      const report = await enrichPapers({
        db,
        http,
        hfApiUrl: `${server.url}/api`,
        paperIds: ids,
        now: at,
        log: silentLogger,
      });
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      console.log(
        `${label}: ${http.totalRequests() - before} requests, ${report.cached} cached, ` +
          `wall ${wall.toFixed(0)} ms, CPU ${((used.user + used.system) / 1000).toFixed(0)} ms ` +
          `(stand-in answers ${DELAY_MS} ms late, 4 at a time)`,
      );
    }
  } finally {
    db.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
