import { type Transferable, Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Start a worker thread on the module `name` (no extension) in the folder of `base` (the
 * caller's import.meta.url): its `.ts` source in development and tests, its `.js` when built.
 * The module reads `workerData.data`.
 */
export function moduleWorker(
  base: string,
  name: string,
  data: unknown,
  options: Pick<WorkerOptions, 'resourceLimits'> & { transferList?: readonly Transferable[] } = {},
): Worker {
  // From the TypeScript sources the worker registers tsx itself first: Node 20 does not carry
  // the parent's loader hooks into a worker reliably.
  const dev = base.endsWith('.ts');
  const entry = new URL(`./${name}.${dev ? 'ts' : 'js'}`, base).href;
  const tsx = dev ? import.meta.resolve('tsx/esm/api') : undefined;
  return new Worker(
    `const { workerData } = require('node:worker_threads');
    (async () => {
      if (workerData.tsx) (await import(workerData.tsx)).register();
      await import(workerData.entry);
    })().catch((error) => { throw error; });`,
    {
      eval: true,
      workerData: { data, entry, tsx },
      execArgv: [],
      ...(options.transferList ? { transferList: [...options.transferList] } : {}),
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    },
  );
}
