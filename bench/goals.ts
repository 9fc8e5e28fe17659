/**
 * The goals of issue 9 and DESIGN §9 as the bench's parts measure them. Each part reports the
 * figure of each of its goals through `reportGoal`, which prints it at once and, in a part run by
 * `npm run bench`, records it in a file the parent names (GOALS_FILE): once every part has run,
 * the parent prints them all together, met or not, so a run ends with the state of every goal.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/** Environment variable naming the file the parts append their goals to (one JSON object a line). */
export const GOALS_FILE = 'HOTPAPERS_BENCH_GOALS';

/**
 * The largest ratio of a cost at a larger history to the same at a smaller one that still counts
 * as not growing: on this shared machine one build's CPU moves by ±10–30% from run to run, and
 * the same new day's ratio between two stores spreads over ±8%, so a goal of 1.00 is judged
 * within 5%.
 */
export const FLAT = 1.05;

/** One goal as measured: what it is, its target, the figure, whether the figure meets it. */
export interface GoalFigure {
  /** The part that measured it (`npm run bench -- PART`). */
  part: string;
  /** What is measured, in a few words. */
  goal: string;
  /** The target as the issue states it (`≤ 0.1×`, `< 300 MB`). */
  target: string;
  /** The figure measured, with its unit. */
  figure: string;
  met: boolean;
}

/** Print a goal's figure and whether it is met; record it for the summary when a parent asked for one. */
export function reportGoal(g: GoalFigure): void {
  console.log(`  goal: ${g.goal}: ${g.figure} (goal ${g.target}): ${g.met ? 'met' : 'NOT met'}`);
  const file = process.env[GOALS_FILE];
  if (file) appendFileSync(file, `${JSON.stringify(g)}\n`);
}

/** The goals recorded in `file` (none when it does not exist); a line that does not parse is an error. */
export function readGoals(file: string): GoalFigure[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as GoalFigure;
      } catch {
        throw new Error(`bench: line ${i + 1} of the goals file does not parse: ${line.slice(0, 80)}`);
      }
    });
}

/** The summary's lines: one per goal, then how many are met. */
export function goalSummary(goals: readonly GoalFigure[]): string[] {
  if (goals.length === 0) return ['no goal was measured'];
  const lines = goals.map(
    (g) => `  ${g.met ? 'met    ' : 'NOT met'}  ${g.goal}: ${g.figure} (goal ${g.target}) [${g.part}]`,
  );
  const met = goals.filter((g) => g.met).length;
  lines.push(`${met} of ${goals.length} goals met`);
  return lines;
}
