import { beforeAll, describe, expect, it } from '@jest/globals';
import { CLOCK, REAL_CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { testEnv, useTestApp } from './app.factory.js';
import { runningStatus } from './builders/observed-status.js';
import { ScriptedStatusProvider, TestClock } from './live-helpers.js';
import { query } from './test-database.js';

// 12951 Mumbai Rajdhani leaves Mumbai Central at 17:00 IST; at 22:30 IST its run of the 24th is under way.
const NOW = new Date('2026-11-24T17:00:00Z');
// Ticks every 10 s (TRACKING_CRON's default); the real clock stands 4.2 s after one.
const REAL_NOW = new Date('2026-11-29T12:00:04.200Z');

describe('conditional GETs of live responses (issue #16)', () => {
  const feed = new ScriptedStatusProvider();
  const api = useTestApp(testEnv(), {
    override: (builder) =>
      builder
        .overrideProvider(TRAIN_STATUS_PROVIDER)
        .useValue(feed)
        .overrideProvider(CLOCK)
        .useValue(appClock)
        .overrideProvider(REAL_CLOCK)
        .useValue(realClock),
  });
  const realClock = new TestClock(REAL_NOW);
  const appClock = new TestClock(NOW);
  let trainId: string;
  const report = async (delayMinutes: number) => {
    feed.observations = [runningStatus({ trainId, trainNumber: '12951', serviceDate: '2026-11-24', lastStopSequence: 2, delayMinutes })];
    await api.app.get(TrackerService).tick();
  };

  beforeAll(async () => {
    [{ id: trainId }] = await query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`);
    await report(5);
  });

  const ROUTES = ['/api/v1/trains/12951/status?date=2026-11-24', '/api/v1/trains/12951/timeline?date=2026-11-24', '/api/v1/stations/KOTA/board?hours=6'];

  it.each(ROUTES)('%s carries a weak ETag and may be cached until the next tick', async (path) => {
    const response = await api.http.get(path).expect(200);
    expect(response.headers.etag).toMatch(/^W\/"[^"]+"$/);
    // The next firing of */10 * * * * * is at :10, 5.8 s away: whole seconds, never past it.
    expect(response.headers['cache-control']).toBe('public, max-age=5');
  });

  it.each(ROUTES)('%s answers 304 with no body to a client holding the current copy', async (path) => {
    const { headers } = await api.http.get(path).expect(200);
    const again = await api.http.get(path).set('If-None-Match', headers.etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(headers.etag);
    expect(again.headers['cache-control']).toBe('public, max-age=5');
  });

  it('gives a new ETag, and the new body, once the run changes', async () => {
    const path = ROUTES[0];
    const before = await api.http.get(path).expect(200);
    await report(25);
    const after = await api.http.get(path).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body).toMatchObject({ delayMinutes: 25, version: before.body.version + 1 });
  });

  it('gives a new ETag at the next tick, when the time-dependent parts (position, asOf) may have moved', async () => {
    const path = ROUTES[0];
    const before = await api.http.get(path).expect(200);
    realClock.at = new Date(REAL_NOW.getTime() + 10_000);
    try {
      const after = await api.http.get(path).set('If-None-Match', before.headers.etag).expect(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
    } finally {
      realClock.at = REAL_NOW;
    }
  });

  it('sends the same text again for a second of app time, then computes the view anew', async () => {
    const path = ROUTES[0];
    try {
      appClock.at = new Date(NOW.getTime() + 60_000);
      const first = await api.http.get(path).expect(200);
      expect(first.body.asOf).toBe(appClock.at.toISOString());
      appClock.at = new Date(NOW.getTime() + 60_999);
      expect((await api.http.get(path).expect(200)).text).toBe(first.text);
      appClock.at = new Date(NOW.getTime() + 61_000);
      const anew = await api.http.get(path).expect(200);
      expect(anew.body.asOf).toBe(appClock.at.toISOString());
      expect(anew.headers.etag).toBe(first.headers.etag);
    } finally {
      appClock.at = NOW;
    }
  });

  it('gives a new ETag when the app clock moves on a tick interval (a replay or demo clock), though the real one did not', async () => {
    const path = ROUTES[1];
    const before = await api.http.get(path).expect(200);
    const at = appClock.at;
    appClock.at = new Date(at.getTime() + 10_000);
    try {
      const after = await api.http.get(path).set('If-None-Match', before.headers.etag).expect(200);
      expect(after.headers.etag).not.toBe(before.headers.etag);
      expect(after.body.asOf).toBe(appClock.at.toISOString());
    } finally {
      appClock.at = at;
    }
  });

  it('does not answer 304 to a different copy', async () => {
    await api.http.get(ROUTES[0]).set('If-None-Match', 'W/"0.0.stale"').expect(200);
  });
});
