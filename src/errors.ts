/**
 * Errors that reach the user. Every message is one line shaped `<service>: <what happened>`
 * and is built from method, host and path only, never from headers or query strings, so no
 * secret can appear in it.
 */
import { collapseWhitespace } from './util/text.js';

/** Base class of every error hotpapers raises on purpose. */
export class HotpapersError extends Error {
  /** The service or subsystem at fault: `arxiv`, `x`, `config`, `store`, … */
  readonly service: string;

  constructor(service: string, message: string, options?: { cause?: unknown }) {
    super(`${service}: ${oneLine(message)}`, options);
    this.name = new.target.name;
    this.service = service;
  }
}

/** A configuration value is missing or invalid. */
export class ConfigError extends HotpapersError {
  constructor(message: string) {
    super('config', message);
  }
}

/** A response that could not be understood (malformed XML/JSON, wrong content type, …). */
export class ParseError extends HotpapersError {}

/** The local store failed. */
export class StoreError extends HotpapersError {}

/** Collapse a message to one line so CLI output stays one line per error. */
export function oneLine(text: string): string {
  return collapseWhitespace(text);
}

/** Cut long foreign text (an error body) for inclusion in a message. */
export function clip(text: string, max = 120): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
