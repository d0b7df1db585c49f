import type { RouteStop } from '../routes/route-stop.entity.js';
import type { RouteSummary } from '../routes/route-summary.js';
import type { Train } from './train.entity.js';

export interface TrainWithSummary {
  train: Train;
  summary: RouteSummary | undefined;
}

export interface TrainConnection {
  train: Train;
  from: RouteStop;
  to: RouteStop;
  durationMinutes: number;
  distanceKm: number;
  originDate: string | null;
}
