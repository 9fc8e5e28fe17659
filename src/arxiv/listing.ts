/**
 * The listing of a mailing day: picks the method (DESIGN §4: the feed for the current
 * mailing, catchup within 90 days, the API otherwise), falls back rss → catchup → api when one
 * fails, and reuses a complete listing from the store.
 */
import type { Config } from '../config/schema.js';
import { HotpapersError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import type { Db } from '../store/db.js';
import { loadListing, saveListing } from '../store/listings.js';
import type { ListingMethod, Paper } from '../types.js';
import type { Logger } from '../util/log.js';
import { fetchApiListing, type MethodResult } from './api.js';
import { NoMailingError } from './no-mailing.js';
import { fetchRssListing } from './rss.js';
import { announcementOf, assertDay, daysBetween, etDate, isMailingDay, weekdayName } from './schedule.js';

/** The papers announced on one mailing day in a set of categories. */
export interface Listing {
  day: string;
  categories: string[];
  method: ListingMethod;
  papers: Paper[];
  notes: string[];
}

export interface ListingRequest {
  day: string;
  categories: string[];
  config: Config;
  http: HttpClient;
  now: Date;
  log: Logger;
}

/** How far back catchup pages go. */
export const CATCHUP_DAYS = 90;

/** The methods to try for D, in order (pure). */
export function listingMethods(day: string, now: Date, setting: Config['arxivListing']): ListingMethod[] {
  if (setting !== 'auto') return [setting];
  const today = etDate(now);
  if (today === day && isMailingDay(day)) return ['rss', 'catchup', 'api'];
  if (daysBetween(day, today) <= CATCHUP_DAYS) return ['catchup', 'api'];
  return ['api'];
}

function withoutService(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^arxiv: /, '');
}

function checkDay(day: string, categories: readonly string[], now: Date): void {
  assertDay(day, 'arxiv');
  if (!isMailingDay(day))
    throw new HotpapersError('arxiv', `${day} is a ${weekdayName(day)}; arXiv mails Monday to Friday`);
  if (categories.length === 0) throw new HotpapersError('arxiv', 'no categories chosen');
  const announced = announcementOf(day);
  if (announced.getTime() > now.getTime()) {
    throw new HotpapersError(
      'arxiv',
      `the mailing of ${day} is announced at ${announced.toISOString()} (20:00 ET), after now (${now.toISOString()})`,
    );
  }
}

async function runMethod(method: ListingMethod, req: ListingRequest): Promise<MethodResult> {
  const base = { day: req.day, categories: req.categories, http: req.http, log: req.log };
  if (method === 'rss') return fetchRssListing({ ...base, config: req.config });
  if (method === 'catchup') {
    // Loaded only when a catchup page is read: it brings cheerio, the heaviest module of a run.
    const { fetchCatchupListing } = await import('./catchup.js');
    return fetchCatchupListing({ ...base, config: req.config });
  }
  return fetchApiListing({ ...base, config: req.config });
}

/** Fetch the listing of mailing D from arXiv (no store). */
export async function fetchListing(req: ListingRequest): Promise<Listing> {
  checkDay(req.day, req.categories, req.now);
  const methods = listingMethods(req.day, req.now, req.config.arxivListing);
  const notes: string[] = [];
  for (let i = 0; i < methods.length; i++) {
    const method = methods[i]!;
    try {
      const result = await runMethod(method, req);
      return {
        day: req.day,
        categories: [...req.categories],
        method,
        papers: result.papers,
        notes: [...notes, ...result.notes],
      };
    } catch (error) {
      const next = methods[i + 1];
      // "No updates" is arXiv saying there was no mailing: another method would only guess.
      if (!next || error instanceof NoMailingError) throw error;
      const line = `${method} failed (${withoutService(error)}); falling back to ${next}`;
      req.log.warn(`arxiv: ${line}`);
      notes.push(line);
    }
  }
  throw new HotpapersError('arxiv', 'no listing method to try');
}

/** The listing of D from the store when complete there (unless `refresh`), else fetched and stored. */
export async function getDayListing(
  db: Db,
  req: ListingRequest & { refresh?: boolean },
): Promise<Listing & { fromStore: boolean }> {
  if (!req.refresh) {
    const stored = loadListing(db, req.day, req.categories);
    if (stored) return { ...stored, fromStore: true };
  }
  const listing = await fetchListing(req);
  // An empty listing is not remembered, so the next run asks again.
  if (listing.papers.length > 0) saveListing(db, listing, req.now.toISOString());
  return { ...listing, fromStore: false };
}
