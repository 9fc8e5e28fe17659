/**
 * `hotpapers papers --date D`: the arXiv listing of one mailing day, as a table or as JSON.
 * Reuses a complete listing from the store unless --refresh.
 */
import type { Listing } from '../../arxiv/listing.js';
import type { Paper } from '../../types.js';
import type { Command } from '../commander.js';
import { dateOption, dbOption, examples, jsonOption, logFormatOption, quietOption } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface PapersOptions {
  date: string;
  categories?: string;
  refresh?: boolean;
  json?: boolean;
  db?: string;
  quiet?: boolean;
  logFormat?: 'human' | 'json';
}

/** The JSON shape printed by `papers --json`, one object per paper. */
export function paperJson(paper: Paper) {
  return {
    id: paper.id,
    title: paper.title,
    authors: paper.authors,
    categories: paper.categories,
    primaryCategory: paper.primaryCategory,
    announceType: paper.announceType,
    abstract: paper.abstract,
    published: paper.published ?? null,
  };
}

function cut(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** A readable fixed-width table of a listing (pure). */
export function renderPapersTable(listing: Listing, width = 110): string {
  const idWidth = Math.max(2, ...listing.papers.map((p) => p.id.length));
  const catWidth = Math.max(7, ...listing.papers.map((p) => p.primaryCategory.length));
  const titleWidth = Math.max(20, width - idWidth - catWidth - 5 - 6);
  const row = (id: string, type: string, cat: string, title: string) =>
    `${id.padEnd(idWidth)}  ${type.padEnd(5)}  ${cat.padEnd(catWidth)}  ${cut(title, titleWidth)}`;
  const lines = [row('ID', 'TYPE', 'PRIMARY', 'TITLE')];
  for (const p of listing.papers) lines.push(row(p.id, p.announceType, p.primaryCategory, p.title));
  return `${lines.join('\n')}\n`;
}

function summary(listing: Listing & { fromStore: boolean }): string {
  const news = listing.papers.filter((p) => p.announceType === 'new').length;
  const source = listing.fromStore ? `the store (${listing.method})` : listing.method;
  return `${listing.day}: ${listing.papers.length} papers (${news} new, ${listing.papers.length - news} cross) in ${listing.categories.join(',')} from ${source}`;
}

/** Register `hotpapers papers`. */
export function register(program: Command): void {
  program
    .command('papers')
    .description(SUMMARIES.papers.description)
    .addOption(
      dateOption(
        'papers',
        'mailing date (Monday to Friday; announced 20:00 US Eastern the evening before)',
        true,
      ),
    )
    .option('--categories <list>', 'comma list of archives or categories (default cs,stat.ML)')
    .option('--refresh', 'fetch the listing again even when the store has it')
    .addOption(dbOption())
    .addOption(jsonOption('print the papers as a JSON array on stdout'))
    .addOption(quietOption('no notes or summary on stderr'))
    .addOption(logFormatOption())
    .addHelpText(
      'after',
      examples([
        'hotpapers papers --date 2026-06-09',
        'hotpapers papers --date 2026-06-09 --categories cs.CL --json',
      ]),
    )
    .action(async (options: PapersOptions) => {
      const [
        { getDayListing },
        { chosenCategories, nowOf },
        { createHttpFromConfig },
        { openStore },
        shared,
        { checkedDay },
      ] = await Promise.all([
        import('../../arxiv/listing.js'),
        import('../../config/load.js'),
        import('../../http/from-config.js'),
        import('../../store/db.js'),
        import('../shared.js'),
        import('../dates.js'),
      ]);
      const config = shared.configOf({
        categories: options.categories,
        db: options.db,
        quiet: options.quiet ? true : undefined,
      });
      const day = checkedDay(options.date, config, 'papers');
      const log = shared.loggerFor(options, config);
      const http = createHttpFromConfig(config, { log });
      const db = openStore(config.db);
      try {
        const listing = await getDayListing(db, {
          day,
          categories: chosenCategories(config),
          config,
          http,
          now: nowOf(config),
          log,
          refresh: options.refresh,
        });
        for (const note of listing.notes) log.info(`note: ${note}`);
        log.info(summary(listing));
        if (options.json) shared.printJson(listing.papers.map(paperJson));
        else process.stdout.write(renderPapersTable(listing, process.stdout.columns || 110));
      } finally {
        db.close();
      }
    });
}
