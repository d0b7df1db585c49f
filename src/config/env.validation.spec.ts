import { describe, expect, it } from '@jest/globals';
import { validateEnv } from './env.validation.js';

describe('validateEnv', () => {
  it('fills defaults for an empty environment (the embedded demo)', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, DATA_DIR: './data', DB_MIGRATE_ON_START: true, CORS_ORIGINS: [] });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED_DEMO_DATA_WHEN_EMPTY).toBeUndefined();
  });

  it('converts strings to numbers, booleans and lists', () => {
    const env = validateEnv({
      PORT: '8080',
      DB_MIGRATE_ON_START: 'false',
      SEED_DEMO_DATA_WHEN_EMPTY: 'yes',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      DATABASE_URL: 'postgres://u:p@db:5432/tt',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DB_MIGRATE_ON_START: false,
      SEED_DEMO_DATA_WHEN_EMPTY: true,
      CORS_ORIGINS: ['https://app.example.com', 'http://localhost:5173'],
      DATABASE_URL: 'postgres://u:p@db:5432/tt',
    });
  });

  it('stops with a message naming every bad variable', () => {
    expect(() => validateEnv({ PORT: 'eighty', NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', CORS_ORIGINS: '*' })).toThrow(
      /Invalid configuration:[\s\S]*PORT[\s\S]*DATABASE_URL[\s\S]*CORS_ORIGINS/,
    );
    expect(() => validateEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV: NODE_ENV must be one of the following values/);
  });

  it('refuses to start in production without a strong JWT_SECRET', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set in production/);
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40) })).toThrow(/strong random value/);
    expect(validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4OTAtYWJjZGVm' }).JWT_SECRET).toHaveLength(40);
  });
});
