/**
 * Link → arXiv id: every URL shape of research/arxiv-ingestion.md §6.2 and DESIGN §5.
 * Only known hosts (or an explicit `arXiv:` prefix in text) yield ids: bare `NNNN.NNNNN`
 * collides with version numbers and decimals.
 */
import { type ArxivIdRef, NEW_ID_SOURCE, OLD_ID_SOURCE, parseArxivId, parseNewId } from './ids.js';

type Route = { newOnly?: boolean; routes: ReadonlySet<string> };

const ARXIV_ROUTES: Route = { routes: new Set(['abs', 'pdf', 'html', 'format', 'src', 'ps', 'tb']) };
const AR5IV_ROUTES: Route = { routes: new Set(['html', 'abs']) };
const ALPHAXIV_ROUTES: Route = { routes: new Set(['abs', 'overview', 'pdf']) };
// Hugging Face paper pages exist for new-style ids only; models and datasets are not papers.
const HF_ROUTES: Route = { newOnly: true, routes: new Set(['papers']) };
const SCIRATE_ROUTES: Route = { routes: new Set(['arxiv']) };

const FIXED_HOSTS: ReadonlyMap<string, Route> = new Map([
  ['arxiv.org', ARXIV_ROUTES],
  ['export.arxiv.org', ARXIV_ROUTES],
  ['browse.arxiv.org', ARXIV_ROUTES],
  ['lanl.arxiv.org', ARXIV_ROUTES],
  ['xxx.lanl.gov', ARXIV_ROUTES],
  ['ar5iv.labs.arxiv.org', AR5IV_ROUTES],
  ['ar5iv.org', AR5IV_ROUTES],
  ['alphaxiv.org', ALPHAXIV_ROUTES],
  ['huggingface.co', HF_ROUTES],
  ['hf.co', HF_ROUTES],
  ['scirate.com', SCIRATE_ROUTES],
]);

const DOI_HOSTS: ReadonlySet<string> = new Set(['doi.org', 'dx.doi.org']);
const DOI_PREFIX = '/10.48550/arxiv.';

/** Country mirrors of the old days: de.arxiv.org, uk.arxiv.org, … */
const COUNTRY_MIRROR = /^[a-z]{2}\.arxiv\.org$/;

const URL_PARTS = /^(?:https?:)?(?:\/\/)?([^/?#\s]+)([^?#\s]*)/i;
/** Trailing characters that belong to the sentence around a link, not to the link. */
const TRAILING_JUNK = /(?:[)\]}>.,;:!?'"`*_…]|%E2%80%A6)+$/i;
const ID_AT_START = new RegExp(`^(?:arxiv:)?(${NEW_ID_SOURCE}|${OLD_ID_SOURCE})(.*)$`, 'i');
const NEW_ONLY = /^\d{4}\./;
/** Cheap first test: most links in posts (t.co, github, blogs) name none of the known hosts. */
const MAYBE_KNOWN_HOST = /arxiv|alphaxiv|lanl\.gov|doi\.org|hf\.co|huggingface\.co|scirate\.com|ar5iv/i;

/**
 * The commonest links, a fixed beginning then a bare new-style id (`https://arxiv.org/abs/2106.04554`):
 * what the general parse makes of them, found by a prefix test and one match of the id.
 */
const COMMON_PREFIXES = [
  'https://arxiv.org/abs/',
  'https://arxiv.org/pdf/',
  'https://huggingface.co/papers/',
  'https://www.alphaxiv.org/abs/',
];

/** The arXiv ids a URL points at (usually one); [] for anything that is not a known paper page. */
export function extractArxivIds(url: string): ArxivIdRef[] {
  for (let i = 0; i < COMMON_PREFIXES.length; i++) {
    const prefix = COMMON_PREFIXES[i]!;
    if (!url.startsWith(prefix)) continue;
    // Anything else after the prefix (a version's .pdf, a query, old style) takes the general way.
    const ref = parseNewId(url.slice(prefix.length));
    if (ref) return [ref];
    break;
  }
  return extractArxivIdsAnyShape(url);
}

/** extractArxivIds without its shortcut for the commonest links (exported for the tests). */
export function extractArxivIdsAnyShape(url: string): ArxivIdRef[] {
  if (!MAYBE_KNOWN_HOST.test(url)) return [];
  const cleaned = url.trim().replace(/%2F/gi, '/').replace(TRAILING_JUNK, '');
  const parts = URL_PARTS.exec(cleaned);
  if (!parts) return [];
  const host = normaliseHost(parts[1]!);
  const path = (parts[2] ?? '').replace(TRAILING_JUNK, '').replace(/\/+$/, '');

  if (DOI_HOSTS.has(host)) {
    if (!path.toLowerCase().startsWith(DOI_PREFIX)) return [];
    return single(idAtStart(path.slice(DOI_PREFIX.length), false));
  }
  const route = FIXED_HOSTS.get(host) ?? (COUNTRY_MIRROR.test(host) ? ARXIV_ROUTES : undefined);
  if (!route) return [];
  const slash = path.indexOf('/', 1);
  if (slash < 0) return [];
  const first = path.slice(1, slash).toLowerCase();
  if (!route.routes.has(first)) return [];
  return single(idAtStart(path.slice(slash + 1), route.newOnly === true));
}

/** Ids of a post's links, each once, in order of first appearance (`extract` may be a cached one). */
export function arxivIdsInLinks(
  links: readonly string[],
  extract: (url: string) => ArxivIdRef[] = extractArxivIds,
): ArxivIdRef[] {
  const out: ArxivIdRef[] = [];
  for (const link of links) {
    for (const ref of extract(link)) {
      // A post names a handful of papers at most: a linear scan beats a Set here.
      if (!out.some((r) => r.id === ref.id)) out.push(ref);
    }
  }
  return out;
}

const TEXT_MENTION = new RegExp(
  `(?<![A-Za-z0-9])arxiv:\\s?(${NEW_ID_SOURCE}|${OLD_ID_SOURCE})(?![0-9A-Za-z])`,
  'gi',
);

/** Ids mentioned in plain text as `arXiv:ID` (the prefix is required), each once. */
export function arxivIdsInText(text: string): ArxivIdRef[] {
  const seen = new Set<string>();
  const out: ArxivIdRef[] = [];
  for (const m of text.matchAll(TEXT_MENTION)) {
    const ref = parseArxivId(m[1]!);
    if (!ref || seen.has(ref.id)) continue;
    seen.add(ref.id);
    out.push(ref);
  }
  return out;
}

function normaliseHost(raw: string): string {
  let host = raw.toLowerCase();
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  host = host.replace(/:\d*$/, '').replace(/\.$/, '');
  return host.startsWith('www.') ? host.slice(4) : host;
}

/** Parse the id that starts `rest`; what follows may only be nothing, `.pdf` or a sub-path. */
function idAtStart(rest: string, newOnly: boolean): ArxivIdRef | null {
  const m = ID_AT_START.exec(rest);
  if (!m) return null;
  const tail = m[2]!;
  if (tail !== '' && tail.toLowerCase() !== '.pdf' && !tail.startsWith('/')) return null;
  if (newOnly && !NEW_ONLY.test(m[1]!)) return null;
  return parseArxivId(m[1]!);
}

function single(ref: ArxivIdRef | null): ArxivIdRef[] {
  return ref ? [ref] : [];
}
