/**
 * Backfill: run the post pipeline for every mailing day of a range. Days already complete
 * (a stored digest and its post file, unchanged) are skipped, so a killed backfill resumes
 * where it stopped. Days run one after another through one HttpClient, so every host's
 * pacing and rate limits hold across the whole range.
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { NoMailingError } from '../arxiv/no-mailing.js';
import { assertDay, mailingDaysBetween } from '../arxiv/schedule.js';
import { chosenCategories } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { HotpapersError, oneLine } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { createHttpFromConfig } from '../http/from-config.js';
import { type PostRunOptions, type PostRunResult, runPost } from '../pipeline/post.js';
import { type Db, openStore } from '../store/db.js';
import { loadDigest } from '../store/digests.js';
import { categoriesKey } from '../store/listings.js';
import { finishRun, startRun } from '../store/runs.js';
import type { Horizon } from './horizon.js';
import { type DayStatus, etaMs, type ProgressSink } from './progress.js';

export interface BackfillOptions {
  config: Config;
  /** First and last day, inclusive (YYYY-MM-DD). */
  from: string;
  to: string;
  progress: ProgressSink;
  horizon?: Horizon;
  /** Re-fetch listings and re-run days already complete. */
  refresh?: boolean;
  outDir?: string;
  http?: HttpClient;
  db?: Db;
  /** The day's work; runPost unless a test swaps it. */
  runDay?: (options: PostRunOptions) => Promise<PostRunResult>;
  /** Real clock for the ETA. */
  clock?: () => number;
}

export interface BackfillResult {
  /** Mailing days of the range, in order. */
  days: string[];
  /** Days this call ran. */
  ran: string[];
  /** Days found complete and left alone. */
  skipped: string[];
  /** Days arXiv had no mailing (holidays). */
  noMailing: string[];
  /** Post files of the range's complete days (ran or skipped), in day order. */
  paths: string[];
  /** Requests per host made by this call. */
  requests: Record<string, number>;
}

/** Run every mailing day from `from` to `to`; throws `backfill: stopped at D …` on a day that fails. */
export async function backfill(options: BackfillOptions): Promise<BackfillResult> {
  const { config, progress } = options;
  const from = assertDay(options.from, 'backfill');
  const to = assertDay(options.to, 'backfill');
  if (from > to) throw new HotpapersError('backfill', `--from ${from} is after --to ${to}`);
  const days = mailingDaysBetween(from, to);
  if (days.length === 0) {
    throw new HotpapersError('backfill', `no mailing days from ${from} to ${to} (weekend only)`);
  }

  const db = options.db ?? openStore(config.db);
  const http = options.http ?? createHttpFromConfig(config);
  const runDay = options.runDay ?? runPost;
  const clock = options.clock ?? Date.now;
  const outDir = options.outDir ?? config.outDir;
  const catKey = categoriesKey(chosenCategories(config));
  const before = http.requestCounts();
  const result: BackfillResult = { days, ran: [], skipped: [], noMailing: [], paths: [], requests: {} };
  const runId = startRun(db, 'backfill', `${from}..${to}`, new Date(clock()).toISOString());
  const started = clock();
  let worked = 0;
  let workMs = 0;

  const finish = (status: 'ok' | 'failed', detail: Record<string, unknown>) => {
    result.requests = http.requestsSince(before);
    finishRun(db, runId, {
      status,
      endedAt: new Date(clock()).toISOString(),
      requests: result.requests,
      detail: JSON.stringify({
        ran: result.ran.length,
        skipped: result.skipped.length,
        noMailing: result.noMailing,
        ...detail,
      }),
    });
  };

  progress.start(days.length);
  try {
    for (const [index, day] of days.entries()) {
      const remainingAfter = days.length - index - 1;
      const report = (status: DayStatus) =>
        progress.update({
          done: index + 1,
          total: days.length,
          day,
          status,
          etaMs: etaMs(workMs, worked, remainingAfter),
        });
      const complete = options.refresh ? undefined : completePath(db, day, catKey, options.horizon, outDir);
      if (complete) {
        result.skipped.push(day);
        result.paths.push(complete);
        report('skipped');
        continue;
      }
      const t0 = clock();
      try {
        const out = await runDay({
          config,
          day,
          log: progress.log,
          horizon: options.horizon,
          refresh: options.refresh,
          outDir,
          http,
          db,
        });
        result.ran.push(day);
        result.paths.push(out.path);
        worked++;
        workMs += clock() - t0;
        report(out.written ? 'done' : 'unchanged');
      } catch (error) {
        if (isNoMailing(error)) {
          result.noMailing.push(day);
          report('no-mailing');
          continue;
        }
        report('failed');
        const why = error instanceof Error ? oneLine(error.message) : String(error);
        const ended = result.ran.length + result.skipped.length + result.noMailing.length;
        finish('failed', { stoppedAt: day, error: why });
        throw new HotpapersError(
          'backfill',
          `stopped at ${day} (${ended} of ${days.length} days done): ${why}; run the same command again to resume`,
          { cause: error },
        );
      }
    }
    finish('ok', { seconds: Math.round((clock() - started) / 1000) });
    return result;
  } finally {
    progress.stop();
    if (!options.db) db.close();
  }
}

/**
 * The post file of a day that needs no work: its digest is stored for these categories and
 * this horizon, and the file it names is in `outDir` with the bytes that were written.
 */
export function completePath(
  db: Db,
  day: string,
  catKey: string,
  horizon: Horizon | undefined,
  outDir: string,
): string | undefined {
  const digest = loadDigest(db, day, catKey, horizon ?? '');
  if (!digest?.path) return undefined;
  if (resolve(dirname(digest.path)) !== resolve(outDir)) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(digest.path);
  } catch {
    return undefined;
  }
  if (digest.markdownSha256 && createHash('sha256').update(bytes).digest('hex') !== digest.markdownSha256) {
    return undefined;
  }
  return digest.path;
}

/** Whether an error means "arXiv had no mailing that day" (a holiday), which is not a failure. */
export function isNoMailing(error: unknown): boolean {
  if (error instanceof NoMailingError) return true;
  return (
    error instanceof HotpapersError &&
    error.service === 'arxiv' &&
    /no papers announced on|no mailing/i.test(error.message)
  );
}
