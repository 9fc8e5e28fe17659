import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, escapeXml, safeHttpUrl, xmlSafe } from '../../src/site/escape.js';

test('escapeHtml escapes the five HTML-significant characters', () => {
  assert.equal(
    escapeHtml(`<script>alert("x")</script> & 'y'`),
    '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;',
  );
  assert.equal(escapeHtml('&amp;'), '&amp;amp;');
});

test('escapeXml drops characters XML 1.0 forbids, keeps tabs, newlines and astral characters', () => {
  assert.equal(escapeXml('a\u0000b\u0008c\u000Bd\te\nf\uFFFE'), 'abcd\te\nf');
  assert.equal(xmlSafe('x\uD800y'), 'xy');
  assert.equal(xmlSafe('😀'), '😀');
});

test('safeHttpUrl keeps only absolute http(s) URLs', () => {
  assert.equal(safeHttpUrl('https://arxiv.org/abs/2106.04554'), 'https://arxiv.org/abs/2106.04554');
  assert.equal(safeHttpUrl(' HTTP://Example.org/a b'), 'http://example.org/a%20b');
  for (const bad of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,x',
    '//evil.org/x',
    '/relative',
    'http//x',
    '',
    undefined,
  ]) {
    assert.equal(safeHttpUrl(bad), undefined, String(bad));
    // Asked again (the answer is remembered): the same answer.
    assert.equal(safeHttpUrl(bad), undefined, `${String(bad)}, again`);
  }
  assert.equal(safeHttpUrl(' HTTP://Example.org/a b'), 'http://example.org/a%20b', 'remembered');
});
