import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSite } from '../../src/site/build.js';
import type { SiteModel } from '../../src/site/model.js';
import {
  bucketOf,
  buildSearchIndex,
  eachToken,
  eachTokenNumber,
  keyOf,
  normalise,
  type SearchEntry,
  STOPWORDS,
  TokenTable,
  tokens,
} from '../../src/site/search-index.js';
import { searchEngineOver } from '../../src/site/search-vm.js';
import type { PaperEnrichment } from '../../src/types.js';
import { digest, paper, post, ranked } from './fixtures.js';

function entry(
  id: string,
  score: number,
  over: Parameters<typeof paper>[1] = {},
  day = '2021-06-09',
): SearchEntry {
  return { paper: paper(id, over), day, rank: 1, score };
}

const ENTRIES: SearchEntry[] = [
  entry('2106.00001', 500, {
    title: 'An Image is Worth 16x16 Words: ViT at Scale',
    abstract: 'We train a vision transformer (ViT) on images.',
    authors: ['Alexey Dosovitskiy', 'Lucas Beyer'],
    categories: ['cs.CV', 'cs.LG'],
  }),
  entry('2106.00002', 900, {
    title: 'Measuring Selectivity of Neurons',
    abstract: 'Selectivity and exploration of units.',
    authors: ['Ada Lovelace'],
    categories: ['cs.LG'],
  }),
  entry('2106.00003', 300, {
    title: 'LoRA: Low-Rank Adaptation',
    abstract: 'We adapt large models with low-rank updates.',
    authors: ['Edward Hu'],
    categories: ['cs.CL'],
  }),
  entry(
    '2106.00004',
    200,
    {
      title: 'Legged Robots that Walk',
      abstract: 'A robot learns to walk; we evaluate vision-based policies.',
      authors: ['Marc Raibert', 'Ada Lovelace'],
      categories: ['cs.RO', 'cs.LG'],
    },
    '2021-05-01',
  ),
  entry('2106.00005', 800, {
    title: 'Robust Exploration in Reinforcement Learning',
    abstract: 'Exploration bonuses; also mentions cs.RO in text only.',
    authors: ['Richard Sutton'],
    categories: ['cs.LG', 'stat.ML'],
  }),
];

function engine(entries = ENTRIES) {
  return searchEngineOver(buildSearchIndex(entries).files);
}
const ids = (r: { docs: Array<[string, ...unknown[]]> }) => r.docs.map((d) => d[0]);

test('whole words and word beginnings match; substrings inside words do not', () => {
  const { query } = engine();
  assert.deepEqual(ids(query('ViT')), ['2106.00001']);
  assert.deepEqual(ids(query('lora')), ['2106.00003']);
  assert.deepEqual(ids(query('explor')), ['2106.00005', '2106.00002']);
  assert.deepEqual(ids(query('lectivity')), []);
});

test('results are ordered by relevance (title over abstract), then by score', () => {
  const { query } = engine();
  // "exploration": in 00005's title (score 800) and 00002's abstract (score 900): the title wins.
  assert.deepEqual(ids(query('exploration')), ['2106.00005', '2106.00002']);
  // "vision": both in abstracts only, so the higher score comes first.
  assert.deepEqual(ids(query('vision')), ['2106.00001', '2106.00004']);
  const r = query('vision');
  assert.equal(r.docs[0]![4], 500);
  assert.equal(r.docs[0]![3], '2021-06-09');
});

test('a category code is an exact category term, not a word of the text', () => {
  const { query } = engine();
  assert.deepEqual(ids(query('cs.RO')), ['2106.00004']);
  assert.deepEqual(ids(query('cs.LG')), ['2106.00002', '2106.00005', '2106.00001', '2106.00004']);
  assert.deepEqual(ids(query('walk cs.RO')), ['2106.00004']);
  assert.deepEqual(ids(query('exploration', { cat: 'stat.ML' })), ['2106.00005']);
});

test('authors are found by name; every word of the query must match', () => {
  const { query } = engine();
  assert.deepEqual(ids(query('Ada Lovelace')), ['2106.00002', '2106.00004']);
  assert.deepEqual(ids(query('lovelace robot')), ['2106.00004']);
  assert.deepEqual(ids(query('lovelace sutton')), []);
});

test('an arXiv id or link goes straight to the paper; an unknown one says so', () => {
  const { query } = engine();
  assert.equal(query('2106.00003').goto, 'papers/2106.00003.html');
  assert.equal(query('https://arxiv.org/abs/2106.00003v2').goto, 'papers/2106.00003.html');
  assert.equal(query('arxiv.org/pdf/2106.00003.pdf').goto, 'papers/2106.00003.html');
  assert.equal(query('2199.99999').missingId, '2199.99999');
});

test('the window filter keeps papers announced within it, counted back from the newest day', () => {
  const { query } = engine();
  assert.deepEqual(ids(query('lovelace', { win: 'week' })), ['2106.00002']);
  assert.deepEqual(ids(query('lovelace', { win: 'year' })), ['2106.00002', '2106.00004']);
  // A filter alone lists the window's papers by score.
  assert.deepEqual(ids(query('', { win: 'week' })), ['2106.00002', '2106.00005', '2106.00001', '2106.00003']);
});

test('a query loads only the buckets of its words and the chunks of its results', () => {
  const many: SearchEntry[] = [];
  for (let i = 0; i < 3000; i++)
    many.push(
      entry(`2106.${String(10000 + i)}`, i, {
        title: `Paper ${i} about topic${i % 97} and method${i % 89}`,
        abstract: `Words w${i} x${i % 13} y${i % 7} and more text about diffusion${i % 5}.`,
      }),
    );
  const index = buildSearchIndex(many);
  assert.ok(index.buckets > 1, `${index.buckets} buckets`);
  const e = searchEngineOver(index.files);
  const r = e.query('topic5');
  assert.ok(r.hits.length > 0);
  const buckets = e.loaded.files.filter((f) => /\/b\d+\.js$/.test(f));
  assert.equal(buckets.length, 1, e.loaded.files.join(' '));
  const [seg] = index.segments;
  assert.equal(buckets[0], `assets/search/${seg!.id}/b${bucketOf(keyOf('topic5'), seg!.buckets)}.js`);
  // Then the head of the segment with hits and the chunks of the first page; nothing else.
  const rest = e.loaded.files.filter((f) => f !== buckets[0] && !f.endsWith('/meta.js'));
  assert.ok(rest.length > 1 && rest.every((f) => /\/(h|d\d+)\.js$/.test(f)), rest.join(' '));
});

test('the tokeniser splits at punctuation, lowers case, strips accents and drops stopwords', () => {
  assert.deepEqual(tokens('The Transformer-based ViT of Gödel'), ['transformer', 'based', 'vit', 'godel']);
});

test('the tokeniser gives the words of a split at non-letters, non-digits, in ASCII and beyond', () => {
  // The definition the one-pass reader must match: normalise, split, drop empties and stopwords.
  const bySplit = (text: string) => {
    const norm = normalise(text);
    return norm
      .split(/^[\x00-\x7f]*$/.test(norm) ? /[^a-z0-9]+/ : /[^\p{L}\p{N}]+/u)
      .filter((t) => t !== '' && !STOPWORDS.has(t));
  };
  const texts = [
    '',
    '   ',
    'the',
    'A',
    'x',
    'GPT-4o and o3: 2x faster (at 7B)!',
    'word',
    'ends with a digit 9',
    '--leading and trailing--',
    'The\tTab\nNew line\r\nCRLF',
    'Ünïcödé naïve café: Gödel, Erdős and Schrödinger',
    'Kelvin \u212a and dotted \u0130stanbul',
    'mixed ASCII then 日本語のテキスト and 中文 words',
    'emoji 🚀 rocket 🤗 face',
    'ﬁne ligature and ½ fraction',
  ];
  for (const text of texts) {
    const seen: string[] = [];
    eachToken(text, (t) => seen.push(t));
    assert.deepEqual(tokens(text), bySplit(text), text);
    assert.deepEqual(seen, bySplit(text), text);
  }
});

test('the built site indexes HF TL;DRs and keywords from the enrichments', () => {
  const p = paper('2106.00042', { title: 'Plain Title', abstract: 'Plain abstract.' });
  const enrichment: PaperEnrichment = {
    paperId: '2106.00042',
    status: 'ok',
    aiSummary: 'A zygomorphic summary.',
    aiKeywords: ['quokka'],
    fetchedAt: '2021-06-10T00:00:00Z',
  };
  const model: SiteModel = {
    days: [
      {
        day: '2021-06-09',
        categoriesKey: 'cs',
        horizon: '',
        digest: digest('2021-06-09', [ranked(1, p, [post('x', '1', 40, 40)])]),
      },
    ],
    enrichments: new Map([['2106.00042', enrichment]]),
  };
  const files = buildSite(model, { baseUrl: 'https://example.org/' });
  const { query } = searchEngineOver(files);
  assert.deepEqual(ids(query('zygomorphic')), ['2106.00042']);
  assert.deepEqual(ids(query('quokka')), ['2106.00042']);
});

test('a word in most papers is stored as a bitmap and still ranks title hits first', () => {
  const many: SearchEntry[] = [];
  for (let i = 0; i < 200; i++)
    many.push(
      entry(`2106.${String(20000 + i)}`, 1000 - i, {
        title: i === 150 ? 'Common in the title' : `Paper ${i}`,
        abstract: i % 10 === 3 ? 'rare words only' : 'common words everywhere',
      }),
    );
  const index = buildSearchIndex(many);
  const bucket = [...index.files].find(([, v]) => v.includes('"common":"!'));
  assert.ok(bucket, 'bitmap form used');
  const r = searchEngineOver(index.files).query('common');
  assert.equal(r.hits.length, 180);
  assert.equal(r.docs[0]![0], '2106.20150');
  assert.equal(r.docs[1]![0], '2106.20000');
  assert.ok(!ids(r).includes('2106.20003'));
});

test('a common word: every match counted, ordered by relevance then score (the counting sort)', () => {
  // 600 papers; "alpha" in every abstract, in some titles and author names; "beta…" words too.
  const many: SearchEntry[] = [];
  for (let i = 0; i < 600; i++)
    many.push(
      entry(`2106.${String(30000 + i)}`, 5000 - ((i * 37) % 600), {
        title: i % 7 === 0 ? `Alpha paper ${i}` : `Paper ${i}`,
        abstract: `alpha ${i % 3 === 0 ? 'betamax' : i % 3 === 1 ? 'beta' : 'gamma'} words ${i}`,
        authors: i % 11 === 0 ? ['Ann Alpha'] : ['Bo Chen'],
      }),
    );
  const { query } = engine(many);
  const r = query('alpha', {}, 600);
  assert.equal(r.hits.length, 600);
  const byScore = [...many].sort((a, b) => b.score - a.score || (a.paper.id < b.paper.id ? -1 : 1));
  const rank = (id: string) => {
    const p = many.find((e) => e.paper.id === id)!.paper;
    return p.title.startsWith('Alpha') ? 0 : p.authors[0] === 'Ann Alpha' ? 1 : 2;
  };
  // Title hits first, then author hits, then abstract hits, each group by score.
  const expected = [...byScore].sort((a, b) => rank(a.paper.id) - rank(b.paper.id)).map((e) => e.paper.id);
  assert.deepEqual(ids(r), expected);
  for (let i = 1; i < r.hits.length; i++) {
    const [d0, r0] = r.hits[i - 1]!;
    const [d1, r1] = r.hits[i]!;
    assert.ok(r0 > r1 || (r0 === r1 && d0 < d1), `hit ${i}: ${d0}/${r0} then ${d1}/${r1}`);
  }
  // A prefix matches both "beta" (whole word, weighs more) and "betamax".
  const beta = query('beta', {}, 600);
  assert.equal(beta.hits.length, 400);
  const exact = new Set(many.filter((_, i) => i % 3 === 1).map((e) => e.paper.id));
  assert.ok(
    ids(beta)
      .slice(0, 200)
      .every((id) => exact.has(id)),
  );
  assert.ok(
    ids(beta)
      .slice(200)
      .every((id) => !exact.has(id)),
  );
  // Two words: only papers with both, the title hits of "alpha" first.
  const both = query('alpha betamax', {}, 600);
  assert.equal(both.hits.length, 200);
  assert.equal(rank(ids(both)[0]!), 0);
});

test('a token table numbers the words of texts as tokens() gives them, in the order first met', () => {
  // Seeded words of varied length (ASCII, accented, stopwords, digits): enough to grow the table
  // past its first size more than once.
  // mulberry32
  let seed = 7;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const word = () => {
    const n = 1 + Math.floor(rnd() * 9);
    let w = '';
    for (let i = 0; i < n; i++) w += letters[Math.floor(rnd() * letters.length)];
    return w;
  };
  const vocabulary = [
    ...Array.from({ length: 6000 }, word),
    'the',
    'of',
    'and',
    'Café',
    'naïve',
    'x-ray',
    'O(n)',
  ];
  const texts = Array.from({ length: 600 }, () =>
    Array.from({ length: 40 }, () => vocabulary[Math.floor(rnd() * vocabulary.length)]).join(
      rnd() < 0.5 ? ' ' : ', ',
    ),
  );
  // Accents are dropped (ASCII after normalising); ß, Greek and CJK are not (the Unicode split).
  texts.push('Über naïve Café résumé, THE end', 'Straße größer, αβγ δ and 深度 learning Straße', '');
  const table = new TokenTable();
  const firstMet = new Map<string, number>();
  for (const text of texts) {
    const expected = tokens(text);
    const got: number[] = [];
    eachTokenNumber(text, table, (n) => got.push(n));
    assert.deepEqual(
      got.map((n) => table.names[n]),
      expected,
    );
    for (const t of expected) if (!firstMet.has(t)) firstMet.set(t, firstMet.size);
    for (let i = 0; i < got.length; i++) assert.equal(got[i], firstMet.get(expected[i]!));
  }
  assert.deepEqual(table.names, [...firstMet.keys()]);
  assert.ok(table.names.length > 4096, `only ${table.names.length} tokens: the table did not grow`);
  // A whole token by its text: the same number; a stopword has none.
  assert.equal(table.number(table.names[17]!), 17);
  assert.equal(table.number('the'), -1);
  assert.equal(table.number('#cs.lg'), table.names.length - 1);
  assert.equal(table.number('#cs.lg'), table.names.length - 1);
});
