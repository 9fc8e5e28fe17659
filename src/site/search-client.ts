/**
 * The search page's script, as a string. Its engine (no DOM) runs in the browser and, in tests
 * and the bench, in Node's vm over the built files, so what is tested is what ships. It reads
 * the index of src/site/search-index.ts: the meta script, then in each segment (of the window)
 * only the buckets of the query's words, then the heads (scores, masked papers) of the segments
 * with hits, and the detail chunks of the results shown. Plain ES5-style code; results are drawn
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
    for (; i < len; i++) {
      var ch = DIGIT[s.charCodeAt(i)];
      v = v * 32 + (ch & 31);
      if (ch & 32) continue;
      n += v >> 2;
      var w = WEIGHT[v & 3] * mul;
      if (arr[n] < w) arr[n] = w;
      v = 0;
    }
  }
  function dayNumber(day) { return Math.floor(Date.parse(day + 'T00:00:00Z') / 864e5); }
  /**
   * A segment's scores (x100, so segments of whole and of fractional scores compare), decoded
   * as far as asked (see encodeDescending): the results are ordered a page at a time, so most of
   * a segment's scores are never read. Bits come from a six-bit buffer, inline.
   */
  function Scores(h, n) {
    this.h = h; this.out = new Float64Array(n); this.done = n > 0 ? 1 : 0;
    this.v = h.t; this.mul = 100 / h.f; this.pk = Math.pow(2, h.k); this.ci = 0; this.buf = 0; this.nb = 0;
    if (n > 0) this.out[0] = h.t * this.mul;
  }
  Scores.prototype.at = function (d) {
    var s = this.h.s, k = this.h.k, ci = this.ci, buf = this.buf, nb = this.nb, v = this.v;
    for (; this.done <= d; this.done++) {
      var q = 0;
      for (;;) {
        if (nb === 0) { buf = DIGIT[s.charCodeAt(ci++)]; nb = 6; }
        nb--;
        if (!((buf >> nb) & 1) || ++q === 31) break;
      }
      var low = 0, m = q === 31 ? 31 : k;
      for (var j = 0; j < m; j++) {
        if (nb === 0) { buf = DIGIT[s.charCodeAt(ci++)]; nb = 6; }
        nb--;
        low = low * 2 + ((buf >> nb) & 1);
      }
      v -= q === 31 ? low : q * this.pk + low;
      this.out[this.done] = v * this.mul;
    }
    this.ci = ci; this.buf = buf; this.nb = nb; this.v = v;
    return this.out[d];
  };
  function Engine(meta, load) {
    this.meta = meta;
    this.load = load;
    this.buckets = {};
    this.chunks = {};
    this.heads = {};
    this.dayFiles = {};
    this.pending = {};
    this.cats = {};
    this.windows = {};
    for (var i = 0; i < meta.categories.length; i++) this.cats[norm(meta.categories[i][0])] = meta.categories[i][0];
    for (var w = 0; w < meta.windows.length; w++) this.windows[meta.windows[w][0]] = meta.windows[w][2];
    var self = this;
    root.HOTPAPERS_SEARCH_BUCKET = function (s, b, data) { self.buckets[s + '/' + b] = data; };
    root.HOTPAPERS_SEARCH_DOCS = function (s, c, data) { self.chunks[s + '/' + c] = data; };
    root.HOTPAPERS_SEARCH_HEAD = function (s, h) { self.heads[s] = h; };
    root.HOTPAPERS_SEARCH_DAYS = function (s, d) { self.dayFiles[s] = d; };
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
  function segDir(seg) { return DIR + '/' + seg[0]; }
  Engine.prototype.bucketFile = function (seg, key) { return segDir(seg) + '/b' + bucketOf(key, seg[2]) + '.js'; };
  Engine.prototype.bucket = function (seg, key) { return this.buckets[seg[0] + '/' + bucketOf(key, seg[2])] || {}; };
  /**
   * Parse a query: an arXiv id or URL, or words (category codes known to the site become exact
   * category terms). opts: {cat, win}. Returns {id} or {terms, required, win}.
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
    return { terms: terms, required: required, win: (opts && opts.win) || '' };
  };
  /**
   * The segments a window keeps: [index, cut] pairs, cut = the first day number kept when the
   * window cuts the segment (its w.js says which papers), else -1. No window: every segment.
   */
  Engine.prototype.inWindow = function (win) {
    var segs = this.meta.segments, out = [];
    if (!win) { for (var i = 0; i < segs.length; i++) out.push([i, -1]); return out; }
    var days = this.windows[win];
    if (!days) return out;
    var from = dayNumber(this.meta.newest) - days + 1;
    for (var j = 0; j < segs.length; j++) {
      if (dayNumber(segs[j][4]) < from) continue;
      out.push([j, dayNumber(segs[j][3]) >= from ? -1 : from]);
    }
    return out;
  };
  /**
   * Run a query; calls back with {goto} for a known arXiv id, {missingId} for an unknown one,
   * else {count, next(n)}: how many papers match, and their next n hits (segment index << 20 |
   * paper number) ordered by relevance, then score, with their relevance.
   */
  Engine.prototype.search = function (q, opts, cb) {
    var self = this, p = this.parse(q, opts), segs = this.meta.segments, files = [], k, i;
    if (p.id) {
      // A new-style id is never ranked before its month: older segments are not read.
      var idm = /^(\\d\\d)(\\d\\d)\\./.exec(p.id), since = idm ? '20' + idm[1] + '-' + idm[2] + '-01' : '';
      var look = [];
      for (i = 0; i < segs.length; i++) if (segs[i][4] >= since) { look.push(segs[i]); files.push(this.bucketFile(segs[i], '@' + p.id)); }
      this.need(files, function () {
        for (var j = 0; j < look.length; j++)
          if (self.bucket(look[j], '@' + p.id)['@' + p.id]) { cb({ goto: 'papers/' + slug(p.id) + '.html', count: 0 }); return; }
        cb({ count: 0, missingId: p.id });
      });
      return;
    }
    if (p.terms.length === 0 && p.required.length === 0 && !p.win) { cb({ count: 0 }); return; }
    var keys = p.required.concat(p.terms), play = this.inWindow(p.win);
    for (i = 0; i < play.length; i++) for (k = 0; k < keys.length; k++) files.push(this.bucketFile(segs[play[i][0]], keyOf(keys[k])));
    this.need(files, function () {
      // Per segment: each paper's relevance (0 = not a hit).
      var found = [], more = [], most = 0;
      for (var r = 0; r < p.required.length; r++) most += WEIGHT[3];
      for (var t = 0; t < p.terms.length; t++) most += WEIGHT[3] * 2;
      if (keys.length === 0) most = 1;
      for (var s = 0; s < play.length; s++) {
        var seg = segs[play[s][0]], n = seg[1], arrays = [];
        for (var r2 = 0; r2 < p.required.length; r2++) {
          var ra = new Uint8Array(n), list = self.bucket(seg, p.required[r2])[p.required[r2]];
          if (!list) { arrays = null; break; }
          decode(list, ra, 1);
          arrays.push(ra);
        }
        for (var t2 = 0; arrays && t2 < p.terms.length; t2++) {
          var term = p.terms[t2], b = self.bucket(seg, keyOf(term)), ta = new Uint8Array(n), any = false;
          for (var tok in b) {
            if (tok === term) { decode(b[tok], ta, 2); any = true; }
            else if (term.length >= 3 && tok.lastIndexOf(term, 0) === 0) { decode(b[tok], ta, 1); any = true; }
          }
          if (!any) arrays = null;
          else arrays.push(ta);
        }
        if (!arrays) continue;
        var sums = relevance(arrays, n);
        if (!sums) continue;
        found.push([play[s][0], sums, play[s][1]]);
        more.push(segDir(seg) + '/h.js');
        if (play[s][1] >= 0) more.push(segDir(seg) + '/w.js');
      }
      self.need(more, function () { cb(new Ranked(self, found, most)); });
    });
  };
  /** Each paper's summed weight when every array holds it (else 0); null when none does. */
  function relevance(arrays, n) {
    var sums = new Uint16Array(n), m = arrays.length, hit = false;
    if (m === 0) { sums.fill(1); return n > 0 ? sums : null; }
    var a0 = arrays[0];
    for (var d = 0; d < n; d++) {
      var sum = a0[d];
      if (!sum) continue;
      for (var j = 1; j < m; j++) {
        var o = arrays[j][d];
        if (!o) { sum = 0; break; }
        sum += o;
      }
      if (sum) { sums[d] = sum; hit = true; }
    }
    return hit ? sums : null;
  }
  /**
   * The hits of every segment, masked and out-of-window papers left out, grouped by relevance
   * (a counting sort per segment: few small integer values), each group's papers in number
   * order, which is score order within a segment. Ordering across segments is a merge by score
   * done a page at a time (next): a common word matches most of the site, and ordering all its
   * hits up front cost more than everything else of a query. Ties go to the older segment.
   */
  function Ranked(self, found, most) {
    var segs = self.meta.segments, count = 0;
    this.levels = [];
    for (var v = 0; v <= most + 1; v++) this.levels.push([]);
    for (var f = 0; f < found.length; f++) {
      var seg = segs[found[f][0]], sums = found[f][1], cut = found[f][2], head = self.heads[seg[0]], d;
      if (!head) continue;
      for (var x = 0; x < head.m.length; x++) sums[head.m[x]] = 0;
      if (cut >= 0) {
        // Days after the segment's first: one digit each, or two in a long segment.
        var dayFile = self.dayFiles[seg[0]] || '', base = dayNumber(seg[3]), wide = dayFile.length > sums.length;
        for (d = 0; d < sums.length; d++) {
          if (!sums[d]) continue;
          var off = wide ? DIGIT[dayFile.charCodeAt(2 * d)] * 64 + DIGIT[dayFile.charCodeAt(2 * d + 1)] : DIGIT[dayFile.charCodeAt(d)];
          if (base + off < cut) sums[d] = 0;
        }
      }
      var counts = new Int32Array(most + 2), n = 0;
      for (d = 0; d < sums.length; d++) if (sums[d]) { counts[sums[d]]++; n++; }
      if (n === 0) continue;
      count += n;
      var list = new Int32Array(n), at = new Int32Array(most + 2), o = 0;
      for (v = most + 1; v > 0; v--) { at[v] = o; o += counts[v]; }
      var starts = at.slice();
      for (d = 0; d < sums.length; d++) if (sums[d]) list[at[sums[d]]++] = d;
      var scores = new Scores(head, sums.length);
      for (v = most + 1; v > 0; v--)
        if (counts[v] > 0) this.levels[v].push({ seg: found[f][0], list: list, pos: starts[v], end: starts[v] + counts[v], scores: scores });
    }
    this.count = count;
    this.level = most + 1;
  }
  /** The next n hits (segment index << 20 | paper number), best first, and their relevance. */
  Ranked.prototype.next = function (n) {
    var hits = [], rel = [];
    while (hits.length < n && this.level > 0) {
      var runs = this.levels[this.level], best = null, bestScore = -1;
      for (var r = 0; r < runs.length; r++) {
        var run = runs[r];
        if (run.pos >= run.end) continue;
        var sc = run.scores.at(run.list[run.pos]);
        if (sc > bestScore) { best = run; bestScore = sc; }
      }
      if (!best) { this.level--; continue; }
      hits.push((best.seg << 20) | best.list[best.pos++]);
      rel.push(this.level);
    }
    return { hits: hits, rel: rel };
  };
  /** The details of these hits ([id, title, authors, day, score, rank, categories]), loading their chunks. */
  Engine.prototype.docs = function (list, cb) {
    var self = this, chunk = this.meta.chunk, segs = this.meta.segments, files = [], keys = [];
    for (var i = 0; i < list.length; i++) {
      var seg = segs[list[i] >>> 20], c = Math.floor((list[i] & 1048575) / chunk);
      keys.push(seg ? seg[0] + '/' + c : '');
      var f = seg ? segDir(seg) + '/d' + c + '.js' : '';
      if (f && files.indexOf(f) < 0) files.push(f);
    }
    this.need(files, function () {
      var out = [];
      for (var i = 0; i < list.length; i++) {
        var c = self.chunks[keys[i]];
        out.push(c ? c[(list[i] & 1048575) % chunk] : null);
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
  var res = { count: 0 }, shown = 0, seq = 0;
  function opts() { return { cat: cat.value, win: win.value }; }
  function drawMore(my) {
    var next = res.next ? res.next(${RESULTS_PAGE}).hits : [];
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
      moreBtn.hidden = shown >= res.count;
    });
  }
  function run(query, navigate) {
    var my = ++seq;
    engine.search(query, opts(), function (r) {
      if (my !== seq) return;
      while (list.firstChild) list.removeChild(list.firstChild);
      res = r; shown = 0; moreBtn.hidden = true;
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
      status.textContent = res.count === 0 ? 'No paper matches.' : fmt(res.count) + (res.count === 1 ? ' paper matches.' : ' papers match, best first.');
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
