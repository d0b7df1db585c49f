import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponses } from '../errors/api-problem-responses.js';
import type { AuthUser, Role } from './auth-user.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLES = 'auth:roles';

/**
 * Every route needs a valid access token unless marked public: the global guard denies by
 * default, so a new endpoint cannot be exposed by forgetting a decorator.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Needs a valid access token (documented as bearer auth with its 401). */
export const Authenticated = () => applyDecorators(ApiBearerAuth(), ApiProblemResponses(401));

/** Needs an access token of one of these roles: 401 without one, 403 with another role. */
export const RequireRoles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiBearerAuth(), ApiProblemResponses(401, 403));

export const AdminOnly = () => RequireRoles('admin');

/** The authenticated caller. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthUser => context.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
