/** `hotpapers status`: the recent runs, the mailing days due with no post, and the listener. */
import { HotpapersError } from '../../errors.js';
import { type Command, Option } from '../commander.js';
import { dbOption, examples, jsonOption, logFormatOption, wholeNumber } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface StatusFlags {
  db?: string;
  categories?: string;
  days?: string;
  dueAfter?: string;
  json?: boolean;
  logFormat?: 'human' | 'json';
}

/** The listener counts as gone quiet after this long without a save (it saves every second while events come). */
const LISTENER_STALE_MINUTES = 60;

/** Register `hotpapers status`. */
export function register(program: Command): void {
  program
    .command('status')
    .description(SUMMARIES.status.description)
    .addOption(dbOption())
    .addOption(
      new Option('--categories <list>', 'count the days posted for these categories (default cs,stat.ML)'),
    )
    .addOption(
      new Option('--days <n>', 'how many of the latest mailing days due to look at (default 20)').argParser(
        wholeNumber('status', '--days', 1, 5000),
      ),
    )
    .addOption(
      new Option(
        '--due-after <hours>',
        "a day counts as due this many hours after arXiv announced it (default 26: the daily run's 18:30 ET, with time to spare; 74 for --horizon 72h runs)",
      ).argParser(wholeNumber('status', '--due-after', 0, 24 * 14)),
    )
    .addOption(jsonOption('print what was found as JSON'))
    .addOption(logFormatOption())
    .addHelpText(
      'after',
      examples([
        'hotpapers status                  # exit 1, one line on stderr, when something needs you',
        'hotpapers status --days 60 --json',
      ]),
    )
    .action(async (flags: StatusFlags) => {
      const [
        { readStatus, hoursOrMinutes, xReadsLine, diskLine },
        { openExisting, schemaOf, schemaNote },
        { configOf, printJson },
        load,
        { categoriesKey },
      ] = await Promise.all([
        import('../../ops/status.js'),
        import('../../store/maintenance.js'),
        import('../shared.js'),
        import('../../config/load.js'),
        import('../../store/listings.js'),
      ]);
      const config = configOf({ db: flags.db, categories: flags.categories });
      const db = openExisting(config.db, true);
      let report: ReturnType<typeof readStatus>;
      let schema: ReturnType<typeof schemaOf>;
      try {
        schema = schemaOf(db);
        report = readStatus(db, {
          // Keyed as `post` keys its digests.
          categories: categoriesKey(load.chosenCategories(config)),
          now: load.nowOf(config),
          realNow: new Date(),
          days: Number(flags.days ?? 20),
          dueAfterHours: Number(flags.dueAfter ?? 26),
          listenerStaleMinutes: LISTENER_STALE_MINUTES,
        });
      } finally {
        db.close();
      }
      if (flags.json) printJson({ store: config.db, schema, ...report, ok: report.problems.length === 0 });
      else {
        const lines: string[] = [];
        const { stored, window } = report;
        lines.push(
          `${config.db}: ${schemaNote(schema)}; ${stored.days} day${stored.days === 1 ? '' : 's'} posted for ${report.categories}${stored.first ? ` (${stored.first} to ${stored.last})` : ''}`,
        );
        if (report.runs.length === 0) lines.push('runs: none yet');
        else {
          lines.push('runs (newest first):');
          for (const r of report.runs)
            lines.push(
              `  ${r.command}${r.day ? ` ${r.day}` : ''}: ${r.status}, started ${r.startedAt}${r.endedAt ? `, took ${seconds(r.startedAt, r.endedAt)}` : ''}${r.failedSources.length > 0 ? `; failed: ${r.failedSources.join(', ')}` : ''}`,
            );
        }
        if (window) {
          lines.push(
            `days: ${window.from} to ${window.to} (the latest due): ${report.posted} posted${report.holidays.length > 0 ? `, ${report.holidays.length} without a mailing (${report.holidays.join(', ')})` : ''}${report.missing.length > 0 ? `, ${report.missing.length} missing` : ''}`,
          );
        } else if (report.demoOnly)
          lines.push(
            "days: none due: the store holds the demo's day only (post or backfill starts the count)",
          );
        if (report.listener)
          lines.push(
            `listener: newest event stored ${report.listener.lastEventAt}, saved ${hoursOrMinutes(report.listener.minutesSinceSave)} ago${report.listener.stale ? ' (stale)' : ''}`,
          );
        if (report.disk) lines.push(diskLine(report.disk));
        if (report.xReads) lines.push(xReadsLine(report.xReads));
        for (const p of report.problems) lines.push(`needs you: ${p}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (report.problems.length > 0)
        throw new HotpapersError(
          'status',
          `${report.problems[0]}${report.problems.length > 1 ? ` (and ${report.problems.length - 1} more: see stdout)` : ''}`,
        );
    });
}

/** The time between two ISO instants, in seconds as a person reads them. */
function seconds(from: string, to: string): string {
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) ? `${s < 10 ? s.toFixed(1) : Math.round(s)} s` : '?';
}
