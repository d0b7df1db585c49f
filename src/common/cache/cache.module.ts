import KeyvRedis from '@keyv/redis';
import { CacheModule } from '@nestjs/cache-manager';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type DeserializedData, type Deserialize, Keyv } from 'keyv';
import type { Env } from '../../config/env.validation.js';

/**
 * The shared cache: Redis through @keyv/redis when REDIS_URL is set (the maintained successor
 * of cache-manager-redis-yet), in-process otherwise. A key `run:…` is stored in Redis as
 * `<REDIS_KEY_PREFIX>run:…`, like every other key of the app. Only the store prefixes it: Keyv
 * passes its namespace on to the store, and when both prefixed (Keyv with `ns:`, KeyvRedis with
 * `ns::`) keys carried the prefix twice (`tt::tt:run:…`, before issue #11). Those old keys are
 * not read; they expire within the cache TTL (README, Scale-out and operations).
 */
/** In JSON text, a string (value or key) that starts with a colon: what Keyv's serializer escapes. */
const COLON_STRING = /[[{:,]":/;

/**
 * Keyv's deserializer undoes the escapes of its serializer (a string starting with ':' is
 * stored as '::…', a Buffer as ':base64:…') with a JSON.parse reviver called on every value,
 * which cost ~3% of a live status request. Cached values rarely contain such a string: they
 * are parsed plainly, and only a text that may hold one goes through Keyv's own.
 */
export function withPlainParse(revive: Deserialize): Deserialize {
  return <Value>(text: string) => (COLON_STRING.test(text) ? revive<Value>(text) : (JSON.parse(text) as DeserializedData<Value>));
}

export const AppCacheModule = CacheModule.registerAsync({
  isGlobal: true,
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) => {
    const namespace = config.get('REDIS_KEY_PREFIX', { infer: true });
    const url = config.get('REDIS_URL', { infer: true });
    if (!url) return { stores: [new Keyv({ namespace })] };
    const logger = new Logger('Cache');
    const store = new KeyvRedis(
      {
        url,
        // Reject at once while Redis is away instead of queueing: callers fall back, never hang.
        disableOfflineQueue: true,
        socket: { connectTimeout: 1000, reconnectStrategy: (attempt: number) => Math.min(200 * (attempt + 1), 2000) },
      },
      { throwOnErrors: true, throwOnConnectError: false, connectionTimeout: 1000, keyPrefixSeparator: '' },
    );
    const keyv = new Keyv({ store, namespace, useKeyPrefix: false, throwOnErrors: true });
    keyv.deserialize = withPlainParse(keyv.deserialize!);
    // An 'error' event without a listener would kill the process (keyv #1349).
    let reported = false;
    const report = (error: unknown) => {
      if (!reported) logger.warn(`Redis cache error: ${error instanceof Error ? error.message : String(error)}`);
      reported = true;
    };
    store.on('error', report);
    keyv.on('error', report);
    return { stores: [keyv] };
  },
});
