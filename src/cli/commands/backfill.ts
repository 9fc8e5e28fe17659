/**
 * `hotpapers backfill --from D1 --to D2`: the post of every mailing day in a range, resumable
 * (complete days are skipped), with a progress bar and ETA; `--publish` commits the range's
 * posts at the end in one commit.
 */
import { type Command, Option } from 'commander';
import { assertDay } from '../../arxiv/schedule.js';
import { HotpapersError } from '../../errors.js';
import { backfill } from '../../ops/backfill.js';
import type { Horizon } from '../../ops/horizon.js';
import { withLock } from '../../ops/lock.js';
import { createProgress } from '../../ops/progress.js';
import { checkPublishTarget, publishPosts } from '../../ops/publish.js';
import type { LogFormat } from '../../util/log.js';
import { type CommonFlags, configFromFlags, loggerFor, withPipelineFlags } from '../shared.js';

interface BackfillFlags extends CommonFlags {
  from?: string;
  to?: string;
  horizon?: Horizon;
  refresh?: boolean;
  publish?: boolean;
}

/** Register `hotpapers backfill`. */
export function register(program: Command): void {
  const command = program
    .command('backfill')
    .description('write the post of every mailing day from --from to --to (weekends skipped; resumable)')
    .option('--from <YYYY-MM-DD>', 'first day')
    .option('--to <YYYY-MM-DD>', 'last day (inclusive)')
    .addOption(
      new Option('--horizon <age>', 'counts as of 24h or 72h after each announcement').choices([
        '24h',
        '72h',
      ]),
    )
    .option('--refresh', 're-run days already complete and re-fetch their listings')
    .option('--publish', 'at the end, commit the posts of the range to HOTPAPERS_PUBLISH_REPO and push');
  withPipelineFlags(command).action(async (flags: BackfillFlags) => {
    if (!flags.from) throw new HotpapersError('backfill', 'missing --from YYYY-MM-DD');
    if (!flags.to) throw new HotpapersError('backfill', 'missing --to YYYY-MM-DD');
    const from = assertDay(flags.from, 'backfill');
    const to = assertDay(flags.to, 'backfill');
    const config = configFromFlags(flags);
    const log = loggerFor(flags, config);
    if (flags.publish) checkPublishTarget(config);
    const label = `backfill ${from}..${to}${flags.horizon ? ` ${flags.horizon}` : ''}`;
    await withLock(config.db, label, async () => {
      const progress = createProgress({
        log,
        format: flags.logFormat as LogFormat | undefined,
        quiet: flags.quiet ?? config.quiet,
      });
      const result = await backfill({
        config,
        from,
        to,
        progress,
        horizon: flags.horizon,
        refresh: flags.refresh,
      });
      const holidays = result.noMailing.length > 0 ? `, no mailing on ${result.noMailing.join(', ')}` : '';
      log.info(
        `backfill: ${result.paths.length} posts for ${result.days.length} mailing days (${result.ran.length} run, ${result.skipped.length} already complete${holidays})`,
      );
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
      }
    });
  });
}
