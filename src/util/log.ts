/**
 * Logging for humans (stderr lines, a progress bar on a TTY) or machines (JSON lines).
 * Callers pass messages built from public data; every line still passes the redactor, so a
 * secret a service echoed back cannot reach a log.
 */
import type { Writable } from 'node:stream';
import { redact } from './redact.js';

export type LogFormat = 'human' | 'json';

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Progress of a stage: `done` of `total` units. */
  progress(stage: string, done: number, total: number): void;
}

export interface LoggerOptions {
  quiet?: boolean;
  format?: LogFormat;
  stream?: Writable & { isTTY?: boolean };
  /** Clock for JSON timestamps (real time, not HOTPAPERS_NOW). */
  clock?: () => Date;
}

/** A logger writing to stderr (or `stream`). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const format = options.format ?? 'human';
  const clock = options.clock ?? (() => new Date());
  const tty = Boolean(stream.isTTY) && format === 'human';
  let barOpen = false;
  let lastPlain = '';

  const endBar = () => {
    if (barOpen) {
      stream.write('\n');
      barOpen = false;
    }
  };
  const emit = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    if (options.quiet && level === 'info') return;
    if (format === 'json') {
      stream.write(
        `${redact(JSON.stringify({ time: clock().toISOString(), level, msg: message, ...fields }))}\n`,
      );
      return;
    }
    endBar();
    const prefix = level === 'info' ? '' : `${level}: `;
    stream.write(`${prefix}${redact(message)}\n`);
  };

  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    progress(stage, done, total) {
      if (options.quiet) return;
      if (format === 'json') {
        if (done === total) emit('info', `${stage}: ${done}/${total}`, { stage, done, total });
        return;
      }
      if (tty) {
        const width = 24;
        const filled = total > 0 ? Math.round((done / total) * width) : width;
        stream.write(
          `\r${stage.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`,
        );
        barOpen = true;
        if (done >= total) endBar();
        return;
      }
      // Plain counts off a TTY: the first and last step of a stage only, to keep logs short.
      const line = `${stage}: ${done}/${total}`;
      if ((done === 0 || done >= total) && line !== lastPlain) {
        stream.write(`${line}\n`);
        lastPlain = line;
      }
    },
  };
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {}, progress() {} };
