/** `hotpapers store info|check|backup|compact`: looking after the SQLite store. */
import { StoreError } from '../../errors.js';
import type { Command } from '../commander.js';
import { dbOption, examples, jsonOption, logFormatOption } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface StoreFlags {
  db?: string;
  json?: boolean;
  counts?: boolean;
  quick?: boolean;
  force?: boolean;
  logFormat?: 'human' | 'json';
}

/** What the actions need, loaded when one runs (help stays light). */
async function load() {
  const [maintenance, shared, lock, text] = await Promise.all([
    import('../../store/maintenance.js'),
    import('../shared.js'),
    import('../../ops/lock.js'),
    import('../../util/text.js'),
  ]);
  return { ...maintenance, ...shared, withLock: lock.withLock, formatSize: text.formatSize };
}

/** The store the flags name: --db, else HOTPAPERS_DB or the config file, else ./hotpapers.db. */
async function storePath(flags: StoreFlags): Promise<string> {
  const { configFromFlags } = await load();
  return configFromFlags({ db: flags.db }).db;
}

/** Register `hotpapers store` and its four subcommands. */
export function register(program: Command): void {
  const store = program
    .command('store')
    .description(SUMMARIES.store.description)
    .addHelpText(
      'after',
      examples([
        'hotpapers store info                     # what the store holds',
        'hotpapers store check                    # is it whole? (exit 1 if not)',
        'hotpapers store backup backups/hp.db     # a consistent copy, even while listen writes',
        'hotpapers store compact                  # give free pages back to the disk',
      ]),
    );

  store
    .command('info')
    .description('what the store holds: size, schema, days, digests (--counts: rows and bytes per table)')
    .addOption(dbOption())
    .option('--counts', "each table's rows and bytes (reads the whole store: slow on a large one)")
    .addOption(jsonOption('print the figures as JSON'))
    .addOption(logFormatOption())
    .action(async (flags: StoreFlags) => {
      const { storeInfo, schemaNote, printJson, formatSize } = await load();
      const info = storeInfo(await storePath(flags), { counts: flags.counts });
      if (flags.json) return printJson(info);
      const l = info.listings;
      const lines = [
        `${info.path}: ${formatSize(info.fileBytes)}${info.walBytes > 0 ? ` + ${formatSize(info.walBytes)} of log` : ''}, ${schemaNote(info.schema)}`,
        `pages: ${info.pages} of ${info.pageSize} bytes, ${info.freePages} free; journal ${info.journalMode}`,
      ];
      if (info.schema.version === info.schema.current) {
        lines.push(
          l.count > 0
            ? // What a listing costs on disk (the whole file over them), for planning years ahead.
              `listings: ${l.count} (${l.first} to ${l.last}), ~${formatSize((info.fileBytes + info.walBytes) / l.count)} each; digests: ${info.digests}`
            : `listings: none; digests: ${info.digests}`,
        );
      }
      for (const t of info.tables ?? [])
        lines.push(
          `  ${t.name.padEnd(20)} ${String(t.rows).padStart(10)} rows ${formatSize(t.bytes).padStart(10)}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  store
    .command('check')
    .description(
      "SQLite's integrity check, every reference between tables and every digest loaded back, without changing the store",
    )
    .addOption(dbOption())
    .option('--quick', "skip comparing indexes with their tables (SQLite's quick_check: much faster)")
    .addOption(jsonOption('print the result as JSON'))
    .addOption(logFormatOption())
    .action(async (flags: StoreFlags) => {
      const { checkStore, schemaNote, printJson } = await load();
      const result = checkStore(await storePath(flags), { quick: flags.quick });
      if (flags.json) printJson({ ...result, ok: result.problems.length === 0 });
      else if (result.problems.length === 0)
        process.stdout.write(
          `${result.path}: ok (pages, references${result.digests === null ? '' : ` and ${result.digests} digest${result.digests === 1 ? '' : 's'}`}), ${schemaNote(result.schema)}\n`,
        );
      else process.stdout.write(`${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
      if (result.problems.length > 0) {
        throw new StoreError(
          'store',
          `${result.path}: the check found ${result.problems.length} problem(s), the first: ${result.problems[0]}`,
        );
      }
    });

  store
    .command('backup')
    .description('a consistent, compacted copy of the store, safe while other runs write to it')
    .argument('<file>', 'where to write the copy (not replaced unless --force)')
    .addOption(dbOption())
    .option('--force', 'replace <file> if it exists')
    .addOption(jsonOption('print the result as JSON'))
    .addOption(logFormatOption())
    .action(async (file: string, flags: StoreFlags) => {
      const { backupStore, printJson, formatSize } = await load();
      const result = await backupStore(await storePath(flags), file, { force: flags.force });
      if (flags.json) printJson(result);
      else
        process.stdout.write(
          `${result.from} → ${result.to}: ${formatSize(result.bytes)}, schema ${result.schema.version}\n`,
        );
    });

  store
    .command('compact')
    .description(
      "give the store's free pages back to the disk (VACUUM; needs free space of about its size; holds the run lock)",
    )
    .addOption(dbOption())
    .addOption(jsonOption('print the result as JSON'))
    .addOption(logFormatOption())
    .action(async (flags: StoreFlags) => {
      const { compactStore, printJson, requireStore, withLock, formatSize } = await load();
      const path = await storePath(flags);
      // Before the lock, which would make the store's folder.
      requireStore(path);
      // Not beside a daily run or a backfill: their writes would wait on the whole rewrite and
      // give up after the busy timeout. (The listener keeps a batch it could not save for later.)
      const result = await withLock(path, 'store compact', async () => compactStore(path));
      if (flags.json) printJson(result);
      else
        process.stdout.write(`${result.path}: ${formatSize(result.before)} → ${formatSize(result.after)}\n`);
    });
}
