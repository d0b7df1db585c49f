import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { type AuthUser, ROLES, type Role } from '../common/auth/auth-user.js';
import type { Env } from '../config/env.validation.js';

export const JWT_ALGORITHM = 'HS256';
export const JWT_ISSUER = 'train-tracker';
export const JWT_AUDIENCE = 'train-tracker-api';

/** Claims of an access token: subject, role, session (refresh-token family), unique id, lifetime. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
const isSeconds = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * The claims of a verified token (signature, algorithm, issuer, audience and expiry already
 * checked), or null unless every claim has the shape this app issues: ids are UUIDs (a non-UUID
 * `sub` reached a uuid column: a 500), the role is known, and `iat` and `exp` are whole seconds
 * with exp after iat. jsonwebtoken checks `exp` only when present, so a token without one would
 * never expire: it is required here. The signing key being ours, such a token means a leaked key
 * or a bug; either way it proves nothing.
 */
export function accessTokenClaims(payload: unknown): AccessTokenClaims | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
  const wellFormed =
    isUuid(claims.sub) &&
    isUuid(claims.sid) &&
    isUuid(claims.jti) &&
    ROLES.includes(claims.role as Role) &&
    isSeconds(claims.iat) &&
    isSeconds(claims.exp) &&
    claims.exp > claims.iat;
  return wellFormed ? (claims as AccessTokenClaims) : null;
}

@Injectable()
export class AccessTokens {
  readonly ttlSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    config: ConfigService<Env, true>,
  ) {
    this.ttlSeconds = config.get('JWT_ACCESS_TTL_SECONDS', { infer: true });
  }

  issue(user: { id: string; role: Role }, sessionId: string): Promise<string> {
    const claims: Pick<AccessTokenClaims, 'role' | 'sid'> = { role: user.role, sid: sessionId };
    return this.jwt.signAsync(claims, {
      subject: user.id,
      jwtid: randomUUID(),
      algorithm: JWT_ALGORITHM,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  /** Verifies a token as the HTTP guard does (algorithm, issuer, audience pinned, claims checked); throws when invalid. */
  async verify(token: string): Promise<AuthUser> {
    const payload: unknown = await this.jwt.verifyAsync(token, {
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    const claims = accessTokenClaims(payload);
    if (!claims) throw new Error('malformed claims');
    return AccessTokens.toAuthUser(claims);
  }

  static toAuthUser(claims: AccessTokenClaims): AuthUser {
    return { id: claims.sub, role: claims.role, sessionId: claims.sid };
  }
}
