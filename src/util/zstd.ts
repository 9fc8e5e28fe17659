/**
 * zstd with a preset dictionary, for many small texts in a row (the store's paper texts), through
 * zstd-napi. zstd prepares a dictionary once per context and keeps it: packing a 1 KB abstract
 * costs ~20 µs, where DEFLATE hashed its 16 KB dictionary again for every text (~70 µs, most of
 * a 2,000-paper listing's save). The dictionary is raw content (any bytes), so a larger one costs
 * no time per text, only a better ratio.
 *
 * A packed value is a zstd frame without its 4-byte magic number (the store's tag byte says what
 * it is), without a checksum (4 bytes, ~1% of a paper's packed text; the raw DEFLATE before had
 * none either) or a dictionary id, and with the content size, so that unpacking allocates the
 * exact buffer.
 */
import { createRequire } from 'node:module';
import type * as ZstdBinding from 'zstd-napi/binding.js';

/** The frame's magic number as it is written (0xFD2FB528, little-endian). */
const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** Longest text a packed value may claim to hold: a corrupt size fails instead of allocating it. */
const MAX_UNPACKED = 64 * 1024 * 1024;

/** Loaded on first use: the native module is not read by commands that never pack or unpack. */
let binding: typeof ZstdBinding | undefined;

function zstd(): typeof ZstdBinding {
  binding ??= createRequire(import.meta.url)('zstd-napi/binding.js') as typeof ZstdBinding;
  return binding;
}

/** Packing and unpacking with one dictionary, each through a context kept for the process. */
export interface ZstdCodec {
  /** `input` as a zstd frame without its magic number. */
  pack(input: Uint8Array): Buffer;
  /** A value of pack back to its bytes; throws a one-line error on a value that is not one. */
  unpack(body: Uint8Array): Buffer;
}

/** A codec for `dictionary` at compression `level` (contexts made on first use). */
export function zstdCodec(dictionary: Buffer, level: number): ZstdCodec {
  let cctx: ZstdBinding.CCtx | undefined;
  let dctx: ZstdBinding.DCtx | undefined;
  let ddict: ZstdBinding.DDict | undefined;
  let scratch = Buffer.allocUnsafe(0);
  const compressor = (): ZstdBinding.CCtx => {
    if (cctx) return cctx;
    const z = zstd();
    const c = new z.CCtx();
    // Parameters first: loading the dictionary fixes them for the prepared dictionary.
    c.setParameter(z.CParameter.compressionLevel, level);
    c.setParameter(z.CParameter.checksumFlag, 0);
    c.setParameter(z.CParameter.dictIDFlag, 0);
    c.setParameter(z.CParameter.contentSizeFlag, 1);
    c.loadDictionary(dictionary);
    cctx = c;
    return c;
  };
  return {
    pack(input) {
      const c = compressor();
      const bound = zstd().compressBound(input.length);
      if (scratch.length < bound) scratch = Buffer.allocUnsafe(Math.max(bound, 16 * 1024));
      const n = c.compress2(scratch, input);
      if (n < MAGIC.length || !scratch.subarray(0, MAGIC.length).equals(MAGIC))
        throw new Error('zstd: a frame without its magic number');
      return Buffer.from(scratch.subarray(MAGIC.length, n));
    },
    unpack(body) {
      const z = zstd();
      if (!dctx || !ddict) {
        dctx = new z.DCtx();
        ddict = new z.DDict(dictionary);
      }
      const frame = Buffer.allocUnsafe(MAGIC.length + body.length);
      MAGIC.copy(frame, 0);
      frame.set(body, MAGIC.length);
      let size: number | null;
      try {
        size = z.getFrameContentSize(frame);
      } catch {
        size = null;
      }
      if (size === null || size > MAX_UNPACKED)
        throw new Error('packed text is not a zstd frame of known size');
      const out = Buffer.allocUnsafe(size);
      let n: number;
      try {
        n = dctx.decompressUsingDDict(out, frame, ddict);
      } catch (error) {
        throw new Error(`packed text does not unpack: ${(error as Error).message}`);
      }
      if (n !== size) throw new Error(`packed text unpacks to ${n} bytes, not the ${size} it names`);
      return out;
    },
  };
}
