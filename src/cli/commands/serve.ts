/** `hotpapers serve`: preview the site on localhost, rebuilt whenever the store changes. */
import type { Command } from 'commander';
import { examples, quietOption, wholeNumber, withSiteFlags } from '../options.js';

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
    .description('preview the website on 127.0.0.1, rebuilt when the store changes (Ctrl-C stops)')
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
      const [{ chosenCategories }, { generateSite }, { startSiteServer }, { configOf, loggerFor }] =
        await Promise.all([
          import('../../config/load.js'),
          import('../../site/generate.js'),
          import('../../site/server.js'),
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
      const build = () => {
        const result = generateSite({
          db: config.db,
          baseUrl: config.baseUrl,
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
