/** `hotpapers demo` (= `npm start`): the whole pipeline on the bundled sample day, offline. */

import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEMO_DAY, runDemo } from '../../demo/run.js';
import { createLogger } from '../../util/log.js';
import { healthLines } from '../shared.js';

/** Register `hotpapers demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      `run the whole pipeline on the bundled ${DEMO_DAY} day against loopback stand-ins (no network, no keys)`,
    )
    .option('--out <dir>', 'folder for the Markdown post', 'content/posts')
    .option('--db <file>', 'SQLite store (default HOTPAPERS_DB or ./hotpapers.db)')
    .option('--quiet', 'no progress or summary on stderr')
    .action(async (flags: { out: string; db?: string; quiet?: boolean }) => {
      const log = createLogger({ quiet: flags.quiet });
      const result = await runDemo({ outDir: flags.out, db: flags.db, log });
      log.info(
        [
          `demo: ${result.digest.listed} papers listed, ${result.digest.postsFound} posts found, ${result.digest.papers.length} papers ranked`,
          ...healthLines(result.health),
        ].join('\n'),
      );
      process.stdout.write(`${resolve(result.path)}\n`);
    });
}
