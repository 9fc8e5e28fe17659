/**
 * `hotpapers run`: the daily job. Post for the latest mailing (or --date), then the site when
 * asked, then publish and notify; one run per store at a time. Idempotent: run twice with
 * the same inputs, the second rewrites nothing and commits nothing.
 */
import { type Command, Option } from '../commander.js';
import type { RunFlags } from '../daily.js';
import { dateOption, examples, wholeNumber, withPipelineFlags } from '../options.js';
import { UsageError } from '../usage.js';
import { SUMMARIES } from './summaries.js';

/** Register `hotpapers run`. */
export function register(program: Command): void {
  const command = program
    .command('run')
    .description(SUMMARIES.run.description)
    .addOption(
      dateOption(
        'run',
        'mailing day (default: the latest per HOTPAPERS_NOW and the US-Eastern schedule)',
        false,
      ),
    )
    .addOption(
      new Option(
        '--horizon <age>',
        'fixed horizon: counts as of 24h or 72h after the announcement; without --date, the day nearest that age',
      ).choices(['24h', '72h']),
    )
    .option('--refresh', 're-fetch the listing even when the store has it')
    .option('--with-site', 'build the static site after the post')
    .option('--publish', 'commit the post to HOTPAPERS_PUBLISH_REPO (HOTPAPERS_PUBLISH_BRANCH) and push')
    .option('--publish-site', 'with --publish and --with-site: publish the built site too')
    .option('--webhook <url>', 'after the run, POST the top papers to this Slack-compatible webhook')
    .option('--top <n>', 'papers in the webhook message (default 10)', wholeNumber('run', '--top', 1, 45))
    .addHelpText(
      'after',
      examples([
        'hotpapers run',
        'hotpapers run --horizon 24h --with-site --publish --publish-site',
        'hotpapers run --date 2026-06-09 --webhook https://hooks.slack.com/services/… --json',
      ]),
    );
  withPipelineFlags(command).action(async (flags: RunFlags) => {
    const [
      { nowOf },
      { withLock },
      { checkPublishTarget },
      { webhookHost },
      { chooseDay, runDaily },
      shared,
    ] = await Promise.all([
      import('../../config/load.js'),
      import('../../ops/lock.js'),
      import('../../ops/publish.js'),
      import('../../ops/webhook.js'),
      import('../daily.js'),
      import('../shared.js'),
    ]);
    const { configFromFlags, loggerFor } = shared;
    const config = configFromFlags(flags);
    const log = loggerFor(flags, config);
    const now = nowOf(config);
    const day = chooseDay(flags, now);
    // Everything that can be checked before the work is checked first: a run fails in a second, not after an hour.
    if (flags.publish) checkPublishTarget(config);
    if (flags.publishSite && !(flags.publish && flags.withSite)) {
      throw new UsageError('run', '--publish-site needs --publish and --with-site');
    }
    const hook = flags.webhook;
    if (hook) {
      try {
        webhookHost(hook);
      } catch (error) {
        throw new UsageError('run', `--webhook: ${(error as Error).message.replace(/^webhook: /, '')}`);
      }
    }
    const top = flags.top === undefined ? 10 : Number(flags.top);
    const label = `run ${day}${flags.horizon ? ` ${flags.horizon}` : ''}${flags.publish ? ' --publish' : ''}`;
    process.exitCode = await withLock(config.db, label, () =>
      runDaily({ config, log, day, flags, hook, top, explicitDate: Boolean(flags.date), now }),
    );
  });
}
