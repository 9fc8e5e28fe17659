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
