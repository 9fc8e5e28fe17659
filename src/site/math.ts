/**
 * TeX in titles and abstracts (`$…$`, `$$…$$`) rendered to HTML at build time with KaTeX, so
 * pages need no math script. Everything outside the math is escaped; KaTeX escapes what is
 * inside, and with `trust: false` it never emits links, classes, ids or styles from the input.
 */
import type Katex from 'katex';
import { type CachedModule, requireCached } from '../util/code-cache.js';
import { remembered } from '../util/remember.js';
import { escapeHtml } from './escape.js';

// `$…$` opens on a `$` not followed by a space and closes on one not preceded by a space nor
// followed by a digit, which keeps prices such as "$5 to $10" as text (the markdown-it-texmath
// rule). `\$` is a literal dollar. Spans are bounded to keep a stray `$` from swallowing a page.
const MATH = /\$\$([^$]{1,500}?)\$\$|(?<!\\)\$(?=\S)((?:\\.|[^$\\]){1,500}?)(?<=\S)(?<!\\)\$(?!\d)/g;

// KaTeX is loaded on the first span typeset: a build that renders no math (an incremental one
// whose pages have none) does not pay for loading it. It is loaded through V8's code cache
// (src/util/code-cache.ts), which is written after that first span, from its minified build
// (the same code, faster to load: see CachedOptions.sibling).
let katexModule: CachedModule<typeof Katex> | undefined;
const katex = () => {
  katexModule ??= requireCached<typeof Katex>('katex', { sibling: 'katex.min.js' });
  return katexModule.exports;
};

const CACHE_MAX = 20000;

/** Whether `text` contains a `$…$` span that renderMath would typeset. */
export function hasMath(text: string): boolean {
  MATH.lastIndex = 0;
  const found = MATH.test(text);
  MATH.lastIndex = 0;
  return found;
}

/** `text` as HTML: escaped, with each `$…$` / `$$…$$` span typeset inline by KaTeX. */
export function renderMath(text: string): string {
  if (!text.includes('$')) return escapeHtml(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const tex = m[1] ?? m[2] ?? '';
    out += escapeHtml(text.slice(last, m.index)) + typeset(tex);
    last = m.index + m[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** KaTeX's HTML of `tex`, remembered (a formula repeats across a paper's pages and its days'). */
const typeset = remembered(typesetNow, CACHE_MAX);

function typesetNow(tex: string): string {
  let html: string;
  try {
    html = katex().renderToString(tex, {
      throwOnError: false,
      displayMode: false,
      output: 'htmlAndMathml',
      trust: false,
      strict: 'ignore',
      maxExpand: 200,
      maxSize: 10,
    });
  } catch {
    // throwOnError:false covers parse errors; anything else (expansion limits) shows the source.
    html = `<code class="tex">${escapeHtml(`$${tex}$`)}</code>`;
  }
  katexModule?.save();
  return html;
}
