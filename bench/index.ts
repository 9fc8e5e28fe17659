/**
 * `npm run bench`: prints the figures of DESIGN §9 — requests made, CPU time, wall time and
 * peak memory — for each part. Tests never assert on time; this is where time is measured.
 * Each part runs in its own process so its peak memory is its own.
 * Run some parts only with `npm run bench -- arxiv x` (parts: arxiv, x, pipeline, site,
 * site-instructions, search, pages, startup, store, bluesky, enrich).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOALS_FILE, goalSummary, readGoals } from './goals.js';

/** Parts that measure in processes of their own, and print those processes' peak memory themselves. */
const OWN_PEAK = new Set(['pipeline']);
const PARTS: Record<string, () => Promise<void>> = {
  arxiv: async () => (await import('./arxiv.js')).benchArxiv(),
  x: async () => (await import('./x-search.js')).benchXSearch(),
  pipeline: async () => (await import('./pipeline.js')).benchPipeline(),
  site: async () => (await import('./site.js')).benchSite(),
  'site-instructions': async () => (await import('./site-instructions.js')).benchSiteInstructions(),
  search: async () => (await import('./search.js')).benchSearch(),
  pages: async () => (await import('./pages.js')).benchPages(),
  startup: async () => (await import('./startup.js')).benchStartup(),
  store: async () => (await import('./store.js')).benchStore(),
  bluesky: async () => (await import('./bluesky.js')).benchBluesky(),
  enrich: async () => (await import('./enrich.js')).benchEnrich(),
};

/**
 * The environment the parts (and every process they start) run in: this one, less
 * NODE_EXTRA_CA_CERTS. With that variable Node reads and parses the certificates it names as
 * every process starts, ~90 ms of CPU on this machine for Debian's bundle: a cost of the
 * machine's setup, not of hotpapers, which a usual installation does not pay. It lengthens every
 * measured process alike, so it flattered ratios such as start-up ÷ `node -e 0` (1.36× with it
 * against 2.05× without, 4 December 2026) and one new day at 3,000 ÷ at 300 days.
 */
function partEnv(goalsFile: string): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _certs, ...env } = process.env;
  return { ...env, [GOALS_FILE]: goalsFile };
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  const part = PARTS[args[1] ?? ''];
  if (!part) process.exit(2);
  await part();
  if (!OWN_PEAK.has(args[1] ?? '')) {
    const peakMb = process.resourceUsage().maxRSS / 1024;
    console.log(`peak memory (process max RSS): ${peakMb.toFixed(1)} MB`);
  }
} else {
  const names = args.length > 0 ? args : Object.keys(PARTS);
  const unknown = names.find((name) => !PARTS[name]);
  if (unknown !== undefined) {
    console.error(`bench: unknown part "${unknown}" (known: ${Object.keys(PARTS).join(', ')})`);
    process.exit(2);
  }
  let failed = false;
  // The parts record their goals here; they are printed together once all have run.
  const goalsDir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-goals-'));
  const goalsFile = join(goalsDir, 'goals.jsonl');
  if (process.env.NODE_EXTRA_CA_CERTS)
    console.log('bench: NODE_EXTRA_CA_CERTS is set here; the parts run without it (see bench/index.ts)');
  for (const name of names) {
    console.log(`\n== ${name} ==`);
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', name],
      { stdio: 'inherit', env: partEnv(goalsFile) },
    );
    if (child.status !== 0) failed = true;
  }
  try {
    console.log('\n== goals (issue 9, DESIGN §9) ==');
    for (const line of goalSummary(readGoals(goalsFile))) console.log(line);
  } finally {
    rmSync(goalsDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}
