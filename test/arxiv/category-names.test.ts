import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CS_CATEGORIES } from '../../src/arxiv/categories.js';
import { categoryLabel, categoryName } from '../../src/arxiv/category-names.js';

test('every cs category the listing knows and stat.ML has a name', () => {
  for (const c of [...CS_CATEGORIES, 'stat.ML']) assert.ok(categoryName(c), c);
  assert.equal(categoryLabel('cs.LG'), 'cs.LG — Machine Learning');
  assert.equal(categoryLabel('cs.RO'), 'cs.RO — Robotics');
});

test('an unknown code or an inherited property name is shown bare', () => {
  assert.equal(categoryLabel('cs.ZZ'), 'cs.ZZ');
  assert.equal(categoryName('constructor'), undefined);
  assert.equal(categoryLabel('toString'), 'toString');
});
