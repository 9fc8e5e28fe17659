/**
 * The bench's goal summary: each part's goals reach the parent through the file it names, as
 * they were reported, and the summary says which are met and how many.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { GOALS_FILE, goalSummary, readGoals } from '../../bench/goals.js';

const dir = mkdtempSync(join(tmpdir(), 'hotpapers-goals-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const GOALS = fileURLToPath(new URL('../../bench/goals.ts', import.meta.url));

/** Report `goals` from a process of their own, as a bench part does; what it printed. */
function reportFromChild(file: string, goals: unknown[]): string {
  const program = `
    const { reportGoal } = await import(${JSON.stringify(GOALS)});
    for (const g of ${JSON.stringify(goals)}) reportGoal(g);`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    encoding: 'utf8',
    env: { ...process.env, [GOALS_FILE]: file },
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test('goals reported by two parts reach the summary in order, met or not', () => {
  const file = join(dir, 'two-parts.jsonl');
  const cpu = { part: 'pipeline', goal: 'a big day, CPU', target: '< 1 s', figure: '1.46 s', met: false };
  const page = { part: 'pages', goal: 'a day page', target: '≤ 100 KB', figure: '97.1 KB', met: true };
  const printed = reportFromChild(file, [cpu]);
  reportFromChild(file, [page]);
  assert.match(printed, /goal: a big day, CPU: 1\.46 s \(goal < 1 s\): NOT met/);
  assert.deepEqual(readGoals(file), [cpu, page]);
  const summary = goalSummary(readGoals(file));
  assert.equal(summary.length, 3);
  assert.match(summary[0]!, /^ {2}NOT met {2}a big day, CPU: 1\.46 s \(goal < 1 s\) \[pipeline\]$/);
  assert.match(summary[1]!, /^ {2}met {6}a day page: 97\.1 KB \(goal ≤ 100 KB\) \[pages\]$/);
  assert.equal(summary[2], '1 of 2 goals met');
});

test('without the variable a goal is printed only; no file, no goals', () => {
  const program = `
    const { reportGoal } = await import(${JSON.stringify(GOALS)});
    reportGoal({ part: 'x', goal: 'requests', target: '≤ 50', figure: '40', met: true });`;
  const env = { ...process.env };
  delete env[GOALS_FILE];
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', program], {
    encoding: 'utf8',
    env,
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /goal: requests: 40 \(goal ≤ 50\): met/);
  assert.deepEqual(readGoals(join(dir, 'none.jsonl')), []);
  assert.deepEqual(goalSummary([]), ['no goal was measured']);
});

test('a goals file with a line that does not parse is an error naming the line', () => {
  const file = join(dir, 'broken.jsonl');
  writeFileSync(file, '{"part":"x","goal":"g","target":"t","figure":"f","met":true}\n{"part":\n');
  assert.throws(() => readGoals(file), /line 2 of the goals file does not parse/);
});
