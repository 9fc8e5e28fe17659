/**
 * The search page's script, as a string. Its engine (no DOM) runs in the browser and, in tests
 * and the bench, in Node's vm over the built files, so what is tested is what ships. It reads
 * the index of src/site/search-index.ts: the meta script, then only the buckets of the query's
 * words and the detail chunks of the results shown. Plain ES5-style code; results are drawn
 * with textContent, never innerHTML, so a title cannot become markup.
 */
import { BITMAP_DIGITS, CHUNK_SIZE, SEARCH_DIR, STOPWORDS } from './search-index.js';

/** Results drawn per page of results ("Show more" draws the next ones). */
export const RESULTS_PAGE = 10;

/** The engine, usable without a DOM: `new HotpapersSearchEngine(meta, load)`. */
export const SEARCH_ENGINE_JS = `(function (root) {
  'use strict';
  var DIR = ${JSON.stringify(SEARCH_DIR)};
  var STOP = ${JSON.stringify(Object.fromEntries([...STOPWORDS].map((w) => [w, 1])))};
  var WEIGHT = [1, 3, 5, 8];
  var ID_RE = /^(?:(?:https?:\\/\\/)?(?:www\\.|export\\.)?(?:arxiv\\.org|alphaxiv\\.org|huggingface\\.co\\/papers)\\/(?:(?:abs|pdf|html)\\/)?)?(\\d{4}\\.\\d{4,5}|[a-z-]+(?:\\.[a-z]{2})?\\/\\d{7})(?:v\\d+)?(?:\\.pdf)?\\/?$/i;
  function norm(s) { return String(s).toLowerCase().normalize('NFKD').replace(/[\\u0300-\\u036f]/g, ''); }
  function words(s) {
    var out = [], parts = norm(s).split(/[^\\p{L}\\p{N}]+/u);
    for (var i = 0; i < parts.length; i++) if (parts[i] && !STOP[parts[i]] && out.indexOf(parts[i]) < 0) out.push(parts[i]);
    return out;
  }
  function bucketOf(key, n) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) { h ^= key.charCodeAt(i); h = Math.imul(h, 0x01000193); }
    return (h >>> 0) % n;
  }
  function keyOf(t) { return /^[#@~]/.test(t) ? t : t.slice(0, 3); }
  function slug(s) { var r = s.replace(/[^A-Za-z0-9.-]/g, '_').replace(/^\\.+/, '_'); return r === '' ? '_' : r; }
  var DIGIT = new Uint8Array(128);
  for (var di = 0; di < 64; di++) DIGIT[${JSON.stringify(BITMAP_DIGITS)}.charCodeAt(di)] = di;
  /**
   * Decode a posting list (see encodePostings) into arr[doc] = best weight (a Uint8Array, 0 =
   * absent). Digits are read by char code, not parseInt over slices: a common word's list has
   * thousands of entries, and this runs on the first query, before the JIT has warmed up.
   */
  function decode(s, arr, mul) {
    var w0 = WEIGHT[0] * mul, i = 0, len = s.length;
    if (s.charCodeAt(0) === 33) {
      var bar = s.indexOf('|');
      for (var c = 1; c < bar; c++) {
        var bits = DIGIT[s.charCodeAt(c)];
        if (!bits) continue;
        var base = (c - 1) * 6;
        for (var k = 0; k < 6; k++) if (bits & (1 << k) && arr[base + k] < w0) arr[base + k] = w0;
      }
      i = bar + 1;
      if (i >= len) return;
    }
    var n = 0, v = 0;
    for (; i <= len; i++) {
      var ch = i < len ? s.charCodeAt(i) : 44;
      if (ch !== 44) { v = v * 36 + (ch <= 57 ? ch - 48 : ch - 87); continue; }
      n += v >> 2;
      var w = WEIGHT[v & 3] * mul;
      if (arr[n] < w) arr[n] = w;
      v = 0;
    }
  }
  function Engine(meta, load) {
    this.meta = meta;
    this.load = load;
    this.buckets = {};
    this.chunks = {};
    this.pending = {};
    this.cats = {};
    for (var i = 0; i < meta.categories.length; i++) this.cats[norm(meta.categories[i][0])] = meta.categories[i][0];
    var self = this;
    root.HOTPAPERS_SEARCH_BUCKET = function (b, data) { self.buckets[b] = data; };
    root.HOTPAPERS_SEARCH_DOCS = function (c, data) { self.chunks[c] = data; };
  }
  /** Load the files at these site paths (each once), then call done. */
  Engine.prototype.need = function (files, done) {
    var self = this, left = 1;
    function one() { if (--left === 0) done(); }
    for (var i = 0; i < files.length; i++) {
      var f = files[i];
      if (self.pending[f] === true) continue;
      left++;
      if (self.pending[f]) { self.pending[f].push(one); continue; }
      self.pending[f] = [one];
      (function (f) {
        self.load(f, function () { var w = self.pending[f]; self.pending[f] = true; for (var k = 0; k < w.length; k++) w[k](); });
      })(f);
    }
    one();
  };
  Engine.prototype.bucketFile = function (key) { return DIR + '/b' + bucketOf(key, this.meta.buckets) + '.js'; };
  Engine.prototype.bucket = function (key) { return this.buckets[bucketOf(key, this.meta.buckets)] || {}; };
  /**
   * Parse a query: an arXiv id or URL, or words (category codes known to the site become exact
   * category terms). opts: {cat, win}. Returns {id} or {terms, required}.
   */
  Engine.prototype.parse = function (q, opts) {
    q = String(q).trim();
    var m = ID_RE.exec(q);
    if (m) return { id: norm(m[1]) };
    var required = [], terms = [], rest = [], parts = q.split(/\\s+/);
    for (var i = 0; i < parts.length; i++) {
      var c = norm(parts[i]).replace(/^[^a-z]+|[^a-z]+$/g, '');
      if (this.cats[c]) required.push('#' + c);
      else rest.push(parts[i]);
    }
    terms = words(rest.join(' '));
    if (opts && opts.cat) required.push('#' + norm(opts.cat));
    if (opts && opts.win) required.push('~' + opts.win);
    return { terms: terms, required: required };
  };
  /**
   * Run a query; calls back with {goto} for a known arXiv id, else {hits, rel}: the docs (an
   * Int32Array) ordered by relevance, then score (the doc number), and their relevance; or
   * {hits: [], missingId} for an unknown id.
   */
  Engine.prototype.search = function (q, opts, cb) {
    var self = this, p = this.parse(q, opts);
    var keys = p.id ? ['@' + p.id] : p.required.slice();
    if (!p.id) for (var i = 0; i < p.terms.length; i++) keys.push(p.terms[i]);
    if (keys.length === 0 || (!p.id && p.terms.length === 0 && p.required.length === 0)) { cb({ hits: [] }); return; }
    var files = [];
    for (var k = 0; k < keys.length; k++) files.push(this.bucketFile(keyOf(keys[k])));
    this.need(files, function () {
      if (p.id) {
        var hit = self.bucket('@' + p.id)['@' + p.id];
        cb(hit ? { goto: 'papers/' + slug(p.id) + '.html', hits: [] } : { hits: [], missingId: p.id });
        return;
      }
      var docs = self.meta.docs, arrays = [], most = 0;
      for (var r = 0; r < p.required.length; r++) {
        var ra = new Uint8Array(docs), list = self.bucket(p.required[r])[p.required[r]];
        if (list) decode(list, ra, 1);
        arrays.push(ra);
        most += WEIGHT[3];
      }
      for (var t = 0; t < p.terms.length; t++) {
        var term = p.terms[t], b = self.bucket(keyOf(term)), ta = new Uint8Array(docs);
        for (var tok in b) {
          if (tok === term) decode(b[tok], ta, 2);
          else if (term.length >= 3 && tok.lastIndexOf(term, 0) === 0) decode(b[tok], ta, 1);
        }
        arrays.push(ta);
        most += WEIGHT[3] * 2;
      }
      cb(rank(arrays, docs, most));
    });
  };
  /**
   * The docs every array holds, by relevance (the sum of their weights), then doc number (=
   * score order). Relevance takes few small integer values, so a counting sort orders them in
   * two linear passes: a common word matches most of the site, and comparing tens of thousands
   * of hits (and making a pair per hit) cost more than everything else of a query.
   * Returns {hits: Int32Array of docs, best first, rel: their relevance}.
   */
  function rank(arrays, docs, most) {
    var sums = new Uint16Array(docs), counts = new Int32Array(most + 2), count = 0, a0 = arrays[0], m = arrays.length;
    for (var d = 0; d < docs; d++) {
      var sum = a0[d];
      if (!sum) continue;
      for (var j = 1; j < m; j++) {
        var o = arrays[j][d];
        if (!o) { sum = 0; break; }
        sum += o;
      }
      if (sum) { sums[d] = sum; counts[sum]++; count++; }
    }
    // Where each relevance's hits start: the highest relevance first.
    var start = new Int32Array(most + 2), at = 0;
    for (var v = most + 1; v > 0; v--) { start[v] = at; at += counts[v]; }
    var hits = new Int32Array(count), rel = new Uint16Array(count);
    for (var e = 0; e < docs; e++) {
      var s = sums[e];
      if (!s) continue;
      var i = start[s]++;
      hits[i] = e;
      rel[i] = s;
    }
    return { hits: hits, rel: rel };
  }
  /** The details of these docs ([id, title, authors, day, score, rank, categories]), loading their chunks. */
  Engine.prototype.docs = function (list, cb) {
    var self = this, chunk = this.meta.chunk, files = [];
    for (var i = 0; i < list.length; i++) {
      var f = DIR + '/d' + Math.floor(list[i] / chunk) + '.js';
      if (files.indexOf(f) < 0) files.push(f);
    }
    this.need(files, function () {
      var out = [];
      for (var i = 0; i < list.length; i++) {
        var c = self.chunks[Math.floor(list[i] / chunk)];
        out.push(c ? c[list[i] % chunk] : null);
      }
      cb(out);
    });
  };
  Engine.slug = slug;
  root.HotpapersSearchEngine = Engine;
})(typeof window !== 'undefined' ? window : globalThis);
`;

/** The page part: the form, the filters, the results list; loads index files with script tags. */
export const SEARCH_UI_JS = `(function () {
  'use strict';
  document.documentElement.className += ' js';
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function fmt(n) { return String(n).replace(/\\B(?=(\\d{3})+$)/g, ','); }
  function start() {
  var meta = window.HOTPAPERS_SEARCH_META;
  var form = document.getElementById('search-form');
  var input = document.getElementById('q');
  var cat = document.getElementById('cat');
  var win = document.getElementById('win');
  var list = document.getElementById('results');
  var status = document.getElementById('search-status');
  var moreBtn = document.getElementById('more');
  if (!meta || !form || !input || !list || !status || !cat || !win || !moreBtn) return;
  for (var i = 0; i < meta.categories.length; i++) {
    var c = meta.categories[i];
    cat.appendChild(el('option', null, c[0] + (c[1] ? ' — ' + c[1] : '') + ' (' + fmt(c[2]) + ')')).value = c[0];
  }
  for (var w = 0; w < meta.windows.length; w++) win.appendChild(el('option', null, meta.windows[w][1])).value = meta.windows[w][0];
  function load(path, done) {
    var s = document.createElement('script');
    s.src = path;
    s.onload = function () { done(); };
    s.onerror = function () { done(); };
    document.head.appendChild(s);
  }
  var engine = new window.HotpapersSearchEngine(meta, load);
  var hits = [], shown = 0, seq = 0;
  function opts() { return { cat: cat.value, win: win.value }; }
  function drawMore(my) {
    var next = Array.prototype.slice.call(hits, shown, shown + ${RESULTS_PAGE});
    engine.docs(next, function (docs) {
      if (my !== seq) return;
      for (var k = 0; k < docs.length; k++) {
        var d = docs[k];
        if (!d) continue;
        var li = el('li');
        var a = el('a', null, d[1]);
        a.setAttribute('href', 'papers/' + window.HotpapersSearchEngine.slug(d[0]) + '.html');
        li.appendChild(a);
        li.appendChild(el('div', 'authors', d[2]));
        li.appendChild(el('div', 'muted', 'score ' + fmt(d[4]) + ' · #' + d[5] + ' on ' + d[3] + ' · ' + d[6]));
        list.appendChild(li);
      }
      shown += next.length;
      moreBtn.hidden = shown >= hits.length;
    });
  }
  function run(query, navigate) {
    var my = ++seq;
    engine.search(query, opts(), function (res) {
      if (my !== seq) return;
      while (list.firstChild) list.removeChild(list.firstChild);
      hits = res.hits; shown = 0; moreBtn.hidden = true;
      if (res.goto) {
        if (navigate) { location.href = res.goto; return; }
        var li = el('li'), a = el('a', null, 'Open the paper ' + query.trim());
        a.setAttribute('href', res.goto);
        li.appendChild(a);
        list.appendChild(li);
        status.textContent = 'This arXiv id is on the site.';
        return;
      }
      if (res.missingId) { status.textContent = 'arXiv ' + res.missingId + ' was never ranked here.'; return; }
      if (!query.trim() && !cat.value && !win.value) { status.textContent = ''; return; }
      status.textContent = hits.length === 0 ? 'No paper matches.' : fmt(hits.length) + (hits.length === 1 ? ' paper matches.' : ' papers match, best first.');
      drawMore(my);
    });
  }
  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value, false); }, 120);
  });
  cat.addEventListener('change', function () { run(input.value, false); });
  win.addEventListener('change', function () { run(input.value, false); });
  moreBtn.addEventListener('click', function () { drawMore(seq); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    run(input.value, true);
    var qs = '?q=' + encodeURIComponent(input.value) + (cat.value ? '&cat=' + encodeURIComponent(cat.value) : '') + (win.value ? '&win=' + encodeURIComponent(win.value) : '');
    try { history.replaceState(null, '', qs); } catch (err) { /* file:// may refuse */ }
  });
  var params;
  try { params = new URLSearchParams(location.search); } catch (err) { params = null; }
  if (params) {
    var q = params.get('q') || '';
    if (params.get('cat')) cat.value = params.get('cat');
    if (params.get('win')) win.value = params.get('win');
    input.value = q;
    if (q || cat.value || win.value) run(q, true);
  }
  }
})();
`;

/** Both parts, one file: the search page's only script besides the index. */
export const SEARCH_JS = `${SEARCH_ENGINE_JS}${SEARCH_UI_JS}`;

export { CHUNK_SIZE };
