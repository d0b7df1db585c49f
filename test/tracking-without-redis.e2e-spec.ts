import { describe, expect, it } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { testEnv, useTestApp } from './app.factory.js';
import { registerUser } from './auth-helpers.js';
import { TestClock } from './live-helpers.js';
import { query } from './test-database.js';

// 19:30 in India: many demo trains are on their way.
const clock = new TestClock(new Date('2026-11-25T14:00:00Z'));

describe('tracking with the simulator while Redis is unreachable', () => {
  // Port 1 refuses connections at once: the cache and rate-limit store are both down.
  const api = useTestApp(
    { ...testEnv('train_tracker_test_no_redis'), REDIS_URL: 'redis://127.0.0.1:1', CACHE_TIMEOUT_MS: '200' },
    { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
  );
  const tick = () => api.app.get(TrackerService).tick();
  const runs = async () => (await query<{ count: number }>('SELECT count(*)::int AS count FROM train_runs'))[0].count;

  it('ticks against PostgreSQL: writes the runs the simulator moves, then nothing until something changes', async () => {
    const first = await tick();
    expect(first).toMatchObject({ ran: true, comparedWith: 'database' });
    expect(first.observed).toBeGreaterThan(0);
    expect(first.written).toBe(first.changed);
    expect(await runs()).toBe(first.written);

    const again = await tick();
    expect(again).toMatchObject({ ran: true, observed: first.observed, changed: 0, written: 0, comparedWith: 'database' });

    clock.at = new Date(clock.at.getTime() + 3 * 3_600_000);
    const later = await tick();
    expect(later.changed).toBeGreaterThan(0);
    const history = await query<{ count: number }>('SELECT count(*)::int AS count FROM train_run_events');
    expect(history[0].count).toBe(first.written + later.written);
  });

  it('keeps serving live status and sign-ups', async () => {
    const [running] = await query<{ number: string; service_date: string }>(
      `SELECT t.number, to_char(r.service_date, 'YYYY-MM-DD') AS service_date FROM train_runs r JOIN trains t ON t.id = r.train_id
       WHERE r.phase = 'RUNNING' ORDER BY t.number LIMIT 1`,
    );
    const { body } = await api.http.get(`/api/v1/trains/${running.number}/status?date=${running.service_date}`).expect(200);
    expect(body).toMatchObject({ state: 'RUNNING', version: expect.any(Number) });
    expect(body.version).toBeGreaterThan(0);
    expect(body.position).toEqual({ latitude: expect.any(Number), longitude: expect.any(Number) });
    await registerUser(api);
  });

  it('does not let overlapping ticks run: a tick requested during another is skipped', async () => {
    const tracker = api.app.get(TrackerService);
    const [a, b] = await Promise.all([tracker.tick(), tracker.tick()]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
  });
});
