import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  arxivIdsInLinks,
  arxivIdsInText,
  extractArxivIds,
  extractArxivIdsAnyShape,
} from '../../src/match/links.js';

type Ref = { id: string; version?: number };

describe('extractArxivIds: every URL shape', () => {
  const table: Array<[string, Ref]> = [
    ['https://arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['http://arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['//arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04560v2', { id: '2106.04560', version: 2 }],
    ['https://arxiv.org/pdf/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org/pdf/2106.04554.pdf', { id: '2106.04554' }],
    ['https://arxiv.org/pdf/2106.04554v1', { id: '2106.04554', version: 1 }],
    ['https://arxiv.org/pdf/2106.04554v3.pdf', { id: '2106.04554', version: 3 }],
    ['https://arxiv.org/PDF/2106.04554V3.PDF', { id: '2106.04554', version: 3 }],
    ['https://arxiv.org/html/2402.17764v1', { id: '2402.17764', version: 1 }],
    ['https://arxiv.org/html/2402.17764v1/', { id: '2402.17764', version: 1 }],
    ['https://arxiv.org/html/2402.17764v1#S3.T2', { id: '2402.17764', version: 1 }],
    ['https://arxiv.org/html/2402.17764', { id: '2402.17764' }],
    ['https://arxiv.org/format/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org/src/2106.04554v2', { id: '2106.04554', version: 2 }],
    ['https://arxiv.org/ps/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org/tb/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554?fmt=txt', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554?context=cs.LG#x', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554/', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554).', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554",', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554…', { id: '2106.04554' }],
    ['https://arxiv.org/abs/2106.04554%E2%80%A6', { id: '2106.04554' }],
    ['https://www.arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['https://export.arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['http://export.arxiv.org/pdf/2106.04554v1', { id: '2106.04554', version: 1 }],
    ['https://browse.arxiv.org/html/2312.14235v1', { id: '2312.14235', version: 1 }],
    ['https://ARXIV.ORG/abs/2106.04554', { id: '2106.04554' }],
    ['https://arxiv.org:443/abs/2106.04554', { id: '2106.04554' }],
    ['http://de.arxiv.org/abs/2106.04554', { id: '2106.04554' }],
    ['http://uk.arxiv.org/pdf/hep-th/9901001', { id: 'hep-th/9901001' }],
    ['http://xxx.lanl.gov/abs/hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['https://arxiv.org/abs/hep-th/9901001', { id: 'hep-th/9901001' }],
    ['https://arxiv.org/abs/math.GT/0309136', { id: 'math/0309136' }],
    ['https://arxiv.org/pdf/hep-th/9901001v2', { id: 'hep-th/9901001', version: 2 }],
    ['https://arxiv.org/abs/hep-th%2F9901001', { id: 'hep-th/9901001' }],
    ['https://arxiv.org/abs/cond-mat%2f0207270v1', { id: 'cond-mat/0207270', version: 1 }],
    ['https://ar5iv.labs.arxiv.org/html/2106.04554', { id: '2106.04554' }],
    ['https://ar5iv.org/html/2106.04554v2', { id: '2106.04554', version: 2 }],
    ['https://ar5iv.org/abs/2106.04554', { id: '2106.04554' }],
    ['https://www.alphaxiv.org/abs/2005.14165', { id: '2005.14165' }],
    ['https://alphaxiv.org/overview/2005.14165v4', { id: '2005.14165', version: 4 }],
    ['https://www.alphaxiv.org/pdf/2005.14165v4', { id: '2005.14165', version: 4 }],
    ['https://huggingface.co/papers/2005.14165', { id: '2005.14165' }],
    ['https://hf.co/papers/2005.14165', { id: '2005.14165' }],
    ['huggingface.co/papers/2005.14165#community', { id: '2005.14165' }],
    ['https://scirate.com/arxiv/2106.04554', { id: '2106.04554' }],
    ['https://doi.org/10.48550/arXiv.2202.01037', { id: '2202.01037' }],
    ['https://dx.doi.org/10.48550/arxiv.2202.01037', { id: '2202.01037' }],
    ['http://DOI.ORG/10.48550/ARXIV.2202.01037v2', { id: '2202.01037', version: 2 }],
    ['https://arxiv.org/abs/0801.1234', { id: '0801.1234' }],
  ];
  for (const [url, ref] of table) {
    it(url, () => assert.deepEqual(extractArxivIds(url), [ref]));
  }
});

describe('extractArxivIds: nothing from other links', () => {
  const none = [
    '',
    'https://example.com/abs/2106.04554',
    'https://github.com/org/repo/releases/tag/2106.04554',
    'https://huggingface.co/models/2106.04554',
    'https://huggingface.co/datasets/org/2106.04554',
    'https://huggingface.co/papers/hep-th/9901001',
    'https://huggingface.co/2106.04554',
    'https://arxiv.org/list/cs.LG/recent',
    'https://arxiv.org/abs/',
    'https://arxiv.org/abs/2106.0…',
    'https://arxiv.org/abs/2106.045541',
    'https://arxiv.org/abs/2106.04554x',
    'https://arxiv.org/a/locatello_f_1',
    'https://notarxiv.org/abs/2106.04554',
    'https://arxiv.org.evil.com/abs/2106.04554',
    'https://doi.org/10.1000/arXiv.2202.01037',
    'https://t.co/10DMA4ttdi',
    'ftp://arxiv.org/abs/2106.04554',
    'https://twitter.com/omarsar0/status/1402589585109098500',
  ];
  for (const url of none) {
    it(JSON.stringify(url), () => assert.deepEqual(extractArxivIds(url), []));
  }
});

describe('extractArxivIds: the shortcut for common links', () => {
  it('gives what the general parse gives, for ids valid or not and whatever follows them', () => {
    const prefixes = [
      'https://arxiv.org/abs/',
      'https://arxiv.org/pdf/',
      'https://huggingface.co/papers/',
      'https://www.alphaxiv.org/abs/',
      'https://arxiv.org/ab/',
      'https://arxiv.org/',
    ];
    const rests = [
      '2106.04554',
      '2106.04554v2',
      '2106.04554V12',
      '0801.1234',
      '0801.12345',
      '1501.1234',
      '2113.04554',
      '0703.1234',
      '2106.00000',
      '2106.04554v0',
      '2106.04554v01',
      '2106.04554v',
      '2106.045541',
      '2106.04554.pdf',
      '2106.04554v3.pdf',
      '2106.04554/',
      '2106.04554?x=1',
      '2106.04554)',
      '2106.04554 ',
      'hep-th/9901001',
      'hep-th/9901001v2',
      '',
    ];
    let shortcut = 0;
    for (const prefix of prefixes)
      for (const rest of rests) {
        const url = prefix + rest;
        const refs = extractArxivIds(url);
        assert.deepEqual(refs, extractArxivIdsAnyShape(url), url);
        if (refs.length > 0 && /^\d{4}\.\d+(v\d+)?$/i.test(rest)) shortcut++;
      }
    // The table does exercise the shortcut: valid bare ids after each of its prefixes.
    assert.ok(shortcut >= 16, `${shortcut} shortcut links`);
  });
});

describe('arxivIdsInLinks', () => {
  it('gives each id once, in order, across all of a post’s links', () => {
    const refs = arxivIdsInLinks([
      'https://arxiv.org/abs/2106.04560v2',
      'https://example.com/',
      'https://arxiv.org/pdf/2106.04560.pdf',
      'https://huggingface.co/papers/2106.04554',
    ]);
    assert.deepEqual(refs, [{ id: '2106.04560', version: 2 }, { id: '2106.04554' }]);
  });
});

describe('arxivIdsInText', () => {
  it('finds arXiv:ID mentions only with the prefix', () => {
    const text =
      'See arXiv:2106.04554 and arxiv: 2106.04560v2, also ARXIV:hep-th/9901001. Version 2106.09999 is a number; ' +
      'arXiv:2106.04554 again; arXiv:2106.045541 is not an id; myarxiv:2106.01234 neither.';
    assert.deepEqual(arxivIdsInText(text), [
      { id: '2106.04554' },
      { id: '2106.04560', version: 2 },
      { id: 'hep-th/9901001' },
    ]);
  });
  it('finds nothing in text without the prefix', () => {
    assert.deepEqual(arxivIdsInText('python 3.1012 and 2106.04554 and https://arxiv.org/abs/2106.04554'), []);
  });
});
