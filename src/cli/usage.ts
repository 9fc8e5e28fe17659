/** Usage errors: the command line itself is wrong. They exit 2; runtime failures exit 1. */
import { HotpapersError } from '../errors.js';

/** Exit codes of the CLI, as documented in `--help` and the README. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A flag or argument the command cannot run with (exit 2). */
export class UsageError extends HotpapersError {}
