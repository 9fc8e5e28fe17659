/** Store file → built site: the glue the `site` and `serve` commands share. */
import { existsSync } from 'node:fs';
import { oneLine, StoreError } from '../errors.js';
import { type Db, openStore } from '../store/db.js';
import { thumbDirOf } from '../thumbs/files.js';
import { describeResize, type ResizeReport, resizeThumbnails } from '../thumbs/resize.js';
import { holdYoungAt, keepHeapTight, keepYoungSmall, letYoungGrow } from '../util/heap.js';
import { optimiseLater } from '../util/jit.js';
import {
  type BuildHooks,
  type BuildOptions,
  type BuildStats,
  buildGeneration,
  engineFingerprint,
  type GenerationOutput,
  MANIFEST_PATH,
  mapOutput,
  type SiteFiles,
  StaleGenerationError,
} from './build.js';
import { storeSource } from './load.js';
import { modelSource, type SiteSource } from './source.js';
import { openGeneration, type WriteResult } from './write.js';

export interface GenerateOptions extends BuildOptions {
  /** Path of the SQLite store. */
  db: string;
  /** Preferred categories key, e.g. `cs,stat.ML`. */
  categories?: string;
  /** Preferred horizon (`24h`, `72h`). */
  horizon?: string;
  /** Ignore the previous generation: render and write every file. */
  full?: boolean;
  /** Keep each downloaded thumbnail once its copy is made (config thumbnailOriginals: keep). */
  keepThumbnailOriginals?: boolean;
}

export interface GenerateResult {
  files: SiteFiles;
  days: number;
  papers: number;
  warnings: string[];
}

const NO_STORE = (db: string) => `site: no store at ${db} yet (run hotpapers post first)`;

/** Open the source (a missing store is an empty site and a warning), run `fn`, close the store. */
function withSource<T>(options: GenerateOptions, fn: (source: SiteSource, warnings: string[]) => T): T {
  if (options.db !== ':memory:' && !existsSync(options.db))
    return fn(modelSource({ days: [] }), [NO_STORE(options.db)]);
  const db: Db = openStore(options.db);
  try {
    return fn(
      storeSource(db, {
        categories: options.categories,
        horizon: options.horizon,
        embedHtml: options.liveEmbeds,
        thumbDir: thumbDirOf(options.db),
      }),
      [],
    );
  } finally {
    db.close();
  }
}

/**
 * The build reads each day once, in order: a small page cache serves it as well as the store's
 * 8 MB one (set for the day's writes), which would otherwise add to the build's peak memory.
 */
function siteConnection(db: Db): Db {
  db.pragma('cache_size = -4096');
  return db;
}

/** Read the store at `options.db` and build the whole site in memory (tests, small stores). */
export function generateSite(options: GenerateOptions): GenerateResult {
  const files: SiteFiles = new Map();
  const output: GenerationOutput = mapOutput(files);
  const stats = withSource(options, (source, warnings) => {
    const s = buildGeneration(source, options, output);
    return { ...s, warnings: [...warnings, ...s.warnings] };
  });
  for (const path of [...files.keys()]) if (path.startsWith('.hotpapers/')) files.delete(path);
  return { files, days: stats.days, papers: stats.papers, warnings: stats.warnings };
}

export type GenerationResult = BuildStats & {
  written: WriteResult;
  /** What the resize step did before the build (undefined without a thumbnail folder, or when it failed). */
  thumbnails?: ResizeReport;
  /** Lines to print besides the build's summary (the resize step's, when it did something). */
  notes: string[];
};

/**
 * Throw a one-line StoreError when `db` does not exist (it is not created) or holds no day,
 * so `site` leaves an existing site as it was.
 */
export function assertStoreHasDays(db: string): void {
  if (db === ':memory:') return;
  if (!existsSync(db)) {
    throw new StoreError(
      'site',
      `no store at ${db} (set HOTPAPERS_DB or --db, or run hotpapers post first); the site was left as it was`,
    );
  }
  const store = openStore(db);
  let any: unknown;
  try {
    // Whether one row exists, not how many: counting would read the whole history's index.
    any = store.prepare('SELECT 1 FROM digests LIMIT 1').get();
  } finally {
    store.close();
  }
  if (any === undefined) {
    throw new StoreError(
      'site',
      `the store ${db} holds no day yet (run hotpapers post first); the site was left as it was`,
    );
  }
}

/** From this many days on, a full build holds V8's young generation at HELD_YOUNG_MB (fullBuildHooks). */
export const HOLD_YOUNG_FROM_DAYS = 1500;

/** The young generation's size a large full build holds, a semi-space (what an incremental `site` process reaches). */
const HELD_YOUNG_MB = 4;

/**
 * A full build's young generation, by the days it builds. Below HOLD_YOUNG_FROM_DAYS, V8's usual
 * one (up to 16 MB a semi-space): a 300-day `site --full` took ~5% less CPU and ~8% less wall time
 * with it than held at 4 MB (10 interleaved processes, 5 December 2026), for ~28 MB more peak
 * memory. From there on it is held at HELD_YOUNG_MB, checked at each day (holdYoungAt): at 3,000
 * days, 257–260 MB against 287–293 MB with V8's, for 13–35% more CPU (engine-only builds, four
 * interleaved pairs).
 */
export function fullBuildHooks(days: number): BuildHooks {
  if (days < HOLD_YOUNG_FROM_DAYS) {
    letYoungGrow();
    return {};
  }
  return { eachDay: () => holdYoungAt(HELD_YOUNG_MB) };
}

/** How many days the store holds digests of (0 without a store): one scan of the digests' key. */
function daysIn(db: Db | undefined): number {
  return db ? (db.prepare('SELECT count(DISTINCT day) AS n FROM digests').get() as { n: number }).n : 0;
}

/**
 * Read the store and write the next generation of the site, reusing the previous one's unchanged
 * files. With `into`, the generation goes to that folder (the caller switches to it, as `serve`
 * does) from the one at `from`; otherwise it replaces `outDir` atomically (what `hotpapers site` runs).
 */
export async function generateSiteToDir(
  options: GenerateOptions,
  outDir: string,
  place: { from?: string; into?: string } = {},
): Promise<GenerationResult> {
  // Replacing a site: a wrong store path must not replace the site built before with an empty one.
  if (!place.into) assertStoreHasDays(options.db);
  optimiseLater();
  keepYoungSmall();
  const missing = options.db !== ':memory:' && !existsSync(options.db);
  const db = missing ? undefined : siteConnection(openStore(options.db));
  const warnings = missing ? [NO_STORE(options.db)] : [];
  const source = db
    ? storeSource(db, {
        categories: options.categories,
        horizon: options.horizon,
        embedHtml: options.liveEmbeds,
        thumbDir: thumbDirOf(options.db),
      })
    : modelSource({ days: [] });
  try {
    // Thumbnails downloaded since the last build get their small WebP copy (no network).
    const thumbDir = thumbDirOf(options.db);
    // Never fatal: without its copies (sharp missing, a full disk) a page goes without thumbnail.
    let thumbnails: ResizeReport | undefined;
    if (db && thumbDir)
      try {
        thumbnails = await resizeThumbnails(db, thumbDir, {
          all: options.full,
          keepOriginals: options.keepThumbnailOriginals,
        });
        warnings.push(...thumbnails.failures);
      } catch (error) {
        warnings.push(
          `thumbnails: not resized (${oneLine(String((error as Error)?.message ?? error)).slice(0, 120)})`,
        );
      }
    // One read transaction for the whole build: every day, post and mark is read from the same
    // state of the store (a `post` committing meanwhile is the next build's), and SQLite takes
    // its locks once instead of for each of the build's ~1,000 statements per 300 days.
    db?.exec('BEGIN');
    const engine = engineFingerprint(options);
    for (let attempt = 0; ; attempt++) {
      // A full build, or one whose previous generation turned out incomplete, ignores the manifest
      // and writes a whole new folder; otherwise a site of the same engine is updated in place.
      const fresh = options.full || attempt > 0;
      const generation = openGeneration(outDir, {
        ...place,
        engine: fresh ? undefined : engine,
      });
      if (fresh) generation.previous = undefined;
      // A full build holds the most at once; an incremental one holds less, and is ~10% faster
      // with V8's usual heap growth. A full build's young generation goes by its size.
      let hooks: BuildHooks = {};
      if (generation.previous?.engine !== engine) {
        keepHeapTight();
        hooks = fullBuildHooks(daysIn(db));
      }
      let stats: BuildStats;
      try {
        stats = buildGeneration(source, options, generation, hooks);
        if (db?.inTransaction) db.exec('COMMIT');
      } catch (error) {
        await generation.abort();
        if (error instanceof StaleGenerationError && attempt === 0) {
          // Said, not silent: a build that turns full costs the whole site's time.
          warnings.push(`site: ${oneLine(error.message)}; the site is built in full`);
          continue;
        }
        throw error;
      }
      const written = await generation.commit();
      const resized = thumbnails && describeResize(thumbnails);
      return {
        ...stats,
        warnings: [...warnings, ...stats.warnings],
        written,
        ...(thumbnails ? { thumbnails } : {}),
        notes: resized ? [resized] : [],
      };
    }
  } finally {
    if (db?.inTransaction) db.exec('COMMIT');
    db?.close();
  }
}

export { MANIFEST_PATH };
