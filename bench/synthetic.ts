/** What the synthetic archives of the site and search benches share. */
import { previousMailing } from '../src/arxiv/schedule.js';

/** Categories of the synthetic papers, most active first. */
export const SYNTHETIC_CATEGORIES = [
  'cs.LG',
  'cs.CL',
  'cs.CV',
  'cs.AI',
  'stat.ML',
  'cs.RO',
  'cs.CR',
  'cs.IR',
  'cs.NE',
  'cs.DS',
  'cs.SE',
  'cs.HC',
] as const;

/** `n` mailing days (Mon–Fri) going back from `newest` (a mailing day), newest first. */
export function mailingDaysBack(newest: string, n: number): string[] {
  const out = n > 0 ? [newest] : [];
  while (out.length < n) out.push(previousMailing(out[out.length - 1]!));
  return out;
}
