/**
 * `hotpapers backfill --from D1 --to D2`: the post of every mailing day in a range, resumable
 * (complete days are skipped), with a progress bar and ETA; `--publish` commits the range's
 * posts at the end in one commit.
 */
import type { Horizon } from '../../ops/horizon.js';
import { type Command, Option } from '../commander.js';
import { type CommonFlags, calendarDay, examples, withPipelineFlags } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface BackfillFlags extends CommonFlags {
  from: string;
  to: string;
  horizon?: Horizon;
  refresh?: boolean;
  publish?: boolean;
}

/** Register `hotpapers backfill`. */
export function register(program: Command): void {
  const command = program
    .command('backfill')
    .description(SUMMARIES.backfill.description)
    .requiredOption('--from <YYYY-MM-DD>', 'required: first day', calendarDay('backfill', '--from'))
    .requiredOption('--to <YYYY-MM-DD>', 'required: last day, inclusive', calendarDay('backfill', '--to'))
    .addOption(
      new Option('--horizon <age>', 'counts as of 24h or 72h after each announcement').choices([
        '24h',
        '72h',
      ]),
    )
    .option('--refresh', 're-run days already complete and re-fetch their listings')
    .option('--publish', 'at the end, commit the posts of the range to HOTPAPERS_PUBLISH_REPO and push')
    .addHelpText(
      'after',
      examples([
        'hotpapers backfill --from 2026-06-01 --to 2026-06-30',
        'hotpapers backfill --from 2026-06-01 --to 2026-06-30 --horizon 72h --publish',
      ]),
    );
  withPipelineFlags(command).action(async (flags: BackfillFlags) => {
    const [
      { nowOf },
      { createHttpFromConfig },
      { backfill },
      { withLock },
      { createProgress },
      { checkPublishTarget, publishPosts },
      shared,
    ] = await Promise.all([
      import('../../config/load.js'),
      import('../../http/from-config.js'),
      import('../../ops/backfill.js'),
      import('../../ops/lock.js'),
      import('../../ops/progress.js'),
      import('../../ops/publish.js'),
      import('../shared.js'),
    ]);
    const { assertMailingRange } = await import('../dates.js');
    const { from, to } = flags;
    const config = shared.configFromFlags(flags);
    assertMailingRange(from, to, nowOf(config), 'backfill');
    const log = shared.loggerFor(flags, config);
    if (flags.publish) checkPublishTarget(config);
    const label = `backfill ${from}..${to}${flags.horizon ? ` ${flags.horizon}` : ''}`;
    await withLock(config.db, label, async () => {
      const progress = createProgress({
        log,
        format: flags.logFormat,
        quiet: flags.quiet ?? config.quiet,
      });
      const result = await backfill({
        config,
        from,
        to,
        progress,
        http: createHttpFromConfig(config, { log }),
        horizon: flags.horizon,
        refresh: flags.refresh,
      });
      const holidays = result.noMailing.length > 0 ? `, no mailing on ${result.noMailing.join(', ')}` : '';
      log.info(
        `backfill: ${result.paths.length} posts for ${result.days.length} mailing days (${result.ran.length} run, ${result.skipped.length} already complete${holidays})`,
      );
      let commit: string | null = null;
      if (flags.publish && result.paths.length > 0) {
        const published = await publishPosts({
          config,
          paths: result.paths,
          message: `Hot Papers ${from} to ${to}`,
          log,
          env: process.env,
        });
        log.info(
          published.committed
            ? `backfill: published ${published.commit?.slice(0, 12)}`
            : 'backfill: nothing new to publish',
        );
        commit = published.committed ? (published.commit ?? null) : null;
      }
      if (flags.json) shared.printJson({ from, to, ...result, published: commit });
    });
  });
}
