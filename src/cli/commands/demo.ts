// PLACEHOLDER: replaced by the module that builds the `demo` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers demo`. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('demo', 'not built yet');
    });
}
