/** Every command of the CLI, in help order. Each module exports one `register`. */
import type { Command } from 'commander';
import { register as backfill } from './backfill.js';
import { register as demo } from './demo.js';
import { register as explain } from './explain.js';
import { register as init } from './init.js';
import { register as papers } from './papers.js';
import { register as post } from './post.js';
import { register as run } from './run.js';
import { register as serve } from './serve.js';
import { register as site } from './site.js';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  papers,
  post,
  explain,
  site,
  serve,
  run,
  backfill,
  init,
  demo,
];
