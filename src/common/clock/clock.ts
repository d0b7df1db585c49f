import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../config/env.validation.js';

/** Time as the app sees it. Tests replace it to move trains without waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/**
 * Real time, for what must follow the wall clock whatever the simulation does: refresh-token
 * lifetimes and their grace period (README: token lifetimes are real time, as JWT `exp` must be).
 * CLOCK may run 60 times faster or start on another day; this one never does. Tests replace it.
 */
export const REAL_CLOCK = Symbol('REAL_CLOCK');

export const realClock: Clock = { now: () => new Date() };

export interface ScaledClockOptions {
  /** How many simulated milliseconds pass per real one (SIMULATION_SPEED). */
  speed: number;
  /**
   * The real instant (ms since 1970) simulated time is anchored to: SIMULATION_EPOCH_MS, one
   * value for every instance of a cluster, else when the process started.
   */
  epochMs: number;
  /** The simulated instant at `epochMs` (CLOCK_START); by default `epochMs` itself, i.e. real time. */
  startMs?: number;
}

/**
 * Simulated time: `startMs` at the real instant `epochMs`, then running `speed` times faster
 * than real time. With neither a start nor a speed it is the real clock. A fixed start makes
 * what the simulator (or a replayed feed) shows independent of when the app runs: demos, tests
 * and benchmarks see the same trains at any hour. `realNow` is the real time source (a test
 * passes a fake one).
 */
export function scaledClock({ speed, epochMs, startMs = epochMs }: ScaledClockOptions, realNow: () => number = Date.now): Clock {
  return { now: () => new Date(startMs + (realNow() - epochMs) * speed) };
}

/** The clock the environment configures. */
export function configuredClock(
  env: Pick<Env, 'SIMULATION_SPEED' | 'SIMULATION_EPOCH_MS' | 'CLOCK_START'>,
  realNow: () => number = Date.now,
): Clock {
  return scaledClock(
    {
      speed: env.SIMULATION_SPEED,
      epochMs: env.SIMULATION_EPOCH_MS ?? realNow(),
      startMs: env.CLOCK_START === undefined ? undefined : Date.parse(env.CLOCK_START),
    },
    realNow,
  );
}

@Global()
@Module({
  providers: [
    {
      provide: CLOCK,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        configuredClock({
          SIMULATION_SPEED: config.get('SIMULATION_SPEED', { infer: true }),
          SIMULATION_EPOCH_MS: config.get('SIMULATION_EPOCH_MS', { infer: true }),
          CLOCK_START: config.get('CLOCK_START', { infer: true }),
        }),
    },
    { provide: REAL_CLOCK, useValue: realClock },
  ],
  exports: [CLOCK, REAL_CLOCK],
})
export class ClockModule {}
