/** `hotpapers serve`: preview the site on localhost, rebuilt whenever the store changes. */
import type { Command } from 'commander';
import { chosenCategories, loadConfig } from '../../config/load.js';
import { HotpapersError } from '../../errors.js';
import { DEFAULT_BASE_URL } from '../../site/base-url.js';
import { generateSite } from '../../site/generate.js';
import { startSiteServer } from '../../site/server.js';
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
    .description('preview the website on 127.0.0.1, rebuilt when the store changes (Ctrl-C stops)')
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
      const build = () => {
        const result = generateSite({
          db: config.db,
          baseUrl: config.baseUrl ?? DEFAULT_BASE_URL,
          liveEmbeds,
          categories: chosenCategories(config).join(','),
          horizon: flags.horizon,
        });
        for (const w of result.warnings) log.warn(w);
        return result.files;
      };
      const server = await startSiteServer({
        build,
        watch: [config.db, `${config.db}-wal`],
        port,
        strictCsp: !liveEmbeds,
        log,
      });
      process.stderr.write(`serve: ${server.url} (watching ${config.db}; Ctrl-C stops)\n`);
      process.stdout.write(`${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
