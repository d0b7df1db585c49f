import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { User } from './user.entity.js';

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  private repo(manager?: EntityManager) {
    return manager ? manager.getRepository(User) : this.users;
  }

  findById(id: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByEmail(email: string, manager?: EntityManager): Promise<User | null> {
    return this.repo(manager).findOneBy({ email });
  }

  /** Inserts unless the email is taken; null when it is. */
  async insert(user: Pick<User, 'email' | 'passwordHash' | 'displayName' | 'role'>, manager?: EntityManager): Promise<User | null> {
    const result = await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values(user)
      .orIgnore()
      .returning('*')
      .execute();
    const row = result.raw[0];
    return row ? this.repo(manager).create({ ...user, id: row.id, createdAt: row.created_at, updatedAt: row.updated_at }) : null;
  }

  async update(id: string, changes: Partial<Pick<User, 'passwordHash' | 'displayName' | 'role'>>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }
}
