/** Helpers shared by the commands: flags → config, logger, summaries. */
import { Option } from 'commander';
import { assertDay } from '../arxiv/schedule.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { HotpapersError } from '../errors.js';
import type { SourceHealth } from '../types.js';
import { createLogger, type LogFormat, type Logger } from '../util/log.js';

/** Options every pipeline command takes, as commander parses them. */
export interface CommonFlags {
  categories?: string;
  out?: string;
  db?: string;
  quiet?: boolean;
  strict?: boolean;
  minPaperScore?: string;
  minPostScore?: string;
  maxPosts?: string;
  maxXReads?: string;
  logFormat?: string;
}

/** Add the pipeline flags (thresholds, categories, output, logging) to a command. */
export function withPipelineFlags<T extends { addOption(o: Option): T }>(command: T): T {
  return command
    .addOption(
      new Option('--categories <list>', 'comma list of arXiv categories/archives (default cs,stat.ML)'),
    )
    .addOption(new Option('--out <dir>', 'folder for the Markdown post (default content/posts)'))
    .addOption(new Option('--db <file>', 'SQLite store (default HOTPAPERS_DB or ./hotpapers.db)'))
    .addOption(new Option('--min-paper-score <n>', 'list papers scoring at least n (default 50)'))
    .addOption(new Option('--min-post-score <n>', 'embed posts scoring at least n (default 25)'))
    .addOption(new Option('--max-posts <n>', 'embed at most n posts per paper (default 10)'))
    .addOption(
      new Option('--max-x-reads <n>', 'stop reading X posts after n (reads cost money; default 10000)'),
    )
    .addOption(new Option('--strict', 'exit non-zero when any source fails'))
    .addOption(new Option('--quiet', 'no progress or summary on stderr (warnings still shown)'))
    .addOption(new Option('--log-format <format>', 'human or json').choices(['human', 'json']));
}

/** Add the flags `site` and `serve` share (where the data comes from, what the pages show). */
export function withSiteFlags<T extends { addOption(o: Option): T }>(command: T): T {
  return command
    .addOption(
      new Option(
        '--base-url <url>',
        'absolute URL the site is published at, for feeds and canonical links (HOTPAPERS_BASE_URL)',
      ),
    )
    .addOption(new Option('--db <file>', 'SQLite store (default HOTPAPERS_DB or ./hotpapers.db)'))
    .addOption(
      new Option('--categories <list>', 'prefer the days ranked for these categories (default cs,stat.ML)'),
    )
    .addOption(
      new Option('--horizon <age>', 'show the fixed-horizon counts of each day when stored').choices([
        '24h',
        '72h',
      ]),
    )
    .addOption(
      new Option(
        '--live-embeds',
        "show posts with the providers' widgets (sanitised) instead of static cards",
      ),
    );
}

/** Build the validated config from the environment, the config file and these flags. */
export function configFromFlags(flags: CommonFlags): Config {
  return loadConfig({
    flags: {
      categories: flags.categories,
      outDir: flags.out,
      db: flags.db,
      quiet: flags.quiet ? true : undefined,
      strict: flags.strict ? true : undefined,
      minPaperScore: flags.minPaperScore,
      minPostScore: flags.minPostScore,
      maxPosts: flags.maxPosts,
      maxXReads: flags.maxXReads,
    },
  });
}

/** The logger for a command's flags. */
export function loggerFor(flags: CommonFlags, config?: Config): Logger {
  return createLogger({
    quiet: flags.quiet ?? config?.quiet,
    format: (flags.logFormat as LogFormat | undefined) ?? 'human',
  });
}

/** The mailing date given by --date: present, and a calendar day (the schedule's own check). */
export function requireDate(value: string | undefined, command: string): string {
  if (!value) throw new HotpapersError(command, 'missing --date YYYY-MM-DD');
  return assertDay(value, command);
}

/** One line per source for the end-of-run summary. */
export function healthLines(health: readonly SourceHealth[]): string[] {
  return health.map((h) => {
    const counts = `${h.posts} posts, ${h.requests} requests`;
    if (h.status === 'failed') return `  ${h.source}: FAILED — ${h.detail ?? 'unknown error'}`;
    if (h.status === 'suspicious') return `  ${h.source}: suspicious — ${h.detail ?? ''} (${counts})`;
    return `  ${h.source}: ${h.status} (${counts})`;
  });
}
