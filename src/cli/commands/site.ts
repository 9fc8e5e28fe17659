/** `hotpapers site`: build the static website and its feeds from the store, written atomically. */
import type { Command } from '../commander.js';
import { examples, jsonOption, quietOption, withSiteFlags } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface SiteFlags {
  out?: string;
  baseUrl?: string;
  db?: string;
  categories?: string;
  horizon?: string;
  liveEmbeds?: boolean;
  full?: boolean;
  quiet?: boolean;
  json?: boolean;
  logFormat?: 'human' | 'json';
}

/** Register `hotpapers site`. */
export function register(program: Command): void {
  const command = program
    .command('site')
    .description(SUMMARIES.site.description)
    .option('--out <dir>', 'site folder, replaced whole (default public; config siteDir)')
    .option('--full', 'render and write every file, ignoring what the previous build left');
  withSiteFlags(command)
    .addOption(quietOption('no summary on stderr'))
    .addOption(jsonOption('print a JSON summary (days, papers, files, bytes, folder) on stdout'))
    .addHelpText(
      'after',
      examples([
        'hotpapers site --base-url https://example.org/hotpapers/',
        'hotpapers site --out public --json',
      ]),
    )
    .action(async (flags: SiteFlags) => {
      const started = performance.now();
      const [{ generateSiteToDir }, { configOf, loggerFor, printJson, siteOptionsOf }, { resolveBaseUrl }] =
        await Promise.all([
          import('../../site/generate.js'),
          import('../shared.js'),
          import('../../site/base-url.js'),
          // A full build's writer and search threads start while the modules above load.
          flags.full ? import('../../site/threads.js').then((m) => m.prewarmSiteThreads()) : undefined,
        ]);
      const config = configOf({
        siteDir: flags.out,
        baseUrl: flags.baseUrl,
        db: flags.db,
        categories: flags.categories,
        quiet: flags.quiet ? true : undefined,
      });
      const log = loggerFor(flags, config);
      const base = resolveBaseUrl(config.baseUrl);
      if (base.warning) log.warn(base.warning);
      // The next generation is written beside the site (unchanged files hard-linked from it),
      // then replaces it whole.
      const result = await generateSiteToDir(
        {
          ...siteOptionsOf(config),
          baseUrl: base.baseUrl,
          liveEmbeds: flags.liveEmbeds ?? false,
          horizon: flags.horizon,
          full: flags.full ?? false,
        },
        config.siteDir,
      );
      const written = result.written;
      for (const w of result.warnings) log.warn(w);
      for (const line of result.notes) log.info(line);
      const ms = Math.round(performance.now() - started);
      log.info(
        `site: ${result.days} days, ${result.papers} papers, ${written.files} files (${result.fresh} written, ${(written.bytes / 1e6).toFixed(1)} MB; ${result.kept} unchanged; lists from ${result.lists === 'state' ? 'the list state and the new days' : 'every day'}) → ${written.dir} in ${ms} ms`,
      );
      if (flags.json) {
        printJson({
          dir: written.dir,
          days: result.days,
          papers: result.papers,
          files: written.files,
          bytes: written.bytes,
          lists: result.lists,
          ...(result.thumbnails
            ? {
                thumbnails: {
                  made: result.thumbnails.made,
                  kept: result.thumbnails.kept,
                  pruned: result.thumbnails.pruned,
                  prunedBytes: result.thumbnails.prunedBytes,
                },
              }
            : {}),
          warnings: result.warnings,
          ms,
        });
      } else {
        process.stdout.write(`${written.dir}\n`);
      }
    });
}
