import { afterAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TimetableService } from '../src/routes/timetable.service.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login } from './auth-helpers.js';
import { connectLive, type LiveClientSocket, subscribeTo } from './live-helpers.js';
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
};

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
  const api = useTestApp(env, { listen: true });
  const sockets: LiveClientSocket[] = [];
  const connect = async (ip: string) => {
    const socket = await connectLive(api.url, { headers: { 'x-forwarded-for': ip } });
    sockets.push(socket);
    return socket;
  };
  let counter: { statements: string[] };
  /** Counting starts with a timetable just loaded, so its minutely reload cannot fall inside a test. */
  const startCounting = async () => {
    const timetable = api.app.get(TimetableService);
    timetable.invalidate();
    await timetable.byNumber('12951');
    counter ??= countQueries(api.app);
    counter.statements.length = 0;
  };
  afterAll(() => sockets.forEach((socket) => socket.close()));

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
});
