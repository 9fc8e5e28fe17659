/**
 * `hotpapers listen`: follow Bluesky's Jetstream and keep every post that links an arXiv paper
 * (and every deletion of one) in the store, so `post` counts Bluesky without search or login.
 * Runs until SIGTERM/SIGINT, then saves its last batch and cursor and exits 0.
 */
import { type Command, Option } from 'commander';
import { loadConfig } from '../../config/load.js';
import { HotpapersError } from '../../errors.js';
import { isoOfTimeUs } from '../../listen/jetstream.js';
import { DEFAULT_OVERLAP_US, runListener } from '../../listen/listener.js';
import { openStore } from '../../store/db.js';
import { createLogger, type LogFormat } from '../../util/log.js';

interface ListenFlags {
  db?: string;
  overlap?: string;
  saveInterval?: string;
  quiet?: boolean;
  logFormat?: string;
}

/** Register `hotpapers listen`. */
export function register(program: Command): void {
  program
    .command('listen')
    .description('follow Bluesky (Jetstream) and store every post linking an arXiv paper; runs until stopped')
    .addOption(new Option('--db <file>', 'SQLite store (default HOTPAPERS_DB or ./hotpapers.db)'))
    .addOption(
      new Option('--overlap <seconds>', 'replay this much before the saved cursor on start').default(
        String(DEFAULT_OVERLAP_US / 1_000_000),
      ),
    )
    .addOption(
      new Option('--save-interval <seconds>', 'longest time between two saves of posts and cursor').default(
        '1',
      ),
    )
    .addOption(new Option('--quiet', 'warnings only on stderr'))
    .addOption(new Option('--log-format <format>', 'human or json').choices(['human', 'json']))
    .action(async (flags: ListenFlags) => {
      const config = loadConfig({ flags: { db: flags.db, quiet: flags.quiet ? true : undefined } });
      const log = createLogger({
        quiet: config.quiet,
        format: (flags.logFormat as LogFormat | undefined) ?? 'human',
      });
      const overlap = seconds(flags.overlap, '--overlap', 0);
      const saveInterval = seconds(flags.saveInterval, '--save-interval', 0.01);
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
          overlapUs: Math.round(overlap * 1_000_000),
          flushMs: Math.round(saveInterval * 1000),
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

function seconds(value: string | undefined, flag: string, min: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < min) {
    throw new HotpapersError('listen', `${flag} must be a number of seconds ≥ ${min}, got "${value}"`);
  }
  return n;
}
