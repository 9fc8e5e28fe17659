/** `hotpapers site`: build the static website and its feeds from the store, written atomically. */
import type { Command } from 'commander';
import { chosenCategories, loadConfig } from '../../config/load.js';
import { generateSiteToDir } from '../../site/generate.js';
import { createLogger } from '../../util/log.js';
import { withSiteFlags } from '../shared.js';

interface SiteFlags {
  out?: string;
  baseUrl?: string;
  db?: string;
  categories?: string;
  horizon?: string;
  liveEmbeds?: boolean;
  full?: boolean;
  quiet?: boolean;
}

/** Register `hotpapers site`. */
export function register(program: Command): void {
  const command = program
    .command('site')
    .description(
      'build the static website (days, papers, categories, archive, search) and its feeds from the store',
    )
    .option('--out <dir>', 'site folder, replaced whole (default public; config siteDir)')
    .option('--full', 'render and write every file, ignoring what the previous build left');
  withSiteFlags(command)
    .option('--quiet', 'no summary on stderr')
    .action(async (flags: SiteFlags) => {
      const started = performance.now();
      const config = loadConfig({
        flags: {
          siteDir: flags.out,
          baseUrl: flags.baseUrl,
          db: flags.db,
          categories: flags.categories,
          quiet: flags.quiet ? true : undefined,
        },
      });
      const log = createLogger({ quiet: config.quiet });
      // The next generation is written beside the site (unchanged files hard-linked from it),
      // then replaces it whole.
      const result = await generateSiteToDir(
        {
          db: config.db,
          baseUrl: config.baseUrl,
          liveEmbeds: flags.liveEmbeds ?? false,
          categories: chosenCategories(config).join(','),
          horizon: flags.horizon,
          full: flags.full ?? false,
        },
        config.siteDir,
      );
      const written = result.written;
      for (const w of result.warnings) log.warn(w);
      const ms = Math.round(performance.now() - started);
      log.info(
        `site: ${result.days} days, ${result.papers} papers, ${written.files} files (${result.fresh} written, ${(written.bytes / 1e6).toFixed(1)} MB; ${result.kept} unchanged) → ${written.dir} in ${ms} ms`,
      );
      process.stdout.write(`${written.dir}\n`);
    });
}
