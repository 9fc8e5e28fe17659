import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { parseSeedPost } from '../../src/demo/seed.js';
import { seededRandom } from '../../src/standins/random.js';
import { ABSTRACTS_V1, EMBEDS_V1 } from '../../src/store/dictionaries.js';
import { type RawCodec, rawCodec, rawZlibCounts } from '../../src/util/raw-zlib.js';

const SEEDS = ['2020-06-29', '2020-12-14', '2021-03-16', '2021-04-20', '2021-06-09', '2021-08-26'];
const abstracts = SEEDS.flatMap((day) =>
  parseSeedPost(readFileSync(`test/fixtures/seed/${day}---Hot-Papers.md`, 'utf8')).papers.map(
    (p) => `${p.title}\n${p.authors.join(', ')}\n${p.abstract}`,
  ),
);
const dictionaries = [Buffer.from(ABSTRACTS_V1, 'utf8'), Buffer.from(EMBEDS_V1, 'utf8'), undefined];
const codecs = new Map<Buffer | undefined, RawCodec>(dictionaries.map((d) => [d, rawCodec(d)]));
/** `input` packed through the kept stream of `dictionary`. */
const deflateRawWith = (input: Buffer, dictionary?: Buffer) => codecs.get(dictionary)!.deflate(input);
/** Packed `input` unpacked through the kept stream of `dictionary`. */
const inflateRawTextWith = (input: Uint8Array, dictionary?: Buffer) =>
  codecs.get(dictionary)!.inflate(input).toString('utf8');

/** A text of `n` random letters and spaces: it packs to more than the kept stream's 16 KB output buffer. */
function randomText(n: number, seed: number): string {
  const rnd = seededRandom(seed);
  let s = '';
  for (let i = 0; i < n; i++) s += 'abcdefghijklmnopqrstuvwxyz      '[Math.floor(rnd() * 32)];
  return s;
}

test('a kept stream packs each text to the bytes deflateRawSync gives, text after text, and back', () => {
  assert.ok(abstracts.length >= 60, `the seed posts give ${abstracts.length} texts`);
  const before = rawZlibCounts();
  for (const dictionary of dictionaries) {
    const options = dictionary ? { dictionary } : undefined;
    // Twice over, interleaved with another dictionary's stream: a reset leaves nothing of the text before.
    for (let round = 0; round < 2; round++)
      for (const text of abstracts) {
        const input = Buffer.from(text);
        const packed = deflateRawWith(input, dictionary);
        assert.deepEqual(packed, deflateRawSync(input, options));
        assert.equal(inflateRawTextWith(packed, dictionary), text);
        deflateRawWith(Buffer.from('another stream between'), dictionary ? undefined : dictionaries[0]);
      }
  }
  // Every text went through a kept stream (on a Node whose zlib internals are not as this
  // module expects, the public functions answer instead: the same bytes, none of the speed).
  const after = rawZlibCounts();
  assert.equal(after.public - before.public, 0);
  assert.equal(after.kept - before.kept, dictionaries.length * 2 * abstracts.length * 3);
});

test('outputs longer than one write, and the empty text, come out whole', () => {
  const dictionary = dictionaries[0]!;
  const long = randomText(200_000, 7);
  const packed = deflateRawWith(Buffer.from(long), dictionary);
  assert.ok(packed.length > 64 * 1024, `packed to ${packed.length} bytes`);
  assert.deepEqual(packed, deflateRawSync(Buffer.from(long), { dictionary }));
  assert.equal(inflateRawTextWith(packed, dictionary), long);
  const empty = deflateRawWith(Buffer.alloc(0), dictionary);
  assert.deepEqual(empty, deflateRawSync(Buffer.alloc(0), { dictionary }));
  assert.equal(inflateRawTextWith(empty, dictionary), '');
});

test('a damaged or cut stream fails as inflateRawSync fails, and the next text still unpacks', () => {
  const dictionary = dictionaries[0]!;
  const good = deflateRawWith(Buffer.from(abstracts[0]!), dictionary);
  const damaged = Buffer.from([0xff, 0xff, 0xff, 0x00, 0x12]);
  const cut = good.subarray(0, good.length >> 1);
  for (const bad of [damaged, cut]) {
    let expected: Error | undefined;
    try {
      inflateRawSync(bad, { dictionary });
    } catch (error) {
      expected = error as Error;
    }
    assert.ok(expected, 'the public function rejects it');
    const before = rawZlibCounts();
    assert.throws(
      () => inflateRawTextWith(bad, dictionary),
      (error: Error & { code?: string }) =>
        error.message === expected.message && error.code === (expected as Error & { code?: string }).code,
    );
    // The kept stream failed, the public function gave the error; the next text has a new stream.
    assert.equal(rawZlibCounts().public - before.public, 1);
    assert.equal(inflateRawTextWith(good, dictionary), abstracts[0]);
    assert.equal(rawZlibCounts().kept - before.kept, 1);
  }
});
