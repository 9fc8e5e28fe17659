#!/usr/bin/env node
// Makes the compiled CLI executable: `npx hotpapers …` in a clone runs the package's own bin
// (package.json "bin") as a file, and tsc writes it without the execute bit.
import { chmodSync, statSync } from 'node:fs';

const bin = new URL('../dist/cli/main.js', import.meta.url);
chmodSync(bin, statSync(bin).mode | 0o111);
