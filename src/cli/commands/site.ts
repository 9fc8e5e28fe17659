/** `hotpapers site`: build the static website and its feeds from the store, written atomically. */
import { HotpapersError } from '../../errors.js';
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
  check?: boolean;
  repair?: boolean;
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
    .option('--full', 'render and write every file, ignoring what the previous build left')
    .option(
      '--check',
      'build nothing: compare every file of the folder with what the last build wrote (exit 1 if one differs)',
    )
    .option('--repair', 'check first; when a file is missing or differs, rewrite the whole site (as --full)');
  withSiteFlags(command)
    .addOption(quietOption('no summary on stderr'))
    .addOption(jsonOption('print a JSON summary (days, papers, files, bytes, folder) on stdout'))
    .addHelpText(
      'after',
      examples([
        'hotpapers site --base-url https://example.org/hotpapers/',
        'hotpapers site --out public --json',
        'hotpapers site --check          # was a page deleted or edited since the last build?',
      ]),
    )
    .action(async (flags: SiteFlags) => {
      if (flags.check) return checkOnly(flags);
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
      let full = flags.full ?? false;
      if (flags.repair && !full) full = await damaged(config.siteDir, (line) => log.info(line));
      // The next generation is written beside the site (unchanged files hard-linked from it),
      // then replaces it whole.
      const result = await generateSiteToDir(
        {
          ...siteOptionsOf(config),
          baseUrl: base.baseUrl,
          liveEmbeds: flags.liveEmbeds ?? false,
          horizon: flags.horizon,
          full,
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

/** `site --check`: the folder compared with its manifest, the findings on stdout; exit 1 unless whole. */
async function checkOnly(flags: SiteFlags): Promise<void> {
  if (flags.full || flags.repair) {
    const { UsageError } = await import('../usage.js');
    throw new UsageError(
      'site',
      `--check builds nothing: it cannot go with ${flags.full ? '--full' : '--repair'}`,
    );
  }
  const [{ checkSite, describeCheck }, { configOf, printJson }] = await Promise.all([
    import('../../site/check.js'),
    import('../shared.js'),
  ]);
  const check = checkSite(configOf({ siteDir: flags.out }).siteDir);
  const findings = describeCheck(check);
  if (flags.json) printJson(check);
  else if (check.whole)
    process.stdout.write(
      `${check.dir}: whole (${check.files} files as the last build wrote them)${findings.length > 0 ? `; ${findings.join('; ')}` : ''}\n`,
    );
  else process.stdout.write(`${check.dir}:\n${findings.map((line) => `  ${line}`).join('\n')}\n`);
  if (!check.whole)
    throw new HotpapersError(
      'site',
      `${check.dir} is not as its last build wrote it: ${findings[0]} (\`hotpapers site --repair\` rewrites it)`,
    );
}

/**
 * `site --repair`'s check: whether the folder at `siteDir` differs from what its last build wrote
 * (then the build is full), each finding told to `note`. No site there yet: nothing to repair.
 */
async function damaged(siteDir: string, note: (line: string) => void): Promise<boolean> {
  const { checkSite, describeCheck, isBuiltSite } = await import('../../site/check.js');
  // No site there yet: the build makes one (and refuses a folder it may not replace).
  if (!isBuiltSite(siteDir)) return false;
  const check = checkSite(siteDir);
  if (check.whole) return false;
  note(`site: ${check.dir}: ${describeCheck(check).join('; ')}; rewriting it whole`);
  return true;
}
