import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { type HealthIndicatorFunction, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { Public } from '../auth/auth.decorators.js';
import { REDIS } from '../redis/redis.module.js';

const CHECK_TIMEOUT_MS = 1000;

@ApiTags('operations')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'Alive.', schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Redis (when configured) are reachable' })
  @ApiOkResponse({ description: 'Ready.', schema: { example: { status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } } } })
  @ApiServiceUnavailableResponse({
    description: 'Not ready: a problem whose `checks` says which dependency failed.',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
  })
  async ready(@Res({ passthrough: true }) response: Response) {
    const checks: HealthIndicatorFunction[] = [() => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS })];
    const redis = this.redis;
    if (redis) {
      checks.push(() =>
        this.indicators
          .check('redis')
          .attempt(async ({ signal }) => {
            // A client still (re)connecting gets until the timeout to be ready.
            if (redis.status !== 'ready') await once(redis, 'ready', { signal });
            await redis.ping();
          })
          .withTimeout(CHECK_TIMEOUT_MS),
      );
    }
    try {
      return await this.health.check(checks);
    } catch (error) {
      const checksResult = (error as { getResponse?: () => { details?: unknown } }).getResponse?.().details ?? {};
      const failed = Object.entries(checksResult as Record<string, { status: string }>)
        .filter(([, result]) => result.status !== 'up')
        .map(([name]) => name);
      response.status(HttpStatus.SERVICE_UNAVAILABLE).type('application/problem+json');
      return {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: HttpStatus.SERVICE_UNAVAILABLE,
        detail: `Not ready: ${failed.join(', ') || 'a dependency'} unreachable`,
        instance: '/health/ready',
        code: 'NOT_READY',
        checks: checksResult,
      };
    }
  }
}
