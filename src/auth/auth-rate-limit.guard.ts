import { createHash } from 'node:crypto';
import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../common/rate-limit/rate-limit.store.js';
import type { Env } from '../config/env.validation.js';
import { normalizeEmail } from '../users/users.service.js';

/** Who an auth request is about: the email it names, or the refresh token it presents. */
export function accountOf(request: Request): string | null {
  const body = request.body as Record<string, unknown> | undefined;
  if (typeof body?.email === 'string') return `email:${normalizeEmail(body.email)}`;
  if (typeof body?.refreshToken === 'string') return `token:${createHash('sha256').update(body.refreshToken).digest('hex').slice(0, 32)}`;
  return null;
}

/**
 * Limits register, login and refresh in fixed windows (OWASP ASVS V2.2.1 brute-force
 * controls); 429 with Retry-After when exceeded. Two counters:
 * - per client IP, one budget shared by all three endpoints, so a client cannot triple its
 *   attempts by spreading them over endpoints;
 * - per account (email or refresh token) and client IP together, so failures from one address
 *   lock that address out of the account, not the owner logging in from elsewhere (a lockout
 *   per account alone let anyone lock anyone out; OWASP Authentication Cheat Sheet, "Account
 *   Lockout"). Each endpoint counts its own attempts on this one.
 *
 * Hand-written rather than @nestjs/throttler: throttler 6 is CommonJS and requires the ESM-only
 * @nestjs/common 12, which Jest cannot load on Node 20.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  private readonly perIp: number;
  private readonly perAccount: number;
  private readonly windowMs: number;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    config: ConfigService<Env, true>,
  ) {
    this.perIp = config.get('AUTH_RATE_LIMIT_PER_IP', { infer: true });
    this.perAccount = config.get('AUTH_RATE_LIMIT_PER_ACCOUNT', { infer: true });
    this.windowMs = config.get('AUTH_RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const endpoint = `${context.getClass().name}.${context.getHandler().name}`;
    const account = accountOf(request);
    const checks = [this.store.hit(`auth:ip:${request.ip}`, this.perIp, this.windowMs)];
    if (account) checks.push(this.store.hit(`${endpoint}:${account}:ip:${request.ip}`, this.perAccount, this.windowMs));
    const blocked = (await Promise.all(checks)).filter((result) => result.blocked);
    if (blocked.length === 0) return true;
    const retryAfter = Math.max(...blocked.map((result) => result.retryAfterSeconds));
    http.getResponse<Response>().setHeader('Retry-After', String(retryAfter));
    throw new HttpException(`Too many attempts; retry in ${retryAfter} s`, HttpStatus.TOO_MANY_REQUESTS);
  }
}
