import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { TestClock } from '../../test/builders/clock.js';
import { testConfig } from '../../test/builders/config.js';
import { RuleViolationError } from '../common/errors/domain-errors.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import type { LiveStatusService } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import type { TimetableService } from '../routes/timetable.service.js';
import type { Train } from '../trains/train.entity.js';
import { trainNotFound } from '../trains/train.errors.js';
import type { TrainsService } from '../trains/trains.service.js';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import { type AlertKind, type AlertSettings, NO_ALERTS } from './alert-settings.js';
import type { ArmedAlertState, ArmRequest } from './armed-alert.model.js';
import type { ArmedAlertsService } from './armed-alerts.service.js';
import type { Favorite } from './favorite.entity.js';
import type { FavoritesRepository } from './favorites.repository.js';
import { FavoritesService } from './favorites.service.js';

const MAX = 2;
const train = (number: string) => ({ id: `id-${number}`, number, name: `Train ${number}` }) as Train;
const TRAINS = new Map(['12951', '12952', '12001', '12002'].map((number) => [number, train(number)]));
/** Every train runs the overnight route: AAA (origin) → BBB → CCC → DDD (destination). */
const TIMETABLES = new Map(
  [...TRAINS.values()].map((t) => [
    t.id,
    weeklyTimetable(
      t,
      overnightRoute().map((stop) => ({ ...stop, stationId: `station-${stop.station!.code}` }) as typeof stop),
    ),
  ]),
);

/**
 * The favorites table in memory. Every call is logged with the transaction it ran in (0: none),
 * so a test can see that the cap is counted under the user's lock in the same transaction.
 */
class FakeFavorites {
  rows: Favorite[] = [];
  calls: Array<{ call: string; transaction: number }> = [];
  private log(call: string, manager?: EntityManager) {
    this.calls.push({ call, transaction: (manager as { id?: number } | undefined)?.id ?? 0 });
  }
  async listOfUser(userId: string) {
    return this.rows.filter((row) => row.userId === userId).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }
  async lockUser(_userId: string, manager: EntityManager) {
    this.log('lockUser', manager);
  }
  async find(userId: string, trainId: string, manager?: EntityManager) {
    this.log('find', manager);
    const row = this.rows.find((candidate) => candidate.userId === userId && candidate.trainId === trainId);
    return row ? { ...row } : null;
  }
  async countOfUser(userId: string, manager: EntityManager) {
    this.log('countOfUser', manager);
    return this.rows.filter((row) => row.userId === userId).length;
  }
  async insert(userId: string, trainId: string, createdAt: Date, manager: EntityManager, settings?: { stationId: string | null; alerts: AlertSettings }) {
    this.log('insert', manager);
    const row = { userId, trainId, createdAt, stationId: null, alerts: NO_ALERTS, ...settings, train: [...TRAINS.values()].find((t) => t.id === trainId) } as Favorite;
    this.rows.push(row);
    return row;
  }
  async updateSettings(userId: string, trainId: string, settings: { stationId: string | null; alerts: AlertSettings }, manager: EntityManager) {
    this.log('updateSettings', manager);
    Object.assign(this.rows.find((row) => row.userId === userId && row.trainId === trainId)!, settings);
  }
  async delete(userId: string, trainId: string) {
    this.rows = this.rows.filter((row) => !(row.userId === userId && row.trainId === trainId));
  }
}

/** The armed-alerts index: plans one row per request (on 2026-11-24), records what is armed and disarmed, and in which transaction. */
class FakeArmedAlerts {
  planned: ArmRequest[] = [];
  armed: Array<{ rows: ArmedAlertState[]; transaction: number }> = [];
  disarmed: Array<{ kinds: AlertKind[]; transaction: number }> = [];
  async plan(requests: ArmRequest[], now: Date) {
    this.planned.push(...requests);
    return requests.map((request) => ({ userId: request.userId, trainId: request.trainId, kind: request.kind, serviceDate: '2026-11-24', dueAt: now, sentCount: 0, sentExpectedAt: null }));
  }
  async arm(rows: ArmedAlertState[], manager: EntityManager) {
    this.armed.push({ rows, transaction: (manager as unknown as { id: number }).id });
  }
  async disarm(_userId: string, _trainId: string, kinds: AlertKind[], manager: EntityManager) {
    this.disarmed.push({ kinds, transaction: (manager as unknown as { id: number }).id });
  }
}

function setUp() {
  const favorites = new FakeFavorites();
  const armed = new FakeArmedAlerts();
  const trainByNumber = async (number: string) => {
    const found = TRAINS.get(number);
    if (!found) throw trainNotFound(number);
    return found;
  };
  const clock = new TestClock(new Date('2026-11-24T10:00:00Z'));
  let transactions = 0;
  const service = new FavoritesService(
    favorites as unknown as FavoritesRepository,
    {
      getByNumber: trainByNumber,
      stored: trainByNumber,
      withSummaries: async (trains: Train[]) => trains.map((t) => ({ train: t, summary: undefined })),
    } as unknown as TrainsService,
    {
      ofTrains: async (trains: Train[]) => new Map(trains.map((t) => [t.id, { train: t, realtime: true } as TrainLiveView])),
      callsAhead: async (requests: unknown[]) => requests.map(() => []),
    } as unknown as LiveStatusService,
    { all: async () => TIMETABLES, of: async (id: string) => TIMETABLES.get(id) } as unknown as TimetableService,
    armed as unknown as ArmedAlertsService,
    { run: async <T>(work: (manager: EntityManager) => Promise<T>) => work({ id: ++transactions } as unknown as EntityManager) } as unknown as TransactionRunner,
    clock,
    testConfig({ FAVORITES_MAX_PER_USER: MAX }),
  );
  return { service, favorites, armed, clock };
}

const alerts = (settings: Partial<AlertSettings>): AlertSettings => ({ ...NO_ALERTS, ...settings });

describe('FavoritesService', () => {
  it('adds a train, stamped on the app clock, with its summary and live status', async () => {
    const { service, favorites, clock } = setUp();
    const { favorite, created } = await service.add('u1', '12951');
    expect(created).toBe(true);
    expect(favorite).toMatchObject({ train: { number: '12951' }, addedAt: clock.now(), live: { train: { number: '12951' } } });
    expect(favorites.rows).toHaveLength(1);
  });

  it('adding a train already followed changes nothing and says it was there, with the first time it was added', async () => {
    const { service, favorites, clock } = setUp();
    const first = await service.add('u1', '12951');
    clock.advance(60_000);
    const again = await service.add('u1', '12951');
    expect(again.created).toBe(false);
    expect(again.favorite.addedAt).toEqual(first.favorite.addedAt);
    expect(favorites.rows).toHaveLength(1);
    expect(favorites.calls.filter(({ call }) => call === 'insert')).toHaveLength(1);
  });

  it('refuses a train beyond the per-user limit, and still accepts one already followed at the limit', async () => {
    const { service, favorites } = setUp();
    await service.add('u1', '12951');
    await service.add('u1', '12952');
    await expect(service.add('u1', '12001')).rejects.toEqual(expect.objectContaining({ constructor: RuleViolationError, code: 'FAVORITES_LIMIT_REACHED' }));
    expect(favorites.rows.map((row) => row.trainId).sort()).toEqual(['id-12951', 'id-12952']);
    await expect(service.add('u1', '12952')).resolves.toMatchObject({ created: false });
    // The limit is per user.
    await expect(service.add('u2', '12001')).resolves.toMatchObject({ created: true });
  });

  it('counts against the limit under the user’s lock, in the transaction that inserts', async () => {
    const { service, favorites } = setUp();
    await service.add('u1', '12951');
    expect(favorites.calls.map(({ call }) => call)).toEqual(['lockUser', 'find', 'countOfUser', 'insert']);
    expect(new Set(favorites.calls.map(({ transaction }) => transaction))).toEqual(new Set([1]));
  });

  it('answers TRAIN_NOT_FOUND for an unknown train and writes nothing', async () => {
    const { service, favorites } = setUp();
    await expect(service.add('u1', '99999')).rejects.toMatchObject({ code: 'TRAIN_NOT_FOUND' });
    await expect(service.remove('u1', '99999')).rejects.toMatchObject({ code: 'TRAIN_NOT_FOUND' });
    expect(favorites.calls).toEqual([]);
  });

  it('lists the user’s favorites, most recent first, each with its live status', async () => {
    const { service, clock } = setUp();
    await service.add('u1', '12951');
    clock.advance(60_000);
    await service.add('u1', '12002');
    await service.add('u2', '12952');
    const list = await service.list('u1');
    expect(list.map((favorite) => [favorite.train.number, favorite.live?.train.number])).toEqual([
      ['12002', '12002'],
      ['12951', '12951'],
    ]);
  });

  it('removes a favorite, and removing a train not followed is no error', async () => {
    const { service, favorites } = setUp();
    await service.add('u1', '12951');
    await service.remove('u1', '12951');
    await service.remove('u1', '12951');
    expect(favorites.rows).toEqual([]);
  });

  describe('the rider’s station and alerts', () => {
    it('stores the station and alerts of a new favorite and arms every alert that is on, in the transaction that inserts it', async () => {
      const { service, favorites, armed } = setUp();
      const { favorite, created } = await service.add('u1', '12951', { stationCode: 'CCC', alerts: alerts({ beforeArrivalMinutes: 10, platformChange: true }) });
      expect(created).toBe(true);
      expect(favorite).toMatchObject({ station: { code: 'CCC', name: 'Chandrapur' }, alerts: { beforeArrivalMinutes: 10, platformChange: true, beforeDepartureMinutes: null } });
      expect(favorites.rows[0]).toMatchObject({ stationId: 'station-CCC', alerts: { beforeArrivalMinutes: 10, platformChange: true } });
      expect(armed.planned.map((request) => [request.kind, request.stationCode, request.after])).toEqual([
        ['ARRIVAL', 'CCC', undefined],
        ['PLATFORM', 'CCC', undefined],
      ]);
      expect(armed.armed).toEqual([{ rows: [expect.objectContaining({ kind: 'ARRIVAL' }), expect.objectContaining({ kind: 'PLATFORM' })], transaction: 1 }]);
      expect(favorites.calls.find(({ call }) => call === 'insert')?.transaction).toBe(1);
    });

    it('refuses settings the train and station cannot give, naming every bad field, and writes nothing', async () => {
      const { service, favorites, armed } = setUp();
      const refused = (settings: Parameters<FavoritesService['add']>[2]) => service.add('u1', '12951', settings).catch((error: unknown) => error);
      expect(await refused({ stationCode: null, alerts: alerts({ platformChange: true }) })).toEqual(
        expect.objectContaining({ code: 'INVALID_ALERT_SETTINGS', errors: [{ field: 'stationCode', messages: ['stationCode is required with alerts: the station they are about'] }] }),
      );
      expect(await refused({ stationCode: 'KOTA', alerts: NO_ALERTS })).toEqual(
        expect.objectContaining({ code: 'STATION_NOT_ON_ROUTE', errors: [{ field: 'stationCode', messages: ['KOTA is not a stop of train 12951'] }] }),
      );
      // Where the train starts it does not arrive; where it ends it does not leave.
      expect(await refused({ stationCode: 'AAA', alerts: alerts({ beforeArrivalMinutes: 10, beforeDepartureMinutes: 10 }) })).toEqual(
        expect.objectContaining({ code: 'INVALID_ALERT_SETTINGS', errors: [{ field: 'alerts.beforeArrivalMinutes', messages: ['12951 starts at AAA: it does not arrive there'] }] }),
      );
      expect(await refused({ stationCode: 'DDD', alerts: alerts({ beforeArrivalMinutes: 10, beforeDepartureMinutes: 10 }) })).toEqual(
        expect.objectContaining({ code: 'INVALID_ALERT_SETTINGS', errors: [{ field: 'alerts.beforeDepartureMinutes', messages: ['12951 ends at DDD: it does not leave from there'] }] }),
      );
      expect(favorites.rows).toEqual([]);
      expect([armed.armed, armed.disarmed]).toEqual([[], []]);
    });

    it('keeps an existing favorite’s settings without a body, and disarms only the alerts whose setting changed', async () => {
      const { service, favorites, armed } = setUp();
      await service.add('u1', '12951', { stationCode: 'CCC', alerts: alerts({ beforeArrivalMinutes: 10, delayAtStationMinutes: 30 }) });
      const again = await service.add('u1', '12951');
      expect(again.favorite).toMatchObject({ station: { code: 'CCC' }, alerts: { beforeArrivalMinutes: 10, delayAtStationMinutes: 30 } });
      expect(armed.disarmed).toEqual([]);

      await service.add('u1', '12951', { stationCode: 'CCC', alerts: alerts({ beforeArrivalMinutes: 15, delayAtStationMinutes: 30 }) });
      expect(armed.disarmed.at(-1)).toEqual({ kinds: ['ARRIVAL'], transaction: 3 });
      expect(favorites.rows[0].alerts).toMatchObject({ beforeArrivalMinutes: 15 });

      // Another station: every alert is armed afresh there.
      await service.add('u1', '12951', { stationCode: 'BBB', alerts: alerts({ beforeArrivalMinutes: 15, delayAtStationMinutes: 30 }) });
      expect(armed.disarmed.at(-1)).toEqual({ kinds: ['ARRIVAL', 'DEPARTURE', 'PLATFORM', 'DELAY'], transaction: 4 });
      expect(armed.planned.at(-1)).toMatchObject({ stationCode: 'BBB', kind: 'DELAY' });

      // No station: no alerts either.
      const cleared = await service.add('u1', '12951', { stationCode: null, alerts: NO_ALERTS });
      expect(cleared.favorite).toMatchObject({ station: null, alerts: NO_ALERTS });
      expect(favorites.rows[0]).toMatchObject({ stationId: null, alerts: NO_ALERTS });
    });
  });
});
