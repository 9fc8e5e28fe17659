/**
 * The catchup-page method (research §4): `arxiv.org/catchup/<subject>/<D>?abs=True` shows
 * exactly one mailing, with abstracts, for any D in the last 90 days. The HTML is read with
 * cheerio by the markup arxiv-browse emits (`dl#articles > dt/dd`, `.list-title`, …).
 */
import * as cheerio from 'cheerio';
import { DomUtils } from 'htmlparser2';
import { DateTime } from 'luxon';
import type { Config } from '../config/schema.js';
import { clip, HotpapersError, ParseError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { AnnounceType, Paper } from '../types.js';
import type { Logger } from '../util/log.js';
import type { MethodResult } from './api.js';
import { ARXIV_LANE } from './api.js';
import { collapse, splitVersionedId } from './atom.js';
import { inChosen, isArxivCategory } from './categories.js';
import { mergePapers, pdfUrlOf } from './merge.js';
import { NoMailingError } from './no-mailing.js';

/** Pages are cut at this many items (arxiv-browse CATCHUP_LIMIT); we stop well after. */
const MAX_PAGES = 20;

export { NoMailingError };

/** One item of a catchup page. */
export type CatchupItem = Omit<Paper, 'method'>;

export interface CatchupPage {
  /** The page says "No updates for …": no mailing that day. */
  noUpdates: boolean;
  /** "Total of N entries" (every section, replacements included). */
  total: number | undefined;
  /** The date in the page heading, YYYY-MM-DD, when present. */
  day: string | undefined;
  items: CatchupItem[];
}

function sectionOf(heading: string): AnnounceType | undefined {
  if (/^\s*New submissions/i.test(heading)) return 'new';
  if (/^\s*Cross/i.test(heading)) return 'cross';
  if (/^\s*Replacement/i.test(heading)) return 'replace';
  return undefined;
}

/** The category code of a subjects fragment, e.g. "Machine Learning (cs.LG)" → "cs.LG". */
function codeOf(fragment: string): string | undefined {
  const match = /\(([^()]+)\)\s*$/.exec(fragment.trim());
  return match && isArxivCategory(match[1]!) ? match[1] : undefined;
}

function withoutDescriptor(text: string, label: string): string {
  return collapse(text).replace(new RegExp(`^${label}:\\s*`), '');
}

type El = NonNullable<ReturnType<typeof DomUtils.findOne>>;

function hasClass(el: El, name: string): boolean {
  return (el.attribs['class'] ?? '').split(/\s+/).includes(name);
}

/** The first descendant passing `test` (plain DOM walks: a CSS query per field costs seconds on 2,000 items). */
function first(root: El | undefined, test: (el: El) => boolean): El | undefined {
  return root ? (DomUtils.findOne(test, root.children, true) ?? undefined) : undefined;
}

function textIn(el: El | undefined): string {
  return el ? collapse(DomUtils.textContent(el)) : '';
}

function byClass(root: El | undefined, name: string): El | undefined {
  return first(root, (el) => hasClass(el, name));
}

/** Parse one catchup page (pure). */
export function parseCatchupPage(html: string): CatchupPage {
  if (html.trim() === '') throw new ParseError('arxiv', 'empty catchup page');
  // htmlparser2 rather than parse5 underneath: three times faster on a full page.
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
  const page = $('#dlpage').get(0) as El | undefined;
  if (!page) throw new ParseError('arxiv', 'catchup page has no listing (no #dlpage element)');
  const text = textIn(page);
  const totalMatch = /Total of (\d+) entries/.exec(text);
  const headingDate = /Catchup results for .+? on (\w{3}, \d{1,2} \w{3} \d{4})/.exec(
    textIn(first(page, (el) => el.name === 'h1')),
  );
  const parsedDay = headingDate
    ? DateTime.fromFormat(headingDate[1]!, 'EEE, d MMM yyyy', { locale: 'en-US' })
    : undefined;

  const items: CatchupItem[] = [];
  for (const dl of DomUtils.findAll((el) => el.name === 'dl', page.children)) {
    let section: AnnounceType | undefined;
    let dt: El | undefined;
    for (const child of dl.children) {
      if (!DomUtils.isTag(child)) continue;
      if (child.name === 'h3') section = sectionOf(textIn(child)) ?? section;
      else if (child.name === 'dt') dt = child;
      else if (child.name === 'dd' && dt) {
        items.push(parseItem(dt, child, section));
        dt = undefined;
      }
    }
  }
  return {
    noUpdates: items.length === 0 && /No updates for/.test(text),
    total: totalMatch ? Number(totalMatch[1]) : undefined,
    day: parsedDay?.isValid ? parsedDay.toFormat('yyyy-MM-dd') : undefined,
    items,
  };
}

function linkTitled(dt: El, title: string): El | undefined {
  return first(dt, (el) => el.name === 'a' && el.attribs['title'] === title);
}

function parseItem(dt: El, dd: El, section: AnnounceType | undefined): CatchupItem {
  const abs = linkTitled(dt, 'Abstract');
  const rawId = abs?.attribs['id'] || (abs?.attribs['href'] ?? '').replace(/^.*\/abs\//, '') || textIn(abs);
  const parsed = splitVersionedId(rawId);
  if (!parsed)
    throw new ParseError(
      'arxiv',
      `catchup item has an unrecognised id ${JSON.stringify(rawId.slice(0, 80))}`,
    );
  const htmlLink = linkTitled(dt, 'View HTML')?.attribs['href'] ?? '';
  const version = parsed.version ?? Number(/v(\d+)\/?$/.exec(htmlLink)?.[1] ?? 1);
  const dtText = textIn(dt);
  let announceType: AnnounceType = section ?? 'new';
  if (/\(cross-list from [^)]+\)/.test(dtText)) announceType = 'cross';
  if (/\(replaced\)/.test(dtText)) announceType = announceType === 'cross' ? 'replace-cross' : 'replace';

  const meta = byClass(dd, 'meta') ?? dd;
  const subjectsEl = byClass(meta, 'list-subjects');
  const subjects = withoutDescriptor(textIn(subjectsEl), 'Subjects')
    .split(';')
    .map(codeOf)
    .filter((c): c is string => Boolean(c));
  const primary = codeOf(textIn(byClass(subjectsEl, 'primary-subject'))) ?? subjects[0];
  const categories = primary ? [primary, ...subjects.filter((c) => c !== primary)] : subjects;
  const authorsEl = byClass(meta, 'list-authors');
  const authorLinks = authorsEl
    ? DomUtils.findAll((el) => el.name === 'a', authorsEl.children)
        .map(textIn)
        .filter(Boolean)
    : [];
  const authors = authorLinks.length
    ? authorLinks
    : withoutDescriptor(textIn(authorsEl), 'Authors')
        .split(',')
        .map((s) => collapse(s))
        .filter(Boolean);
  const pdfHref = linkTitled(dt, 'Download PDF')?.attribs['href'];
  const item: CatchupItem = {
    id: parsed.id,
    version,
    title: withoutDescriptor(textIn(byClass(meta, 'list-title')), 'Title'),
    abstract: textIn(first(meta, (el) => el.name === 'p' && hasClass(el, 'mathjax'))),
    authors,
    categories,
    primaryCategory: categories[0] ?? '',
    // Links on the page are relative to arxiv.org, whichever host served it.
    pdfUrl: pdfHref ? new URL(pdfHref, 'https://arxiv.org/').toString() : pdfUrlOf(parsed.id),
    announceType,
  };
  const comment = withoutDescriptor(textIn(byClass(meta, 'list-comments')), 'Comments');
  const journalRef = withoutDescriptor(textIn(byClass(meta, 'list-journal-ref')), 'Journal-ref');
  if (comment) item.comment = comment;
  if (journalRef) item.journalRef = journalRef;
  return item;
}

export interface CatchupListingRequest {
  day: string;
  categories: readonly string[];
  config: Pick<Config, 'arxivCatchupUrl'>;
  http: HttpClient;
  log: Logger;
}

/** The catchup URL of one subject, day and page. */
export function catchupUrl(base: string, subject: string, day: string, page: number): string {
  return `${base.replace(/\/+$/, '')}/catchup/${encodeURIComponent(subject)}/${day}?abs=True${page > 1 ? `&page=${page}` : ''}`;
}

/** The reason a 400 page gives ("Catchup only allowed for past 90 days", …). */
function badRequestReason(html: string): string {
  const text = collapse(cheerio.load(html)('body').text() || html);
  const known =
    /(Invalid [^.]*\.(?: Catchup only allowed for past 90 days)?|Catchup only allowed[^.]*|Unexpected parameters[^.]*)/.exec(
      text,
    );
  return known ? known[1]! : clip(text, 100) || 'no message';
}

/** List mailing D from the catchup pages of each chosen subject. */
export async function fetchCatchupListing(req: CatchupListingRequest): Promise<MethodResult> {
  const all: CatchupItem[] = [];
  for (const subject of req.categories) {
    let seen = 0;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const url = catchupUrl(req.config.arxivCatchupUrl, subject, req.day, page);
      const response = await req.http.request({
        service: 'arxiv',
        url,
        lane: ARXIV_LANE,
        acceptStatuses: [400],
      });
      if (response.status === 400) {
        throw new HotpapersError(
          'arxiv',
          `catchup refused ${subject} ${req.day} (HTTP 400): ${badRequestReason(response.text)}`,
        );
      }
      const parsed = parseCatchupPage(response.text);
      if (parsed.day && parsed.day !== req.day) {
        throw new HotpapersError('arxiv', `catchup page for ${subject} shows ${parsed.day}, not ${req.day}`);
      }
      if (parsed.noUpdates && page === 1)
        throw new NoMailingError(req.day, `catchup for ${subject} says "No updates"`);
      all.push(...parsed.items);
      seen += parsed.items.length;
      if (parsed.items.length === 0 || parsed.total === undefined || seen >= parsed.total) break;
      if (page === MAX_PAGES)
        throw new HotpapersError(
          'arxiv',
          `catchup for ${subject} ${req.day} did not end after ${MAX_PAGES} pages`,
        );
    }
  }
  const kept = all.filter(
    (item) =>
      (item.announceType === 'new' || item.announceType === 'cross') &&
      inChosen(item.categories, req.categories),
  );
  return { papers: mergePapers(kept.map((item) => ({ ...item, method: 'catchup' as const }))), notes: [] };
}
