/** `hotpapers post`: rank one mailing day and write its lumen post. */
import { type Command, Option } from '../commander.js';
import { type CommonFlags, dateOption, examples, withPipelineFlags } from '../options.js';
import { SUMMARIES } from './summaries.js';

interface PostFlags extends CommonFlags {
  date: string;
  refresh?: boolean;
  horizon?: '24h' | '72h';
}

/** Register `hotpapers post`. */
export function register(program: Command): void {
  const command = program
    .command('post')
    .description(SUMMARIES.post.description)
    .addOption(dateOption('post', 'the arXiv mailing date', true))
    .option('--refresh', 're-fetch the listing even when the store has it')
    .addOption(
      new Option('--horizon <age>', 'show the counts as of 24h or 72h after the announcement').choices([
        '24h',
        '72h',
      ]),
    )
    .addHelpText(
      'after',
      examples([
        'hotpapers post --date 2026-06-09',
        'hotpapers post --date 2026-06-09 --horizon 24h --out blog/posts',
        'hotpapers post --date 2026-06-09 --json --quiet',
      ]),
    );
  withPipelineFlags(command).action(async (flags: PostFlags) => {
    const [
      { runPost },
      { createHttpFromConfig },
      { configFromFlags, healthLines, loggerFor, printJson, runSummaryJson },
      { checkedDay },
    ] = await Promise.all([
      import('../../pipeline/post.js'),
      import('../../http/from-config.js'),
      import('../shared.js'),
      import('../dates.js'),
    ]);
    const config = configFromFlags(flags);
    const day = checkedDay(flags.date, config, 'post');
    const log = loggerFor(flags, config);
    const http = createHttpFromConfig(config, { log });
    const result = await runPost({ config, day, log, http, refresh: flags.refresh, horizon: flags.horizon });
    const d = result.digest;
    log.info(
      [
        `summary for ${day}:`,
        `  papers listed: ${d.listed}`,
        `  posts found: ${d.postsFound}`,
        `  papers ranked: ${d.papers.length}`,
        `  requests: ${
          Object.entries(result.requests)
            .map(([h, n]) => `${h} ${n}`)
            .join(', ') || 'none'
        }`,
        '  sources:',
        ...healthLines(result.health),
      ].join('\n'),
    );
    if (flags.json) printJson(runSummaryJson(result));
    else process.stdout.write(`${result.path}\n`);
    process.exitCode = result.exitCode;
  });
}
