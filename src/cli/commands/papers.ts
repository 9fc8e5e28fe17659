// PLACEHOLDER: replaced by the module that builds the `papers` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers papers`. */
export function register(program: Command): void {
  program
    .command('papers')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('papers', 'not built yet');
    });
}
