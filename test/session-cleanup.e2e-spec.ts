import { describe, expect, it } from '@jest/globals';
import { RefreshTokenCleanupService } from '../src/auth/refresh-token-cleanup.service.js';
import { useTestApp } from './app.factory.js';
import { AUTH, registerUser } from './auth-helpers.js';
import { query } from './test-database.js';

describe('refresh token cleanup (scheduled hourly)', () => {
  const api = useTestApp();

  it('deletes expired tokens and tokens revoked over a week ago, keeping live and recently revoked ones', async () => {
    const { body } = await registerUser(api);
    const userId = body.user.id;
    const insert = (label: string, expiresIn: string, revokedAgo: string | null) =>
      query(
        `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at, revoked_at)
         VALUES ($1, gen_random_uuid(), encode(sha256(convert_to($2 || gen_random_uuid()::text, 'UTF8')), 'hex'),
                 now() + $3::interval, now() - $4::interval)`,
        [userId, label, expiresIn, revokedAgo],
      );
    await insert('expired', '-1 minute', null);
    await insert('revoked-long-ago', '20 days', '8 days');
    await insert('revoked-recently', '20 days', '1 day');
    await insert('live', '20 days', null);
    const before = await query<{ count: number }>('SELECT count(*)::int AS count FROM refresh_tokens WHERE user_id = $1', [userId]);
    expect(before[0].count).toBe(5); // four above + the session from registering

    const deleted = await api.app.get(RefreshTokenCleanupService).deleteStale();
    expect(deleted).toBeGreaterThanOrEqual(2);
    const left = await query<{ expired: boolean; revoked_at: Date | null }>(
      'SELECT expires_at < now() AS expired, revoked_at FROM refresh_tokens WHERE user_id = $1',
      [userId],
    );
    expect(left).toHaveLength(3);
    expect(left.some((row) => row.expired)).toBe(false);
    expect(left.filter((row) => row.revoked_at !== null)).toHaveLength(1);
  });

  it('forgets the sealed successor of a rotated token once its grace period (REFRESH_TOKEN_GRACE_SECONDS, 10) is over', async () => {
    const { body } = await registerUser(api);
    await api.http.post(`${AUTH}/refresh`).send({ refreshToken: body.refreshToken }).expect(200);
    const rotated = async () =>
      (
        await query<{ revoked_at: Date; sealed: boolean }>(
          'SELECT revoked_at, sealed_successor IS NOT NULL AS sealed FROM refresh_tokens WHERE user_id = $1 AND replaced_by IS NOT NULL',
          [body.user.id],
        )
      )[0];
    const { revoked_at: rotatedAt, sealed } = await rotated();
    expect(sealed).toBe(true);
    const cleanup = api.app.get(RefreshTokenCleanupService);

    await cleanup.deleteStale(new Date(rotatedAt.getTime() + 9_999));
    expect((await rotated()).sealed).toBe(true);
    await cleanup.deleteStale(new Date(rotatedAt.getTime() + 10_001));
    expect((await rotated()).sealed).toBe(false);
  });
});
