import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TRAIN_TYPES } from '../src/trains/train-type.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, ME, registerUser } from './auth-helpers.js';
import { connectLive, subscribeTo } from './live-helpers.js';
import { query } from './test-database.js';

/**
 * Bad input found by generated requests (issue #11, D1-D5): each must be a 4xx problem naming
 * the field, and nothing may be written.
 */
describe('bad input', () => {
  // Its own database: if a refused write went through after all, no other test file would see it.
  const api = useTestApp(testEnv('train_tracker_test_bad_input'), { listen: true });
  let admin: string;
  let user: { token: string; id: string; displayName: string };

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    const { body } = await registerUser(api, { displayName: 'Null Tester' });
    user = { token: bearer(body.accessToken), id: body.user.id, displayName: body.user.displayName };
  });

  const expectProblem = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, errors: Array<{ field: string; messages: string[] }>) => {
    expect({ status: response.status, contentType: response.headers['content-type'] }).toEqual({ status: 400, contentType: expect.stringMatching(/^application\/problem\+json/) });
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.errors).toEqual(errors);
  };

  const stationRow = async (code: string) => (await query('SELECT code, name, city, state, latitude, longitude FROM stations WHERE code = $1', [code]))[0];
  const trainRow = async (number: string) => (await query('SELECT number, name, type, runs_on FROM trains WHERE number = $1', [number]))[0];

  describe('null where a value is required (D1-D3)', () => {
    it.each([
      ['name', 'name must be a string'],
      ['city', 'city must be a string'],
      ['state', 'state must be a string'],
    ])('refuses PATCH /stations/NDLS {"%s": null} with 400 and changes nothing', async (field, message) => {
      const before = await stationRow('NDLS');
      const response = await api.http.patch('/api/v1/stations/NDLS').set('authorization', admin).send({ [field]: null });
      expectProblem(response, [{ field, messages: [message] }]);
      expect(await stationRow('NDLS')).toEqual(before);
    });

    it('still clears a station’s coordinates with null, where the schema says nullable', async () => {
      const code = `ZN${randomUUID().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 5)}`;
      await api.http.post('/api/v1/stations').set('authorization', admin).send({ code, name: 'Null Halt', city: 'X', state: 'Y', latitude: 10, longitude: 20 }).expect(201);
      const { body } = await api.http.patch(`/api/v1/stations/${code}`).set('authorization', admin).send({ latitude: null, longitude: null }).expect(200);
      expect(body).toMatchObject({ code, latitude: null, longitude: null });
    });

    it.each([
      ['name', 'name must be a string'],
      ['type', `type must be one of the following values: ${TRAIN_TYPES.join(', ')}`],
      ['runsOn', 'runsOn must be an array'],
    ])('refuses PATCH /trains/12951 {"%s": null} with 400 and changes nothing', async (field, message) => {
      const before = await trainRow('12951');
      const response = await api.http.patch('/api/v1/trains/12951').set('authorization', admin).send({ [field]: null });
      expectProblem(response, [{ field, messages: [message] }]);
      expect(await trainRow('12951')).toEqual(before);
    });

    it.each([['displayName'], ['newPassword'], ['currentPassword']])('refuses PATCH /users/me {"%s": null} with 400 and changes nothing', async (field) => {
      const response = await api.http.patch(ME).set('authorization', user.token).send({ [field]: null });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: expect.arrayContaining([{ field, messages: [expect.stringMatching(new RegExp(`^${field} (must be a string|is required)`))] }]) });
      const [row] = await query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [user.id]);
      expect(row.display_name).toBe(user.displayName);
    });

    it('says a null displayName must be a string', async () => {
      const response = await api.http.patch(ME).set('authorization', user.token).send({ displayName: null });
      expectProblem(response, [{ field: 'displayName', messages: ['displayName must be a string'] }]);
    });

    it('refuses null for the fields of an operator report that are not nullable', async () => {
      const response = await api.http.post('/api/v1/admin/trains/12951/status').set('authorization', admin).send({ delayMinutes: null, lastStationCode: null, departed: null, cancelled: null });
      expect(response.status).toBe(400);
      expect((response.body.errors as Array<{ field: string }>).map((error) => error.field).sort()).toEqual(['cancelled', 'delayMinutes', 'departed', 'lastStationCode']);
    });

    it('refuses null for the times of a route stop', async () => {
      const stops = [
        { sequence: 1, stationCode: 'MMCT', arrival: null, departure: { time: '17:00', day: 1 }, distanceKm: 0 },
        { sequence: 2, stationCode: 'NDLS', arrival: { time: '08:30', day: 2 }, departure: null, distanceKm: 1384 },
      ];
      const response = await api.http.put('/api/v1/trains/12951/route').set('authorization', admin).send({ stops });
      expect(response.status).toBe(400);
      expect((response.body.errors as Array<{ field: string }>).map((error) => error.field)).toEqual(['stops.0.arrival', 'stops.1.departure']);
    });
  });

  describe('control characters in text (D4)', () => {
    it.each([
      ['/api/v1/stations?q=%00', 'q'],
      ['/api/v1/trains?q=a%00', 'q'],
      ['/api/v1/stations?q=a%07b', 'q'],
      ['/api/v1/me/notifications?cursor=%00', 'cursor'],
    ])('refuses GET %s with 400 naming %s', async (url, field) => {
      const response = await api.http.get(url).set('authorization', user.token);
      expectProblem(response, [{ field, messages: [`${field} must not contain control characters`] }]);
    });

    it('refuses a NUL in the login email with 400, not 500', async () => {
      const response = await api.http.post('/api/v1/auth/login').send({ email: 'a\u0000@example.com', password: 'whatever-password' });
      expectProblem(response, [{ field: 'email', messages: ['email must not contain control characters'] }]);
    });

    it('refuses a NUL in the display name at sign-up with 400 and creates no account', async () => {
      const email = `nul-${randomUUID()}@example.com`;
      const response = await api.http.post('/api/v1/auth/register').send({ email, password: 'a-long-password', displayName: 'Asha\u0000K' });
      expectProblem(response, [{ field: 'displayName', messages: ['displayName must not contain control characters'] }]);
      expect(await query('SELECT 1 FROM users WHERE email = $1', [email])).toEqual([]);
    });

    it.each([
      ['NUL', 'Asha\u0000'],
      ['a bell', 'Asha\u0007K'],
      ['an escape', '\u001b[31mAsha'],
      ['a line feed inside', 'Asha\nK'],
      ['a tab inside', 'Asha\tK'],
      ['DEL', 'Asha\u007f'],
      ['a C1 control', 'Asha\u0085K'],
    ])('refuses %s in a new display name (PATCH /users/me) and changes nothing', async (_name, displayName) => {
      const response = await api.http.patch(ME).set('authorization', user.token).send({ displayName });
      expectProblem(response, [{ field: 'displayName', messages: ['displayName must not contain control characters'] }]);
      const [row] = await query<{ display_name: string }>('SELECT display_name FROM users WHERE id = $1', [user.id]);
      expect(row.display_name).toBe(user.displayName);
    });

    it('refuses an unpaired surrogate, which would be stored as U+FFFD, and changes nothing', async () => {
      const response = await api.http.patch(ME).set('authorization', user.token).set('content-type', 'application/json').send('{"displayName":"Asha\\ud800"}');
      expectProblem(response, [{ field: 'displayName', messages: ['displayName must be well-formed Unicode text'] }]);
    });

    it('accepts any printable Unicode text, and trims surrounding whitespace (line breaks included) as before', async () => {
      const { body } = await api.http.patch(ME).set('authorization', user.token).send({ displayName: '\n आशा — Ünïcødé 🚆 \t' }).expect(200);
      expect(body.displayName).toBe('आशा — Ünïcødé 🚆');
      await api.http.patch(ME).set('authorization', user.token).send({ displayName: user.displayName }).expect(200);
    });

    it('refuses a NUL in a new station’s name with 400 and creates nothing', async () => {
      const code = `ZC${randomUUID().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 5)}`;
      const response = await api.http.post('/api/v1/stations').set('authorization', admin).send({ code, name: 'Nul\u0000pur', city: 'X', state: 'Y' });
      expectProblem(response, [{ field: 'name', messages: ['name must not contain control characters'] }]);
      expect(await stationRow(code)).toBeUndefined();
    });

    it('names a control character deep in a body by its path, beside the other bad fields', async () => {
      const stops = [
        { sequence: 1, stationCode: 'MMCT', departure: { time: '17:00', day: 1 }, distanceKm: 0, platform: '1\u0000' },
        { sequence: 2, stationCode: 'NDLS', arrival: { time: '08:30', day: 2 }, distanceKm: 'far' },
      ];
      const response = await api.http.put('/api/v1/trains/12951/route').set('authorization', admin).send({ stops });
      expectProblem(response, [
        { field: 'stops.0.platform', messages: ['platform must not contain control characters'] },
        { field: 'stops.1.distanceKm', messages: ['distanceKm must be an integer number'] },
      ]);
    });

    it('refuses a control character in a new password, but still checks a presented one against the account', async () => {
      const { body: session, password } = { ...(await registerUser(api)) };
      const token = bearer(session.accessToken);
      const refused = await api.http.patch(ME).set('authorization', token).send({ currentPassword: password, newPassword: 'new\u0000password' });
      expectProblem(refused, [{ field: 'newPassword', messages: ['newPassword must not contain control characters'] }]);
      // A password set before this rule may hold one: login and currentPassword only compare it with the hash.
      const login = await api.http.post('/api/v1/auth/login').send({ email: session.user.email, password: 'old\tpassword' });
      expect(login.status).toBe(401);
      const wrongCurrent = await api.http.patch(ME).set('authorization', token).send({ currentPassword: 'old\tpassword', newPassword: 'another-password' });
      expect(wrongCurrent.body).toMatchObject({ status: 400, code: 'CURRENT_PASSWORD_INCORRECT' });
    });
  });

  describe('deeply nested input (D5)', () => {
    /** The body: 2.8 KB, nested about 1,400 levels, under the property given. */
    const nested = (levels: number, leaf: unknown = 1): unknown => {
      let value = leaf;
      for (let level = 0; level < levels; level += 1) value = level % 2 ? { a: value } : [value];
      return value;
    };

    it('refuses a body nested 1,400 levels deep with 400 naming the field (no stack overflow, nothing written)', async () => {
      const code = `ZD${randomUUID().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 5)}`;
      const response = await api.http.post('/api/v1/stations').set('authorization', admin).send({ code, name: nested(1400), city: 'X', state: 'Y' });
      expectProblem(response, [{ field: 'name', messages: ['name must not be nested more than 16 levels deep'] }]);
      expect(await stationRow(code)).toBeUndefined();
    });

    it('refuses it before any login too (a public endpoint), whatever the nesting is made of', async () => {
      const response = await api.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(`{"email":${'['.repeat(1400)}${']'.repeat(1400)},"password":"x"}`);
      expectProblem(response, [{ field: 'email', messages: ['email must not be nested more than 16 levels deep'] }]);
      const root = await api.http.post('/api/v1/auth/register').set('content-type', 'application/json').send(`${'['.repeat(50_000)}${']'.repeat(50_000)}`);
      expectProblem(root, [{ field: 'body', messages: ['body must not be nested more than 16 levels deep'] }]);
    });

    it('still validates a body nested up to the limit as usual', async () => {
      const response = await api.http.post('/api/v1/auth/login').send({ email: nested(15, 'x'), password: 'x' });
      expectProblem(response, [{ field: 'email', messages: ['email must be a string'] }]);
    });

    it('answers a socket payload nested 1,400 levels deep with a VALIDATION_FAILED ack, not INTERNAL_ERROR', async () => {
      const socket = await connectLive(api.url);
      try {
        const ack = await subscribeTo(socket, { trainNumber: nested(1400, '12951') });
        expect(ack).toEqual({
          ok: false,
          error: expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'trainNumber', messages: ['trainNumber must not be nested more than 16 levels deep'] }] }),
        });
        expect(await subscribeTo(socket, nested(1401))).toMatchObject({ ok: false, error: { status: 400, errors: [{ field: 'payload', messages: ['payload must not be nested more than 16 levels deep'] }] } });
        // The socket is still usable.
        expect(await subscribeTo(socket, { trainNumber: '12951' })).toMatchObject({ ok: true });
      } finally {
        socket.close();
      }
    });
  });

  describe('integer query parameters: decimal digits only', () => {
    it.each([
      ['/api/v1/stations?page=0x10', 'page'],
      ['/api/v1/stations?limit=%205', 'limit'],
      ['/api/v1/stations?limit=5%20', 'limit'],
      ['/api/v1/trains?limit=1e1', 'limit'],
      ['/api/v1/trains?page=%2B2', 'page'],
      ['/api/v1/trains?page=2.0', 'page'],
      ['/api/v1/trains?page=0b11', 'page'],
      ['/api/v1/stations?limit=', 'limit'],
      ['/api/v1/stations?limit=%D9%A5', 'limit'],
      ['/api/v1/stations?limit=5&limit=6', 'limit'],
      ['/api/v1/stations/NDLS/board?hours=0o7', 'hours'],
      ['/api/v1/stations/NDLS/board?hours=Infinity', 'hours'],
      ['/api/v1/me/notifications?limit=0x5', 'limit'],
    ])('refuses GET %s with 400: %s must be an integer number', async (url, field) => {
      const response = await api.http.get(url).set('authorization', user.token);
      expectProblem(response, [{ field, messages: [`${field} must be an integer number`] }]);
    });

    it('reads plain decimal digits, leading zeros included, and still checks the bounds', async () => {
      const { body } = await api.http.get('/api/v1/stations?page=002&limit=05').expect(200);
      expect(body).toMatchObject({ page: 2, limit: 5 });
      const tooBig = await api.http.get('/api/v1/stations?page=99999999999999999999');
      expectProblem(tooBig, [{ field: 'page', messages: ['page must not be greater than 100000'] }]);
      const zero = await api.http.get('/api/v1/stations/NDLS/board?hours=0');
      expectProblem(zero, [{ field: 'hours', messages: ['hours must not be less than 1'] }]);
    });
  });

  describe('forged notification cursors (found by the spec-driven test’s hostile values)', () => {
    const cursorOf = (createdAt: string) => Buffer.from(JSON.stringify([createdAt, randomUUID()])).toString('base64url');

    it.each([['-271821-04-20T00:00:00.000Z'], ['-004714-01-01T00:00:00.000Z'], ['+275760-09-13T00:00:00.000Z'], ['2026-01-01'], ['2026-11-24T10:00:00+05:30']])(
      'refuses a cursor whose time is %s (not one this API writes) with 400 INVALID_CURSOR, not 500',
      async (createdAt) => {
        const response = await api.http.get(`/api/v1/me/notifications?cursor=${cursorOf(createdAt)}`).set('authorization', user.token);
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ code: 'INVALID_CURSOR', errors: [{ field: 'cursor', messages: ['cursor is invalid'] }] });
      },
    );

    it('still accepts a cursor as the API writes it', async () => {
      await api.http.get(`/api/v1/me/notifications?cursor=${cursorOf('2026-11-24T04:30:00.000Z')}`).set('authorization', user.token).expect(200);
    });
  });
});
