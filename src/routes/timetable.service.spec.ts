import { describe, expect, it } from '@jest/globals';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import { Metrics } from '../common/observability/metrics.js';
import type { RouteStop } from './route-stop.entity.js';
import type { CatalogReloadPolicy } from '../catalog/catalog-snapshot.js';
import type { CatalogVersionRepository } from '../catalog/catalog-version.repository.js';
import { CatalogWrites } from '../catalog/catalog-writes.js';
import type { RoutesRepository, TimetableRows } from './routes.repository.js';
import { timetablesOf, TimetableService } from './timetable.service.js';

/** A routes table the test answers for: each query waits for the test to settle it. */
class FakeRoutes {
  queries: Array<{ resolve: (catalog: TimetableRows) => void; reject: (error: Error) => void }> = [];
  /** The catalog version: a test bumps it for a write made elsewhere (another instance, an import). */
  version = 1;

  current(): Promise<string> {
    return Promise.resolve(String(this.version));
  }

  timetableRows(): Promise<TimetableRows> {
    return new Promise((resolve, reject) => this.queries.push({ resolve, reject }));
  }

  /** Answers the oldest open query with one train named `name`. */
  answer(name: string): void {
    const { train, patterns } = weeklyTimetable({ id: 't1', number: '12951', name }, overnightRoute());
    this.answerWith({ trains: [train], patterns: patterns.map(({ pattern }) => pattern), stops: patterns[0].stops.map((stop) => ({ ...stop, train }) as RouteStop) });
  }

  /** Answers the oldest open query with these rows. */
  answerWith(rows: TimetableRows): void {
    this.queries.shift()!.resolve(rows);
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
  const policy: CatalogReloadPolicy = { intervalMs: 60_000, firstRetryMs: 1000, now: () => clock.ms };
  const metrics = new Metrics();
  const writes = new CatalogWrites();
  const service = new TimetableService(routes as unknown as RoutesRepository, routes as unknown as CatalogVersionRepository, writes, metrics, policy);
  const nameNow = async () => (await service.all()).get('t1')?.train.name;
  const reloads = async () => (await metrics.timetableReloads.get()).values.map(({ labels, value }) => `${labels.outcome}=${value}`).sort();
  return { routes, clock, service, nameNow, reloads, stationWritten: () => writes.written() };
}

describe('TimetableService', () => {
  it('loads once for concurrent first reads, and fails them while there is nothing to serve', async () => {
    const { routes, service, nameNow } = setup();
    const first = [service.all(), service.all()];
    await settle();
    expect(routes.queries).toHaveLength(1);
    routes.fail();
    for (const read of first) await expect(read).rejects.toThrow(/ECONNREFUSED/);
    const next = nameNow();
    await settle();
    expect(routes.queries).toHaveLength(1);
    routes.answer('Rajdhani');
    expect(await next).toBe('Rajdhani');
  });

  it('checks the catalog version once per interval and reloads in the background only when it moved', async () => {
    const { routes, clock, service, nameNow } = setup();
    const first = nameNow();
    await settle();
    routes.answer('Rajdhani');
    expect(await first).toBe('Rajdhani');
    expect(await service.version()).toBe('1');
    // Unchanged catalog: the check costs no reload.
    clock.ms = 60_000;
    expect(await nameNow()).toBe('Rajdhani');
    await settle();
    expect(routes.queries).toHaveLength(0);
    // Another instance wrote: the next check, not sooner, reloads; the read that finds it does not wait.
    routes.version = 2;
    clock.ms = 119_999;
    await nameNow();
    await settle();
    expect(routes.queries).toHaveLength(0);
    clock.ms = 120_000;
    expect(await nameNow()).toBe('Rajdhani');
    await settle();
    expect(routes.queries).toHaveLength(1);
    // Reads while it runs share it.
    await nameNow();
    await settle();
    expect(routes.queries).toHaveLength(1);
    routes.answer('Rajdhani Express');
    await settle();
    expect(await nameNow()).toBe('Rajdhani Express');
    expect(await service.version()).toBe('2');
  });

  it('keeps serving the last good timetable when reloads fail, retrying after 1, 2, 4 … s up to the interval', async () => {
    const { routes, clock, nameNow, reloads } = setup();
    const first = nameNow();
    await settle();
    routes.answer('Rajdhani');
    await first;
    routes.version = 2;
    clock.ms = 60_000;
    const attempts: number[] = [];
    // Read every 500 ms for 4 minutes with PostgreSQL down; note when a reload is tried.
    for (; clock.ms <= 300_000; clock.ms += 500) {
      expect(await nameNow()).toBe('Rajdhani');
      await settle();
      if (routes.queries.length > 0) {
        attempts.push(clock.ms);
        routes.fail();
        await settle();
      }
    }
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]);
    expect(gaps).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
    expect(await reloads()).toEqual(['failed=9', 'ok=1']);

    // PostgreSQL is back: the next retry reloads, and checks are once per interval again.
    clock.ms = attempts.at(-1)! + 60_000;
    expect(await nameNow()).toBe('Rajdhani');
    await settle();
    routes.answer('Rajdhani Express');
    await settle();
    expect(await nameNow()).toBe('Rajdhani Express');
    routes.version = 3;
    clock.ms += 59_999;
    await nameNow();
    await settle();
    expect(routes.queries).toHaveLength(0);
  });

  it('after a route change on this instance, the next read waits for a timetable loaded after it', async () => {
    const { routes, clock, service, nameNow } = setup();
    const first = nameNow();
    await settle();
    routes.answer('Rajdhani');
    await first;
    // A reload started before the change may have read the old route.
    routes.version = 2;
    clock.ms = 60_000;
    await nameNow();
    await settle();
    service.invalidate();
    const read = nameNow();
    await settle();
    expect(routes.queries).toHaveLength(2);
    routes.answer('Rajdhani');
    routes.answer('Rajdhani (new route)');
    expect(await read).toBe('Rajdhani (new route)');
    await settle();
    expect(await nameNow()).toBe('Rajdhani (new route)');
  });

  it('after any catalog write on this instance, a station’s too (stops carry their stations), the next read waits for a reload', async () => {
    const { routes, nameNow, stationWritten } = setup();
    const first = nameNow();
    await settle();
    routes.answer('Rajdhani');
    await first;
    stationWritten();
    const read = nameNow();
    await settle();
    expect(routes.queries).toHaveLength(1);
    routes.answer('Rajdhani via a renamed station');
    expect(await read).toBe('Rajdhani via a renamed station');
  });

  it('serves the last good timetable after a route change when the reload fails', async () => {
    const { routes, service, nameNow } = setup();
    const first = nameNow();
    await settle();
    routes.answer('Rajdhani');
    await first;
    service.invalidate();
    const read = nameNow();
    await settle();
    routes.fail();
    expect(await read).toBe('Rajdhani');
  });
});

describe('TimetableService.connections', () => {
  /** Two trains on the overnight route (AAA, BBB, CCC, DDD), leaving at the same time; stops carry their station's code as id. */
  const rows = (): TimetableRows => {
    const both = ['12952', '12951'].map((number) => weeklyTimetable({ id: `t${number}`, number, name: number }, overnightRoute()));
    return {
      trains: both.map(({ train }) => train),
      patterns: both.map(({ patterns }) => patterns[0].pattern),
      stops: both.flatMap(({ train, patterns }) => patterns[0].stops.map((stop) => ({ ...stop, train, stationId: stop.station!.code }) as RouteStop)),
    };
  };

  it('lists the patterns calling at one station and later at the other, in departure order then number, worked out once per catalog version', async () => {
    const { routes, clock, service } = setup();
    const first = service.connections('AAA', 'CCC');
    await settle();
    routes.answerWith(rows());
    const found = await first;
    expect(found.map(({ from, to }) => [from.train!.number, from.sequence, to.sequence])).toEqual([
      ['12951', 1, 3],
      ['12952', 1, 3],
    ]);
    expect(await service.connections('AAA', 'CCC')).toBe(found);
    expect(await service.connections('CCC', 'AAA')).toEqual([]);

    // A new catalog version: worked out again, from the new timetable.
    routes.version = 2;
    clock.ms = 60_000;
    await service.connections('AAA', 'CCC');
    await settle();
    routes.answerWith(rows());
    await settle();
    const again = await service.connections('AAA', 'CCC');
    expect(again).not.toBe(found);
    expect(again.map(({ from }) => from.train!.number)).toEqual(['12951', '12952']);
  });
});

describe('timetablesOf', () => {
  const rowsOf = () => {
    const a = weeklyTimetable({ id: 't1', number: '12951', name: 'Rajdhani' }, overnightRoute());
    const b = weeklyTimetable({ id: 't2', number: '12952', name: 'Rajdhani back' }, overnightRoute());
    const stops = [a, b].flatMap(({ train, patterns }) => patterns[0].stops.map((stop) => ({ ...stop, train }) as RouteStop));
    return { trains: [a.train, b.train], patterns: [a, b].map(({ patterns }) => patterns[0].pattern), stops };
  };

  it('indexes each timetable once under every station it calls at, in timetable order', async () => {
    const rows = rowsOf();
    const { callingAt, timetables, version } = await timetablesOf('7', rows);
    expect(version).toBe('7');
    const stations = new Set(rows.stops.map((stop) => stop.stationId));
    expect([...callingAt.keys()].sort()).toEqual([...stations].sort());
    for (const station of stations) expect(callingAt.get(station)!.map((timetable) => timetable.train.id)).toEqual([...timetables.keys()]);
  });

  it('keeps a one-stop pattern as a route to show, but out of the timetables (it cannot run)', async () => {
    const rows = rowsOf();
    const [first, ...rest] = rows.stops.filter((stop) => stop.trainId === 't2');
    const { timetables, routes } = await timetablesOf('1', { ...rows, stops: rows.stops.filter((stop) => !rest.includes(stop)) });
    expect([...timetables.keys()]).toEqual(['t1']);
    expect(routes.get('t2')).toEqual([{ pattern: rows.patterns[1], stops: [first] }]);
    expect(routes.get('t1')![0].stops).toHaveLength(rows.stops.filter((stop) => stop.trainId === 't1').length);
  });

  it('yields to the event loop while it builds, so a large catalog does not hold it', async () => {
    let ranDuringBuild = false;
    setImmediate(() => (ranDuringBuild = true));
    await timetablesOf('1', rowsOf(), 2);
    expect(ranDuringBuild).toBe(true);
  });

  it('builds in one go without yielding when the catalog fits one slice', async () => {
    let ranDuringBuild = false;
    setImmediate(() => (ranDuringBuild = true));
    await timetablesOf('1', rowsOf(), 10_000);
    expect(ranDuringBuild).toBe(false);
  });
});
