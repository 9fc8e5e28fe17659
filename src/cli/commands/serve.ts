// PLACEHOLDER: replaced by the module that builds the `serve` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers serve`. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('serve', 'not built yet');
    });
}
