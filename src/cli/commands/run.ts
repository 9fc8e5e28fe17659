// PLACEHOLDER: replaced by the module that builds the `run` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers run`. */
export function register(program: Command): void {
  program
    .command('run')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('run', 'not built yet');
    });
}
