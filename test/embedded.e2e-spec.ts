import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { CLOCK, REAL_CLOCK } from '../src/common/clock/clock.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { createTestApp, embeddedEnv } from './app.factory.js';
import { demo } from './demo-data.js';
import { TestClock } from './live-helpers.js';

describe('embedded mode (no DATABASE_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'train-tracker-embedded-'));
  let app: INestApplication;
  // Real time as sessions see it, moved past the refresh grace period (10 s) by hand.
  const realClock = new TestClock(new Date());

  beforeAll(async () => {
    app = await createTestApp(
      { ...embeddedEnv(dataDir), CATALOG_WHEN_EMPTY: 'demo' },
      // Time stands still at 19:30 in India, when many demo trains are on their way: the
      // simulator moves trains by the clock, so with the real one a train could reach a station
      // between the two ticks below, and which runs exist would depend on the hour.
      {
        override: (builder) =>
          builder.overrideProvider(CLOCK).useValue(new TestClock(new Date('2026-11-24T14:00:00Z'))).overrideProvider(REAL_CLOCK).useValue(realClock),
      },
    );
  }, 180_000); // PGlite (WebAssembly) migrating and seeding, then both in-memory copies loaded before listening, beside other suites on 2 cores
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates an embedded PostgreSQL under DATA_DIR and loads the demo data', async () => {
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
    const http = request(app.getHttpServer());
    const stations = await http.get('/api/v1/stations?limit=1').expect(200);
    expect(stations.body.total).toBe(demo.stations.length);
    const trains = await http.get('/api/v1/trains?limit=1').expect(200);
    expect(trains.body.total).toBe(demo.trains.length);
  });

  it('serves the same queries as the PostgreSQL server', async () => {
    const http = request(app.getHttpServer());
    const { body } = await http.get('/api/v1/trains/between?from=MMCT&to=NDLS&date=2026-11-24').expect(200);
    expect(body.map((c: { number: string }) => c.number)).toContain('12951');
    const route = await http.get('/api/v1/trains/12951/route').expect(200);
    expect(route.body.stops[0].station.code).toBe('MMCT');
    await http.get('/api/v1/stations?q=mumbai').expect(200);
  });

  it('searches stations with pg_trgm (typos, aliases) and finds them near a point', async () => {
    const http = request(app.getHttpServer());
    const codes = (body: { items: Array<{ code: string }> }) => body.items.map((s) => s.code);
    const bengaluru = demo.stations.filter((s) => s.city === 'Bengaluru').map((s) => s.code);
    const alias = await http.get('/api/v1/stations?q=bangalore').expect(200);
    expect(codes(alias.body).sort()).toEqual(bengaluru.sort());
    const typo = await http.get('/api/v1/stations?q=hydrabad').expect(200);
    expect(codes(typo.body)[0]).toBe('HYB');
    expect(codes((await http.get('/api/v1/stations?q=cstm').expect(200)).body)).toEqual(['CSMT']);
    const ndls = demo.stations.find((s) => s.code === 'NDLS')!;
    const nearby = await http.get(`/api/v1/stations/nearby?lat=${ndls.latitude}&lon=${ndls.longitude}&radiusKm=3`).expect(200);
    expect(codes(nearby.body)).toEqual(['NDLS', 'DLI']);
    expect(nearby.body.items[0].distanceKm).toBe(0);
  });

  it('runs the tracker, accounts and notifications on the embedded database (no Redis)', async () => {
    const http = request(app.getHttpServer());
    const tracker = app.get(TrackerService);
    const first = await tracker.tick();
    expect(first).toMatchObject({ ran: true, comparedWith: 'cache' });
    expect(first.written).toBeGreaterThan(0);
    expect(first.written).toBe(first.changed);
    expect(await tracker.tick()).toMatchObject({ changed: 0, written: 0 });

    const register = await http
      .post('/api/v1/auth/register')
      .send({ email: 'embedded@example.com', password: 'embedded-password', displayName: 'Embedded' })
      .expect(201);
    // The signing key was generated into DATA_DIR.
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
    const token = `Bearer ${register.body.accessToken}`;
    await http.put('/api/v1/me/favorites/12951').set('authorization', token).expect(201);
    const favorites = await http.get('/api/v1/me/favorites').set('authorization', token).expect(200);
    // The run under way at the clock's 19:30, as the first tick stored it.
    expect(favorites.body[0].status).toMatchObject({ train: { number: '12951' }, serviceDate: '2026-11-24', state: 'RUNNING' });
    const refreshed = await http.post('/api/v1/auth/refresh').send({ refreshToken: register.body.refreshToken }).expect(200);
    // Within the grace period the same token gets the same successor; after it, it is reuse.
    const again = await http.post('/api/v1/auth/refresh').send({ refreshToken: register.body.refreshToken }).expect(200);
    expect(again.body.refreshToken).toBe(refreshed.body.refreshToken);
    realClock.at = new Date(realClock.at.getTime() + 10_000);
    await http.post('/api/v1/auth/refresh').send({ refreshToken: register.body.refreshToken }).expect(401);
    await http.post('/api/v1/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(401);
  });
});
