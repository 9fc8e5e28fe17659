/**
 * How the CLI ends on an error: one stderr line (a JSON line under --log-format json), the stack
 * only under DEBUG=hotpapers, and the exit code (1 the run could not complete, 2 usage error).
 * Loaded by the program only when there is an error to report.
 */
import { HotpapersError, oneLine, userErrorLine } from '../errors.js';
import { createLogger, type LogFormat } from '../util/log.js';
import { redact } from '../util/redact.js';
import { CommanderError } from './commander.js';
import { EXIT, UsageError } from './usage.js';

/** The exit code of an error: 2 for usage errors, 1 for everything else. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    // `help CMD` exits 0; help shown because no command was given exits non-zero.
    if (error.code === 'commander.help' && error.exitCode === 0) return EXIT.ok;
    // Unknown option or command, missing or invalid value, no command at all.
    return EXIT.usage;
  }
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}

/** Print an error as one line (stack only under DEBUG=hotpapers) and pick the exit code. */
export function reportError(error: unknown, format: LogFormat = 'human'): number {
  const code = exitCodeOf(error);
  if (error instanceof CommanderError) {
    // In human format commander already printed its message (help, version, usage errors).
    if (format === 'json' && code !== EXIT.ok) {
      jsonError(error.message.replace(/^error: /, ''), { exitCode: code, code: error.code });
    }
    return code;
  }
  const debug = /hotpapers/.test(process.env.DEBUG ?? '');
  if (debug && error instanceof Error && error.stack) process.stderr.write(`${redact(error.stack)}\n`);
  // Ours as is; a file or store error names its path and cause; anything else is an internal error (redacted).
  const message = userErrorLine(error);
  if (format === 'json') {
    const service = error instanceof HotpapersError ? error.service : 'hotpapers';
    jsonError(message, { exitCode: code, service });
  } else {
    process.stderr.write(`${message}\n`);
  }
  return code;
}

function jsonError(message: string, fields: Record<string, unknown>): void {
  createLogger({ format: 'json' }).error(oneLine(message), fields);
}
