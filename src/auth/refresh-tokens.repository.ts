import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, LessThan, Not, type Repository } from 'typeorm';
import { RefreshToken } from './refresh-token.entity.js';

export type NewRefreshToken = Pick<RefreshToken, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'userAgent' | 'ip'>;

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>) {}

  private repo(manager?: EntityManager) {
    return manager ? manager.getRepository(RefreshToken) : this.tokens;
  }

  async insert(token: NewRefreshToken, manager?: EntityManager): Promise<string> {
    const result = await this.repo(manager).insert(token);
    return result.identifiers[0].id as string;
  }

  /** Locks the row until the transaction ends, so two refreshes of one token run one after the other. */
  findByHashForUpdate(tokenHash: string, manager: EntityManager): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  findById(id: string, manager?: EntityManager): Promise<RefreshToken | null> {
    return this.repo(manager).findOneBy({ id });
  }

  async markRotated(id: string, successorId: string, sealedSuccessor: Buffer | null, now: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(RefreshToken).update({ id }, { revokedAt: now, lastUsedAt: now, replacedBy: successorId, sealedSuccessor });
  }

  /** Drops the sealed successors of tokens rotated before `rotatedBefore` (their grace period is over). */
  async forgetSealedSuccessors(rotatedBefore: Date): Promise<number> {
    const result = await this.tokens.update({ sealedSuccessor: Not(IsNull()), revokedAt: LessThan(rotatedBefore) }, { sealedSuccessor: null });
    return result.affected ?? 0;
  }

  async revokeFamily(familyId: string, now: Date, manager?: EntityManager): Promise<number> {
    const result = await this.repo(manager).update({ familyId, revokedAt: IsNull() }, { revokedAt: now });
    return result.affected ?? 0;
  }

  /** Revokes every live token of the user, except those of one family (the caller's own session). */
  async revokeAllOfUser(userId: string, now: Date, exceptFamilyId?: string, manager?: EntityManager): Promise<number> {
    const where = exceptFamilyId
      ? { userId, revokedAt: IsNull(), familyId: Not(exceptFamilyId) }
      : { userId, revokedAt: IsNull() };
    const result = await this.repo(manager).update(where, { revokedAt: now });
    return result.affected ?? 0;
  }

  /** Deletes tokens expired, or revoked before `revokedBefore`, in batches; returns how many. */
  async deleteStale(now: Date, revokedBefore: Date, batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted: unknown[] = await this.tokens.query(
        `DELETE FROM refresh_tokens WHERE id IN (
           SELECT id FROM refresh_tokens WHERE expires_at < $1 OR revoked_at < $2 LIMIT $3
         ) RETURNING id`,
        [now, revokedBefore, batchSize],
      );
      const count = Array.isArray(deleted[0]) ? (deleted[0] as unknown[]).length : deleted.length;
      total += count;
      if (count < batchSize) return total;
    }
  }
}
