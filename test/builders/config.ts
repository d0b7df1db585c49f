import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../src/config/env.validation.js';

/**
 * A ConfigService for unit tests holding only the values given: reading any other key throws,
 * so a service that starts reading new configuration says so instead of getting undefined.
 */
export function testConfig(values: Partial<Env>): ConfigService<Env, true> {
  return {
    get: (key: keyof Env) => {
      if (!(key in values)) throw new Error(`testConfig: no value for ${String(key)}`);
      return values[key];
    },
  } as unknown as ConfigService<Env, true>;
}
