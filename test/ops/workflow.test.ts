import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { init } from '../../src/cli/commands/init.js';
import { cronLine, DEFAULT_CRON, githubWorkflow, systemdUnits } from '../../src/ops/workflow.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

/** A GitHub Actions expression as it appears in the YAML: `${{ e }}`. */
const gh = (e: string) => `\${{ ${e} }}`;

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

function cli(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

function stepsOf(text: string): Step[] {
  const doc = parse(text) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(doc.jobs)[0]!.steps;
}

test('githubWorkflow - a run that restored no store says so with a warning before it runs', () => {
  const steps = stepsOf(githubWorkflow({ install: { kind: 'npm', version: '1.2.3' } }));
  const warn = steps.find((s) => s.name === 'Say when the store starts anew')!;
  const run = steps.find((s) => s.run?.startsWith('hotpapers run'))!;
  assert.ok(steps.indexOf(warn) < steps.indexOf(run));
  // The step's own script, run by bash in a workspace without and then with the restored store.
  const workspace = mkdtempSync(join(tmpdir(), 'hp-workflow-'));
  const script = () => spawnSync('bash', ['-e', '-c', warn.run!], { cwd: workspace, encoding: 'utf8' });
  const none = script();
  assert.equal(none.status, 0);
  assert.match(none.stdout, /^::warning title=hotpapers::no saved store was restored/);
  mkdirSync(join(workspace, '.hotpapers'));
  writeFileSync(join(workspace, run.env!.HOTPAPERS_DB!), '');
  const restored = script();
  assert.equal(restored.status, 0);
  assert.equal(restored.stdout, '', 'quiet when the store came back');
});

test('githubWorkflow - parses as YAML: daily schedule after the announcement, manual dispatch, write access', () => {
  const doc = parse(githubWorkflow({ install: { kind: 'npm', version: '1.2.3' } })) as {
    on: { schedule: Array<{ cron: string }>; workflow_dispatch: { inputs: { date: { required: boolean } } } };
    permissions: Record<string, string>;
    concurrency: { group: string };
  };
  assert.deepEqual(doc.on.schedule, [{ cron: DEFAULT_CRON }]);
  assert.equal(DEFAULT_CRON, '30 22 * * 1-5');
  assert.equal(doc.on.workflow_dispatch.inputs.date.required, false);
  assert.deepEqual(doc.permissions, { contents: 'write' });
  assert.equal(doc.concurrency.group, 'hotpapers');
});

test('githubWorkflow - steps: checkout, node 20, install, cached store, run --publish with secrets from env', () => {
  const steps = stepsOf(githubWorkflow({ install: { kind: 'npm', version: '1.2.3' } }));
  assert.equal(steps[0]!.uses, 'actions/checkout@v4');
  assert.equal(steps[1]!.uses, 'actions/setup-node@v4');
  assert.equal(steps[1]!.with!['node-version'], 20);
  assert.equal(steps.find((s) => s.name === 'Install hotpapers')!.run, 'npm install -g hotpapers@1.2.3');

  const cache = steps.find((s) => s.uses === 'actions/cache@v4')!;
  assert.equal(cache.with!.path, '.hotpapers');
  assert.match(
    String(cache.with!.key),
    /^hotpapers-store-\$\{\{ steps\.stamp\.outputs\.day \}\}-\$\{\{ github\.run_id \}\}/,
  );
  assert.deepEqual(String(cache.with!['restore-keys']).trim().split('\n'), [
    `hotpapers-store-${gh('steps.stamp.outputs.day')}-`,
    'hotpapers-store-',
  ]);

  const run = steps.find((s) => s.run?.startsWith('hotpapers run'))!;
  assert.equal(
    run.run,
    `hotpapers run --publish --horizon 24h --log-format json \${INPUT_DATE:+--date "$INPUT_DATE"}`,
  );
  assert.ok(steps.indexOf(cache) < steps.indexOf(run), 'the store is restored before the run');
  assert.equal(run.env!.HOTPAPERS_DB, '.hotpapers/hotpapers.db');
  assert.equal(run.env!.X_BEARER_TOKEN, gh('secrets.X_BEARER_TOKEN'));
  assert.equal(run.env!.BLUESKY_APP_PASSWORD, gh('secrets.BLUESKY_APP_PASSWORD'));
  assert.equal(run.env!.HOTPAPERS_GIT_TOKEN, gh('secrets.HOTPAPERS_GIT_TOKEN || github.token'));
  assert.match(
    run.env!.HOTPAPERS_PUBLISH_REPO!,
    /^\$\{\{ vars\.HOTPAPERS_PUBLISH_REPO \|\| format\('https:\/\/github\.com\/\{0\}\.git', github\.repository\) \}\}$/,
  );
  // The dispatch input reaches the shell as a variable, never spliced into the script.
  assert.equal(run.env!.INPUT_DATE, gh('inputs.date'));
  assert.equal(run.run!.includes(gh('').slice(0, 3)), false);
});

test('githubWorkflow - a hotpapers checkout builds itself; schedule and horizon are options', () => {
  const text = githubWorkflow({ install: { kind: 'source' }, cron: '0 23 * * *', horizon: '72h' });
  const steps = stepsOf(text);
  assert.equal(steps.find((s) => s.name === 'Install hotpapers')!.run, 'npm ci && npm install -g .');
  assert.deepEqual((parse(text) as { on: { schedule: unknown } }).on.schedule, [{ cron: '0 23 * * *' }]);
  assert.match(
    steps.find((s) => s.run?.startsWith('hotpapers run'))!.run!,
    /^hotpapers run --publish --horizon 72h /,
  );
});

test('init --github-actions - the CLI writes the workflow into the current folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-init-'));
  const first = cli(dir, 'init', '--github-actions');
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stderr, 'init: wrote .github/workflows/hotpapers.yml\n');
  const steps = stepsOf(readFileSync(join(dir, '.github', 'workflows', 'hotpapers.yml'), 'utf8'));
  assert.ok(steps.some((s) => s.run?.startsWith('hotpapers run --publish')));
  const again = cli(dir, 'init', '--github-actions');
  assert.equal(again.status, 1);
  assert.equal(again.stderr, 'init: .github/workflows/hotpapers.yml exists; use --force to overwrite it\n');
});

test('init - refuses to overwrite without --force; --force and --schedule; bad schedule in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-init-'));
  const path = join(dir, '.github', 'workflows', 'hotpapers.yml');
  assert.deepEqual(await init({ githubActions: true }, dir), {
    messages: ['init: wrote .github/workflows/hotpapers.yml'],
    stdout: '',
  });
  assert.deepEqual((await init({ githubActions: true, force: true }, dir)).messages, [
    'init: kept (unchanged) .github/workflows/hotpapers.yml',
  ]);
  writeFileSync(path, 'mine\n');
  await assert.rejects(init({ githubActions: true }, dir), {
    message: 'init: .github/workflows/hotpapers.yml exists; use --force to overwrite it',
  });
  assert.equal(readFileSync(path, 'utf8'), 'mine\n');
  await init({ githubActions: true, force: true, schedule: '15 23 * * 1-5' }, dir);
  assert.match(readFileSync(path, 'utf8'), /- cron: '15 23 \* \* 1-5'/);
  await assert.rejects(init({ githubActions: true, force: true, schedule: "1 2 3'" }, dir), {
    message: `init: --schedule must be a cron expression of five fields, got "1 2 3'"`,
  });
});

test('init - installs from npm in a blog repository, from source in a hotpapers checkout', async () => {
  const blog = mkdtempSync(join(tmpdir(), 'hp-init-'));
  await init({ githubActions: true }, blog);
  const fromNpm = stepsOf(readFileSync(join(blog, '.github', 'workflows', 'hotpapers.yml'), 'utf8'));
  assert.match(
    fromNpm.find((s) => s.name === 'Install hotpapers')!.run!,
    /^npm install -g hotpapers@\d+\.\d+\.\d+$/,
  );
  const fork = mkdtempSync(join(tmpdir(), 'hp-init-'));
  writeFileSync(join(fork, 'package.json'), '{"name":"hotpapers"}');
  await init({ githubActions: true }, fork);
  const fromSource = stepsOf(readFileSync(join(fork, '.github', 'workflows', 'hotpapers.yml'), 'utf8'));
  assert.equal(fromSource.find((s) => s.name === 'Install hotpapers')!.run, 'npm ci && npm install -g .');
});

test('init - without a target says what to choose; --cron and --systemd print recipes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-init-'));
  await assert.rejects(init({}, dir), {
    message: 'init: choose what to set up: --github-actions, --cron or --systemd',
  });
  const units = systemdUnits('/srv/hp');
  assert.deepEqual(await init({ cron: true, systemd: true, dir: '/srv/hp' }, dir), {
    messages: [],
    stdout: `${cronLine('/srv/hp')}\n${units.service}\n${units.timer}\n${units.listener}\n${units.backup}\n${units.backupTimer}\n${units.status}\n${units.statusTimer}`,
  });
});

test('cronLine / systemdUnits - 18:30 US Eastern on weekdays, run --publish', () => {
  assert.equal(
    cronLine('/srv/hp'),
    [
      'CRON_TZ=America/New_York',
      '30 18 * * 1-5  cd /srv/hp && hotpapers run --publish --horizon 24h --log-format json >> hotpapers.log 2>&1',
      '0 3 * * 0  cd /srv/hp && hotpapers store backup --force backups/hotpapers.db --log-format json >> hotpapers.log 2>&1',
      '0 9 * * 1-5  cd /srv/hp && hotpapers status > /dev/null',
    ].join('\n'),
  );
  const units = systemdUnits('/srv/hp');
  assert.match(units.timer, /^OnCalendar=Mon\.\.Fri 18:30 America\/New_York$/m);
  assert.match(units.timer, /^Persistent=true$/m);
  assert.match(
    units.service,
    /^ExecStart=\/usr\/bin\/env hotpapers run --publish --horizon 24h --log-format json$/m,
  );
  assert.match(units.service, /^WorkingDirectory=\/srv\/hp$/m);
});

test('systemdUnits - a weekly backup of the store, on Sunday night when no run is due', () => {
  const { backup, backupTimer } = systemdUnits('/srv/hp');
  assert.match(backup, /^# \/etc\/systemd\/system\/hotpapers-backup\.service$/m);
  assert.match(backup, /^Type=oneshot$/m);
  assert.match(
    backup,
    /^ExecStart=\/usr\/bin\/env hotpapers store backup --force backups\/hotpapers\.db --log-format json$/m,
  );
  assert.match(backup, /^WorkingDirectory=\/srv\/hp$/m);
  assert.match(backupTimer, /^# \/etc\/systemd\/system\/hotpapers-backup\.timer$/m);
  assert.match(backupTimer, /^OnCalendar=Sun 03:00 America\/New_York$/m);
  assert.match(backupTimer, /^WantedBy=timers\.target$/m);
});

test('systemdUnits - a morning status that fails (for systemctl --failed) when something needs a person', () => {
  const { status, statusTimer } = systemdUnits('/srv/hp');
  assert.match(status, /^# \/etc\/systemd\/system\/hotpapers-status\.service$/m);
  assert.match(status, /^Type=oneshot$/m);
  assert.match(status, /^ExecStart=\/usr\/bin\/env hotpapers status --log-format json$/m);
  assert.match(status, /^WorkingDirectory=\/srv\/hp$/m);
  assert.match(statusTimer, /^# \/etc\/systemd\/system\/hotpapers-status\.timer$/m);
  assert.match(statusTimer, /^OnCalendar=Mon\.\.Fri 09:00 America\/New_York$/m);
  assert.match(statusTimer, /^WantedBy=timers\.target$/m);
});

test('systemdUnits - the listener runs for good, restarts, and is stopped with SIGTERM', () => {
  const { listener } = systemdUnits('/srv/hp');
  assert.match(listener, /^# \/etc\/systemd\/system\/hotpapers-listen\.service$/m);
  assert.match(listener, /^Type=simple$/m);
  assert.match(listener, /^ExecStart=\/usr\/bin\/env hotpapers listen --log-format json$/m);
  assert.match(listener, /^Restart=always$/m);
  assert.match(listener, /^KillSignal=SIGTERM$/m);
  assert.match(listener, /^WorkingDirectory=\/srv\/hp$/m);
  assert.match(listener, /^WantedBy=multi-user\.target$/m);
});
