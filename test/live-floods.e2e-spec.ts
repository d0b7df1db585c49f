import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { DataSource } from 'typeorm';
import { REDIS } from '../src/common/redis/redis.module.js';
import { CATALOG_RELOAD, DEFAULT_CATALOG_RELOAD } from '../src/catalog/catalog-snapshot.js';
import { TimetableService } from '../src/routes/timetable.service.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { createTestApp, testEnv, useTestApp } from './app.factory.js';
import { bearer, login } from './auth-helpers.js';
import { connectLive, type EventPayload, type LiveClientSocket, subscribeTo } from './live-helpers.js';
import { CATALOG_WRITES_DATABASE } from './test-database.js';

/**
 * Floods on /live (issue #11, D11): one socket sending thousands of subscribes for trains that do
 * not exist used to send each to PostgreSQL and slow every other client down.
 *
 * Each test poses as its own client IP through X-Forwarded-For (trusted from one proxy hop), so
 * it owns its per-IP counter. It uses the catalog-writes database because one test adds a train.
 */
const env = {
  ...testEnv(CATALOG_WRITES_DATABASE),
  TRUST_PROXY_HOPS: '1',
  SOCKET_RATE_LIMIT_PER_CONNECTION: '10',
  SOCKET_RATE_LIMIT_PER_IP: '25',
  SOCKET_RATE_LIMIT_WINDOW_SECONDS: '60',
};
const PER_CONNECTION = 10;

/** The Redis client connects in the background and the limiter fails open until it is ready. */
async function redisReady(app: INestApplication): Promise<void> {
  const redis = app.get<Redis | null>(REDIS);
  expect(redis).not.toBeNull();
  if (redis!.status !== 'ready') await once(redis!, 'ready');
}

type Answer = Awaited<ReturnType<typeof subscribeTo>>;
const tooManyRequests = { ok: false, error: expect.objectContaining({ status: 429, title: 'Too Many Requests', code: 'TOO_MANY_REQUESTS', instance: 'subscribe' }) };

/** Resolves with the socket's `server.disconnect` notice and its disconnect reason, in that order. */
function disconnection(socket: LiveClientSocket): Promise<{ notice: EventPayload<'server.disconnect'>; reason: string }> {
  return new Promise((resolve) => {
    socket.once('server.disconnect', (notice) => socket.once('disconnect', (reason) => resolve({ notice, reason })));
  });
}

const clientIp = () => `10.${Array.from({ length: 3 }, () => randomInt(1, 255)).join('.')}`;
/** Six-digit numbers: well-formed, and no train of the demo catalog has one. */
const unknownTrain = () => String(randomInt(900_000, 1_000_000));

/** Counts the SQL statements the app sends to PostgreSQL (every TypeORM query is logged through this hook). */
function countQueries(app: INestApplication): { statements: string[] } {
  const logger = app.get(DataSource).logger;
  const original = logger.logQuery.bind(logger);
  const counter = { statements: [] as string[] };
  logger.logQuery = (query, parameters, queryRunner) => {
    counter.statements.push(query);
    return original(query, parameters, queryRunner);
  };
  return counter;
}

describe('floods on /live', () => {
  // The catalog version check (every 2 s of this clock) must not fall inside a test that counts statements: the clock stands still.
  const api = useTestApp(env, { listen: true, override: (builder) => builder.overrideProvider(CATALOG_RELOAD).useValue({ ...DEFAULT_CATALOG_RELOAD, now: () => 0 }) });
  const sockets: LiveClientSocket[] = [];
  const connect = async (ip: string) => {
    const socket = await connectLive(api.url, { headers: { 'x-forwarded-for': ip } });
    sockets.push(socket);
    return socket;
  };
  let counter: { statements: string[] };
  /** Counting starts with a timetable just loaded (and its reload clock stands still), so no reload or version check falls inside a test. */
  const startCounting = async () => {
    const timetable = api.app.get(TimetableService);
    timetable.invalidate();
    await timetable.byNumber('12951');
    counter ??= countQueries(api.app);
    counter.statements.length = 0;
  };
  afterAll(() => sockets.forEach((socket) => socket.close()));
  const subscribeUnknown = (socket: LiveClientSocket) => subscribeTo(socket, { trainNumber: unknownTrain() });
  const expectNotFound = (answer: Answer) => expect(answer).toMatchObject({ ok: false, error: { status: 404, code: 'TRAIN_NOT_FOUND' } });

  beforeAll(() => redisReady(api.app));

  it('answers subscribes to unknown trains from memory, without a PostgreSQL query', async () => {
    const socket = await connect(clientIp());
    await startCounting();
    for (let i = 0; i < 8; i++) {
      const trainNumber = unknownTrain();
      expect(await subscribeTo(socket, { trainNumber })).toEqual({
        ok: false,
        error: expect.objectContaining({ status: 404, code: 'TRAIN_NOT_FOUND', detail: `No train with number ${trainNumber}`, instance: 'subscribe' }),
      });
    }
    // The REST live status answers an unknown train from memory too.
    const status = await api.http.get(`/api/v1/trains/${unknownTrain()}/status`).expect(404);
    expect(status.body.code).toBe('TRAIN_NOT_FOUND');
    expect(counter.statements).toEqual([]);
  });

  it('knows a train added through the API at once, though it has no route yet', async () => {
    const email = `admin-${randomInt(1e9)}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    const admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    const number = unknownTrain();
    await api.http.post('/api/v1/trains').set('authorization', admin).send({ number, name: 'Floods Express', type: 'EXPRESS', runsOn: ['MON'] }).expect(201);

    const socket = await connect(clientIp());
    expect(await subscribeTo(socket, { trainNumber: number })).toEqual({ ok: true, status: null, runs: [] });
  });

  it('refuses events past a socket’s budget with TOO_MANY_REQUESTS acks, then disconnects it with server.disconnect', async () => {
    const socket = await connect(clientIp());
    await startCounting();
    for (let i = 0; i < PER_CONNECTION; i++) expectNotFound(await subscribeUnknown(socket));
    // Past the budget: refused, without looking the train up.
    for (let i = 0; i < PER_CONNECTION; i++) {
      const answer = await subscribeUnknown(socket);
      expect(answer).toEqual(tooManyRequests);
      expect(answer.ok === false && answer.error.detail).toMatch(/^Too many events from this connection; retry in \d+ s$/);
    }
    // Still sending after as many refusals: told why, then disconnected; that event gets no answer.
    const disconnected = disconnection(socket);
    const unanswered: Answer[] = [];
    socket.emit('subscribe', { trainNumber: unknownTrain() }, (answer) => unanswered.push(answer));
    const { notice, reason } = await disconnected;
    expect(notice).toEqual({
      reason: expect.stringMatching(/too many events/i),
      retryAfterSeconds: expect.any(Number),
      error: expect.objectContaining({ type: 'about:blank', status: 429, code: 'TOO_MANY_REQUESTS', instance: '/live' }),
    });
    expect(notice.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(notice.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(reason).toBe('io server disconnect');
    expect(unanswered).toEqual([]);
    expect(counter.statements).toEqual([]);
  });

  it('shares one budget per client IP between its sockets, across instances through Redis', async () => {
    const ip = clientIp();
    const [first, second] = [await connect(ip), await connect(ip)];
    for (let i = 0; i < PER_CONNECTION; i++) expectNotFound(await subscribeUnknown(first));
    for (let i = 0; i < PER_CONNECTION; i++) expectNotFound(await subscribeUnknown(second));

    const appB = await createTestApp(env, { listen: true });
    const socketsB: LiveClientSocket[] = [];
    try {
      await redisReady(appB);
      const address = appB.getHttpServer().address() as { port: number };
      const connectB = async (from: string) => {
        const socket = await connectLive(`http://127.0.0.1:${address.port}`, { headers: { 'x-forwarded-for': from } });
        socketsB.push(socket);
        return socket;
      };
      const third = await connectB(ip);
      for (let i = 0; i < 5; i++) expectNotFound(await subscribeUnknown(third)); // 25 from this address
      expect(await subscribeUnknown(third)).toEqual(tooManyRequests);
      // Other addresses are not affected.
      expectNotFound(await subscribeUnknown(await connectB(clientIp())));
    } finally {
      socketsB.forEach((socket) => socket.close());
      await appB.close();
    }
  }, 60_000);

  it('cuts off a burst of 3,000 subscribes from one socket without a PostgreSQL query', async () => {
    const socket = await connect(clientIp());
    await startCounting();
    const disconnected = disconnection(socket);
    const answers: Answer[] = [];
    for (let i = 0; i < 3000; i++) socket.emit('subscribe', { trainNumber: unknownTrain() }, (answer) => answers.push(answer));
    const { notice, reason } = await disconnected;
    expect(notice.error.code).toBe('TOO_MANY_REQUESTS');
    expect(reason).toBe('io server disconnect');
    // At most a budget of lookups, the rest refused or cut off; none of it reached PostgreSQL.
    const codes = answers.map((answer) => (answer.ok ? 'OK' : answer.error.code));
    expect(codes.filter((code) => code === 'TRAIN_NOT_FOUND').length).toBeLessThanOrEqual(PER_CONNECTION);
    expect(codes.filter((code) => code !== 'TRAIN_NOT_FOUND' && code !== 'TOO_MANY_REQUESTS')).toEqual([]);
    expect(answers.length).toBeLessThanOrEqual(2 * PER_CONNECTION);
    expect(counter.statements).toEqual([]);
    // Other clients are served as usual.
    expectNotFound(await subscribeUnknown(await connect(clientIp())));
  });
});
