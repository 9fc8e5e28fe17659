/**
 * The one HTTP layer every external call goes through. It owns timeouts, bounded retries
 * with capped exponential backoff and jitter, server-requested waits (`Retry-After`,
 * rate-limit reset headers), per-lane pacing and concurrency, the User-Agent, and request
 * counting. Waits use the real clock, never HOTPAPERS_NOW.
 *
 * It also holds the security rules every caller gets for free: a response is read up to a
 * size cap while it streams (never retried when too large); a request carrying a credential
 * (an Authorization header, or `secrets` in its body) follows redirects within its origin
 * only; credentials sent are registered with the redactor; control characters are removed
 * from every body; and an AbortSignal (a stage's deadline) cuts every wait short.
 */
import { HotpapersError, oneLine } from '../errors.js';
import { cleanRemoteText, stripJsonControlEscapes } from '../util/control.js';
import type { Logger } from '../util/log.js';
import { registerSecret } from '../util/redact.js';
import { VERSION } from '../version.js';
import {
  abortReason,
  DeadlineError,
  describeTarget,
  FatalResponseError,
  HttpError,
  NetworkError,
} from './errors.js';
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
  /** Largest response body read, in bytes; a larger one fails at once (not retried). */
  maxResponseBytes: number;
  /** Policy of lanes not named in `lanes`. */
  defaultLane: LanePolicy;
  /** Named lanes. */
  lanes: Record<string, LanePolicy>;
  /** Replaceable for tests; the signal (when given) ends the wait early. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
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
  /** Secret values in the body (a password): registered with the redactor; the request is credentialed. */
  secrets?: readonly string[];
  /** Overall deadline: aborts the request and every wait for it (DeadlineError). */
  signal?: AbortSignal;
  /** Size cap of this response, overriding the client's. */
  maxBytes?: number;
  /** Read a successful body as bytes (`HttpResponse.bytes`, `text` empty): images. */
  binary?: boolean;
  /** Media types a successful answer must have (`image/png`, …); another one fails at once, unread. */
  accept?: readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The body as text (control characters removed); empty for a binary one. */
  text: string;
  /** The body as received, when the request asked for `binary` and the answer succeeded. */
  bytes?: Buffer;
  url: string;
  contentType: string;
}

/** The image types `getImage` accepts: what browsers show and `sharp` reads. */
export const IMAGE_TYPES: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** An image read by `getImage`. */
export interface HttpImage {
  bytes: Buffer;
  /** Its media type, one of IMAGE_TYPES. */
  contentType: string;
  /** Where it came from after redirects. */
  url: string;
}

const DEFAULTS: HttpOptions = {
  timeoutMs: 30_000,
  maxAttempts: 4,
  retryBaseMs: 1_000,
  retryCapMs: 30_000,
  maxServerWaitMs: 15 * 60_000,
  maxResponseBytes: 50 * 1024 * 1024,
  defaultLane: { minIntervalMs: 0, concurrency: 4 },
  lanes: {},
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
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

const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** A configured HTTP client. Create one per run and share it. */
export class HttpClient {
  readonly options: HttpOptions;
  private lanes = new Map<string, Lane>();
  private counts = new Map<string, number>();
  /** Deadline of every request made through this view (see `withSignal`). */
  private scope: AbortSignal | undefined;

  constructor(options: Partial<HttpOptions> = {}) {
    this.options = { ...DEFAULTS, ...options, lanes: { ...DEFAULTS.lanes, ...options.lanes } };
  }

  /**
   * A view of this client whose every request is bound to `signal` (a stage's deadline); it
   * shares the lanes, pacing and request counts.
   */
  withSignal(signal: AbortSignal): HttpClient {
    const view = new HttpClient(this.options);
    view.lanes = this.lanes;
    view.counts = this.counts;
    view.scope = this.scope ? AbortSignal.any([this.scope, signal]) : signal;
    return view;
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
    const signal = this.signalOf(spec);
    const deadline = () => new DeadlineError(spec.service, abortReason(signal!), target);
    const pause = async (ms: number) => {
      await this.options.sleep(ms, signal);
      if (signal?.aborted) throw deadline();
    };
    // The credentials this request carries are masked wherever an answer repeats them.
    const auth = Object.entries(spec.headers ?? {}).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
    if (auth) registerSecret(auth.replace(/^\s*[A-Za-z]+\s+/, ''), auth);
    if (spec.secrets) registerSecret(...spec.secrets);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw deadline();
      const outcome = await this.attempt(spec, method, host, laneKey, attempt, signal);
      if (outcome.kind === 'fatal') throw outcome.error;
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
        await pause(wait);
        continue;
      }
      if (signal?.aborted) throw deadline();
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
      await pause(wait);
    }
  }

  private signalOf(spec: RequestSpec): AbortSignal | undefined {
    if (spec.signal && this.scope) return AbortSignal.any([this.scope, spec.signal]);
    return spec.signal ?? this.scope;
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

  /**
   * GET an image as bytes, with every rule of a text request (retries, pacing, deadlines, the
   * size cap, redirects); an answer whose type is not one of IMAGE_TYPES is a one-line error.
   */
  async getImage(service: string, url: string, extra: Partial<RequestSpec> = {}): Promise<HttpImage> {
    const response = await this.request({
      ...extra,
      service,
      url,
      binary: true,
      accept: IMAGE_TYPES,
      headers: { accept: IMAGE_TYPES.join(', '), ...extra.headers },
    });
    return {
      bytes: response.bytes ?? Buffer.alloc(0),
      contentType: mediaType(response.contentType),
      url: response.url,
    };
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
    signal: AbortSignal | undefined,
  ): Promise<
    | { kind: 'response'; response: HttpResponse }
    | { kind: 'error'; error: { code: string; what: string; cause: unknown } }
    | { kind: 'fatal'; error: HotpapersError }
  > {
    const lane = this.lane(laneKey);
    const reserved = await this.acquire(lane, signal);
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs;
    const credentialed =
      (spec.secrets?.length ?? 0) > 0 ||
      Object.keys(spec.headers ?? {}).some((k) => k.toLowerCase() === 'authorization');
    try {
      if (signal?.aborted) {
        return {
          kind: 'fatal',
          error: new DeadlineError(spec.service, abortReason(signal), describeTarget(method, spec.url)),
        };
      }
      this.counts.set(host, (this.counts.get(host) ?? 0) + 1);
      this.options.onAttempt?.({ service: spec.service, method, host, attempt });
      const timeout = AbortSignal.timeout(timeoutMs);
      const fetchSignal = signal ? AbortSignal.any([timeout, signal]) : timeout;
      let url = spec.url;
      let currentMethod: string = method;
      let body = spec.body;
      for (let hop = 0; ; hop++) {
        const response = await this.options.fetch(url, {
          method: currentMethod,
          headers: { 'user-agent': USER_AGENT, accept: '*/*', ...spec.headers },
          body,
          // A credential must never reach another origin: redirects are followed here, by hand.
          redirect: credentialed ? 'manual' : 'follow',
          signal: fetchSignal,
        });
        if (credentialed && REDIRECTS.has(response.status) && response.headers.get('location')) {
          await response.body?.cancel().catch(() => {});
          const from = new URL(url);
          const next = new URL(response.headers.get('location')!, from);
          const target = describeTarget(method, spec.url);
          if (next.origin !== from.origin) {
            return {
              kind: 'fatal',
              error: new FatalResponseError(
                spec.service,
                `HTTP ${response.status} for ${target} redirects to another origin (${next.host}); not followed, the request carries credentials`,
              ),
            };
          }
          if (hop >= MAX_REDIRECTS) {
            return {
              kind: 'fatal',
              error: new FatalResponseError(
                spec.service,
                `more than ${MAX_REDIRECTS} redirects for ${target}`,
              ),
            };
          }
          // As fetch does: 303 (and 301/302 after a POST) continue as a GET without the body.
          if (
            response.status === 303 ||
            ((response.status === 301 || response.status === 302) && currentMethod === 'POST')
          ) {
            currentMethod = 'GET';
            body = undefined;
          }
          url = next.href;
          continue;
        }
        const contentType = response.headers.get('content-type') ?? '';
        const success = response.status >= 200 && response.status < 300;
        // A wrong type will not change on retry (an HTML error page, a moved image): not read.
        if (success && spec.accept && !spec.accept.includes(mediaType(contentType))) {
          await response.body?.cancel().catch(() => {});
          const got = mediaType(contentType) || 'no content type';
          return {
            kind: 'fatal',
            error: new FatalResponseError(
              spec.service,
              `${describeTarget(method, spec.url)} answered ${oneLine(got).slice(0, 80)}, not ${listTypes(spec.accept)}`,
            ),
          };
        }
        const cap = spec.maxBytes ?? this.options.maxResponseBytes;
        const bytes = await readCapped(response, cap);
        if (bytes === null) {
          return {
            kind: 'fatal',
            error: new FatalResponseError(
              spec.service,
              `response for ${describeTarget(method, spec.url)} is larger than the ${formatBytes(cap)} cap (HOTPAPERS_MAX_RESPONSE_MB); not read further`,
            ),
          };
        }
        return {
          kind: 'response',
          response: {
            status: response.status,
            headers: response.headers,
            text:
              spec.binary && success
                ? ''
                : cleanRemoteText(new TextDecoder('utf-8').decode(bytes), contentType),
            ...(spec.binary && success ? { bytes } : {}),
            url: response.url || url,
            contentType,
          },
        };
      }
    } catch (error) {
      if (signal?.aborted) {
        return {
          kind: 'fatal',
          error: new DeadlineError(spec.service, abortReason(signal), describeTarget(method, spec.url)),
        };
      }
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

  /** Wait for a slot in the lane (or the deadline); resolves to the lane's next start this request reserved. */
  private async acquire(lane: Lane, signal?: AbortSignal): Promise<number> {
    while (lane.active >= Math.max(1, lane.policy.concurrency)) {
      await new Promise<void>((resolve) => {
        lane.waiters.push(resolve);
        // A deadline ends the wait for a place too; the slot then passes to the next waiter.
        signal?.addEventListener(
          'abort',
          () => {
            const i = lane.waiters.indexOf(resolve);
            if (i >= 0) lane.waiters.splice(i, 1);
            resolve();
          },
          { once: true },
        );
      });
      if (signal?.aborted) break;
    }
    lane.active++;
    if (signal?.aborted) return lane.nextStart;
    const now = Date.now();
    const start = Math.max(now, lane.nextStart);
    lane.nextStart = start + lane.policy.minIntervalMs;
    const reserved = lane.nextStart;
    if (start > now) await this.options.sleep(start - now, signal);
    return reserved;
  }

  private release(lane: Lane): void {
    lane.active--;
    lane.waiters.shift()?.();
  }
}

/** Parse a JSON body or fail with `<service>: expected JSON …`. */
export function parseJsonBody<T>(service: string, response: HttpResponse, target: string): T {
  // Escapes that decode to control characters go before parsing (the raw ones went on receipt).
  const body = stripJsonControlEscapes(response.text);
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

/** Read a body, stopping as soon as it passes `cap` bytes (then null). */
async function readCapped(response: Response, cap: number): Promise<Buffer | null> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > cap) {
    await response.body?.cancel().catch(() => {});
    return null;
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts, size);
}

/** `image/PNG; charset=x` → `image/png`. */
function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** `image/jpeg, image/png or image/gif`. */
function listTypes(types: readonly string[]): string {
  return types.length > 1
    ? `${types.slice(0, -1).join(', ')} or ${types[types.length - 1]}`
    : (types[0] ?? '');
}

function formatBytes(n: number): string {
  const mb = n / (1024 * 1024);
  return mb >= 1 ? `${Math.round(mb * 10) / 10} MB` : `${n} bytes`;
}
