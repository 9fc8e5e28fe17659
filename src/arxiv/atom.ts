/**
 * Pure parsing of the API's Atom feed (research §1.4–1.5), plus the id, text and category
 * normalisation the other listing methods share. Elements are found by (prefix-stripped)
 * name, never by position.
 */
import { HotpapersError, ParseError } from '../errors.js';
import type { Paper } from '../types.js';
import { collapseWhitespace } from '../util/text.js';
import { isArxivCategory } from './categories.js';
import { attrOf, childOf, childrenOf, childText, parseXmlDocument, type XmlElement } from './xml.js';

/** A paper as the API describes it, before a listing labels it new or cross. */
export type ApiEntry = Omit<Paper, 'announceType' | 'method'>;

/** One page of API results. */
export interface ApiPage {
  /** `opensearch:totalResults`, when the feed carries it. */
  totalResults: number | undefined;
  startIndex: number | undefined;
  /** Number of `<entry>` elements on the page (counted, not taken from itemsPerPage). */
  count: number;
  entries: ApiEntry[];
}

/** Collapse whitespace runs (titles, abstracts, author names) to single spaces. */
export function collapse(text: string | undefined): string {
  return collapseWhitespace(text ?? '');
}

function optional(text: string | undefined): string | undefined {
  const v = collapse(text);
  return v === '' ? undefined : v;
}

/** An ISO-8601 instant in UTC (`2021-06-08T17:59:46Z`), or undefined when unparseable. */
export function toIsoInstant(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v(\d+))?$/i;
const OLD_STYLE = /^([a-z-]+)(?:\.[A-Za-z-]+)?\/(\d{7})(?:v(\d+))?$/i;

/**
 * Split an arXiv identifier as found in feeds (`http://arxiv.org/abs/2106.04554v2`,
 * `oai:arXiv.org:2106.04554v2`, `hep-th/9901001v1`, `math.GT/0309136`) into the un-versioned
 * key and the version. Old-style subject classes are dropped (`math.GT/0309136` →
 * `math/0309136`), the form arXiv cites. Undefined when the text is not an arXiv id.
 */
export function splitVersionedId(raw: string): { id: string; version: number | undefined } | undefined {
  const text = raw
    .trim()
    .replace(/^oai:arxiv\.org:/i, '')
    .replace(/^https?:\/\/(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf)\//i, '')
    .replace(/^arxiv:/i, '');
  const modern = NEW_STYLE.exec(text);
  if (modern) return { id: modern[1]!, version: modern[2] ? Number(modern[2]) : undefined };
  const old = OLD_STYLE.exec(text);
  if (old) return { id: `${old[1]!.toLowerCase()}/${old[2]}`, version: old[3] ? Number(old[3]) : undefined };
  return undefined;
}

/** Categories of an entry: arXiv terms only, primary first, then the others in arXiv's order. */
export function orderCategories(terms: readonly string[], primary: string | undefined): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const first = primary && isArxivCategory(primary) ? primary : terms.find(isArxivCategory);
  for (const term of first ? [first, ...terms] : terms) {
    if (!isArxivCategory(term) || seen.has(term)) continue;
    seen.add(term);
    out.push(term);
  }
  return out;
}

function isErrorEntry(entry: XmlElement): boolean {
  return (
    collapse(childText(entry, 'title')) === 'Error' && /\/api\/errors/.test(childText(entry, 'id') ?? '')
  );
}

/** The message of an API error feed (`<entry><title>Error</title><summary>…`), if it is one. */
export function apiErrorMessage(xml: string): string | undefined {
  let feed: XmlElement;
  try {
    feed = parseXmlDocument(xml, 'feed', 'an Atom feed');
  } catch {
    return undefined;
  }
  const bad = childrenOf(feed, 'entry').find(isErrorEntry);
  return bad ? collapse(childText(bad, 'summary')) || 'unspecified error' : undefined;
}

function parseApiEntry(entry: XmlElement): ApiEntry {
  const rawId = childText(entry, 'id') ?? '';
  const parsed = splitVersionedId(rawId);
  if (!parsed)
    throw new ParseError('arxiv', `API entry has an unrecognised id ${JSON.stringify(rawId.slice(0, 80))}`);
  const links = childrenOf(entry, 'link');
  const pdf =
    links.find((l) => attrOf(l, 'title') === 'pdf') ??
    links.find((l) => attrOf(l, 'type') === 'application/pdf') ??
    links.find((l) => attrOf(l, 'rel') === 'related' && /\/pdf\//.test(attrOf(l, 'href') ?? ''));
  const terms = childrenOf(entry, 'category')
    .map((c) => attrOf(c, 'term'))
    .filter((t): t is string => Boolean(t));
  const primaryTerm = attrOf(childOf(entry, 'primary_category'), 'term');
  const categories = orderCategories(terms, primaryTerm);
  const published = toIsoInstant(childText(entry, 'published'));
  const updated = toIsoInstant(childText(entry, 'updated'));
  const paper: ApiEntry = {
    id: parsed.id,
    version: parsed.version ?? 1,
    title: collapse(childText(entry, 'title')),
    abstract: collapse(childText(entry, 'summary')),
    authors: childrenOf(entry, 'author')
      .map((a) => collapse(childText(a, 'name')))
      .filter(Boolean),
    categories,
    primaryCategory: categories[0] ?? '',
  };
  const comment = optional(childText(entry, 'comment'));
  const journalRef = optional(childText(entry, 'journal_ref'));
  const doi = optional(childText(entry, 'doi'));
  if (comment) paper.comment = comment;
  if (journalRef) paper.journalRef = journalRef;
  if (doi) paper.doi = doi;
  if (published) paper.published = published;
  if (updated) paper.updated = updated;
  const pdfUrl = attrOf(pdf, 'href');
  if (pdfUrl) paper.pdfUrl = pdfUrl;
  return paper;
}

function intOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/**
 * Parse one page of the API's Atom response. An error entry becomes a one-line
 * `arxiv: API error: <message>`; malformed XML or HTML a one-line `arxiv: …` ParseError.
 */
export function parseApiFeed(xml: string): ApiPage {
  const feed = parseXmlDocument(xml, 'feed', 'the API Atom feed');
  const rawEntries = childrenOf(feed, 'entry');
  const bad = rawEntries.find(isErrorEntry);
  if (bad)
    throw new HotpapersError(
      'arxiv',
      `API error: ${collapse(childText(bad, 'summary')) || 'unspecified error'}`,
    );
  return {
    totalResults: intOf(childText(feed, 'totalResults')),
    startIndex: intOf(childText(feed, 'startIndex')),
    count: rawEntries.length,
    entries: rawEntries.map(parseApiEntry),
  };
}
