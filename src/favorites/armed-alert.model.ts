import type { AlertKind, AlertSettings } from './alert-settings.js';

/** An alert of a favorite armed for one run. */
export interface ArmedAlertKey {
  userId: string;
  trainId: string;
  kind: AlertKind;
  serviceDate: string;
}

/** What an armed alert holds besides its key (see ArmedAlert). */
export interface ArmedAlertState extends ArmedAlertKey {
  dueAt: Date | null;
  sentCount: number;
  sentExpectedAt: Date | null;
}

/** An armed alert as the tracker evaluates it: with its revision and its favorite's station and settings. */
export interface AlertToEvaluate extends ArmedAlertState {
  revision: string;
  /** Null when the favorite no longer names a station (it was deleted): the alert then settles. */
  stationCode: string | null;
  settings: AlertSettings;
}

/** An alert to arm on the next run of its train that calls at the station. */
export interface ArmRequest {
  userId: string;
  trainId: string;
  kind: AlertKind;
  stationCode: string;
  settings: AlertSettings;
  /** Only runs of later service dates (the run it was armed for has settled). */
  after?: string;
}
