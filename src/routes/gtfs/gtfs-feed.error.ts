import { RuleViolationError } from '../../common/errors/domain-errors.js';

/** One thing wrong with a feed, located as precisely as the feed allows. */
export interface GtfsProblem {
  /** e.g. `stop_times.txt`. */
  readonly file: string;
  /** 1-based line in that file (the header is line 1); null for a problem with the whole file. */
  readonly line: number | null;
  /** The column, e.g. `arrival_time`; null when no single field is at fault. */
  readonly field: string | null;
  readonly message: string;
}

/** `stop_times.txt line 17, arrival_time: …` */
export function formatGtfsProblem(problem: GtfsProblem): string {
  const where = [problem.file, problem.line === null ? null : `line ${problem.line}`].filter(Boolean).join(' ');
  return `${where}${problem.field ? `, ${problem.field}` : ''}: ${problem.message}`;
}

/**
 * A feed that cannot be imported as it is; `problems` lists every error found (up to a cap).
 * A rule violation (422) should a feed ever arrive over HTTP, not a server error.
 */
export class GtfsFeedError extends RuleViolationError {
  constructor(
    readonly problems: readonly GtfsProblem[],
    /** Errors found beyond the cap and not listed. */
    readonly omitted = 0,
  ) {
    const count = problems.length + omitted;
    const shown = problems.slice(0, 5).map((problem) => `\n  ${formatGtfsProblem(problem)}`).join('');
    const more = count > 5 ? `\n  … and ${count - 5} more` : '';
    super('GTFS_FEED_INVALID', `The GTFS feed has ${count} ${count === 1 ? 'error' : 'errors'}:${shown}${more}`);
  }
}

/** Collects errors and warnings while a feed is read, so one run reports them all. */
export class GtfsProblemLog {
  readonly errors: GtfsProblem[] = [];
  readonly warnings: GtfsProblem[] = [];
  omittedErrors = 0;
  omittedWarnings = 0;

  // A thoroughly broken file (a wrong file under a GTFS name) could yield a problem per row.
  constructor(private readonly max: number) {}

  error(file: string, line: number | null, field: string | null, message: string): void {
    if (this.errors.length < this.max) this.errors.push({ file, line, field, message });
    else this.omittedErrors++;
  }

  warn(file: string, line: number | null, field: string | null, message: string): void {
    if (this.warnings.length < this.max) this.warnings.push({ file, line, field, message });
    else this.omittedWarnings++;
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  throwIfErrors(): void {
    if (this.hasErrors) throw new GtfsFeedError(this.errors, this.omittedErrors);
  }
}
