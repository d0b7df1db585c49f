import { beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { REDIS } from '../src/common/redis/redis.module.js';
import { createTestApp, testEnv, useTestApp } from './app.factory.js';
import { AUTH, registerUser } from './auth-helpers.js';

/**
 * One environment for the whole file: ConfigModule reads the environment once, when AppModule
 * is first imported, so every app this file boots runs with it. App B below reuses its
 * REDIS_KEY_PREFIX on purpose.
 *
 * The per-IP counter is shared by every login of the file, so each test poses as its own client
 * IP through X-Forwarded-For (trusted from one proxy hop) to own its counters.
 */
const env = {
  ...testEnv(),
  AUTH_RATE_LIMIT_PER_ACCOUNT: '3',
  AUTH_RATE_LIMIT_PER_IP: '6',
  AUTH_RATE_LIMIT_WINDOW_SECONDS: '60',
  TRUST_PROXY_HOPS: '1',
};

const clientIp = () => `10.${Array.from({ length: 3 }, () => Math.floor(Math.random() * 254) + 1).join('.')}`;

/** The Redis client connects in the background and the limiter fails open until it is ready. */
async function redisReady(app: INestApplication): Promise<void> {
  const redis = app.get<Redis | null>(REDIS);
  expect(redis).not.toBeNull();
  if (redis!.status !== 'ready') await once(redis!, 'ready');
}

function expectTooManyRequests(response: request.Response) {
  expect(response.status).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['retry-after']).toMatch(/^\d+$/);
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.body).toMatchObject({ type: 'about:blank', title: 'Too Many Requests', status: 429, code: 'TOO_MANY_REQUESTS', instance: `${AUTH}/login` });
}

describe('auth rate limits', () => {
  const api = useTestApp(env);
  const loginFrom = (http: ReturnType<typeof request>, ip: string, email: string, password = 'wrong password') =>
    http.post(`${AUTH}/login`).set('X-Forwarded-For', ip).send({ email, password });

  beforeAll(async () => {
    await redisReady(api.app);
  });

  it('answers the 4th failing login for one email within the window with 429 and Retry-After; other emails still get 401', async () => {
    const ip = clientIp();
    const { email, password } = await registerUser(api, {}, { 'X-Forwarded-For': ip });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { status, body } = await loginFrom(api.http, ip, email);
      expect({ attempt, status, code: body.code }).toEqual({ attempt, status: 401, code: 'INVALID_CREDENTIALS' });
    }
    expectTooManyRequests(await loginFrom(api.http, ip, email));
    // Blocked for the window, even with the right password (and in another case).
    expectTooManyRequests(await loginFrom(api.http, ip, ` ${email.toUpperCase()} `, password));

    const other = await loginFrom(api.http, ip, `${randomUUID()}@example.com`);
    expect(other.status).toBe(401);
    expect(other.body.code).toBe('INVALID_CREDENTIALS');
    expect(other.headers['retry-after']).toBeUndefined();
  });

  it('answers the 7th login from one IP within the window with 429, across different emails', async () => {
    const ip = clientIp();
    for (let attempt = 1; attempt <= 6; attempt++) {
      const { status } = await loginFrom(api.http, ip, `${randomUUID()}@example.com`);
      expect({ attempt, status }).toEqual({ attempt, status: 401 });
    }
    expectTooManyRequests(await loginFrom(api.http, ip, `${randomUUID()}@example.com`));
    // Another client is not affected.
    expect((await loginFrom(api.http, clientIp(), `${randomUUID()}@example.com`)).status).toBe(401);
  });

  it('shares the counters across app instances through Redis', async () => {
    const ip = clientIp();
    const email = `${randomUUID()}@example.com`;
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await loginFrom(api.http, ip, email)).status).toBe(401);
    }
    const appB = await createTestApp({ ...env });
    try {
      await redisReady(appB);
      const httpB = request(appB.getHttpServer());
      expectTooManyRequests(await loginFrom(httpB, ip, email));
      // App B otherwise answers normally.
      expect((await loginFrom(httpB, clientIp(), `${randomUUID()}@example.com`)).status).toBe(401);
    } finally {
      await appB.close();
    }
  }, 60_000);
});
