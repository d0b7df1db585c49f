import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth/auth-user.js';
import { accessTokenClaims, AccessTokens, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './access-tokens.js';
import { bearerToken } from './bearer-token.js';

export const JWT_SECRET = Symbol('JWT_SECRET');

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(JWT_SECRET) secret: string) {
    super({
      // Strict RFC 6750 credentials (see bearer-token.ts); passport-jwt's own extractor took the
      // first word after the scheme and ignored the rest ("Bearer <token> junk").
      jwtFromRequest: (request: Request) => bearerToken(request.headers.authorization),
      secretOrKey: secret,
      // Pinned: tokens signed with `none` or any other algorithm (key confusion) are refused.
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(payload: unknown): AuthUser | false {
    const claims = accessTokenClaims(payload);
    return claims ? AccessTokens.toAuthUser(claims) : false;
  }
}
