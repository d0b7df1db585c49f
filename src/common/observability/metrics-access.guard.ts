import { type CanActivate, type ExecutionContext, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Env } from '../../config/env.validation.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * /metrics as configured: absent when METRICS_ENABLED is off (the same 404 problem as any unknown
 * path), and with METRICS_TOKEN only for requests with `Authorization: Bearer <token>` (RFC 6750;
 * Prometheus sends it with `authorization: { credentials: … }`), compared in constant time.
 */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  private readonly enabled: boolean;
  private readonly token: Buffer | null;

  constructor(config: ConfigService<Env, true>) {
    this.enabled = config.get('METRICS_ENABLED', { infer: true });
    const token = config.get('METRICS_TOKEN', { infer: true });
    this.token = token ? digest(`Bearer ${token}`) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!this.enabled) throw new NotFoundException(`Cannot ${request.method} ${request.path}`);
    if (!this.token) return true;
    const presented = request.headers.authorization;
    if (typeof presented === 'string' && timingSafeEqual(digest(presented), this.token)) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new UnauthorizedException('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
  }
}
