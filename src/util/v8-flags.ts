/**
 * V8 flags set while the process runs (the interrupt budget, the heap's growth), each under a
 * short name. V8 checks a code cache against every flag in force, so a cache is kept per list of
 * names (runtimeProfile): a full site build and an incremental one, which set different flags,
 * each find their own.
 */
import { setFlagsFromString } from 'node:v8';

const names = new Set<string>();

/** Set V8 `flags` now, under `name` (process-wide; once per name). */
export function setFlagsOnce(name: string, flags: string): void {
  if (names.has(name)) return;
  setFlags(name, flags);
}

/** Set V8 `flags` now, under `name`, even when set before (a flag V8 itself may have changed since). */
export function setFlags(name: string, flags: string): void {
  names.add(name);
  setFlagsFromString(flags);
}

/**
 * The names of the flags set so far, in the order set (V8 took data made after the same flags
 * set in another order as foreign), joined by '+'; 'default' when none.
 */
export function runtimeProfile(): string {
  return names.size === 0 ? 'default' : [...names].join('+');
}
