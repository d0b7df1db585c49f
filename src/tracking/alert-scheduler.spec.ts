import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { TestClock } from '../../test/builders/clock.js';
import { testConfig } from '../../test/builders/config.js';
import type { RunRef } from '../live/run-state.js';
import { AlertScheduler } from './alert-scheduler.js';
import type { AlertsReport, RiderAlertsService } from './rider-alerts.service.js';

const NOW = new Date('2026-11-24T21:00:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

/** Rider alerts: records each evaluation; answers the next due time the test sets. */
class FakeAlerts {
  evaluations: Array<{ changed: RunRef[]; now: Date }> = [];
  nextDueAt: Date | null = null;
  failWith: Error | null = null;
  async evaluate(changed: RunRef[], now: Date): Promise<AlertsReport> {
    this.evaluations.push({ changed, now });
    if (this.failWith) throw this.failWith;
    return { evaluated: 1, sent: 0, nextDueAt: this.nextDueAt };
  }
}

function setUp(config: { TRACKING_ENABLED: boolean; SIMULATION_SPEED: number }) {
  const alerts = new FakeAlerts();
  const clock = new TestClock(NOW);
  const scheduler = new AlertScheduler(alerts as unknown as RiderAlertsService, clock, testConfig(config));
  return { alerts, clock, scheduler };
}

describe('AlertScheduler', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('evaluates again when the next alert is due, on the app clock scaled to real time', async () => {
    // At 60x, the alarm due in 10 simulated minutes is 10 real seconds away.
    const { alerts, clock, scheduler } = setUp({ TRACKING_ENABLED: true, SIMULATION_SPEED: 60 });
    alerts.nextDueAt = minutes(10);
    await scheduler.evaluate([{ trainId: 't1', serviceDate: '2026-11-24' }], NOW);
    expect(alerts.evaluations).toHaveLength(1);
    alerts.nextDueAt = null;
    await jest.advanceTimersByTimeAsync(9_999);
    expect(alerts.evaluations).toHaveLength(1);
    clock.advance(10 * 60_000);
    await jest.advanceTimersByTimeAsync(1);
    expect(alerts.evaluations).toEqual([
      { changed: [{ trainId: 't1', serviceDate: '2026-11-24' }], now: NOW },
      { changed: [], now: minutes(10) },
    ]);
    // Nothing more is due: no timer.
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(alerts.evaluations).toHaveLength(2);
    scheduler.onModuleDestroy();
  });

  it('keeps one timer, for the latest next due time it was told', async () => {
    const { alerts, scheduler } = setUp({ TRACKING_ENABLED: true, SIMULATION_SPEED: 1 });
    alerts.nextDueAt = minutes(5);
    await scheduler.evaluate([], NOW);
    alerts.nextDueAt = minutes(1);
    await scheduler.evaluate([], NOW);
    alerts.nextDueAt = null;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(alerts.evaluations).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(alerts.evaluations).toHaveLength(3);
    scheduler.onModuleDestroy();
  });

  it('sets no timer where the tracker does not run on its own, nor once shutting down', async () => {
    const disabled = setUp({ TRACKING_ENABLED: false, SIMULATION_SPEED: 1 });
    disabled.alerts.nextDueAt = minutes(1);
    await disabled.scheduler.evaluate([], NOW);
    const stopping = setUp({ TRACKING_ENABLED: true, SIMULATION_SPEED: 1 });
    stopping.alerts.nextDueAt = minutes(1);
    await stopping.scheduler.evaluate([], NOW);
    stopping.scheduler.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect([disabled.alerts.evaluations.length, stopping.alerts.evaluations.length]).toEqual([1, 1]);
  });

  it('reports a failed evaluation as nothing done rather than failing the tick that has committed', async () => {
    const { alerts, scheduler } = setUp({ TRACKING_ENABLED: true, SIMULATION_SPEED: 1 });
    alerts.failWith = new Error('connection terminated');
    await expect(scheduler.evaluate([], NOW)).resolves.toEqual({ evaluated: 0, sent: 0, nextDueAt: null });
    scheduler.onModuleDestroy();
  });
});
