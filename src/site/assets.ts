/**
 * The site's static assets: the stylesheet and the search script as strings, and KaTeX's
 * stylesheet and WOFF2 fonts copied from the installed package (the only file reads of the
 * builder, done once per process).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Site path of the stylesheet. */
export const CSS_PATH = 'assets/site.css';
/** Site path of the search script (its index is under assets/search/, see search-index.ts). */
export const SEARCH_JS_PATH = 'assets/search.js';
/** Site path of KaTeX's stylesheet (fonts beside it under fonts/). */
export const KATEX_CSS_PATH = 'assets/katex/katex.min.css';

/** The stylesheet: light and dark, responsive, visible focus, fixed-size boxes (no layout shift). */
export const SITE_CSS = `:root{color-scheme:light dark;--bg:#fff;--fg:#1c1d21;--muted:#595e6a;--line:#d8dbe2;--card:#f5f6f8;--accent:#0b57d0;--warn:#8a4500;--warn-bg:#fff4e5;--mark:#fff1a8}
@media (prefers-color-scheme:dark){:root{--bg:#121418;--fg:#e7e8eb;--muted:#a6abb6;--line:#30343d;--card:#1b1e24;--accent:#8ab4f8;--warn:#f5b971;--warn-bg:#2b2114;--mark:#5a4b00}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--accent);text-underline-offset:.15em}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:3px}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:1rem;top:.5rem;z-index:10;background:var(--bg);padding:.4rem .8rem;border:2px solid var(--accent)}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site-head{border-bottom:1px solid var(--line)}
.bar,main,.site-foot{max-width:62rem;margin:0 auto;padding:.75rem 1rem}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}
.brand{font-weight:700;font-size:1.15rem;color:var(--fg);text-decoration:none}
.bar nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem .9rem;margin:0;padding:0}
.find{display:flex;gap:.35rem;margin-left:auto}
input[type=search]{font:inherit;min-width:0;width:11rem;max-width:100%;padding:.3rem .5rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
button{font:inherit;padding:.3rem .7rem;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--fg);cursor:pointer}
h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0 .5rem}
h2{font-size:1.25rem;line-height:1.3;margin:1.5rem 0 .4rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.lead,.muted,.authors,.meta,.counts,.note,.site-foot{color:var(--muted)}
.badge{display:inline-block;font-size:.8rem;font-weight:600;padding:.05rem .45rem;border-radius:999px;border:1px solid var(--line);background:var(--card);color:var(--fg);vertical-align:middle}
.papers{list-style:none;margin:0;padding:0}
.paper{border-top:1px solid var(--line);padding:.45rem 0 .5rem}
.paper::after{content:"";display:table;clear:both}
.paper h2{font-size:1.1rem;margin:.15rem 0}
.paper h2 .n{color:var(--muted);font-weight:600}
.thumb,.paper>img{float:right;width:120px;height:auto;margin:.2rem 0 .2rem .8rem;border-radius:4px;background:var(--card)}
.stats{margin:.1rem 0;font-size:.92rem}
.stats b{font-variant-numeric:tabular-nums}
.stats .sb{margin:0 .4rem}
.why{font-size:.85rem;color:var(--muted)}
.tldr{margin:.15rem 0}
.paper details{margin:.15rem 0}
.paper summary{display:list-item;color:var(--fg);white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.paper details[open] summary{white-space:normal}
.paper details[open] summary{margin-bottom:.2rem}
.top{margin:.1rem 0;font-size:.88rem;display:-webkit-box;-webkit-line-clamp:1;-webkit-box-orient:vertical;overflow:hidden}
.top.gone{font-style:italic}
.paper .links{margin:0;font-size:.9rem;line-height:1.6}
.au{color:var(--muted)}
summary{cursor:pointer;min-height:24px}
.links{margin:.3rem 0;font-size:.95rem;line-height:1.9}
.links a,.pager a,.bar nav a,.cats a{display:inline-block;min-height:24px;min-width:24px}
.cats{display:inline-flex;flex-wrap:wrap;gap:.3rem;list-style:none;margin:0;padding:0}
.cats a{font-size:.85rem;padding:0 .4rem;border:1px solid var(--line);border-radius:4px;text-decoration:none}
.abstract{margin:.5rem 0}
.posts{display:grid;gap:.6rem;margin:.6rem 0}
.post{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.55rem .8rem}
.post p{margin:.2rem 0}
.post .meta,.post .counts,.post .note{font-size:.88rem}
.post .meta b{color:var(--fg)}
.src{font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
.post.gone{border-style:dashed}
.deleted,.warn{color:var(--warn);background:var(--warn-bg);border-radius:6px;padding:.2rem .5rem;font-size:.9rem}
.post.live blockquote{margin:0}
.more{font-size:.95rem}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1.5rem 0;padding:0;list-style:none}
table{border-collapse:collapse;width:100%;font-size:.93rem;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.table-wrap{overflow-x:auto}
.chart{margin:.75rem 0}
.chart svg{display:block;width:100%;max-width:600px;height:auto;aspect-ratio:600/170}
.chart .axis{stroke:var(--muted);stroke-width:1}
.chart .grid{stroke:var(--line);stroke-width:1;stroke-dasharray:3 3}
.chart .line{fill:none;stroke:var(--accent);stroke-width:2}
.chart .dot{fill:var(--accent)}
.chart .lbl{fill:var(--muted);font-size:11px}
.chart figcaption{font-size:.85rem;color:var(--muted)}
.days{list-style:none;padding:0;margin:0}
.days>li{border-top:1px solid var(--line);padding:.4rem 0 .8rem}
.days ol{margin:.3rem 0;padding-left:1.4rem}
.months{columns:12rem;padding-left:1.2rem}
.results{padding-left:1.4rem}
.results li{margin:.6rem 0}
.rising{list-style:none;padding-left:0}
.rising .n{color:var(--muted);font-weight:600}
.windows{display:flex;flex-wrap:wrap;gap:.3rem .5rem;list-style:none;margin:.4rem 0;padding:0}
.windows a{display:inline-block;min-height:24px;padding:.1rem .6rem;border:1px solid var(--line);border-radius:999px;text-decoration:none}
.windows a[aria-current]{background:var(--accent);color:var(--bg);border-color:var(--accent)}
.sb{display:inline-block;width:4rem;height:.5rem;border-radius:3px;vertical-align:middle;background:linear-gradient(90deg,var(--accent) var(--w),var(--line) 0)}
.dayhead{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:0 1rem}
.dayhead .pager,.dayhead .health{margin:.3rem 0}
.breakdown th,.breakdown td{padding:.3rem .35rem}
.breakdown tbody th{font-weight:600}
.health{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem .9rem;font-size:.9rem}
.katex{font-size:1.05em}
.js .nojs{display:none}
@media (max-width:40rem){.find{margin-left:0;width:100%}input[type=search]{flex:1}h1{font-size:1.35rem}}
@media print{.site-head,.find,.pager{display:none}}
`;

let katexFiles: Map<string, Buffer> | undefined;

/**
 * KaTeX's stylesheet (WOFF2 fonts only: every browser that runs the site reads them, and the
 * WOFF/TTF fallbacks would triple the copy) and its fonts, keyed by site path.
 */
export function katexAssets(): ReadonlyMap<string, Buffer> {
  if (katexFiles) return katexFiles;
  const dist = dirname(createRequire(import.meta.url).resolve('katex'));
  const files = new Map<string, Buffer>();
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8').replace(
    /,url\(fonts\/[^)]+\.woff\) format\("woff"\),url\(fonts\/[^)]+\.ttf\) format\("truetype"\)/g,
    '',
  );
  files.set(KATEX_CSS_PATH, Buffer.from(css, 'utf8'));
  for (const name of readdirSync(join(dist, 'fonts'))) {
    if (name.endsWith('.woff2'))
      files.set(`assets/katex/fonts/${name}`, readFileSync(join(dist, 'fonts', name)));
  }
  katexFiles = files;
  return files;
}
