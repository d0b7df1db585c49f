import { Column } from 'typeorm';
import type { StationCall } from '../live/station-call.js';

/** Longest lead of an "arriving / departing soon" alarm, in minutes. */
export const ALARM_LEAD_MAX_MINUTES = 120;
/** Highest delay threshold a rider may set for their station, in minutes. */
export const DELAY_THRESHOLD_MAX_MINUTES = 720;

/**
 * What a rider asked to hear about the station they board at or get off at (columns of
 * `favorites`; all off by default). The station itself is the favorite's `stationId`.
 */
export class AlertSettings {
  /** "Arriving soon": this many minutes before the expected arrival there. */
  @Column({ type: 'smallint', nullable: true })
  beforeArrivalMinutes: number | null;

  /** "Departing soon": this many minutes before the expected departure from there. */
  @Column({ type: 'smallint', nullable: true })
  beforeDepartureMinutes: number | null;

  /** The platform there is reported other than the timetable's. */
  @Column({ type: 'boolean', default: false })
  platformChange: boolean;

  /** The train is expected there at least this many minutes late. */
  @Column({ type: 'smallint', nullable: true })
  delayAtStationMinutes: number | null;
}

export const NO_ALERTS: AlertSettings = { beforeArrivalMinutes: null, beforeDepartureMinutes: null, platformChange: false, delayAtStationMinutes: null };

/**
 * The alerts a favorite can arm, one row each per run (armed_alerts): two timed alarms, due a
 * lead before the expected time, and two that watch the run's changes until the train is there.
 */
export const ALERT_KINDS = ['ARRIVAL', 'DEPARTURE', 'PLATFORM', 'DELAY'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlarmKind = Extract<AlertKind, 'ARRIVAL' | 'DEPARTURE'>;

const SETTING_OF: Record<AlertKind, keyof AlertSettings> = {
  ARRIVAL: 'beforeArrivalMinutes',
  DEPARTURE: 'beforeDepartureMinutes',
  PLATFORM: 'platformChange',
  DELAY: 'delayAtStationMinutes',
};

export const isEnabled = (settings: AlertSettings, kind: AlertKind) => {
  const value = settings[SETTING_OF[kind]];
  return value !== null && value !== false;
};

export const enabledKinds = (settings: AlertSettings): AlertKind[] => ALERT_KINDS.filter((kind) => isEnabled(settings, kind));

/** Whether a kind's setting differs between two settings (its armed runs must then be armed again). */
export const kindChanged = (before: AlertSettings, after: AlertSettings, kind: AlertKind) => before[SETTING_OF[kind]] !== after[SETTING_OF[kind]];

export const isAlarm = (kind: AlertKind): kind is AlarmKind => kind === 'ARRIVAL' || kind === 'DEPARTURE';

/** The lead of an alarm kind, in minutes. */
export const leadOf = (settings: AlertSettings, kind: AlarmKind): number => (kind === 'ARRIVAL' ? settings.beforeArrivalMinutes : settings.beforeDepartureMinutes) ?? 0;

/** The expected time an alarm kind counts back from. */
export const expectedFor = (kind: AlarmKind, call: StationCall): Date | null => (kind === 'ARRIVAL' ? call.expectedArrival : call.expectedDeparture);

/**
 * Whether the call can still give this kind of alert: the train has yet to arrive (arrival,
 * delay), or to leave (departure, platform), and the run calls there.
 */
export function isOpen(kind: AlertKind, call: StationCall): boolean {
  switch (kind) {
    case 'ARRIVAL':
      return call.status === 'EXPECTED' && call.expectedArrival !== null;
    case 'DEPARTURE':
      return (call.status === 'EXPECTED' || call.status === 'AT_STATION') && call.expectedDeparture !== null;
    case 'PLATFORM':
      return call.status === 'EXPECTED' || call.status === 'AT_STATION';
    case 'DELAY':
      return call.status === 'EXPECTED';
  }
}

/** When an alarm is due: its lead before the expected time, the delay included; null when the call cannot give it. */
export function alarmDueAt(kind: AlarmKind, leadMinutes: number, call: StationCall): Date | null {
  const expected = expectedFor(kind, call);
  return isOpen(kind, call) && expected ? new Date(expected.getTime() - leadMinutes * 60_000) : null;
}

/** Until when a watching alert (platform, delay) looks at a call: the train's expected time there. */
export const watchUntil = (call: StationCall): Date | null => call.expectedDeparture ?? call.expectedArrival;
