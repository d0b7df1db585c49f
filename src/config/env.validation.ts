import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidationError,
  validateSync,
} from 'class-validator';
import { defaultTickLockTtlMs, isCronExpression, shortestCronIntervalMs } from './cron-interval.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const CATALOGS_WHEN_EMPTY = ['india', 'demo', 'none'] as const;
export type CatalogWhenEmpty = (typeof CATALOGS_WHEN_EMPTY)[number];
export const STATUS_PROVIDERS = ['simulator', 'gtfs-rt'] as const;
export type StatusProviderName = (typeof STATUS_PROVIDERS)[number];

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * GTFS_RT_HEADERS: a JSON object of header names to string values (`{"x-api-key":"…"}`), the
 * way API keys are sent; a value may hold any visible character but no line break.
 */
function toHeaders({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function IsHeaderMap() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isHeaderMap',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a JSON object of HTTP header names to string values, e.g. {"x-api-key":"abc"}' },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([name, header]) => HEADER_NAME.test(name) && typeof header === 'string' && /^[\t\x20-\x7e\x80-\xff]*$/.test(header)),
      },
    });
}

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/**
 * Every environment variable the app reads, with its default. This is the only place that
 * reads process.env (through ConfigModule); `.env.example` documents the same list.
 */
export class EnvironmentVariables {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsString()
  @MinLength(1)
  HOST = '0.0.0.0';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** PostgreSQL server. When absent the app runs on an embedded PostgreSQL (PGlite) in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  @Transform(toBoolean)
  @IsBoolean()
  DB_MIGRATE_ON_START = true;

  /**
   * The catalog loaded into an empty database at start: `india` (catalog/india/gtfs.zip, through
   * the GTFS import), `demo` (24 hand-made trains, which the e2e tests use) or `none`. Default:
   * `india` when embedded, `none` with DATABASE_URL.
   */
  @IsOptional()
  @IsIn(CATALOGS_WHEN_EMPTY)
  CATALOG_WHEN_EMPTY?: CatalogWhenEmpty;

  /** Browser origins allowed by CORS; empty means same-origin only. */
  @Transform(toList)
  @IsString({ each: true })
  @Matches(/^https?:\/\/[^\s/]+$/, { each: true, message: 'CORS_ORIGINS must be a comma-separated list of http(s)://host[:port] origins' })
  CORS_ORIGINS: string[] = [];

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 100 * 1024;

  /** Express `trust proxy`: hops of reverse proxies whose X-Forwarded-For is believed (0 = none). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  /** Shared Redis: rate limits (and later the cache and Socket.IO) hold across instances. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of every Redis key, so several deployments (or test runs) can share one Redis. */
  @IsString()
  @Matches(/^[\w:.-]{1,40}$/, { message: 'REDIS_KEY_PREFIX must be 1-40 letters, digits or : . _ -' })
  REDIS_KEY_PREFIX = 'tt:';

  /** HMAC key of access tokens. Required (32+ characters) in production; generated into DATA_DIR otherwise. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(60)
  @Max(24 * 3600)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /**
   * Seconds after a rotation during which the rotated refresh token, presented again, returns the
   * same successor instead of counting as reuse (concurrent refreshes from two tabs, a retry after
   * a lost response; RFC 9700 §4.14.2). 0 turns the grace period off.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(60)
  REFRESH_TOKEN_GRACE_SECONDS = 10;

  /** Register, login and refresh attempts allowed per client IP in each window, one budget for the three. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_IP = 20;

  /** Attempts allowed per account (email or refresh token) from one client IP, per endpoint, in each window. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_ACCOUNT = 5;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_RATE_LIMIT_WINDOW_SECONDS = 60;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(1000)
  FAVORITES_MAX_PER_USER = 50;

  /** Run the tracker on its schedule (tests turn it off and tick on demand). */
  @Transform(toBoolean)
  @IsBoolean()
  TRACKING_ENABLED = true;

  /** Cron expression of the tracker tick (with seconds). */
  @IsString()
  @IsCron()
  TRACKING_CRON = '*/10 * * * * *';

  /** How much faster than real time the simulated trains run (1 = real time; 0 holds the clock still at CLOCK_START, for replays and tests). */
  @Transform(({ value }) => Number(value))
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  SIMULATION_SPEED = 1;

  /**
   * Real instant (ms since 1970) the simulated clock is anchored to: simulated time is CLOCK_START
   * (else this instant) then, and runs SIMULATION_SPEED times faster from there. Instances of one
   * cluster must share it or their clocks would disagree. Default: when the process started.
   */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  SIMULATION_EPOCH_MS?: number;

  /**
   * Simulated instant the clock starts at (at SIMULATION_EPOCH_MS), e.g. 2026-11-24T10:00:00+05:30,
   * so what the trains do no longer depends on the time of day the app runs (tests, benchmarks,
   * demos, replayed feeds). Default: the real time.
   */
  @IsOptional()
  @IsIsoInstant()
  CLOCK_START?: string;

  /** Where live status comes from: `simulator` (the demo) or `gtfs-rt` (an operator's GTFS-Realtime TripUpdates feed). */
  @IsIn(STATUS_PROVIDERS)
  STATUS_PROVIDER: StatusProviderName = 'simulator';

  /** The TripUpdates feed read once per tick with STATUS_PROVIDER=gtfs-rt (required then). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'GTFS_RT_TRIP_UPDATES_URL must be an http(s):// URL' })
  GTFS_RT_TRIP_UPDATES_URL?: string;

  /** Request headers sent with every poll, as a JSON object (API keys: `{"x-api-key":"…"}`). */
  @Transform(toHeaders)
  @IsHeaderMap()
  GTFS_RT_HEADERS: Record<string, string> = {};

  /** Longest a poll of the feed may take; past it the tick goes on without the feed (counted as a timeout). */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(60_000)
  GTFS_RT_TIMEOUT_MS = 5000;

  /**
   * How old a source's data on a run may get before the run shows "no live data" (`realtime:
   * false`, its times the timetable's). Applies to sources whose data ages (a feed), not to the
   * simulator or operator reports.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(86_400)
  LIVE_DATA_STALE_AFTER_SECONDS = 300;

  /** Trains one socket may subscribe to at once. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(500)
  SOCKET_MAX_SUBSCRIPTIONS = 20;

  /** Events (subscribe, unsubscribe, anything) one socket may send per window; past it they are refused with TOO_MANY_REQUESTS. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100_000)
  SOCKET_RATE_LIMIT_PER_CONNECTION = 40;

  /** Socket events all sockets of one client IP may send per window, across instances with REDIS_URL. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  SOCKET_RATE_LIMIT_PER_IP = 400;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  SOCKET_RATE_LIMIT_WINDOW_SECONDS = 10;

  /** Swagger UI and the OpenAPI and AsyncAPI documents at /docs. Default: on, except in production. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  DOCS_ENABLED!: boolean;

  /** Prometheus metrics at /metrics. Default: on, except in production without METRICS_TOKEN. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  METRICS_ENABLED!: boolean;

  /** When set, /metrics answers only requests with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  @Matches(/^[\x21-\x7e]+$/, { message: 'METRICS_TOKEN must be printable ASCII without spaces' })
  METRICS_TOKEN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty` for people, `json` (one object per line) for log collectors. Default: pretty in development. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT?: 'json' | 'pretty';

  /**
   * Longest a tick may hold the cluster-wide tick lock before it expires (extended while the tick
   * runs). It must expire before the next firing of TRACKING_CRON, or that tick is skipped as busy:
   * default 80% of the shortest interval between two firings, and a longer one is refused
   * (validateEnv). 100 ms at least, so a second-by-second schedule can have one.
   */
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  TRACKING_LOCK_TTL_MS!: number;

  /** Longest a cache (Redis) call may take before the app goes on without it. */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(10_000)
  CACHE_TIMEOUT_MS = 250;

  /**
   * HTTP requests one instance handles at once; past it new requests get 503 OVERLOADED with
   * Retry-After (liveness is always answered). Sockets are not counted.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  OVERLOAD_MAX_IN_FLIGHT = 2000;

  /**
   * Event-loop lag (ms) past which new HTTP requests get 503 OVERLOADED with Retry-After while
   * others are in hand: the instance is behind on work it already accepted. 0 turns this check off.
   */
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(60_000)
  OVERLOAD_MAX_LAG_MS = 500;
}

export type Env = EnvironmentVariables;

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since 1970 of an ISO 8601 instant that names its offset (`Z` or `±hh:mm`), or null
 * when it is not one. A time without an offset is refused, because it would be read in the
 * server's own zone; impossible dates and times (2026-02-30, 24:00) are refused rather than rolled over.
 */
export function parseIsoInstant(text: string): number | null {
  const match = ISO_INSTANT.exec(text);
  if (!match) return null;
  const [year, month, day] = match[1].split('-').map(Number);
  const [hours, minutes, seconds] = match.slice(2, 5).map((part) => Number(part ?? 0));
  const offset = match[5];
  const fields = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  const real =
    fields.getUTCFullYear() === year && fields.getUTCMonth() === month - 1 && fields.getUTCDate() === day &&
    fields.getUTCHours() === hours && fields.getUTCMinutes() === minutes && fields.getUTCSeconds() === seconds;
  if (!real || (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59))) return null;
  return Date.parse(text);
}

function IsCron() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCron',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a cron expression (seconds optional), e.g. */10 * * * * *' },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCronExpression(value) },
    });
}

function IsIsoInstant() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoInstant',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an ISO 8601 instant with a UTC offset, e.g. 2026-11-24T10:00:00+05:30 or 2026-11-24T04:30:00Z' },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseIsoInstant(value) !== null },
    });
}

/** Validates and types the environment; a bad value stops the app with a message naming the variable. */
export function validateEnv(raw: Record<string, unknown>): EnvironmentVariables {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  if (env.NODE_ENV === 'production' && (!env.JWT_SECRET || new Set(env.JWT_SECRET).size < 12)) {
    errors.push(
      Object.assign(new ValidationError(), {
        property: 'JWT_SECRET',
        constraints: { strong: 'JWT_SECRET must be set in production to a strong random value (32+ characters, e.g. openssl rand -base64 48)' },
      }),
    );
  }
  // In production what the app is made of (its routes and schemas) and how busy it is are for
  // operators, not for anyone who can reach the port: both opt in there.
  if (env.STATUS_PROVIDER === 'gtfs-rt' && !env.GTFS_RT_TRIP_UPDATES_URL) {
    errors.push(
      Object.assign(new ValidationError(), {
        property: 'GTFS_RT_TRIP_UPDATES_URL',
        constraints: { required: 'GTFS_RT_TRIP_UPDATES_URL must be set when STATUS_PROVIDER is gtfs-rt' },
      }),
    );
  }
  env.DOCS_ENABLED ??= env.NODE_ENV !== 'production';
  env.METRICS_ENABLED ??= env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined;
  if (!errors.some((error) => ['TRACKING_CRON', 'TRACKING_LOCK_TTL_MS'].includes(error.property))) {
    const intervalMs = shortestCronIntervalMs(env.TRACKING_CRON);
    env.TRACKING_LOCK_TTL_MS ??= defaultTickLockTtlMs(intervalMs);
    if (env.TRACKING_LOCK_TTL_MS >= intervalMs) {
      errors.push(
        Object.assign(new ValidationError(), {
          property: 'TRACKING_LOCK_TTL_MS',
          constraints: {
            beforeNextTick:
              `TRACKING_LOCK_TTL_MS (${env.TRACKING_LOCK_TTL_MS}) must be shorter than the shortest interval between two ticks of ` +
              `TRACKING_CRON '${env.TRACKING_CRON}' (${intervalMs} ms), or the lock of one tick is still held at the next; ` +
              `leave it unset for ${defaultTickLockTtlMs(intervalMs)}`,
          },
        }),
      );
    }
  }
  if (errors.length > 0) {
    const lines = errors.flatMap((error) =>
      Object.values(error.constraints ?? {}).map((message) => `  - ${error.property}: ${message}`),
    );
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return env;
}
