/** `hotpapers serve`: preview the site on localhost, rebuilt after each finished run. */
import type { Command } from '../commander.js';
import { examples, quietOption, wholeNumber, withSiteFlags } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface ServeFlags {
  port?: string;
  baseUrl?: string;
  db?: string;
  categories?: string;
  horizon?: string;
  liveEmbeds?: boolean;
  quiet?: boolean;
  logFormat?: 'human' | 'json';
}

/** Register `hotpapers serve`. */
export function register(program: Command): void {
  const command = program
    .command('serve')
    .description(SUMMARIES.serve.description)
    .option(
      '--port <n>',
      'port to listen on (default 8080; 0 picks a free one)',
      wholeNumber('serve', '--port', 0, 65535),
    );
  withSiteFlags(command)
    .addOption(quietOption('no rebuild messages on stderr'))
    .addHelpText('after', examples(['hotpapers serve', 'hotpapers serve --port 0 --live-embeds']))
    .action(async (flags: ServeFlags) => {
      const port = flags.port === undefined ? 8080 : Number(flags.port);
      const [
        { generationBuilder },
        { startSiteServer },
        { finishedWorkSignature },
        { default: Database },
        { configOf, loggerFor, siteOptionsOf },
      ] = await Promise.all([
        import('../../site/rebuild.js'),
        import('../../site/server.js'),
        import('../../store/runs.js'),
        import('better-sqlite3'),
        import('../shared.js'),
      ]);
      const config = configOf({
        baseUrl: flags.baseUrl,
        db: flags.db,
        categories: flags.categories,
        quiet: flags.quiet ? true : undefined,
      });
      const log = loggerFor(flags, config);
      const liveEmbeds = flags.liveEmbeds ?? false;
      const options = {
        ...siteOptionsOf(config),
        baseUrl: config.baseUrl ?? 'http://localhost:8080/',
        liveEmbeds,
        horizon: flags.horizon,
      };
      // Each generation is built in a worker thread from the one served now (unchanged files
      // hard-linked), and served once whole.
      const generations = generationBuilder(
        options,
        (w) => log.warn(w),
        (line) => log.info(line),
      );
      // React to a finished run (or a digest written outside any run), not to each write of one.
      let store: InstanceType<typeof Database> | undefined;
      let last = '-';
      const signature = () => {
        try {
          store ??= new Database(config.db, { readonly: true, fileMustExist: true });
          last = finishedWorkSignature(store, Date.now()) ?? last;
        } catch {
          store?.close();
          store = undefined;
        }
        return last;
      };
      const server = await startSiteServer({
        build: () => generations.build(),
        signature,
        port,
        strictCsp: !liveEmbeds,
        log,
      });
      process.stderr.write(
        `serve: ${server.url} (rebuilt after each finished run on ${config.db}; Ctrl-C stops)\n`,
      );
      process.stdout.write(`${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      store?.close();
      generations.close();
    });
}
