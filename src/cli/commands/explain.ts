// PLACEHOLDER: replaced by the module that builds the `explain` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers explain`. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('explain', 'not built yet');
    });
}
