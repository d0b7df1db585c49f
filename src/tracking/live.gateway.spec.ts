import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { overnightRoute } from '../../test/builders/route-stops.js';
import { testConfig } from '../../test/builders/config.js';
import type { AccessTokens } from '../auth/access-tokens.js';
import type { AuthUser } from '../common/auth/auth-user.js';
import { Metrics } from '../common/observability/metrics.js';
import { LiveStatusDto } from '../live/dto/live-status.dto.js';
import type { LiveStatusService } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import { liveView } from '../live/live-view.js';
import { scheduledState } from '../live/run-state.js';
import { NotificationDto } from '../notifications/dto/notification.dto.js';
import type { Notification } from '../notifications/notification.entity.js';
import type { Train } from '../trains/train.entity.js';
import { trainNotFound } from '../trains/train.errors.js';
import { LiveGateway } from './live.gateway.js';
import type { LiveRateLimiter } from './live-rate-limiter.js';

const NOW = new Date('2026-11-24T18:30:00Z');
const MAX_SUBSCRIPTIONS = 2;
const TRAINS = new Map(['12951', '12952', '12001', '12002'].map((number) => [number, { id: `id-${number}`, number, name: `Train ${number}`, runsOn: ['TUE'] } as Train]));
/** 12002 exists but has no run soon. */
const NO_RUN_SOON = '12002';

const viewOf = (train: Train, serviceDate: string): TrainLiveView => ({ ...liveView(scheduledState(train.id, train.number, serviceDate), overnightRoute(), NOW, 'Asia/Kolkata'), train, route: overnightRoute() });

/** Live status by train number: two active runs for each train but one, which has none. */
class FakeLive {
  failWith: Error | null = null;
  async train(number: string) {
    if (this.failWith) throw this.failWith;
    const train = TRAINS.get(number);
    if (!train) throw trainNotFound(number);
    return train;
  }
  async activeRunsOf(number: string) {
    if (number === NO_RUN_SOON) return { current: null, runs: [] };
    const runs = [viewOf(TRAINS.get(number)!, '2026-11-23'), viewOf(TRAINS.get(number)!, '2026-11-24')];
    return { current: runs[1], runs };
  }
}

/** A server-side socket: its data and the rooms it is in. */
class FakeSocket {
  data: { user?: AuthUser; trains: Set<string> } = { trains: new Set() };
  rooms = new Set<string>();
  constructor(public handshake: { auth: Record<string, unknown> } = { auth: {} }) {}
  async join(room: string) {
    this.rooms.add(room);
  }
  async leave(room: string) {
    this.rooms.delete(room);
  }
  /** Socket middleware: the rate limiter's, which live-rate-limiter.spec.ts and live-floods.e2e-spec.ts prove. */
  use() {}
}

/** The /live namespace: what was emitted where, the handshake middleware, and whether local sockets were disconnected. */
class FakeNamespace {
  emitted: Array<{ to: string; event: string; payload: unknown }> = [];
  middleware: ((socket: FakeSocket, next: (error?: Error & { data?: unknown }) => void) => void) | undefined;
  disconnected: boolean | undefined;
  use(middleware: FakeNamespace['middleware']) {
    this.middleware = middleware;
  }
  to(room: string) {
    return { emit: (event: string, payload: unknown) => void this.emitted.push({ to: room, event, payload }) };
  }
  /** This instance's rooms; `allRooms` is what the Redis adapter adds (every instance's), absent on the in-memory one. */
  adapter: { rooms: Map<string, Set<string>>; allRooms?: () => Promise<Set<string>> } = { rooms: new Map() };
  local = {
    emit: (event: string, payload: unknown) => void this.emitted.push({ to: 'this instance', event, payload }),
    disconnectSockets: (close: boolean) => void (this.disconnected = close),
  };
}

function setUp() {
  const live = new FakeLive();
  const metrics = new Metrics();
  const namespace = new FakeNamespace();
  const accessTokens = {
    verify: async (token: string): Promise<AuthUser> => {
      if (token !== 'valid-token') throw new Error('jwt malformed');
      return { id: 'u1', role: 'user', sessionId: 's1' };
    },
  } as unknown as AccessTokens;
  // Every event admitted: the limits are proven in live-rate-limiter.spec.ts and live-floods.e2e-spec.ts.
  const limiter = { forConnection: () => ({ ip: '127.0.0.1', admit: async () => ({ admitted: true }) }) } as unknown as LiveRateLimiter;
  const gateway = new LiveGateway(accessTokens, live as unknown as LiveStatusService, metrics, limiter, testConfig({ SOCKET_MAX_SUBSCRIPTIONS: MAX_SUBSCRIPTIONS }));
  (gateway as unknown as { namespace: FakeNamespace }).namespace = namespace;
  gateway.afterInit(namespace as never);
  const gauge = async (name: 'subscriptions' | 'socketsConnected') => (await metrics[name].get()).values[0]?.value ?? 0;
  /** Runs the handshake middleware: resolves with the socket, or the connect error it was refused with. */
  const handshake = (auth: Record<string, unknown> = {}) =>
    new Promise<{ socket: FakeSocket; error?: Error & { data?: unknown } }>((resolve) => {
      const socket = new FakeSocket({ auth });
      namespace.middleware!(socket, (error) => resolve({ socket, error }));
    });
  const subscribe = (socket: FakeSocket, payload: unknown) => gateway.subscribe(socket as never, payload);
  const unsubscribe = (socket: FakeSocket, payload: unknown) => gateway.unsubscribe(socket as never, payload);
  return { gateway, live, namespace, gauge, handshake, subscribe, unsubscribe };
}

let errors: unknown[][];
beforeEach(() => {
  errors = [];
  jest.spyOn(Logger.prototype, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('LiveGateway', () => {
  describe('subscribe', () => {
    it('acknowledges with the default run and every active run, joins the train’s room and counts the subscription', async () => {
      const { subscribe, handshake, gauge } = setUp();
      const { socket } = await handshake();
      const ack = await subscribe(socket, { trainNumber: '12951' });
      const train = TRAINS.get('12951')!;
      expect(ack).toEqual({
        ok: true,
        status: LiveStatusDto.from(viewOf(train, '2026-11-24')),
        runs: [LiveStatusDto.from(viewOf(train, '2026-11-23')), LiveStatusDto.from(viewOf(train, '2026-11-24'))],
      });
      expect([...socket.rooms]).toEqual(['train:12951']);
      expect(await gauge('subscriptions')).toBe(1);
    });

    it('acknowledges a train with no run soon with a null status and no runs', async () => {
      const { subscribe, handshake } = setUp();
      const { socket } = await handshake();
      expect(await subscribe(socket, { trainNumber: NO_RUN_SOON })).toEqual({ ok: true, status: null, runs: [] });
      expect(socket.rooms.has(`train:${NO_RUN_SOON}`)).toBe(true);
    });

    it.each([
      ['a bad train number and an unknown field', { trainNumber: 'abc', extra: 1 }, ['extra', 'trainNumber']],
      ['no train number', {}, ['trainNumber']],
      ['a payload that is not an object', 'abc', ['trainNumber']],
      ['null', null, ['trainNumber']],
    ])('refuses %s with VALIDATION_FAILED naming each field, in the error shape', async (_, payload, fields) => {
      const { subscribe, handshake, gauge } = setUp();
      const { socket } = await handshake();
      const ack = await subscribe(socket, payload);
      expect(ack).toMatchObject({ ok: false, error: { type: 'about:blank', status: 400, code: 'VALIDATION_FAILED', instance: 'subscribe' } });
      expect(!ack.ok && ack.error.errors!.map((error) => error.field).sort()).toEqual(fields);
      expect(socket.rooms.size).toBe(0);
      expect(await gauge('subscriptions')).toBe(0);
    });

    it('refuses an unknown train with TRAIN_NOT_FOUND, joining nothing', async () => {
      const { subscribe, handshake } = setUp();
      const { socket } = await handshake();
      expect(await subscribe(socket, { trainNumber: '99999' })).toMatchObject({ ok: false, error: { status: 404, code: 'TRAIN_NOT_FOUND', instance: 'subscribe' } });
      expect(socket.rooms.size).toBe(0);
      expect(socket.data.trains.size).toBe(0);
    });

    it('limits the trains one socket follows: a train already followed takes no new slot, and unsubscribing frees one', async () => {
      const { subscribe, unsubscribe, handshake, gauge } = setUp();
      const { socket } = await handshake();
      expect(await subscribe(socket, { trainNumber: '12951' })).toMatchObject({ ok: true });
      expect(await subscribe(socket, { trainNumber: '12952' })).toMatchObject({ ok: true });
      expect(await subscribe(socket, { trainNumber: '12951' })).toMatchObject({ ok: true });
      expect(await subscribe(socket, { trainNumber: '12001' })).toMatchObject({
        ok: false,
        error: { status: 422, code: 'TOO_MANY_SUBSCRIPTIONS', detail: `A socket can follow at most ${MAX_SUBSCRIPTIONS} trains; unsubscribe first` },
      });
      expect([...socket.rooms].sort()).toEqual(['train:12951', 'train:12952']);
      expect(await gauge('subscriptions')).toBe(2);

      expect(await unsubscribe(socket, { trainNumber: '12952' })).toEqual({ ok: true });
      expect(await subscribe(socket, { trainNumber: '12001' })).toMatchObject({ ok: true });
      expect(await gauge('subscriptions')).toBe(2);
    });

    it('counts the limit per socket', async () => {
      const { subscribe, handshake } = setUp();
      const [{ socket: first }, { socket: second }] = [await handshake(), await handshake()];
      for (const trainNumber of ['12951', '12952']) await subscribe(first, { trainNumber });
      expect(await subscribe(second, { trainNumber: '12001' })).toMatchObject({ ok: true });
    });

    it('acknowledges an unexpected failure as a 500 problem without its detail leaking, and logs it', async () => {
      const { subscribe, handshake, live } = setUp();
      const { socket } = await handshake();
      live.failWith = new Error('connection to server at 10.0.0.5 failed');
      const ack = await subscribe(socket, { trainNumber: '12951' });
      expect(ack).toMatchObject({ ok: false, error: { status: 500, instance: 'subscribe' } });
      expect(JSON.stringify(ack)).not.toContain('10.0.0.5');
      expect(errors).toHaveLength(1);
    });
  });

  describe('unsubscribe', () => {
    it('leaves the train’s room, and unsubscribing from a train not followed is still ok', async () => {
      const { subscribe, unsubscribe, handshake, gauge } = setUp();
      const { socket } = await handshake();
      await subscribe(socket, { trainNumber: '12951' });
      expect(await unsubscribe(socket, { trainNumber: '12951' })).toEqual({ ok: true });
      expect(socket.rooms.size).toBe(0);
      expect(await unsubscribe(socket, { trainNumber: '12951' })).toEqual({ ok: true });
      expect(await gauge('subscriptions')).toBe(0);
    });

    it('refuses a malformed payload with VALIDATION_FAILED', async () => {
      const { unsubscribe, handshake } = setUp();
      const { socket } = await handshake();
      expect(await unsubscribe(socket, { trainNumber: 12951 })).toMatchObject({ ok: false, error: { status: 400, code: 'VALIDATION_FAILED', instance: 'unsubscribe' } });
    });
  });

  describe('connections', () => {
    it('lets anonymous sockets in, and a valid token’s socket joins its user’s room', async () => {
      const { gateway, handshake, gauge } = setUp();
      const anonymous = await handshake();
      expect(anonymous.error).toBeUndefined();
      expect(anonymous.socket.data.user).toBeUndefined();
      for (const empty of [null, '']) expect((await handshake({ token: empty })).error).toBeUndefined();

      const user = await handshake({ token: 'valid-token' });
      expect(user.error).toBeUndefined();
      gateway.handleConnection(user.socket as never);
      expect([...user.socket.rooms]).toEqual(['user:u1']);
      expect(await gauge('socketsConnected')).toBe(1);
    });

    it.each([
      ['an invalid or expired token', 'not-a-jwt', 'Invalid or expired access token'],
      ['a token that is not a string', 42, 'The access token must be a string'],
    ])('refuses %s at connect with a readable message and the problem in data', async (_, token, message) => {
      const { handshake } = setUp();
      const { error } = await handshake({ token });
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toBe(message);
      expect(error!.data).toMatchObject({ status: 401, code: 'INVALID_ACCESS_TOKEN', detail: message, instance: '/live' });
    });

    it('forgets a disconnected socket’s subscriptions in the gauges', async () => {
      const { gateway, subscribe, handshake, gauge } = setUp();
      const { socket } = await handshake();
      gateway.handleConnection(socket as never);
      await subscribe(socket, { trainNumber: '12951' });
      await subscribe(socket, { trainNumber: '12952' });
      gateway.handleDisconnect(socket as never);
      expect(await gauge('subscriptions')).toBe(0);
      expect(await gauge('socketsConnected')).toBe(0);
    });
  });

  describe('pushes', () => {
    it('sends a run’s status to its train’s room, as the REST status shows it', () => {
      const { gateway, namespace } = setUp();
      const view = viewOf(TRAINS.get('12951')!, '2026-11-24');
      gateway.publishStatus(view);
      expect(namespace.emitted).toEqual([{ to: 'train:12951', event: 'train.status', payload: LiveStatusDto.from(view) }]);
    });

    it('sends a notification to its user’s room only', () => {
      const { gateway, namespace } = setUp();
      const notification = { id: 'n1', userId: 'u7', type: 'DELAY', trainId: 'id-12951', runDate: '2026-11-24', title: 't', body: 'b', data: {}, createdAt: NOW, readAt: null } as unknown as Notification;
      gateway.publishNotification(notification, { number: '12951', name: 'Train 12951' });
      expect(namespace.emitted).toEqual([{ to: 'user:u7', event: 'notification', payload: NotificationDto.from(notification, { number: '12951', name: 'Train 12951' }) }]);
    });

    it('knows the trains watched on this instance from its rooms (no Redis)', async () => {
      const { gateway, namespace } = setUp();
      for (const room of ['socket-id-1', 'train:12951', 'user:u1', 'train:00851', 'socket-id-2']) namespace.adapter.rooms.set(room, new Set(['socket-id-1']));
      expect(await gateway.watchedTrains()).toEqual(new Set(['12951', '00851']));
    });

    it('knows the trains watched on every instance through the adapter (Redis)', async () => {
      const { gateway, namespace } = setUp();
      namespace.adapter.rooms.set('train:12951', new Set(['socket-id-1']));
      namespace.adapter.allRooms = async () => new Set(['train:12951', 'user:u1', 'train:22222', 'socket-id-9']);
      expect(await gateway.watchedTrains()).toEqual(new Set(['12951', '22222']));
    });

    it('answers null (push everything) when another instance cannot be asked, and says why', async () => {
      const { gateway, namespace } = setUp();
      const warnings: unknown[] = [];
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warnings.push(message));
      namespace.adapter.allRooms = async () => {
        throw new Error('timeout reached while waiting for allRooms response');
      };
      expect(await gateway.watchedTrains()).toBeNull();
      expect(warnings).toEqual(['Pushing every change: timeout reached while waiting for allRooms response']);
    });

    it('on shutdown tells this instance’s sockets why, then disconnects them', () => {
      const { gateway, namespace } = setUp();
      gateway.beforeApplicationShutdown();
      expect(namespace.emitted).toEqual([{ to: 'this instance', event: 'server.shutdown', payload: { reason: 'This server is restarting; reconnect to continue.' } }]);
      expect(namespace.disconnected).toBe(true);
    });
  });
});
