// `node --import tsx --import ./record-modules.mjs …`: record the modules the program loads.
import { register } from 'node:module';

register(new URL('./module-hooks.mjs', import.meta.url));
