// PLACEHOLDER: replaced by the module that builds the `site` command.
import type { Command } from 'commander';
import { HotpapersError } from '../../errors.js';

/** Register `hotpapers site`. */
export function register(program: Command): void {
  program
    .command('site')
    .description('(not built yet)')
    .action(() => {
      throw new HotpapersError('site', 'not built yet');
    });
}
