/**
 * Stand-ins for arXiv, serving plain paper data in arXiv's real wire formats: the API's Atom
 * query feed (honouring search_query categories and submittedDate range, start, max_results),
 * the announcement feed (rss.arxiv.org/atom/…) and catchup pages, each with failure injection.
 * Used by tests and by the demo to replay a recorded day.
 */
import { DateTime } from 'luxon';
import type { AnnounceType } from '../types.js';
import type { Handler, RecordedRequest, Reply } from './server.js';

/** One paper as the stand-ins serve it. */
export interface StandInPaper {
  /** Un-versioned id. */
  id: string;
  version: number;
  title: string;
  abstract: string;
  authors: string[];
  /** Every category, the primary included, in arXiv's order. */
  categories: string[];
  primary: string;
  /** v1 submission instant (ISO-8601). */
  published: string;
  /** Submission instant of this version (ISO-8601). */
  updated: string;
  comment?: string;
  doi?: string;
  journalRef?: string;
}

/** A paper in a mailing, with what happened to it that day. */
export interface StandInAnnouncement extends StandInPaper {
  action: 'new' | 'cross' | 'replace';
}

/** Escape text for XML and HTML. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

const ALIASES: Record<string, string> = { 'math.NA': 'cs.NA', 'math.IT': 'cs.IT', 'eess.SY': 'cs.SY' };

/** arXiv's listing membership: an archive covers its categories; aliases count as their canonical. */
function listedUnder(category: string, subject: string): boolean {
  const c = ALIASES[category] ?? category;
  if (!subject.includes('.')) return c === subject || c.startsWith(`${subject}.`);
  return c === (ALIASES[subject] ?? subject);
}

function listedUnderAny(paper: StandInPaper, subjects: readonly string[]): boolean {
  return paper.categories.some((c) => subjects.some((s) => listedUnder(c, s)));
}

// ---------------------------------------------------------------- the API (export.arxiv.org/api/query)

export interface AtomFeedMeta {
  /** Echoed in the feed title as the server canonicalised it. */
  query?: string;
  start: number;
  maxResults: number;
  total: number;
  /** Feed `<updated>`; defaults to a fixed instant so output is reproducible. */
  updated?: string;
}

/** One API `<entry>`, in the 2025 serializer's element order. */
export function atomEntryXml(p: StandInPaper): string {
  const vid = `${p.id}v${p.version}`;
  const lines = [
    '  <entry>',
    `    <id>http://arxiv.org/abs/${escapeXml(vid)}</id>`,
    `    <title>${escapeXml(p.title)}</title>`,
    `    <updated>${escapeXml(p.updated)}</updated>`,
    `    <link href="https://arxiv.org/abs/${escapeXml(vid)}" rel="alternate" type="text/html"/>`,
    `    <link href="https://arxiv.org/pdf/${escapeXml(vid)}" rel="related" type="application/pdf" title="pdf"/>`,
    `    <summary>${escapeXml(p.abstract)}</summary>`,
    ...[p.primary, ...p.categories.filter((c) => c !== p.primary)].map(
      (c) => `    <category term="${escapeXml(c)}" scheme="http://arxiv.org/schemas/atom"/>`,
    ),
    `    <published>${escapeXml(p.published)}</published>`,
  ];
  if (p.comment) lines.push(`    <arxiv:comment>${escapeXml(p.comment)}</arxiv:comment>`);
  lines.push(`    <arxiv:primary_category term="${escapeXml(p.primary)}"/>`);
  if (p.journalRef) lines.push(`    <arxiv:journal_ref>${escapeXml(p.journalRef)}</arxiv:journal_ref>`);
  for (const name of p.authors)
    lines.push('    <author>', `      <name>${escapeXml(name)}</name>`, '    </author>');
  if (p.doi) {
    lines.push(`    <arxiv:doi>${escapeXml(p.doi)}</arxiv:doi>`);
    lines.push(`    <link rel="related" href="https://doi.org/${escapeXml(p.doi)}" title="doi"/>`);
  }
  lines.push('  </entry>');
  return lines.join('\n');
}

const FEED_OPEN =
  '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">';

/** A whole API response page. */
export function atomFeedXml(entries: readonly StandInPaper[], meta: AtomFeedMeta): string {
  const title = `arXiv Query: search_query=${meta.query ?? ''}&id_list=&start=${meta.start}&max_results=${meta.maxResults}`;
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    FEED_OPEN,
    '  <id>https://arxiv.org/api/Zm9yLXRlc3Rz</id>',
    `  <title>${escapeXml(title)}</title>`,
    `  <updated>${escapeXml(meta.updated ?? '2026-04-12T22:09:27Z')}</updated>`,
    `  <link href="https://arxiv.org/api/query?search_query=${escapeXml(encodeURIComponent(meta.query ?? ''))}&amp;start=${meta.start}&amp;max_results=${meta.maxResults}&amp;id_list=" type="application/atom+xml"/>`,
    `  <opensearch:itemsPerPage>${meta.maxResults}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${meta.total}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${meta.start}</opensearch:startIndex>`,
    ...entries.map(atomEntryXml),
    '</feed>',
    '',
  ].join('\n');
}

/** The API's error feed (2026 shape: one entry titled "Error"). */
export function apiErrorXml(message: string): string {
  const slug = message.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    FEED_OPEN,
    '  <id>https://arxiv.org/</id>',
    '  <title>arXiv Search Results</title>',
    '  <updated>2026-04-12T22:09:27Z</updated>',
    '  <link href="https://arxiv.org/api/query" type="application/atom+xml"/>',
    '  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>',
    '  <opensearch:totalResults>1</opensearch:totalResults>',
    '  <opensearch:startIndex>0</opensearch:startIndex>',
    '  <entry>',
    `    <id>https://arxiv.org/api/errors#${escapeXml(slug)}</id>`,
    '    <title>Error</title>',
    `    <summary>${escapeXml(message)}</summary>`,
    '    <updated>2026-04-12T22:09:27Z</updated>',
    `    <link href="https://arxiv.org/api/errors#${escapeXml(slug)}" rel="alternate" type="text/html"/>`,
    '    <author>',
    '      <name>arXiv api core</name>',
    '    </author>',
    '  </entry>',
    '</feed>',
    '',
  ].join('\n');
}

/** A reply carrying an API error feed (HTTP 400 as in 2026; 200 as before Nov 2025). */
export function apiErrorReply(message: string, status = 400): Reply {
  return {
    status,
    headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
    body: apiErrorXml(message),
  };
}

/** A reply whose body is cut off mid-element. */
export function malformedXmlReply(): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
    body: "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  <entry>\n    <id>http://arxiv.org/abs/2106.0",
  };
}

/** A bare status reply (429, 503, …) with headers such as Retry-After. */
export function statusReply(status: number, headers: Record<string, string> = {}, body = ''): Reply {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}

/** The filters of an API search_query that the stand-in honours. */
export interface ParsedQuery {
  /** `cat:` terms (a trailing `*` is a wildcard). */
  categories: string[];
  /** submittedDate range, inclusive, at minute precision (UTC). */
  range?: { from: Date; to: Date };
}

function fromApiDate(text: string): Date {
  return new Date(
    Date.UTC(
      +text.slice(0, 4),
      +text.slice(4, 6) - 1,
      +text.slice(6, 8),
      +text.slice(8, 10),
      +text.slice(10, 12),
    ),
  );
}

/** Read the category OR list and the submittedDate range out of a search_query. */
export function parseSearchQuery(query: string): ParsedQuery {
  const categories = [...query.matchAll(/cat:([^\s()]+)/g)].map((m) => m[1]!);
  const range = /submittedDate:\[(\d{12})\s+TO\s+(\d{12})\]/.exec(query);
  return range
    ? { categories, range: { from: fromApiDate(range[1]!), to: fromApiDate(range[2]!) } }
    : { categories };
}

function catMatches(term: string, category: string): boolean {
  return term.endsWith('*') ? category.startsWith(term.slice(0, -1)) : category === term;
}

/** The papers a query selects, sorted by v1 submission time then id. */
export function selectPapers(papers: readonly StandInPaper[], query: ParsedQuery): StandInPaper[] {
  return papers
    .filter(
      (p) =>
        query.categories.length === 0 ||
        p.categories.some((c) => query.categories.some((t) => catMatches(t, c))),
    )
    .filter((p) => {
      if (!query.range) return true;
      const minute = Math.floor(Date.parse(p.published) / 60_000) * 60_000;
      return minute >= query.range.from.getTime() && minute <= query.range.to.getTime();
    })
    .sort((a, b) => Date.parse(a.published) - Date.parse(b.published) || (a.id < b.id ? -1 : 1));
}

export interface ArxivApiOptions {
  /** Serve every paper whatever search_query says (a server that ignores the query). */
  ignoreQuery?: boolean;
  /** Answer request `index` with this reply instead (429, 503, malformed, error entry…). */
  inject?: (req: RecordedRequest, index: number) => Reply | undefined;
  /** `start` offsets whose page comes back empty the first time (a known API fault). */
  emptyOnce?: number[];
  /** Answer `start` offsets with a page that repeats these papers (the same paper on two pages). */
  extraOnPage?: Record<number, StandInPaper[]>;
  /**
   * The first `times` requests answer 406 Not Acceptable, as export.arxiv.org does
   * intermittently since September 2026: with the feed it would have sent (`withFeed`), or
   * with an HTML error page.
   */
  notAcceptable?: { times: number; withFeed?: boolean };
}

/** A handler answering /api/query like export.arxiv.org. */
export function arxivApiHandler(papers: readonly StandInPaper[], options: ArxivApiOptions = {}): Handler {
  const emptied = new Set<number>();
  return (req, index) => {
    const injected = options.inject?.(req, index);
    if (injected) return injected;
    const start = Number(req.query.get('start') ?? '0');
    const maxResults = Number(req.query.get('max_results') ?? '10');
    if (!Number.isInteger(start) || start < 0) return apiErrorReply('start must be non-negative');
    if (!Number.isInteger(maxResults) || maxResults < 0)
      return apiErrorReply('max_results must be non-negative');
    const query = req.query.get('search_query') ?? '';
    const selected = options.ignoreQuery ? [...papers] : selectPapers(papers, parseSearchQuery(query));
    let page = selected.slice(start, start + maxResults);
    if (options.emptyOnce?.includes(start) && !emptied.has(start)) {
      emptied.add(start);
      page = [];
    }
    page = [...page, ...(options.extraOnPage?.[start] ?? [])];
    const refused = options.notAcceptable && index < options.notAcceptable.times;
    if (refused && !options.notAcceptable?.withFeed) {
      return {
        status: 406,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: '<html><head><title>406 Not Acceptable</title></head><body><h1>Not Acceptable</h1></body></html>',
      };
    }
    return {
      status: refused ? 406 : 200,
      headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
      body: atomFeedXml(page, { query, start, maxResults, total: selected.length }),
    };
  };
}

// ---------------------------------------------------------------- the announcement feed (rss.arxiv.org)

/** ET midnight of a day as an ISO instant with its offset (`2021-06-09T00:00:00-04:00`). */
function etMidnight(day: string): string {
  return DateTime.fromISO(day, { zone: 'America/New_York' })
    .startOf('day')
    .toISO({ suppressMilliseconds: true })!;
}

export interface RssFeedMeta {
  /** Mailing date the feed is for. */
  day: string;
  /** The `+`-joined query, e.g. `cs+stat.ML`. */
  query: string;
  /** Feed build time; defaults to 00:00:11 ET on the day. */
  generatedAt?: string;
}

/** The Atom variant of the announcement feed, for items already labelled. */
export function rssAtomXml(
  items: ReadonlyArray<StandInPaper & { announceType: AnnounceType }>,
  meta: RssFeedMeta,
): string {
  const names = meta.query.split('+').join(', ');
  const built =
    meta.generatedAt ??
    DateTime.fromISO(meta.day, { zone: 'America/New_York' }).set({ second: 11 }).toUTC().toISO()!;
  const published = etMidnight(meta.day);
  const entry = (p: StandInPaper & { announceType: AnnounceType }) =>
    [
      '  <entry>',
      `    <id>oai:arXiv.org:${escapeXml(p.id)}v${p.version}</id>`,
      `    <title>${escapeXml(p.title)}</title>`,
      `    <updated>${escapeXml(built)}</updated>`,
      `    <link href="https://arxiv.org/abs/${escapeXml(p.id)}" rel="alternate" type="text/html"/>`,
      `    <summary>${escapeXml(`arXiv:${p.id}v${p.version} Announce Type: ${p.announceType} \nAbstract: ${p.abstract}`)}</summary>`,
      ...[p.primary, ...p.categories.filter((c) => c !== p.primary)].map(
        (c) => `    <category term="${escapeXml(c)}"/>`,
      ),
      `    <published>${published}</published>`,
      `    <arxiv:announce_type>${p.announceType}</arxiv:announce_type>`,
      '    <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>',
      ...(p.journalRef
        ? [`    <arxiv:journal_reference>${escapeXml(p.journalRef)}</arxiv:journal_reference>`]
        : []),
      ...(p.doi ? [`    <arxiv:DOI>${escapeXml(p.doi)}</arxiv:DOI>`] : []),
      `    <dc:creator>${escapeXml(p.authors.join(', '))}</dc:creator>`,
      '  </entry>',
    ].join('\n');
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="en-us">',
    `  <id>https://rss.arxiv.org/atom/${escapeXml(meta.query)}</id>`,
    `  <title>${escapeXml(names)} updates on arXiv.org</title>`,
    `  <updated>${escapeXml(built)}</updated>`,
    `  <link href="https://rss.arxiv.org/atom/${escapeXml(meta.query)}" rel="self" type="application/atom+xml"/>`,
    `  <subtitle>${escapeXml(names)} updates on the arXiv.org e-print archive.</subtitle>`,
    ...items.map(entry),
    '</feed>',
    '',
  ].join('\n');
}

/** The feed's error document (HTTP 400). */
export function rssErrorXml(query: string, message: string): string {
  return [
    "<?xml version='1.0' encoding='UTF-8'?>",
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">',
    `  <id>https://rss.arxiv.org/atom/${escapeXml(query)}</id>`,
    `  <title>Feed error for query: https://rss.arxiv.org/atom/${escapeXml(query)}</title>`,
    '  <updated>2021-06-09T04:00:11+00:00</updated>',
    `  <subtitle>${escapeXml(message)}</subtitle>`,
    '</feed>',
    '',
  ].join('\n');
}

/** arXiv's label of a day's action relative to a requested set (research §3.3). */
export function labelFor(item: StandInAnnouncement, subjects: readonly string[]): AnnounceType {
  const primaryIn = subjects.some((s) => listedUnder(item.primary, s));
  if (item.action === 'replace') return primaryIn ? 'replace' : 'replace-cross';
  if (item.action === 'cross') return 'cross';
  return primaryIn ? 'new' : 'cross';
}

const ORDER: Record<AnnounceType, number> = { new: 0, cross: 1, replace: 2, 'replace-cross': 3 };

export interface ArxivRssOptions {
  /** The mailing date the feed serves (the feed only ever shows "today"). */
  day: string;
  /** Item cap (arXiv: 2000). */
  limit?: number;
  /** Answer request `index` with this reply instead. */
  inject?: (req: RecordedRequest, index: number) => Reply | undefined;
}

/** A handler answering /atom/<q> like rss.arxiv.org for one day's items. */
export function arxivRssHandler(items: readonly StandInAnnouncement[], options: ArxivRssOptions): Handler {
  return (req, index) => {
    const injected = options.inject?.(req, index);
    if (injected) return injected;
    const match = /^\/atom\/(.+)$/.exec(req.path);
    const query = match ? decodeURIComponent(match[1]!) : '';
    const subjects = query.split(/[+ ]/).filter(Boolean);
    const bad = subjects.find((s) => !/^[a-z-]+(\.[A-Za-z-]+)?$/.test(s));
    if (!match || subjects.length === 0 || bad) {
      return {
        status: 400,
        headers: { 'content-type': 'application/atom+xml' },
        body: rssErrorXml(query, `Bad archive: ${bad ?? query}`),
      };
    }
    const labelled = items
      .filter((p) => listedUnderAny(p, subjects) && !(p.action === 'replace' && p.version >= 6))
      .map((p) => ({ ...p, announceType: labelFor(p, subjects) }))
      .sort(
        (a, b) => ORDER[a.announceType] - ORDER[b.announceType] || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .slice(0, options.limit ?? 2000);
    return {
      status: 200,
      headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
      body: rssAtomXml(labelled, { day: options.day, query: subjects.join('+') }),
    };
  };
}

// ---------------------------------------------------------------- catchup pages (arxiv.org/catchup)

const SUBJECT_NAMES: Record<string, string> = {
  cs: 'Computer Science',
  'stat.ML': 'Machine Learning',
  'cs.AI': 'Artificial Intelligence',
  'cs.CL': 'Computation and Language',
  'cs.CV': 'Computer Vision and Pattern Recognition',
  'cs.LG': 'Machine Learning',
  'cs.NA': 'Numerical Analysis',
  'math.NA': 'Numerical Analysis',
  'cs.IT': 'Information Theory',
  'math.IT': 'Information Theory',
  'eess.SY': 'Systems and Control',
  'cs.SY': 'Systems and Control',
  'quant-ph': 'Quantum Physics',
  'physics.optics': 'Optics',
};

function subjectLine(code: string): string {
  return `${SUBJECT_NAMES[code] ?? code} (${code})`;
}

type CatchupType = 'new' | 'cross' | 'rep';

function itemHtml(p: StandInPaper, type: CatchupType, index: number): string {
  const info =
    type === 'cross'
      ? `\n      (cross-list from ${escapeXml(p.primary)})`
      : type === 'rep'
        ? '\n      (replaced)'
        : '';
  const secondaries = p.categories.filter((c) => c !== p.primary);
  return `    <dt>
      <a name='item${index}'>[${index}]</a>
      <a href ="/abs/${p.id}" title="Abstract" id="${p.id}">
        arXiv:${p.id}
      </a>${info}
      [<a href="/pdf/${p.id}" title="Download PDF" id="pdf-${p.id}" aria-labelledby="pdf-${p.id}">pdf</a>, <a href="https://arxiv.org/html/${p.id}v${p.version}" title="View HTML" id="html-${p.id}" aria-labelledby="html-${p.id}" rel="noopener noreferrer" target="_blank">html</a>, <a href="/format/${p.id}" title="Other formats" id="oth-${p.id}" aria-labelledby="oth-${p.id}">other</a>]
    </dt>
    <dd>
      <div class='meta'>
        <div class='list-title mathjax'><span class='descriptor'>Title:</span>
          ${escapeXml(p.title)}
        </div>
        <div class='list-authors'>${p.authors
          .map(
            (a) =>
              `<a href="https://arxiv.org/a/${encodeURIComponent(a)}" rel="nofollow">${escapeXml(a)}</a>`,
          )
          .join(', ')}</div>
${p.comment ? `        <div class='list-comments mathjax'><span class='descriptor'>Comments:</span>\n          ${escapeXml(p.comment)}\n        </div>\n` : ''}${p.journalRef ? `        <div class='list-journal-ref'><span class='descriptor'>Journal-ref:</span>\n          ${escapeXml(p.journalRef)}\n        </div>\n` : ''}        <div class='list-subjects'><span class='descriptor'>Subjects:</span>
          <span class="primary-subject">${escapeXml(subjectLine(p.primary))}</span>${secondaries.map((c) => `; ${escapeXml(subjectLine(c))}`).join('')}
        </div>
        <p class='mathjax'>
          ${escapeXml(p.abstract)}
        </p>
      </div>
    </dd>`;
}

function page(subject: string, day: string, inner: string): string {
  const date = DateTime.fromISO(day).setLocale('en-US').toFormat('EEE, dd MMM yyyy');
  return `<!DOCTYPE html>
<html lang="en">
<head><title>${escapeXml(subject)} updates on arXiv.org</title></head>
<body>
<div id='content-inner'>
<div id='dlpage'>
  <h1>Catchup results for ${escapeXml(SUBJECT_NAMES[subject] ?? subject)} on ${date}</h1>
${inner}
</div>
</div>
</body>
</html>
`;
}

export interface CatchupPageMeta {
  subject: string;
  day: string;
  page: number;
  pageSize?: number;
}

/** The catchup page of `subject` on `day` for a day's items (arXiv sections: new, cross, replacements). */
export function catchupHtml(items: readonly StandInAnnouncement[], meta: CatchupPageMeta): string {
  const size = meta.pageSize ?? 2000;
  const typed: Array<{ p: StandInAnnouncement; type: CatchupType }> = [];
  for (const type of ['new', 'cross', 'rep'] as const) {
    for (const p of [...items].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      if (!listedUnderAny(p, [meta.subject])) continue;
      const primaryIn = listedUnder(p.primary, meta.subject);
      const t: CatchupType =
        p.action === 'replace' ? 'rep' : p.action === 'new' && primaryIn ? 'new' : 'cross';
      // arxiv-browse drops intra-archive crosses ("no-match") and replacements above v5.
      if (p.action === 'cross' && primaryIn) continue;
      if (t === 'rep' && p.version > 5) continue;
      if (t === type) typed.push({ p, type });
    }
  }
  const count = typed.length;
  if (count === 0) return noUpdatesHtml(meta.subject, meta.day);
  const skip = (meta.page - 1) * size;
  const shown = typed.slice(skip, skip + size);
  const date = DateTime.fromISO(meta.day).setLocale('en-US').toFormat('cccc, d LLLL yyyy');
  const heading: Record<CatchupType, string> = {
    new: 'New submissions',
    cross: 'Cross submissions',
    rep: 'Replacement submissions',
  };
  const pages = Math.floor(count / size) + 1;
  const paging =
    count > size
      ? ` View page:${Array.from({ length: pages }, (_, i) => (i + 1 === meta.page ? ` <span>${i + 1}</span>` : ` <a href=/catchup/${meta.subject}/${meta.day}?abs=True&page=${i + 1}>${i + 1}</a>`)).join('')}`
      : '';
  const sections = (['new', 'cross', 'rep'] as const)
    .map((type) => {
      const inSection = shown.filter((s) => s.type === type);
      if (inSection.length === 0) return '';
      const total = typed.filter((s) => s.type === type).length;
      const list = inSection.map((s) => itemHtml(s.p, s.type, skip + shown.indexOf(s) + 1)).join('\n');
      return `<dl id='articles'>\n    <h3>${heading[type]} for ${date} (showing ${inSection.length} of ${total} entries )</h3>\n${list}\n</dl>`;
    })
    .join('\n');
  const body = shown.length
    ? sections
    : `  <br>\n  <div>\n    No further updates for ${DateTime.fromISO(meta.day).setLocale('en-US').toFormat('EEE, dd MMM yyyy')}\n  </div>`;
  return page(
    meta.subject,
    meta.day,
    `  <div>\n    Total of ${count} entries${paging}\n  </div>\n${body}\n  <div>Total of ${count} entries${paging}</div>`,
  );
}

/** The page of a day without a mailing. */
export function noUpdatesHtml(subject: string, day: string): string {
  const date = DateTime.fromISO(day).setLocale('en-US').toFormat('EEE, dd MMM yyyy');
  return page(
    subject,
    day,
    `  <ul>\n  </ul>\n  <div>\n    Total of 0 entries\n  </div>\n  <br>\n  <div>\n    <p>No updates for ${date}</p>\n  </div>\n  <br>`,
  );
}

export interface ArxivCatchupOptions {
  pageSize?: number;
  inject?: (req: RecordedRequest, index: number) => Reply | undefined;
}

/** A handler answering /catchup/<subject>/<day>?abs=True&page=N from items per mailing day. */
export function arxivCatchupHandler(
  days: Readonly<Record<string, readonly StandInAnnouncement[]>>,
  options: ArxivCatchupOptions = {},
): Handler {
  return (req, index) => {
    const injected = options.inject?.(req, index);
    if (injected) return injected;
    const match = /^\/catchup\/([^/]+)\/(\d{4}-\d{2}-\d{2})$/.exec(req.path);
    if (!match)
      return {
        status: 404,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Not Found</body></html>',
      };
    const subject = decodeURIComponent(match[1]!);
    const day = match[2]!;
    const pageNo = Number(req.query.get('page') ?? '1');
    const items = days[day];
    const html = items
      ? catchupHtml(items, { subject, day, page: pageNo, pageSize: options.pageSize })
      : noUpdatesHtml(subject, day);
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
  };
}

/** The 400 page arXiv shows for a catchup date older than 90 days. */
export function catchupTooOldReply(day: string): Reply {
  return {
    status: 400,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: `<!DOCTYPE html>\n<html><head><title>Bad Request</title></head><body><h1>Bad Request</h1><p>Invalid date: ${day}. Catchup only allowed for past 90 days</p></body></html>`,
  };
}
