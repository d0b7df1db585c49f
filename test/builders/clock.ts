import type { Clock } from '../../src/common/clock/clock.js';

/** A clock the test sets (the app's CLOCK in e2e tests, a service's clock in unit tests). */
export class TestClock implements Clock {
  constructor(public at: Date) {}

  now(): Date {
    return new Date(this.at);
  }

  /** Moves the clock on by `ms`. */
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}
