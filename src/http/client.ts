/**
 * The one HTTP layer every external call goes through. It owns timeouts, bounded retries
 * with capped exponential backoff and jitter, server-requested waits (`Retry-After`,
 * rate-limit reset headers), per-lane pacing and concurrency, the User-Agent, and request
 * counting. Waits use the real clock, never HOTPAPERS_NOW.
 */
import { HotpapersError, oneLine } from '../errors.js';
import type { Logger } from '../util/log.js';
import { VERSION } from '../version.js';
import { describeTarget, HttpError, NetworkError } from './errors.js';
import { backoffMs, RETRYABLE_STATUSES, serverDelayMs } from './retry.js';

export const USER_AGENT = `hotpapers/${VERSION} (+https://github.com/hotpapers/hotpapers)`;

/** Pacing of one lane (usually one host; arXiv shares one lane across its hosts). */
export interface LanePolicy {
  /** Minimum milliseconds between the starts of two requests. */
  minIntervalMs: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface HttpOptions {
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Attempts in all, first one included. */
  maxAttempts: number;
  /** First backoff step. */
  retryBaseMs: number;
  /** Largest backoff step. */
  retryCapMs: number;
  /** Longest server-requested wait we accept; a longer one fails the request at once. */
  maxServerWaitMs: number;
  /** Policy of lanes not named in `lanes`. */
  defaultLane: LanePolicy;
  /** Named lanes. */
  lanes: Record<string, LanePolicy>;
  /** Replaceable for tests. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fetch: typeof fetch;
  /** Called before each attempt, for progress and request counting by callers. */
  onAttempt?: (info: { service: string; method: string; host: string; attempt: number }) => void;
  /** Attempts for a host name that does not resolve: offline, more tries only cost time. */
  dnsAttempts: number;
  /** Where the line announcing each retry goes ("… retrying in 2.0 s (2/4)"); none when unset. */
  log?: Pick<Logger, 'info'>;
}

/** Resolver failures: the name does not resolve (ENOTFOUND) or the resolver is unreachable (EAI_AGAIN). */
const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN']);

export interface RequestSpec {
  /** Names the service in errors: `arxiv`, `x`, `bluesky`, `hn`, `hf`. */
  service: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Lane key; defaults to the URL's host. */
  lane?: string;
  /** Statuses returned to the caller instead of thrown (e.g. 404 meaning "none"). */
  acceptStatuses?: readonly number[];
  /** Extra words for the error of a failed status (e.g. "check X_BEARER_TOKEN"). */
  hintForStatus?: (status: number) => string | undefined;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
  url: string;
  contentType: string;
}

const DEFAULTS: HttpOptions = {
  timeoutMs: 30_000,
  maxAttempts: 4,
  retryBaseMs: 1_000,
  retryCapMs: 30_000,
  maxServerWaitMs: 15 * 60_000,
  defaultLane: { minIntervalMs: 0, concurrency: 4 },
  lanes: {},
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  fetch: (...args) => fetch(...args),
  dnsAttempts: 2,
};

interface Lane {
  policy: LanePolicy;
  active: number;
  nextStart: number;
  waiters: Array<() => void>;
}

/** A configured HTTP client. Create one per run and share it. */
export class HttpClient {
  readonly options: HttpOptions;
  private readonly lanes = new Map<string, Lane>();
  private readonly counts = new Map<string, number>();

  constructor(options: Partial<HttpOptions> = {}) {
    this.options = { ...DEFAULTS, ...options, lanes: { ...DEFAULTS.lanes, ...options.lanes } };
  }

  /** Requests made so far, per host (every attempt counts). */
  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Requests per host made since `before` (an earlier `requestCounts()`), hosts with none left out. */
  requestsSince(before: Record<string, number>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [host, n] of this.counts) {
      const d = n - (before[host] ?? 0);
      if (d > 0) out[host] = d;
    }
    return out;
  }

  /** Total requests made so far. */
  totalRequests(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** Send a request with retries; throws HttpError / NetworkError with one-line messages. */
  async request(spec: RequestSpec): Promise<HttpResponse> {
    const method = spec.method ?? 'GET';
    const target = describeTarget(method, spec.url);
    let host: string;
    try {
      host = new URL(spec.url).host;
    } catch {
      throw new HotpapersError(spec.service, `invalid URL for ${method} request`);
    }
    const laneKey = spec.lane ?? host;
    const { maxAttempts } = this.options;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(spec, method, host, laneKey, attempt);
      if (outcome.kind === 'response') {
        const { response } = outcome;
        if (
          (response.status >= 200 && response.status < 300) ||
          spec.acceptStatuses?.includes(response.status)
        ) {
          return response;
        }
        const retryable = RETRYABLE_STATUSES.has(response.status);
        const fail = (hint?: string) =>
          new HttpError(
            spec.service,
            response.status,
            statusText(response.status),
            target,
            attempt,
            response.text,
            hint ?? spec.hintForStatus?.(response.status),
          );
        if (!retryable || attempt >= maxAttempts) throw fail();
        const asked = serverDelayMs(response.headers, Date.now());
        if (asked !== undefined && asked > this.options.maxServerWaitMs) {
          throw fail(
            `server asked to wait ${Math.ceil(asked / 1000)} s, more than the ${Math.round(this.options.maxServerWaitMs / 1000)} s allowed`,
          );
        }
        const wait =
          asked ?? backoffMs(attempt, this.options.retryBaseMs, this.options.retryCapMs, this.options.random);
        this.announceRetry(spec.service, `HTTP ${response.status} for ${target}`, wait, attempt, maxAttempts);
        await this.options.sleep(wait);
        continue;
      }
      const dns = DNS_CODES.has(outcome.error.code);
      const limit = dns ? Math.min(maxAttempts, this.options.dnsAttempts) : maxAttempts;
      if (outcome.error.code === 'ABORTED' || attempt >= limit) {
        throw new NetworkError(spec.service, outcome.error.code, outcome.error.what, target, attempt, {
          cause: outcome.error.cause,
          hint: dns ? 'are you offline?' : undefined,
        });
      }
      const wait = backoffMs(attempt, this.options.retryBaseMs, this.options.retryCapMs, this.options.random);
      this.announceRetry(spec.service, `${outcome.error.what} for ${target}`, wait, attempt, limit);
      await this.options.sleep(wait);
    }
  }

  /** One line per retry, so a slow or failing service is visible while it is retried. */
  private announceRetry(service: string, what: string, waitMs: number, attempt: number, limit: number): void {
    const seconds = waitMs < 10_000 ? (waitMs / 1000).toFixed(1) : String(Math.round(waitMs / 1000));
    this.options.log?.info(`${service}: ${what}; retrying in ${seconds} s (${attempt + 1}/${limit})`, {
      service,
      attempt: attempt + 1,
      attempts: limit,
      waitMs,
    });
  }

  /** GET a body as text. */
  async getText(service: string, url: string, extra: Partial<RequestSpec> = {}): Promise<string> {
    return (await this.request({ ...extra, service, url })).text;
  }

  /** GET and parse JSON; a body that is not JSON is a one-line error naming the service. */
  async getJson<T = unknown>(service: string, url: string, extra: Partial<RequestSpec> = {}): Promise<T> {
    const response = await this.request({ ...extra, service, url });
    return parseJsonBody<T>(service, response, describeTarget(extra.method ?? 'GET', url));
  }

  private async attempt(
    spec: RequestSpec,
    method: string,
    host: string,
    laneKey: string,
    attempt: number,
  ): Promise<
    | { kind: 'response'; response: HttpResponse }
    | { kind: 'error'; error: { code: string; what: string; cause: unknown } }
  > {
    const lane = this.lane(laneKey);
    const reserved = await this.acquire(lane);
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs;
    try {
      this.counts.set(host, (this.counts.get(host) ?? 0) + 1);
      this.options.onAttempt?.({ service: spec.service, method, host, attempt });
      const response = await this.options.fetch(spec.url, {
        method,
        headers: { 'user-agent': USER_AGENT, accept: '*/*', ...spec.headers },
        body: spec.body,
        redirect: 'follow',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return {
        kind: 'response',
        response: {
          status: response.status,
          headers: response.headers,
          text,
          url: response.url || spec.url,
          contentType: response.headers.get('content-type') ?? '',
        },
      };
    } catch (error) {
      const failure = describeFailure(error, host, timeoutMs);
      // An unresolved name sent nothing: the service's pacing slot is given back.
      if (DNS_CODES.has(failure.code) && lane.nextStart === reserved) lane.nextStart = Date.now();
      return { kind: 'error', error: failure };
    } finally {
      this.release(lane);
    }
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      const policy = this.options.lanes[key] ?? this.options.defaultLane;
      lane = { policy, active: 0, nextStart: 0, waiters: [] };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Wait for a slot in the lane; resolves to the lane's next start this request reserved. */
  private async acquire(lane: Lane): Promise<number> {
    while (lane.active >= Math.max(1, lane.policy.concurrency)) {
      await new Promise<void>((resolve) => lane.waiters.push(resolve));
    }
    lane.active++;
    const now = Date.now();
    const start = Math.max(now, lane.nextStart);
    lane.nextStart = start + lane.policy.minIntervalMs;
    const reserved = lane.nextStart;
    if (start > now) await this.options.sleep(start - now);
    return reserved;
  }

  private release(lane: Lane): void {
    lane.active--;
    lane.waiters.shift()?.();
  }
}

/** Parse a JSON body or fail with `<service>: expected JSON …`. */
export function parseJsonBody<T>(service: string, response: HttpResponse, target: string): T {
  const body = response.text;
  if (body.trim() === '')
    throw new HotpapersError(service, `empty body where JSON was expected for ${target}`);
  try {
    return JSON.parse(body) as T;
  } catch {
    const looksHtml = /^\s*</.test(body);
    const what = looksHtml ? 'got HTML where JSON was expected' : 'malformed JSON';
    throw new HotpapersError(service, `${what} for ${target}`);
  }
}

function describeFailure(
  error: unknown,
  host: string,
  timeoutMs: number,
): { code: string; what: string; cause: unknown } {
  const err = error as { name?: string; code?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') {
    return {
      code: 'TIMEOUT',
      what: `no response within ${Math.round(timeoutMs / 100) / 10} s`,
      cause: error,
    };
  }
  if (err?.name === 'AbortError') return { code: 'ABORTED', what: 'request aborted', cause: error };
  const code = err?.cause?.code ?? err?.code ?? 'NETWORK';
  const words: Record<string, string> = {
    ECONNREFUSED: `cannot connect to ${host} (connection refused)`,
    ECONNRESET: `connection to ${host} was reset`,
    ENOTFOUND: `cannot resolve ${host}`,
    EAI_AGAIN: `cannot resolve ${host}`,
    UND_ERR_SOCKET: `connection to ${host} closed unexpectedly`,
    UND_ERR_HEADERS_TIMEOUT: `no response headers from ${host}`,
    UND_ERR_BODY_TIMEOUT: `response body from ${host} stalled`,
  };
  const what = words[code] ?? `network error talking to ${host} (${oneLine(err?.cause?.message ?? code)})`;
  return { code, what, cause: error };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}
