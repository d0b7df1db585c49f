import { describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CLOCK } from '../src/common/clock/clock.js';
import { SERVER_EVENTS } from '../src/tracking/live-events.js';
import { TrackerService } from '../src/tracking/tracker.service.js';
import { TRAIN_STATUS_PROVIDER } from '../src/tracking/train-status-provider.js';
import { createTestApp, testEnv } from './app.factory.js';
import { bearer, registerUser } from './auth-helpers.js';
import { runningStatus } from './builders/observed-status.js';
import { ackViolation, documentedEvents, eventViolation } from './live-contract.js';
import { connectLive, drain, type LiveClientSocket, ScriptedStatusProvider, subscribeTo, takeContractViolations, TestClock, unsubscribeFrom } from './live-helpers.js';
import { query } from './test-database.js';

// 19:30 in India on Tuesday 2026-11-24: 12951 (leaves Mumbai 17:00 daily) is on its way.
const NOW = new Date('2026-11-24T14:00:00Z');
const SERVICE_DATE = '2026-11-24';
const ENV = testEnv('train_tracker_test_live_contract');

/** Every event a socket receives, by name, in order. */
function received(socket: LiveClientSocket): Array<{ event: string; payload: unknown }> {
  const events: Array<{ event: string; payload: unknown }> = [];
  socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return events;
}

const disconnected = (socket: LiveClientSocket) => new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

describe('the /live events and acks match asyncapi.json', () => {
  it('the contract check refuses what the document does not allow', () => {
    // The document describes exactly the events of the typed contract the gateway sends through.
    expect(documentedEvents().sort()).toEqual(Object.keys(SERVER_EVENTS).sort());
    expect(eventViolation('server.shutdown', [{ reason: 'restarting' }])).toBeNull();
    expect(eventViolation('server.stopping', [{ reason: 'restarting' }])).toMatch(/not in asyncapi.json/);
    expect(eventViolation('server.shutdown', [{}])).toMatch(/must have required property 'reason'/);
    expect(eventViolation('server.shutdown', [{ reason: 'x', extra: 1 }])).toMatch(/must NOT have additional properties/);
    expect(eventViolation('train.status', [{ train: { number: '12951', name: 'x' } }])).toMatch(/does not match/);
    expect(ackViolation('unsubscribe', { ok: true })).toBeNull();
    expect(ackViolation('subscribe', { ok: true })).toMatch(/does not match/);
    expect(ackViolation('subscribe', { ok: false, error: { status: 404 } })).toMatch(/does not match/);
  });

  it('emits every documented event, each as the document describes it, ending with server.shutdown when the app closes', async () => {
    const feed = new ScriptedStatusProvider();
    let app: INestApplication | undefined;
    const sockets: LiveClientSocket[] = [];
    try {
      app = await createTestApp(ENV, {
        listen: true,
        override: (builder) => builder.overrideProvider(TRAIN_STATUS_PROVIDER).useValue(feed).overrideProvider(CLOCK).useValue(new TestClock(NOW)),
      });
      const address = app.getHttpServer().address() as { port: number };
      const url = `http://127.0.0.1:${address.port}`;
      const http = request(app.getHttpServer());
      const [{ id: trainId }] = await query<{ id: string }>(`SELECT id FROM trains WHERE number = '12951'`);

      const follower = await registerUser({ http });
      await http.put('/api/v1/me/favorites/12951').set('authorization', bearer(follower.body.accessToken)).expect(201);
      const socket = await connectLive(url, { token: follower.body.accessToken });
      sockets.push(socket);
      const events = received(socket);
      expect(await subscribeTo(socket, { trainNumber: '12951' })).toMatchObject({ ok: true });
      // A refused request is acknowledged in the documented error shape too.
      expect(await subscribeTo(socket, { trainNumber: '99999' })).toMatchObject({ ok: false, error: { code: 'TRAIN_NOT_FOUND' } });
      expect(await unsubscribeFrom(socket, { trainNumber: 'x' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

      // Left Mumbai 20 minutes late: a status for the train's room, DEPARTED and DELAY for its follower.
      feed.observations = [runningStatus({ trainId, trainNumber: '12951', serviceDate: SERVICE_DATE, delayMinutes: 20, lastDepartedAt: new Date('2026-11-24T11:50:00Z') })];
      expect(await app.get(TrackerService).tick()).toMatchObject({ written: 1, notifications: 2 });
      await drain(socket);

      const gone = disconnected(socket);
      await app.close();
      app = undefined;
      // The server says why before it disconnects the socket.
      await gone;

      expect(events.map(({ event }) => event)).toEqual(['train.status', 'notification', 'notification', 'server.shutdown']);
      expect(events.at(-1)!.payload).toEqual({ reason: expect.any(String) });
      // Every documented event was seen here but server.disconnect, which only a flooding socket
      // gets (test/live-floods.e2e-spec.ts, whose sockets go through the same contract check).
      expect([...new Set(events.map(({ event }) => event))].sort()).toEqual(documentedEvents().filter((event) => event !== 'server.disconnect').sort());
      expect(takeContractViolations()).toEqual([]);
    } finally {
      sockets.forEach((socket) => socket.close());
      await app?.close();
    }
  });
});
