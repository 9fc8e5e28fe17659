/**
 * Benchmark of the arXiv listing: parse a 2,000-entry API Atom page, and parse + store it into
 * a temporary SQLite file; also the announcement feed and a catchup page of the same size.
 * Budget (DESIGN §9): < 200 ms CPU to parse the API page; peak RSS < 300 MB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseApiFeed } from '../src/arxiv/atom.js';
import { parseCatchupPage } from '../src/arxiv/catchup.js';
import type { Listing } from '../src/arxiv/listing.js';
import { announceTypeFor } from '../src/arxiv/merge.js';
import { parseRssFeed } from '../src/arxiv/rss.js';
import { atomFeedXml, catchupHtml, rssAtomXml, type StandInPaper } from '../src/standins/arxiv.js';
import { openStore } from '../src/store/db.js';
import { saveListing } from '../src/store/listings.js';
import { reportGoal } from './goals.js';

const N = 2000;
const CATS = ['cs.LG', 'cs.CV', 'cs.CL', 'cs.AI', 'stat.ML', 'cs.RO', 'math.NA', 'quant-ph'];

function syntheticPapers(n: number): StandInPaper[] {
  const out: StandInPaper[] = [];
  const base = Date.parse('2021-06-07T18:00:00Z');
  for (let i = 0; i < n; i++) {
    const primary = CATS[i % CATS.length]!;
    const secondary = CATS[(i * 7 + 3) % CATS.length]!;
    const published = new Date(base + i * 43_000).toISOString().replace('.000Z', 'Z');
    out.push({
      id: `2106.${String(4000 + i).padStart(5, '0')}`,
      version: 1 + (i % 3 === 0 ? 1 : 0),
      title: `A study of   problem ${i} with\n      a wrapped title & <symbols>`,
      abstract: `${'We consider a setting where the model learns representations from data. '.repeat(12)}Result ${i}: $O(n \\log n)$.`,
      authors: Array.from({ length: 3 + (i % 6) }, (_, k) => `Author ${i}-${k} Surname`),
      categories: primary === secondary ? [primary] : [primary, secondary],
      primary,
      published,
      updated: published,
      ...(i % 4 === 0 ? { comment: '12 pages, 4 figures' } : {}),
      ...(i % 10 === 0 ? { doi: `10.1000/bench.${i}` } : {}),
    });
  }
  return out;
}

function once<T>(fn: () => T): { result: T; cpuMs: number; wallMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const result = fn();
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { result, cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

const RUNS = 5;

/** The median of RUNS timed runs after one warm-up (JIT and module start-up are not measured). */
function measure<T>(fn: () => T): { result: T; cpuMs: number; wallMs: number } {
  fn();
  const runs = Array.from({ length: RUNS }, () => once(fn)).sort((a, b) => a.cpuMs - b.cpuMs);
  return runs[Math.floor(RUNS / 2)]!;
}

function peakRss(): string {
  const mb = process.resourceUsage().maxRSS / 1024;
  return `${mb.toFixed(0)} MB [budget 300 MB: ${mb < 300 ? 'ok' : 'OVER'}]`;
}

function line(label: string, m: { cpuMs: number; wallMs: number }, extra = ''): void {
  console.log(
    `arxiv: ${label.padEnd(38)} cpu ${m.cpuMs.toFixed(1).padStart(7)} ms  wall ${m.wallMs.toFixed(1).padStart(7)} ms${extra}`,
  );
}

function listingOf(xml: string, day: string, chosen: string[]): Listing {
  const page = parseApiFeed(xml);
  return {
    day,
    categories: chosen,
    method: 'api',
    papers: page.entries.map((e) => ({
      ...e,
      announceType: announceTypeFor(e.primaryCategory, chosen),
      method: 'api' as const,
    })),
    notes: [],
  };
}

/** Run the arXiv listing benchmark and print its figures. */
export async function benchArxiv(): Promise<void> {
  const papers = syntheticPapers(N);
  const chosen = ['cs', 'stat.ML'];
  const apiXml = atomFeedXml(papers, { query: 'bench', start: 0, maxResults: N, total: N });
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-'));
  try {
    const db = openStore(join(dir, 'bench.db'));
    // One cold pass first: its peak memory is what a run pays for the listing.
    const cold = once(() =>
      saveListing(db, listingOf(apiXml, '2021-06-08', chosen), '2021-06-10T00:00:00.000Z'),
    );
    line(`cold parse + store, ${N} entries`, cold);
    console.log(`arxiv: peak RSS after one API parse + store: ${peakRss()}`);

    const parsed = measure(() => parseApiFeed(apiXml));
    const budget = parsed.result.count === N && parsed.cpuMs < 200 ? 'ok' : 'OVER';
    line(
      `parse API Atom, ${N} entries (${(apiXml.length / 1e6).toFixed(1)} MB)`,
      parsed,
      `  [budget 200 ms: ${budget}]`,
    );
    reportGoal({
      part: 'arxiv',
      goal: `parsing a ${N}-entry arXiv API Atom listing, CPU`,
      target: '≤ 200 ms',
      figure: `${parsed.cpuMs.toFixed(0)} ms (${parsed.result.count} entries read)`,
      met: budget === 'ok',
    });
    const stored = measure(() =>
      saveListing(db, listingOf(apiXml, '2021-06-09', chosen), '2021-06-10T00:00:00.000Z'),
    );
    line(`parse + store ${N} papers (SQLite file)`, stored);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rssXml = rssAtomXml(
    papers.map((p) => ({ ...p, announceType: announceTypeFor(p.primary, chosen) })),
    { day: '2021-06-09', query: 'cs+stat.ML' },
  );
  line(
    `parse announcement feed, ${N} items`,
    measure(() => parseRssFeed(rssXml)),
  );
  const html = catchupHtml(
    papers.map((p) => ({ ...p, action: 'new' as const })),
    { subject: 'cs', day: '2021-06-09', page: 1 },
  );
  line(
    `parse catchup page, ${N} items`,
    measure(() => parseCatchupPage(html)),
  );
  // Informational: repeated timed runs leave garbage the collector has not yet reclaimed.
  console.log(
    `arxiv: peak RSS at the end, after ${RUNS + 1} runs of each: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await benchArxiv();
