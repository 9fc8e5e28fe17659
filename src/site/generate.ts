/** Store file → built site: the glue the `site` and `serve` commands share. */
import { existsSync } from 'node:fs';
import { StoreError } from '../errors.js';
import { openStore } from '../store/db.js';
import { type BuildOptions, buildSiteInto, type SiteFiles, type SiteSink } from './build.js';
import { loadSiteModel } from './load.js';
import { openThreadedSiteWriter, type WriteResult } from './write.js';

export interface GenerateOptions extends BuildOptions {
  /** Path of the SQLite store. */
  db: string;
  /** Preferred categories key, e.g. `cs,stat.ML`. */
  categories?: string;
  /** Preferred horizon (`24h`, `72h`). */
  horizon?: string;
}

export interface GenerateResult {
  files: SiteFiles;
  days: number;
  papers: number;
  warnings: string[];
}

/** Read the store at `options.db` and build the site in memory; a missing store gives an empty site and a warning. */
export function generateSite(options: GenerateOptions): GenerateResult {
  const files: SiteFiles = new Map();
  const stats = generateSiteInto(options, (path, data) => files.set(path, data));
  return { files, ...stats };
}

/** Read the store and hand each built file to `sink` (the `site` command streams them to disk). */
export function generateSiteInto(options: GenerateOptions, sink: SiteSink): Omit<GenerateResult, 'files'> {
  if (options.db !== ':memory:' && !existsSync(options.db)) {
    buildSiteInto({ days: [] }, options, sink);
    return {
      days: 0,
      papers: 0,
      warnings: [`site: no store at ${options.db} yet (run hotpapers post first)`],
    };
  }
  const db = openStore(options.db);
  let loaded: ReturnType<typeof loadSiteModel>;
  try {
    loaded = loadSiteModel(db, {
      categories: options.categories,
      horizon: options.horizon,
      embedHtml: options.liveEmbeds,
    });
  } finally {
    db.close();
  }
  const { model, warnings } = loaded;
  buildSiteInto(model, options, sink);
  const papers = new Set(model.days.flatMap((d) => d.digest.papers.map((r) => r.paper.id))).size;
  return { days: model.days.length, papers, warnings };
}

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
  let days: number;
  try {
    days = (store.prepare('SELECT COUNT(*) AS n FROM digests').get() as { n: number }).n;
  } finally {
    store.close();
  }
  if (days === 0) {
    throw new StoreError(
      'site',
      `the store ${db} holds no day yet (run hotpapers post first); the site was left as it was`,
    );
  }
}

/**
 * Read the store, build the site and replace `outDir` with it atomically; a worker thread
 * writes the files while the next pages are rendered. What `hotpapers site` runs.
 */
export async function generateSiteToDir(
  options: GenerateOptions,
  outDir: string,
): Promise<Omit<GenerateResult, 'files'> & { written: WriteResult }> {
  // A wrong store path must not replace a site built before with an empty one.
  assertStoreHasDays(options.db);
  const writer = openThreadedSiteWriter(outDir);
  let stats: Omit<GenerateResult, 'files'>;
  try {
    stats = generateSiteInto(options, writer.add);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return { ...stats, written: await writer.commit() };
}
