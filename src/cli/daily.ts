/**
 * The work of `hotpapers run` (the daily job), loaded when the command runs: post for the day,
 * then the site, publish and notify as asked; resolves to the exit code.
 */
import { latestMailing } from '../arxiv/schedule.js';
import { chosenCategories } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createHttpFromConfig } from '../http/from-config.js';
import { isNoMailing } from '../ops/backfill.js';
import { describeCounts, type Horizon, horizonDay, horizonInstant } from '../ops/horizon.js';
import { publishPosts } from '../ops/publish.js';
import { missingBefore, missingLine } from '../ops/status.js';
import { postWebhook, webhookHost } from '../ops/webhook.js';
import { runPost } from '../pipeline/post.js';
import { resolveBaseUrl } from '../site/base-url.js';
import { generateSiteToDir } from '../site/generate.js';
import { type Db, openStore } from '../store/db.js';
import { categoriesKey } from '../store/listings.js';
import type { Logger } from '../util/log.js';
import { assertMailingDay } from './dates.js';
import type { CommonFlags } from './options.js';
import { printJson, runSummaryJson, siteOptionsOf } from './shared.js';

/** The flags of `hotpapers run`, as commander parses them. */
export interface RunFlags extends CommonFlags {
  date?: string;
  horizon?: Horizon;
  refresh?: boolean;
  publish?: boolean;
  withSite?: boolean;
  publishSite?: boolean;
  webhook?: string;
  top?: string;
}

/** What a daily run needs. */
export interface DailyOptions {
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
export async function runDaily(o: DailyOptions): Promise<number> {
  const { config, log, day, flags } = o;
  const horizon = flags.horizon;
  if (horizon) {
    const at = horizonInstant(day, horizon);
    const when = at > o.now ? `reached at ${at.toISOString()}` : `passed at ${at.toISOString()}`;
    log.info(`run: ${day}, ${horizon} horizon ${when}`);
  } else {
    log.info(`run: ${day}`);
  }
  const http = createHttpFromConfig(config, { log });
  // One connection for the post and for the days before it that have none.
  const db = openStore(config.db);
  let result: Awaited<ReturnType<typeof runPost>>;
  let missing: string[];
  try {
    result = await runPost({ config, day, log, horizon, refresh: flags.refresh, http, db });
    missing = missingDays(db, config, day);
  } catch (error) {
    // A scheduled run on an arXiv holiday has nothing to do; that is not a failure.
    if (!o.explicitDate && isNoMailing(error)) {
      log.warn(`run: no mailing on ${day} (an arXiv holiday?); nothing to post`);
      return 0;
    }
    throw error;
  } finally {
    db.close();
  }
  const digest = result.digest;
  log.info(
    `run: ${day}: ${digest.papers.length} papers ranked of ${digest.listed} listed, ${describeCounts(digest.horizon, digest.ageHours)}; post ${result.written ? 'written' : 'unchanged'}`,
  );

  if (missing.length > 0) log.warn(`run: ${missingLine(missing, 'earlier ')}`);

  const siteDir = flags.withSite ? await buildSite(config, horizon, log) : undefined;

  let exitCode = result.exitCode;
  let commit: string | null = null;
  let notified: boolean | null = null;
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
    commit = published.committed ? (published.commit ?? null) : null;
  }
  if (o.hook) {
    try {
      await postWebhook(http, o.hook, digest, o.top);
      log.info(`run: notified ${webhookHost(o.hook)}`);
      notified = true;
    } catch (error) {
      // The post is out and published; a failed notification is reported and makes the exit non-zero.
      log.error(error instanceof Error ? error.message : String(error));
      exitCode = exitCode || 1;
      notified = false;
    }
  }
  if (flags.json) {
    printJson({
      ...runSummaryJson(result),
      missing,
      site: siteDir ?? null,
      published: commit,
      notified,
      exitCode,
    });
  } else {
    process.stdout.write(`${result.path}\n`);
  }
  return exitCode;
}

/**
 * The mailing days among the 20 before `day` (from the store's first day on) with no post and no
 * run that met no mailing: days a failed or skipped run left behind, which nothing else fills.
 * Never fails the run: a store that cannot say gives none.
 */
function missingDays(db: Db, config: Config, day: string): string[] {
  try {
    return missingBefore(db, categoriesKey(chosenCategories(config)), day);
  } catch {
    return [];
  }
}

/** `run --with-site`: rebuild the site from the store into config.siteDir; resolves to that folder. */
async function buildSite(config: Config, horizon: Horizon | undefined, log: Logger): Promise<string> {
  const base = resolveBaseUrl(config.baseUrl);
  if (base.warning) log.warn(base.warning);
  const result = await generateSiteToDir(
    { ...siteOptionsOf(config), baseUrl: base.baseUrl, horizon },
    config.siteDir,
  );
  for (const warning of result.warnings) log.warn(warning);
  for (const line of result.notes) log.info(line);
  log.info(`site: ${result.days} days, ${result.written.files} files → ${result.written.dir}`);
  return result.written.dir;
}

/** The day a run posts: --date, or the latest mailing (with --horizon, the one nearest that age). */
export function chooseDay(flags: { date?: string; horizon?: Horizon }, now: Date): string {
  if (flags.date) return assertMailingDay(flags.date, now, 'run');
  return flags.horizon ? horizonDay(now, flags.horizon) : latestMailing(now);
}
