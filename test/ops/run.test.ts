import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseDay } from '../../src/cli/daily.js';
import { startStandIn } from '../../src/standins/server.js';
import { openStore } from '../../src/store/db.js';
import { finishRun, startRun } from '../../src/store/runs.js';
import { digest, fillStore, paper, post, ranked } from '../site/fixtures.js';
import {
  bareRepo,
  cliEnv,
  commitsOf,
  runCli,
  type StandIns,
  startDemoStandIns,
  tempDir,
  X_TOKEN,
} from './e2e-helpers.js';

const POST = '2021-06-09---Hot-Papers.md';

function paths(dir: string) {
  return { db: join(dir, 'hp.db'), out: join(dir, 'content', 'posts') };
}

function runArgs(dir: string, ...extra: string[]): string[] {
  const p = paths(dir);
  return ['run', '--db', p.db, '--out', p.out, ...extra];
}

test('run --date 2021-06-09 --publish - pushes the post to a bare repository; the same command again commits nothing', async (t) => {
  const standIns: StandIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  const remote = bareRepo(dir);
  const env = cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: remote, HOTPAPERS_PUBLISH_BRANCH: 'main' });

  const first = await runCli(runArgs(dir, '--date', '2021-06-09', '--publish'), dir, env);
  assert.equal(first.code, 0, first.stderr);
  const local = join(paths(dir).out, POST);
  assert.equal(first.stdout, `${local}\n`);
  const commits = commitsOf(remote);
  assert.equal(commits.length, 1);
  assert.match(first.stderr, new RegExp(`^run: published ${commits[0]!.slice(0, 12)}$`, 'm'));
  const pushed = execFileSync('git', ['--git-dir', remote, 'show', `main:content/posts/${POST}`], {
    encoding: 'utf8',
  });
  assert.equal(pushed, readFileSync(local, 'utf8'));
  assert.match(pushed, /^---\ntitle: Hot Papers 2021-06-09\n/);
  assert.equal(
    execFileSync('git', ['--git-dir', remote, 'log', '-1', '--format=%s', 'main'], { encoding: 'utf8' }),
    'Hot Papers 2021-06-09\n',
  );

  const second = await runCli(runArgs(dir, '--date', '2021-06-09', '--publish'), dir, env);
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(commitsOf(remote), commits, 'no new commit');
  assert.match(second.stderr, /post unchanged/);
  assert.match(second.stderr, /^run: nothing new to publish$/m);
  assert.equal(readFileSync(local, 'utf8'), pushed);

  // No secret anywhere: output, the store, the pushed history.
  for (const text of [
    first.stdout,
    first.stderr,
    second.stderr,
    readFileSync(paths(dir).db).toString('latin1'),
  ]) {
    assert.equal(text.includes(X_TOKEN), false);
  }
  const history = execFileSync('git', ['--git-dir', remote, 'log', '-p', '--all'], { encoding: 'utf8' });
  assert.equal(history.includes(X_TOKEN), false);
});

test('run - without --date takes the latest mailing; a day without papers (holiday) is not a failure unless asked for', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  const env = cliEnv(standIns);
  // HOTPAPERS_NOW is 2021-06-10T18:07:48Z (14:07 ET): the latest mailing is 2021-06-10, which the stand-ins do not have.
  const scheduled = await runCli(runArgs(dir), dir, env);
  assert.equal(scheduled.code, 0, scheduled.stderr);
  assert.match(scheduled.stderr, /^run: 2021-06-10$/m);
  assert.match(
    scheduled.stderr,
    /^warn: run: no mailing on 2021-06-10 \(an arXiv holiday\?\); nothing to post$/m,
  );
  assert.equal(scheduled.stdout, '');

  const asked = await runCli(runArgs(dir, '--date', '2021-06-10'), dir, env);
  assert.equal(asked.code, 1);
  assert.match(asked.stderr, /^arxiv: no mailing on 2021-06-10 \(no papers announced on 2021-06-10/m);
});

test('run - warns of earlier mailing days with no post, with the backfill that fills them; a holiday is not one', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  // Thursday 3 and Monday 7 June posted; Friday 4 met no mailing; Tuesday 8 was never run.
  const db = openStore(paths(dir).db);
  fillStore(db, [
    digest('2021-06-03', [ranked(1, paper('2106.90001'), [post('x', '91', 10, 60)])]),
    digest('2021-06-07', [ranked(1, paper('2106.90002'), [post('x', '92', 10, 60)])]),
  ]);
  finishRun(db, startRun(db, 'post', '2021-06-04', '2021-06-04T22:30:00.000Z'), {
    status: 'failed',
    endedAt: '2021-06-04T22:30:05.000Z',
    detail: 'arxiv: no mailing on 2021-06-04 (no papers announced on 2021-06-04 in cs, stat.ML)',
  });
  db.close();
  const ran = await runCli(runArgs(dir, '--date', '2021-06-09', '--json'), dir, cliEnv(standIns));
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(
    ran.stderr,
    /^warn: run: 1 earlier mailing day with no post: 2021-06-08 \(hotpapers backfill --from 2021-06-08 --to 2021-06-08\)$/m,
  );
  assert.deepEqual((JSON.parse(ran.stdout) as { missing: string[] }).missing, ['2021-06-08']);
});

test('run - a second run while one holds the store lock says who holds it and exits non-zero', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  const { db } = paths(dir);
  // This test process is alive: its lock is live.
  writeFileSync(
    `${db}.lock`,
    JSON.stringify({
      pid: process.pid,
      host: hostname(),
      startedAt: '2021-06-10T18:00:00.000Z',
      command: 'run 2021-06-09',
    }),
  );
  const blocked = await runCli(runArgs(dir, '--date', '2021-06-09'), dir, cliEnv(standIns));
  assert.equal(blocked.code, 1);
  assert.equal(
    blocked.stderr,
    `lock: another hotpapers run (pid ${process.pid}, started 2021-06-10T18:00:00.000Z, command run 2021-06-09) holds ${db}.lock\n`,
  );
  assert.equal(standIns.requests(), 0, 'nothing fetched');
});

test('run --publish - refuses before any work without a repository, or with credentials in its URL', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  const none = await runCli(runArgs(dir, '--date', '2021-06-09', '--publish'), dir, cliEnv(standIns));
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'config: --publish needs HOTPAPERS_PUBLISH_REPO (a git URL or path)\n');
  const secret = 'ghp_e2eSECRET0123456789abcdef';
  const leaky = await runCli(
    runArgs(dir, '--date', '2021-06-09', '--publish'),
    dir,
    cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: `https://bot:${secret}@github.com/me/blog.git` }),
  );
  assert.equal(leaky.code, 1);
  assert.equal(
    leaky.stderr,
    'publish: HOTPAPERS_PUBLISH_REPO must not carry credentials (https://***@github.com/…); remove them from the URL and set HOTPAPERS_GIT_TOKEN instead\n',
  );
  assert.equal(standIns.requests(), 0);
});

test('run --webhook --log-format json - notifies with the top papers; logs are JSON lines naming the host only', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const hook = await startStandIn(() => ({ status: 200, body: 'ok' }));
  t.after(() => hook.close());
  const dir = tempDir('hp-run-');
  const url = `${hook.url}/services/T000/B000/HOOKSECRET`;
  const result = await runCli(
    runArgs(dir, '--date', '2021-06-09', '--webhook', url, '--top', '3', '--log-format', 'json'),
    dir,
    cliEnv(standIns),
  );
  assert.equal(result.code, 0, result.stderr);
  assert.equal(hook.requests.length, 1);
  const body = JSON.parse(hook.requests[0]!.body) as { text: string; blocks: Array<{ type: string }> };
  assert.match(body.text, /^Hot Papers 2021-06-09: top 3 of \d+ ranked papers/);
  assert.equal(body.blocks.filter((b) => b.type === 'section').length, 3);
  const lines = result.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { level: string; msg: string });
  assert.ok(lines.every((l) => typeof l.msg === 'string' && ['info', 'warn', 'error'].includes(l.level)));
  assert.ok(lines.some((l) => l.msg === `run: notified ${new URL(hook.url).host}`));
  assert.equal(result.stderr.includes('HOOKSECRET'), false);
});

test('run --with-site --publish --publish-site - builds the site and publishes it with the post; again: no commit', async (t) => {
  const standIns = await startDemoStandIns();
  t.after(() => standIns.close());
  const dir = tempDir('hp-run-');
  const remote = bareRepo(dir);
  const env = cliEnv(standIns, { HOTPAPERS_PUBLISH_REPO: remote, HOTPAPERS_SITE_DIR: join(dir, 'public') });
  const argv = runArgs(dir, '--date', '2021-06-09', '--with-site', '--publish', '--publish-site');
  const first = await runCli(argv, dir, env);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^site: 1 days, \d+ files → /m);
  const tree = execFileSync('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'main'], {
    encoding: 'utf8',
  }).split('\n');
  assert.ok(tree.includes(`content/posts/${POST}`));
  assert.ok(tree.includes('public/index.html'));
  assert.equal(
    execFileSync('git', ['--git-dir', remote, 'show', 'main:public/index.html'], { encoding: 'utf8' }),
    readFileSync(join(dir, 'public', 'index.html'), 'utf8'),
  );
  const second = await runCli(argv, dir, env);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(commitsOf(remote).length, 1);

  const lone = await runCli(runArgs(dir, '--date', '2021-06-09', '--publish', '--publish-site'), dir, env);
  assert.equal(lone.code, 2, 'a usage error');
  assert.equal(lone.stderr, 'run: --publish-site needs --publish and --with-site\n');
});

test('chooseDay - --date checked; default the latest mailing, or with --horizon the day nearest that age', () => {
  const now = new Date('2021-06-10T18:07:48Z');
  assert.equal(chooseDay({ date: '2021-06-09' }, now), '2021-06-09');
  assert.equal(chooseDay({}, now), '2021-06-10');
  assert.equal(chooseDay({}, new Date('2021-06-13T12:00:00Z')), '2021-06-11', 'on a weekend, Friday');
  assert.equal(chooseDay({ horizon: '24h' }, new Date('2021-06-10T00:30:00Z')), '2021-06-09');
  assert.throws(() => chooseDay({ date: '2021-06-05' }, now), {
    message:
      'run: --date 2021-06-05 is a Saturday; arXiv mails Monday to Friday: try 2021-06-04 (Friday) or 2021-06-07 (Monday)',
  });
  assert.throws(() => chooseDay({ date: '2021-13-01' }, now), {
    message: 'run: --date must be a calendar day as YYYY-MM-DD, got "2021-13-01"',
  });
});
