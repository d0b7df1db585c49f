import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { Env } from '../../config/env.validation.js';

/** The shared ioredis client, or null when REDIS_URL is not set (single-instance mode). */
export const REDIS = Symbol('REDIS');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): Redis | null => {
        const url = config.get('REDIS_URL', { infer: true });
        if (!url) return null;
        const logger = new Logger('Redis');
        const client = new Redis(url, {
          // Fail fast instead of queueing while Redis is away: callers degrade, never hang.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: 1000,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        });
        let warned = false;
        client.on('error', (error) => {
          if (!warned) logger.warn(`Redis unavailable: ${error.message}`);
          warned = true;
        });
        client.on('ready', () => {
          if (warned) logger.log('Redis connection restored');
          warned = false;
        });
        return client;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedis(this.redis);
  }
}

/** QUIT waits for a connection that may never come back; a client that is not ready is just dropped. */
export async function closeRedis(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
  client.disconnect();
}
