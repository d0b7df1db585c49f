import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, type Repository } from 'typeorm';
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

  /** Followers of each of the trains, in one query. */
  async followersOf(trainIds: string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    const followers = new Map<string, string[]>();
    if (trainIds.length === 0) return followers;
    const rows = await (manager?.getRepository(Favorite) ?? this.favorites).find({
      select: { userId: true, trainId: true },
      where: { trainId: In([...new Set(trainIds)]) },
    });
    for (const { trainId, userId } of rows) followers.set(trainId, [...(followers.get(trainId) ?? []), userId]);
    return followers;
  }
}
