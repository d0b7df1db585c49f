import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CLOCK } from '../src/common/clock/clock.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, problemFields, registerUser } from './auth-helpers.js';
import { at, demo, trainData } from './demo-data.js';
import { TestClock } from './live-helpers.js';
import { CATALOG_WRITES_DATABASE, query } from './test-database.js';

const FAVORITES = '/api/v1/me/favorites';
/** This file's app caps favorites at 3 per user (one environment per test file). */
const MAX = 3;

interface FavoriteBody {
  train: { number: string } & Record<string, unknown>;
  addedAt: string;
  status: Record<string, unknown> | null;
}

/** The train as GET /trains/:number shows it, computed from the demo data files. */
function expectedTrain(number: string) {
  const train = trainData(number);
  const first = train.stops[0];
  const last = train.stops.at(-1)!;
  const station = (code: string) => ({ code, name: demo.stations.find((s) => s.code === code)!.name });
  return {
    number,
    name: train.name,
    type: train.type,
    runsOn: train.runsOn,
    daysKnown: true,
    timeZone: 'Asia/Kolkata',
    origin: station(first.stationCode),
    destination: station(last.stationCode),
    departure: { time: first.departureTime, day: 1, minuteOfDay: first.departureMinute, dayOffset: 0 },
    arrival: { time: last.arrivalTime, day: last.arrivalDay! + 1, minuteOfDay: last.arrivalMinute, dayOffset: last.arrivalDay },
    distanceKm: last.distanceKm,
    durationMinutes: at(last.arrivalMinute, last.arrivalDay)! - at(first.departureMinute, first.departureDay)!,
    stopCount: train.stops.length,
  };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A 6-digit train number no demo train (5 digits) and, very likely, no other test file uses. */
const uniqueNumber = () => String(800000 + Math.floor(Math.random() * 100000));

const favoriteRowsOf = (userId: string) =>
  query<{ user_id: string; train_id: string; number: string; created_at: Date }>(
    `SELECT f.user_id, f.train_id, t.number, f.created_at
       FROM favorites f JOIN trains t ON t.id = f.train_id
      WHERE f.user_id = $1
      ORDER BY t.number`,
    [userId],
  );

/**
 * A favorite with its live status cut down to which run it is: a status is computed at the
 * instant of each response (asOf, position), and each request here happens a minute later.
 */
const runOnly = (favorite: FavoriteBody) => ({
  ...favorite,
  status: favorite.status && { train: favorite.status.train, serviceDate: favorite.status.serviceDate, version: favorite.status.version },
});

describe('favorites API', () => {
  // Favorites carry the live status of the train's current run, which the clock picks: a clock
  // set by the test (from 19:30 in India, 12951 on its way) keeps the run the same from one
  // request to the next, and each favorite added a minute after the last has its own addedAt.
  const clock = new TestClock(new Date('2026-11-24T14:00:00Z'));
  const api = useTestApp(
    { ...testEnv(CATALOG_WRITES_DATABASE), FAVORITES_MAX_PER_USER: String(MAX) },
    { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) },
  );

  /** A fresh user: their id and Authorization header. */
  const newUser = async () => {
    const { body } = await registerUser(api);
    return { id: body.user.id, auth: bearer(body.accessToken) };
  };
  const put = (auth: string, number: string) => {
    clock.at = new Date(clock.at.getTime() + 60_000);
    return api.http.put(`${FAVORITES}/${number}`).set('Authorization', auth);
  };
  const del = (auth: string, number: string) => api.http.delete(`${FAVORITES}/${number}`).set('Authorization', auth);
  const list = async (auth: string) => (await api.http.get(FAVORITES).set('Authorization', auth).expect(200)).body as FavoriteBody[];

  describe('authentication', () => {
    it.each([
      ['GET', FAVORITES],
      ['PUT', `${FAVORITES}/12951`],
      ['DELETE', `${FAVORITES}/12951`],
      ['PUT', `${FAVORITES}/12x`],
    ])('answers anonymous %s %s with a problem+json 401', async (method, path) => {
      const request = method === 'GET' ? api.http.get(path) : method === 'PUT' ? api.http.put(path) : api.http.delete(path);
      const { body, headers } = await request.expect(401);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 401, instance: path });
    });

    it('answers 401 to a garbage bearer token', async () => {
      await api.http.get(FAVORITES).set('Authorization', bearer('not.a.token')).expect(401);
    });
  });

  describe('PUT /me/favorites/:trainNumber', () => {
    it('adds the train (201), then answers 200 with the same train and addedAt, keeping one row', async () => {
      const user = await newUser();
      const first = await put(user.auth, '12951').expect(201);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.body).toEqual({
        train: expectedTrain('12951'),
        addedAt: expect.stringMatching(ISO),
        // The live state of the train's current (or next) run comes with it.
        status: expect.objectContaining({ train: { number: '12951', name: trainData('12951').name }, serviceDate: '2026-11-24', version: expect.any(Number) }),
        // Without a body: no station, so no alerts and nothing at a station.
        station: null,
        alerts: { beforeArrivalMinutes: null, beforeDepartureMinutes: null, platformChange: false, delayAtStationMinutes: null },
        atStation: null,
      });
      expect(first.body.train.origin.code).toBe('MMCT');

      const again = await put(user.auth, '12951').expect(200);
      expect(runOnly(again.body)).toEqual(runOnly(first.body));

      const rows = await favoriteRowsOf(user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].number).toBe('12951');
      const [train] = await query<{ id: string }>('SELECT id FROM trains WHERE number = $1', ['12951']);
      expect(rows[0].train_id).toBe(train.id);
      expect(rows[0].created_at.toISOString()).toBe(first.body.addedAt);
    });

    it('answers 404 TRAIN_NOT_FOUND for an unknown train and adds nothing', async () => {
      const user = await newUser();
      const { body, headers } = await put(user.auth, '99999').expect(404);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404, code: 'TRAIN_NOT_FOUND', instance: `${FAVORITES}/99999` });
      expect(await favoriteRowsOf(user.id)).toHaveLength(0);
    });

    it('answers 400 naming trainNumber for a malformed number', async () => {
      const user = await newUser();
      const { body, headers } = await put(user.auth, '12x').expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: `${FAVORITES}/12x` });
      expect(problemFields(body)).toEqual(['trainNumber']);
      expect(await favoriteRowsOf(user.id)).toHaveLength(0);
    });
  });

  describe('GET /me/favorites', () => {
    it('is empty for a new user', async () => {
      const user = await newUser();
      expect(await list(user.auth)).toEqual([]);
    });

    it('lists the favorites most recently added first, with the bodies PUT returned', async () => {
      const user = await newUser();
      const older = (await put(user.auth, '12951').expect(201)).body as FavoriteBody;
      const newer = (await put(user.auth, '12002').expect(201)).body as FavoriteBody;
      expect(newer.addedAt > older.addedAt).toBe(true);
      const favorites = await list(user.auth);
      expect(favorites.map(runOnly)).toEqual([newer, older].map(runOnly));
      expect(favorites[1].train).toEqual(expectedTrain('12951'));
      expect(favorites[0].train).toEqual(expectedTrain('12002'));

      // Re-adding the older one does not move it to the top: it keeps its addedAt.
      await put(user.auth, '12951').expect(200);
      expect((await list(user.auth)).map(runOnly)).toEqual([newer, older].map(runOnly));
    });

    it("never shows another user's favorites", async () => {
      const alice = await newUser();
      const bob = await newUser();
      await put(alice.auth, '12951').expect(201);
      await put(bob.auth, '12952').expect(201);
      await put(bob.auth, '12951').expect(201);
      expect((await list(alice.auth)).map((favorite) => favorite.train.number)).toEqual(['12951']);
      expect((await list(bob.auth)).map((favorite) => favorite.train.number)).toEqual(['12951', '12952']);
      // Removing it for Bob leaves Alice's.
      await del(bob.auth, '12951').expect(204);
      expect((await list(alice.auth)).map((favorite) => favorite.train.number)).toEqual(['12951']);
      expect((await favoriteRowsOf(alice.id)).map((row) => row.number)).toEqual(['12951']);
    });
  });

  describe('DELETE /me/favorites/:trainNumber', () => {
    it('removes the favorite (204), is idempotent (204 again), and the list is then empty', async () => {
      const user = await newUser();
      await put(user.auth, '12951').expect(201);
      const removed = await del(user.auth, '12951').expect(204);
      expect(removed.text).toBe('');
      await del(user.auth, '12951').expect(204);
      expect(await list(user.auth)).toEqual([]);
      expect(await favoriteRowsOf(user.id)).toHaveLength(0);
    });

    it('answers 204 for a train that never was a favorite', async () => {
      const user = await newUser();
      await del(user.auth, '12952').expect(204);
    });

    it('answers 404 TRAIN_NOT_FOUND for an unknown train and 400 for a malformed number', async () => {
      const user = await newUser();
      const missing = await del(user.auth, '99999').expect(404);
      expect(missing.body).toMatchObject({ status: 404, code: 'TRAIN_NOT_FOUND' });
      const malformed = await del(user.auth, '12x').expect(400);
      expect(problemFields(malformed.body)).toEqual(['trainNumber']);
    });
  });

  describe(`the cap of ${MAX} favorites per user`, () => {
    it('refuses a 4th train with 422 FAVORITES_LIMIT_REACHED, still re-adds one already there, and frees a slot on delete', async () => {
      const user = await newUser();
      const [a, b, c, d] = ['12951', '12952', '12001', '12002'];
      for (const number of [a, b, c]) await put(user.auth, number).expect(201);

      const refused = await put(user.auth, d).expect(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({
        type: 'about:blank',
        title: 'Unprocessable Entity',
        status: 422,
        code: 'FAVORITES_LIMIT_REACHED',
        instance: `${FAVORITES}/${d}`,
      });
      expect(refused.body.detail).toContain(String(MAX));
      expect((await favoriteRowsOf(user.id)).map((row) => row.number)).toEqual([a, b, c].sort());

      // Already a favorite: not an add, so not refused.
      const again = await put(user.auth, b).expect(200);
      expect(again.body.train.number).toBe(b);

      await del(user.auth, a).expect(204);
      await put(user.auth, d).expect(201);
      expect((await favoriteRowsOf(user.id)).map((row) => row.number)).toEqual([b, c, d].sort());
      expect((await list(user.auth)).map((favorite) => favorite.train.number)).toEqual([d, c, b]);
    });

    it(`lets exactly ${MAX} of 6 concurrent adds of different trains succeed`, async () => {
      const user = await newUser();
      const numbers = ['12951', '12952', '12001', '12002', '12301', '12302'];
      const responses = await Promise.all(numbers.map((number) => put(user.auth, number)));
      expect(responses.map((response) => response.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
      for (const response of responses.filter((r) => r.status === 422)) expect(response.body.code).toBe('FAVORITES_LIMIT_REACHED');

      const added = numbers.filter((_, index) => responses[index].status === 201).sort();
      const rows = await favoriteRowsOf(user.id);
      expect(rows).toHaveLength(MAX);
      expect(rows.map((row) => row.number)).toEqual(added);
      expect((await list(user.auth)).map((favorite) => favorite.train.number).sort()).toEqual(added);
    });
  });

  describe('when an admin deletes a train', () => {
    let admin: string;
    beforeAll(async () => {
      const { email, password, body } = await registerUser(api, { displayName: 'Favorites Admin' });
      await query(`UPDATE users SET role = 'admin' WHERE id = $1`, [body.user.id]);
      const session = await login(api, email, password);
      expect(session.user.role).toBe('admin');
      admin = bearer(session.accessToken);
    });

    it('its favorites go with it (cascade), other favorites stay', async () => {
      const number = uniqueNumber();
      await api.http
        .post('/api/v1/trains')
        .set('Authorization', admin)
        .send({ number, name: `Favorite Test ${randomUUID().slice(0, 8)}`, type: 'EXPRESS', runsOn: ['MON'] })
        .expect(201);
      const [{ id: trainId }] = await query<{ id: string }>('SELECT id FROM trains WHERE number = $1', [number]);

      const user = await newUser();
      const added = await put(user.auth, number).expect(201);
      // A train without a route yet: no origin or destination, no stops.
      expect(added.body.train).toMatchObject({ number, type: 'EXPRESS', runsOn: ['MON'], origin: null, destination: null, stopCount: 0 });
      await put(user.auth, '12951').expect(201);
      expect(await query('SELECT 1 FROM favorites WHERE train_id = $1', [trainId])).toHaveLength(1);

      await api.http.delete(`/api/v1/trains/${number}`).set('Authorization', admin).expect(204);

      expect(await query('SELECT 1 FROM favorites WHERE train_id = $1', [trainId])).toHaveLength(0);
      expect((await favoriteRowsOf(user.id)).map((row) => row.number)).toEqual(['12951']);
      expect((await list(user.auth)).map((favorite) => favorite.train.number)).toEqual(['12951']);
      await put(user.auth, number).expect(404);
    });
  });
});
