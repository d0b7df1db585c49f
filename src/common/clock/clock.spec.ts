import { describe, expect, it } from '@jest/globals';
import { validateEnv } from '../../config/env.validation.js';
import { configuredClock, scaledClock } from './clock.js';

/** A real time source the test moves by hand. */
const fakeRealTime = (ms: number) => {
  const source = { ms, now: () => source.ms };
  return source;
};
const configOf = (raw: Record<string, string>) => validateEnv(raw);

const EPOCH = Date.parse('2030-01-01T00:00:00Z'); // a real instant unrelated to the simulated one
const START = '2026-11-24T10:00:00+05:30';

describe('scaledClock', () => {
  it('is the real time when neither a start nor a speed is given', () => {
    const real = fakeRealTime(EPOCH + 12_345);
    const clock = scaledClock({ speed: 1, epochMs: EPOCH }, real.now);
    expect(clock.now().getTime()).toBe(EPOCH + 12_345);
    real.ms += 60_000;
    expect(clock.now().getTime()).toBe(EPOCH + 72_345);
  });

  it('runs SIMULATION_SPEED times faster from the epoch, starting from the epoch itself by default', () => {
    const real = fakeRealTime(EPOCH);
    const clock = scaledClock({ speed: 60, epochMs: EPOCH }, real.now);
    expect(clock.now().getTime()).toBe(EPOCH);
    real.ms += 1000; // a real second is a simulated minute
    expect(clock.now().getTime()).toBe(EPOCH + 60_000);
  });

  it('shows the start instant at the epoch and runs at the speed from there, whatever the real time', () => {
    const real = fakeRealTime(EPOCH);
    const clock = scaledClock({ speed: 300, epochMs: EPOCH, startMs: Date.parse(START) }, real.now);
    expect(clock.now().toISOString()).toBe('2026-11-24T04:30:00.000Z');
    real.ms += 2000; // 2 real seconds at 300x: 10 simulated minutes
    expect(clock.now().toISOString()).toBe('2026-11-24T04:40:00.000Z');
    // Processes started later with the same epoch and start agree (one clock for a cluster).
    const later = scaledClock({ speed: 300, epochMs: EPOCH, startMs: Date.parse(START) }, real.now);
    expect(later.now().getTime()).toBe(clock.now().getTime());
  });
});

describe('configuredClock', () => {
  it('reads CLOCK_START, SIMULATION_SPEED and SIMULATION_EPOCH_MS from the validated environment', () => {
    const real = fakeRealTime(EPOCH + 3000);
    const clock = configuredClock(configOf({ CLOCK_START: START, SIMULATION_SPEED: '60', SIMULATION_EPOCH_MS: String(EPOCH) }), real.now);
    expect(clock.now().toISOString()).toBe('2026-11-24T04:33:00.000Z');
  });

  it('anchors to the real time it was made at when no epoch is configured', () => {
    const real = fakeRealTime(EPOCH);
    const clock = configuredClock(configOf({ CLOCK_START: '2026-11-24T04:30:00Z' }), real.now);
    real.ms += 5000;
    expect(clock.now().toISOString()).toBe('2026-11-24T04:30:05.000Z');
  });

  it('is the real clock by default', () => {
    const real = fakeRealTime(EPOCH + 42);
    expect(configuredClock(configOf({}), real.now).now().getTime()).toBe(EPOCH + 42);
  });
});
