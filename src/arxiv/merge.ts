/**
 * Pure helpers shared by the three listing methods: labelling, de-duplication (a paper appears
 * once however many categories or pages list it) and the canonical order of a listing.
 */
import type { AnnounceType, Paper } from '../types.js';
import { inChosen } from './categories.js';

/** `new` when the paper's primary category is in the chosen set, else `cross`. */
export function announceTypeFor(primaryCategory: string, chosen: readonly string[]): AnnounceType {
  return inChosen([primaryCategory], chosen) ? 'new' : 'cross';
}

const STRENGTH: Record<AnnounceType, number> = { new: 3, cross: 2, replace: 1, 'replace-cross': 0 };

/**
 * One paper per id: the highest version wins for metadata, the strongest label wins
 * (new > cross: a paper `new` in one chunk and `cross` in another is new in the union), and
 * fields a later copy lacks are kept from the other.
 */
export function mergePapers(papers: readonly Paper[]): Paper[] {
  const byId = new Map<string, Paper>();
  for (const paper of papers) {
    const seen = byId.get(paper.id);
    if (!seen) {
      byId.set(paper.id, paper);
      continue;
    }
    const [hi, lo] = paper.version > seen.version ? [paper, seen] : [seen, paper];
    const label =
      STRENGTH[paper.announceType] > STRENGTH[seen.announceType] ? paper.announceType : seen.announceType;
    byId.set(paper.id, { ...lo, ...stripUndefined(hi), announceType: label });
  }
  return sortListing([...byId.values()]);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Canonical listing order: new before cross (as arXiv lists them), then id ascending. */
export function sortListing(papers: Paper[]): Paper[] {
  return papers.sort((a, b) => {
    const s = STRENGTH[b.announceType] - STRENGTH[a.announceType];
    if (s !== 0) return s;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** The PDF address arXiv serves for an id (used when a source gives no PDF link). */
export function pdfUrlOf(id: string, version?: number): string {
  return `https://arxiv.org/pdf/${id}${version ? `v${version}` : ''}`;
}
