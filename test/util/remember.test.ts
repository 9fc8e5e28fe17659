import assert from 'node:assert/strict';
import { test } from 'node:test';
import { remembered } from '../../src/util/remember.js';

test('remembered answers once per key, undefined answers included, and starts again past its limit', () => {
  const asked: string[] = [];
  const make = (key: string) => {
    asked.push(key);
    return key.startsWith('x') ? undefined : key.toUpperCase();
  };
  const f = remembered(make, 3);
  assert.equal(f('a'), 'A');
  assert.equal(f('a'), 'A');
  assert.equal(f('xa'), undefined);
  assert.equal(f('xa'), undefined);
  assert.deepEqual(asked, ['a', 'xa']);
  f('b');
  // A fourth key: the three remembered are forgotten, so 'a' is made again.
  f('c');
  assert.equal(f('a'), 'A');
  assert.deepEqual(asked, ['a', 'xa', 'b', 'c', 'a']);
});
