/**
 * Issue 11, the command-line conventions: exit 2 for usage errors and 1 for failed runs; dates
 * refused before any output or request, with the nearest mailing day; --quiet/--db/--json where
 * they make sense; errors as JSON under --log-format json; help with examples, exit codes and
 * the environment. Every case runs the real CLI as a child process against loopback stand-ins.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ENV_NAMES } from '../../src/config/schema.js';
import { runCli } from '../helpers/cli.js';
import { type StandIns, startDemoStandIns, tempDir } from '../ops/e2e-helpers.js';

let standIns: StandIns;
const dir = tempDir('hp-conventions-');
const db = join(dir, 'hp.db');
before(async () => {
  standIns = await startDemoStandIns();
});
after(async () => {
  await standIns.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Env pointing at the demo stand-ins (HOTPAPERS_NOW 2021-06-10T18:07:48Z, Thursday). */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...(standIns.env as Record<string, string>), HOTPAPERS_DB: db, ...extra };
}

/** Run a command that must be refused as a usage error before any output or request. */
async function refused(args: string[], stderr: RegExp, extra: Record<string, string> = {}) {
  const requests = standIns.requests();
  const run = await runCli(args, env(extra), { cwd: dir });
  assert.equal(run.code, 2, `exit 2 for ${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stdout, '', 'nothing on stdout');
  assert.match(run.stderr, stderr);
  assert.equal(standIns.requests() - requests, 0, 'no request made');
  return run;
}

test('usage errors exit 2: unknown option, missing --date, bad number, bad date shape, no command', async () => {
  await refused(['papers', '--date', '2021-06-09', '--bogus'], /unknown option '--bogus'/);
  await refused(['post'], /required option '--date <YYYY-MM-DD>' not specified/);
  const bad = await refused(['post', '--date', '2021-06-09', '--max-posts', 'lots'], /./);
  assert.equal(bad.stderr, 'post: --max-posts must be a whole number at least 0, got "lots"\n');
  await refused(
    ['post', '--date', '2021-6-9'],
    /^post: --date must be a calendar day as YYYY-MM-DD, got "2021-6-9"\n$/,
  );
  await refused(['run', '--top', '99'], /^run: --top must be a whole number from 1 to 45, got "99"\n$/);
  await refused(['serve', '--port', 'http'], /^serve: --port must be a whole number from 0 to 65535/);
  await refused(['nosuch'], /unknown command 'nosuch'/);
  await refused([], /Usage: hotpapers/);
  await refused(
    ['explain', '--date', '2021-06-09', 'not-an-id'],
    /^explain: "not-an-id" is not an arXiv id\n$/,
  );
  await refused(['post', '--date', '2021-06-09', '--categories', 'c s!'], /^config: --categories must be/);
  assert.equal(existsSync(db), false, 'no store was created by a refused command');
});

test('a weekend is refused before any output or request, naming the nearest mailing days', async () => {
  const run = await refused(['post', '--date', '2021-06-05'], /./);
  assert.equal(
    run.stderr,
    'post: --date 2021-06-05 is a Saturday; arXiv mails Monday to Friday: try 2021-06-04 (Friday) or 2021-06-07 (Monday)\n',
  );
  await refused(
    ['papers', '--date', '2021-06-06'],
    /is a Sunday; .*try 2021-06-04 \(Friday\) or 2021-06-07 \(Monday\)/,
  );
  await refused(['run', '--date', '2021-06-05'], /^run: --date 2021-06-05 is a Saturday/);
  await refused(
    ['explain', '--date', '2021-06-05', '2106.04554'],
    /^explain: --date 2021-06-05 is a Saturday/,
  );
});

test('a day before arXiv or not announced yet is refused with the nearest day', async () => {
  await refused(
    ['papers', '--date', '1990-05-01'],
    /^papers: --date 1990-05-01 is before arXiv's first mailing; the earliest day is 1991-08-14\n$/,
  );
  // HOTPAPERS_NOW is Thursday 2021-06-10 14:07 ET: Friday's mailing comes out at 20:00 ET.
  await refused(
    ['post', '--date', '2021-06-11'],
    /^post: --date 2021-06-11 is not out yet \(announced 2021-06-11T00:00:00.000Z, 20:00 ET the evening before\); the latest mailing as of 2021-06-10T18:07:48.000Z is 2021-06-10 \(Thursday\)\n$/,
  );
  await refused(['post', '--date', '2030-01-07'], /is not out yet/);
  await refused(
    ['backfill', '--from', '2021-06-01', '--to', '2021-07-01'],
    /^backfill: --to 2021-07-01 is not out yet/,
  );
  await refused(
    ['backfill', '--from', '2021-06-09', '--to', '2021-06-01'],
    /^backfill: --from 2021-06-09 is after --to/,
  );
});

test('--log-format json: usage errors and failed runs are JSON lines on stderr', async () => {
  const usage = await runCli(['papers', '--date', '2021-06-09', '--log-format', 'json', '--bogus'], env(), {
    cwd: dir,
  });
  assert.equal(usage.code, 2);
  const line = JSON.parse(usage.stderr.trim()) as Record<string, unknown>;
  assert.equal(line.level, 'error');
  assert.equal(line.exitCode, 2);
  assert.match(String(line.msg), /unknown option '--bogus'/);

  const date = await runCli(['post', '--date', '2021-06-05', '--log-format=json'], env(), { cwd: dir });
  assert.equal(date.code, 2);
  assert.match((JSON.parse(date.stderr) as { msg: string }).msg, /^post: --date 2021-06-05 is a Saturday/);

  // A run that cannot complete: the arXiv endpoint refuses connections.
  const failed = await runCli(
    ['papers', '--date', '2021-06-09', '--log-format', 'json', '--db', join(dir, 'failed.db')],
    env({ ARXIV_API_URL: 'http://127.0.0.1:9/api/query', HOTPAPERS_HTTP_ATTEMPTS: '1' }),
    { cwd: dir },
  );
  assert.equal(failed.code, 1, failed.stderr);
  const lines = failed.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = lines.at(-1)!;
  assert.equal(last.level, 'error');
  assert.equal(last.exitCode, 1);
  assert.equal(last.service, 'arxiv');
});

test('papers takes --quiet, --db and --json; post --json prints a summary', async () => {
  const papersDb = join(dir, 'papers.db');
  const papers = await runCli(
    ['papers', '--date', '2021-06-09', '--quiet', '--json', '--db', papersDb],
    env(),
    {
      cwd: dir,
    },
  );
  assert.equal(papers.code, 0, papers.stderr);
  assert.equal(papers.stderr, '', '--quiet: nothing on stderr');
  assert.ok((JSON.parse(papers.stdout) as unknown[]).length > 0);
  assert.ok(existsSync(papersDb), '--db chose the store');

  const out = join(dir, 'posts');
  const post = await runCli(
    ['post', '--date', '2021-06-09', '--json', '--quiet', '--out', out, '--db', papersDb],
    env(),
    {
      cwd: dir,
    },
  );
  assert.equal(post.code, 0, post.stderr);
  assert.equal(post.stderr, '');
  const summary = JSON.parse(post.stdout) as {
    day: string;
    path: string;
    ranked: number;
    papers: Array<{ rank: number; id: string }>;
    sources: Array<{ source: string; status: string }>;
    exitCode: number;
  };
  assert.equal(summary.day, '2021-06-09');
  assert.equal(summary.path, join(out, '2021-06-09---Hot-Papers.md'));
  assert.ok(readFileSync(summary.path, 'utf8').length > 0);
  assert.equal(summary.papers.length, summary.ranked);
  assert.ok(summary.ranked > 0);
  assert.equal(summary.papers[0]!.rank, 1);
  assert.deepEqual(
    summary.sources.map((s) => [s.source, s.status]),
    [['x', 'ok']],
  );
  assert.equal(summary.exitCode, 0);

  const site = await runCli(
    [
      'site',
      '--json',
      '--quiet',
      '--db',
      papersDb,
      '--out',
      join(dir, 'public'),
      '--base-url',
      'https://example.org/',
    ],
    env(),
    {
      cwd: dir,
    },
  );
  assert.equal(site.code, 0, site.stderr);
  assert.equal(site.stderr, '');
  const built = JSON.parse(site.stdout) as { dir: string; days: number; files: number };
  assert.equal(built.days, 1);
  assert.ok(built.files > 0);
  assert.ok(existsSync(join(built.dir, 'index.html')));
});

test('help lists examples, exit codes and every environment variable; --date is marked required', async () => {
  const help = await runCli(['--help'], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Examples:$/m);
  assert.match(help.stdout, /^Exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 {2}usage error/m);
  for (const name of Object.values(ENV_NAMES)) {
    assert.match(
      help.stdout,
      new RegExp(`\\b${name}\\b`),
      `--help must name ${name}: add it to ENVIRONMENT in src/cli/help.ts`,
    );
  }
  for (const command of ['papers', 'post', 'explain']) {
    const sub = await runCli([command, '--help'], {});
    assert.equal(sub.code, 0);
    assert.match(sub.stdout, /--date <YYYY-MM-DD> +required: /, `${command} marks --date required`);
    assert.match(sub.stdout, /^Examples:\n {2}\$ hotpapers /m);
  }
  const run = await runCli(['run', '--help'], {});
  assert.doesNotMatch(run.stdout, /--date <YYYY-MM-DD> +required/, 'run picks the latest day itself');
});

test('the root help, made from the commands summaries, is the help of every command loaded', async () => {
  // `hotpapers help` loads every command's definition; `--help` and `-h` only their summaries.
  const full = await runCli(['help'], {});
  assert.equal(full.code, 0);
  assert.match(full.stdout, /^ {2}explain \[options\] <id> +show each post's contribution/m);
  for (const flag of ['--help', '-h']) {
    const root = await runCli([flag], {});
    assert.equal(root.code, 0);
    assert.equal(root.stdout, full.stdout, `${flag} lists each command as its definition does`);
  }
});

test('output into a pipe closed early ends the CLI quietly, with its exit code', async () => {
  // The pipe is closed before the child writes: every write of its gets EPIPE.
  for (const args of [['--help'], ['--version'], ['help', 'site']]) {
    const { code, stderr } = await runCli(args, {}, { closeStdout: true });
    assert.equal(stderr, '', `hotpapers ${args.join(' ')} prints nothing on stderr`);
    assert.equal(code, 0, `hotpapers ${args.join(' ')} exits 0`);
  }
});
