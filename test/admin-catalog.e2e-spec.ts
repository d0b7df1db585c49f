import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, registerUser } from './auth-helpers.js';
import { CATALOG_WRITES_DATABASE, query } from './test-database.js';

/** A station code and train number no other test file uses. */
const uniqueCode = () => `Z${randomUUID().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 6)}`;
const uniqueNumber = () => String(100000 + Math.floor(Math.random() * 899999));

const route = (from: string, to: string) => ({
  stops: [
    { sequence: 1, stationCode: from, departure: { time: '22:00', day: 1 }, distanceKm: 0, platform: '1' },
    { sequence: 2, stationCode: 'NDLS', arrival: { time: '23:50', day: 1 }, departure: { time: '00:05', day: 2 }, distanceKm: 150 },
    { sequence: 3, stationCode: to, arrival: { time: '06:30', day: 2 }, distanceKm: 600 },
  ],
});

describe('admin catalog writes', () => {
  // Adds stations and trains: its own database keeps the catalog read tests exact.
  const api = useTestApp(testEnv(CATALOG_WRITES_DATABASE));
  let admin: string;
  let user: string;

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@example.com`;
    const lines = await createAdmin([email, '--password', 'admin-password-123']);
    expect(lines).toEqual([`Created admin ${email}`]);
    admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    user = bearer((await registerUser(api)).body.accessToken);
  });

  describe('create-admin command', () => {
    it('creates an admin with a generated password printed once, and promotes an existing user', async () => {
      const email = `ops-${randomUUID()}@example.com`;
      const [created, password] = await createAdmin([email]);
      expect(created).toBe(`Created admin ${email}`);
      const generated = /^Password \(shown once, store it now\): (\S{20,})$/.exec(password)![1];
      expect((await login(api, email, generated)).user.role).toBe('admin');

      const existing = await registerUser(api);
      expect(await createAdmin([existing.email.toUpperCase()])).toEqual([`Promoted ${existing.email} to admin (password unchanged)`]);
      expect((await login(api, existing.email, existing.password)).user.role).toBe('admin');
    });

    it('refuses a missing or malformed email and a short password', async () => {
      await expect(createAdmin([])).rejects.toThrow(/Usage/);
      await expect(createAdmin(['not-an-email'])).rejects.toThrow(/Usage/);
      await expect(createAdmin([`x-${randomUUID()}@example.com`, '--password', 'short'])).rejects.toThrow(/8-128/);
    });
  });

  describe('permissions', () => {
    const writes = () => [
      api.http.post('/api/v1/stations').send({ code: 'ZZQ', name: 'X', city: 'X', state: 'X' }),
      api.http.patch('/api/v1/stations/NDLS').send({ name: 'X' }),
      api.http.delete('/api/v1/stations/NDLS'),
      api.http.post('/api/v1/trains').send({ number: '99990', name: 'X', type: 'EXPRESS', runsOn: ['MON'] }),
      api.http.patch('/api/v1/trains/12951').send({ name: 'X' }),
      api.http.delete('/api/v1/trains/12951'),
      api.http.put('/api/v1/trains/12951/route').send(route('MMCT', 'HWH')),
    ];

    it('refuses anonymous writes with 401', async () => {
      for (const request of writes()) expect((await request).status).toBe(401);
    });

    it('refuses writes by a non-admin with 403 and changes nothing', async () => {
      for (const request of writes()) {
        const response = await request.set('authorization', user);
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      }
      const [train] = await query<{ name: string }>('SELECT name FROM trains WHERE number = $1', ['12951']);
      expect(train.name).not.toBe('X');
    });
  });

  describe('stations', () => {
    it('creates, changes and deletes a station', async () => {
      const code = uniqueCode();
      const created = await api.http
        .post('/api/v1/stations')
        .set('authorization', admin)
        .send({ code: code.toLowerCase(), name: ' Test Halt ', city: 'Testpur', state: 'Test Pradesh', latitude: 21.5, longitude: 79.1 })
        .expect(201);
      expect(created.body).toEqual({ code, name: 'Test Halt', city: 'Testpur', state: 'Test Pradesh', latitude: 21.5, longitude: 79.1 });
      await api.http.post('/api/v1/stations').set('authorization', admin).send({ code, name: 'Again', city: 'X', state: 'X' }).expect(409);

      const changed = await api.http.patch(`/api/v1/stations/${code}`).set('authorization', admin).send({ name: 'Test Junction', latitude: null }).expect(200);
      expect(changed.body).toMatchObject({ code, name: 'Test Junction', latitude: null, longitude: 79.1 });
      expect((await api.http.get(`/api/v1/stations/${code}`).expect(200)).body.name).toBe('Test Junction');

      await api.http.delete(`/api/v1/stations/${code}`).set('authorization', admin).expect(204);
      await api.http.get(`/api/v1/stations/${code}`).expect(404);
      await api.http.delete(`/api/v1/stations/${code}`).set('authorization', admin).expect(404);
    });

    it('validates station input and refuses to change the code', async () => {
      const { body } = await api.http
        .post('/api/v1/stations')
        .set('authorization', admin)
        .send({ code: 'bad code', name: '', city: 'X', state: 'X', latitude: 91 })
        .expect(400);
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'latitude', 'name']);
      await api.http.patch('/api/v1/stations/NDLS').set('authorization', admin).send({ code: 'NEWC' }).expect(400);
    });

    it('will not delete a station trains still call at (409)', async () => {
      const { body } = await api.http.delete('/api/v1/stations/NDLS').set('authorization', admin).expect(409);
      expect(body.code).toBe('STATION_IN_USE');
      await api.http.get('/api/v1/stations/NDLS').expect(200);
    });
  });

  describe('trains and routes', () => {
    it('creates a train, gives it a route, changes and deletes it', async () => {
      const number = uniqueNumber();
      const created = await api.http
        .post('/api/v1/trains')
        .set('authorization', admin)
        .send({ number, name: 'Test Express', type: 'SUPERFAST', runsOn: ['SUN', 'MON'] })
        .expect(201);
      expect(created.body).toMatchObject({ number, name: 'Test Express', type: 'SUPERFAST', runsOn: ['MON', 'SUN'], origin: null, stopCount: 0 });
      await api.http.post('/api/v1/trains').set('authorization', admin).send({ number, name: 'Dup', type: 'EXPRESS', runsOn: ['MON'] }).expect(409);

      // Asked before the route exists (the answer is kept for the catalog version), then after each change.
      const numbersBetween = async () => (await api.http.get('/api/v1/trains/between?from=NDLS&to=HWH').expect(200)).body.map((c: { number: string }) => c.number);
      expect(await numbersBetween()).not.toContain(number);
      const replaced = await api.http.put(`/api/v1/trains/${number}/route`).set('authorization', admin).send(route('MMCT', 'HWH')).expect(200);
      expect(replaced.body.stops.map((s: { station: { code: string } }) => s.station.code)).toEqual(['MMCT', 'NDLS', 'HWH']);
      expect(replaced.body.stops[1]).toMatchObject({ arrival: { time: '23:50', day: 1 }, departure: { time: '00:05', day: 2 }, haltMinutes: 15 });

      const detail = await api.http.get(`/api/v1/trains/${number}`).expect(200);
      expect(detail.body).toMatchObject({ origin: { code: 'MMCT' }, destination: { code: 'HWH' }, distanceKm: 600, durationMinutes: 510, stopCount: 3 });
      const between = await api.http.get('/api/v1/trains/between?from=NDLS&to=HWH').expect(200);
      expect(between.body.map((c: { number: string }) => c.number)).toContain(number);

      // A second replacement swaps every stop at once.
      await api.http.put(`/api/v1/trains/${number}/route`).set('authorization', admin).send(route('CSMT', 'MAS')).expect(200);
      expect(await numbersBetween()).not.toContain(number);
      const stops = await query<{ code: string }>(
        'SELECT s.code FROM route_stops rs JOIN stations s ON s.id = rs.station_id JOIN trains t ON t.id = rs.train_id WHERE t.number = $1 ORDER BY rs.sequence',
        [number],
      );
      expect(stops.map((s) => s.code)).toEqual(['CSMT', 'NDLS', 'MAS']);

      const renamed = await api.http.patch(`/api/v1/trains/${number}`).set('authorization', admin).send({ name: 'Renamed Express', runsOn: ['FRI'] }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed Express', runsOn: ['FRI'], type: 'SUPERFAST', origin: { code: 'CSMT' } });

      await api.http.delete(`/api/v1/trains/${number}`).set('authorization', admin).expect(204);
      await api.http.get(`/api/v1/trains/${number}`).expect(404);
      expect(await query('SELECT 1 FROM route_stops rs JOIN trains t ON t.id = rs.train_id WHERE t.number = $1', [number])).toEqual([]);
    });

    it('refuses a bad route with 400 naming each problem, leaving the old route in place', async () => {
      const number = uniqueNumber();
      await api.http.post('/api/v1/trains').set('authorization', admin).send({ number, name: 'Checked Express', type: 'EXPRESS', runsOn: ['MON'] }).expect(201);
      await api.http.put(`/api/v1/trains/${number}/route`).set('authorization', admin).send(route('MMCT', 'HWH')).expect(200);

      const bad = {
        stops: [
          { sequence: 1, stationCode: 'MMCT', departure: { time: '22:00', day: 1 }, distanceKm: 0 },
          { sequence: 3, stationCode: 'NDLS', arrival: { time: '21:00', day: 1 }, departure: { time: '21:10', day: 1 }, distanceKm: 150 },
          { sequence: 4, stationCode: 'MMCT', arrival: { time: '23:00', day: 1 }, departure: { time: '23:05', day: 1 }, distanceKm: 100 },
          { sequence: 5, stationCode: 'QQQQ', arrival: { time: '06:00', day: 2 }, distanceKm: 700 },
        ],
      };
      const { body } = await api.http.put(`/api/v1/trains/${number}/route`).set('authorization', admin).send(bad).expect(400);
      expect(body.code).toBe('INVALID_ROUTE');
      const problems = Object.fromEntries(body.errors.map((e: { field: string; messages: string[] }) => [e.field, e.messages[0]]));
      expect(problems).toMatchObject({
        'stops[1].sequence': expect.stringContaining('sequence must be 2'),
        'stops[1].arrival': expect.stringContaining('before the departure from the previous stop'),
        'stops[2].stationCode': expect.stringContaining('already stop 1'),
        'stops[2].distanceKm': expect.stringContaining('cannot decrease'),
        'stops[3].stationCode': 'no station with code QQQQ',
      });

      const shapeErrors = await api.http
        .put(`/api/v1/trains/${number}/route`)
        .set('authorization', admin)
        .send({ stops: [{ sequence: 1, stationCode: 'MMCT', departure: { time: '25:00', day: 0 }, distanceKm: -1 }] })
        .expect(400);
      expect(shapeErrors.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'stops',
        'stops.0.departure.day',
        'stops.0.departure.time',
        'stops.0.distanceKm',
      ]);

      const kept = await api.http.get(`/api/v1/trains/${number}/route`).expect(200);
      expect(kept.body.stops.map((s: { station: { code: string } }) => s.station.code)).toEqual(['MMCT', 'NDLS', 'HWH']);
      await api.http.put('/api/v1/trains/99999/route').set('authorization', admin).send(route('MMCT', 'HWH')).expect(404);
    });
  });
});
