// The bench's simulated clock, and the one place the bench borrows the app's rule for which run
// of a train is "the current one" (currentServiceDate). What the simulator and the status
// endpoint show depends on the time; with the real clock a section could find no run of the
// train it measured at some hours (12951 is not under way from about 09:30 to 15:00 IST). Every
// app the bench starts shares one clock instead: simulated time starts at BENCH_CLOCK_START when
// the bench starts and runs at real speed, whatever the hour the bench is run at.
//
// BENCH_CLOCK_START (ISO 8601 with an offset, as CLOCK_START) picks another instant, e.g.
// BENCH_CLOCK_START=2026-11-24T10:00:00+05:30 npm run bench -- --quick.

const { currentServiceDate } = await import('../dist/src/live/run-window.js');
const { validateEnv } = await import('../dist/src/config/env.validation.js');
const { loadDemoData } = await import('../dist/src/database/seed/demo-data.js');
const { weeklyCalendar } = await import('../dist/src/routes/service-calendar.js');
const { INDIAN_TIME_ZONE } = await import('../dist/src/trains/service-time.js');

export { currentServiceDate };

/**
 * 01:00 IST on Tuesday 24 Nov 2026: the overnight expresses (12951 among them, the train whose
 * status the status endpoint section prefers) are under way, and no train's current run changes
 * for the next four hours.
 */
const DEFAULT_CLOCK_START = '2026-11-24T01:00:00+05:30';

export const BENCH_CLOCK_START = process.env.BENCH_CLOCK_START ?? DEFAULT_CLOCK_START;
/** The real instant the bench's simulated clock shows BENCH_CLOCK_START: when the bench started. */
const epoch = Date.now();

/** Environment of every app the bench starts: one simulated clock for them all. */
export const clockEnv = () => ({ CLOCK_START: BENCH_CLOCK_START, SIMULATION_SPEED: '1', SIMULATION_EPOCH_MS: String(epoch) });

/**
 * Stops the bench before it starts when BENCH_CLOCK_START is not an instant the app accepts, or
 * when some train's current run would change while the bench runs (a section would then see a
 * train switch to another run mid-measurement). The bench's trains are the demo trains and
 * copies of their timetables, so checking the demo timetables covers them all.
 * @param {number} minutes how long the bench may run
 */
export function checkBenchClock(minutes) {
  try {
    validateEnv({ CLOCK_START: BENCH_CLOCK_START });
  } catch (error) {
    throw new Error(`BENCH_CLOCK_START: ${error.message}`);
  }
  const start = new Date(BENCH_CLOCK_START);
  const end = new Date(start.getTime() + minutes * 60_000);
  for (const train of loadDemoData().trains) {
    const timetable = {
      train: { timeZone: INDIAN_TIME_ZONE },
      patterns: [{ pattern: weeklyCalendar(train.runsOn), stops: train.stops }],
    };
    for (let at = start; at <= end; at = new Date(at.getTime() + 60_000)) {
      if (currentServiceDate(timetable, at) !== currentServiceDate(timetable, start)) {
        throw new Error(
          `BENCH_CLOCK_START=${BENCH_CLOCK_START}: the current run of ${train.number} changes at ${at.toISOString()}, within the ${minutes} min the bench may take; pick another instant`,
        );
      }
    }
  }
}
