/** The registry of sources: one factory per SourceId. */
import type { SourceId } from '../types.js';
import { createBlueskySource } from './bluesky.js';
import { createHfSource } from './hf.js';
import { createHnSource } from './hn.js';
import type { Source } from './source.js';
import { createXSource } from './x.js';

const FACTORIES: Record<SourceId, () => Source> = {
  x: createXSource,
  bluesky: createBlueskySource,
  hn: createHnSource,
  hf: createHfSource,
};

/** A fresh source object for `id`. */
export function createSource(id: SourceId): Source {
  return FACTORIES[id]();
}
