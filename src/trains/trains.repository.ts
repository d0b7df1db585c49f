import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { escapeLike } from '../common/pagination/like.js';
import { TrainPattern } from '../routes/train-pattern.entity.js';
import type { ServiceCalendar } from '../routes/service-calendar.js';
import { Train } from './train.entity.js';

export type NewTrain = Pick<Train, 'number' | 'name' | 'type' | 'runsOn' | 'daysKnown' | 'timeZone'>;

@Injectable()
export class TrainsRepository {
  constructor(@InjectRepository(Train) private readonly trains: Repository<Train>) {}

  /** Number (prefix) or name (case-insensitive substring); number matches first, then by number. */
  async search(q: string | undefined, offset: number, limit: number): Promise<[Train[], number]> {
    const query = this.trains.createQueryBuilder('train');
    if (q) {
      query
        .where(`(train.number LIKE :numberPrefix ESCAPE '\\' OR lower(train.name) LIKE :name ESCAPE '\\')`, {
          numberPrefix: `${escapeLike(q)}%`,
          name: `%${escapeLike(q.toLowerCase())}%`,
        })
        .addSelect(`CASE WHEN train.number LIKE :numberPrefix ESCAPE '\\' THEN 0 ELSE 1 END`, 'rank')
        .orderBy('rank', 'ASC');
    }
    return query.addOrderBy('train.number', 'ASC').offset(offset).limit(limit).getManyAndCount();
  }

  findByNumber(number: string, manager?: EntityManager): Promise<Train | null> {
    return (manager?.getRepository(Train) ?? this.trains).findOneBy({ number });
  }

  /** Inserts a train with one stop pattern running on `calendar` unless the number is taken; null when it is. */
  async insert(train: NewTrain, calendar: ServiceCalendar, manager: EntityManager): Promise<Train | null> {
    const result = await manager.createQueryBuilder().insert().into(Train).values(train).orIgnore().returning('id').execute();
    const id = (result.raw as Array<{ id: string }>)[0]?.id;
    if (!id) return null;
    await manager.insert(TrainPattern, { ...calendar, runsOn: [...calendar.runsOn], addedDates: [...calendar.addedDates], removedDates: [...calendar.removedDates], trainId: id, gtfsTripId: null, headsign: null });
    return manager.findOneBy(Train, { id });
  }

  async update(id: string, changes: Partial<Pick<Train, 'name' | 'type' | 'runsOn' | 'daysKnown' | 'timeZone'>>, manager?: EntityManager): Promise<void> {
    await (manager?.getRepository(Train) ?? this.trains).update({ id }, changes);
  }

  /** The train's patterns, locked for the caller's transaction. */
  patternsForUpdate(trainId: string, manager: EntityManager): Promise<TrainPattern[]> {
    return manager.find(TrainPattern, { where: { trainId }, lock: { mode: 'pessimistic_write' } });
  }

  async setCalendar(patternId: string, calendar: ServiceCalendar, manager: EntityManager): Promise<void> {
    await manager.update(TrainPattern, { id: patternId }, { ...calendar, runsOn: [...calendar.runsOn], addedDates: [...calendar.addedDates], removedDates: [...calendar.removedDates] });
  }

  /** Deletes the train; its patterns and route go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.trains.delete({ id });
  }
}
