/** The manifest's in-memory file table and the packed lines of a day summary. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileTable } from '../../src/site/manifest.js';
import { packLines, unpackLines } from '../../src/site/model.js';

test('a file table gives back each entry as set, with and without a key', () => {
  const t = new FileTable();
  t.set('papers/2106.00001.html', ['hashA=', 'p:2106.00001', 1]);
  t.set('index.html', ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(t.size, 2);
  assert.deepEqual(t.get('papers/2106.00001.html'), ['hashA=', 'p:2106.00001', 1]);
  assert.deepEqual(t.get('index.html'), ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(t.get('missing.html'), undefined);
  assert.equal(t.hash('index.html'), 'hashB=');
  assert.equal(t.owner('papers/2106.00001.html'), 'p:2106.00001');
  assert.equal(t.owner('index.html'), '');
  assert.deepEqual(
    [...t.owners()],
    [
      ['papers/2106.00001.html', 'p:2106.00001'],
      ['index.html', ''],
    ],
  );
  assert.equal(t.anyMath(), true);
  const next = new FileTable();
  assert.equal(next.copy(t, 'index.html'), true);
  assert.equal(next.copy(t, 'missing.html'), false);
  assert.deepEqual(next.get('index.html'), ['hashB=', '', 0, 'key\twith tab']);
  assert.equal(next.anyMath(), false);
});

test('packed lines come back as they were, in order, empty ones and non-ASCII included', () => {
  const lines = ['Ada Lovelace, Émile Borel and 3 more', '', '李 小龙', 'x'.repeat(500)];
  const packed = packLines(lines);
  assert.deepEqual(unpackLines(packed), lines);
  assert.ok(packed.length < lines.join('\n').length, 'smaller than the lines themselves');
});
