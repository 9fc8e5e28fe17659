/**
 * The `post` pipeline: listing → sources → store → rank → embeds → render → atomic write.
 * (Being built by the lead; the signature below is what other modules may rely on.)
 */
import type { Config } from '../config/schema.js';
import type { HttpClient } from '../http/client.js';
import type { DayDigest, SourceHealth } from '../types.js';
import type { Logger } from '../util/log.js';

export interface PostRunOptions {
  config: Config;
  /** Mailing date YYYY-MM-DD. */
  day: string;
  log: Logger;
  /** Re-fetch the listing even when the store has it. */
  refresh?: boolean;
  /** Fixed horizon: rank with the counts observed at announcement + horizon (latest snapshot at or before it). */
  horizon?: '24h' | '72h';
  /** Output folder of the Markdown post (default config.outDir). */
  outDir?: string;
  /** Share an HTTP client (backfill); one is made otherwise. */
  http?: HttpClient;
}

export interface PostRunResult {
  day: string;
  /** Path of the Markdown post. */
  path: string;
  /** False when the file already had exactly this content (nothing rewritten). */
  written: boolean;
  digest: DayDigest;
  health: SourceHealth[];
  /** Requests per host made by this run. */
  requests: Record<string, number>;
  /** 0 ok; 1 when --strict and a source failed. */
  exitCode: number;
}

/** Run the whole pipeline for one mailing day. */
export async function runPost(_options: PostRunOptions): Promise<PostRunResult> {
  throw new Error('runPost is being built');
}
