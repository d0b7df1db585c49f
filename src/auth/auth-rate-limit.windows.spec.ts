import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type ExecutionContext, HttpException } from '@nestjs/common';
import { testConfig } from '../../test/builders/config.js';
import { MemoryRateLimitStore, type RateLimitResult, type RateLimitStore } from '../common/rate-limit/rate-limit.store.js';
import { accountOf, AuthRateLimitGuard } from './auth-rate-limit.guard.js';

/** An in-memory store that remembers the keys it was asked about. */
class RecordingStore implements RateLimitStore {
  private readonly memory = new MemoryRateLimitStore();
  keys: string[] = [];
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    this.keys.push(key);
    return this.memory.hit(key, limit, windowMs);
  }
}

class AuthController {
  login() {}
  refresh() {}
}

function setUp(limits: { perIp?: number; perAccount?: number } = {}, store: RateLimitStore = new RecordingStore()) {
  const guard = new AuthRateLimitGuard(
    store,
    testConfig({ AUTH_RATE_LIMIT_PER_IP: limits.perIp ?? 100, AUTH_RATE_LIMIT_PER_ACCOUNT: limits.perAccount ?? 100, AUTH_RATE_LIMIT_WINDOW_SECONDS: 60 }),
  );
  /** One request to a handler of AuthController; resolves with the status it would get (200: let through) and its headers. */
  const attempt = async (body: Record<string, unknown>, ip = '10.0.0.1', handler: 'login' | 'refresh' = 'login') => {
    const headers: Record<string, string> = {};
    const context = {
      switchToHttp: () => ({ getRequest: () => ({ ip, body }), getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }) }),
      getClass: () => AuthController,
      getHandler: () => AuthController.prototype[handler],
    } as unknown as ExecutionContext;
    try {
      await guard.canActivate(context);
      return { status: 200, headers };
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      return { status: error.getStatus(), headers, message: error.message };
    }
  };
  return { attempt, store };
}

afterEach(() => {
  jest.useRealTimers();
});

// Accounts counted per client IP, and the shared per-IP budget: auth-rate-limit.guard.spec.ts.
describe('AuthRateLimitGuard windows', () => {
  it('lets a client IP through up to its limit, then answers 429 with Retry-After', async () => {
    const { attempt } = setUp({ perIp: 3 });
    for (let i = 0; i < 3; i++) expect((await attempt({ email: `user${i}@example.com` })).status).toBe(200);
    const refused = await attempt({ email: 'user9@example.com' });
    expect(refused).toEqual({ status: 429, headers: { 'Retry-After': '60' }, message: 'Too many attempts; retry in 60 s' });
    // Another client IP is not affected.
    expect((await attempt({ email: 'user9@example.com' }, '10.0.0.2')).status).toBe(200);
  });

  it('limits a request that names no account by its IP only', async () => {
    const { attempt, store } = setUp({ perIp: 1, perAccount: 1 });
    expect((await attempt({})).status).toBe(200);
    expect((store as RecordingStore).keys).toHaveLength(1);
    expect((await attempt({ email: 42 })).status).toBe(429);
  });

  it('lets the client in again once the window has passed', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z'), doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate'] });
    const { attempt } = setUp({ perIp: 1 });
    expect((await attempt({ email: 'a@example.com' })).status).toBe(200);
    expect((await attempt({ email: 'a@example.com' })).status).toBe(429);
    jest.setSystemTime(new Date('2026-11-24T10:00:59Z'));
    expect((await attempt({ email: 'a@example.com' })).status).toBe(429);
    jest.setSystemTime(new Date('2026-11-24T10:02:01Z'));
    expect((await attempt({ email: 'a@example.com' })).status).toBe(200);
  });

  it('asks the client to wait for the longest of the limits it hit', async () => {
    // Every limit is exceeded; the n-th one checked in a request asks for a different wait.
    let checked = 0;
    const waits = [10, 42];
    const { attempt } = setUp({}, { hit: async (): Promise<RateLimitResult> => ({ blocked: true, hits: 9, retryAfterSeconds: waits[checked++ % 2] }) });
    expect(await attempt({ email: 'alice@example.com' })).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
    checked = 0;
    expect(await attempt({})).toMatchObject({ status: 429, headers: { 'Retry-After': '10' } });
  });
});

describe('accountOf', () => {
  it('names the account by normalized email, else by a short hash of the refresh token, else none', () => {
    expect(accountOf({ body: { email: '  Alice@Example.COM ' } } as never)).toBe('email:alice@example.com');
    expect(accountOf({ body: { refreshToken: 'secret-token' } } as never)).toMatch(/^token:[0-9a-f]{32}$/);
    expect(accountOf({ body: { refreshToken: 'secret-token' } } as never)).toBe(accountOf({ body: { refreshToken: 'secret-token' } } as never));
    expect(accountOf({ body: {} } as never)).toBeNull();
    expect(accountOf({} as never)).toBeNull();
  });
});
