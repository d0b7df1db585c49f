import type { TrainLiveView } from '../live/live.model.js';
import type { TrainWithSummary } from '../trains/train.model.js';

export interface FavoriteTrain extends TrainWithSummary {
  addedAt: Date;
  /** The current run's live state, when the train has a timetable. */
  live: TrainLiveView | undefined;
}
