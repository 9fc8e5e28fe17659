/**
 * Long stored texts (paper texts, embed HTML) packed with a preset dictionary: a paper's texts
 * are about 40% of their size packed. A value is a BLOB when packed and TEXT otherwise (short
 * texts, and rows written before packing), so both read back the same. A packed value is raw
 * DEFLATE (migration 7's, no dictionary), or one tag byte naming its codec and dictionary
 * followed by the packed bytes: raw DEFLATE (the tags of releases up to 5 December 2026, and
 * embeds still) or a zstd frame (util/zstd.ts, paper texts since). Tags have bits 1–2 set: raw
 * DEFLATE never starts so (that is block type 3, reserved), so the forms cannot be mistaken for
 * each other.
 */
import { inflateRawSync } from 'node:zlib';
import { rawCodec } from '../util/raw-zlib.js';
import { zstdCodec } from '../util/zstd.js';
import type { Db } from './db.js';
import { ABSTRACTS_V1, EMBEDS_V1, PAPERS_V2 } from './dictionaries.js';

/** What a text is, for the choice of dictionary ('paper': a paper's title, authors and abstract together). */
export type PackKind = 'abstract' | 'embed' | 'paper';

/** Packing and unpacking of one tag's codec and dictionary. */
interface Codec {
  pack(input: Buffer): Buffer;
  unpack(body: Uint8Array): Buffer;
}

/**
 * DEFLATE through one kept zlib stream each way (raw-zlib.ts), as a listing packs a thousand
 * texts or more and a fresh stream per text cost four times more.
 */
function deflateCodec(dictionary: string): Codec {
  const raw = rawCodec(Buffer.from(dictionary, 'utf8'));
  return { pack: (input) => raw.deflate(input), unpack: (body) => raw.inflate(body) };
}

const ABSTRACTS = deflateCodec(ABSTRACTS_V1);
/**
 * zstd level 5 with the papers' dictionary: on the 27 papers of the seed posts held out from the
 * dictionaries, the same size as DEFLATE with ABSTRACTS_V1 (0.1% smaller), in about a third of
 * its time (a 2,000-paper listing: ~60 ms against ~150 in a first run). Level 6 packs 2.6%
 * smaller for ~35% more time; the time is what a run was short of (5 December 2026).
 */
const PAPERS: Codec = zstdCodec(Buffer.from(PAPERS_V2, 'utf8'), 5);
/** Tag byte → its codec. Never reuse a tag. */
const CODECS = new Map<number, Codec>([
  [0x06, ABSTRACTS],
  [0x0e, deflateCodec(EMBEDS_V1)],
  [0x16, ABSTRACTS],
  [0x1e, PAPERS],
  [0x2e, PAPERS],
]);
/** The tag each kind is packed with now. */
const TAG: Record<PackKind, number> = { abstract: 0x1e, embed: 0x0e, paper: 0x2e };
/** Every tag a kind has been packed with (a store keeps the values of earlier releases). */
const KIND_TAGS: Record<PackKind, readonly number[]> = {
  abstract: [0x06, 0x1e],
  embed: [0x0e],
  paper: [0x16, 0x2e],
};

/** Whether a stored value was packed as `kind`. */
export function packedAs(value: string | Buffer | Uint8Array | null, kind: PackKind): boolean {
  return value !== null && typeof value !== 'string' && KIND_TAGS[kind].includes(value[0]!);
}

/** Texts shorter than this stay TEXT: packing gains too little on them to pay for itself. */
const MIN_PACKED = 200;

/** `text` as stored: packed with the dictionary of its kind when that is smaller, else the text. */
export function packText(text: string, kind: PackKind = 'abstract'): string | Buffer {
  if (text.length < MIN_PACKED) return text;
  const tag = TAG[kind];
  const input = Buffer.from(text);
  const body = CODECS.get(tag)!.pack(input);
  if (body.length + 1 >= input.length) return text;
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = tag;
  body.copy(out, 1);
  return out;
}

/** A stored value of packText (or NULL) back to its text. */
export function unpackText(value: string | Buffer | Uint8Array): string;
export function unpackText(value: string | Buffer | Uint8Array | null): string | null;
export function unpackText(value: string | Buffer | Uint8Array | null): string | null {
  if (value === null || typeof value === 'string') return value;
  const codec = codecOf(value);
  return (codec ? codec.unpack(value.subarray(1)) : inflateRawSync(value)).toString('utf8');
}

/** The codec a packed value's tag names; undefined for migration 7's form (no tag, no dictionary). */
function codecOf(value: Buffer | Uint8Array): Codec | undefined {
  if ((value[0]! & 0x06) !== 0x06) return undefined;
  const codec = CODECS.get(value[0]!);
  if (!codec) throw new Error(`packed with unknown dictionary ${value[0]}`);
  return codec;
}

/**
 * A packed value of packText split at its first `count - 1` NUL characters, the last part
 * holding the rest. Each part is decoded from the bytes on its own: a part sliced from one
 * decoded text would keep all of that text alive as long as the part lives (V8 slices strings
 * without copying), and a site build keeps every ranked paper's title for the whole build.
 */
export function unpackTextParts(value: Buffer | Uint8Array, count: number): string[] {
  const codec = codecOf(value);
  const bytes = codec ? codec.unpack(value.subarray(1)) : inflateRawSync(value);
  const parts: string[] = [];
  let from = 0;
  // UTF-8 writes U+0000 as the one byte 0, which no other character's bytes contain.
  while (parts.length < count - 1) {
    const at = bytes.indexOf(0, from);
    if (at < 0) break;
    parts.push(bytes.toString('utf8', from, at));
    from = at + 1;
  }
  parts.push(bytes.toString('utf8', from));
  return parts;
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
export const MAX_ISO_MS = 253_402_300_799_999;

/**
 * An ISO instant as stored (see derived.ts isoTimeSql): milliseconds since the epoch when
 * `toISOString` gives the same text back, else the text as received. A bigint, so SQLite
 * stores an INTEGER (a JS number binds as REAL).
 */
export function packTime(iso: string): bigint | string {
  // toISOString's own form is YYYY-MM-DDTHH:MM:SS.sssZ with every field in range, read here
  // field by field: the round trip through Date.parse and toISOString (packTimeByRoundTrip, the
  // rule) cost ~2 µs a post on a run's first pass. Before 1970 the rule keeps the text too.
  if (
    iso.length !== 24 ||
    iso.charCodeAt(4) !== 45 || // -
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 || // T
    iso.charCodeAt(13) !== 58 || // :
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 || // .
    iso.charCodeAt(23) !== 90 // Z
  )
    return iso;
  const year = digitsAt(iso, 0, 4);
  const month = digitsAt(iso, 5, 2);
  const day = digitsAt(iso, 8, 2);
  const hour = digitsAt(iso, 11, 2);
  const minute = digitsAt(iso, 14, 2);
  const second = digitsAt(iso, 17, 2);
  const ms = digitsAt(iso, 20, 3);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return iso;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return iso;
  return BigInt(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/** packTime's rule as it reads: the text's instant when toISOString writes that text back. */
export function packTimeByRoundTrip(iso: string): bigint | string {
  const ms = Date.parse(iso);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_ISO_MS) return iso;
  return new Date(ms).toISOString() === iso ? BigInt(ms) : iso;
}

/** The decimal number of `iso`'s `n` characters from `at`; -1 when one is not an ASCII digit. */
function digitsAt(iso: string, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const digit = iso.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year` (Gregorian, as Date counts them). */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}
