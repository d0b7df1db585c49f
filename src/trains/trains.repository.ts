import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { escapeLike } from '../common/pagination/like.js';
import { Train } from './train.entity.js';

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

  findByNumber(number: string): Promise<Train | null> {
    return this.trains.findOneBy({ number });
  }

  /** Inserts unless the number is taken; null when it is. */
  async insert(train: Pick<Train, 'number' | 'name' | 'type' | 'runsOn'>): Promise<Train | null> {
    const result = await this.trains.createQueryBuilder().insert().values(train).orIgnore().returning('id').execute();
    return result.raw[0] ? this.trains.findOneBy({ number: train.number }) : null;
  }

  async update(id: string, changes: Partial<Pick<Train, 'name' | 'type' | 'runsOn'>>): Promise<void> {
    await this.trains.update({ id }, changes);
  }

  /** Deletes the train; its route goes with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.trains.delete({ id });
  }
}
