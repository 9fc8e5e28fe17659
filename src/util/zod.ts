/**
 * zod, loaded through the code cache (src/util/code-cache.ts): its build is 95 small files,
 * compiled again by every command that reads the configuration. Importing the configuration
 * schema took a median 89 ms of CPU, and 61 ms through the cache (4 December 2026, eight fresh
 * processes each). Its types come from `import type { z } from 'zod'` as usual.
 */
import type * as Zod from 'zod';
import { requireCachedTree } from './code-cache.js';

const zod = requireCachedTree<typeof Zod>('zod');

/** zod's `z`, the same object `import { z } from 'zod'` gives in CommonJS. */
export const z: typeof Zod.z = zod.exports.z;

/** Write zod's code cache when it was not used; called after a first parse, so the code that parse compiled is in it. */
export function saveZodCache(): void {
  zod.save();
}
