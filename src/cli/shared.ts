/**
 * Helpers the commands' actions share at run time: flags → config, logger, summaries. Actions
 * import this module when they run; the flag definitions are in options.ts. A --date is checked
 * by dates.ts, which loads the mailing calendar and luxon: `site` and `serve` need neither.
 */
import { chosenCategories, type LoadOptions, loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { PostRunResult } from '../pipeline/post.js';
import type { GenerateOptions } from '../site/generate.js';
import type { SourceHealth } from '../types.js';
import { createLogger, type Logger } from '../util/log.js';
import type { CommonFlags } from './options.js';
import { UsageError } from './usage.js';

export type { CommonFlags } from './options.js';

/** The validated config with these flag values on top; a bad flag value is a usage error (exit 2). */
export function configOf(flags: NonNullable<LoadOptions['flags']>): Config {
  try {
    return loadConfig({ flags });
  } catch (error) {
    // loadConfig names where a bad value came from; a flag's is the command line's fault.
    if (error instanceof ConfigError && /^config: --[a-z]/.test(error.message)) {
      throw new UsageError('config', error.message.replace(/^config: /, ''));
    }
    throw error;
  }
}

/** Build the validated config from the environment, the config file and these flags. */
export function configFromFlags(flags: CommonFlags): Config {
  return configOf({
    categories: flags.categories,
    outDir: flags.out,
    db: flags.db,
    quiet: flags.quiet ? true : undefined,
    strict: flags.strict ? true : undefined,
    minPaperScore: flags.minPaperScore,
    minPostScore: flags.minPostScore,
    maxPosts: flags.maxPosts,
    maxXReads: flags.maxXReads,
  });
}

/** What every site build (`site`, `serve`, `run --with-site`) takes from the configuration. */
export function siteOptionsOf(
  config: Config,
): Pick<GenerateOptions, 'db' | 'categories' | 'keepThumbnailOriginals'> {
  return {
    db: config.db,
    categories: chosenCategories(config).join(','),
    keepThumbnailOriginals: config.thumbnailOriginals === 'keep',
  };
}

/** The logger for a command's flags. */
export function loggerFor(flags: Pick<CommonFlags, 'quiet' | 'logFormat'>, config?: Config): Logger {
  return createLogger({ quiet: flags.quiet ?? config?.quiet, format: flags.logFormat ?? 'human' });
}

/** Print a command's JSON result on stdout, one document. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line per source for the end-of-run summary. */
export function healthLines(health: readonly SourceHealth[]): string[] {
  return health.map((h) => {
    const read = h.postsRead === undefined ? '' : `, ${h.postsRead} posts read (billed)`;
    const counts = `${h.posts} posts, ${h.requests} requests${read}`;
    if (h.status === 'failed')
      return `  ${h.source}: FAILED — ${h.detail ?? 'unknown error'}${h.postsRead ? ` (${h.postsRead} posts read before, billed)` : ''}`;
    if (h.status === 'suspicious') return `  ${h.source}: suspicious — ${h.detail ?? ''} (${counts})`;
    return `  ${h.source}: ${h.status} (${counts})`;
  });
}

/** The JSON summary of one day's post (`post --json`, `run --json`). */
export function runSummaryJson(result: PostRunResult) {
  const d = result.digest;
  return {
    day: result.day,
    path: result.path,
    written: result.written,
    categories: d.categories,
    observedAt: d.observedAt,
    horizon: d.horizon ?? null,
    listed: d.listed,
    postsFound: d.postsFound,
    ranked: d.papers.length,
    papers: d.papers.map((p) => ({ rank: p.rank, id: p.paper.id, title: p.paper.title, score: p.score })),
    requests: result.requests,
    sources: result.health,
    exitCode: result.exitCode,
  };
}
