/** `hotpapers post`: rank one mailing day and write its lumen post. */
import { type Command, Option } from 'commander';
import { runPost } from '../../pipeline/post.js';
import {
  type CommonFlags,
  configFromFlags,
  healthLines,
  loggerFor,
  requireDate,
  withPipelineFlags,
} from '../shared.js';

interface PostFlags extends CommonFlags {
  date?: string;
  refresh?: boolean;
  horizon?: '24h' | '72h';
}

/** Register `hotpapers post`. */
export function register(program: Command): void {
  const command = program
    .command('post')
    .description('list a mailing day, gather posts, rank the papers and write D---Hot-Papers.md')
    .option('--date <YYYY-MM-DD>', 'the arXiv mailing date')
    .option('--refresh', 're-fetch the listing even when the store has it')
    .addOption(
      new Option('--horizon <age>', 'show the counts as of 24h or 72h after the announcement').choices([
        '24h',
        '72h',
      ]),
    );
  withPipelineFlags(command).action(async (flags: PostFlags) => {
    const day = requireDate(flags.date, 'post');
    const config = configFromFlags(flags);
    const log = loggerFor(flags, config);
    const result = await runPost({ config, day, log, refresh: flags.refresh, horizon: flags.horizon });
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
    process.stdout.write(`${result.path}\n`);
    process.exitCode = result.exitCode;
  });
}
