/** `hotpapers demo` (= `npm start`): the whole pipeline on the bundled sample day, offline. */
import type { Command } from '../commander.js';
import { dbOption, examples, jsonOption, quietOption } from '../options.js';
import { SUMMARIES } from './summaries.js';

/** Register `hotpapers demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description(SUMMARIES.demo.description)
    .option('--out <dir>', 'folder for the Markdown post', 'content/posts')
    .addOption(dbOption())
    .addOption(quietOption('no progress, summary or next step on stderr'))
    .addOption(jsonOption('print the run summary as JSON on stdout instead of the post path'))
    .addHelpText('after', examples(['npm start', 'hotpapers demo --out /tmp/posts --db /tmp/demo.db']))
    .action(async (flags: { out: string; db?: string; quiet?: boolean; json?: boolean }) => {
      const [
        { resolve },
        { nextStepLine, runDemo },
        { createLogger },
        { healthLines, printJson, runSummaryJson },
      ] = await Promise.all([
        import('node:path'),
        import('../../demo/run.js'),
        import('../../util/log.js'),
        import('../shared.js'),
      ]);
      const log = createLogger({ quiet: flags.quiet });
      const result = await runDemo({ outDir: flags.out, db: flags.db, log });
      log.info(
        [
          `demo: ${result.digest.listed} papers listed, ${result.digest.postsFound} posts found, ${result.digest.papers.length} papers ranked`,
          ...healthLines(result.health),
          nextStepLine(flags.db),
        ].join('\n'),
      );
      if (flags.json) printJson(runSummaryJson({ ...result, path: resolve(result.path) }));
      else process.stdout.write(`${resolve(result.path)}\n`);
    });
}
