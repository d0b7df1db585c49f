import { WEEKDAYS, type Weekday } from '../../trains/train-type.js';
import { isoDateOf, parseIsoDate, weekdayIndexOf } from './gtfs-date.js';
import type { GtfsService } from './gtfs-feed.model.js';

export interface CalendarRule {
  line: number;
  /** Monday first. */
  weekdays: readonly boolean[];
  /** Epoch days, inclusive. */
  start: number;
  end: number;
}

/**
 * A service's dates: calendar.txt's weekdays from start_date to end_date (inclusive), plus
 * calendar_dates.txt additions (exception_type 1), minus removals (2). Held as sorted epoch days.
 */
export class ExpandedService implements GtfsService {
  readonly calendar: GtfsService['calendar'];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  private readonly days: Int32Array;

  constructor(
    readonly id: string,
    readonly daysKnown: boolean,
    rule: CalendarRule | null,
    added: readonly number[],
    removed: readonly number[],
  ) {
    this.calendar = rule && {
      line: rule.line,
      runsOn: WEEKDAYS.filter((_, index) => rule.weekdays[index]) as Weekday[],
      startDate: isoDateOf(rule.start),
      endDate: isoDateOf(rule.end),
    };
    this.added = [...new Set(added)].sort((a, b) => a - b).map(isoDateOf);
    this.removed = [...new Set(removed)].sort((a, b) => a - b).map(isoDateOf);
    this.days = expandServiceDays(rule, added, removed);
  }

  get dateCount(): number {
    return this.days.length;
  }

  get firstDate(): string | null {
    return this.days.length ? isoDateOf(this.days[0]) : null;
  }

  get lastDate(): string | null {
    return this.days.length ? isoDateOf(this.days[this.days.length - 1]) : null;
  }

  dates(): string[] {
    return Array.from(this.days, isoDateOf);
  }

  runsOnDate(isoDate: string): boolean {
    const day = parseIsoDate(isoDate);
    let low = 0;
    let high = this.days.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.days[mid] === day) return true;
      if (this.days[mid] < day) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }
}

/** The sorted, distinct epoch days of a service. */
export function expandServiceDays(rule: Pick<CalendarRule, 'weekdays' | 'start' | 'end'> | null, added: readonly number[], removed: readonly number[]): Int32Array {
  const days = new Set<number>();
  if (rule) {
    for (let day = rule.start; day <= rule.end; day++) if (rule.weekdays[weekdayIndexOf(day)]) days.add(day);
  }
  for (const day of added) days.add(day);
  for (const day of removed) days.delete(day);
  return Int32Array.from(days).sort();
}
