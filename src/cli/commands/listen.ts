/**
 * `hotpapers listen`: follow Bluesky's Jetstream and keep every post that links an arXiv paper
 * (and every deletion of one) in the store, so `post` counts Bluesky without search or login.
 * Runs until SIGTERM/SIGINT, then saves its last batch and cursor and exits 0.
 */
import { type Command, Option } from '../commander.js';
import { dbOption, examples, logFormatOption, quietOption } from '../options.js';
import { UsageError } from '../usage.js';
import { SUMMARIES } from './summaries.js';

interface ListenFlags {
  db?: string;
  overlap: string;
  saveInterval: string;
  quiet?: boolean;
  logFormat?: 'human' | 'json';
}

/** Register `hotpapers listen`. */
export function register(program: Command): void {
  program
    .command('listen')
    .description(SUMMARIES.listen.description)
    .addOption(dbOption())
    .addOption(
      new Option('--overlap <seconds>', 'replay this much before the saved cursor on start (default 5)')
        .argParser(seconds('--overlap', 0))
        .default('5'),
    )
    .addOption(
      new Option(
        '--save-interval <seconds>',
        'longest time between two saves of posts and cursor (default 1)',
      )
        .argParser(seconds('--save-interval', 0.01))
        .default('1'),
    )
    .addOption(quietOption('warnings only on stderr'))
    .addOption(logFormatOption())
    .addHelpText('after', examples(['hotpapers listen', 'hotpapers listen --db /srv/hotpapers/hotpapers.db']))
    .action(async (flags: ListenFlags) => {
      const [{ isoOfTimeUs }, { runListener }, { openStore }, { configOf, loggerFor }] = await Promise.all([
        import('../../listen/jetstream.js'),
        import('../../listen/listener.js'),
        import('../../store/db.js'),
        import('../shared.js'),
      ]);
      const config = configOf({ db: flags.db, quiet: flags.quiet ? true : undefined });
      const log = loggerFor(flags, config);
      const db = openStore(config.db);
      const controller = new AbortController();
      const stop = (signal: NodeJS.Signals) => {
        if (!controller.signal.aborted) log.info(`listen: ${signal}: saving the cursor and stopping`);
        controller.abort();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      try {
        const stats = await runListener({
          url: config.blueskyJetstreamUrl,
          db,
          log,
          signal: controller.signal,
          overlapUs: Math.round(Number(flags.overlap) * 1_000_000),
          flushMs: Math.round(Number(flags.saveInterval) * 1000),
        });
        log.info(
          `listen: stopped after ${stats.events} events: ${stats.stored} posts linking papers stored, ${stats.deleted} deletions recorded${
            stats.cursorUs !== undefined ? `; cursor ${stats.cursorUs} (${isoOfTimeUs(stats.cursorUs)})` : ''
          }`,
        );
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        db.close();
      }
    });
}

/** Parser of a number-of-seconds flag, at least `min`; a bad value is a usage error (exit 2). */
function seconds(flag: string, min: number): (value: string) => string {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min) {
      throw new UsageError('listen', `${flag} must be a number of seconds ≥ ${min}, got "${value}"`);
    }
    return value.trim();
  };
}
