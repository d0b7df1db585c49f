import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { MemoryRateLimitStore } from '../common/rate-limit/rate-limit.store.js';
import type { Env } from '../config/env.validation.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';

class AuthController {
  register() {}
  login() {}
  refresh() {}
}

function setup() {
  const config: Partial<Env> = { AUTH_RATE_LIMIT_PER_IP: 4, AUTH_RATE_LIMIT_PER_ACCOUNT: 2, AUTH_RATE_LIMIT_WINDOW_SECONDS: 60 };
  const guard = new AuthRateLimitGuard(new MemoryRateLimitStore(), { get: (key: keyof Env) => config[key] } as unknown as ConfigService<Env, true>);
  const attempt = async (handler: keyof AuthController, ip: string, body: object): Promise<number> => {
    const headers: Record<string, string> = {};
    const context = {
      getClass: () => AuthController,
      getHandler: () => AuthController.prototype[handler],
      switchToHttp: () => ({ getRequest: () => ({ ip, body }), getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }) }),
    } as unknown as ExecutionContext;
    try {
      return (await guard.canActivate(context)) ? 200 : 403;
    } catch (error) {
      return (error as { getStatus(): number }).getStatus();
    }
  };
  return { attempt };
}

describe('AuthRateLimitGuard', () => {
  it('spends one per-IP budget across register, login and refresh', async () => {
    const { attempt } = setup();
    const statuses = [
      await attempt('register', '10.0.0.1', { email: 'a@example.com' }),
      await attempt('login', '10.0.0.1', { email: 'b@example.com' }),
      await attempt('refresh', '10.0.0.1', { refreshToken: 'x'.repeat(43) }),
      await attempt('login', '10.0.0.1', { email: 'c@example.com' }),
      await attempt('register', '10.0.0.1', { email: 'd@example.com' }),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(await attempt('register', '10.0.0.2', { email: 'd@example.com' })).toBe(200);
  });

  it('counts an account per client IP: an account blocked from one address still logs in from another', async () => {
    const { attempt } = setup();
    const login = (ip: string) => attempt('login', ip, { email: 'Owner@Example.com ' });
    expect([await login('10.0.0.66'), await login('10.0.0.66'), await login('10.0.0.66')]).toEqual([200, 200, 429]);
    expect(await attempt('login', '10.0.0.66', { email: 'owner@example.com' })).toBe(429);
    expect(await login('10.0.0.7')).toBe(200);
  });
});
