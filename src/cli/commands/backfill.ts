// PLACEHOLDER: replaced by the module that builds the `backfill` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers backfill`. */
export function register(program: Command): void {
  program
    .command('backfill')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('backfill', 'not built yet');
    });
}
