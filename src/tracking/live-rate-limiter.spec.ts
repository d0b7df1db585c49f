import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { TestClock } from '../../test/live-helpers.js';
import { MemoryRateLimitStore } from '../common/rate-limit/rate-limit.store.js';
import type { Env } from '../config/env.validation.js';
import { type Admission, clientIp, ConnectionBudget, LiveRateLimiter } from './live-rate-limiter.js';

const handshake = (address: string, forwardedFor?: string) => ({ address, headers: { 'x-forwarded-for': forwardedFor } });
const outcome = (admission: Admission) => (admission.admitted ? 'admitted' : admission.disconnect ? 'disconnect' : 'refused');

function setup(limits: Partial<Env> = {}) {
  const clock = new TestClock(new Date('2026-11-24T10:00:00Z'));
  const config: Partial<Env> = {
    SOCKET_RATE_LIMIT_PER_CONNECTION: 3,
    SOCKET_RATE_LIMIT_PER_IP: 100,
    SOCKET_RATE_LIMIT_WINDOW_SECONDS: 10,
    TRUST_PROXY_HOPS: 0,
    ...limits,
  };
  const limiter = new LiveRateLimiter(new MemoryRateLimitStore(), clock, { get: (key: keyof Env) => config[key] } as unknown as ConfigService<Env, true>);
  const advance = (ms: number) => (clock.at = new Date(clock.at.getTime() + ms));
  return { limiter, advance };
}

async function send(limit: { admit(): Promise<Admission> }, events: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < events; i++) outcomes.push(outcome(await limit.admit()));
  return outcomes;
}

describe('LiveRateLimiter', () => {
  it('admits a connection’s budget of events per window, refuses as many more, then asks to disconnect', async () => {
    const { limiter } = setup();
    const limit = limiter.forConnection(handshake('10.0.0.1'));
    expect(await send(limit, 7)).toEqual(['admitted', 'admitted', 'admitted', 'refused', 'refused', 'refused', 'disconnect']);
  });

  it('refuses with TOO_MANY_REQUESTS and the seconds left in the window', async () => {
    const { limiter, advance } = setup();
    const limit = limiter.forConnection(handshake('10.0.0.1'));
    await send(limit, 3);
    advance(2500);
    const refused = await limit.admit();
    expect(refused).toMatchObject({ admitted: false, disconnect: false, error: { code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 8, message: 'Too many events from this connection; retry in 8 s' } });
  });

  it('gives a new budget, and forgives refusals, when the window ends', async () => {
    const { limiter, advance } = setup();
    const limit = limiter.forConnection(handshake('10.0.0.1'));
    expect(await send(limit, 5)).toEqual(['admitted', 'admitted', 'admitted', 'refused', 'refused']);
    advance(9_999);
    expect(await send(limit, 1)).toEqual(['refused']);
    advance(1);
    expect(await send(limit, 6)).toEqual(['admitted', 'admitted', 'admitted', 'refused', 'refused', 'refused']);
  });

  it('shares one budget between the connections of a client IP; other addresses are not affected', async () => {
    const { limiter } = setup({ SOCKET_RATE_LIMIT_PER_IP: 4 });
    const [first, second] = [limiter.forConnection(handshake('10.0.0.1')), limiter.forConnection(handshake('10.0.0.1'))];
    expect(await send(first, 3)).toEqual(['admitted', 'admitted', 'admitted']);
    expect(await send(second, 1)).toEqual(['admitted']);
    const refused = await second.admit();
    expect(refused).toMatchObject({ admitted: false, error: { message: expect.stringMatching(/^Too many events from this address; retry in \d+ s$/) } });
    expect(await send(limiter.forConnection(handshake('10.0.0.2')), 1)).toEqual(['admitted']);
  });

  it('reads the client IP behind trusted proxies as Express does', () => {
    expect(setup({ TRUST_PROXY_HOPS: 1 }).limiter.forConnection(handshake('127.0.0.1', '203.0.113.7')).ip).toBe('203.0.113.7');
    expect(setup().limiter.forConnection(handshake('127.0.0.1', '203.0.113.7')).ip).toBe('127.0.0.1');
  });
});

describe('clientIp', () => {
  it('takes the address `hops` entries back from the peer, the left-most when the chain is shorter', () => {
    expect(clientIp('10.0.0.9', undefined, 0)).toBe('10.0.0.9');
    expect(clientIp('10.0.0.9', '1.1.1.1, 2.2.2.2', 0)).toBe('10.0.0.9');
    expect(clientIp('10.0.0.9', '1.1.1.1, 2.2.2.2', 1)).toBe('2.2.2.2');
    expect(clientIp('10.0.0.9', '1.1.1.1, 2.2.2.2', 2)).toBe('1.1.1.1');
    expect(clientIp('10.0.0.9', '1.1.1.1, 2.2.2.2', 5)).toBe('1.1.1.1');
    expect(clientIp('10.0.0.9', ['1.1.1.1', '2.2.2.2'], 1)).toBe('2.2.2.2');
  });
});

describe('ConnectionBudget', () => {
  it('starts its window at the first event', () => {
    const budget = new ConnectionBudget(1, 1000);
    expect(budget.take(5000)).toBe(true);
    expect(budget.take(5999)).toBe(false);
    expect(budget.secondsLeft(5999)).toBe(1);
    expect(budget.take(6000)).toBe(true);
  });
});
