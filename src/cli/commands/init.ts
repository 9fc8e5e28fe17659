/**
 * `hotpapers init`: set up unattended daily runs. `--github-actions` writes the workflow;
 * `--cron` and `--systemd` print a crontab line or systemd units to install by hand (with
 * `--systemd`, also the service that runs `hotpapers listen` and a weekly backup of the store).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HotpapersError } from '../../errors.js';
import {
  cronLine,
  DEFAULT_CRON,
  githubWorkflow,
  type InstallMode,
  systemdUnits,
} from '../../ops/workflow.js';
import { VERSION } from '../../version.js';
import { type Command, Option } from '../commander.js';
import { examples, quietOption } from '../options.js';
import { UsageError } from '../usage.js';
import { SUMMARIES } from './summaries.js';

export const WORKFLOW_PATH = join('.github', 'workflows', 'hotpapers.yml');

export interface InitFlags {
  githubActions?: boolean;
  cron?: boolean;
  systemd?: boolean;
  force?: boolean;
  schedule?: string;
  horizon?: '24h' | '72h';
  dir?: string;
  quiet?: boolean;
}

/** Register `hotpapers init`. */
export function register(program: Command): void {
  program
    .command('init')
    .description(SUMMARIES.init.description)
    .option('--github-actions', `write ${WORKFLOW_PATH} (runs daily, caches the store, publishes the post)`)
    .option('--cron', 'print crontab lines: the daily run and a weekly backup of the store')
    .option(
      '--systemd',
      'print the systemd service and timer, the Bluesky listener service and a weekly backup with its timer',
    )
    .option('--force', 'overwrite an existing workflow file')
    .option('--schedule <cron>', `UTC cron expression of the workflow (default "${DEFAULT_CRON}")`)
    .addOption(
      new Option('--horizon <age>', 'fixed horizon of the daily post (default 24h)').choices(['24h', '72h']),
    )
    .option('--dir <path>', 'working folder for --cron/--systemd (default the current folder)')
    .addOption(quietOption('no messages on stderr'))
    .addHelpText(
      'after',
      examples(['hotpapers init --github-actions', 'hotpapers init --cron --dir /srv/hotpapers | crontab -']),
    )
    .action(async (flags: InitFlags) => {
      const done = await init(flags, process.cwd());
      if (!flags.quiet) for (const line of done.messages) process.stderr.write(`${line}\n`);
      if (done.stdout) process.stdout.write(done.stdout);
    });
}

/** What `init` did: lines for stderr, text for stdout. */
export interface InitOutcome {
  messages: string[];
  stdout: string;
}

/** The work of `hotpapers init` in folder `cwd` (exported for tests). */
export async function init(flags: InitFlags, cwd: string): Promise<InitOutcome> {
  if (!flags.githubActions && !flags.cron && !flags.systemd) {
    throw new UsageError('init', 'choose what to set up: --github-actions, --cron or --systemd');
  }
  const out: InitOutcome = { messages: [], stdout: '' };
  if (flags.githubActions) {
    if (flags.schedule !== undefined && !isCron(flags.schedule)) {
      throw new UsageError(
        'init',
        `--schedule must be a cron expression of five fields, got "${flags.schedule}"`,
      );
    }
    const path = join(cwd, WORKFLOW_PATH);
    if (existsSync(path) && !flags.force) {
      throw new HotpapersError('init', `${WORKFLOW_PATH} exists; use --force to overwrite it`);
    }
    const text = githubWorkflow({ install: installMode(cwd), cron: flags.schedule, horizon: flags.horizon });
    const { writeFileAtomic } = await import('../../util/atomic.js');
    const written = await writeFileAtomic(path, text);
    out.messages.push(`init: ${written ? 'wrote' : 'kept (unchanged)'} ${WORKFLOW_PATH}`);
  }
  const dir = flags.dir ?? cwd;
  if (flags.cron) out.stdout += `${cronLine(dir)}\n`;
  if (flags.systemd) {
    const units = systemdUnits(dir);
    out.stdout += `${units.service}\n${units.timer}\n${units.listener}\n${units.backup}\n${units.backupTimer}\n${units.status}\n${units.statusTimer}`;
  }
  return out;
}

/** Inside a checkout of hotpapers itself the workflow builds it; elsewhere it installs the release. */
function installMode(cwd: string): InstallMode {
  try {
    const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name?: string };
    if (pkg.name === 'hotpapers') return { kind: 'source' };
  } catch {
    // no package.json: a blog or ops repository
  }
  return { kind: 'npm', version: VERSION };
}

function isCron(value: string): boolean {
  return /^\s*(\S+\s+){4}\S+\s*$/.test(value) && /^[\d*/,\-\sA-Za-z]+$/.test(value);
}
