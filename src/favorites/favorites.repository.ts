import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import type { AlertSettings } from './alert-settings.js';
import { Favorite } from './favorite.entity.js';

@Injectable()
export class FavoritesRepository {
  constructor(@InjectRepository(Favorite) private readonly favorites: Repository<Favorite>) {}

  /** The user's favorites with their trains and stations, most recently added first. */
  listOfUser(userId: string): Promise<Favorite[]> {
    return this.favorites.find({ where: { userId }, relations: { train: true, station: true }, order: { createdAt: 'DESC', trainId: 'ASC' } });
  }

  /** Serialises adds of one user (for the per-user cap) until the transaction ends. */
  async lockUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
  }

  find(userId: string, trainId: string, manager?: EntityManager): Promise<Favorite | null> {
    return (manager?.getRepository(Favorite) ?? this.favorites).findOneBy({ userId, trainId });
  }

  countOfUser(userId: string, manager: EntityManager): Promise<number> {
    return manager.getRepository(Favorite).countBy({ userId });
  }

  async insert(userId: string, trainId: string, createdAt: Date, manager: EntityManager, settings?: { stationId: string | null; alerts: AlertSettings }): Promise<Favorite> {
    await manager.getRepository(Favorite).insert({ userId, trainId, createdAt, ...settings });
    return (await this.find(userId, trainId, manager))!;
  }

  async updateSettings(userId: string, trainId: string, settings: { stationId: string | null; alerts: AlertSettings }, manager: EntityManager): Promise<void> {
    await manager.getRepository(Favorite).update({ userId, trainId }, settings);
  }

  async delete(userId: string, trainId: string): Promise<void> {
    await this.favorites.delete({ userId, trainId });
  }

  /**
   * Followers of each of the trains, in one query. The ids go as one array parameter: an IN list
   * of the 5,000 trains of a first tick on the Indian catalog (one parameter each, built and
   * escaped by the query builder) held the event loop for ~80 ms.
   */
  async followersOf(trainIds: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    const followers = new Map<string, string[]>();
    if (trainIds.length === 0) return followers;
    const rows: Array<{ train_id: string; user_id: string }> = await (manager ?? this.favorites.manager).query(
      'SELECT train_id, user_id FROM favorites WHERE train_id = ANY($1::uuid[])',
      [[...new Set(trainIds)]],
    );
    for (const { train_id: trainId, user_id: userId } of rows) {
      const users = followers.get(trainId);
      if (users) users.push(userId);
      else followers.set(trainId, [userId]);
    }
    return followers;
  }
}
