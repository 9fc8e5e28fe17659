import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCategories,
  apiCategoryQuery,
  CS_CATEGORIES,
  canonicalCategory,
  inChosen,
  isArxivCategory,
} from '../../src/arxiv/categories.js';

const CHOSEN = ['cs', 'stat.ML'];

test('CS_CATEGORIES - the 40 cs categories, unique', () => {
  assert.equal(CS_CATEGORIES.length, 40);
  assert.equal(new Set(CS_CATEGORIES).size, 40);
  assert.ok(CS_CATEGORIES.every((c) => /^cs\.[A-Z]{2}$/.test(c)));
});

test('inChosen - archives cover their categories; aliases count as cs', () => {
  const cases: Array<[string[], string[], boolean]> = [
    [['cs.LG'], CHOSEN, true],
    [['math.NA'], CHOSEN, true],
    [['math.IT'], CHOSEN, true],
    [['eess.SY'], CHOSEN, true],
    [['stat.ML'], CHOSEN, true],
    [['quant-ph', 'stat.ML'], CHOSEN, true],
    [['physics.optics'], CHOSEN, false],
    [['stat.ME'], CHOSEN, false],
    [['eess.IV', 'math.OC'], CHOSEN, false],
    [['cs.LG'], ['stat.ML'], false],
    [['math.NA'], ['cs.NA'], true],
    [['cs.NA'], ['math.NA'], true],
    [['cs.IT'], ['cs.LG'], false],
    [['csx.LG'], ['cs'], false],
    [[], CHOSEN, false],
  ];
  for (const [categories, chosen, expected] of cases) {
    assert.equal(inChosen(categories, chosen), expected, `${categories} in ${chosen}`);
  }
});

test('canonicalCategory / isArxivCategory', () => {
  assert.equal(canonicalCategory('math.NA'), 'cs.NA');
  assert.equal(canonicalCategory('eess.SY'), 'cs.SY');
  assert.equal(canonicalCategory('math.GT'), 'math.GT');
  assert.ok(isArxivCategory('quant-ph'));
  assert.ok(isArxivCategory('physics.optics'));
  assert.ok(!isArxivCategory('I.2.6'));
  assert.ok(!isArxivCategory('68T05'));
});

test('apiCategories - explicit list with aliases, stable order', () => {
  const cats = apiCategories(CHOSEN);
  assert.equal(cats.length, 44);
  assert.deepEqual(cats.slice(0, 2), ['cs.AI', 'cs.AR']);
  assert.deepEqual(cats.slice(40), ['math.NA', 'math.IT', 'eess.SY', 'stat.ML']);
  assert.deepEqual(apiCategories(['cs.NA', 'hep-th']), ['cs.NA', 'math.NA', 'hep-th.*']);
});

test('apiCategoryQuery - an explicit OR', () => {
  assert.equal(apiCategoryQuery(['stat.ML']), '(cat:stat.ML)');
  assert.equal(apiCategoryQuery(['cs.IT', 'stat.ML']), '(cat:cs.IT OR cat:math.IT OR cat:stat.ML)');
  assert.ok(
    apiCategoryQuery(CHOSEN).includes(
      'cat:cs.SY OR cat:math.NA OR cat:math.IT OR cat:eess.SY OR cat:stat.ML)',
    ),
  );
});
