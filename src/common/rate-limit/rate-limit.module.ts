import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { Env } from '../../config/env.validation.js';
import { REDIS } from '../redis/redis.module.js';
import { MemoryRateLimitStore, RATE_LIMIT_STORE, RedisRateLimitStore } from './rate-limit.store.js';

/** One rate-limit store for the auth endpoints and the /live socket events. */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORE,
      inject: [ConfigService, REDIS],
      useFactory: (config: ConfigService<Env, true>, redis: Redis | null) =>
        redis ? new RedisRateLimitStore(redis, config.get('REDIS_KEY_PREFIX', { infer: true })) : new MemoryRateLimitStore(),
    },
  ],
  exports: [RATE_LIMIT_STORE],
})
export class RateLimitModule {}
