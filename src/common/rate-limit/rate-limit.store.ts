import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

export interface RateLimitResult {
  blocked: boolean;
  hits: number;
  /** Seconds until the client may try again (when blocked) or until the window resets. */
  retryAfterSeconds: number;
}

/** The app's RateLimitStore: in Redis with REDIS_URL (limits hold across instances), else in memory. */
export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Counts hits per key in fixed windows; past the limit the key is blocked for one window. */
export interface RateLimitStore {
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
}

export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { hits: number; resetAt: number; blockedUntil: number }>();

  async hit(key: string, limit: number, windowMs: number, now = Date.now()): Promise<RateLimitResult> {
    if (this.windows.size > 50_000) this.evict(now);
    let entry = this.windows.get(key);
    if (entry && entry.blockedUntil > now) return { blocked: true, hits: entry.hits, retryAfterSeconds: Math.ceil((entry.blockedUntil - now) / 1000) };
    if (!entry || entry.resetAt <= now) {
      entry = { hits: 0, resetAt: now + windowMs, blockedUntil: 0 };
      this.windows.set(key, entry);
    }
    entry.hits++;
    if (entry.hits > limit) {
      entry.blockedUntil = now + windowMs;
      return { blocked: true, hits: entry.hits, retryAfterSeconds: Math.ceil(windowMs / 1000) };
    }
    return { blocked: false, hits: entry.hits, retryAfterSeconds: Math.ceil((entry.resetAt - now) / 1000) };
  }

  private evict(now: number) {
    for (const [key, entry] of this.windows) if (entry.resetAt <= now && entry.blockedUntil <= now) this.windows.delete(key);
  }
}

// One round trip, atomic: count the hit; past the limit, block the key for one window.
const HIT = `
local hits_key, block_key = KEYS[1], KEYS[2]
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local block_ttl = redis.call('PTTL', block_key)
if block_ttl > 0 then return { tonumber(redis.call('GET', hits_key) or limit + 1), 1, block_ttl } end
local hits = redis.call('INCR', hits_key)
if hits == 1 then redis.call('PEXPIRE', hits_key, window) end
if hits > limit then
  redis.call('SET', block_key, 1, 'PX', window)
  return { hits, 1, window }
end
return { hits, 0, redis.call('PTTL', hits_key) }
`;

/**
 * Counters in Redis, so limits hold across every instance. When Redis cannot be reached the
 * limiter lets requests through and logs it once: availability over throttling.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly logger = new Logger(RedisRateLimitStore.name);
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
    const base = `${this.prefix}ratelimit:${key}`;
    try {
      const [hits, blocked, ttl] = (await this.redis.eval(HIT, 2, `${base}:hits`, `${base}:block`, limit, windowMs)) as number[];
      this.failing = false;
      return { hits, blocked: blocked === 1, retryAfterSeconds: Math.max(1, Math.ceil(ttl / 1000)) };
    } catch (error) {
      if (!this.failing) this.logger.warn(`Rate limiting suspended, Redis unavailable: ${(error as Error).message}`);
      this.failing = true;
      return { hits: 0, blocked: false, retryAfterSeconds: 0 };
    }
  }
}
