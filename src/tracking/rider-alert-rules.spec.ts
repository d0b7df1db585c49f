import { describe, expect, it } from '@jest/globals';
import { OVERNIGHT_TRAIN, runState, runView } from '../../test/builders/run-views.js';
import { type AlertKind, type AlertSettings, NO_ALERTS } from '../favorites/alert-settings.js';
import type { AlertToEvaluate } from '../favorites/armed-alert.model.js';
import type { RunState } from '../live/run-state.js';
import { callAt, type StationCall } from '../live/station-call.js';
import { decideAlert, needsWrite } from './rider-alert-rules.js';

const at = (iso: string) => new Date(iso);
const SETTINGS: AlertSettings = { beforeArrivalMinutes: 10, beforeDepartureMinutes: 15, platformChange: true, delayAtStationMinutes: 30 };

/** An alert of user u1 at Chandrapur (CCC: arrives 20:30Z, leaves 20:40Z, platform 3), armed for 12951 of 2026-11-24. */
const alert = (kind: AlertKind, overrides: Partial<AlertToEvaluate> = {}): AlertToEvaluate => ({
  userId: 'u1',
  trainId: OVERNIGHT_TRAIN.id,
  kind,
  serviceDate: '2026-11-24',
  dueAt: at('2026-11-24T20:20:00Z'),
  sentCount: 0,
  sentExpectedAt: null,
  revision: 'r1',
  stationCode: 'CCC',
  settings: SETTINGS,
  ...overrides,
});

/** On its way from BBB to CCC, `delay` minutes late, with the platform reported for CCC. */
const heading = (delayMinutes: number, platform: string | null = null): RunState => runState({ delayMinutes, lastStopSequence: 2, departedLastStop: true, platform });
const callOf = (state: RunState, now: Date) => callAt(runView(state, now), 'CCC')!;
const decide = (armed: AlertToEvaluate, state: RunState, now: Date) => decideAlert(armed, callOf(state, now), OVERNIGHT_TRAIN, now);

describe('decideAlert', () => {
  describe('"arriving soon"', () => {
    it('waits until its lead before the expected arrival, the delay included, then sends once and moves on to the next run', () => {
      const late = heading(25);
      // Expected 20:55: due 20:45, not 20:20 as the timetable would have it.
      const early = decide(alert('ARRIVAL'), late, at('2026-11-24T20:30:00Z'));
      expect(early).toEqual({ state: expect.objectContaining({ dueAt: at('2026-11-24T20:45:00Z'), sentCount: 0 }), notice: null, settled: false });

      const due = decide(alert('ARRIVAL', { dueAt: at('2026-11-24T20:45:00Z') }), late, at('2026-11-24T20:45:00Z'));
      expect(due.state).toEqual(expect.objectContaining({ dueAt: null, sentCount: 1, sentExpectedAt: at('2026-11-24T20:55:00Z') }));
      expect(due.settled).toBe(true);
      expect(due.notice).toEqual({
        type: 'ARRIVING_SOON',
        trainId: 't1',
        runDate: '2026-11-24',
        title: '12951 arrives at Chandrapur in about 10 min (platform 3, 25 min late)',
        body: '12951 Mumbai Rajdhani (24 Nov) is expected at Chandrapur at 02:25.',
        data: {
          trainNumber: '12951',
          serviceDate: '2026-11-24',
          stationCode: 'CCC',
          platform: '3',
          delayMinutes: 25,
          realtime: true,
          expectedArrival: '2026-11-24T20:55:00.000Z',
          scheduledArrival: '2026-11-24T20:30:00.000Z',
          minutesBefore: 10,
        },
        eventKey: '12951:2026-11-24:ARRIVING_SOON:CCC:1',
      });
    });

    it('is not sent again when the prediction wobbles, only when the arrival moves later by the lead', () => {
      const sent = alert('ARRIVAL', { dueAt: null, sentCount: 1, sentExpectedAt: at('2026-11-24T20:55:00Z') });
      const now = at('2026-11-24T20:47:00Z');
      for (const delay of [20, 27, 34]) {
        expect(decide(sent, heading(delay), now)).toEqual({ state: expect.objectContaining({ dueAt: null, sentCount: 1 }), notice: null, settled: false });
      }
      // 21:05 is the lead (10 min) later than announced: armed again for 20:55, and sent then as the second.
      const moved = decide(sent, heading(35), now);
      expect(moved).toEqual({ state: expect.objectContaining({ dueAt: at('2026-11-24T20:55:00Z'), sentCount: 1 }), notice: null, settled: false });
      const again = decide({ ...sent, dueAt: at('2026-11-24T20:55:00Z') }, heading(35), at('2026-11-24T20:55:00Z'));
      expect(again.notice).toMatchObject({ eventKey: '12951:2026-11-24:ARRIVING_SOON:CCC:2', title: '12951 arrives at Chandrapur in about 10 min (platform 3, 35 min late)' });
      expect(again).toMatchObject({ state: { sentCount: 2, sentExpectedAt: at('2026-11-24T21:05:00Z') }, settled: false });
    });

    it('goes by the timetable for a run nothing is known of, and says so', () => {
      const { notice } = decide(alert('ARRIVAL'), runState(), at('2026-11-24T20:20:00Z'));
      expect(notice).toMatchObject({
        title: '12951 arrives at Chandrapur in about 10 min (platform 3, timetable time, no live data)',
        body: '12951 Mumbai Rajdhani (24 Nov) is due at Chandrapur at 02:00 by the timetable: nothing has been reported of this run yet.',
        data: { realtime: false, expectedArrival: '2026-11-24T20:30:00.000Z' },
      });
    });

    it('settles without a word of its own when the run is cancelled (the train-wide notice tells), and waits again when it is restored', () => {
      const cancelled = decide(alert('ARRIVAL'), runState({ phase: 'CANCELLED' }), at('2026-11-24T19:00:00Z'));
      expect(cancelled).toEqual({ state: expect.objectContaining({ dueAt: null, sentCount: 0 }), notice: null, settled: true });
      const restored = decide(alert('ARRIVAL', { dueAt: null }), heading(5), at('2026-11-24T19:00:00Z'));
      expect(restored).toEqual({ state: expect.objectContaining({ dueAt: at('2026-11-24T20:25:00Z') }), notice: null, settled: false });
    });

    it('settles silently once the train is there or gone, and when the run no longer calls at the station', () => {
      const now = at('2026-11-24T20:33:00Z');
      expect(decide(alert('ARRIVAL'), runState({ lastStopSequence: 3 }), now)).toMatchObject({ notice: null, settled: true, state: { dueAt: null } });
      expect(decideAlert(alert('ARRIVAL'), null, OVERNIGHT_TRAIN, now)).toMatchObject({ notice: null, settled: true, state: { dueAt: null } });
      // Already settled: nothing more to arm.
      expect(decide(alert('ARRIVAL', { dueAt: null }), runState({ lastStopSequence: 3, departedLastStop: true }), now).settled).toBe(false);
    });

    it('tells once, for any of the rider’s alerts there, that the train will not stop there', () => {
      const skipped: StationCall = { ...callOf(heading(5), at('2026-11-24T19:00:00Z')), status: 'SKIPPED' };
      const notices = (['ARRIVAL', 'PLATFORM'] as const).map((kind) => decideAlert(alert(kind), skipped, OVERNIGHT_TRAIN, at('2026-11-24T19:00:00Z')));
      for (const decision of notices) expect(decision).toMatchObject({ state: { dueAt: null }, settled: true });
      expect(notices.map(({ notice }) => notice?.eventKey)).toEqual(['12951:2026-11-24:STOP_SKIPPED:CCC', '12951:2026-11-24:STOP_SKIPPED:CCC']);
      expect(notices[0].notice).toMatchObject({ type: 'STOP_SKIPPED', title: '12951 will not stop at Chandrapur', body: '12951 Mumbai Rajdhani (24 Nov) will not stop at Chandrapur.' });
    });
  });

  it('"departing soon" counts back from the expected departure, and still fires while the train stands there', () => {
    const standing = runState({ delayMinutes: 10, lastStopSequence: 3, departedLastStop: false, platform: '6' });
    const { notice, state } = decide(alert('DEPARTURE'), standing, at('2026-11-24T20:35:00Z'));
    expect(notice).toMatchObject({ type: 'DEPARTING_SOON', title: '12951 leaves Chandrapur in about 15 min (platform 6, 10 min late)', eventKey: '12951:2026-11-24:DEPARTING_SOON:CCC:1' });
    expect(state.sentExpectedAt).toEqual(at('2026-11-24T20:50:00Z'));
  });

  describe('the platform at the station', () => {
    it('tells once when the platform reported there is not the timetable’s', () => {
      const { notice, state, settled } = decide(alert('PLATFORM'), heading(5, '5'), at('2026-11-24T20:00:00Z'));
      expect(notice).toMatchObject({
        type: 'PLATFORM_AT_STATION',
        title: '12951 will be on platform 5 at Chandrapur',
        body: '12951 Mumbai Rajdhani (24 Nov) will be on platform 5 at Chandrapur (the timetable says 3), expected at 02:05.',
        eventKey: '12951:2026-11-24:PLATFORM_AT_STATION:CCC:5',
      });
      expect([state.sentCount, state.dueAt, settled]).toEqual([1, null, true]);
      expect(decide(alert('PLATFORM', { dueAt: null, sentCount: 1 }), heading(5, '6'), at('2026-11-24T20:05:00Z')).notice).toBeNull();
    });

    it('watches until the train is expected there while the platform is the timetable’s, then settles', () => {
      expect(decide(alert('PLATFORM'), heading(5, '3'), at('2026-11-24T20:00:00Z'))).toEqual({
        state: expect.objectContaining({ dueAt: at('2026-11-24T20:45:00Z') }),
        notice: null,
        settled: false,
      });
      expect(decide(alert('PLATFORM'), runState(), at('2026-11-24T20:40:00Z'))).toMatchObject({ notice: null, settled: true, state: { dueAt: null } });
    });
  });

  describe('the delay at the station', () => {
    it('tells once when the train is expected there at least the threshold late, on live data only', () => {
      const now = at('2026-11-24T20:00:00Z');
      expect(decide(alert('DELAY'), heading(29), now)).toMatchObject({ notice: null, state: { dueAt: at('2026-11-24T21:09:00Z') } });
      const { notice, settled } = decide(alert('DELAY'), heading(30), now);
      expect(notice).toMatchObject({
        type: 'DELAY_AT_STATION',
        title: '12951 is expected at Chandrapur 30 min late',
        body: '12951 Mumbai Rajdhani (24 Nov) is expected at Chandrapur at 02:30 instead of 02:00.',
        eventKey: '12951:2026-11-24:DELAY_AT_STATION:CCC',
      });
      expect(settled).toBe(true);
      expect(decide({ ...alert('DELAY'), settings: { ...NO_ALERTS, delayAtStationMinutes: 1 } }, runState(), now).notice).toBeNull();
    });
  });

  it('writes a due time that comes sooner, not one that moves later, until the alert is looked at at its old one', () => {
    const armed = alert('ARRIVAL', { dueAt: at('2026-11-24T20:25:00Z') });
    const now = at('2026-11-24T19:00:00Z');
    const written = (stored: AlertToEvaluate, state: RunState, when: Date) => needsWrite(stored, decide(stored, state, when).state, when);
    expect(written(armed, heading(5), now)).toBe(false);
    expect(written(armed, heading(25), now)).toBe(false);
    expect(written(armed, heading(0), now)).toBe(true);
    // Looked at at its old due time, it waits for the new one, and that is written.
    const early = decide(armed, heading(25), at('2026-11-24T20:25:00Z'));
    expect(early).toMatchObject({ notice: null, state: { dueAt: at('2026-11-24T20:45:00Z') } });
    expect(needsWrite(armed, early.state, at('2026-11-24T20:25:00Z'))).toBe(true);
    // Set, cleared or sent: written.
    expect(written({ ...armed, dueAt: null }, heading(5), now)).toBe(true);
    expect(written(armed, runState({ phase: 'CANCELLED' }), now)).toBe(true);
    expect(written(armed, heading(5), at('2026-11-24T20:25:00Z'))).toBe(true);
    // A watching alert waits for its station; a sooner time there is seen by the change that brings the train.
    const watching = alert('PLATFORM', { dueAt: at('2026-11-24T20:50:00Z') });
    expect(written(watching, heading(0), now)).toBe(false);
    expect(written(watching, heading(0), at('2026-11-24T20:50:00Z'))).toBe(true);
  });
});
