import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { Metrics } from '../src/common/observability/metrics.js';
import { RoutesRepository } from '../src/routes/routes.repository.js';
import { StationsRepository } from '../src/stations/stations.repository.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { createTestApp, embeddedEnv } from './app.factory.js';
import { TestClock } from './live-helpers.js';

/**
 * `npm start` on a fresh machine (issue #12, part 4): no DATABASE_URL, an empty DATA_DIR and no
 * CATALOG_WHEN_EMPTY, so the app imports catalog/india/gtfs.zip into the embedded database before
 * it listens. Expected values are those of the feed's files (trips.txt, stop_times.txt, stops.txt).
 */
describe('embedded mode on a fresh machine: the Indian Railways timetable', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'train-tracker-india-'));
  // 19:30 in India on a Tuesday: 12951 left Mumbai Central at 17:00 and is on its way.
  const clock = new TestClock(new Date('2026-11-24T14:00:00Z'));
  let app: INestApplication;

  beforeAll(async () => {
    app = await createTestApp(
      embeddedEnv(dataDir),
      { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
    );
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // First, before any request: it proves what the app has done by the time main.ts listens.
  it('has the timetable and the station index in memory once app.init() resolves: the first requests load neither', async () => {
    const metrics = app.get(Metrics);
    const loaded = async (counter: typeof metrics.timetableReloads) => (await counter.get()).values.find(({ labels }) => labels.outcome === 'ok')?.value;
    // Each loaded once during init, after the import (a load before it would have been loaded again).
    expect(await loaded(metrics.timetableReloads)).toBe(1);
    expect(await loaded(metrics.stationIndexReloads)).toBe(1);
    const timetableRows = jest.spyOn(app.get(RoutesRepository), 'timetableRows');
    const stationRows = jest.spyOn(app.get(StationsRepository), 'all');
    try {
      const http = request(app.getHttpServer());
      expect((await http.get('/api/v1/stations/NDLS').expect(200)).body).toMatchObject({ code: 'NDLS' });
      expect((await http.get('/api/v1/trains/12951/route').expect(200)).body.stops).toHaveLength(8);
      expect(timetableRows).not.toHaveBeenCalled();
      expect(stationRows).not.toHaveBeenCalled();
      expect(await loaded(metrics.timetableReloads)).toBe(1);
      expect(await loaded(metrics.stationIndexReloads)).toBe(1);
    } finally {
      timetableRows.mockRestore();
      stationRows.mockRestore();
    }
  });

  it('loads every train and station of the feed', async () => {
    const http = request(app.getHttpServer());
    expect((await http.get('/api/v1/trains?limit=1').expect(200)).body.total).toBe(11_112);
    expect((await http.get('/api/v1/stations?limit=1').expect(200)).body.total).toBe(8_148);
  });

  it('serves 12951 from Mumbai Central to New Delhi with the feed’s times, its days unknown', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/v1/trains/12951').expect(200);
    expect(body).toMatchObject({
      number: '12951',
      runsOn: [],
      daysKnown: false,
      timeZone: 'Asia/Kolkata',
      origin: { code: 'BCT', name: 'Mumbai Central' },
      destination: { code: 'NDLS', name: 'New Delhi' },
      // stop_times.txt: 17:00:00 at BCT, 32:35:00 (08:35 the next day) at NDLS, 1,373 km.
      departure: { time: '17:00', day: 1, dayOffset: 0 },
      arrival: { time: '08:35', day: 2, dayOffset: 1 },
      distanceKm: 1373,
      durationMinutes: 15 * 60 + 35,
      stopCount: 8,
    });
  });

  it('keeps the days the running-days file gave (10103: RUNS_DAILY)', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/v1/trains/10103').expect(200);
    expect(body).toMatchObject({ daysKnown: true, runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] });
  });

  it('serves station NDLS with its DataMeet name and position', async () => {
    const { body } = await request(app.getHttpServer()).get('/api/v1/stations/NDLS').expect(200);
    expect(body).toMatchObject({ code: 'NDLS', name: 'New Delhi', latitude: 28.642314, longitude: 77.220004 });
  });

  it('moves the trains with the simulator, those of unknown days running daily', async () => {
    const http = request(app.getHttpServer());
    const tracker = app.get(TrackerService);
    const first = await tracker.tick();
    expect(first).toMatchObject({ ran: true });
    // Thousands of Indian trains are under way at any hour.
    expect(first.written).toBeGreaterThan(1000);
    const before = (await http.get('/api/v1/trains/12951/status?date=2026-11-24').expect(200)).body;
    expect(before).toMatchObject({ serviceDate: '2026-11-24', state: 'RUNNING' });

    clock.advance(60 * 60_000);
    const second = await tracker.tick();
    expect(second.changed).toBeGreaterThan(0);
    const after = (await http.get('/api/v1/trains/12951/status?date=2026-11-24').expect(200)).body;
    expect(after.state).toBe('RUNNING');
    expect(after).not.toEqual(before);
  }, 180_000);
});
