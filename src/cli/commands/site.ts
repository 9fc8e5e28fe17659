/** `hotpapers site`: build the static website and its feeds from the store, written atomically. */
import type { Command } from 'commander';
import { chosenCategories, loadConfig } from '../../config/load.js';
import { resolveBaseUrl } from '../../site/base-url.js';
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
  quiet?: boolean;
}

/** Register `hotpapers site`. */
export function register(program: Command): void {
  const command = program
    .command('site')
    .description(
      'build the static website (days, papers, categories, archive, search) and its feeds from the store',
    )
    .option('--out <dir>', 'site folder, replaced whole (default public; config siteDir)');
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
      const base = resolveBaseUrl(config.baseUrl);
      if (base.warning) log.warn(base.warning);
      // Pages stream into a temporary folder that replaces the site only once all are written.
      const result = await generateSiteToDir(
        {
          db: config.db,
          baseUrl: base.baseUrl,
          liveEmbeds: flags.liveEmbeds ?? false,
          categories: chosenCategories(config).join(','),
          horizon: flags.horizon,
        },
        config.siteDir,
      );
      const written = result.written;
      for (const w of result.warnings) log.warn(w);
      const ms = Math.round(performance.now() - started);
      log.info(
        `site: ${result.days} days, ${result.papers} papers, ${written.files} files (${(written.bytes / 1e6).toFixed(1)} MB) → ${written.dir} in ${ms} ms`,
      );
      process.stdout.write(`${written.dir}\n`);
    });
}
