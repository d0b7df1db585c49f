import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { type AuthUser, ROLES, type Role } from '../common/auth/auth-user.js';
import type { Env } from '../config/env.validation.js';

export const JWT_ALGORITHM = 'HS256';
export const JWT_ISSUER = 'train-tracker';
export const JWT_AUDIENCE = 'train-tracker-api';

/** Claims of an access token: subject, role, session (refresh-token family), unique id. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  sid: string;
  jti: string;
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
    const claims: Omit<AccessTokenClaims, 'jti' | 'sub'> = { role: user.role, sid: sessionId };
    return this.jwt.signAsync(claims, {
      subject: user.id,
      jwtid: randomUUID(),
      algorithm: JWT_ALGORITHM,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      expiresIn: this.ttlSeconds,
    });
  }

  /** Verifies a token as the HTTP guard does (algorithm, issuer, audience pinned); throws when invalid. */
  async verify(token: string): Promise<AuthUser> {
    const claims = await this.jwt.verifyAsync<Partial<AccessTokenClaims>>(token, {
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !ROLES.includes(claims.role as never)) {
      throw new Error('malformed claims');
    }
    return AccessTokens.toAuthUser(claims as AccessTokenClaims);
  }

  static toAuthUser(claims: AccessTokenClaims): AuthUser {
    return { id: claims.sub, role: claims.role, sessionId: claims.sid };
  }
}
