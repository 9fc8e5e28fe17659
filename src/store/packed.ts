/**
 * Long stored texts (paper abstracts) as raw DEFLATE: an abstract is half its size compressed,
 * and abstracts are most of what a day adds to the store. A value is a BLOB when packed and
 * TEXT otherwise (short texts, and rows written before packing), so both read back the same.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Db } from './db.js';

/** Texts shorter than this stay TEXT: DEFLATE gains too little on them to pay for itself. */
const MIN_PACKED = 200;

/** `text` as stored: a DEFLATE BLOB when that is smaller, else the text itself. */
export function packText(text: string): string | Buffer {
  if (text.length < MIN_PACKED) return text;
  const packed = deflateRawSync(text);
  return packed.length < Buffer.byteLength(text) ? packed : text;
}

/** A stored value of packText back to its text. */
export function unpackText(value: string | Buffer | Uint8Array): string {
  return typeof value === 'string' ? value : inflateRawSync(value).toString('utf8');
}

/** Pack every abstract stored as plain text (rows written before packing); the count packed. */
export function packStoredAbstracts(db: Db): number {
  const rows = db
    .prepare("SELECT id, abstract FROM papers WHERE typeof(abstract) = 'text'")
    .raw()
    .all() as Array<[string, string]>;
  const update = db.prepare('UPDATE papers SET abstract = ? WHERE id = ?');
  let packed = 0;
  for (const [id, abstract] of rows) {
    const value = packText(abstract);
    if (typeof value === 'string') continue;
    update.run(value, id);
    packed++;
  }
  return packed;
}

/** The last instant toISOString writes with a four-digit year (9999-12-31T23:59:59.999Z). */
const MAX_ISO_MS = 253_402_300_799_999;

/**
 * An ISO instant as stored (see derived.ts isoTimeSql): milliseconds since the epoch when
 * `toISOString` gives the same text back, else the text as received. A bigint, so SQLite
 * stores an INTEGER (a JS number binds as REAL).
 */
export function packTime(iso: string): bigint | string {
  const ms = Date.parse(iso);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_ISO_MS) return iso;
  return new Date(ms).toISOString() === iso ? BigInt(ms) : iso;
}
