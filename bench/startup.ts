/**
 * Issue 9 item 7: start-up of the built CLI. `node dist/cli/main.js --version` and `--help`
 * against `node -e 0`, as whole processes, interleaved (so load on the machine hits all alike),
 * median of RUNS each; prints the ratios (goal ≤ 2×), without NODE_EXTRA_CA_CERTS when this
 * environment sets it (see environments). Builds dist/ first when it is missing or older than
 * src/, since the installed `hotpapers` runs dist/.
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

/** Wall time of one whole process, in ms, with environment `env`. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`startup: node ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/**
 * The environments to time in: this one, and when it sets NODE_EXTRA_CA_CERTS, the same without
 * it. With that variable Node reads and parses the certificates it names as every process starts
 * (~90 ms of CPU on this machine for the Debian bundle), which lengthens `node -e 0` and every
 * command alike and so flatters the ratio; a usual installation does not set it. The goal is
 * judged without it.
 */
function environments(): Array<[string, NodeJS.ProcessEnv]> {
  if (!process.env.NODE_EXTRA_CA_CERTS) return [['this environment', process.env]];
  const { NODE_EXTRA_CA_CERTS: _certs, ...without } = process.env;
  return [
    ['without NODE_EXTRA_CA_CERTS (judged)', without],
    ['this environment (NODE_EXTRA_CA_CERTS set)', process.env],
  ];
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
  const envs = environments();
  const times = envs.map(() => Object.fromEntries(Object.keys(cases).map((k) => [k, [] as number[]])));
  timeProcess(cases['hotpapers --version']!, process.env); // warm the file cache
  for (let i = 0; i < RUNS; i++)
    for (const [e, [, env]] of envs.entries())
      for (const [name, args] of Object.entries(cases)) times[e]![name]!.push(timeProcess(args, env));
  console.log(`startup: whole processes, interleaved, median of ${RUNS} (wall; shared machine, noisy):`);
  const ratios = envs.map(([label], e) => {
    const base = median(times[e]!['node -e 0']!);
    /** A case's median wall time ÷ that of `node -e 0`. */
    const ratioOf = (name: string) => median(times[e]![name]!) / base;
    console.log(`  ${label}:`);
    for (const [name, ms] of Object.entries(times[e]!)) {
      const ratio = name === 'node -e 0' ? '' : `  = ${ratioOf(name).toFixed(2)}× node -e 0`;
      console.log(`    ${name.padEnd(22)} ${median(ms).toFixed(0).padStart(5)} ms${ratio}`);
    }
    return { version: ratioOf('hotpapers --version'), help: ratioOf('hotpapers --help') };
  });
  const { version, help } = ratios[0]!;
  reportGoal({
    part: 'startup',
    goal: `\`hotpapers --version\` / \`--help\` ÷ \`node -e 0\`, wall (${envs[0]![0].replace(' (judged)', '')})`,
    target: '≤ 2×',
    figure: `${version.toFixed(2)}× / ${help.toFixed(2)}×`,
    met: Math.max(version, help) <= 2,
  });
}
