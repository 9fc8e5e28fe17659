import { clip, HotpapersError } from '../errors.js';

/** Where a request went, for messages: method, host and path only (no query, no headers). */
export function describeTarget(method: string, url: string): string {
  try {
    const u = new URL(url);
    return `${method} ${u.host}${u.pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}

/** The service answered with a status we do not accept. */
export class HttpError extends HotpapersError {
  readonly status: number;
  readonly attempts: number;
  readonly body: string;

  constructor(
    service: string,
    status: number,
    statusText: string,
    target: string,
    attempts: number,
    body: string,
    hint?: string,
  ) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const detail = hint ? ` (${hint})` : body.trim() ? ` (${clip(stripTags(body), 100)})` : '';
    super(service, `HTTP ${status}${statusText ? ` ${statusText}` : ''} for ${target}${tries}${detail}`);
    this.status = status;
    this.attempts = attempts;
    this.body = body;
  }
}

/** The request never got a response: refused, reset, DNS, or timed out. */
export class NetworkError extends HotpapersError {
  readonly code: string;
  readonly attempts: number;

  constructor(
    service: string,
    code: string,
    what: string,
    target: string,
    attempts: number,
    options?: { cause?: unknown; hint?: string },
  ) {
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    const hint = options?.hint ? ` — ${options.hint}` : '';
    super(service, `${what} for ${target}${tries}${hint}`, { cause: options?.cause });
    this.code = code;
    this.attempts = attempts;
  }
}

function stripTags(body: string): string {
  return body.replace(/<[^>]*>/g, ' ');
}

/** The run's deadline for this stage passed while the request waited or ran. */
export class DeadlineError extends HotpapersError {
  constructor(service: string, what: string, target: string) {
    super(service, `${what}; gave up on ${target}`);
  }
}

/** The answer is not usable and asking again would not help (too large, a refused redirect). */
export class FatalResponseError extends HotpapersError {}

/** Why an AbortSignal made by `deadlineSignal` fired. */
export class DeadlinePassed extends Error {
  override readonly name = 'DeadlinePassed';
}

/**
 * A signal that aborts after `ms` with a DeadlinePassed whose message is `what`
 * (e.g. "the 600 s deadline of the x source passed"). Its timer never keeps the process alive.
 */
export function deadlineSignal(ms: number, what: string): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlinePassed(what)), ms);
  timer.unref?.();
  return controller.signal;
}

/** The words of an aborted signal's reason, for messages. */
export function abortReason(signal: AbortSignal): string {
  const reason = signal.reason as { message?: unknown } | undefined;
  return typeof reason?.message === 'string' && reason.message !== ''
    ? reason.message
    : 'the run was cancelled';
}

/**
 * The public form of a failure line (the site's source-health list): the status and the
 * service's host ("HTTP 500 from api.x.com"), a deadline, or a network failure, never a text
 * the service sent. Built from the shapes of our own messages; anything else is just "failed".
 */
export function publicFailure(detail: string | undefined): string {
  if (!detail) return 'failed';
  const hostPattern = '([A-Za-z0-9.-]+(?::\\d+)?|\\[[0-9a-fA-F:]+\\](?::\\d+)?)';
  const target = new RegExp(
    ` (?:for|on) (?:GET|POST) ${hostPattern}/| from ${hostPattern}(?:[\\s);,]|$)`,
  ).exec(detail);
  const host = target ? ` from ${target[1] ?? target[2]}` : '';
  const status = /^[a-z-]+: HTTP (\d{3})\b/.exec(detail);
  if (status) return `HTTP ${status[1]}${host}`;
  if (/deadline/.test(detail)) return `stopped at its deadline${host}`;
  if (
    /^[a-z-]+: (?:cannot connect|connection to|cannot resolve|no response|network error|response body)/.test(
      detail,
    )
  ) {
    return `no answer${host}`;
  }
  if (/larger than the/.test(detail)) return `response too large${host}`;
  if (/malformed|expected|unexpected|not a JSON|no html/.test(detail)) return `unreadable answer${host}`;
  return 'failed';
}
