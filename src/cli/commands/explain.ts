/** `hotpapers explain --date D ID`: why a paper has its score, post by post. */
import { clip, HotpapersError } from '../../errors.js';
import type { Command } from '../commander.js';
import { dateOption, dbOption, examples, jsonOption, logFormatOption } from '../options.js';
import { UsageError } from '../usage.js';
import { SUMMARIES } from './summaries.js';

interface ExplainFlags {
  date: string;
  categories?: string;
  db?: string;
  json?: boolean;
  logFormat?: 'human' | 'json';
}

/** What the action needs, loaded when it runs (help stays light). */
async function load() {
  const [config, ids, explain, score, db, digests, enrichment, listings, posts, shared, dates] =
    await Promise.all([
      import('../../config/load.js'),
      import('../../match/ids.js'),
      import('../../rank/explain.js'),
      import('../../rank/score.js'),
      import('../../store/db.js'),
      import('../../store/digests.js'),
      import('../../store/enrichment.js'),
      import('../../store/listings.js'),
      import('../../store/posts.js'),
      import('../shared.js'),
      import('../dates.js'),
    ]);
  return {
    ...config,
    ...ids,
    ...explain,
    ...score,
    ...db,
    ...digests,
    ...enrichment,
    ...listings,
    ...posts,
    ...shared,
    checkedDay: dates.checkedDay,
  };
}

/** Register `hotpapers explain`. */
export function register(program: Command): void {
  program
    .command('explain')
    .description(SUMMARIES.explain.description)
    .argument('<id>', 'arXiv id, e.g. 2106.04554')
    .addOption(dateOption('explain', 'the mailing date the paper was announced on', true))
    .option('--categories <list>', 'category set of the stored day (default cs,stat.ML)')
    .addOption(dbOption())
    .addOption(jsonOption('print the explanation as JSON'))
    .addOption(logFormatOption())
    .addHelpText(
      'after',
      examples([
        'hotpapers explain --date 2021-06-09 2106.04554',
        'hotpapers explain --date 2021-06-09 2106.04554 --json',
      ]),
    )
    .action(async (rawId: string, flags: ExplainFlags) => {
      const {
        canonicalId,
        categoriesKey,
        checkedDay,
        chosenCategories,
        configFromFlags,
        enabledSources,
        explainPaper,
        explainPaperJson,
        loadDigest,
        loadEnrichments,
        loadListing,
        loadPostsForPapers,
        nowOf,
        openStore,
        scoreAll,
        thresholdsOf,
        weightsOf,
      } = await load();
      const id = canonicalId(rawId);
      if (!id) throw new UsageError('explain', `"${clip(rawId, 40)}" is not an arXiv id`);
      const config = configFromFlags(flags);
      const day = checkedDay(flags.date, config, 'explain');
      const categories = chosenCategories(config);
      const db = openStore(config.db);
      try {
        const listing = loadListing(db, day, categories);
        if (!listing) {
          throw new HotpapersError(
            'explain',
            `no stored listing for ${day}; run hotpapers post --date ${day} first`,
          );
        }
        const paper = listing.papers.find((p) => p.id === id);
        if (!paper)
          throw new HotpapersError(
            'explain',
            `${id} is not in the ${day} listing (${categories.join(', ')})`,
          );
        // Explain what was published: the counts and sources of the stored day, else now's.
        const digest = loadDigest(db, day, categoriesKey(categories));
        const asOf = digest?.observedAt ?? nowOf(config).toISOString();
        const sources = digest ? [...new Set(digest.health.map((h) => h.source))] : enabledSources(config);
        const weights = digest?.weights ?? weightsOf(config);
        const thresholds = digest?.thresholds ?? thresholdsOf(config);
        const posts = loadPostsForPapers(db, [id], asOf, sources);
        const scored = scoreAll({ papers: [paper], posts, weights, thresholds })[0]!;
        const rank = digest?.papers.find((p) => p.paper.id === id)?.rank;
        const explained = { ...scored, rank };
        // HF's paper page as `post` stored it: shown, never scored.
        const enrichment = loadEnrichments(db, [id]).get(id);
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify(explainPaperJson(id, explained, weights, enrichment), null, 2)}\n`,
          );
        } else {
          const header = [`counts as of ${asOf}; sources: ${sources.join(', ') || 'none'}`];
          process.stdout.write(
            `${[...explainPaper(id, explained, weights, enrichment), ...header].join('\n')}\n`,
          );
        }
      } finally {
        db.close();
      }
    });
}
