/** Building a site generation in a worker thread, so a server keeps answering meanwhile. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HotpapersError } from '../errors.js';
import { moduleWorker } from '../util/module-worker.js';
import type { GenerateOptions } from './generate.js';

export interface OffThreadResult {
  warnings: string[];
  /** What `site` prints besides its summary (the thumbnails line), one line each. */
  notes: string[];
  days: number;
  fresh: number;
  kept: number;
}

/** Build the generation of `options` into the folder `into`, reusing `from`, in a worker thread. */
export function buildOffThread(
  options: GenerateOptions,
  from: string | undefined,
  into: string,
): Promise<OffThreadResult> {
  const worker = moduleWorker(import.meta.url, 'rebuild-worker', { options, from, into });
  return new Promise<OffThreadResult>((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string } & OffThreadResult) => {
      if (m.ok) resolve(m);
      else reject(new HotpapersError('serve', m.error ?? 'the rebuild failed'));
    });
    worker.once('error', (error) => reject(new HotpapersError('serve', `rebuild failed (${error.message})`)));
    worker.once('exit', (code) => {
      if (code !== 0) reject(new HotpapersError('serve', `the rebuild worker exited with ${code}`));
    });
  }).finally(() => void worker.terminate());
}

/** Successive generations of a site in a private folder, each built off-thread from the last. */
export interface GenerationBuilder {
  /** Build the next generation; resolves to its folder once it is whole. */
  build(): Promise<{ dir: string }>;
  /** Remove every generation. */
  close(): void;
}

/**
 * A builder for `serve`: the generation served stays until the next one is whole. Each build's
 * warnings go to `onWarning`, its other lines (the thumbnails one, as `site` prints it) to `onNote`.
 */
export function generationBuilder(
  options: GenerateOptions,
  onWarning: (line: string) => void = () => {},
  onNote: (line: string) => void = () => {},
): GenerationBuilder {
  const root = mkdtempSync(join(tmpdir(), 'hotpapers-serve-'));
  let current: string | undefined;
  let n = 0;
  return {
    async build() {
      const into = join(root, `g${++n}`);
      const result = await buildOffThread(options, current, into);
      for (const w of result.warnings) onWarning(w);
      for (const line of result.notes) onNote(line);
      const old = current;
      current = into;
      // Requests already reading the old generation finish first (an open file outlives its unlink).
      if (old) setTimeout(() => rmSync(old, { recursive: true, force: true }), 10_000).unref();
      return { dir: into };
    },
    close() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
