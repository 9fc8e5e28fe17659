/**
 * Issue 9 item 7: start-up of the built CLI. `node dist/cli/main.js --version` and `--help`
 * against `node -e 0`, as whole processes, interleaved (so load on the machine hits all alike),
 * median of RUNS each; prints the ratios (goal ≤ 2×). Builds dist/ first when it is missing or
 * older than src/, since the installed `hotpapers` runs dist/. Like every part, in an
 * environment without NODE_EXTRA_CA_CERTS (bench/index.ts): with it, `node -e 0` here took
 * ~130 ms instead of ~45, which made any start-up look cheap beside it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportGoal } from './goals.js';
import { median } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const RUNS = 11;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  console.log('startup: building dist/ (npm run build)');
  const built = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('startup: npm run build failed');
}

/** Wall time of one whole process, in ms. */
function timeProcess(args: string[]): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`startup: node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/** Print the start-up figures. */
export async function benchStartup(): Promise<void> {
  ensureBuilt();
  const cases: Record<string, string[]> = {
    'node -e 0': ['-e', '0'],
    'hotpapers --version': [MAIN, '--version'],
    'hotpapers --help': [MAIN, '--help'],
    'hotpapers post --help': [MAIN, 'post', '--help'],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  timeProcess(cases['hotpapers --version']!); // warm the file cache
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(cases)) times[name]!.push(timeProcess(args));
  }
  const base = median(times['node -e 0']!);
  /** A case's median wall time ÷ that of `node -e 0`. */
  const ratioOf = (name: string) => median(times[name]!) / base;
  console.log(`startup: whole processes, interleaved, median of ${RUNS} (wall; shared machine, noisy):`);
  for (const [name, ms] of Object.entries(times)) {
    const ratio = name === 'node -e 0' ? '' : `  = ${ratioOf(name).toFixed(2)}× node -e 0`;
    console.log(`  ${name.padEnd(22)} ${median(ms).toFixed(0).padStart(5)} ms${ratio}`);
  }
  const version = ratioOf('hotpapers --version');
  const help = ratioOf('hotpapers --help');
  reportGoal({
    part: 'startup',
    goal: '`hotpapers --version` / `--help` ÷ `node -e 0`, wall',
    target: '≤ 2×',
    figure: `${version.toFixed(2)}× / ${help.toFixed(2)}×`,
    met: Math.max(version, help) <= 2,
  });
}
