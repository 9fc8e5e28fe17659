/**
 * The flags of the commands, defined without loading any command's implementation: `--help`
 * and `--version` load this module, commander and nothing heavy (no zod, luxon, SQLite, cheerio).
 * Values that can be checked from the text alone (numbers, date shape, choices) are checked
 * here, at parse time, so a bad flag is a usage error (exit 2) before any work starts.
 */
import { type Command, Option } from './commander.js';
import { UsageError } from './usage.js';

/** Options every pipeline command takes, as commander parses them. */
export interface CommonFlags {
  categories?: string;
  out?: string;
  db?: string;
  quiet?: boolean;
  json?: boolean;
  strict?: boolean;
  minPaperScore?: string;
  minPostScore?: string;
  maxPosts?: string;
  maxXReads?: string;
  logFormat?: 'human' | 'json';
}

/**
 * Parser for the whole-number flag `flag` of `command`, from `min` to `max`; keeps the text
 * (config validates it again). Throws a one-line UsageError naming the command and the flag.
 */
export function wholeNumber(
  command: string,
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): (value: string) => string {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      throw new UsageError(command, `${flag} must be a whole number ${range}, got "${clipArg(value)}"`);
    }
    return value.trim();
  };
}

/** True for a YYYY-MM-DD calendar date (pure; no time-zone database needed). */
export function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const date = new Date(`${day}T00:00:00Z`);
  // Date rolls 2021-02-30 over to March; a real day survives the round trip.
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

/** Parser for the YYYY-MM-DD flag `flag` of `command` (the mailing-day rules are checked when it runs). */
export function calendarDay(command: string, flag = '--date'): (value: string) => string {
  return (value) => {
    const day = value.trim();
    if (!isCalendarDay(day)) {
      throw new UsageError(command, `${flag} must be a calendar day as YYYY-MM-DD, got "${clipArg(value)}"`);
    }
    return day;
  };
}

/** Echoed bad input stays short. */
function clipArg(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/** `--date` of `command`: required where the command cannot guess the day. */
export function dateOption(command: string, description: string, required: boolean): Option {
  const option = new Option('--date <YYYY-MM-DD>', required ? `required: ${description}` : description);
  option.argParser(calendarDay(command));
  if (required) option.makeOptionMandatory();
  return option;
}

export const dbOption = (): Option =>
  new Option('--db <file>', 'SQLite store (default HOTPAPERS_DB or ./hotpapers.db)');

export const quietOption = (
  description = 'no progress or summary on stderr (warnings still shown)',
): Option => new Option('--quiet', description);

export const jsonOption = (description: string): Option => new Option('--json', description);

export const logFormatOption = (): Option =>
  new Option('--log-format <format>', 'stderr lines for humans, or JSON lines (errors too)').choices([
    'human',
    'json',
  ]);

/** Add the pipeline flags (thresholds, categories, output, logging) to a command. */
export function withPipelineFlags(command: Command): Command {
  const name = command.name();
  return command
    .addOption(
      new Option('--categories <list>', 'comma list of arXiv categories/archives (default cs,stat.ML)'),
    )
    .addOption(new Option('--out <dir>', 'folder for the Markdown post (default content/posts)'))
    .addOption(dbOption())
    .addOption(
      new Option('--min-paper-score <n>', 'list papers scoring at least n (default 50)').argParser(
        wholeNumber(name, '--min-paper-score', 0),
      ),
    )
    .addOption(
      new Option('--min-post-score <n>', 'embed posts scoring at least n (default 25)').argParser(
        wholeNumber(name, '--min-post-score', 0),
      ),
    )
    .addOption(
      new Option('--max-posts <n>', 'embed at most n posts per paper (default 10)').argParser(
        wholeNumber(name, '--max-posts', 0),
      ),
    )
    .addOption(
      new Option(
        '--max-x-reads <n>',
        'stop reading X posts after n (reads cost money; default 10000)',
      ).argParser(wholeNumber(name, '--max-x-reads', 1)),
    )
    .addOption(new Option('--strict', 'exit 1 when any source fails'))
    .addOption(quietOption())
    .addOption(jsonOption('print a JSON summary of the run on stdout instead of the post path'))
    .addOption(logFormatOption());
}

/** Add the flags `site` and `serve` share (where the data comes from, what the pages show). */
export function withSiteFlags(command: Command): Command {
  return command
    .addOption(
      new Option(
        '--base-url <url>',
        'absolute URL the site is published at, for feeds and canonical links (HOTPAPERS_BASE_URL)',
      ),
    )
    .addOption(dbOption())
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
    )
    .addOption(logFormatOption());
}

/** Examples block for a command's help. */
export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
