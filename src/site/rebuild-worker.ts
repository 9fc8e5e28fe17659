/** Worker thread of `serve`: builds one generation of the site off the server's event loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { type GenerateOptions, generateSiteToDir } from './generate.js';

const { options, from, into } = workerData.data as { options: GenerateOptions; from?: string; into: string };
generateSiteToDir(options, into, { from, into }).then(
  (result) =>
    parentPort!.postMessage({
      ok: true,
      warnings: result.warnings,
      notes: result.notes,
      days: result.days,
      fresh: result.fresh,
      kept: result.kept,
    }),
  (error: Error) => parentPort!.postMessage({ ok: false, error: error.message }),
);
