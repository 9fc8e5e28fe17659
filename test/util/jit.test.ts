/**
 * optimiseLater (src/util/jit.ts) raises V8's interrupt budget for the rest of the process:
 * checked by counting the calls V8 lets a function make before it optimises it (V8's own
 * status, in a child with natives syntax and synchronous compilation), never by time.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const JIT = fileURLToPath(new URL('../../src/util/jit.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** Calls of a small function before V8 optimises it, in a fresh process (after optimiseLater or not). */
function callsBeforeOptimised(raise: boolean): number {
  const program = `
${raise ? `(await import(${JSON.stringify(JIT)})).optimiseLater();` : ''}
function work(n) { let s = 0; for (let i = 0; i < 50; i++) s += (n * i) % 7; return s; }
let calls = 0;
// Status bits 16 (optimised) and 64 (by TurboFan).
while (calls < 1000000 && (%GetOptimizationStatus(work) & 80) === 0) work(calls++);
process.stdout.write(String(calls));
`;
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      TSX,
      '--allow-natives-syntax',
      '--no-concurrent-recompilation',
      '--input-type=module',
      '-e',
      program,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(child.status, 0, child.stderr);
  return Number(child.stdout);
}

test('after optimiseLater a function runs many times longer before V8 optimises it', () => {
  const before = callsBeforeOptimised(false);
  const after = callsBeforeOptimised(true);
  assert.ok(before > 0 && before < 1000000, `optimised after ${before} calls by default`);
  assert.ok(after > 8 * before, `${after} calls with the budget raised, ${before} without`);
});
