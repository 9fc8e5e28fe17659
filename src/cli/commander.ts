/**
 * commander's classes, loaded with `require`. commander is a CommonJS package: imported from an
 * ES module, Node 20 loads it through its CommonJS translator, which first scans the package's
 * source for its export names: ~30 ms of the ~130 ms `hotpapers --help` took; required, the
 * package costs ~10 ms (whole processes, 4 December 2026). Types still come from `commander`
 * itself, re-exported here beside each class.
 */
import { createRequire } from 'node:module';
import type * as Commander from 'commander';

const commander = createRequire(import.meta.url)('commander') as typeof Commander;

/** commander's `Command` class (a value and its type, as the package exports it). */
export const Command = commander.Command;
export type Command = Commander.Command;
/** What commander throws for usage errors, help and version (with exitOverride). */
export const CommanderError = commander.CommanderError;
export type CommanderError = Commander.CommanderError;
/** commander's help formatter (its default terms, for the root help's own). */
export const Help = commander.Help;
export type Help = Commander.Help;
/** commander's `Option` class. */
export const Option = commander.Option;
export type Option = Commander.Option;
