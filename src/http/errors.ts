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
