import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { accessTokenClaims } from './access-tokens.js';

const claims = () => ({ sub: randomUUID(), sid: randomUUID(), jti: randomUUID(), role: 'user', iat: 1_800_000_000, exp: 1_800_000_900, iss: 'train-tracker', aud: 'train-tracker-api' });

describe('accessTokenClaims', () => {
  it('returns the claims of a token shaped as the app issues them', () => {
    const payload = claims();
    expect(accessTokenClaims(payload)).toBe(payload);
    expect(accessTokenClaims({ ...payload, role: 'admin' })).not.toBeNull();
  });

  it.each<[string, Record<string, unknown>]>([
    ['sub not a UUID', { sub: 'not-a-uuid' }],
    ['sub missing', { sub: undefined }],
    ['sid not a UUID', { sid: 42 }],
    ['jti missing', { jti: undefined }],
    ['role unknown', { role: 'root' }],
    ['role not a string', { role: ['user'] }],
    ['exp missing (the token would never expire)', { exp: undefined }],
    ['exp a string', { exp: '1800000900' }],
    ['exp fractional', { exp: 1_800_000_900.5 }],
    ['iat missing', { iat: undefined }],
    ['iat negative', { iat: -1 }],
    ['exp not after iat', { exp: 1_800_000_000 }],
  ])('refuses %s', (_case, change) => {
    expect(accessTokenClaims({ ...claims(), ...change })).toBeNull();
  });

  it('refuses a payload that is not an object', () => {
    for (const payload of [null, 'sub', 42, undefined]) expect(accessTokenClaims(payload)).toBeNull();
  });
});
