/**
 * A realistic 60-paper day for the day-page budget (bench) and the fold test (browser): titles
 * of ~90 characters, abstracts of ~1,100 (the arXiv cs average), three posts a paper with
 * ~230-character texts ending in a t.co link, an HN thread on some, HF enrichment on a third.
 */
import { seededRandom } from '../../src/standins/random.js';
import type { DayDigest, PaperEnrichment, ScoredPost } from '../../src/types.js';
import { digest, paper, post, ranked } from './fixtures.js';

const WORDS =
  'we propose novel method model models learning neural network networks graph transformer attention diffusion language large robust efficient scalable sparse optimal bayesian inference reinforcement policy vision segmentation contrastive representation federated privacy causal kernel gradient descent convergence generalization benchmark dataset retrieval reasoning show that our approach outperforms state of the art baselines on several tasks while using fewer parameters and less compute experiments demonstrate'.split(
    ' ',
  );

/** The digest of a day with `n` ranked papers, and the enrichments of a third of them. */
export function bigDay(day = '2026-11-25', n = 60): { digest: DayDigest; enrichments: PaperEnrichment[] } {
  const rnd = seededRandom(42);
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)]!;
  const words = (k: number) => Array.from({ length: k }, pick).join(' ');
  const sentence = (k: number) => {
    const w = words(k);
    return `${w[0]!.toUpperCase()}${w.slice(1)}.`;
  };
  const enrichments: PaperEnrichment[] = [];
  const papers = Array.from({ length: n }, (_, i) => {
    const id = `2611.${String(10000 + i * 7)}`;
    const p = paper(id, {
      title: sentence(12).replace(/\.$/, '').slice(0, 95),
      abstract: Array.from({ length: 7 }, () => sentence(20)).join(' '),
      authors: Array.from({ length: 3 + (i % 8) }, (_, k) => `Author${k} Surname${i}`),
      categories: i % 5 === 0 ? ['cs.RO', 'cs.LG'] : ['cs.LG', 'cs.CL', 'stat.ML'],
    });
    const base = Math.floor(3000 / (i + 1));
    const posts: ScoredPost[] = [
      post('x', `${id.replace('.', '')}1`, Math.floor(base / 4), base, {
        text: `${sentence(30)} https://t.co/${id.replace('.', '')}Ab`,
        authorName: `Researcher ${i}`,
      }),
      post('bluesky', `${id.replace('.', '')}2`, 3, 30, {
        text: `${sentence(25)} https://arxiv.org/abs/${id}`,
      }),
      i % 3 === 0
        ? post('hn', `${id.replace('.', '')}3`, 0, 40 + i, {
            url: `https://news.ycombinator.com/item?id=4${i}000`,
            text: 'Show HN discussion',
          })
        : post('x', `${id.replace('.', '')}3`, 1, 26, { text: sentence(20) }),
    ];
    if (i % 3 === 1)
      enrichments.push({
        paperId: id,
        status: 'ok',
        githubRepo: `https://github.com/example/repo${i}`,
        githubStars: 100 * i,
        projectPage: `https://example.org/project${i}`,
        aiSummary: sentence(22),
        aiKeywords: ['diffusion', 'robotics'],
        fetchedAt: `${day}T12:00:00Z`,
      });
    return ranked(0, p, posts);
  });
  papers.sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
  papers.forEach((r, i) => {
    r.rank = i + 1;
  });
  return { digest: digest(day, papers), enrichments };
}
