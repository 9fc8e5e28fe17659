/**
 * The shipped search engine run in Node's vm over built site files: what tests and the bench
 * query, counting the bytes each query makes the browser load.
 */
import { runInNewContext } from 'node:vm';
import { RESULTS_PAGE, SEARCH_ENGINE_JS, SEARCH_JS } from './search-client.js';
import { SEARCH_META_PATH } from './search-index.js';

/** One query's outcome, as the engine gives it. */
export interface VmResult {
  goto?: string;
  missingId?: string;
  /** How many papers match. */
  count: number;
  /** The next n hits (segment index << 20 | paper number), best first, and their relevance. */
  next?(n: number): { hits: number[]; rel: number[] };
}

/** Doc details: [id, title, authors, day, score, rank, categories]. */
export type VmDoc = [string, string, string, string, number, number, string];

/** An engine over `files` (site path → content); `loaded` counts the bytes of every file read. */
export function searchEngineOver(files: ReadonlyMap<string, string | Buffer>) {
  const loaded = { bytes: 0, files: [] as string[] };
  const sandbox: Record<string, unknown> = {};
  sandbox.window = sandbox;
  const read = (path: string) => {
    const data = files.get(path);
    if (data === undefined) return;
    loaded.bytes += Buffer.byteLength(data);
    loaded.files.push(path);
    runInNewContext(data.toString(), sandbox, { filename: path });
  };
  // What the search page loads before any query: its script and the meta script.
  loaded.bytes += Buffer.byteLength(SEARCH_JS);
  runInNewContext(SEARCH_ENGINE_JS, sandbox);
  read(SEARCH_META_PATH);
  const Engine = sandbox.HotpapersSearchEngine as new (
    meta: unknown,
    load: (path: string, done: () => void) => void,
  ) => {
    search(q: string, opts: { cat?: string; win?: string }, cb: (r: VmResult) => void): void;
    docs(list: number[], cb: (docs: Array<VmDoc | null>) => void): void;
  };
  const engine = new Engine(sandbox.HOTPAPERS_SEARCH_META, (path, done) => {
    read(path);
    done();
  });
  /**
   * What the page does for a query: the search, then its first `page` hits in order and their
   * details (synchronous: files are in memory). The engine's own result (the bench times this).
   */
  const run = (q: string, opts: { cat?: string; win?: string } = {}, page = RESULTS_PAGE) => {
    let result: VmResult = { count: 0 };
    engine.search(q, opts, (r) => {
      result = r;
    });
    const first = result.next?.(page) ?? { hits: [], rel: [] };
    let docs: Array<VmDoc | null> = [];
    engine.docs(first.hits, (d) => {
      docs = d;
    });
    return { result, first, docs };
  };
  /** `run`, as plain arrays of this realm (the vm's arrays fail deepStrictEqual against ours). */
  const query = (q: string, opts: { cat?: string; win?: string } = {}, page = RESULTS_PAGE) => {
    const { result, first, docs } = run(q, opts, page);
    // Every hit in order: the first page, then the rest.
    const rest = result.next?.(result.count) ?? { hits: [], rel: [] };
    const hits = [...first.hits, ...rest.hits];
    const rel = [...first.rel, ...rest.rel];
    return {
      goto: result.goto,
      missingId: result.missingId,
      count: result.count,
      /** [hit (segment index << 20 | paper number), relevance], best first. */
      hits: hits.map((h, i) => [h, rel[i]!] as [number, number]),
      docs: Array.from(docs, (d) => (d ? ([...d] as VmDoc) : null)).filter((d): d is VmDoc => d !== null),
    };
  };
  return { query, run, loaded };
}
