/**
 * The one interface every social source implements. A source finds the posts that link the
 * day's papers and reads their counts; it never touches the store or the environment.
 */
import type { Config } from '../config/schema.js';
import type { HttpClient } from '../http/client.js';
import type { Paper, Post, SourceId } from '../types.js';
import type { Logger } from '../util/log.js';

/** What a source is given for one run. */
export interface SourceContext {
  http: HttpClient;
  config: Config;
  /** HOTPAPERS_NOW or the clock. */
  now: Date;
  /** Mailing date YYYY-MM-DD. */
  day: string;
  /** When the day's papers became public (20:00 US Eastern the evening before `day`). */
  announcedAt: Date;
  log: Logger;
  /**
   * Ids of this source's posts already in the store that link the day's papers (found by an
   * earlier run or by `hotpapers listen`) and are not known to be deleted: a source that can
   * re-read counts by id refreshes them.
   */
  storedPostIds?: readonly string[];
}

/** What a source found. */
export interface SourceResult {
  /** Posts as returned, before matching; duplicates allowed (matching removes them). */
  posts: Post[];
  /** Remarks worth showing the user (e.g. "stopped at --max-x-reads"). */
  notes: string[];
  /** Ids of stored posts the service no longer serves (deleted or unavailable). */
  gone?: string[];
}

/** A social source. */
export interface Source {
  readonly id: SourceId;
  /** Find the posts linking any of `papers`. Throws a one-line HotpapersError on failure. */
  collect(papers: readonly Paper[], ctx: SourceContext): Promise<SourceResult>;
  /**
   * Embed HTML for a post that will be shown, unsanitised (the caller sanitises and caches);
   * null when the post cannot be embedded (deleted, protected).
   */
  embed(post: Post, ctx: SourceContext): Promise<string | null>;
  /**
   * What the last `collect` read that the service bills per item (so far, when it failed part
   * way); absent for a free service.
   */
  billedReads?(): BilledReads;
}

/** Items a paid service returned to one `collect`. */
export interface BilledReads {
  posts: number;
  users: number;
}
