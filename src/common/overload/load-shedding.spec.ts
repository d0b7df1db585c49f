import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { NextFunction, Request, Response } from 'express';
import { EventLoopLagGauge, type LoadGauge, loadShedding } from './load-shedding.js';

class FakeResponse {
  statusCode = 200;
  headers: Record<string, string> = {};
  body: unknown;
  private listeners = new Map<string, () => void>();
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  set(name: string, value: string) {
    this.headers[name] = value;
    return this;
  }
  type(value: string) {
    this.headers['content-type'] = value;
    return this;
  }
  json(body: unknown) {
    this.body = body;
    return this;
  }
  once(event: string, listener: () => void) {
    this.listeners.set(event, listener);
    return this;
  }
  emit(event: string) {
    this.listeners.get(event)?.();
  }
}

const requestTo = (path: string) => ({ path, originalUrl: `${path}?x=1` }) as unknown as Request;

describe('loadShedding', () => {
  let lag = 0;
  const gauge: LoadGauge = { lagMs: () => lag };
  const shed: string[] = [];
  let shedder: ReturnType<typeof loadShedding>;
  const handle = (path = '/api/v1/catalog') => {
    const response = new FakeResponse();
    let passed = false;
    shedder(requestTo(path), response as unknown as Response, (() => (passed = true)) as NextFunction);
    return { response, passed };
  };
  beforeEach(() => {
    lag = 0;
    shed.length = 0;
    shedder = loadShedding({ maxInFlight: 2, maxLagMs: 200, exempt: ['/health/live'], gauge, onShed: (reason) => shed.push(reason) });
  });

  it('passes requests under both bounds and counts each until it finishes or its connection closes', () => {
    const first = handle();
    const second = handle();
    expect([first.passed, second.passed]).toEqual([true, true]);
    const third = handle();
    expect(third.passed).toBe(false);
    expect(third.response.statusCode).toBe(503);
    expect(third.response.headers['Retry-After']).toBe('1');
    expect(third.response.body).toMatchObject({ status: 503, code: 'OVERLOADED', instance: '/api/v1/catalog' });
    first.response.emit('finish');
    expect(handle().passed).toBe(false); // still counted until its response closes
    first.response.emit('close'); // Node emits it after 'finish'
    expect(handle().passed).toBe(true);
    expect(handle().passed).toBe(false);
    second.response.emit('close'); // a client gone before the answer frees its place too
    expect(handle().passed).toBe(true);
    expect(shed).toEqual(['in_flight', 'in_flight', 'in_flight']);
  });

  it('refuses while the event loop is behind by more than the bound and other requests are in hand, and only then', () => {
    lag = 201;
    const first = handle(); // none in hand: a loop held by something else is not overload
    expect(first.passed).toBe(true);
    const refused = handle();
    expect(refused.passed).toBe(false);
    expect(refused.response.body).toMatchObject({ code: 'OVERLOADED', detail: 'This instance is overloaded (event loop 201 ms behind); retry after 1 s' });
    lag = 200;
    const served = handle();
    expect(served.passed).toBe(true);
    served.response.emit('close');
    first.response.emit('close');
    lag = 10_000;
    expect(handle().passed).toBe(true);
    expect(shed).toEqual(['lag']);
  });

  it('always answers the exempt paths (liveness)', () => {
    lag = 10_000;
    expect(handle('/health/live').passed).toBe(true);
    expect(shed).toEqual([]);
  });
});

describe('EventLoopLagGauge', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads how late its timer ran, and forgets a block by halves', () => {
    let now = 0;
    const gauge = new EventLoopLagGauge(50, () => now);
    now = 50;
    jest.advanceTimersByTime(50);
    expect(gauge.lagMs()).toBe(0);
    now = 100 + 400; // the loop was held 400 ms past the next sample
    jest.advanceTimersByTime(50);
    expect(gauge.lagMs()).toBe(400);
    now += 50;
    jest.advanceTimersByTime(50);
    expect(gauge.lagMs()).toBe(200);
    now += 50;
    jest.advanceTimersByTime(50);
    expect(gauge.lagMs()).toBe(100);
    gauge.stop();
  });
});
