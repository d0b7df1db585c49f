import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../config/env.validation.js';

/** Time as the app sees it. Tests replace it to move trains without waiting. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

/**
 * Real time, or with SIMULATION_SPEED > 1 time that runs faster from the moment the app
 * started, so the simulated trains of a demo move visibly.
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
      useFactory: (config: ConfigService<Env, true>) => scaledClock(config.get('SIMULATION_SPEED', { infer: true })),
    },
  ],
  exports: [CLOCK],
})
export class ClockModule {}
