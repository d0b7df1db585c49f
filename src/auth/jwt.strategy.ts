import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../common/auth/auth-user.js';
import { ROLES } from '../common/auth/auth-user.js';
import { type AccessTokenClaims, AccessTokens, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './access-tokens.js';

export const JWT_SECRET = Symbol('JWT_SECRET');

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(JWT_SECRET) secret: string) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: secret,
      // Pinned: tokens signed with `none` or any other algorithm (key confusion) are refused.
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
    });
  }

  validate(claims: Partial<AccessTokenClaims>): AuthUser | false {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !ROLES.includes(claims.role as never)) return false;
    return AccessTokens.toAuthUser(claims as AccessTokenClaims);
  }
}
