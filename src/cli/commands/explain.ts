/** `hotpapers explain --date D ID`: why a paper has its score, post by post. */
import type { Command } from 'commander';
import { chosenCategories, enabledSources, nowOf, thresholdsOf, weightsOf } from '../../config/load.js';
import { HotpapersError } from '../../errors.js';
import { canonicalId } from '../../match/ids.js';
import { explainPaper, explainPaperJson } from '../../rank/explain.js';
import { scoreAll } from '../../rank/score.js';
import { openStore } from '../../store/db.js';
import { loadDigest } from '../../store/digests.js';
import { loadEnrichments } from '../../store/enrichment.js';
import { categoriesKey, loadListing } from '../../store/listings.js';
import { loadPostsForPapers } from '../../store/posts.js';
import { configFromFlags, requireDate } from '../shared.js';

interface ExplainFlags {
  date?: string;
  categories?: string;
  db?: string;
  json?: boolean;
}

/** Register `hotpapers explain`. */
export function register(program: Command): void {
  program
    .command('explain')
    .description("show each post's contribution to a paper's score, per source, with the weights and flags")
    .argument('<id>', 'arXiv id, e.g. 2106.04554')
    .option('--date <YYYY-MM-DD>', 'the mailing date the paper was announced on')
    .option('--categories <list>', 'category set of the stored day (default cs,stat.ML)')
    .option('--db <file>', 'SQLite store')
    .option('--json', 'print the explanation as JSON')
    .action((rawId: string, flags: ExplainFlags) => {
      const day = requireDate(flags.date, 'explain');
      const id = canonicalId(rawId);
      if (!id) throw new HotpapersError('explain', `"${rawId}" is not an arXiv id`);
      const config = configFromFlags(flags);
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
