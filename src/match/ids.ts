/**
 * arXiv identifier grammar (research/arxiv-ingestion.md §6.1): new style `YYMM.NNNN[N][vN]`,
 * old style `archive[.SC]/YYMMNNN[vN]`. Keys are un-versioned; the version is an attribute.
 */

/** An identifier as found: the un-versioned canonical id and, when given, its version. */
export interface ArxivIdRef {
  id: string;
  version?: number;
}

/** Archives of old-style ids (1991 – 2007-03), including the retired ones. */
export const OLD_ARCHIVES: readonly string[] = [
  'astro-ph',
  'cond-mat',
  'gr-qc',
  'hep-ex',
  'hep-lat',
  'hep-ph',
  'hep-th',
  'math-ph',
  'nlin',
  'nucl-ex',
  'nucl-th',
  'physics',
  'quant-ph',
  'math',
  'cs',
  'q-bio',
  'q-fin',
  'stat',
  'chao-dyn',
  'solv-int',
  'patt-sol',
  'adap-org',
  'cmp-lg',
  'comp-gas',
  'alg-geom',
  'dg-ga',
  'funct-an',
  'q-alg',
  'mtrl-th',
  'supr-con',
  'chem-ph',
  'atom-ph',
  'plasm-ph',
  'ao-sci',
  'acc-phys',
  'bayes-an',
];

const ARCHIVE_SET: ReadonlySet<string> = new Set(OLD_ARCHIVES);

/** Source text of the id patterns, shared with the URL and text finders (no anchors, no flags). */
export const NEW_ID_SOURCE = String.raw`\d{4}\.\d{4,5}(?:[vV]\d+)?`;
export const OLD_ID_SOURCE = String.raw`[A-Za-z]+(?:-[A-Za-z]+)?(?:\.[A-Za-z]+(?:-[A-Za-z]+)?)?\/\d{7}(?:[vV]\d+)?`;

const NEW_RE = /^(\d{2})(\d{2})\.(\d{4,5})(?:[vV](\d+))?$/;
const OLD_RE =
  /^([A-Za-z]+(?:-[A-Za-z]+)?)(?:\.([A-Za-z]+(?:-[A-Za-z]+)?))?\/(\d{2})(\d{2})(\d{3})(?:[vV](\d+))?$/;
const PREFIX_RE = /^ar[xX]iv:\s?/i;

/** Parse a bare identifier (optionally prefixed `arXiv:`); null unless it is a valid arXiv id. */
export function parseArxivId(text: string): ArxivIdRef | null {
  const bare = text.trim().replace(PREFIX_RE, '');
  return parseNew(bare) ?? parseOld(bare);
}

/** The un-versioned key of an identifier (`2106.04554`, `math/0611800`), or null when invalid. */
export function canonicalId(text: string): string | null {
  return parseArxivId(text)?.id ?? null;
}

/** True when `text` is a valid arXiv identifier (with or without a version). */
export function isArxivId(text: string): boolean {
  return parseArxivId(text) !== null;
}

/** The identifier with its version, as arXiv cites it without the prefix (`2106.04560v2`). */
export function formatArxivId(ref: ArxivIdRef): string {
  return ref.version === undefined ? ref.id : `${ref.id}v${ref.version}`;
}

function parseVersion(digits: string | undefined): number | undefined | null {
  if (digits === undefined) return undefined;
  const n = Number(digits);
  // v0 does not exist; a leading zero (v01) is not how arXiv writes versions.
  return n >= 1 && String(n) === digits ? n : null;
}

/** A bare new-style identifier (`2106.04560v2`, nothing around it), or null. */
export function parseNewId(text: string): ArxivIdRef | null {
  return parseNew(text);
}

function parseNew(text: string): ArxivIdRef | null {
  const m = NEW_RE.exec(text);
  if (!m) return null;
  const [, yy, mm, num, v] = m as unknown as [string, string, string, string, string | undefined];
  const month = Number(mm);
  if (month < 1 || month > 12) return null;
  const yymm = `${yy}${mm}`;
  // New-style numbering began in 2007-04; 5-digit sequence numbers from 2015-01 on.
  if (yymm < '0704') return null;
  if (num.length !== (yymm >= '1501' ? 5 : 4)) return null;
  if (Number(num) === 0) return null;
  const version = parseVersion(v);
  if (version === null) return null;
  const id = `${yymm}.${num}`;
  return version === undefined ? { id } : { id, version };
}

function parseOld(text: string): ArxivIdRef | null {
  const m = OLD_RE.exec(text);
  if (!m) return null;
  const [, archiveRaw, , yy, mm, num, v] = m as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
    string,
    string | undefined,
  ];
  const archive = archiveRaw.toLowerCase();
  if (!ARCHIVE_SET.has(archive)) return null;
  const month = Number(mm);
  if (month < 1 || month > 12) return null;
  // Old style ran from 1991-08 to 2007-03: years 91–99 then 00–07 (≤ 0703).
  const year = Number(yy);
  if (!(year >= 91 || `${yy}${mm}` <= '0703')) return null;
  if (Number(num) === 0) return null;
  const version = parseVersion(v);
  if (version === null) return null;
  // The preferred external form drops the subject class: math.GT/0309136 → math/0309136.
  const id = `${archive}/${yy}${mm}${num}`;
  return version === undefined ? { id } : { id, version };
}
