/**
 * Errors that reach the user. Every message is one line shaped `<service>: <what happened>`
 * and is built from method, host and path only, never from headers or query strings; what a
 * service sent back passes the redactor, so no secret can appear in it.
 */
import { redact } from './util/redact.js';
import { collapseWhitespace } from './util/text.js';

/** Base class of every error hotpapers raises on purpose. */
export class HotpapersError extends Error {
  /** The service or subsystem at fault: `arxiv`, `x`, `config`, `store`, … */
  readonly service: string;

  constructor(service: string, message: string, options?: { cause?: unknown }) {
    super(`${service}: ${clipQuoted(redact(oneLine(message)))}`, options);
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

const LONG_QUOTED = /"((?:[^"\\]|\\.){81,}?)"/g;

/** Quoted input echoed in a message (`got "…"`, `"…" is not an arXiv id`) cut to 80 characters and "…". */
export function clipQuoted(message: string): string {
  if (message.length < 90) return message;
  return message.replace(LONG_QUOTED, (_m, inner: string) => `"${inner.slice(0, 80)}…"`);
}

/** Echoed user input (an id, a date, a value), clipped so one bad argument stays one short line. */
export function clipInput(text: string, max = 80): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const IO_CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  EBUSY: 'busy',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many symbolic links',
};

/**
 * A local file-system error (it has `code` and `path`) as one line naming the path and the
 * cause, e.g. `io: cannot write content/posts/x.md: permission denied (EACCES)`; null for
 * anything else.
 */
export function ioErrorLine(error: unknown): HotpapersError | null {
  const e = error as (NodeJS.ErrnoException & { dest?: string }) | null;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || typeof e.path !== 'string') return null;
  const verbs: Record<string, string> = {
    open: 'open',
    read: 'read',
    write: 'write',
    mkdir: 'create the folder',
    rename: 'move',
    unlink: 'remove',
    rmdir: 'remove the folder',
    rm: 'remove',
    scandir: 'list the folder',
    opendir: 'list the folder',
    stat: 'read',
    lstat: 'read',
    access: 'access',
    copyfile: 'copy',
    chmod: 'change the mode of',
    link: 'link',
    symlink: 'link',
    fsync: 'write',
  };
  const verb = verbs[e.syscall ?? ''] ?? 'access';
  const target = e.dest ? `${e.path} to ${e.dest}` : e.path;
  const cause = IO_CAUSES[e.code] ?? 'failed';
  return new HotpapersError('io', `cannot ${verb} ${target}: ${cause} (${e.code})`, { cause: error });
}

let storePath: string | undefined;

/** Remember the store this process opened, so an SQLite error can name it. */
export function noteStorePath(path: string): void {
  storePath = path;
}

const SQLITE_CAUSES: Array<[RegExp, string]> = [
  [/^SQLITE_READONLY/, 'is read-only (check the permissions of the file and of its folder)'],
  [/^SQLITE_FULL/, 'cannot grow: the disk is full'],
  [/^SQLITE_CANTOPEN/, 'cannot be opened'],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'is damaged or not a hotpapers store'],
  [/^SQLITE_BUSY/, 'is busy (another process holds it)'],
  [/^SQLITE_IOERR/, 'could not be read or written (I/O error)'],
  [/^SQLITE_PERM|^SQLITE_AUTH/, 'is not accessible (permission denied)'],
];

/** An SQLite error as one line naming the store and the cause; null for anything else. */
export function storeErrorLine(error: unknown): StoreError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  const cause = SQLITE_CAUSES.find(([re]) => re.test(code))?.[1] ?? 'failed';
  const message = oneLine(error instanceof Error ? error.message : '');
  return new StoreError(
    'store',
    `the store ${storePath ?? '(HOTPAPERS_DB)'} ${cause} (${code}${message ? `: ${message}` : ''})`,
    { cause: error },
  );
}

/** Any error as the one line the user sees: ours as is, a file or store error with its path, else internal. */
export function userErrorLine(error: unknown, service = 'hotpapers'): string {
  if (error instanceof HotpapersError) return error.message;
  const io = ioErrorLine(error) ?? storeErrorLine(error);
  if (io) return io.message;
  const message = error instanceof Error ? error.message : String(error);
  return `${service}: internal error: ${redact(oneLine(message))}`;
}
