import { describe, expect, it } from '@jest/globals';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import { Metrics } from '../common/observability/metrics.js';
import type { RouteStop } from './route-stop.entity.js';
import type { RoutesRepository, TimetableRows } from './routes.repository.js';
import { TimetableService, type TimetableReloadPolicy } from './timetable.service.js';

/** A routes table the test answers for: each query waits for the test to settle it. */
class FakeRoutes {
  queries: Array<{ resolve: (catalog: TimetableRows) => void; reject: (error: Error) => void }> = [];

  timetableRows(): Promise<TimetableRows> {
    return new Promise((resolve, reject) => this.queries.push({ resolve, reject }));
  }

  /** Answers the oldest open query with one train named `name`. */
  answer(name: string): void {
    const { train, patterns } = weeklyTimetable({ id: 't1', number: '12951', name }, overnightRoute());
    this.queries.shift()!.resolve({ trains: [train], patterns: patterns.map(({ pattern }) => pattern), stops: patterns[0].stops.map((stop) => ({ ...stop, train }) as RouteStop) });
  }

  fail(): void {
    this.queries.shift()!.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
  }
}

/** Lets pending promise callbacks run (the service's own bookkeeping after a query settles). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup() {
  const routes = new FakeRoutes();
  const clock = { ms: 0 };
  const policy: TimetableReloadPolicy = { intervalMs: 60_000, firstRetryMs: 1000, now: () => clock.ms };
  const metrics = new Metrics();
  const service = new TimetableService(routes as unknown as RoutesRepository, metrics, policy);
  const nameNow = async () => (await service.all()).get('t1')?.train.name;
  const reloads = async () => (await metrics.timetableReloads.get()).values.map(({ labels, value }) => `${labels.outcome}=${value}`).sort();
  return { routes, clock, service, nameNow, reloads };
}

describe('TimetableService', () => {
  it('loads once for concurrent first reads, and fails them while there is nothing to serve', async () => {
    const { routes, service, nameNow } = setup();
    const first = [service.all(), service.all()];
    expect(routes.queries).toHaveLength(1);
    routes.fail();
    for (const read of first) await expect(read).rejects.toThrow(/ECONNREFUSED/);
    const next = nameNow();
    expect(routes.queries).toHaveLength(1);
    routes.answer('Rajdhani');
    expect(await next).toBe('Rajdhani');
  });

  it('reloads in the background once the interval has passed: the read that finds it stale does not wait', async () => {
    const { routes, clock, nameNow } = setup();
    const first = nameNow();
    routes.answer('Rajdhani');
    expect(await first).toBe('Rajdhani');
    clock.ms = 59_999;
    expect(await nameNow()).toBe('Rajdhani');
    expect(routes.queries).toHaveLength(0);
    clock.ms = 60_000;
    expect(await nameNow()).toBe('Rajdhani');
    expect(routes.queries).toHaveLength(1);
    // Reads while it runs share it.
    await nameNow();
    expect(routes.queries).toHaveLength(1);
    routes.answer('Rajdhani Express');
    await settle();
    expect(await nameNow()).toBe('Rajdhani Express');
  });

  it('keeps serving the last good timetable when reloads fail, retrying after 1, 2, 4 … s up to the interval', async () => {
    const { routes, clock, nameNow, reloads } = setup();
    const first = nameNow();
    routes.answer('Rajdhani');
    await first;
    clock.ms = 60_000;
    const attempts: number[] = [];
    // Read every 500 ms for 4 minutes with PostgreSQL down; note when a reload is tried.
    for (; clock.ms <= 300_000; clock.ms += 500) {
      expect(await nameNow()).toBe('Rajdhani');
      if (routes.queries.length > 0) {
        attempts.push(clock.ms);
        routes.fail();
        await settle();
      }
    }
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(await reloads()).toEqual(['failed=9', 'ok=1']);

    // PostgreSQL is back: the next retry reloads, and the interval is a minute again.
    clock.ms = attempts.at(-1)! + 60_000;
    expect(await nameNow()).toBe('Rajdhani');
    routes.answer('Rajdhani Express');
    await settle();
    expect(await nameNow()).toBe('Rajdhani Express');
    clock.ms += 59_999;
    await nameNow();
    expect(routes.queries).toHaveLength(0);
  });

  it('after a route change on this instance, the next read waits for a timetable loaded after it', async () => {
    const { routes, clock, service, nameNow } = setup();
    const first = nameNow();
    routes.answer('Rajdhani');
    await first;
    // A reload started before the change may have read the old route.
    clock.ms = 60_000;
    await nameNow();
    service.invalidate();
    const read = nameNow();
    expect(routes.queries).toHaveLength(2);
    routes.answer('Rajdhani');
    routes.answer('Rajdhani (new route)');
    expect(await read).toBe('Rajdhani (new route)');
    await settle();
    expect(await nameNow()).toBe('Rajdhani (new route)');
  });

  it('serves the last good timetable after a route change when the reload fails', async () => {
    const { routes, service, nameNow } = setup();
    const first = nameNow();
    routes.answer('Rajdhani');
    await first;
    service.invalidate();
    const read = nameNow();
    routes.fail();
    expect(await read).toBe('Rajdhani');
  });
});
