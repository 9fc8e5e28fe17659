// PLACEHOLDER: replaced by the module that builds the `init` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers init`. */
export function register(program: Command): void {
  program
    .command('init')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('init', 'not built yet');
    });
}
