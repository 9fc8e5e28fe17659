/**
 * Retry policy as pure functions: which outcomes are retried, and how long to wait.
 * Kept apart from the client so the arithmetic is tested without sockets or clocks.
 */

/** Statuses worth another try. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([
  408, // Request Timeout
  425, // Too Early
  429, // Too Many Requests
  500, // Internal Server Error
  502, // Bad Gateway
  503, // Service Unavailable
  504, // Gateway Timeout
]);

/** Minimal header reader, so plain objects and fetch `Headers` both work. */
export interface HeaderLike {
  get(name: string): string | null;
}

/**
 * Milliseconds the server asked us to wait, or undefined when it did not say.
 * Reads, in order: `Retry-After` (seconds or HTTP date), `RateLimit` (`t=` seconds, HF),
 * `RateLimit-Reset` / `X-Rate-Limit-Reset` / `X-RateLimit-Reset` (epoch seconds when large,
 * otherwise seconds to wait; ISO-8601 for Mastodon).
 */
export function serverDelayMs(headers: HeaderLike, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const trimmed = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const structured = headers.get('ratelimit');
  if (structured) {
    const match = /(?:^|[;,\s])t=(\d+)/.exec(structured);
    if (match) return Number(match[1]) * 1000;
  }
  for (const name of ['x-rate-limit-reset', 'ratelimit-reset', 'x-ratelimit-reset']) {
    const value = headers.get(name);
    if (value === null || value.trim() === '') continue;
    const trimmed = value.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) {
      const n = Number(trimmed);
      // Epoch seconds are ~1.7e9; anything small is "seconds from now" (Reddit's style).
      return n > 1e9 ? Math.max(0, n * 1000 - nowMs) : n * 1000;
    }
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  return undefined;
}

/** Capped exponential backoff with full jitter: attempt 1 waits up to base, then 2×, 4×, … */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never zero, still spread out.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
