/**
 * Issue 9's "one new day does not grow with the history", counted in instructions: CPU time of
 * a ~0.3 s build moves by ±30% on a shared 2-core machine, so the ratio of two sizes moves by
 * ±0.1 from run to run, while valgrind's callgrind counts the same build within a few percent
 * (the threads' scheduling still varies). At each size (SITE_BENCH_SIZES, default 300, 1,000 and
 * 3,000 days; the stores grown as `bench -- site` grows them) RUNS times (default 5), the sizes
 * interleaved round by round: a full build into a folder of its own, then the same new day, with its papers' Hugging Face answers as a daily run stores
 * them, built incrementally into it under callgrind (the compiled package, every thread counted).
 * Needs Debian's `valgrind`.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLAT, reportGoal } from './goals.js';
import { addDays, buildArgs, compileOurs, mailingDays, onPath } from './site.js';

/** Counted builds at each size (SITE_INSTRUCTIONS_RUNS), at least 5 by the project's rule for benches. */
const RUNS = Number(process.env.SITE_INSTRUCTIONS_RUNS ?? 5);

/** Run the engine's build of `db` into `out` (under `valgrind` when given); the child's figures and stderr. */
function build(
  dist: string,
  db: string,
  out: string,
  full: boolean,
  valgrind?: string,
): { figures: { fresh: number; kept: number; daysLoaded: number }; stderr: string } {
  const node = buildArgs({ dist }, db, out, full);
  const run = valgrind
    ? spawnSync(
        valgrind,
        [
          '--tool=callgrind',
          '--callgrind-out-file=/dev/null',
          // V8 writes code into memory it then runs: callgrind must see those writes.
          '--smc-check=all-non-file',
          process.execPath,
          ...node,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      )
    : spawnSync(process.execPath, node, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`site-instructions: the build failed: ${run.stderr.slice(-2000)}`);
  return {
    figures: JSON.parse(run.stdout) as { fresh: number; kept: number; daysLoaded: number },
    stderr: run.stderr,
  };
}

/** Print the instructions of one new day at each size, and their ratio to the smallest. */
export async function benchSiteInstructions(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1)
    throw new Error(
      `site-instructions: SITE_INSTRUCTIONS_RUNS must be a whole number ≥ 1, not "${process.env.SITE_INSTRUCTIONS_RUNS}"`,
    );
  const valgrind = onPath('valgrind');
  if (!valgrind) {
    console.log('site-instructions: valgrind is not installed (Debian package `valgrind`); nothing counted');
    return;
  }
  const sizes = (process.env.SITE_BENCH_SIZES ?? '300,1000,3000')
    .split(',')
    .map(Number)
    .sort((a, b) => a - b);
  const dist = compileOurs();
  if (!dist) throw new Error('site-instructions: the TypeScript compiler is missing');
  const dir = mkdtempSync(join(tmpdir(), 'hotpapers-bench-instructions-'));
  try {
    const all = mailingDays(Math.max(...sizes) + 1);
    const newDay = all[0]!;
    const history = all.slice(1);
    const billions = (n: number) => `${(n / 1e9).toFixed(3)}`;
    // The stores first, each size grown from the one before (without the new day: a copy gets it).
    const stores: Array<{ days: number; db: string; grown: string }> = [];
    let have = 0;
    let previous: string | undefined;
    for (const n of sizes) {
      const db = join(dir, `store-${n}.db`);
      if (previous) copyFileSync(previous, db);
      addDays(db, history.slice(have, n).reverse());
      have = n;
      previous = db;
      const grown = join(dir, `store-${n}-new.db`);
      copyFileSync(db, grown);
      // As a daily run with the default sources adds it: its papers' Hugging Face answers too.
      addDays(grown, [newDay], { enrich: true });
      stores.push({ days: n, db, grown });
    }
    // The sizes interleaved, a round at a time: what the machine does meanwhile (its other
    // threads' timing moves a build's count by a few percent) falls on every size alike.
    const runs = new Map<number, number[]>(sizes.map((n) => [n, []]));
    const last = new Map<number, { fresh: number; kept: number; daysLoaded: number }>();
    for (let r = 0; r < RUNS; r++)
      for (const { days: n, db, grown } of stores) {
        const out = join(dir, `public-${n}-${r}`);
        build(dist, db, out, true);
        const { figures, stderr } = build(dist, grown, out, false, valgrind);
        const collected = /Collected : (\d+)/.exec(stderr);
        if (!collected) throw new Error('site-instructions: callgrind printed no count');
        runs.get(n)!.push(Number(collected[1]));
        last.set(n, figures);
        rmSync(out, { recursive: true, force: true });
      }
    const counts: Array<{ days: number; instructions: number }> = [];
    for (const n of sizes) {
      const sorted = [...runs.get(n)!].sort((a, b) => a - b);
      const instructions = sorted[Math.floor(sorted.length / 2)]!;
      counts.push({ days: n, instructions });
      const f = last.get(n)!;
      console.log(
        `  one new day (${newDay}) into the full site of ${n} days: ${billions(instructions)} billion instructions (median of ${RUNS}, ${billions(sorted[0]!)}–${billions(sorted[sorted.length - 1]!)}; ${f.daysLoaded} days read, ${f.fresh} files written, ${f.kept} kept)`,
      );
    }
    const ratio = (c: (typeof counts)[number], base: (typeof counts)[number]) =>
      console.log(
        `  one new day at ${c.days} days / at ${base.days} days: ${(c.instructions / base.instructions).toFixed(3)}× the instructions (medians), ${((c.instructions - base.instructions) / 1e6).toFixed(0)} million more, ${((c.instructions - base.instructions) / 1e6 / (c.days - base.days)).toFixed(3)} million a day of history (1.000 = not growing with the history)`,
      );
    for (const c of counts.slice(1)) ratio(c, counts[0]!);
    const small = counts[0]!;
    const large = counts[counts.length - 1]!;
    if (large !== small) {
      const growth = large.instructions / small.instructions;
      reportGoal({
        part: 'site-instructions',
        goal: `one new day at ${large.days} days ÷ at ${small.days} days, instructions (medians of ${RUNS})`,
        target: `flat: 1.00, met up to ${FLAT}×`,
        figure: `${growth.toFixed(3)}×`,
        met: growth <= FLAT,
      });
    }
    // Between the larger sizes too: the list state stops growing by ~1,000 days, the rest does not.
    for (let i = 2; i < counts.length; i++) ratio(counts[i]!, counts[i - 1]!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
}
