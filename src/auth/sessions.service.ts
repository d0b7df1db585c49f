import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import { type Clock, REAL_CLOCK } from '../common/clock/clock.js';
import { AuthenticationError } from '../common/errors/domain-errors.js';
import type { Env } from '../config/env.validation.js';
import { TransactionRunner } from '../database/transaction-runner.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AccessTokens } from './access-tokens.js';
import type { RefreshToken } from './refresh-token.entity.js';
import { hashRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from './refresh-token-secret.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

export interface IssuedSession {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

const DAY_MS = 86_400_000;

/**
 * Login sessions: a short-lived JWT access token plus an opaque refresh token that is rotated
 * on every use. A rotated token presented again after a short grace period means it was stolen
 * or replayed: its whole family is revoked (RFC 9700 §4.14).
 */
@Injectable()
export class SessionsService {
  private readonly logger = new Logger(SessionsService.name);
  private readonly refreshTtlMs: number;
  private readonly graceMs: number;

  constructor(
    private readonly tokens: RefreshTokensRepository,
    private readonly users: UsersService,
    private readonly accessTokens: AccessTokens,
    private readonly transactions: TransactionRunner,
    config: ConfigService<Env, true>,
    @Inject(REAL_CLOCK) private readonly clock: Clock,
  ) {
    this.refreshTtlMs = config.get('REFRESH_TOKEN_TTL_DAYS', { infer: true }) * DAY_MS;
    this.graceMs = config.get('REFRESH_TOKEN_GRACE_SECONDS', { infer: true }) * 1000;
  }

  /** Starts a new session (a new token family) for a user who just proved who they are. */
  async start(user: User, client: ClientInfo, manager?: EntityManager): Promise<IssuedSession> {
    const familyId = randomUUID();
    const refreshToken = newRefreshToken();
    await this.tokens.insert(this.newRow(user.id, familyId, refreshToken, client, this.clock.now()), manager);
    return { user, refreshToken, accessToken: await this.accessTokens.issue(user, familyId), expiresIn: this.accessTokens.ttlSeconds };
  }

  /**
   * Exchanges a refresh token for a new pair, revoking it. A rotated token presented again
   * within the grace period gets the successor it was already exchanged for (two tabs, or a retry
   * after a lost response, are not theft: RFC 9700 §4.14.2); presented later, or once that
   * successor is no longer live, it is reuse and revokes its family. The row lock makes
   * concurrent refreshes of one token run one after the other, so only the first rotates.
   */
  async refresh(presented: string, client: ClientInfo): Promise<IssuedSession> {
    type Outcome = { error: 'INVALID_REFRESH_TOKEN' | 'REFRESH_TOKEN_REUSED' } | { user: User; familyId: string; refreshToken: string };
    const presentedHash = hashRefreshToken(presented);
    const outcome = await this.transactions.run(async (manager): Promise<Outcome> => {
      const now = this.clock.now();
      const token = await this.tokens.findByHashForUpdate(presentedHash, manager);
      if (!token) return { error: 'INVALID_REFRESH_TOKEN' };
      if (token.replacedBy) {
        const successor = await this.successorWithinGrace(token, presented, now, manager);
        if (successor) {
          this.logger.log(`Refresh token of family ${token.familyId} presented again within the grace period: same successor returned`);
          return { user: await this.users.getById(token.userId, manager), familyId: token.familyId, refreshToken: successor };
        }
        const revoked = await this.tokens.revokeFamily(token.familyId, now, manager);
        this.logger.warn(`Refresh token reuse detected: family ${token.familyId} of user ${token.userId} revoked (${revoked} live tokens)`);
        return { error: 'REFRESH_TOKEN_REUSED' };
      }
      if (token.revokedAt || token.expiresAt <= now) return { error: 'INVALID_REFRESH_TOKEN' };
      const user = await this.users.getById(token.userId, manager);
      const refreshToken = newRefreshToken();
      const successorId = await this.tokens.insert(this.newRow(user.id, token.familyId, refreshToken, client, now), manager);
      const sealed = this.graceMs > 0 ? sealSuccessor(presented, presentedHash, refreshToken) : null;
      await this.tokens.markRotated(token.id, successorId, sealed, now, manager);
      return { user, familyId: token.familyId, refreshToken };
    });
    // Reuse revokes the family in the committed transaction above; only then is the caller refused.
    if ('error' in outcome) {
      throw new AuthenticationError(
        outcome.error,
        outcome.error === 'REFRESH_TOKEN_REUSED' ? 'This refresh token was already used; the session has been revoked' : 'Invalid or expired refresh token',
      );
    }
    const { user, familyId, refreshToken } = outcome;
    return { user, refreshToken, accessToken: await this.accessTokens.issue(user, familyId), expiresIn: this.accessTokens.ttlSeconds };
  }

  /**
   * The raw successor of a rotated token, when it was rotated less than the grace period ago and
   * its successor is still live (neither used in turn nor revoked, e.g. by a logout); else null.
   */
  private async successorWithinGrace(token: RefreshToken, presented: string, now: Date, manager: EntityManager): Promise<string | null> {
    // A rotated row's revokedAt is the instant of its rotation: a later family revocation only touches live rows.
    if (!token.sealedSuccessor || !token.revokedAt || now.getTime() - token.revokedAt.getTime() >= this.graceMs) return null;
    const successor = await this.tokens.findById(token.replacedBy!, manager);
    if (!successor || successor.revokedAt || successor.expiresAt <= now) return null;
    const raw = openSuccessor(presented, token.tokenHash, token.sealedSuccessor);
    return raw !== null && hashRefreshToken(raw) === successor.tokenHash ? raw : null;
  }

  /** Ends the session the refresh token belongs to. Unknown tokens are ignored (nothing to end). */
  async end(presented: string): Promise<void> {
    const token = await this.tokens.findByHash(hashRefreshToken(presented));
    if (token) await this.transactions.run((manager) => this.tokens.revokeFamily(token.familyId, this.clock.now(), manager));
  }

  /** Ends every session of the user, or every other one when `exceptSessionId` is given. */
  endAll(userId: string, exceptSessionId?: string, manager?: EntityManager): Promise<number> {
    return manager
      ? this.tokens.revokeAllOfUser(userId, this.clock.now(), exceptSessionId, manager)
      : this.transactions.run((tx) => this.tokens.revokeAllOfUser(userId, this.clock.now(), exceptSessionId, tx));
  }

  private newRow(userId: string, familyId: string, token: string, client: ClientInfo, now: Date) {
    return {
      userId,
      familyId,
      tokenHash: hashRefreshToken(token),
      expiresAt: new Date(now.getTime() + this.refreshTtlMs),
      userAgent: client.userAgent?.slice(0, 512) ?? null,
      ip: client.ip?.slice(0, 45) ?? null,
    };
  }
}
