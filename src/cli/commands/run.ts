/**
 * `hotpapers run`: the daily job. Post for the latest mailing (or --date), then the site when
 * asked, then publish and notify; one run per store at a time. Idempotent: run twice with
 * the same inputs, the second rewrites nothing and commits nothing.
 */
import { type Command, Option } from 'commander';
import { assertDay, isMailingDay, latestMailing, weekdayName } from '../../arxiv/schedule.js';
import { chosenCategories, nowOf } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { HotpapersError } from '../../errors.js';
import { createHttpFromConfig } from '../../http/from-config.js';
import { isNoMailing } from '../../ops/backfill.js';
import { describeCounts, type Horizon, horizonDay, horizonInstant } from '../../ops/horizon.js';
import { withLock } from '../../ops/lock.js';
import { checkPublishTarget, publishPosts } from '../../ops/publish.js';
import { postWebhook, webhookHost } from '../../ops/webhook.js';
import { runPost } from '../../pipeline/post.js';
import { resolveBaseUrl } from '../../site/base-url.js';
import { generateSiteToDir } from '../../site/generate.js';
import type { Logger } from '../../util/log.js';
import { type CommonFlags, configFromFlags, loggerFor, withPipelineFlags } from '../shared.js';

interface RunFlags extends CommonFlags {
  date?: string;
  horizon?: Horizon;
  refresh?: boolean;
  publish?: boolean;
  withSite?: boolean;
  publishSite?: boolean;
  webhook?: string;
  top?: string;
}

/** Register `hotpapers run`. */
export function register(program: Command): void {
  const command = program
    .command('run')
    .description('the daily job: post for the latest mailing day, then site, publish and notify as asked')
    .option(
      '--date <YYYY-MM-DD>',
      'mailing day (default: the latest per HOTPAPERS_NOW and the US-Eastern schedule)',
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
    .option('--top <n>', 'papers in the webhook message (default 10)');
  withPipelineFlags(command).action(async (flags: RunFlags) => {
    const config = configFromFlags(flags);
    const log = loggerFor(flags, config);
    const now = nowOf(config);
    const day = chooseDay(flags, now);
    // Everything that can be checked before the work is checked first: a run fails in a second, not after an hour.
    if (flags.publish) checkPublishTarget(config);
    if (flags.publishSite && !(flags.publish && flags.withSite)) {
      throw new HotpapersError('run', '--publish-site needs --publish and --with-site');
    }
    const hook = flags.webhook;
    if (hook) webhookHost(hook);
    const top = parseTop(flags.top);
    const label = `run ${day}${flags.horizon ? ` ${flags.horizon}` : ''}${flags.publish ? ' --publish' : ''}`;
    process.exitCode = await withLock(config.db, label, () =>
      runDaily({ config, log, day, flags, hook, top, explicitDate: Boolean(flags.date), now }),
    );
  });
}

interface DailyOptions {
  config: Config;
  log: Logger;
  day: string;
  flags: RunFlags;
  hook?: string;
  top: number;
  explicitDate: boolean;
  now: Date;
}

/** The run itself, lock held; resolves to the exit code. */
async function runDaily(o: DailyOptions): Promise<number> {
  const { config, log, day, flags } = o;
  const horizon = flags.horizon;
  if (horizon) {
    const at = horizonInstant(day, horizon);
    const when = at > o.now ? `reached at ${at.toISOString()}` : `passed at ${at.toISOString()}`;
    log.info(`run: ${day}, ${horizon} horizon ${when}`);
  } else {
    log.info(`run: ${day}`);
  }
  const http = createHttpFromConfig(config);
  let result: Awaited<ReturnType<typeof runPost>>;
  try {
    result = await runPost({ config, day, log, horizon, refresh: flags.refresh, http });
  } catch (error) {
    // A scheduled run on an arXiv holiday has nothing to do; that is not a failure.
    if (!o.explicitDate && isNoMailing(error)) {
      log.warn(`run: no mailing on ${day} (an arXiv holiday?); nothing to post`);
      return 0;
    }
    throw error;
  }
  const digest = result.digest;
  log.info(
    `run: ${day}: ${digest.papers.length} papers ranked of ${digest.listed} listed, ${describeCounts(digest.horizon, digest.ageHours)}; post ${result.written ? 'written' : 'unchanged'}`,
  );

  const siteDir = flags.withSite ? await buildSite(config, horizon, log) : undefined;

  let exitCode = result.exitCode;
  if (flags.publish) {
    const published = await publishPosts({
      config,
      paths: [result.path],
      siteDir: flags.publishSite ? siteDir : undefined,
      message: `Hot Papers ${day}${horizon ? ` (${horizon})` : ''}`,
      log,
      env: process.env,
    });
    log.info(
      published.committed
        ? `run: published ${published.commit?.slice(0, 12)}`
        : 'run: nothing new to publish',
    );
  }
  if (o.hook) {
    try {
      await postWebhook(http, o.hook, digest, o.top);
      log.info(`run: notified ${webhookHost(o.hook)}`);
    } catch (error) {
      // The post is out and published; a failed notification is reported and makes the exit non-zero.
      log.error(error instanceof Error ? error.message : String(error));
      exitCode = exitCode || 1;
    }
  }
  process.stdout.write(`${result.path}\n`);
  return exitCode;
}

/** `run --with-site`: rebuild the site from the store into config.siteDir; resolves to that folder. */
async function buildSite(config: Config, horizon: Horizon | undefined, log: Logger): Promise<string> {
  const base = resolveBaseUrl(config.baseUrl);
  if (base.warning) log.warn(base.warning);
  const result = await generateSiteToDir(
    { db: config.db, baseUrl: base.baseUrl, categories: chosenCategories(config).join(','), horizon },
    config.siteDir,
  );
  for (const warning of result.warnings) log.warn(warning);
  log.info(`site: ${result.days} days, ${result.written.files} files → ${result.written.dir}`);
  return result.written.dir;
}

/** The day a run posts: --date, or the latest mailing (with --horizon, the one nearest that age). */
export function chooseDay(flags: { date?: string; horizon?: Horizon }, now: Date): string {
  if (flags.date) {
    const day = assertDay(flags.date, 'run');
    if (!isMailingDay(day)) {
      throw new HotpapersError('run', `${day} is a ${weekdayName(day)}; arXiv mails Monday to Friday`);
    }
    return day;
  }
  return flags.horizon ? horizonDay(now, flags.horizon) : latestMailing(now);
}

function parseTop(value: string | undefined): number {
  if (value === undefined) return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 45) {
    throw new HotpapersError('run', `--top must be a whole number from 1 to 45, got "${value}"`);
  }
  return n;
}
