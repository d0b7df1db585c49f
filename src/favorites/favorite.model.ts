import type { RunCall } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import type { TrainWithSummary } from '../trains/train.model.js';
import type { AlertSettings } from './alert-settings.js';

export interface FavoriteTrain extends TrainWithSummary {
  addedAt: Date;
  /** The current run's live state, when the train has a timetable. */
  live: TrainLiveView | undefined;
  /** The rider's station on this train, if set. */
  station: { code: string; name: string } | null;
  alerts: AlertSettings;
  /** The next run's call at the rider's station (not passed yet), when there is one within the served days. */
  nextCall: RunCall | undefined;
}

/** What a rider sets on a favorite: their station (null: none) and the alerts about it. */
export interface FavoriteSettings {
  stationCode: string | null;
  alerts: AlertSettings;
}
