/** `hotpapers serve`: preview the site on localhost, rebuilt after each finished run. */
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { chosenCategories, loadConfig } from '../../config/load.js';
import { HotpapersError } from '../../errors.js';
import { generationBuilder } from '../../site/rebuild.js';
import { startSiteServer } from '../../site/server.js';
import { finishedWorkSignature } from '../../store/runs.js';
import { createLogger } from '../../util/log.js';
import { withSiteFlags } from '../shared.js';

interface ServeFlags {
  port?: string;
  baseUrl?: string;
  db?: string;
  categories?: string;
  horizon?: string;
  liveEmbeds?: boolean;
  quiet?: boolean;
}

/** Register `hotpapers serve`. */
export function register(program: Command): void {
  const command = program
    .command('serve')
    .description('preview the website on 127.0.0.1, rebuilt after each finished run (Ctrl-C stops)')
    .option('--port <n>', 'port to listen on (default 8080; 0 picks a free one)');
  withSiteFlags(command)
    .option('--quiet', 'no rebuild messages on stderr')
    .action(async (flags: ServeFlags) => {
      const port = flags.port === undefined ? 8080 : Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new HotpapersError('serve', `--port must be a port number, got "${flags.port}"`);
      }
      const config = loadConfig({
        flags: {
          baseUrl: flags.baseUrl,
          db: flags.db,
          categories: flags.categories,
          quiet: flags.quiet ? true : undefined,
        },
      });
      const log = createLogger({ quiet: config.quiet });
      const liveEmbeds = flags.liveEmbeds ?? false;
      const options = {
        db: config.db,
        baseUrl: config.baseUrl,
        liveEmbeds,
        categories: chosenCategories(config).join(','),
        horizon: flags.horizon,
      };
      // Each generation is built in a worker thread from the one served now (unchanged files
      // hard-linked), and served once whole.
      const generations = generationBuilder(options, (w) => log.warn(w));
      const build = () => generations.build();
      // React to a finished run (or a digest written outside any run), not to each write of one.
      let store: Database.Database | undefined;
      const signature = () => {
        try {
          store ??= new Database(config.db, { readonly: true, fileMustExist: true });
          return finishedWorkSignature(store, Date.now()) ?? last;
        } catch {
          store?.close();
          store = undefined;
          return last;
        }
      };
      let last = '-';
      const server = await startSiteServer({
        build,
        signature: () => {
          last = signature();
          return last;
        },
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
