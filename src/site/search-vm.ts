/**
 * The shipped search engine run in Node's vm over built site files: what tests and the bench
 * query, counting the bytes each query makes the browser load.
 */
import { runInNewContext } from 'node:vm';
import { RESULTS_PAGE, SEARCH_ENGINE_JS, SEARCH_JS } from './search-client.js';
import { SEARCH_META_PATH } from './search-index.js';

/** One query's outcome. */
export interface VmResult {
  goto?: string;
  missingId?: string;
  /** [doc number, relevance], best first. */
  hits: Array<[number, number]>;
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
  /** The query's result and the details of its first `page` hits (synchronous: files are in memory). */
  const query = (q: string, opts: { cat?: string; win?: string } = {}, page = RESULTS_PAGE) => {
    let result: VmResult = { hits: [] };
    engine.search(q, opts, (r) => {
      result = r;
    });
    let docs: Array<VmDoc | null> = [];
    engine.docs(
      result.hits.slice(0, page).map((h) => h[0]),
      (d) => {
        docs = d;
      },
    );
    // Plain arrays of this realm (the vm's arrays fail deepStrictEqual against ours).
    return {
      goto: result.goto,
      missingId: result.missingId,
      hits: Array.from(result.hits, (h) => [h[0], h[1]] as [number, number]),
      docs: Array.from(docs, (d) => (d ? ([...d] as VmDoc) : null)).filter((d): d is VmDoc => d !== null),
    };
  };
  return { query, loaded };
}
