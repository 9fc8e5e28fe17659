/**
 * zod, loaded through the code cache (src/util/code-cache.ts): its CommonJS build is 95 small
 * files, which took ~120 ms of CPU to import in every command that reads the configuration;
 * through the cache ~60 ms. Its types come from `import type { z } from 'zod'` as usual.
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
