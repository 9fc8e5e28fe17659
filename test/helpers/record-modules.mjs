// `node --import tsx --import ./record-modules.mjs …`: record the modules the program loads.
// ES modules through loader hooks; CommonJS ones (a package loaded with `require`, such as
// commander by src/cli/commander.ts) from the require cache as the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register(new URL('./module-hooks.mjs', import.meta.url));

const required = createRequire(import.meta.url).cache;
const before = new Set(Object.keys(required));
process.on('exit', () => {
  const log = process.env.HOTPAPERS_MODULE_LOG;
  if (!log) return;
  const loaded = Object.keys(required).filter((file) => !before.has(file) && file.startsWith('/'));
  if (loaded.length > 0) appendFileSync(log, loaded.map((file) => `${pathToFileURL(file).href}\n`).join(''));
});
