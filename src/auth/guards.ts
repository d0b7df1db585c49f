import { type ExecutionContext, Injectable, type CanActivate, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import type { AuthUser, Role } from '../common/auth/auth-user.js';
import { IS_PUBLIC, REQUIRED_ROLES } from '../common/auth/auth.decorators.js';

/** Global: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T = AuthUser>(error: unknown, user: T | false, _info: unknown, context: ExecutionContext): T {
    if (error || !user) {
      // RFC 6750 §3: a 401 carries the challenge; with no credentials at all, no error code (§3.1).
      const { headers } = context.switchToHttp().getRequest<Request>();
      context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', headers.authorization === undefined ? 'Bearer' : 'Bearer error="invalid_token"');
      throw new UnauthorizedException('A valid access token is required');
    }
    return user;
  }
}

/** Global, after JwtAuthGuard: routes with @RequireRoles() need one of those roles (403 otherwise). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [context.getHandler(), context.getClass()]);
    if (!roles?.length) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw new UnauthorizedException('A valid access token is required');
    if (!roles.includes(user.role)) throw new ForbiddenException('This action needs the admin role');
    return true;
  }
}
