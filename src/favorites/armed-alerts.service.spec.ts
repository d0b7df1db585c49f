import { describe, expect, it } from '@jest/globals';
import { overnightRoute, weeklyTimetable } from '../../test/builders/route-stops.js';
import { OVERNIGHT_TRAIN, runState, runView } from '../../test/builders/run-views.js';
import type { CallsRequest, LiveStatusService } from '../live/live-status.service.js';
import type { RunState } from '../live/run-state.js';
import { callAt } from '../live/station-call.js';
import type { TimetableService } from '../routes/timetable.service.js';
import { type AlertKind, NO_ALERTS } from './alert-settings.js';
import type { ArmedAlertsRepository } from './armed-alerts.repository.js';
import { ArmedAlertsService } from './armed-alerts.service.js';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-24T20:33:00Z');
const TIMETABLE = weeklyTimetable(OVERNIGHT_TRAIN, overnightRoute());

/** The runs ahead the live layer would offer: 12951 of the 24th standing at CCC (arrived 20:30Z), then the 25th and 26th, nothing known of them. */
function setUp(states: Record<string, RunState>) {
  const asked: CallsRequest[][] = [];
  const live = {
    callsAhead: async (requests: CallsRequest[], now: Date) => {
      asked.push(requests);
      return requests.map(({ stationCode, after }) =>
        Object.entries(states)
          .filter(([date]) => after === undefined || date > after)
          .map(([, state]) => {
            const view = runView(state, now);
            return { view, call: callAt(view, stationCode)! };
          }),
      );
    },
  } as unknown as LiveStatusService;
  const timetable = { all: async () => new Map([[OVERNIGHT_TRAIN.id, TIMETABLE]]) } as unknown as TimetableService;
  return { service: new ArmedAlertsService({} as ArmedAlertsRepository, live, timetable), asked };
}

const request = (kind: AlertKind, after?: string) => ({
  userId: 'u1',
  trainId: OVERNIGHT_TRAIN.id,
  kind,
  stationCode: 'CCC',
  settings: { ...NO_ALERTS, beforeArrivalMinutes: 10, beforeDepartureMinutes: 5, platformChange: true, delayAtStationMinutes: 30 },
  after,
});

describe('ArmedAlertsService.plan', () => {
  const states = {
    '2026-11-24': runState({ lastStopSequence: 3, departedLastStop: false }),
    '2026-11-25': { ...runState(), serviceDate: '2026-11-25' },
    '2026-11-26': { ...runState(), serviceDate: '2026-11-26' },
  };

  it('arms each alert on the first run whose call can still give it, with its first due time', async () => {
    const { service, asked } = setUp(states);
    const rows = await service.plan((['ARRIVAL', 'DEPARTURE', 'PLATFORM', 'DELAY'] as const).map((kind) => request(kind)), NOW);
    expect(rows.map(({ kind, serviceDate, dueAt }) => ({ kind, serviceDate, dueAt }))).toEqual([
      // Arrived already: tomorrow's run, 10 min before its 20:30Z arrival.
      { kind: 'ARRIVAL', serviceDate: '2026-11-25', dueAt: at('2026-11-25T20:20:00Z') },
      // Still standing there: today's run, 5 min before it leaves (already due).
      { kind: 'DEPARTURE', serviceDate: '2026-11-24', dueAt: at('2026-11-24T20:35:00Z') },
      // A watching alert is looked at on the next evaluation.
      { kind: 'PLATFORM', serviceDate: '2026-11-24', dueAt: NOW },
      { kind: 'DELAY', serviceDate: '2026-11-25', dueAt: NOW },
    ]);
    expect(rows.every((row) => row.sentCount === 0 && row.sentExpectedAt === null)).toBe(true);
    // One lookup of the runs ahead for the four alerts of one train and station.
    expect(asked).toEqual([[{ timetable: TIMETABLE, stationCode: 'CCC', after: undefined }]]);
  });

  it('moves on past the run it was armed for, and past a cancelled one', async () => {
    const { service } = setUp({ ...states, '2026-11-25': { ...states['2026-11-25'], phase: 'CANCELLED', version: 1 } });
    const rows = await service.plan([request('ARRIVAL', '2026-11-24')], NOW);
    expect(rows.map(({ serviceDate }) => serviceDate)).toEqual(['2026-11-26']);
  });

  it('arms nothing for a train without a timetable', async () => {
    const { service } = setUp(states);
    expect(await service.plan([{ ...request('ARRIVAL'), trainId: 'gone' }], NOW)).toEqual([]);
  });
});
