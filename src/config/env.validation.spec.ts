import { describe, expect, it } from '@jest/globals';
import { parseIsoInstant, validateEnv } from './env.validation.js';

describe('validateEnv', () => {
  it('fills defaults for an empty environment (the embedded demo)', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({ NODE_ENV: 'development', PORT: 3000, DATA_DIR: './data', DB_MIGRATE_ON_START: true, CORS_ORIGINS: [] });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.CATALOG_WHEN_EMPTY).toBeUndefined();
  });

  it('converts strings to numbers, booleans and lists', () => {
    const env = validateEnv({
      PORT: '8080',
      DB_MIGRATE_ON_START: 'false',
      CATALOG_WHEN_EMPTY: 'demo',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      DATABASE_URL: 'postgres://u:p@db:5432/tt',
    });
    expect(env).toMatchObject({
      PORT: 8080,
      DB_MIGRATE_ON_START: false,
      CATALOG_WHEN_EMPTY: 'demo',
      CORS_ORIGINS: ['https://app.example.com', 'http://localhost:5173'],
      DATABASE_URL: 'postgres://u:p@db:5432/tt',
    });
  });

  it('stops with a message naming every bad variable', () => {
    expect(() => validateEnv({ PORT: 'eighty', NODE_ENV: 'staging', DATABASE_URL: 'mysql://x', CORS_ORIGINS: '*' })).toThrow(
      /Invalid configuration:[\s\S]*PORT[\s\S]*DATABASE_URL[\s\S]*CORS_ORIGINS/,
    );
    expect(() => validateEnv({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV: NODE_ENV must be one of the following values/);
    expect(() => validateEnv({ CATALOG_WHEN_EMPTY: 'yes' })).toThrow(/CATALOG_WHEN_EMPTY must be one of the following values: india, demo, none/);
  });

  it('refuses to start in production without a strong JWT_SECRET', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set in production/);
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(() => validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'a'.repeat(40) })).toThrow(/strong random value/);
    expect(validateEnv({ NODE_ENV: 'production', JWT_SECRET: 'Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4OTAtYWJjZGVm' }).JWT_SECRET).toHaveLength(40);
  });

  it('accepts CLOCK_START as an ISO 8601 instant with an offset, and refuses anything else naming the format', () => {
    expect(validateEnv({}).CLOCK_START).toBeUndefined();
    expect(validateEnv({ CLOCK_START: '2026-11-24T10:00:00+05:30' }).CLOCK_START).toBe('2026-11-24T10:00:00+05:30');
    for (const bad of ['2026-11-24T10:00:00', '2026-11-24', 'tomorrow', '1795494600000', '2026-02-30T10:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T10:00:00+25:00']) {
      expect(() => validateEnv({ CLOCK_START: bad })).toThrow(
        /CLOCK_START: CLOCK_START must be an ISO 8601 instant with a UTC offset, e.g. 2026-11-24T10:00:00\+05:30/,
      );
    }
  });
});

describe('parseIsoInstant', () => {
  it('reads the offset the instant names, with or without seconds and milliseconds', () => {
    expect(parseIsoInstant('2026-11-24T10:00:00+05:30')).toBe(Date.parse('2026-11-24T04:30:00Z'));
    expect(parseIsoInstant('2026-11-24T10:00+05:30')).toBe(Date.parse('2026-11-24T04:30:00Z'));
    expect(parseIsoInstant('2026-11-23T23:00:00.250-05:00')).toBe(Date.parse('2026-11-24T04:00:00.250Z'));
    expect(parseIsoInstant('2026-11-24T04:30:00Z')).toBe(Date.parse('2026-11-24T04:30:00Z'));
  });

  describe('live status from a GTFS-Realtime feed', () => {
    it('keeps the simulator by default, with a 300 s freshness limit', () => {
      expect(validateEnv({})).toMatchObject({ STATUS_PROVIDER: 'simulator', GTFS_RT_HEADERS: {}, GTFS_RT_TIMEOUT_MS: 5000, LIVE_DATA_STALE_AFTER_SECONDS: 300 });
    });

    it('reads the feed URL and its API-key headers as a JSON object', () => {
      const env = validateEnv({ STATUS_PROVIDER: 'gtfs-rt', GTFS_RT_TRIP_UPDATES_URL: 'https://api.example.org/tu.pb', GTFS_RT_HEADERS: '{"x-api-key":"abc=123,4"}' });
      expect(env).toMatchObject({ STATUS_PROVIDER: 'gtfs-rt', GTFS_RT_TRIP_UPDATES_URL: 'https://api.example.org/tu.pb', GTFS_RT_HEADERS: { 'x-api-key': 'abc=123,4' } });
    });

    it('refuses gtfs-rt without a feed URL, and headers that are not a JSON object of names to strings', () => {
      expect(() => validateEnv({ STATUS_PROVIDER: 'gtfs-rt' })).toThrow(/GTFS_RT_TRIP_UPDATES_URL must be set when STATUS_PROVIDER is gtfs-rt/);
      expect(() => validateEnv({ STATUS_PROVIDER: 'feed' })).toThrow(/STATUS_PROVIDER must be one of the following values: simulator, gtfs-rt/);
      expect(() => validateEnv({ GTFS_RT_TRIP_UPDATES_URL: 'ftp://x' })).toThrow(/GTFS_RT_TRIP_UPDATES_URL must be an http\(s\):\/\/ URL/);
      for (const headers of ['x-api-key: abc', '["x"]', '{"x api":"a"}', '{"x-api-key":1}', '{"x-api-key":"a\\nb"}']) {
        expect(() => validateEnv({ GTFS_RT_HEADERS: headers })).toThrow(/GTFS_RT_HEADERS must be a JSON object of HTTP header names to string values/);
      }
    });

    it('lets SIMULATION_SPEED 0 hold the clock still (replays), and nothing below', () => {
      expect(validateEnv({ SIMULATION_SPEED: '0' }).SIMULATION_SPEED).toBe(0);
      expect(() => validateEnv({ SIMULATION_SPEED: '-1' })).toThrow(/SIMULATION_SPEED must not be less than 0/);
    });
  });
});
