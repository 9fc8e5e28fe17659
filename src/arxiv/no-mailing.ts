/** The "no mailing" error on its own, so that catching it does not load the catchup reader (cheerio). */
import { HotpapersError } from '../errors.js';

/** arXiv had no mailing on the day asked for (a holiday, or a deferred mailing). */
export class NoMailingError extends HotpapersError {
  readonly day: string;
  constructor(day: string, detail: string) {
    super('arxiv', `no mailing on ${day} (${detail})`);
    this.day = day;
  }
}

/** Whether an error line (as `userErrorLine` gives it, as a run's row keeps it) is a NoMailingError's. */
export function isNoMailingLine(line: string | null): boolean {
  return line !== null && /no mailing on \d{4}-\d{2}-\d{2}/.test(line);
}
