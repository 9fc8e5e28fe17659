/**
 * Category arithmetic: which arXiv categories a chosen set (`cs,stat.ML`) covers, arXiv's
 * aliases (a paper filed only under math.NA is in the cs listing as cs.NA), and the explicit
 * category list the API query needs (research §1.2: `cat:cs.*` is not reliable).
 */

/** The 40 cs categories (arxiv-base taxonomy). */
export const CS_CATEGORIES: readonly string[] = [
  'cs.AI',
  'cs.AR',
  'cs.CC',
  'cs.CE',
  'cs.CG',
  'cs.CL',
  'cs.CR',
  'cs.CV',
  'cs.CY',
  'cs.DB',
  'cs.DC',
  'cs.DL',
  'cs.DM',
  'cs.DS',
  'cs.ET',
  'cs.FL',
  'cs.GL',
  'cs.GR',
  'cs.GT',
  'cs.HC',
  'cs.IR',
  'cs.IT',
  'cs.LG',
  'cs.LO',
  'cs.MA',
  'cs.MM',
  'cs.MS',
  'cs.NA',
  'cs.NE',
  'cs.NI',
  'cs.OH',
  'cs.OS',
  'cs.PF',
  'cs.PL',
  'cs.RO',
  'cs.SC',
  'cs.SD',
  'cs.SE',
  'cs.SI',
  'cs.SY',
];

/** Alias → canonical category: papers under the alias are listed under the canonical one. */
export const CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  'math.NA': 'cs.NA',
  'math.IT': 'cs.IT',
  'eess.SY': 'cs.SY',
};

/** arXiv category terms; ACM/MSC codes such as `I.2.6` or `68T05` do not match. */
const CATEGORY_PATTERN = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** True when `term` looks like an arXiv category (filters ACM/MSC codes out of API feeds). */
export function isArxivCategory(term: string): boolean {
  return CATEGORY_PATTERN.test(term);
}

/** The canonical name of a category (`math.NA` → `cs.NA`; others unchanged). */
export function canonicalCategory(category: string): string {
  return CATEGORY_ALIASES[category] ?? category;
}

/** Every name a category is filed under: itself plus its aliases. */
function namesOf(category: string): string[] {
  const canonical = canonicalCategory(category);
  const out = [canonical];
  for (const [alias, target] of Object.entries(CATEGORY_ALIASES)) if (target === canonical) out.push(alias);
  return out;
}

function isArchive(chosen: string): boolean {
  return !chosen.includes('.');
}

/** Does one category fall under one chosen entry (an archive such as `cs`, or a category)? */
function covers(chosen: string, category: string): boolean {
  const c = canonicalCategory(category);
  if (isArchive(chosen)) return c.toLowerCase().startsWith(`${chosen.toLowerCase()}.`) || c === chosen;
  return c.toLowerCase() === canonicalCategory(chosen).toLowerCase();
}

/** True when any of `categories` is in the chosen set (archives cover their categories; aliases count). */
export function inChosen(categories: readonly string[], chosen: readonly string[]): boolean {
  return categories.some((category) => chosen.some((entry) => covers(entry, category)));
}

/** The categories a chosen archive contains, or undefined when hotpapers does not know them. */
export function archiveCategories(archive: string): readonly string[] | undefined {
  return archive.toLowerCase() === 'cs' ? CS_CATEGORIES : undefined;
}

/**
 * The explicit category names to ask the API for, aliases included, in a stable order:
 * `cs` → the 40 cs categories plus math.NA, math.IT, eess.SY; an unknown archive → `archive.*`.
 */
export function apiCategories(chosen: readonly string[]): string[] {
  const out: string[] = [];
  const add = (name: string) => {
    if (!out.includes(name)) out.push(name);
  };
  for (const entry of chosen) {
    if (isArchive(entry)) {
      const known = archiveCategories(entry);
      if (!known) {
        add(`${entry}.*`);
        continue;
      }
      for (const category of known) add(category);
      for (const [alias, target] of Object.entries(CATEGORY_ALIASES)) if (known.includes(target)) add(alias);
    } else {
      for (const name of namesOf(entry)) add(name);
    }
  }
  return out;
}

/** The category part of an API `search_query`: `(cat:cs.AI OR … OR cat:stat.ML)`. */
export function apiCategoryQuery(chosen: readonly string[]): string {
  return `(${apiCategories(chosen)
    .map((c) => `cat:${c}`)
    .join(' OR ')})`;
}
