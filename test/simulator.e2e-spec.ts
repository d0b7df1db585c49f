import { describe, expect, it } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, registerUser } from './auth-helpers.js';
import { trainData } from './demo-data.js';
import { TestClock } from './live-helpers.js';
import { query } from './test-database.js';

/**
 * The app with its default status provider, the simulator, on a clock the test sets: what a
 * demo does, without waiting for trains to move.
 */
describe('the simulated feed', () => {
  const clock = new TestClock(new Date('2026-11-24T12:00:00Z'));
  const api = useTestApp(testEnv('train_tracker_test_simulator'), { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });
  const tick = () => api.app.get(TrackerService).tick();
  const status = async (number: string, date: string) => (await api.http.get(`/api/v1/trains/${number}/status?date=${date}`).expect(200)).body;

  it('never moves a run backwards when simulated time restarts earlier (defect b)', async () => {
    // 12951 of Tuesday 2026-11-24 leaves Mumbai at 17:00 and is due in New Delhi at 08:32 the
    // next day; the simulator's delays are capped at 300 min, so by 14:20 on the 25th it has arrived.
    const follower = await registerUser(api);
    await api.http.put('/api/v1/me/favorites/12951').set('authorization', bearer(follower.body.accessToken)).expect(201);
    clock.at = new Date('2026-11-25T08:50:00Z');
    await tick();
    const arrived = await status('12951', '2026-11-24');
    expect(arrived).toMatchObject({ state: 'ARRIVED', realtime: true });

    // A restarted demo whose simulated time starts from the evening before: the simulator now
    // sees the run between Mumbai and Vadodara.
    clock.at = new Date('2026-11-24T13:00:00Z');
    await tick();
    expect(await status('12951', '2026-11-24')).toMatchObject({ state: 'ARRIVED', version: arrived.version });
    const types = await query<{ type: string }>(
      `SELECT n.type FROM notifications n JOIN trains t ON t.id = n.train_id WHERE n.user_id = $1 AND t.number = '12951' AND n.run_date = '2026-11-24' ORDER BY n.created_at`,
      [follower.body.user.id],
    );
    expect(types.map((row) => row.type)).not.toContain('DEPARTED');
    expect(types.map((row) => row.type)).toContain('ARRIVED');
    const history = await query<{ phase: string }>(
      `SELECT e.phase FROM train_run_events e JOIN train_runs r ON r.id = e.run_id JOIN trains t ON t.id = r.train_id
        WHERE t.number = '12951' AND r.service_date = '2026-11-24' ORDER BY e.version`,
    );
    expect(history.map((row) => row.phase)).toEqual(['ARRIVED']);
  });

  it('fills in the actual times of every stop passed before the first tick (defect e)', async () => {
    // 12951 of 2026-11-26, first seen at 06:30 on the 27th, well on its way to New Delhi.
    clock.at = new Date('2026-11-27T01:00:00Z');
    await tick();
    const { body } = await api.http.get('/api/v1/trains/12951/timeline?date=2026-11-26').expect(200);
    const passed = body.stops.filter((stop: { status: string }) => stop.status === 'PASSED');
    expect(passed.length).toBeGreaterThanOrEqual(2);
    expect(passed.length).toBeLessThan(trainData('12951').stops.length);
    for (const stop of passed) {
      expect(stop.actualTimes).toBe('RECORDED');
      expect(stop.actualDeparture).toEqual(expect.any(String));
      if (stop.sequence > 1) expect(stop.actualArrival).toEqual(expect.any(String));
      // Actual times are the timetable's plus the simulated delay: never early, never in the future.
      expect(Date.parse(stop.actualDeparture)).toBeGreaterThanOrEqual(Date.parse(stop.scheduledDeparture));
      expect(Date.parse(stop.actualDeparture)).toBeLessThanOrEqual(clock.at.getTime());
    }
  });
});
