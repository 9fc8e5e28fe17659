/** Builds the run's HttpClient from the validated config (timeouts, retries, the arXiv lane). */
import type { Config } from '../config/schema.js';
import { X_LANES } from '../sources/x.js';
import { HttpClient, type HttpOptions } from './client.js';

/** An HttpClient configured from `config`; `overrides` replace any option (tests). */
export function createHttpFromConfig(config: Config, overrides: Partial<HttpOptions> = {}): HttpClient {
  return new HttpClient({
    timeoutMs: config.httpTimeoutMs,
    maxAttempts: config.httpAttempts,
    retryBaseMs: config.retryBaseMs,
    maxServerWaitMs: config.maxWaitS * 1000,
    maxResponseBytes: config.maxResponseMb * 1024 * 1024,
    ...overrides,
    // arXiv's terms: one request at a time, ARXIV_DELAY_MS apart, across all its hosts.
    lanes: {
      arxiv: { minIntervalMs: config.arxivDelayMs, concurrency: 1 },
      // X: one search at a time; full-archive search allows one request per second.
      ...X_LANES,
      ...overrides.lanes,
    },
  });
}
