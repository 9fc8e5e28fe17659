import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalId, formatArxivId, isArxivId, OLD_ARCHIVES, parseArxivId } from '../../src/match/ids.js';

describe('parseArxivId', () => {
  const valid: Array<[string, { id: string; version?: number }]> = [
    ['2106.04554', { id: '2106.04554' }],
    ['2106.04560v2', { id: '2106.04560', version: 2 }],
    ['2106.04560V12', { id: '2106.04560', version: 12 }],
    ['arXiv:2106.04560v2', { id: '2106.04560', version: 2 }],
    ['arxiv: 2106.04560', { id: '2106.04560' }],
    ['  1501.00001  ', { id: '1501.00001' }],
    ['0704.0001', { id: '0704.0001' }],
    ['1412.9999v3', { id: '1412.9999', version: 3 }],
    ['hep-th/9901001', { id: 'hep-th/9901001' }],
    ['cond-mat/0207270v1', { id: 'cond-mat/0207270', version: 1 }],
    ['math.GT/0309136', { id: 'math/0309136' }],
    ['math.CA/0611800v2', { id: 'math/0611800', version: 2 }],
    ['HEP-TH/9901001', { id: 'hep-th/9901001' }],
    ['physics.acc-ph/0703001', { id: 'physics/0703001' }],
    ['cs/0112017', { id: 'cs/0112017' }],
    ['hep-th/9108001', { id: 'hep-th/9108001' }],
  ];
  for (const [text, expected] of valid) {
    it(`accepts ${JSON.stringify(text)}`, () => assert.deepEqual(parseArxivId(text), expected));
  }

  const invalid = [
    '',
    '2106.0455', // 4 digits after 2015
    '1412.12345', // 5 digits before 2015
    '0703.0001', // before new style began
    '2113.04554', // month 13
    '2100.04554', // month 0
    '2106.00000', // sequence 0
    '2106.04554v0',
    '2106.04554v01',
    '2106.04554v',
    '2106.045541',
    '12106.04554',
    'foo-bar/9901001', // unknown archive
    'hep-th/0704001', // old style ended 2007-03
    'hep-th/9901000', // number 0
    'hep-th/9913001', // month 13
    'hep-th/990100', // 6 digits
    'hep-th/99010011',
    'arxiv.org/abs/2106.04554',
    '2106.04554 extra',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseArxivId(text), null));
  }
});

describe('canonicalId / isArxivId / formatArxivId', () => {
  it('strips versions and subject classes for keys', () => {
    assert.equal(canonicalId('2106.04560v3'), '2106.04560');
    assert.equal(canonicalId('math.GT/0309136v1'), 'math/0309136');
    assert.equal(canonicalId('not an id'), null);
  });
  it('validates', () => {
    assert.equal(isArxivId('2106.04554'), true);
    assert.equal(isArxivId('2106.4554'), false);
  });
  it('formats with the version when known', () => {
    assert.equal(formatArxivId({ id: '2106.04560', version: 2 }), '2106.04560v2');
    assert.equal(formatArxivId({ id: 'hep-th/9901001' }), 'hep-th/9901001');
  });
  it('knows the retired archives', () => {
    for (const a of ['chao-dyn', 'solv-int', 'bayes-an', 'acc-phys']) assert.ok(OLD_ARCHIVES.includes(a));
  });
});
