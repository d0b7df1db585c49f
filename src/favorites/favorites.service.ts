import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { RuleViolationError } from '../common/errors/domain-errors.js';
import type { Env } from '../config/env.validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { LiveStatusService } from '../live/live-status.service.js';
import { TrainsService } from '../trains/trains.service.js';
import type { FavoriteTrain } from './favorite.model.js';
import { FavoritesRepository } from './favorites.repository.js';

@Injectable()
export class FavoritesService {
  private readonly maxPerUser: number;

  constructor(
    private readonly favorites: FavoritesRepository,
    private readonly trains: TrainsService,
    private readonly live: LiveStatusService,
    private readonly transactions: TransactionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.maxPerUser = config.get('FAVORITES_MAX_PER_USER', { infer: true });
  }

  async list(userId: string): Promise<FavoriteTrain[]> {
    const favorites = await this.favorites.listOfUser(userId);
    const trains = favorites.map((favorite) => favorite.train!);
    const [withSummaries, live] = await Promise.all([this.trains.withSummaries(trains), this.live.ofTrains(trains)]);
    return withSummaries.map((train, index) => ({ ...train, addedAt: favorites[index].createdAt, live: live.get(train.train.id) }));
  }

  /** Adds the train (idempotent); `created` is false when it was already a favorite. */
  async add(userId: string, trainNumber: string): Promise<{ favorite: FavoriteTrain; created: boolean }> {
    const train = await this.trains.stored(trainNumber);
    const { addedAt, created } = await this.transactions.run(async (manager) => {
      await this.favorites.lockUser(userId, manager);
      const existing = await this.favorites.find(userId, train.id, manager);
      if (existing) return { addedAt: existing.createdAt, created: false };
      if ((await this.favorites.countOfUser(userId, manager)) >= this.maxPerUser) {
        throw new RuleViolationError('FAVORITES_LIMIT_REACHED', `You can follow at most ${this.maxPerUser} trains; remove one first`);
      }
      return { addedAt: (await this.favorites.insert(userId, train.id, this.clock.now(), manager)).createdAt, created: true };
    });
    const [[withSummary], live] = await Promise.all([this.trains.withSummaries([train]), this.live.ofTrains([train])]);
    return { favorite: { ...withSummary, addedAt, live: live.get(train.id) }, created };
  }

  /** Removes the train from the user's favorites; nothing happens when it was not one. */
  async remove(userId: string, trainNumber: string): Promise<void> {
    const train = await this.trains.getByNumber(trainNumber);
    await this.favorites.delete(userId, train.id);
  }

  /** Followers of each train (the tracker notifies them), in one query. */
  followersOf(trainIds: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    return this.favorites.followersOf(trainIds, manager);
  }
}
