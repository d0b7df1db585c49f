import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Env } from '../config/env.validation.js';
import type { TransactionRunner } from '../database/transaction-runner.js';
import { userRow } from '../../test/builders/users.js';
import type { UsersService } from '../users/users.service.js';
import type { AccessTokens } from './access-tokens.js';
import type { RefreshToken } from './refresh-token.entity.js';
import { TestClock } from '../../test/live-helpers.js';
import { hashRefreshToken, openSuccessor } from './refresh-token-secret.js';
import type { NewRefreshToken, RefreshTokensRepository } from './refresh-tokens.repository.js';
import { SessionsService } from './sessions.service.js';

/** In-memory stand-in for the refresh_tokens table. */
class FakeTokens {
  rows: RefreshToken[] = [];
  async insert(token: NewRefreshToken) {
    const id = `t${this.rows.length + 1}`;
    this.rows.push({ ...token, id, createdAt: new Date(), lastUsedAt: null, revokedAt: null, replacedBy: null, sealedSuccessor: null });
    return id;
  }
  async findById(id: string) {
    return this.rows.find((row) => row.id === id) ?? null;
  }
  async findByHashForUpdate(tokenHash: string) {
    return this.rows.find((row) => row.tokenHash === tokenHash) ?? null;
  }
  async findByHash(tokenHash: string) {
    return this.findByHashForUpdate(tokenHash);
  }
  async markRotated(id: string, successorId: string, sealedSuccessor: Buffer | null, now: Date) {
    Object.assign(this.rows.find((row) => row.id === id)!, { revokedAt: now, lastUsedAt: now, replacedBy: successorId, sealedSuccessor });
  }
  async revokeFamily(familyId: string, now: Date) {
    const live = this.rows.filter((row) => row.familyId === familyId && !row.revokedAt);
    live.forEach((row) => (row.revokedAt = now));
    return live.length;
  }
  async revokeAllOfUser(userId: string, now: Date, except?: string) {
    const live = this.rows.filter((row) => row.userId === userId && !row.revokedAt && row.familyId !== except);
    live.forEach((row) => (row.revokedAt = now));
    return live.length;
  }
}

const user = userRow({ id: 'u1' });
const GRACE_SECONDS = 10;

function setup() {
  const tokens = new FakeTokens();
  const clock = new TestClock(new Date('2026-11-24T10:00:00Z'));
  const config: Partial<Env> = { REFRESH_TOKEN_TTL_DAYS: 30, REFRESH_TOKEN_GRACE_SECONDS: GRACE_SECONDS };
  const sessions = new SessionsService(
    tokens as unknown as RefreshTokensRepository,
    { getById: async () => user } as unknown as UsersService,
    { issue: async (_: unknown, sid: string) => `access:${sid}`, ttlSeconds: 900 } as unknown as AccessTokens,
    { run: (work: (manager: EntityManager) => Promise<unknown>) => work({} as EntityManager) } as unknown as TransactionRunner,
    { get: (key: keyof Env) => config[key] } as unknown as ConfigService<Env, true>,
    clock,
  );
  const advance = (ms: number) => (clock.at = new Date(clock.at.getTime() + ms));
  return { tokens, sessions, clock, advance };
}

describe('SessionsService', () => {
  it('starts a session: one stored hash, never the token', async () => {
    const { tokens, sessions } = setup();
    const session = await sessions.start(user, { ip: '10.0.0.1', userAgent: 'test' });
    expect(session.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(tokens.rows).toHaveLength(1);
    expect(tokens.rows[0]).toMatchObject({ userId: 'u1', tokenHash: hashRefreshToken(session.refreshToken), ip: '10.0.0.1' });
    expect(JSON.stringify(tokens.rows)).not.toContain(session.refreshToken);
    expect(session.accessToken).toBe(`access:${tokens.rows[0].familyId}`);
  });

  it('rotates: the presented token is revoked and replaced by a successor in the same family', async () => {
    const { tokens, sessions } = setup();
    const first = await sessions.start(user, {});
    const second = await sessions.refresh(first.refreshToken, {});
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const [old, successor] = tokens.rows;
    expect(old).toMatchObject({ replacedBy: successor.id, revokedAt: expect.any(Date) });
    expect(successor).toMatchObject({ familyId: old.familyId, revokedAt: null });
  });

  it('rejects a rotated refresh token and revokes its family', async () => {
    const { tokens, sessions, advance } = setup();
    const first = await sessions.start(user, {});
    const second = await sessions.refresh(first.refreshToken, {});
    advance(GRACE_SECONDS * 1000);
    await expect(sessions.refresh(first.refreshToken, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    expect(tokens.rows.every((row) => row.revokedAt)).toBe(true);
    // The successor died with its family.
    await expect(sessions.refresh(second.refreshToken, {})).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  it('rejects unknown, expired and logged-out tokens without touching other sessions', async () => {
    const { tokens, sessions, clock } = setup();
    const kept = await sessions.start(user, {});
    const ended = await sessions.start(user, {});
    await expect(sessions.refresh('nope'.repeat(11), {})).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
    await sessions.end(ended.refreshToken);
    await expect(sessions.refresh(ended.refreshToken, {})).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
    tokens.rows[0].expiresAt = new Date(clock.now().getTime() - 1);
    await expect(sessions.refresh(kept.refreshToken, {})).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
  });

  describe('grace period (RFC 9700 §4.14.2: concurrent refreshes are not theft)', () => {
    it('answers a rotated token presented again within the grace period with the same successor, and mints nothing', async () => {
      const { tokens, sessions, advance } = setup();
      const first = await sessions.start(user, {});
      const second = await sessions.refresh(first.refreshToken, {});
      advance(GRACE_SECONDS * 1000 - 1);
      const again = await sessions.refresh(first.refreshToken, {});
      expect(again.refreshToken).toBe(second.refreshToken);
      expect(again.accessToken).toBe(second.accessToken); // same session (sid)
      expect(tokens.rows).toHaveLength(2);
      expect(tokens.rows[1]).toMatchObject({ revokedAt: null, replacedBy: null });
      // The successor still works, once.
      const third = await sessions.refresh(second.refreshToken, {});
      expect(third.refreshToken).not.toBe(second.refreshToken);
    });

    it('treats the rotated token as reuse from the end of the grace period on, and revokes the family', async () => {
      const { tokens, sessions, advance } = setup();
      const first = await sessions.start(user, {});
      const second = await sessions.refresh(first.refreshToken, {});
      advance(GRACE_SECONDS * 1000);
      await expect(sessions.refresh(first.refreshToken, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
      expect(tokens.rows.every((row) => row.revokedAt)).toBe(true);
      await expect(sessions.refresh(second.refreshToken, {})).rejects.toMatchObject({ code: 'INVALID_REFRESH_TOKEN' });
    });

    it('treats it as reuse within the grace period once the successor was itself rotated or the session ended', async () => {
      const { sessions } = setup();
      const first = await sessions.start(user, {});
      const second = await sessions.refresh(first.refreshToken, {});
      await sessions.refresh(second.refreshToken, {});
      await expect(sessions.refresh(first.refreshToken, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });

      const other = await sessions.start(user, {});
      await sessions.refresh(other.refreshToken, {});
      await sessions.end(other.refreshToken);
      await expect(sessions.refresh(other.refreshToken, {})).rejects.toMatchObject({ code: 'REFRESH_TOKEN_REUSED' });
    });

    it('keeps the successor only sealed with the presented token: the row alone does not reveal it', async () => {
      const { tokens, sessions } = setup();
      const first = await sessions.start(user, {});
      const second = await sessions.refresh(first.refreshToken, {});
      const sealed = tokens.rows[0].sealedSuccessor!;
      expect(sealed).toBeInstanceOf(Buffer);
      expect(JSON.stringify(tokens.rows)).not.toContain(second.refreshToken);
      expect(sealed.toString('latin1')).not.toContain(second.refreshToken);
      expect(openSuccessor(first.refreshToken, tokens.rows[0].tokenHash, sealed)).toBe(second.refreshToken);
      expect(openSuccessor(second.refreshToken, tokens.rows[0].tokenHash, sealed)).toBeNull();
      expect(openSuccessor(first.refreshToken, tokens.rows[1].tokenHash, sealed)).toBeNull();
    });
  });

  it('ends every other session but the caller’s', async () => {
    const { tokens, sessions } = setup();
    const mine = await sessions.start(user, {});
    await sessions.start(user, {});
    await sessions.endAll('u1', tokens.rows[0].familyId);
    expect(tokens.rows.map((row) => row.revokedAt === null)).toEqual([true, false]);
    expect((await sessions.refresh(mine.refreshToken, {})).refreshToken).toBeTruthy();
  });
});
