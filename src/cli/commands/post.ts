// PLACEHOLDER: replaced by the module that builds the `post` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers post`. */
export function register(program: Command): void {
  program
    .command('post')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('post', 'not built yet');
    });
}
