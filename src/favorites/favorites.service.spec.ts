import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import { TestClock } from '../../test/builders/clock.js';
import { testConfig } from '../../test/builders/config.js';
import { NotFoundError, RuleViolationError } from '../common/errors/domain-errors.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import type { LiveStatusService } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import type { Train } from '../trains/train.entity.js';
import type { TrainsService } from '../trains/trains.service.js';
import type { Favorite } from './favorite.entity.js';
import type { FavoritesRepository } from './favorites.repository.js';
import { FavoritesService } from './favorites.service.js';

const MAX = 2;
const train = (number: string) => ({ id: `id-${number}`, number, name: `Train ${number}` }) as Train;
const TRAINS = new Map(['12951', '12952', '12001', '12002'].map((number) => [number, train(number)]));

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
    return this.rows.find((row) => row.userId === userId && row.trainId === trainId) ?? null;
  }
  async countOfUser(userId: string, manager: EntityManager) {
    this.log('countOfUser', manager);
    return this.rows.filter((row) => row.userId === userId).length;
  }
  async insert(userId: string, trainId: string, createdAt: Date, manager: EntityManager) {
    this.log('insert', manager);
    const row = { userId, trainId, createdAt, train: [...TRAINS.values()].find((t) => t.id === trainId) } as Favorite;
    this.rows.push(row);
    return row;
  }
  async delete(userId: string, trainId: string) {
    this.rows = this.rows.filter((row) => !(row.userId === userId && row.trainId === trainId));
  }
}

function setUp() {
  const favorites = new FakeFavorites();
  const trainByNumber = async (number: string) => {
    const found = TRAINS.get(number);
    if (!found) throw new NotFoundError('TRAIN_NOT_FOUND', `No train with number ${number}`);
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
    { ofTrains: async (trains: Train[]) => new Map(trains.map((t) => [t.id, { train: t, realtime: true } as TrainLiveView])) } as unknown as LiveStatusService,
    { run: async <T>(work: (manager: EntityManager) => Promise<T>) => work({ id: ++transactions } as unknown as EntityManager) } as unknown as TransactionRunner,
    clock,
    testConfig({ FAVORITES_MAX_PER_USER: MAX }),
  );
  return { service, favorites, clock };
}

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
});
