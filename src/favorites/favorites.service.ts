import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RuleViolationError } from '../common/errors/domain-errors.js';
import type { Env } from '../config/env.validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import { type TrainWithSummary, TrainsService } from '../trains/trains.service.js';
import { FavoritesRepository } from './favorites.repository.js';

export interface FavoriteTrain extends TrainWithSummary {
  addedAt: Date;
}

@Injectable()
export class FavoritesService {
  private readonly maxPerUser: number;

  constructor(
    private readonly favorites: FavoritesRepository,
    private readonly trains: TrainsService,
    private readonly transactions: TransactionRunner,
    config: ConfigService<Env, true>,
  ) {
    this.maxPerUser = config.get('FAVORITES_MAX_PER_USER', { infer: true });
  }

  async list(userId: string): Promise<FavoriteTrain[]> {
    const favorites = await this.favorites.listOfUser(userId);
    const withSummaries = await this.trains.withSummaries(favorites.map((favorite) => favorite.train!));
    return withSummaries.map((train, index) => ({ ...train, addedAt: favorites[index].createdAt }));
  }

  /** Adds the train (idempotent); `created` is false when it was already a favorite. */
  async add(userId: string, trainNumber: string): Promise<{ favorite: FavoriteTrain; created: boolean }> {
    const train = await this.trains.getByNumber(trainNumber);
    const { addedAt, created } = await this.transactions.run(async (manager) => {
      await this.favorites.lockUser(userId, manager);
      const existing = await this.favorites.find(userId, train.id, manager);
      if (existing) return { addedAt: existing.createdAt, created: false };
      if ((await this.favorites.countOfUser(userId, manager)) >= this.maxPerUser) {
        throw new RuleViolationError('FAVORITES_LIMIT_REACHED', `You can follow at most ${this.maxPerUser} trains; remove one first`);
      }
      return { addedAt: (await this.favorites.insert(userId, train.id, manager)).createdAt, created: true };
    });
    const [withSummary] = await this.trains.withSummaries([train]);
    return { favorite: { ...withSummary, addedAt }, created };
  }

  /** Removes the train from the user's favorites; nothing happens when it was not one. */
  async remove(userId: string, trainNumber: string): Promise<void> {
    const train = await this.trains.getByNumber(trainNumber);
    await this.favorites.delete(userId, train.id);
  }

  /** Users following a train (tracking notifies them). */
  followersOf(trainId: string): Promise<string[]> {
    return this.favorites.userIdsFollowing(trainId);
  }
}
