import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac, randomUUID } from 'node:crypto';
import { TEST_JWT_SECRET, useTestApp } from './app.factory.js';
import { ME, base64url, jwtPayload, registerUser, type SessionBody } from './auth-helpers.js';
import { connectLive } from './live-helpers.js';

/**
 * Access tokens that are validly signed but malformed, and Authorization headers that are not
 * RFC 6750 credentials (issue #11 D6): each is a 401 problem, never a 500 or a pass.
 */
describe('bearer tokens', () => {
  const api = useTestApp(undefined, { listen: true });
  let session: SessionBody;
  const now = () => Math.floor(Date.now() / 1000);
  const good = () => ({ sub: session.user.id, role: 'user', sid: jwtPayload(session.accessToken).sid as string, jti: randomUUID() });
  /**
   * Signs claims with the app's own secret and algorithm (HS256), by hand so that any claim can be
   * given any shape (jsonwebtoken's sign() refuses some): only their content can be wrong.
   */
  const signed = (claims: Record<string, unknown>, { withExp = true } = {}) => {
    const payload = { iss: 'train-tracker', aud: 'train-tracker-api', iat: now(), ...(withExp ? { exp: now() + 900 } : {}), ...claims };
    const input = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(JSON.parse(JSON.stringify(payload)))}`;
    return `${input}.${createHmac('sha256', TEST_JWT_SECRET).update(input).digest('base64url')}`;
  };

  const expectUnauthorized = (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
    expect({ status: response.status, type: response.headers['content-type'] }).toEqual({ status: 401, type: expect.stringMatching(/^application\/problem\+json/) });
    expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', detail: 'A valid access token is required' });
  };

  beforeAll(async () => {
    session = (await registerUser(api)).body;
  });

  it('accepts a hand-signed token with every claim well-formed (control)', async () => {
    const { body } = await api.http.get(ME).set('authorization', `Bearer ${signed(good())}`).expect(200);
    expect(body.id).toBe(session.user.id);
  });

  describe('claims', () => {
    it.each<[string, (claims: Record<string, unknown>) => Record<string, unknown>]>([
      ['sub is not a UUID (was a 500: the id reached a uuid column)', (claims) => ({ ...claims, sub: 'not-a-uuid' })],
      ['sub is missing', ({ sub: _, ...claims }) => claims],
      ['sub is a number', (claims) => ({ ...claims, sub: 42 })],
      ['sid is not a UUID', (claims) => ({ ...claims, sid: 'session' })],
      ['jti is missing', ({ jti: _, ...claims }) => claims],
      ['jti is not a UUID', (claims) => ({ ...claims, jti: 'x' })],
      ['role is unknown', (claims) => ({ ...claims, role: 'root' })],
      ['role is an array', (claims) => ({ ...claims, role: ['admin'] })],
      ['iat is a string', (claims) => ({ ...claims, iat: String(now()) })],
      ['iat is missing', (claims) => ({ ...claims, iat: undefined })],
    ])('refuses a validly signed token whose %s', async (_case, change) => {
      const response = await api.http.get(ME).set('authorization', `Bearer ${signed(change(good()))}`);
      expectUnauthorized(response);
    });

    it('refuses a validly signed token without exp (it would never expire)', async () => {
      expectUnauthorized(await api.http.get(ME).set('authorization', `Bearer ${signed(good(), { withExp: false })}`));
    });

    it('refuses a validly signed token whose exp is not a whole number of seconds after iat', async () => {
      expectUnauthorized(await api.http.get(ME).set('authorization', `Bearer ${signed({ ...good(), exp: now() + 900.5 })}`));
      expectUnauthorized(await api.http.get(ME).set('authorization', `Bearer ${signed({ ...good(), iat: now() + 100, exp: now() + 50 })}`));
    });

    it('refuses such a token at the socket handshake too', async () => {
      await expect(connectLive(api.url, { token: signed({ ...good(), sub: 'not-a-uuid' }) })).rejects.toThrow('Invalid or expired access token');
      await expect(connectLive(api.url, { token: signed(good(), { withExp: false }) })).rejects.toThrow('Invalid or expired access token');
      (await connectLive(api.url, { token: signed(good()) })).close();
    });
  });

  describe('Authorization header (RFC 6750 §2.1: "Bearer" 1*SP b64token)', () => {
    it.each([
      ['a second word after the token', (token: string) => `Bearer ${token} extra`],
      ['a token split by a space', (token: string) => `Bearer ${token.slice(0, 20)} ${token.slice(20)}`],
      ['an empty token', () => 'Bearer '],
      ['no token', () => 'Bearer'],
      ['a tab instead of a space', (token: string) => `Bearer\t${token}`],
      ['no space', (token: string) => `Bearer${token}`],
      ['another scheme', (token: string) => `Basic ${token}`],
      ['a character outside b64token', (token: string) => `Bearer ${token},`],
      ['a quoted token', (token: string) => `Bearer "${token}"`],
      ['the token alone', (token: string) => token],
    ])('refuses %s with 401 problem+json and a WWW-Authenticate challenge', async (_case, header) => {
      const response = await api.http.get(ME).set('authorization', header(session.accessToken));
      expectUnauthorized(response);
      expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    });

    it('answers a request without credentials with the bare challenge (RFC 6750 §3.1: no error code)', async () => {
      const response = await api.http.get(ME);
      expectUnauthorized(response);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('takes the scheme name in any case, as every HTTP auth scheme (RFC 9110 §11.1), and one or more spaces', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
        await api.http.get(ME).set('authorization', `${scheme} ${session.accessToken}`).expect(200);
      }
      await api.http.get(ME).set('authorization', `Bearer   ${session.accessToken}`).expect(200);
    });

    it('refuses a tampered payload even with a well-formed header (control)', async () => {
      const [header, , signature] = session.accessToken.split('.');
      const response = await api.http.get(ME).set('authorization', `Bearer ${header}.${base64url({ ...jwtPayload(session.accessToken), sub: 'x' })}.${signature}`);
      expectUnauthorized(response);
    });
  });
});
