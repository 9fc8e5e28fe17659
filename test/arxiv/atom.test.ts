import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { apiErrorMessage, parseApiFeed, splitVersionedId } from '../../src/arxiv/atom.js';
import { parseXmlDocument } from '../../src/arxiv/xml.js';
import { HotpapersError, ParseError } from '../../src/errors.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/arxiv/${name}`, import.meta.url), 'utf8');

test('parseApiFeed - the 2026 response shape', () => {
  const page = parseApiFeed(fixture('api-testing-2026.xml'));
  assert.equal(page.totalResults, 214881);
  assert.equal(page.startIndex, 0);
  assert.equal(page.count, 2);
  assert.deepEqual(page.entries[0], {
    id: '2202.12139',
    version: 1,
    title: 'Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques',
    abstract:
      'Deep Learning (DL) has revolutionized the capabilities of vision-based systems (VBS) in critical applications such as autonomous driving, robotic surgery, critical infrastructure surveillance, air and maritime traffic control, etc.',
    authors: ['Mohit Kumar Ahuja', 'Arnaud Gotlieb', 'Helge Spieker'],
    categories: ['cs.SE', 'cs.LG'],
    primaryCategory: 'cs.SE',
    comment: 'Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022',
    journalRef:
      'Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW)',
    doi: '10.1109/ICSTW55395.2022.00035',
    published: '2022-02-24T15:05:19Z',
    updated: '2022-02-24T15:05:19Z',
    pdfUrl: 'https://arxiv.org/pdf/2202.12139v1',
  });
});

test('parseApiFeed - old-style id, entities, leading spaces and line breaks', () => {
  const second = parseApiFeed(fixture('api-testing-2026.xml')).entries[1]!;
  assert.equal(second.id, 'astro-ph/0601001');
  assert.equal(second.title, 'The Mass Function of Dark Matter Halos & Their <Subhalos>');
  assert.equal(
    second.abstract,
    'We derive the mass function of dark matter halos. It agrees with $N$-body simulations.',
  );
  assert.deepEqual(second.authors, ['A. N. Author']);
  assert.deepEqual(second.categories, ['astro-ph']);
  assert.equal(second.comment, undefined);
});

test('parseApiFeed - legacy manual shape: offsets, wrapped title, ACM/MSC terms, subject-class id', () => {
  const page = parseApiFeed(fixture('api-legacy-manual.xml'));
  const e = page.entries[0]!;
  assert.equal(e.id, 'math/0309136');
  assert.equal(e.version, 1);
  assert.equal(e.title, 'Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA');
  assert.equal(
    e.abstract,
    'Multi-electron production is studied at high electron transverse momentum in positron- and electron-proton collisions using the H1 detector at HERA.',
  );
  assert.deepEqual(e.categories, ['math.GT', 'hep-ex']);
  assert.equal(e.published, '2003-09-08T23:42:29Z');
  assert.equal(e.pdfUrl, 'http://arxiv.org/pdf/math.GT/0309136v1');
  assert.equal(e.journalRef, 'Eur.Phys.J. C31 (2003) 17-29');
  assert.equal(page.totalResults, 1000);
});

test('parseApiFeed - PDF link chosen by title/type, not position', () => {
  const xml = fixture('api-testing-2026.xml')
    .replace(
      '<link href="https://arxiv.org/pdf/2202.12139v1" rel="related" type="application/pdf" title="pdf"/>',
      '',
    )
    .replace(
      '<link href="https://arxiv.org/abs/2202.12139v1" rel="alternate" type="text/html"/>',
      '<link rel="related" href="https://doi.org/10.1109/x" title="doi"/><link href="https://arxiv.org/pdf/2202.12139v1" rel="related" type="application/pdf"/><link href="https://arxiv.org/abs/2202.12139v1" rel="alternate" type="text/html"/>',
    );
  assert.equal(parseApiFeed(xml).entries[0]!.pdfUrl, 'https://arxiv.org/pdf/2202.12139v1');
});

test('parseApiFeed - an empty result', () => {
  const page = parseApiFeed(fixture('api-empty.xml'));
  assert.equal(page.totalResults, 0);
  assert.equal(page.count, 0);
  assert.deepEqual(page.entries, []);
});

test('parseApiFeed - an error entry is a one-line arxiv error', () => {
  assert.throws(
    () => parseApiFeed(fixture('api-error-400.xml')),
    (e: unknown) =>
      e instanceof HotpapersError && e.message === 'arxiv: API error: incorrect id format for abc',
  );
  assert.equal(apiErrorMessage(fixture('api-error-400.xml')), 'incorrect id format for abc');
  assert.equal(apiErrorMessage(fixture('api-empty.xml')), undefined);
  assert.equal(apiErrorMessage('<html>'), undefined);
});

test('parseApiFeed - malformed XML, HTML, empty bodies and other roots', () => {
  const cases: Array<[string, RegExp]> = [
    [
      '<?xml version="1.0"?><feed><entry><id>http://arxiv.org/abs/2106.0',
      /^arxiv: malformed XML in the API Atom feed \(line \d+: .+\)$/,
    ],
    [
      '<!DOCTYPE html><html><body>Rate exceeded.</body></html>',
      /^arxiv: got HTML where the API Atom feed was expected$/,
    ],
    ['   ', /^arxiv: empty response where the API Atom feed was expected$/],
    ['<?xml version="1.0"?><rss><channel/></rss>', /^arxiv: expected the API Atom feed, got <rss>$/],
  ];
  for (const [body, message] of cases) {
    assert.throws(
      () => parseApiFeed(body),
      (e: unknown) => e instanceof ParseError && message.test(e.message) && !e.message.includes('\n'),
      body,
    );
  }
});

test('parseXmlDocument - breaks of the document structure are refused, with their line', () => {
  const feed = (inner: string) => `<?xml version="1.0"?>\n<feed>\n${inner}\n</feed>`;
  const cases: Array<[string, number, RegExp]> = [
    [feed('<entry><title>T</titl></entry>'), 3, /unexpected close tag/],
    [feed('<entry>'), 4, /unexpected close tag|unclosed tag/],
    [feed('</entry>'), 3, /unexpected close tag/],
    [feed('<link href="a" href="b"/>'), 3, /duplicate attribute: href/],
    [feed('<link href=a/>'), 3, /unquoted attribute value/],
    [`${feed('')}\n<feed/>`, 5, /only one root/],
    [`${feed('')}\ntrailing words`, 5, /text data outside of root node/],
  ];
  for (const [body, line, reason] of cases) {
    assert.throws(
      () => parseXmlDocument(body, 'feed', 'the API Atom feed'),
      (e: unknown) =>
        e instanceof ParseError &&
        e.message.startsWith(`arxiv: malformed XML in the API Atom feed (line ${line}: `) &&
        reason.test(e.message) &&
        !e.message.includes('\n'),
      body,
    );
  }
});

test('parseXmlDocument - entities and CDATA decoded; a glitch within one text is kept as written', () => {
  const feed = parseXmlDocument(
    '<feed><title>a &amp; b &lt;c&gt; &#x41;&#66; &nbsp;<![CDATA[<i>x</i>]]></title>' +
      '<summary>form\ffeed, &#0; and ]]> too</summary></feed>',
    'feed',
    'the API Atom feed',
  );
  assert.equal(feed.children[0]?.text, 'a & b <c> AB &nbsp;<i>x</i>');
  assert.equal(feed.children[1]?.text, 'form\ffeed, &#0; and ]]> too');
});

test('splitVersionedId - the id shapes arXiv feeds use', () => {
  const cases: Array<[string, { id: string; version: number | undefined } | undefined]> = [
    ['http://arxiv.org/abs/2106.04554v2', { id: '2106.04554', version: 2 }],
    ['https://arxiv.org/abs/2106.04554', { id: '2106.04554', version: undefined }],
    ['oai:arXiv.org:2106.04554v1', { id: '2106.04554', version: 1 }],
    ['http://arxiv.org/abs/hep-th/9901001v1', { id: 'hep-th/9901001', version: 1 }],
    ['math.GT/0309136', { id: 'math/0309136', version: undefined }],
    ['cond-mat/0207270v3', { id: 'cond-mat/0207270', version: 3 }],
    ['0704.0001v1', { id: '0704.0001', version: 1 }],
    ['https://arxiv.org/api/errors#incorrect_id', undefined],
    ['2106.045', undefined],
  ];
  for (const [raw, expected] of cases) assert.deepEqual(splitVersionedId(raw), expected, raw);
});
