import { beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { REDIS } from '../src/common/redis/redis.module.js';
import { createTestApp, testEnv, useTestApp } from './app.factory.js';
import { AUTH, registerUser } from './auth-helpers.js';
import { newAccount } from './builders/users.js';

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
    // Registered from elsewhere: register shares the per-IP budget, and this test spends all of it.
    const { email, password } = await registerUser(api, {}, { 'X-Forwarded-For': clientIp() });
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

  it('does not lock the owner out: failures count per account and IP together, so the owner logs in from another IP', async () => {
    const attacker = clientIp();
    const owner = clientIp();
    const { email, password } = await registerUser(api, {}, { 'X-Forwarded-For': owner });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await loginFrom(api.http, attacker, email)).status).toBe(401);
    }
    expectTooManyRequests(await loginFrom(api.http, attacker, email, password));

    const ownLogin = await loginFrom(api.http, owner, email, password);
    expect(ownLogin.status).toBe(200);
    expect(ownLogin.body.user.email).toBe(email);
    // Still blocked for the attacker's IP.
    expectTooManyRequests(await loginFrom(api.http, attacker, email, password));
  });

  it('shares one per-IP budget between register, login and refresh', async () => {
    const ip = clientIp();
    const from = (path: string, body: object) => api.http.post(`${AUTH}/${path}`).set('X-Forwarded-For', ip).send(body);
    // Six attempts, two per endpoint: the budget (6) is spent.
    const { email, password, body: session } = await registerUser(api, {}, { 'X-Forwarded-For': ip });
    expect((await from('register', newAccount())).status).toBe(201);
    expect((await from('login', { email, password })).status).toBe(200);
    expect((await from('login', { email: `${randomUUID()}@example.com`, password: 'wrong password' })).status).toBe(401);
    const { body: rotated } = await from('refresh', { refreshToken: session.refreshToken }).expect(200);
    expect((await from('refresh', { refreshToken: randomUUID().repeat(2) })).status).toBe(401);

    for (const [path, body] of [
      ['login', { email, password }],
      ['register', newAccount()],
      ['refresh', { refreshToken: rotated.refreshToken }],
    ] as const) {
      const response = await from(path, body);
      expect({ path, status: response.status, code: response.body.code }).toEqual({ path, status: 429, code: 'TOO_MANY_REQUESTS' });
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
    }
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
