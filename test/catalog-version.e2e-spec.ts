import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { CATALOG_RELOAD, type CatalogReloadPolicy, DEFAULT_CATALOG_RELOAD } from '../src/catalog/catalog-snapshot.js';
import { TimetableService } from '../src/routes/timetable.service.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { createTestApp, testEnv } from './app.factory.js';
import { bearer, login } from './auth-helpers.js';
import { waitFor } from './redis-process.js';
import { CATALOG_WRITES_DATABASE } from './test-database.js';

const uniqueNumber = () => String(100000 + Math.floor(Math.random() * 899999));
const uniqueCode = () => `Z${randomUUID().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 6)}`;
/** A name no station has: letters only, so that search finds it by every word. */
const uniqueName = () => `Halt ${randomUUID().replace(/[^a-z]/g, '').slice(0, 8)}`;

describe('catalog version across instances', () => {
  // Two instances on one database: A takes the admin's write, B only reads. B's reload clock is the test's.
  let a: INestApplication;
  let b: INestApplication;
  let bClockMs = 0;
  const bReload: CatalogReloadPolicy = { ...DEFAULT_CATALOG_RELOAD, now: () => bClockMs };
  let admin: string;

  beforeAll(async () => {
    const env = testEnv(CATALOG_WRITES_DATABASE);
    a = await createTestApp(env);
    b = await createTestApp(env, { override: (builder) => builder.overrideProvider(CATALOG_RELOAD).useValue(bReload) });
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    admin = bearer((await login({ http: request(a.getHttpServer()) }, email, 'admin-password-123')).accessToken);
  }, 60_000);

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const versionOf = async (app: INestApplication) => {
    const { body } = await request(app.getHttpServer()).get('/api/v1/catalog').expect(200);
    expect(body.version).toMatch(/^\d+$/);
    return BigInt(body.version as string);
  };

  it('shows the version each instance serves, and a write moves it', async () => {
    const before = await versionOf(a);
    await request(a.getHttpServer()).post('/api/v1/trains').set('authorization', admin).send({ number: uniqueNumber(), name: 'Version Express', type: 'EXPRESS', runsOn: ['MON'] }).expect(201);
    expect(await versionOf(a)).toBeGreaterThan(before);
  });

  it("a train added on one instance is in the other's timetable at its next version check, without a reload timer of a minute", async () => {
    const timetableOfB = b.get(TimetableService);
    await versionOf(b);
    const number = uniqueNumber();
    await request(a.getHttpServer()).post('/api/v1/trains').set('authorization', admin).send({ number, name: 'Seen Elsewhere', type: 'EXPRESS', runsOn: ['TUE'] }).expect(201);
    const written = await versionOf(a);

    // Until B's next check it serves what it loaded: its catalog is behind A's.
    expect(await timetableOfB.trainByNumber(number)).toBeUndefined();
    expect(await versionOf(b)).toBeLessThan(written);

    // One check interval later (seconds, not a minute) B reads the version, sees it moved, and reloads.
    expect(bReload.intervalMs).toBeLessThan(60_000);
    bClockMs += bReload.intervalMs;
    await versionOf(b);
    await waitFor(async () => (await timetableOfB.trainByNumber(number)) !== undefined, 10_000, 'B to reload the catalog');
    // Its station index reloaded on the same check: B now serves the version A wrote.
    await waitFor(async () => (await versionOf(b)) >= written, 10_000, 'B to serve the version A wrote');
  });

  it('a station renamed on one instance is found by its new name there at once, in its routes too, and on the other at its next version check', async () => {
    const http = (app: INestApplication) => request(app.getHttpServer());
    const [code, other] = [uniqueCode(), uniqueCode()];
    const [before, after] = [uniqueName(), uniqueName()];
    await http(a).post('/api/v1/stations').set('authorization', admin).send({ code, name: before, city: 'Testpur', state: 'Test' }).expect(201);
    await http(a).post('/api/v1/stations').set('authorization', admin).send({ code: other, name: 'Other Halt', city: 'Testpur', state: 'Test' }).expect(201);
    const number = uniqueNumber();
    await http(a).post('/api/v1/trains').set('authorization', admin).send({ number, name: 'Rename Express', type: 'EXPRESS', runsOn: ['MON'] }).expect(201);
    const stops = [
      { sequence: 1, stationCode: code, departure: { time: '08:00', day: 1 }, distanceKm: 0 },
      { sequence: 2, stationCode: other, arrival: { time: '09:00', day: 1 }, distanceKm: 50 },
    ];
    await http(a).put(`/api/v1/trains/${number}/route`).set('authorization', admin).send({ stops }).expect(200);
    const found = async (app: INestApplication, name: string) => (await http(app).get(`/api/v1/stations?q=${encodeURIComponent(name)}`).expect(200)).body.items.map((s: { code: string }) => s.code);
    bClockMs += bReload.intervalMs;
    await versionOf(b);
    await waitFor(async () => (await found(b, before)).includes(code), 10_000, 'B to load the new station');

    await http(a).patch(`/api/v1/stations/${code}`).set('authorization', admin).send({ name: after }).expect(200);
    expect(await found(a, after)).toEqual([code]);
    expect(await found(a, before)).toEqual([]);
    expect((await http(a).get(`/api/v1/trains/${number}/route`).expect(200)).body.stops[0].station).toEqual({ code, name: after });

    // B serves what it loaded until its next check, then the new name.
    expect(await found(b, after)).toEqual([]);
    expect((await http(b).get(`/api/v1/stations/${code}`).expect(200)).body.name).toBe(before);
    bClockMs += bReload.intervalMs;
    await versionOf(b);
    await waitFor(async () => (await found(b, after)).includes(code), 10_000, 'B to reload its station index');
    await waitFor(async () => (await http(b).get(`/api/v1/trains/${number}/route`).expect(200)).body.stops[0].station.name === after, 10_000, 'B to reload its timetable');
    expect(await found(b, before)).toEqual([]);
  });
});
