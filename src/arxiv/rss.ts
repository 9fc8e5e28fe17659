/**
 * The announcement-feed method (research §3): `rss.arxiv.org/atom/cs+stat.ML` lists exactly
 * the current ET day's mailing with arXiv's own new / cross / replace labels. It cannot be
 * back-filled, and it is capped at 2,000 items, so a full feed is re-asked in smaller sets.
 */
import type { Config } from '../config/schema.js';
import { HotpapersError, ParseError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { AnnounceType, Paper } from '../types.js';
import type { Logger } from '../util/log.js';
import type { MethodResult } from './api.js';
import { ARXIV_LANE } from './api.js';
import { collapse, orderCategories, splitVersionedId, toIsoInstant } from './atom.js';
import { archiveCategories, inChosen } from './categories.js';
import { mergePapers, pdfUrlOf } from './merge.js';
import { etDate } from './schedule.js';
import { attrOf, childrenOf, childText, parseXmlDocument } from './xml.js';

/** The feed's item cap: a feed this long is assumed truncated. */
export const RSS_ITEM_LIMIT = 2000;

const ANNOUNCE_TYPES: ReadonlySet<string> = new Set(['new', 'cross', 'replace', 'replace-cross']);

/** One item of the announcement feed. */
export type RssItem = Omit<Paper, 'method'>;

export interface RssFeed {
  /** The mailing date the feed is for (ET date of its entries' `published`, else of its `updated`). */
  day: string | undefined;
  items: RssItem[];
}

/** Split `dc:creator` ("A One, B Two (Univ X, Lab Y), C Three") into names, dropping affiliations. */
export function splitCreators(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += ch;
  }
  names.push(current);
  return names.map((n) => collapse(n.replace(/\([^()]*\)/g, ' '))).filter(Boolean);
}

const SUMMARY = /^arXiv:(\S+) Announce Type: (\S+)\s*\nAbstract:\s?([\s\S]*)$/;

function dayOfInstant(text: string | undefined): string | undefined {
  const iso = toIsoInstant(text);
  return iso ? etDate(new Date(iso)) : undefined;
}

/** Parse the Atom variant of the announcement feed (pure). */
export function parseRssFeed(xml: string): RssFeed {
  const feed = parseXmlDocument(xml, 'feed', 'the announcement Atom feed');
  const entries = childrenOf(feed, 'entry');
  const items: RssItem[] = [];
  let day: string | undefined;
  for (const entry of entries) {
    const rawId = childText(entry, 'id') ?? '';
    const summary = (childText(entry, 'summary') ?? '').trim();
    const parts = SUMMARY.exec(summary);
    const parsed = splitVersionedId(rawId) ?? (parts ? splitVersionedId(parts[1]!) : undefined);
    if (!parsed)
      throw new ParseError('arxiv', `rss entry has an unrecognised id ${JSON.stringify(rawId.slice(0, 80))}`);
    const type = collapse(childText(entry, 'announce_type')) || parts?.[2] || '';
    if (!ANNOUNCE_TYPES.has(type))
      throw new ParseError(
        'arxiv',
        `rss entry ${parsed.id} has an unknown announce type ${JSON.stringify(type)}`,
      );
    const terms = childrenOf(entry, 'category')
      .map((c) => attrOf(c, 'term') ?? c.text.trim())
      .filter((t): t is string => Boolean(t));
    // The feed has no primary element; arXiv lists the primary first.
    const categories = orderCategories(terms, undefined);
    const version = parsed.version ?? 1;
    const item: RssItem = {
      id: parsed.id,
      version,
      title: collapse(childText(entry, 'title')),
      abstract: collapse(parts ? parts[3] : summary),
      authors: splitCreators(childText(entry, 'creator') ?? ''),
      categories,
      primaryCategory: categories[0] ?? '',
      pdfUrl: pdfUrlOf(parsed.id, version),
      announceType: type as AnnounceType,
    };
    const journalRef = collapse(childText(entry, 'journal_reference'));
    const doi = collapse(childText(entry, 'DOI') ?? childText(entry, 'doi'));
    if (journalRef) item.journalRef = journalRef;
    if (doi) item.doi = doi;
    day ??= dayOfInstant(childText(entry, 'published'));
    items.push(item);
  }
  day ??= dayOfInstant(childText(feed, 'updated'));
  return { day, items };
}

/** The feed's own error (HTTP 400, "Feed error for query: …" with the reason as subtitle). */
function feedErrorMessage(xml: string): string | undefined {
  try {
    const feed = parseXmlDocument(xml, 'feed', 'an Atom feed');
    const title = collapse(childText(feed, 'title'));
    if (!/^Feed error/i.test(title)) return undefined;
    return collapse(childText(feed, 'subtitle') ?? childText(feed, 'description')) || title;
  } catch {
    return undefined;
  }
}

export interface RssListingRequest {
  day: string;
  categories: readonly string[];
  config: Pick<Config, 'arxivRssUrl'>;
  http: HttpClient;
  log: Logger;
  /** The feed's item cap (tests lower it). */
  limit?: number;
}

/** Smaller sets to re-ask a truncated feed with: halves, or an archive's categories in halves. */
export function splitQuery(set: readonly string[]): string[][] | undefined {
  let members = [...set];
  if (members.length === 1) {
    const known = archiveCategories(members[0]!);
    if (!known) return undefined;
    members = [...known];
  }
  const half = Math.ceil(members.length / 2);
  return [members.slice(0, half), members.slice(half)];
}

/** The feed URL for a set of categories. */
export function rssUrl(base: string, set: readonly string[]): string {
  return `${base.replace(/\/+$/, '')}/atom/${set.join('+')}`;
}

/** List mailing D from the announcement feed; D must be the feed's current day. */
export async function fetchRssListing(req: RssListingRequest): Promise<MethodResult> {
  const limit = req.limit ?? RSS_ITEM_LIMIT;
  const notes: string[] = [];

  const fetchFeed = async (set: readonly string[], top: boolean): Promise<RssFeed> => {
    const response = await req.http.request({
      service: 'arxiv',
      url: rssUrl(req.config.arxivRssUrl, set),
      lane: ARXIV_LANE,
      acceptStatuses: [400],
    });
    if (response.status === 400) {
      throw new HotpapersError(
        'arxiv',
        `rss feed refused ${set.join('+')} (HTTP 400): ${feedErrorMessage(response.text) ?? 'no message'}`,
      );
    }
    const feed = parseRssFeed(response.text);
    // A part of a split feed may be empty (a quiet category); the whole feed may not.
    if (feed.items.length === 0 && top) {
      throw new HotpapersError(
        'arxiv',
        `rss feed for ${set.join('+')} is empty (no mailing today, or not built yet)`,
      );
    }
    if (feed.items.length === 0 && feed.day === undefined) return feed;
    if (feed.day !== req.day) {
      throw new HotpapersError(
        'arxiv',
        `rss feed is for ${feed.day ?? 'an unknown day'}, not ${req.day}; it only serves the current ET day's mailing`,
      );
    }
    return feed;
  };

  const collect = async (set: readonly string[], top: boolean): Promise<RssItem[]> => {
    const feed = await fetchFeed(set, top);
    if (feed.items.length < limit) return feed.items;
    const parts = splitQuery(set);
    if (!parts) {
      const note = `rss feed for ${set.join('+')} has ${feed.items.length} items, the cap; it may be truncated`;
      notes.push(note);
      req.log.warn(`arxiv: ${note}`);
      return feed.items;
    }
    req.log.info(
      `arxiv: rss feed for ${set.join('+')} hit the ${limit}-item cap; asking in ${parts.length} parts`,
    );
    const out: RssItem[] = [];
    for (const part of parts) out.push(...(await collect(part, false)));
    return out;
  };

  const items = await collect(req.categories, true);
  const kept = items.filter(
    (item) =>
      (item.announceType === 'new' || item.announceType === 'cross') &&
      inChosen(item.categories, req.categories),
  );
  return { papers: mergePapers(kept.map((item) => ({ ...item, method: 'rss' as const }))), notes };
}
