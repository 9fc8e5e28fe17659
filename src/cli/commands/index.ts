/**
 * Every command of the CLI, in help order. Each module exports one `register`; modules are
 * imported only when needed, so `hotpapers post` does not load the site builder (and so on).
 */
import type { Command } from '../commander.js';

type Register = (program: Command) => void;

export const COMMAND_LOADERS: ReadonlyArray<readonly [string, () => Promise<{ register: Register }>]> = [
  ['papers', () => import('./papers.js')],
  ['post', () => import('./post.js')],
  ['explain', () => import('./explain.js')],
  ['site', () => import('./site.js')],
  ['serve', () => import('./serve.js')],
  ['run', () => import('./run.js')],
  ['backfill', () => import('./backfill.js')],
  ['listen', () => import('./listen.js')],
  ['status', () => import('./status.js')],
  ['store', () => import('./store.js')],
  ['init', () => import('./init.js')],
  ['demo', () => import('./demo.js')],
];

/** The register functions of `name`'s command, or of every command when `name` is not one. */
export async function loadCommands(name: string | undefined): Promise<Register[]> {
  const wanted = COMMAND_LOADERS.filter(([n]) => n === name);
  const chosen = wanted.length > 0 ? wanted : COMMAND_LOADERS;
  return Promise.all(chosen.map(async ([, load]) => (await load()).register));
}
