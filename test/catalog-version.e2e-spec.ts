import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DEFAULT_TIMETABLE_RELOAD, TIMETABLE_RELOAD, TimetableService, type TimetableReloadPolicy } from '../src/routes/timetable.service.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { createTestApp, testEnv } from './app.factory.js';
import { bearer, login } from './auth-helpers.js';
import { waitFor } from './redis-process.js';
import { CATALOG_WRITES_DATABASE } from './test-database.js';

const uniqueNumber = () => String(100000 + Math.floor(Math.random() * 899999));

describe('catalog version across instances', () => {
  // Two instances on one database: A takes the admin's write, B only reads. B's reload clock is the test's.
  let a: INestApplication;
  let b: INestApplication;
  let bClockMs = 0;
  const bReload: TimetableReloadPolicy = { ...DEFAULT_TIMETABLE_RELOAD, now: () => bClockMs };
  let admin: string;

  beforeAll(async () => {
    const env = testEnv(CATALOG_WRITES_DATABASE);
    a = await createTestApp(env);
    b = await createTestApp(env, { override: (builder) => builder.overrideProvider(TIMETABLE_RELOAD).useValue(bReload) });
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
    expect(await versionOf(b)).toBeGreaterThanOrEqual(written);
  });
});
