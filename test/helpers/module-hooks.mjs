// Loader hooks (run off-thread) that append every file URL the program loads to
// HOTPAPERS_MODULE_LOG, one per line. Used by test/cli/startup.test.ts.
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  const log = process.env.HOTPAPERS_MODULE_LOG;
  if (log && url.startsWith('file:')) appendFileSync(log, `${url}\n`);
  return next(url, context);
}
