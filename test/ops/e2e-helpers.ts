/**
 * Shared pieces of the end-to-end tests of run/backfill: loopback stand-ins for arXiv and X
 * (the bundled demo day, or synthetic days), the environment that points the CLI at them,
 * and a way to run the CLI as a child process.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { submissionWindow } from '../../src/arxiv/schedule.js';
import { DEMO_NOW, loadDemoData } from '../../src/demo/run.js';
import { arxivApiHandler, type StandInPaper } from '../../src/standins/arxiv.js';
import { startStandIn } from '../../src/standins/server.js';
import { fakeTweet, startXStandIn, type XStandInData } from '../../src/standins/x.js';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const TSX = import.meta.resolve('tsx');
export const X_TOKEN = 'e2e-x-token-5ecr3t';

export interface StandIns {
  /** Environment (DESIGN §3 names) pointing hotpapers at the stand-ins. */
  env: NodeJS.ProcessEnv;
  requests(): number;
  close(): Promise<void>;
}

/** arXiv API + X stand-ins serving `papers` and `x`, with HOTPAPERS_NOW = `now`. */
export async function startStandIns(
  papers: StandInPaper[],
  x: XStandInData,
  now: string,
  delayMs = 0,
): Promise<StandIns> {
  const clock = Date.parse(now);
  const api = arxivApiHandler(papers);
  const arxiv = await startStandIn(async (req, i) => ({ ...(await api(req, i)), delayMs }));
  const xs = await startXStandIn(x, { token: X_TOKEN, clock: () => clock, delayMs, generateOembed: true });
  return {
    env: {
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_LISTING: 'api',
      ARXIV_DELAY_MS: '0',
      X_BEARER_TOKEN: X_TOKEN,
      X_API_URL: xs.apiUrl,
      X_OEMBED_URL: xs.oembedUrl,
      HOTPAPERS_SOURCES: 'x',
      HOTPAPERS_NOW: now,
      HOTPAPERS_RETRY_BASE_MS: '5',
    },
    requests: () => arxiv.requests.length + xs.requests.length,
    close: async () => {
      await Promise.all([arxiv.close(), xs.close()]);
    },
  };
}

/** Stand-ins replaying the bundled demo day (2021-06-09, HOTPAPERS_NOW 2021-06-10T18:07:48Z). */
export async function startDemoStandIns(delayMs = 0): Promise<StandIns> {
  const data = loadDemoData();
  return startStandIns(data.papers, data.x, DEMO_NOW, delayMs);
}

/** Synthetic mailing days: three papers submitted in each day's window, each linked by tweets scoring ≥ 50. */
export function syntheticDays(days: readonly string[]): { papers: StandInPaper[]; x: XStandInData } {
  const papers: StandInPaper[] = [];
  const tweets: XStandInData['tweets'] = [];
  const users: XStandInData['users'] = [
    { id: '1', name: 'Reader One', username: 'reader1' } as XStandInData['users'][number],
  ];
  days.forEach((day, d) => {
    const start = submissionWindow(day).start.getTime();
    for (let k = 0; k < 3; k++) {
      const id = `2106.${String(90000 + d * 10 + k)}`;
      const at = new Date(start + (k + 1) * 3_600_000).toISOString();
      papers.push({
        id,
        version: 1,
        title: `Synthetic paper ${k + 1} of ${day}`,
        abstract: `An abstract for paper ${k + 1} announced on ${day}.`,
        authors: ['Ada Lovelace', 'Alan Turing'],
        categories: ['cs.LG', 'stat.ML'],
        primary: 'cs.LG',
        published: at,
        updated: at,
      });
      tweets.push(
        fakeTweet({
          id: String(1_400_000_000_000_000_000n + BigInt(d * 10 + k)),
          authorId: '1',
          links: [`https://arxiv.org/abs/${id}`],
          createdAt: new Date(Date.parse(at) + 30 * 3_600_000).toISOString(),
          reposts: 10 * (k + 1),
          likes: 50 * (3 - k),
        }),
      );
    }
  });
  return { papers, x: { tweets, users } };
}

/** A fresh temp folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A bare git repository (the blog the post is pushed to). */
export function bareRepo(dir: string): string {
  const remote = join(dir, 'blog.git');
  execFileSync('git', ['init', '-q', '--bare', remote]);
  return remote;
}

/** Commits on a branch of a bare repository (newest first); none when the branch does not exist. */
export function commitsOf(remote: string, branch = 'main'): string[] {
  try {
    return execFileSync('git', ['--git-dir', remote, 'rev-list', branch], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** The environment of a CLI child: the stand-ins' plus a clean HOME (no user git config). */
export function cliEnv(standIns: StandIns, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: tempDir('hp-home-'),
    GIT_CONFIG_NOSYSTEM: '1',
    ...standIns.env,
    ...extra,
  };
}

/** Start the CLI as a child process (cwd: `cwd`, so no hotpapers.config.json of the repo applies). */
export function spawnCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the first stderr line to the end (the run's working part). */
  workMs: number;
}

export interface KillPlan {
  /** SIGKILL `afterMs` after the `afterLines`-th line on stderr (default the first: start-up before it only loads modules). */
  afterLines?: number;
  afterMs?: number;
  /** SIGKILL as soon as stderr matches. */
  when?: RegExp;
}

/** Run the CLI to its end, or until the kill plan fires (then SIGKILL). */
export function runCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  kill: KillPlan = {},
): Promise<CliResult> {
  const child = spawnCli(args, cwd, env);
  let stdout = '';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  let firstAt: number | undefined;
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    firstAt ??= Date.now();
    stderr += d.toString();
    const lines = stderr.split('\n').length - 1;
    if (kill.afterMs !== undefined && timer === undefined && lines >= (kill.afterLines ?? 1)) {
      timer = setTimeout(() => child.kill('SIGKILL'), kill.afterMs);
    }
    if (kill.when?.test(stderr)) child.kill('SIGKILL');
  });
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, workMs: firstAt === undefined ? 0 : Date.now() - firstAt });
    });
  });
}
