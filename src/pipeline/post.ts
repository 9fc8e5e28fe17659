/**
 * The `post` pipeline: listing → sources → store → rank → embeds → render → atomic write.
 * The only place that wires I/O to the pure stages. A source that fails is reported in the
 * run's health and does not stop the others; the run fails only when nothing can be ranked.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { getDayListing } from '../arxiv/listing.js';
import { NoMailingError } from '../arxiv/no-mailing.js';
import { announcementOf, assertDay } from '../arxiv/schedule.js';
import { chosenCategories, enabledSources, nowOf, thresholdsOf, weightsOf } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { trimEmbed } from '../embeds/oembed.js';
import { sanitizeEmbed } from '../embeds/sanitize.js';
import { enrichRanked } from '../enrich/hf-papers.js';
import { HotpapersError, userErrorLine } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { deadlineSignal } from '../http/errors.js';
import { createHttpFromConfig } from '../http/from-config.js';
import { matchPosts, postKey } from '../match/match.js';
import { horizonInstant } from '../ops/horizon.js';
import { rankDay } from '../rank/score.js';
import { postFileName, renderLumen } from '../render/lumen.js';
import { dailyThumbnails } from '../sources/hf.js';
import { createSource } from '../sources/index.js';
import type { Source, SourceContext } from '../sources/source.js';
import { type Db, openStore } from '../store/db.js';
import { observationsOf, saveDigest } from '../store/digests.js';
import { categoriesKey } from '../store/listings.js';
import { getEmbed, loadPostsForPapers, putEmbed, SavedPosts, savePosts } from '../store/posts.js';
import { finishRun, startRun } from '../store/runs.js';
import { hasStreamCursor, JETSTREAM, recordDeletions, storedPostIds } from '../store/stream.js';
import { thumbDirOf } from '../thumbs/files.js';
import type { DayDigest, MatchedPost, Paper, ScoredPost, SourceHealth, SourceId } from '../types.js';
import { writeFileAtomic } from '../util/atomic.js';
import { optimiseLater } from '../util/jit.js';
import type { Logger } from '../util/log.js';

export interface PostRunOptions {
  config: Config;
  /** Mailing date YYYY-MM-DD. */
  day: string;
  log: Logger;
  /** Re-fetch the listing even when the store has it. */
  refresh?: boolean;
  /** Fixed horizon: rank with the counts observed at announcement + horizon (latest snapshot at or before it). */
  horizon?: '24h' | '72h';
  /** Output folder of the Markdown post (default config.outDir). */
  outDir?: string;
  /** Share an HTTP client (backfill); one is made otherwise. */
  http?: HttpClient;
  /** Share an open store (backfill); the pipeline opens config.db otherwise. */
  db?: Db;
  /**
   * The run's name in the runs table: `demo` for the demo's replay against stand-ins (status
   * counts neither its X reads, which nothing billed, nor its day as the store's first).
   */
  runAs?: 'post' | 'demo';
}

export interface PostRunResult {
  day: string;
  /** Path of the Markdown post. */
  path: string;
  /** False when the file already had exactly this content (nothing rewritten). */
  written: boolean;
  digest: DayDigest;
  health: SourceHealth[];
  /** Requests per host made by this run. */
  requests: Record<string, number>;
  /** 0 ok; 1 when --strict and a source failed. */
  exitCode: number;
}

/** Run the whole pipeline for one mailing day. */
export async function runPost(options: PostRunOptions): Promise<PostRunResult> {
  // A run calls most functions a few thousand times: V8 need not optimise them (util/jit.ts).
  optimiseLater();
  const { config } = options;
  const day = assertDay(options.day, 'post');
  const now = nowOf(config);
  const nowIso = now.toISOString();
  const db = options.db ?? openStore(config.db);
  const http = options.http ?? createHttpFromConfig(config);
  const before = http.requestCounts();
  const runId = startRun(db, options.runAs ?? 'post', day, new Date().toISOString());
  // The sources' health once they ran: a run that fails after them still records what they
  // did (X bills its reads all the same).
  const sourcesRan: { health?: SourceHealth[] } = {};
  try {
    const result = await postDay({ ...options, day }, db, http, now, nowIso, sourcesRan);
    const requests = http.requestsSince(before);
    const failed = result.health.filter((h) => h.status === 'failed');
    finishRun(db, runId, {
      status: failed.length > 0 ? 'partial' : 'ok',
      endedAt: new Date().toISOString(),
      health: result.health,
      requests,
    });
    return { ...result, requests, exitCode: config.strict && failed.length > 0 ? 1 : 0 };
  } catch (error) {
    finishRun(db, runId, {
      status: 'failed',
      endedAt: new Date().toISOString(),
      health: sourcesRan.health,
      requests: http.requestsSince(before),
      detail: userErrorLine(error),
    });
    throw error;
  } finally {
    if (!options.db) db.close();
  }
}

async function postDay(
  options: PostRunOptions & { day: string },
  db: Db,
  http: HttpClient,
  now: Date,
  nowIso: string,
  sourcesRan: { health?: SourceHealth[] },
): Promise<Omit<PostRunResult, 'requests' | 'exitCode'>> {
  const { config, log, day } = options;
  const categories = chosenCategories(config);
  const catKey = categoriesKey(categories);

  // 1. The day's listing (stored, or fetched and stored).
  log.progress('listing', 0, 1);
  const listing = await getDayListing(db, {
    day,
    categories,
    config,
    http,
    now,
    log,
    refresh: options.refresh,
  });
  log.progress('listing', 1, 1);
  const papers = listing.papers.filter((p) => p.announceType === 'new' || p.announceType === 'cross');
  if (papers.length === 0) {
    throw new NoMailingError(day, `no papers announced on ${day} in ${categories.join(', ')}`);
  }
  log.info(
    `listing: ${papers.length} papers on ${day} (${listing.method}${listing.fromStore ? ', from the store' : ''})`,
  );

  // 2. Sources, each failing on its own.
  const announcedAt = announcementOf(day);
  const ctx: SourceContext = { http, config, now, day, announcedAt, log };
  const sourceIds = enabledSources(config, { blueskyListener: hasStreamCursor(db, JETSTREAM) });
  const sources = sourceIds.map((id) => createSource(id));
  const dayIds = new Set(papers.map((p) => p.id));
  // The HF source's Daily Papers thumbnails, for the enrichment (posts keep them only in `raw`).
  const thumbnails = new Map<string, string>();
  // What the sources' posts were saved as: the ranking takes those from here, not read back.
  const saved = new SavedPosts();
  const health = await collectAll(sources, papers, dayIds, ctx, db, nowIso, http, thumbnails, saved);
  sourcesRan.health = health;
  for (const h of health) {
    const line = `${h.source}: ${h.status}${h.status === 'ok' || h.status === 'suspicious' ? `, ${h.posts} posts, ${h.requests} requests` : ''}${h.detail ? ` (${h.detail})` : ''}`;
    if (h.status === 'failed' || h.status === 'suspicious') log.warn(line);
    else log.info(line);
  }
  if (sourceIds.length > 0 && health.every((h) => h.status === 'failed')) {
    // Nothing fresh to rank: fail rather than publish stale or empty counts.
    const reasons = health.map((h) => h.detail ?? `${h.source}: failed`);
    if (reasons.length === 1)
      throw new HotpapersError(health[0]!.source, `${stripService(reasons[0]!)}; no post written`);
    throw new HotpapersError('post', `every source failed, no post written: ${reasons.join('; ')}`);
  }

  // 3. Rank from the store: every post of the enabled sources, with its counts as of the horizon.
  const asOf = options.horizon ? horizonAsOf(day, options.horizon, now) : now;
  // A horizon run that starts after its horizon has no earlier snapshot: it then uses the
  // first counts taken after it, and the digest records their real age.
  const matched = loadPostsForPapers(db, [...dayIds], asOf.toISOString(), sourceIds, {
    fallbackAfter: Boolean(options.horizon),
    saved,
  });
  const weights = weightsOf(config);
  const thresholds = thresholdsOf(config);
  const ranked = rankDay({ papers, posts: matched, weights, thresholds });
  // The counts shown are those of this run (now); for a horizon, the newest snapshot used.
  const observedAt = options.horizon ? newestObservation(matched, asOf) : asOf;

  // 3b. Hugging Face paper pages of the ranked papers (links out, TL;DR, thumbnail): cached, never fatal.
  const hf = { enabled: sourceIds.includes('hf'), hfApiUrl: config.hfApiUrl };
  const enriched = await enrichRanked({
    ...hf,
    db,
    http,
    paperIds: ranked.map((r) => r.paper.id),
    now,
    log,
    dailyThumbnails: thumbnails,
  });
  // 3c. Their thumbnails, downloaded once into the folder beside the store (the site resizes them).
  const thumbDir = thumbDirOf(config.db);
  if (enriched && thumbDir) {
    const papers = new Map<string, string[]>();
    for (const r of ranked) {
      const url = enriched.enrichments.get(r.paper.id)?.thumbnail;
      if (url) papers.set(url, [...(papers.get(url) ?? []), r.paper.id]);
    }
    if (papers.size > 0) {
      const { cacheThumbnails } = await import('../thumbs/cache.js');
      const urls = [...papers.keys()];
      await cacheThumbnails({
        db,
        http,
        dir: thumbDir,
        urls,
        papers,
        hfApiUrl: config.hfApiUrl,
        now,
        log,
      }).catch((error: unknown) => log.warn(`thumbnails: skipped: ${userErrorLine(error)}`));
    }
  }

  // 4. Embeds for the shown posts only, cached in the store.
  const cutShort: Array<{ source: SourceId; note: string }> = [];
  const embeds = await fetchEmbeds(
    ranked.flatMap((r) => r.shown),
    sources,
    ctx,
    db,
    nowIso,
    log,
    cutShort,
  );
  // What the embed stage cut short goes into the run's health, beside the source it concerns.
  for (const { source, note } of cutShort) {
    log.warn(`${source}: ${note}`);
    const entry = health.find((h) => h.source === source);
    if (entry) entry.detail = entry.detail ? `${entry.detail}; ${note}` : note;
  }

  // 5. Render and write atomically.
  const digest: DayDigest = {
    day,
    categories,
    observedAt: observedAt.toISOString(),
    horizon: options.horizon,
    announcedAt: announcedAt.toISOString(),
    ageHours: Math.round(((observedAt.getTime() - announcedAt.getTime()) / 3_600_000) * 10) / 10,
    weights,
    thresholds,
    listed: papers.length,
    postsFound: matched.length,
    papers: ranked,
    health,
  };
  const markdown = renderLumen(digest, (post) => embeds.get(postKey(post)));
  const outDir = options.outDir ?? config.outDir;
  // A deployment publishes one horizon: the blog's file name stays D---Hot-Papers.md either way.
  const name = postFileName(day);
  const path = join(outDir, name);
  const written = await writeFileAtomic(path, markdown);
  saveDigest(db, digest, {
    categoriesKey: catKey,
    markdownSha256: createHash('sha256').update(markdown).digest('hex'),
    path,
    writtenAt: new Date().toISOString(),
    // The digest refers to each post's snapshot by key: the instant its counts were read from.
    observedAt: observationsOf(matched),
  });
  log.info(
    `post: ${papers.length} papers listed, ${matched.length} posts found, ${ranked.length} papers ranked → ${path}${written ? '' : ' (unchanged)'}`,
  );
  return { day, path, written, digest, health };
}

/** Run every source concurrently; store what each found; report each one's health. */
async function collectAll(
  sources: Source[],
  papers: Paper[],
  dayIds: ReadonlySet<string>,
  ctx: SourceContext,
  db: Db,
  nowIso: string,
  http: HttpClient,
  thumbnails: Map<string, string>,
  saved: SavedPosts,
): Promise<SourceHealth[]> {
  let done = 0;
  ctx.log.progress('sources', 0, sources.length);
  const outcomes = await Promise.all(
    sources.map(async (source): Promise<SourceHealth> => {
      const before = http.totalRequests();
      // Each source has its own overall deadline: every request and wait of it ends there.
      const seconds = ctx.config.sourceDeadlineS;
      const signal = deadlineSignal(
        seconds * 1000,
        `the ${seconds} s deadline of the ${source.id} source passed`,
      );
      try {
        // Bluesky re-reads the counts of its stored posts (earlier runs, the listener) by id.
        const stored =
          source.id === 'bluesky' ? storedPostIds(db, source.id, [...dayIds], nowIso) : undefined;
        const result = await source.collect(papers, {
          ...ctx,
          http: ctx.http.withSignal(signal),
          storedPostIds: stored,
        });
        const matched = matchPosts(result.posts, dayIds);
        savePosts(db, matched, nowIso, saved);
        if (source.id === 'hf')
          for (const [id, url] of dailyThumbnails(result.posts)) thumbnails.set(id, url);
        if (result.gone && result.gone.length > 0)
          recordDeletions(db, source.id, result.gone, nowIso, 'refresh');
        for (const note of result.notes) ctx.log.warn(note);
        const suspicious = matched.length === 0 && papers.length > 0;
        return {
          source: source.id,
          status: suspicious ? 'suspicious' : 'ok',
          posts: matched.length,
          requests: http.totalRequests() - before,
          ...readsOf(source),
          detail: suspicious ? `no posts for a day with ${papers.length} papers` : undefined,
        };
      } catch (error) {
        // Whatever went wrong, even a bug, stays this source's failure: the others carry on.
        return {
          source: source.id,
          status: 'failed',
          posts: 0,
          requests: http.totalRequests() - before,
          ...readsOf(source),
          detail: failureLine(source.id, error),
        };
      } finally {
        ctx.log.progress('sources', ++done, sources.length);
      }
    }),
  );
  return outcomes;
}

/** A paid source's billed reads of its last collect, as health fields (none for a free one). */
function readsOf(source: Source): Pick<SourceHealth, 'postsRead' | 'usersRead'> {
  const reads = source.billedReads?.();
  return reads ? { postsRead: reads.posts, usersRead: reads.users } : {};
}

/** Fetch (or reuse) the sanitised embed of each shown post; a failure leaves that post unembedded. */
async function fetchEmbeds(
  shown: ScoredPost[],
  sources: Source[],
  ctx: SourceContext,
  db: Db,
  nowIso: string,
  log: Logger,
  cutShort: Array<{ source: SourceId; note: string }>,
): Promise<Map<string, string>> {
  const bySource = new Map(sources.map((s) => [s.id, s]));
  const unique = new Map<string, ScoredPost>();
  for (const post of shown) unique.set(postKey(post), post);
  const out = new Map<string, string>();
  let done = 0;
  log.progress('embeds', 0, unique.size);
  // One deadline for the whole stage, and a provider that keeps failing is left alone: the
  // post is written either way, its posts shown without embed.
  const seconds = ctx.config.embedDeadlineS;
  const signal = deadlineSignal(seconds * 1000, `the ${seconds} s embed deadline passed`);
  const embedCtx = { ...ctx, http: ctx.http.withSignal(signal) };
  const failures = new Map<string, number>();
  const skipped = new Map<string, number>();
  const maxFailures = ctx.config.embedMaxFailures;
  for (const [key, post] of unique) {
    const cached = getEmbed(db, post.source, post.id);
    if (cached) {
      if (cached.html) out.set(key, cached.html);
    } else {
      const source = bySource.get(post.source);
      if (source && (signal.aborted || (failures.get(post.source) ?? 0) >= maxFailures)) {
        skipped.set(post.source, (skipped.get(post.source) ?? 0) + 1);
      } else if (source) {
        try {
          const raw = await source.embed(
            {
              source: post.source,
              id: post.id,
              url: post.url,
              text: post.text,
              authorId: post.authorId,
              authorHandle: post.authorHandle,
              authorName: post.authorName,
              createdAt: post.createdAt,
              links: [],
              metrics: post.metrics,
            },
            embedCtx,
          );
          // Sanitise first, then trim: what the sanitiser removes must not leave a blank line.
          const html = raw === null ? null : trimEmbed(sanitizeEmbed(raw));
          putEmbed(db, post.source, post.id, html && html.trim() !== '' ? html : null, nowIso);
          if (html) out.set(key, html);
          failures.set(post.source, 0);
        } catch (error) {
          failures.set(post.source, (failures.get(post.source) ?? 0) + 1);
          log.warn(`${failureLine(post.source, error)} (post ${key} shown without embed)`);
        }
      }
    }
    log.progress('embeds', ++done, unique.size);
  }
  for (const [source, n] of skipped) {
    const why = signal.aborted
      ? `the ${seconds} s embed deadline passed`
      : `${maxFailures} embed requests in a row failed`;
    cutShort.push({ source: source as SourceId, note: `embeds: ${why}; ${n} posts shown without embed` });
  }
  return out;
}

/** The instant whose counts a horizon run shows: announcement + horizon, but never after now. */
export function horizonAsOf(day: string, horizon: '24h' | '72h', now: Date): Date {
  const at = horizonInstant(day, horizon);
  return at < now ? at : now;
}

/** The newest observation among the posts used, or `fallback` when there are none. */
function newestObservation(matched: readonly MatchedPost[], fallback: Date): Date {
  let newest = '';
  for (const m of matched) if (m.observedAt && m.observedAt > newest) newest = m.observedAt;
  return newest ? new Date(newest) : fallback;
}

/** One line naming the source: its own HotpapersError message, a file error, or an internal error (redacted). */
function failureLine(source: string, error: unknown): string {
  return userErrorLine(error, source);
}

function stripService(message: string): string {
  return message.replace(/^[a-z]+: /, '');
}
