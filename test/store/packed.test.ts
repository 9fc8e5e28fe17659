import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import type * as ZstdBinding from 'zstd-napi/binding.js';
import { parseSeedPost } from '../../src/demo/seed.js';
import { seededRandom } from '../../src/standins/random.js';
import { openStore } from '../../src/store/db.js';
import { ABSTRACTS_V1, DICTIONARY_SEEDS, EMBEDS_V1, PAPERS_V2 } from '../../src/store/dictionaries.js';
import { loadListing, saveListing } from '../../src/store/listings.js';
import { packedAs, packText, unpackText, unpackTextParts } from '../../src/store/packed.js';
import type { Paper } from '../../src/types.js';
import { zstdCodec } from '../../src/util/zstd.js';

const zstd = createRequire(import.meta.url)('zstd-napi/binding.js') as typeof ZstdBinding;
const SEEDS = ['2020-06-29', '2020-12-14', '2021-03-16', '2021-04-20', '2021-06-09', '2021-08-26'];
/** Each seed paper's texts as packPaperTexts joins them, by the seed post's day. */
const papers = SEEDS.map((day) => ({
  day,
  texts: parseSeedPost(readFileSync(`test/fixtures/seed/${day}---Hot-Papers.md`, 'utf8'))
    .papers.filter((p) => p.abstract.length > 0)
    .map((p) => `${p.title}\u0000${p.authors.join('\n')}\u0000${p.abstract}`),
}));
const all = papers.flatMap((p) => p.texts);
const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** A packed zstd value's body read by the library's own decoder, given the magic number back. */
function decodeWith(body: Uint8Array, dictionary: string): string {
  const frame = Buffer.concat([MAGIC, body]);
  const size = zstd.getFrameContentSize(frame);
  assert.ok(size !== null, 'the frame names its size');
  const out = Buffer.alloc(size);
  const n = new zstd.DCtx().decompressUsingDict(out, frame, Buffer.from(dictionary, 'utf8'));
  return out.subarray(0, n).toString('utf8');
}

test('paper texts are packed with zstd and the papers dictionary, behind their tag, and read back', () => {
  assert.ok(all.length >= 60, `the seed posts give ${all.length} papers`);
  for (const text of all) {
    const packed = packText(text, 'paper');
    assert.ok(Buffer.isBuffer(packed), 'a whole paper is long enough to pack');
    assert.equal(packed[0], 0x2e);
    assert.ok(packedAs(packed, 'paper') && !packedAs(packed, 'abstract') && !packedAs(packed, 'embed'));
    // A zstd frame without its magic number, readable by zstd itself with the dictionary.
    assert.equal(decodeWith(packed.subarray(1), PAPERS_V2), text);
    assert.equal(unpackText(packed), text);
  }
  const abstract = packText(all[0]!.split('\u0000')[2]!, 'abstract') as Buffer;
  assert.equal(abstract[0], 0x1e);
  assert.ok(packedAs(abstract, 'abstract'));
  assert.equal(decodeWith(abstract.subarray(1), PAPERS_V2), all[0]!.split('\u0000')[2]);
});

test('embeds stay DEFLATE with their dictionary', () => {
  const html = `<blockquote class="twitter-tweet"><p lang="en" dir="ltr">${all[1]!.slice(0, 260)}</p>&mdash; A (@a) <a href="https://twitter.com/a/status/1?ref_src=twsrc%5Etfw">June 9, 2021</a></blockquote>`;
  const packed = packText(html, 'embed') as Buffer;
  assert.equal(packed[0], 0x0e);
  assert.deepEqual(packed.subarray(1), deflateRawSync(html, { dictionary: Buffer.from(EMBEDS_V1, 'utf8') }));
  assert.equal(unpackText(packed), html);
});

test('values of earlier releases read back: DEFLATE under the tags 0x06 and 0x16, and untagged', () => {
  const dictionary = Buffer.from(ABSTRACTS_V1, 'utf8');
  for (const text of all.slice(0, 10)) {
    const paper = Buffer.concat([Buffer.from([0x16]), deflateRawSync(text, { dictionary })]);
    assert.ok(packedAs(paper, 'paper'));
    assert.equal(unpackText(paper), text);
    assert.deepEqual(unpackTextParts(paper, 3), text.split('\u0000'));
    const abstract = text.split('\u0000')[2]!;
    const older = Buffer.concat([Buffer.from([0x06]), deflateRawSync(abstract, { dictionary })]);
    assert.ok(packedAs(older, 'abstract') && !packedAs(older, 'paper'));
    assert.equal(unpackText(older), abstract);
    assert.equal(unpackText(deflateRawSync(abstract)), abstract);
  }
});

test('a store holding paper rows of an earlier release (DEFLATE) and of this one (zstd) gives both back', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hp-packed-'));
  try {
    const db = openStore(join(dir, 'store.db'));
    const seed = parseSeedPost(readFileSync('test/fixtures/seed/2021-06-09---Hot-Papers.md', 'utf8'));
    const listed: Paper[] = seed.papers
      .filter((p) => p.abstract.length > 0)
      .slice(0, 4)
      .map((p) => ({
        id: p.id,
        version: 1,
        title: p.title,
        authors: p.authors,
        abstract: p.abstract,
        categories: p.categories,
        primaryCategory: p.categories[0]!,
        announceType: 'new',
        method: 'api',
      }));
    const day = '2021-06-09';
    saveListing(
      db,
      { day, categories: ['cs'], method: 'api', papers: listed, notes: [] },
      '2021-06-09T18:00:00Z',
    );
    const tags = () =>
      db
        .prepare('SELECT id, hex(substr(abstract, 1, 1)) FROM papers ORDER BY id')
        .raw()
        .all()
        .map((r) => (r as [string, string])[1]);
    assert.deepEqual(tags(), ['2E', '2E', '2E', '2E']);
    // Two rows as the release before wrote them: the three texts together as DEFLATE (0x16), and
    // the abstract alone as DEFLATE (0x06) with the title and authors in their columns.
    const dictionary = Buffer.from(ABSTRACTS_V1, 'utf8');
    const [a, b] = listed;
    db.prepare("UPDATE papers SET title = '', authors = '', abstract = ? WHERE id = ?").run(
      Buffer.concat([
        Buffer.from([0x16]),
        deflateRawSync(`${a!.title}\u0000${a!.authors.join('\n')}\u0000${a!.abstract}`, { dictionary }),
      ]),
      a!.id,
    );
    db.prepare('UPDATE papers SET title = ?, authors = ?, abstract = ? WHERE id = ?').run(
      b!.title,
      b!.authors.join('\n'),
      Buffer.concat([Buffer.from([0x06]), deflateRawSync(b!.abstract, { dictionary })]),
      b!.id,
    );
    assert.deepEqual(tags().sort(), ['06', '16', '2E', '2E']);
    const back = loadListing(db, day, ['cs'])!;
    const texts = (p: { title: string; authors: string[]; abstract: string }) => [
      p.title,
      p.authors,
      p.abstract,
    ];
    assert.deepEqual(back.papers.map(texts).sort(), listed.map(texts).sort());
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unpackTextParts splits a packed text at its first NULs, the rest in the last part', () => {
  const abstract = all.find((a) => a.length > 600)!.split('\u0000')[2]!;
  const [title, names] = ['Ünïcode title: $O(n)$ 学习', 'A. Author\nB. Author'];
  const packed = packText(`${title}\u0000${names}\u0000${abstract}\u0000tail`, 'paper');
  assert.ok(Buffer.isBuffer(packed));
  assert.deepEqual(unpackTextParts(packed, 3), [title, names, `${abstract}\u0000tail`]);
  assert.deepEqual(unpackTextParts(packed, 2), [title, `${names}\u0000${abstract}\u0000tail`]);
  assert.deepEqual(unpackTextParts(packed, 5), [title, names, abstract, 'tail']);
  const plain = packText(abstract, 'abstract');
  assert.deepEqual(unpackTextParts(plain as Buffer, 3), [abstract]);
});

test('a damaged zstd value fails with a one-line error, and the next one still unpacks', () => {
  const good = packText(all[2]!, 'paper') as Buffer;
  // The frame's header says how long the text is: a claim past the limit is refused, not allocated.
  const huge = Buffer.from(good);
  const cut = good.subarray(0, good.length >> 1);
  const garbage = Buffer.from([0x2e, 0xff, 0xff, 0xff, 0x00, 0x12, 0x7f]);
  const hugeClaim = Buffer.concat([
    Buffer.from([0x2e]),
    // Frame header: content size in 8 bytes (FHD 0xe0 = 8-byte size, single segment), 2^40 bytes.
    Buffer.from([0xe0, 0, 0, 0, 0, 0, 1, 0, 0]),
    huge.subarray(4),
  ]);
  for (const bad of [cut, garbage, hugeClaim]) {
    assert.throws(
      () => unpackText(bad),
      (error: Error) => /^packed text /.test(error.message) && !error.message.includes('\n'),
    );
    assert.equal(unpackText(good), all[2]);
  }
});

test('the zstd codec: empty and long inputs, past its first output buffer, come back whole', () => {
  const codec = zstdCodec(Buffer.from(PAPERS_V2, 'utf8'), 5);
  assert.equal(codec.unpack(codec.pack(Buffer.alloc(0))).length, 0);
  const rnd = seededRandom(11);
  let long = '';
  for (let i = 0; i < 300_000; i++) long += 'abcdefghijklmnopqrstuvwxyz      '[Math.floor(rnd() * 32)];
  const packed = codec.pack(Buffer.from(long));
  assert.ok(packed.length > 64 * 1024, `packed to ${packed.length} bytes`);
  assert.equal(codec.unpack(packed).toString('utf8'), long);
  // Interleaved with a codec of another dictionary: each context keeps its own.
  const other = zstdCodec(Buffer.from(EMBEDS_V1, 'utf8'), 3);
  for (const text of all.slice(0, 5)) {
    const a = codec.pack(Buffer.from(text));
    const b = other.pack(Buffer.from(text));
    assert.equal(codec.unpack(a).toString('utf8'), text);
    assert.equal(other.unpack(b).toString('utf8'), text);
  }
});

test('on the seed papers held out of the dictionaries, zstd packs no larger than the DEFLATE it replaced', () => {
  const held = papers.filter((p) => !DICTIONARY_SEEDS.includes(p.day)).flatMap((p) => p.texts);
  assert.ok(held.length >= 25, `${held.length} held-out papers`);
  const dictionary = Buffer.from(ABSTRACTS_V1, 'utf8');
  let now = 0;
  let before = 0;
  for (const text of held) {
    now += (packText(text, 'paper') as Buffer).length;
    before += 1 + deflateRawSync(text, { dictionary }).length;
  }
  // The same size, within 1% (another zstd release may choose a few bytes otherwise).
  assert.ok(now <= before * 1.01, `zstd ${now} bytes against DEFLATE ${before}`);
  assert.ok(now < held.reduce((n, t) => n + Buffer.byteLength(t), 0) * 0.45, 'packed to less than 45%');
});
