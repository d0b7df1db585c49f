import { beforeAll, describe, expect, it } from '@jest/globals';
import jwt, { type SignOptions } from 'jsonwebtoken';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { REAL_CLOCK } from '../src/common/clock/clock.js';
import { TEST_JWT_SECRET, useTestApp } from './app.factory.js';
import { AUTH, ME, base64url, bearer, jwtPayload, login, problemFields, registerUser, type SessionBody } from './auth-helpers.js';
import { TestClock } from './live-helpers.js';
import { waitFor } from './redis-process.js';
import { databaseUrl, query, TEST_DATABASE, withClient } from './test-database.js';

/** REFRESH_TOKEN_GRACE_SECONDS by default. */
const GRACE_MS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  revoked_at: Date | null;
  replaced_by: string | null;
}

const tokenRowsOfUser = (userId: string) =>
  query<TokenRow>('SELECT * FROM refresh_tokens WHERE user_id = $1 ORDER BY created_at, id', [userId]);

/** Every token of the session (family) the given refresh token belongs to. */
const familyOf = (refreshToken: string) =>
  query<TokenRow>(
    `SELECT * FROM refresh_tokens
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)
      ORDER BY created_at, id`,
    [sha256(refreshToken)],
  );

/** Backends waiting, directly or in a queue, for a lock the backend `pid` holds. */
const waitingBehind = async (pid: number) =>
  (
    await query<{ n: number }>(
      `WITH RECURSIVE waiting(pid) AS (
         SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
         UNION
         SELECT a.pid FROM pg_stat_activity a JOIN waiting w ON w.pid = ANY(pg_blocking_pids(a.pid))
       ) SELECT count(*)::int AS n FROM waiting`,
      [pid],
    )
  )[0].n;

function expectSession(body: SessionBody, user: { email: string; displayName: string }) {
  expect(body).toEqual({
    user: { id: expect.stringMatching(UUID), email: user.email, displayName: user.displayName, role: 'user', createdAt: expect.any(String) },
    accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    refreshToken: expect.any(String),
    expiresIn: 900,
    tokenType: 'Bearer',
  });
  expect(new Date(body.user.createdAt).toISOString()).toBe(body.user.createdAt);
  expect(body.refreshToken.length).toBeGreaterThanOrEqual(40);
}

describe('auth API', () => {
  // Real time as the sessions see it (token expiry, the refresh grace period): moved by hand.
  const clock = new TestClock(new Date());
  const afterGracePeriod = () => (clock.at = new Date(clock.at.getTime() + GRACE_MS));
  const api = useTestApp(undefined, { override: (builder) => builder.overrideProvider(REAL_CLOCK).useValue(clock) });
  const refresh = (refreshToken: string) => api.http.post(`${AUTH}/refresh`).send({ refreshToken });
  const me = (token?: string) => {
    const request = api.http.get(ME);
    return token === undefined ? request : request.set('Authorization', bearer(token));
  };

  describe('POST /auth/register', () => {
    it('creates the account with a trimmed, lower-cased email and starts a session (201)', async () => {
      const local = randomUUID();
      const password = 'correct horse battery staple';
      const { body, headers } = await api.http
        .post(`${AUTH}/register`)
        .send({ email: `  ${local.toUpperCase()}@Example.COM `, password, displayName: '  Asha  ' })
        .expect(201);
      expect(headers['content-type']).toMatch(/^application\/json/);
      expectSession(body, { email: `${local}@example.com`, displayName: 'Asha' });
      expect(Object.keys(body.user).sort()).toEqual(['createdAt', 'displayName', 'email', 'id', 'role']);
      const text = JSON.stringify(body);
      expect(text).not.toContain(password);
      expect(text).not.toMatch(/argon2|hash/i);

      const [row] = await query<{ email: string; password_hash: string; role: string }>(
        'SELECT email, password_hash, role FROM users WHERE id = $1',
        [body.user.id],
      );
      expect(row.email).toBe(`${local}@example.com`);
      expect(row.role).toBe('user');
      // PHC string: $argon2id$v=19$<params>$<salt>$<hash>; the library orders the params m,p,t.
      const phc = /^\$argon2id\$v=19\$([a-z]=\d+(?:,[a-z]=\d+)*)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(row.password_hash);
      expect(phc).not.toBeNull();
      expect(Object.fromEntries(phc![1].split(',').map((param) => param.split('=')))).toEqual({ m: '19456', t: '2', p: '1' });
      expect(row.password_hash).not.toContain(password);
    });

    it('stores only the SHA-256 of the refresh token, never the token itself', async () => {
      const { body } = await registerUser(api);
      const rows = await tokenRowsOfUser(body.user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].token_hash).toBe(sha256(body.refreshToken));
      expect(rows[0].revoked_at).toBeNull();
      expect(JSON.stringify(rows)).not.toContain(body.refreshToken);
    });

    it('answers 409 EMAIL_TAKEN for an email differing only in case and whitespace', async () => {
      const local = randomUUID();
      await registerUser(api, { email: `${local}@example.com` });
      const { body, headers } = await api.http
        .post(`${AUTH}/register`)
        .send({ email: ` ${local.toUpperCase()}@EXAMPLE.com  `, password: 'another password', displayName: 'Copy' })
        .expect(409);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ type: 'about:blank', title: 'Conflict', status: 409, code: 'EMAIL_TAKEN', instance: `${AUTH}/register` });
      const rows = await query('SELECT id FROM users WHERE email = $1', [`${local}@example.com`]);
      expect(rows).toHaveLength(1);
    });

    const valid = () => ({ email: `${randomUUID()}@example.com`, password: 'long enough password', displayName: 'Valid' });
    it.each([
      ['an invalid email', { email: 'not-an-email' }, ['email']],
      ['a 7-character password', { password: 'x'.repeat(7) }, ['password']],
      ['a 129-character password', { password: 'x'.repeat(129) }, ['password']],
      ['a missing displayName', { displayName: undefined }, ['displayName']],
      ['an unknown extra field (role: admin)', { role: 'admin' }, ['role']],
    ])('refuses %s with 400 naming the field', async (_case, change, fields) => {
      const input = { ...valid(), ...change };
      const { body, headers } = await api.http.post(`${AUTH}/register`).send(input).expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: `${AUTH}/register` });
      expect(problemFields(body)).toEqual(fields);
      expect(await query('SELECT id FROM users WHERE email = $1', [String(input.email).toLowerCase()])).toHaveLength(0);
    });

    it('names every bad field of one request', async () => {
      const { body } = await api.http.post(`${AUTH}/register`).send({ email: 'nope', password: 'short', isAdmin: true }).expect(400);
      expect(problemFields(body)).toEqual(['displayName', 'email', 'isAdmin', 'password']);
    });

    it('accepts passwords of exactly 8 and 128 characters', async () => {
      for (const length of [8, 128]) {
        const { email, password } = await registerUser(api, { password: 'p'.repeat(length) });
        await login(api, email, password);
      }
    });
  });

  describe('POST /auth/login', () => {
    let account: { email: string; password: string; body: SessionBody };
    beforeAll(async () => {
      account = await registerUser(api, { displayName: 'Login User' });
    });

    it('starts a new session with the same shape as register (200), email in any case', async () => {
      const { body } = await api.http
        .post(`${AUTH}/login`)
        .send({ email: `  ${account.email.toUpperCase()} `, password: account.password })
        .expect(200);
      expectSession(body, { email: account.email, displayName: 'Login User' });
      expect(body.user).toEqual(account.body.user);
      expect(body.refreshToken).not.toBe(account.body.refreshToken);
      expect(JSON.stringify(body)).not.toContain(account.password);
      expect(jwtPayload(body.accessToken).sid).not.toBe(jwtPayload(account.body.accessToken).sid);
      await me(body.accessToken).expect(200);
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const wrong = await api.http.post(`${AUTH}/login`).send({ email: account.email, password: 'wrong password' }).expect(401);
      const unknown = await api.http
        .post(`${AUTH}/login`)
        .send({ email: `${randomUUID()}@example.com`, password: account.password })
        .expect(401);
      expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(wrong.body).toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS', detail: 'Email or password is incorrect' });
      const { instance: _a, ...wrongRest } = wrong.body;
      const { instance: _b, ...unknownRest } = unknown.body;
      expect(unknownRest).toEqual(wrongRest);
      expect(unknown.headers['content-type']).toBe(wrong.headers['content-type']);
    });
  });

  describe('GET /users/me', () => {
    it('returns the caller’s account with a valid access token', async () => {
      const { body } = await registerUser(api, { displayName: 'Me Myself' });
      const response = await me(body.accessToken).expect(200);
      expect(response.body).toEqual(body.user);
      expect(JSON.stringify(response.body)).not.toMatch(/argon2|hash|password/i);
    });

    it('answers 401 without an access token', async () => {
      const { body, headers } = await me().expect(401);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHORIZED', instance: ME });
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates: returns a new access and refresh token (200)', async () => {
      const { email, body: first } = await registerUser(api, { displayName: 'Rotator' });
      const { body: second } = await refresh(first.refreshToken).expect(200);
      expectSession(second, { email, displayName: 'Rotator' });
      expect(second.user).toEqual(first.user);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(jwtPayload(second.accessToken).sid).toBe(jwtPayload(first.accessToken).sid);
      await me(second.accessToken).expect(200);
    });

    it('treats a rotated token presented again after the grace period as reuse: 401 REFRESH_TOKEN_REUSED and the whole family is revoked', async () => {
      const { body: first } = await registerUser(api);
      const { body: second } = await refresh(first.refreshToken).expect(200);
      afterGracePeriod();

      const reused = await refresh(first.refreshToken).expect(401);
      expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ status: 401, code: 'REFRESH_TOKEN_REUSED', instance: `${AUTH}/refresh` });

      const successor = await refresh(second.refreshToken).expect(401);
      expect(successor.body).toMatchObject({ status: 401, code: 'INVALID_REFRESH_TOKEN' });

      const family = await familyOf(first.refreshToken);
      expect(family).toHaveLength(2);
      expect(family.map((row) => row.token_hash)).toEqual([sha256(first.refreshToken), sha256(second.refreshToken)]);
      expect(family[0].replaced_by).toBe(family[1].id);
      expect(family.every((row) => row.revoked_at !== null)).toBe(true);
    });

    it('answers 401 INVALID_REFRESH_TOKEN for an unknown token', async () => {
      const { body } = await refresh(randomBytes(32).toString('base64url')).expect(401);
      expect(body).toMatchObject({ status: 401, code: 'INVALID_REFRESH_TOKEN' });
    });

    it('answers concurrent refreshes of one token (two tabs, a retry) all with the same successor; the session stays alive', async () => {
      const { body: session } = await registerUser(api);
      const responses = await Promise.all(Array.from({ length: 3 }, () => refresh(session.refreshToken)));
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
      const successors = new Set(responses.map((response) => response.body.refreshToken));
      expect(successors.size).toBe(1);
      const [successor] = successors;
      expect(successor).not.toBe(session.refreshToken);
      for (const response of responses) expect(jwtPayload(response.body.accessToken).sid).toBe(jwtPayload(session.accessToken).sid);
      // Only one successor was minted, and it is live: the session goes on.
      const family = await familyOf(session.refreshToken);
      expect(family.map((row) => row.token_hash)).toEqual([sha256(session.refreshToken), sha256(successor)]);
      expect(family[1].revoked_at).toBeNull();
      await me(responses[0].body.accessToken).expect(200);
      await refresh(successor).expect(200);
    });

    it('answers the same token again within the grace period with the same successor, later with reuse', async () => {
      const { body: session } = await registerUser(api);
      const { body: first } = await refresh(session.refreshToken).expect(200);
      clock.at = new Date(clock.at.getTime() + GRACE_MS - 1000);
      const { body: retried } = await refresh(session.refreshToken).expect(200);
      expect(retried.refreshToken).toBe(first.refreshToken);

      afterGracePeriod();
      const { body } = await refresh(session.refreshToken).expect(401);
      expect(body.code).toBe('REFRESH_TOKEN_REUSED');
      expect((await refresh(first.refreshToken).expect(401)).body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await familyOf(session.refreshToken)).every((row) => row.revoked_at !== null)).toBe(true);
    });

    it('rotates exactly once when two refreshes overlap on a row another transaction holds (the row lock orders them)', async () => {
      const { body: session } = await registerUser(api);
      const url = process.env.DATABASE_URL ?? databaseUrl(TEST_DATABASE);
      const responses = await withClient(url, async (holder) => {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [sha256(session.refreshToken)]);
        const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows;
        const pending = Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
        // Both refreshes are inside their transactions, waiting for the row (directly, or queued
        // behind the other): they overlap, whatever the order they get it in.
        await waitFor(async () => (await waitingBehind(pid)) === 2, 10_000, 'both refreshes to wait on the held row');
        await holder.query('COMMIT');
        return pending;
      });
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      // One rotation: one successor minted, and both callers got it (the second within the grace period).
      expect(responses[1].body.refreshToken).toBe(responses[0].body.refreshToken);
      const family = await familyOf(session.refreshToken);
      expect(family.map((row) => row.token_hash)).toEqual([sha256(session.refreshToken), sha256(responses[0].body.refreshToken)]);
      expect(family[0].replaced_by).toBe(family[1].id);
      expect(family[1].revoked_at).toBeNull();
    });
  });

  describe('POST /auth/logout', () => {
    it('ends the session of the refresh token (204); the token then no longer refreshes', async () => {
      const { body: session } = await registerUser(api);
      const response = await api.http.post(`${AUTH}/logout`).send({ refreshToken: session.refreshToken }).expect(204);
      expect(response.text).toBe('');
      const { body } = await refresh(session.refreshToken).expect(401);
      expect(body.code).toBe('INVALID_REFRESH_TOKEN');
      expect((await familyOf(session.refreshToken)).every((row) => row.revoked_at !== null)).toBe(true);
    });

    it('answers 204 for an unknown refresh token', async () => {
      await api.http.post(`${AUTH}/logout`).send({ refreshToken: randomBytes(32).toString('base64url') }).expect(204);
    });
  });

  describe('POST /auth/logout-all', () => {
    it('ends every session of the caller (204) but no one else’s', async () => {
      const account = await registerUser(api);
      const first = await login(api, account.email, account.password);
      const second = await login(api, account.email, account.password);
      const other = await registerUser(api);

      await api.http.post(`${AUTH}/logout-all`).set('Authorization', bearer(first.accessToken)).expect(204);

      for (const token of [account.body.refreshToken, first.refreshToken, second.refreshToken]) {
        const { body } = await refresh(token).expect(401);
        expect(body.code).toBe('INVALID_REFRESH_TOKEN');
      }
      const rows = await tokenRowsOfUser(account.body.user.id);
      expect(rows).toHaveLength(3);
      expect(rows.every((row) => row.revoked_at !== null)).toBe(true);

      await refresh(other.body.refreshToken).expect(200);
    });

    it('answers 401 without an access token', async () => {
      const { body } = await api.http.post(`${AUTH}/logout-all`).expect(401);
      expect(body.code).toBe('UNAUTHORIZED');
    });
  });

  describe('PATCH /users/me', () => {
    it('changes the display name (200), trimmed', async () => {
      const { body: session } = await registerUser(api, { displayName: 'Before' });
      const { body } = await api.http
        .patch(ME)
        .set('Authorization', bearer(session.accessToken))
        .send({ displayName: '  After  ' })
        .expect(200);
      expect(body).toEqual({ ...session.user, displayName: 'After' });
      expect((await me(session.accessToken).expect(200)).body.displayName).toBe('After');
    });

    it('refuses newPassword without currentPassword with 400 naming currentPassword', async () => {
      const { body: session } = await registerUser(api);
      const { body } = await api.http
        .patch(ME)
        .set('Authorization', bearer(session.accessToken))
        .send({ newPassword: 'a brand new password' })
        .expect(400);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problemFields(body)).toEqual(['currentPassword']);
    });

    it('refuses a wrong currentPassword with 400 CURRENT_PASSWORD_INCORRECT and changes nothing', async () => {
      const { email, password, body: session } = await registerUser(api, { displayName: 'Unchanged' });
      const { body } = await api.http
        .patch(ME)
        .set('Authorization', bearer(session.accessToken))
        .send({ displayName: 'Changed', currentPassword: 'not my password', newPassword: 'a brand new password' })
        .expect(400);
      expect(body).toMatchObject({ status: 400, code: 'CURRENT_PASSWORD_INCORRECT' });
      expect(problemFields(body)).toEqual(['currentPassword']);
      expect((await me(session.accessToken).expect(200)).body.displayName).toBe('Unchanged');
      await login(api, email, password);
    });

    it('changes the password with the correct currentPassword and ends every other session', async () => {
      const { email, password, body: current } = await registerUser(api);
      const other = await login(api, email, password);
      const newPassword = 'a brand new password';

      const { body } = await api.http
        .patch(ME)
        .set('Authorization', bearer(current.accessToken))
        .send({ currentPassword: password, newPassword })
        .expect(200);
      expect(body).toEqual(current.user);

      const old = await api.http.post(`${AUTH}/login`).send({ email, password }).expect(401);
      expect(old.body.code).toBe('INVALID_CREDENTIALS');
      await login(api, email, newPassword);

      await refresh(current.refreshToken).expect(200);
      const { body: otherRefresh } = await refresh(other.refreshToken).expect(401);
      expect(otherRefresh.code).toBe('INVALID_REFRESH_TOKEN');
    });
  });

  describe('access tokens', () => {
    let session: SessionBody;
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({ role: 'user', sid: jwtPayload(session.accessToken).sid as string });
    const signOptions = (): SignOptions => ({
      subject: session.user.id,
      jwtid: randomUUID(),
      issuer: 'train-tracker',
      audience: 'train-tracker-api',
      algorithm: 'HS256',
      expiresIn: 900,
    });
    const expectRefused = async (token: string) => {
      const { body } = await me(token).expect(401);
      expect(body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    };

    beforeAll(async () => {
      session = (await registerUser(api)).body;
    });

    it('accepts a token signed by hand with the right secret, HS256 and valid claims (control)', async () => {
      const token = jwt.sign(claims(), TEST_JWT_SECRET, signOptions());
      const { body } = await me(token).expect(200);
      expect(body.id).toBe(session.user.id);
    });

    it('carries sub, role, sid, jti, iss, aud and a 900 s lifetime', async () => {
      const payload = jwtPayload(session.accessToken);
      expect(payload).toEqual({
        sub: session.user.id,
        role: 'user',
        sid: expect.stringMatching(UUID),
        jti: expect.stringMatching(UUID),
        iss: 'train-tracker',
        aud: 'train-tracker-api',
        iat: expect.any(Number),
        exp: expect.any(Number),
      });
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
      expect(Math.abs((payload.iat as number) - now())).toBeLessThan(120);
      const header = JSON.parse(Buffer.from(session.accessToken.split('.')[0], 'base64url').toString());
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
      const [row] = await tokenRowsOfUser(session.user.id);
      expect(payload.sid).toBe(row.family_id);
    });

    it('refuses an expired token', async () => {
      const { expiresIn: _, ...options } = signOptions();
      const token = jwt.sign({ ...claims(), iat: now() - 1000, exp: now() - 100 }, TEST_JWT_SECRET, options);
      await expectRefused(token);
    });

    it('refuses a token whose payload was changed (role: admin) under the original signature', async () => {
      const [header, , signature] = session.accessToken.split('.');
      const tampered = `${header}.${base64url({ ...jwtPayload(session.accessToken), role: 'admin' })}.${signature}`;
      await expectRefused(tampered);
    });

    it('refuses an unsigned alg "none" token', async () => {
      const payload = { ...claims(), sub: session.user.id, jti: randomUUID(), iss: 'train-tracker', aud: 'train-tracker-api', iat: now(), exp: now() + 900 };
      await expectRefused(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`);
    });

    it('refuses a token signed with another secret', async () => {
      await expectRefused(jwt.sign(claims(), 'another-secret-0123456789-abcdefghijklmnopqrstuvwxyz', signOptions()));
    });

    it('refuses the refresh token used as a bearer token', async () => {
      await expectRefused(session.refreshToken);
    });

    it('refuses a token signed with the right secret but HS512', async () => {
      await expectRefused(jwt.sign(claims(), TEST_JWT_SECRET, { ...signOptions(), algorithm: 'HS512' }));
    });

    it('refuses a garbage string', async () => {
      await expectRefused('garbage.not-a.jwt');
      await expectRefused('garbage');
    });
  });
});
