/**
 * `hotpapers --help` (and `-h`), written without loading commander. The root help is the CLI's
 * most read page and its slowest start: commander's require and its help formatter were ~12 ms
 * of ~46 (node -e 0: ~23 ms; 6 December 2026). This module lays out the same page from
 * commands/summaries.ts and help.ts: commander's layout (usage, description, options, commands,
 * then the text after) and its wrapping at the terminal's width. A test checks the text against
 * commander's own at many widths (test/cli/root-help.test.ts), so the two cannot drift apart.
 */
import { SUMMARIES } from './commands/summaries.js';
import { programEpilog } from './help.js';

/** The program's one-line description (program.ts gives commander the same). */
export const PROGRAM_DESCRIPTION = 'Which new arXiv papers people are talking about.';

/** The options commander adds to the root command, as its help lists them. */
const OPTIONS: ReadonlyArray<readonly [string, string]> = [
  ['-V, --version', 'output the version number'],
  ['-h, --help', 'display help for command'],
];

/** The help command commander adds after the others. */
const HELP_COMMAND = ['help [command]', 'display help for command'] as const;

/** Below this many columns for a description commander does not wrap (its `minWidthToWrap`). */
const MIN_WIDTH_TO_WRAP = 40;
const ITEM_INDENT = 2;
const SPACER = 2;

/** Wrap `text` at whitespace to `width` columns, as commander's `boxWrap` does. */
function boxWrap(text: string, width: number): string {
  if (width < MIN_WIDTH_TO_WRAP) return text;
  const lines: string[] = [];
  for (const line of text.split(/\r\n|\n/)) {
    const chunks = line.match(/\s*\S+/g);
    if (chunks === null) {
      lines.push('');
      continue;
    }
    let current = chunks[0]!;
    for (const chunk of chunks.slice(1)) {
      if (current.length + chunk.length <= width) current += chunk;
      else {
        lines.push(current);
        current = chunk.trimStart();
      }
    }
    lines.push(current);
  }
  return lines.join('\n');
}

/** One term and its description, padded and wrapped as commander's `formatItem` does. */
function formatItem(term: string, termWidth: number, description: string, width: number): string {
  const indent = ' '.repeat(ITEM_INDENT);
  const remaining = width - termWidth - SPACER - ITEM_INDENT;
  // commander leaves a description with a line break followed by indentation as written.
  const wrapped =
    remaining < MIN_WIDTH_TO_WRAP || /\n[^\S\r\n]/.test(description)
      ? description
      : boxWrap(description, remaining).replace(/\n/g, `\n${' '.repeat(termWidth + SPACER)}`);
  return `${indent}${term.padEnd(termWidth)}${' '.repeat(SPACER)}${wrapped.replace(/\n/g, `\n${indent}`)}`;
}

/**
 * The root help page for a terminal of `width` columns (commander's default, 80, when the
 * output is not a terminal).
 */
export function rootHelp(width = 80): string {
  const commands: Array<readonly [string, string]> = [
    ...Object.values(SUMMARIES).map(({ term, description }) => [term, description] as const),
    HELP_COMMAND,
  ];
  const termWidth = Math.max(...[...OPTIONS, ...commands].map(([term]) => term.length));
  const section = (title: string, items: ReadonlyArray<readonly [string, string]>) => [
    title,
    ...items.map(([term, description]) => formatItem(term, termWidth, description, width)),
    '',
  ];
  const page = [
    'Usage: hotpapers [options] [command]',
    '',
    boxWrap(PROGRAM_DESCRIPTION, width),
    '',
    ...section('Options:', OPTIONS),
    ...section('Commands:', commands),
  ];
  return `${page.join('\n')}${programEpilog()}\n`;
}
