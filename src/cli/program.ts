/**
 * The `hotpapers` program. Each command lives in its own module under commands/, which defines
 * its flags and help without loading its implementation (imported when the action runs); this
 * file wires them up and hands errors to report.ts (one stderr line, JSON under --log-format
 * json, and an exit code: 0 done, 1 the run could not complete, 2 usage error).
 */
import type { LogFormat } from '../util/log.js';
import { VERSION } from '../version.js';
import { Command, CommanderError } from './commander.js';
import { programEpilog } from './help.js';
import { PROGRAM_DESCRIPTION } from './root-help.js';

const HELP_HINT = '(run hotpapers --help for usage)';

/** Build the program with the command `name` (or every command, for help). */
export async function buildProgram(name?: string, format: LogFormat = 'human'): Promise<Command> {
  const program = new Command();
  program
    .name('hotpapers')
    .description(PROGRAM_DESCRIPTION)
    .version(VERSION)
    .exitOverride()
    .addHelpText('after', programEpilog);
  if (format === 'json') {
    // The error is printed once, as JSON, by reportError.
    program.configureOutput({ outputError: () => {} });
  } else {
    program.showHelpAfterError(HELP_HINT);
  }
  const onlyVersion = name === '--version' || name === '-V';
  if (!onlyVersion) {
    const { loadCommands } = await import('./commands/index.js');
    for (const register of await loadCommands(name)) register(program);
  }
  return program;
}

/** Run the CLI with `argv` (node, script, ...args); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const format = logFormatOf(argv);
  try {
    // Only the named command's definition is loaded; `help` and unknown names load them all.
    // (`hotpapers --help` alone never gets here: main.ts writes it from root-help.ts.)
    const program = await buildProgram(argv[2], format);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    // Help and the version end here too (exitOverride), printed already and exit code 0: the
    // error reporting (report.ts and what it imports) is loaded only for an error to report.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    const { reportError } = await import('./report.js');
    return reportError(error, format);
  }
}

/** The --log-format asked for on the command line, known before parsing so usage errors follow it. */
export function logFormatOf(argv: readonly string[]): LogFormat {
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (arg === '--log-format=json' || (arg === '--log-format' && argv[i + 1] === 'json')) return 'json';
  }
  return 'human';
}
