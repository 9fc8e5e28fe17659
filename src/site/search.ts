/**
 * The client-side search index: one script assigning `window.HOTPAPERS_SEARCH`, so it loads
 * from file:// where fetch() of a JSON file is refused. Abstracts are reduced to their distinct
 * lower-case words (the search matches substrings of words, and this halves the file).
 */
import type { Paper } from '../types.js';
import { paths } from './model.js';

/** What separates words, here and in the search script (which splits queries the same way). */
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/** One searchable paper: [site path, title, authors, categories, day, abstract words]. */
export type SearchDoc = [string, string, string, string, string, string];

/** The index entry of a paper ranked on `day`. */
export function searchDoc(paper: Paper, day: string): SearchDoc {
  const words = new Set<string>();
  for (const w of paper.abstract.toLowerCase().split(SEPARATORS)) if (w.length > 1) words.add(w);
  return [
    paths.paper(paper.id),
    paper.title,
    paper.authors.join(', '),
    paper.categories.join(' '),
    day,
    [...words].join(' '),
  ];
}

/** The index script for `docs`. */
export function searchIndexScript(docs: readonly SearchDoc[]): string {
  // JSON is valid JavaScript (U+2028/2029 included since ES2019); the file is never inlined in HTML.
  return `window.HOTPAPERS_SEARCH=${JSON.stringify({ version: 1, docs })};\n`;
}
