import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasMath, renderMath } from '../../src/site/math.js';

test('renderMath typesets $…$ with KaTeX and escapes the text around it', () => {
  const html = renderMath('A <b> $\\mathcal{O}(n^2)$ bound & more');
  assert.match(html, /^A &lt;b&gt; <span class="katex">/);
  assert.match(html, /<annotation encoding="application\/x-tex">\\mathcal\{O\}\(n\^2\)<\/annotation>/);
  assert.match(html, /<\/span> bound &amp; more$/);
  assert.ok(!html.includes('$'));
});

test('renderMath leaves prices, escaped dollars and unpaired dollars as text', () => {
  assert.equal(renderMath('Costs $5 to $10'), 'Costs $5 to $10');
  assert.equal(renderMath('only one $ here'), 'only one $ here');
  assert.equal(hasMath('Costs $5 to $10'), false);
  assert.equal(hasMath('with $x$'), true);
  assert.match(renderMath('a \\$ b $c$'), /^a \\\$ b <span class="katex">/);
});

test('renderMath renders $$…$$ inline too', () => {
  assert.match(renderMath('see $$x+y$$.'), /^see <span class="katex">.*<\/span>\.$/);
});

test('math cannot smuggle markup or links', () => {
  const script = renderMath('x $<script>alert(1)</script>$ y');
  assert.ok(!script.includes('<script'), script);
  const href = renderMath(
    '$\\href{javascript:alert(1)}{x}$ $\\url{javascript:alert(2)}$ $\\htmlClass{evil}{x}$',
  );
  assert.ok(!/<a\b/i.test(href), 'no link element');
  assert.ok(!/href="javascript/i.test(href));
  assert.ok(!href.includes('class="evil"'));
});

test('bad TeX is shown as an error span, not thrown', () => {
  const html = renderMath('bad $\\frac{$ end');
  assert.match(html, /^bad <span class="katex-error"[^>]*>\\frac\{<\/span> end$/);
});
