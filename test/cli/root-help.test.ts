/**
 * `hotpapers --help` is laid out without commander (src/cli/root-help.ts): it must be, byte for
 * byte, the page commander writes for the program with every command loaded, at any terminal
 * width: below, at and around commander's no-wrap threshold and the common widths.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommanderError } from '../../src/cli/commander.js';
import { buildProgram } from '../../src/cli/program.js';
import { rootHelp } from '../../src/cli/root-help.js';

/** The root help as commander writes it for a terminal of `width` columns (none: not a terminal). */
async function commanderHelp(width: number | undefined): Promise<string> {
  const program = await buildProgram();
  let out = '';
  program.configureOutput({
    writeOut: (text) => {
      out += text;
    },
    getOutHelpWidth: () => width as number,
  });
  await assert.rejects(
    program.parseAsync(['node', 'hotpapers', '--help']),
    (error) => error instanceof CommanderError && error.exitCode === 0,
  );
  return out;
}

test('the root help is the page commander writes, when the output is not a terminal (80 columns)', async () => {
  const expected = await commanderHelp(undefined);
  assert.match(
    expected,
    /^Commands:\n {2}papers \[options\] +list the arXiv papers/m,
    'commander listed the commands',
  );
  assert.equal(rootHelp(), expected);
});

test('the root help is the page commander writes at every terminal width', async () => {
  const widths = [10, 30, 39, 40, 41, 60, 63, 64, 65, 66, 70, 79, 81, 100, 120, 160, 250];
  for (const width of widths) {
    const expected = await commanderHelp(width);
    assert.equal(rootHelp(width), expected, `at ${width} columns`);
  }
  // The widths reach both sides of commander's choices: some descriptions wrapped, some not.
  assert.notEqual(rootHelp(64), rootHelp(66));
  assert.notEqual(rootHelp(250), rootHelp(120));
});
