/** A site path joined to its folder, for the threads that write a site (write.ts, render-worker.ts). */
import { resolve, sep } from 'node:path';
import { HotpapersError } from '../errors.js';

/** `root/path`, refusing paths that would leave `root`. */
export function safeJoin(root: string, path: string): string {
  const target = resolve(root, path);
  if (!target.startsWith(root + sep))
    throw new HotpapersError('site', `refusing to write outside the site: ${path}`);
  return target;
}
