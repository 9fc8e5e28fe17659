/**
 * The `hotpapers` program. Each command lives in its own module under commands/;
 * this file wires them up and turns errors into one stderr line and a non-zero exit.
 */
import { Command, CommanderError } from 'commander';
import { HotpapersError, userErrorLine } from '../errors.js';
import { redact } from '../util/redact.js';
import { VERSION } from '../version.js';
import { loadCommands } from './commands/index.js';

/** Build the program with the command `name` (or every command, for help). */
export async function buildProgram(name?: string): Promise<Command> {
  const program = new Command();
  program
    .name('hotpapers')
    .description('Which new arXiv papers people are talking about.')
    .version(VERSION)
    .showHelpAfterError('(run hotpapers --help for usage)')
    .exitOverride();
  for (const register of await loadCommands(name)) register(program);
  return program;
}

/** Run the CLI with `argv` (node, script, ...args); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    // Only the named command's modules are loaded; help and unknown names load them all.
    const program = await buildProgram(argv[2]);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error);
  }
}

/** Print an error as one line (stack only under DEBUG=hotpapers) and pick the exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (help, version, usage errors).
    return error.exitCode;
  }
  const debug = /hotpapers/.test(process.env.DEBUG ?? '');
  if (error instanceof HotpapersError) {
    if (debug && error.stack) process.stderr.write(`${error.stack}\n`);
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack)}\n`);
  // A file or store error names its path and cause; anything else is an internal error (redacted).
  process.stderr.write(`${userErrorLine(error)}\n`);
  return 1;
}
