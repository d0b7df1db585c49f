import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../config/env.validation.js';

/** Time as the app sees it. Tests replace it to move trains without waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/**
 * Real time, or with SIMULATION_SPEED > 1 time that runs faster from `start` (the moment the
 * app started, or SIMULATION_EPOCH_MS shared by a cluster), so the simulated trains of a demo
 * move visibly.
 */
export function scaledClock(speed: number, start = Date.now()): Clock {
  return { now: () => new Date(start + (Date.now() - start) * speed) };
}

@Global()
@Module({
  providers: [
    {
      provide: CLOCK,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        scaledClock(config.get('SIMULATION_SPEED', { infer: true }), config.get('SIMULATION_EPOCH_MS', { infer: true }) ?? Date.now()),
    },
  ],
  exports: [CLOCK],
})
export class ClockModule {}
