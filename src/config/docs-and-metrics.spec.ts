import { describe, expect, it } from '@jest/globals';
import { validateEnv } from './env.validation.js';

const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: 'Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4OTAtYWJjZGVm' };

describe('/docs and /metrics configuration', () => {
  it('serves both by default in development and test', () => {
    for (const NODE_ENV of ['development', 'test']) expect(validateEnv({ NODE_ENV })).toMatchObject({ DOCS_ENABLED: true, METRICS_ENABLED: true });
    expect(validateEnv({}).METRICS_TOKEN).toBeUndefined();
  });

  it('serves neither by default in production; metrics when a token is set', () => {
    expect(validateEnv(PRODUCTION)).toMatchObject({ DOCS_ENABLED: false, METRICS_ENABLED: false });
    expect(validateEnv({ ...PRODUCTION, METRICS_TOKEN: 'scrape-token-0123456789' })).toMatchObject({ DOCS_ENABLED: false, METRICS_ENABLED: true });
  });

  it('does what it is told in any environment', () => {
    expect(validateEnv({ ...PRODUCTION, DOCS_ENABLED: 'true', METRICS_ENABLED: 'true' })).toMatchObject({ DOCS_ENABLED: true, METRICS_ENABLED: true });
    expect(validateEnv({ DOCS_ENABLED: 'false', METRICS_ENABLED: 'false' })).toMatchObject({ DOCS_ENABLED: false, METRICS_ENABLED: false });
  });

  it('refuses a short or blank-containing METRICS_TOKEN', () => {
    expect(() => validateEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: METRICS_TOKEN must be at least 16 characters/);
    expect(() => validateEnv({ METRICS_TOKEN: 'has a space 0123456789' })).toThrow(/METRICS_TOKEN must be printable ASCII without spaces/);
  });
});
