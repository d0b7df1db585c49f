import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { createAdmin } from '../src/users/create-admin.command.js';
import { useTestApp } from './app.factory.js';
import { bearer, login, ME, registerUser } from './auth-helpers.js';
import { connectLive } from './live-helpers.js';

/** Every validation problem names each bad field once, with the one message that matters. */
describe('validation messages', () => {
  const api = useTestApp(undefined, { listen: true });
  let admin: string;
  let user: string;

  beforeAll(async () => {
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    user = bearer((await registerUser(api)).body.accessToken);
  });

  const expectValidationProblem = (body: Record<string, unknown>, errors: Array<{ field: string; messages: string[] }>) => {
    expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(body.errors).toEqual(errors);
  };

  it('says a non-numeric hours is not an integer, not that it is out of range', async () => {
    const { body } = await api.http.get('/api/v1/stations/NDLS/board?hours=abc').expect(400);
    expectValidationProblem(body, [{ field: 'hours', messages: ['hours must be an integer number'] }]);
  });

  it('gives the broken bound of an integer hours', async () => {
    const { body } = await api.http.get('/api/v1/stations/NDLS/board?hours=25').expect(400);
    expectValidationProblem(body, [{ field: 'hours', messages: ['hours must not be greater than 24'] }]);
  });

  it('says each missing registration field is required', async () => {
    const { body } = await api.http.post('/api/v1/auth/register').send({}).expect(400);
    expectValidationProblem(body, [
      { field: 'email', messages: ['email is required'] },
      { field: 'password', messages: ['password is required'] },
      { field: 'displayName', messages: ['displayName is required'] },
    ]);
  });

  it('says which registration fields have the wrong type or format', async () => {
    const { body } = await api.http.post('/api/v1/auth/register').send({ email: 'x'.repeat(300), password: 12345678, displayName: '' }).expect(400);
    expectValidationProblem(body, [
      { field: 'email', messages: ['email must be an email address'] },
      { field: 'password', messages: ['password must be a string'] },
      { field: 'displayName', messages: ['displayName must be longer than or equal to 1 characters'] },
    ]);
  });

  it('names bad paging parameters and unknown ones once each', async () => {
    const { body } = await api.http.get('/api/v1/stations?page=abc&limit=1000&sort=name').expect(400);
    expectValidationProblem(body, [
      { field: 'sort', messages: ['property sort should not exist'] },
      { field: 'page', messages: ['page must be an integer number'] },
      { field: 'limit', messages: ['limit must not be greater than 100'] },
    ]);
  });

  it('keeps the reason a password change needs the current password', async () => {
    const { body } = await api.http.patch(ME).set('authorization', user).send({ newPassword: 'another-password-1' }).expect(400);
    expectValidationProblem(body, [{ field: 'currentPassword', messages: ['currentPassword is required to change the password'] }]);
  });

  it('gives nested route fields one message each', async () => {
    const { body } = await api.http
      .put('/api/v1/trains/12951/route')
      .set('authorization', admin)
      .send({ stops: [{ sequence: 'first', stationCode: 'MMCT', departure: { time: 2200, day: 0 } }] })
      .expect(400);
    expectValidationProblem(body, [
      { field: 'stops', messages: ['stops must contain at least 2 elements'] },
      { field: 'stops.0.sequence', messages: ['sequence must be an integer number'] },
      { field: 'stops.0.departure.time', messages: ['time must be a string'] },
      { field: 'stops.0.departure.day', messages: ['day must not be less than 1'] },
      { field: 'stops.0.distanceKm', messages: ['distanceKm is required'] },
    ]);
  });

  describe('socket acks', () => {
    let socket: Socket;
    beforeAll(async () => {
      socket = await connectLive(api.url);
    });
    afterAll(() => {
      socket?.close();
    });

    it('says a missing trainNumber is required', async () => {
      const ack = await socket.timeout(5000).emitWithAck('subscribe', {});
      expect(ack).toMatchObject({ ok: false, error: { status: 400, code: 'VALIDATION_FAILED', instance: 'subscribe' } });
      expect(ack.error.errors).toEqual([{ field: 'trainNumber', messages: ['trainNumber is required'] }]);
    });

    it('says a numeric trainNumber must be a string, not that it breaks the pattern', async () => {
      const ack = await socket.timeout(5000).emitWithAck('unsubscribe', { trainNumber: 12951 });
      expect(ack).toMatchObject({ ok: false, error: { status: 400, code: 'VALIDATION_FAILED', instance: 'unsubscribe' } });
      expect(ack.error.errors).toEqual([{ field: 'trainNumber', messages: ['trainNumber must be a string'] }]);
    });
  });
});
