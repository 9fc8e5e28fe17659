/**
 * Day-by-day progress of a long command (backfill): a bar with ETA on a terminal, one plain
 * line per day otherwise, fields in JSON lines with --log-format json. The ETA counts only
 * days that did work: days found complete take no time and would make it far too hopeful.
 */
import cliProgress from 'cli-progress';
import type { LogFormat, Logger } from '../util/log.js';

/** What a day ended as. */
export type DayStatus = 'done' | 'unchanged' | 'skipped' | 'no-mailing' | 'failed';

export interface DayProgress {
  /** Days finished so far, skipped ones included. */
  done: number;
  total: number;
  day: string;
  status: DayStatus;
  /** Estimated milliseconds left, once a day has done work. */
  etaMs?: number;
}

/** Where progress goes. `log` is the logger to hand to each day's work while the bar shows. */
export interface ProgressSink {
  readonly log: Logger;
  start(total: number): void;
  update(progress: DayProgress): void;
  stop(): void;
}

export interface ProgressOptions {
  log: Logger;
  format?: LogFormat;
  quiet?: boolean;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Milliseconds left at the pace of the days that did work so far; undefined before the first. */
export function etaMs(elapsedMs: number, worked: number, remaining: number): number | undefined {
  if (worked <= 0) return undefined;
  return Math.round((elapsedMs / worked) * remaining);
}

/** `1h05m`, `3m20s`, `45s`, `?` for unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** One line per finished day: `backfill: 2021-06-09 done (3/10, eta 2m10s)`. */
export function progressLine(p: DayProgress): string {
  const eta = p.done < p.total ? `, eta ${formatDuration(p.etaMs)}` : '';
  return `backfill: ${p.day} ${p.status} (${p.done}/${p.total}${eta})`;
}

/** The sink for this terminal: a bar when stderr is a TTY and the format is human, lines otherwise. */
export function createProgress(options: ProgressOptions): ProgressSink {
  const stream = options.stream ?? process.stderr;
  if (!options.quiet && options.format !== 'json' && stream.isTTY) return barSink(stream);
  return lineSink(options.log, options.format ?? 'human');
}

function lineSink(log: Logger, format: LogFormat): ProgressSink {
  return {
    log,
    start() {},
    update(p) {
      const line = progressLine(p);
      const fields = {
        day: p.day,
        status: p.status,
        done: p.done,
        total: p.total,
        etaSeconds: p.etaMs === undefined ? null : Math.round(p.etaMs / 1000),
      };
      if (p.status === 'failed') log.error(line, format === 'json' ? fields : undefined);
      else log.info(line, format === 'json' ? fields : undefined);
    },
    stop() {},
  };
}

function barSink(stream: NodeJS.WritableStream): ProgressSink {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      format: 'backfill [{bar}] {value}/{total} days | {day} {status} | eta {etaText}',
      barsize: 24,
      barCompleteChar: '#',
      barIncompleteChar: '-',
      // A hidden cursor would stay hidden if a signal ends the process mid-bar.
      hideCursor: false,
      clearOnComplete: false,
      stopOnComplete: false,
      fps: 5,
    },
    cliProgress.Presets.legacy,
  );
  let bar: cliProgress.SingleBar | undefined;
  // While the bar is drawn, messages print above it; a day's own progress lines would fight it.
  const above = (prefix: string) => (message: string) => {
    multi.log(`${prefix}${message}\n`);
    // Draw now (the bar redraws on a timer), so a message is never lost at stop().
    if (bar) multi.update();
  };
  const dayLog: Logger = { info: above(''), warn: above('warn: '), error: above('error: '), progress() {} };
  return {
    log: dayLog,
    start(total) {
      bar = multi.create(total, 0, { day: '', status: 'starting', etaText: '?' });
    },
    update(p) {
      bar?.update(p.done, { day: p.day, status: p.status, etaText: formatDuration(p.etaMs) });
      if (p.status === 'failed' || p.status === 'no-mailing') dayLog.warn(progressLine(p));
    },
    stop() {
      multi.stop();
    },
  };
}
