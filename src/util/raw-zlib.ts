/**
 * Raw DEFLATE with a preset dictionary for many small texts in a row (the store's embeds, and the
 * paper texts of releases up to 5 December 2026; newer paper texts are zstd, zstd.ts).
 *
 * `deflateRawSync` and `inflateRawSync` make a zlib stream for each call and free it after: for
 * DEFLATE ~256 KB, zeroed and page-faulted in again every time (glibc hands the freed memory back
 * to the system), and the dictionary loaded. For a 1 KB abstract that was ~140 µs a call, three
 * quarters of it that setup: 0.27 s of a 2,000-paper listing's save. Here one stream per
 * dictionary and direction is kept and reset between texts (zlib's deflateReset/inflateReset,
 * which keep the memory; Node sets the dictionary again): ~35 µs a call, the same bytes.
 *
 * Node has no public synchronous way to reuse a stream (its sync path closes the stream after
 * one call), so this drives the stream's handle as zlib.js's own sync path does (`_handle`,
 * `_writeState`). That is Node's internals: the stream is checked when made (its shape, and one
 * text against the public function), and whenever this way cannot give an answer (internals
 * not as expected, zlib reports an error, which closes the stream) the caller uses the public
 * function, so the answer (or the error) is always the public function's.
 */
import { constants, createDeflateRaw, createInflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/** The native handle of a zlib stream, as lib/zlib.js uses it. */
interface Handle {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
}

/** What lib/zlib.js keeps on a stream: its handle (null once closed) and [avail out, avail in] after a write. */
interface Internals {
  _handle?: Handle | null;
  _writeState?: Uint32Array;
  on(event: 'error', listener: () => void): unknown;
}

/** A check text for a new stream: long enough to be packed, with words of the dictionaries. */
const PROBE = Buffer.from('We propose a method for learning representations of graphs. '.repeat(8));

/** One kept stream of one direction and dictionary, reset for each text. */
class KeptStream {
  private stream: Internals | undefined;
  /** Set when this Node's streams are not as expected: every call then uses the public function. */
  private unusable = false;
  private out = Buffer.allocUnsafe(16 * 1024);

  constructor(
    private readonly inflate: boolean,
    private readonly dictionary: Buffer | undefined,
  ) {}

  /** The whole output for `input` (a complete raw DEFLATE stream when inflating), or undefined when this way cannot give it. */
  run(input: Uint8Array): Buffer | undefined {
    const parts = this.write(input);
    if (parts === undefined) return undefined;
    if (parts.length === 1) return parts[0]!;
    return Buffer.concat(parts);
  }

  private open(): Internals | undefined {
    if (this.unusable) return undefined;
    const options = this.dictionary ? { dictionary: this.dictionary } : {};
    const stream = (this.inflate
      ? createInflateRaw(options)
      : createDeflateRaw(options)) as unknown as Internals;
    // zlib reports an error by closing the stream (seen by write) and emitting it: not thrown here.
    stream.on('error', () => {});
    const handle = stream._handle;
    if (
      typeof handle?.reset !== 'function' ||
      typeof handle.writeSync !== 'function' ||
      !(stream._writeState instanceof Uint32Array) ||
      stream._writeState.length !== 2
    ) {
      this.unusable = true;
      return undefined;
    }
    this.stream = stream;
    // Checked once against the public functions: the same bytes, or this way is not used.
    const packed = deflateRawSync(PROBE, options);
    const got = this.write(this.inflate ? packed : PROBE);
    const want = this.inflate ? PROBE : packed;
    if (got === undefined || !Buffer.concat(got).equals(want)) {
      this.stream = undefined;
      this.unusable = true;
      return undefined;
    }
    return stream;
  }

  /** Reset the stream and write all of `input` with Z_FINISH; the output in parts (views of fresh buffers). */
  private write(input: Uint8Array): Buffer[] | undefined {
    const stream = this.stream ?? this.open();
    if (!stream) return undefined;
    const handle = stream._handle!;
    const state = stream._writeState!;
    handle.reset();
    const parts: Buffer[] = [];
    let inOff = 0;
    for (;;) {
      handle.writeSync(constants.Z_FINISH, input, inOff, input.length - inOff, this.out, 0, this.out.length);
      if (stream._handle !== handle) {
        // zlib reported an error and the stream was closed: a new one is made for the next text.
        this.stream = undefined;
        return undefined;
      }
      const availOut = state[0]!;
      const availIn = state[1]!;
      const produced = this.out.length - availOut;
      const part = Buffer.allocUnsafe(produced);
      this.out.copy(part, 0, 0, produced);
      parts.push(part);
      // With Z_FINISH, room left in the output means the stream has ended (zlib reports an
      // input that ends too soon as an error).
      if (availOut > 0) return parts;
      inOff = input.length - availIn;
      // A long output: the next writes get more room.
      if (this.out.length < 1 << 20) this.out = Buffer.allocUnsafe(this.out.length * 2);
    }
  }
}

/** Texts through a kept stream, and through the public functions instead (for tests and the bench). */
const counts = { kept: 0, public: 0 };

/** How many texts went through a kept stream and how many through the public functions, so far. */
export function rawZlibCounts(): { kept: number; public: number } {
  return { ...counts };
}

/** Raw DEFLATE with one dictionary (or none), through kept streams: make one per dictionary and keep it. */
export interface RawCodec {
  /** `input` packed (zlib's defaults): the bytes `deflateRawSync` gives. */
  deflate(input: Buffer): Buffer;
  /** Packed `input` unpacked: the bytes `inflateRawSync` gives; throws as it does on a bad stream. */
  inflate(input: Uint8Array): Buffer;
}

/** The kept stream's answer when it has one, else the public function's (counted either way). */
function keptOr<T>(kept: T | undefined, viaPublic: () => T): T {
  if (kept !== undefined) {
    counts.kept++;
    return kept;
  }
  counts.public++;
  return viaPublic();
}

/** A codec for `dictionary` with a kept stream each way (made on first use; ~300 KB while it lives). */
export function rawCodec(dictionary?: Buffer): RawCodec {
  const options = dictionary ? { dictionary } : undefined;
  const deflater = new KeptStream(false, dictionary);
  const inflater = new KeptStream(true, dictionary);
  return {
    deflate: (input) => keptOr(deflater.run(input), () => deflateRawSync(input, options)),
    inflate: (input) => keptOr(inflater.run(input), () => inflateRawSync(input, options)),
  };
}
