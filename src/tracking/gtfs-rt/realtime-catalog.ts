import type { RouteStop } from '../../routes/route-stop.entity.js';
import type { PatternTimetable, TrainTimetable } from '../../routes/timetable.model.js';

/** One GTFS trip of the catalog: the train and the stop pattern imported from it. */
export interface CatalogTrip {
  timetable: TrainTimetable;
  pattern: PatternTimetable;
}

/** A stop id of a feed that is a platform of a station, with the label riders see. */
export interface PlatformStop {
  stationId: string;
  gtfsId: string;
  name: string | null;
}

/**
 * What a GTFS-Realtime feed names, looked up in the catalog: trips by trip_id, and for each
 * station the stop ids of its platforms. Built once per catalog version.
 */
export interface RealtimeCatalog {
  /** trip_id → its trip; null when two feeds of the catalog use the same trip_id (ambiguous). */
  trips: Map<string, CatalogTrip | null>;
  /** station id → platform stop id → label. */
  platforms: Map<string, Map<string, string | null>>;
}

export function realtimeCatalog(timetables: Iterable<TrainTimetable>, platformStops: readonly PlatformStop[]): RealtimeCatalog {
  const trips = new Map<string, CatalogTrip | null>();
  for (const timetable of timetables) {
    for (const pattern of timetable.patterns) {
      const tripId = pattern.pattern.gtfsTripId;
      if (tripId === null) continue;
      trips.set(tripId, trips.has(tripId) ? null : { timetable, pattern });
    }
  }
  const platforms = new Map<string, Map<string, string | null>>();
  for (const platform of platformStops) {
    const own = platforms.get(platform.stationId) ?? new Map<string, string | null>();
    own.set(platform.gtfsId, platform.name);
    platforms.set(platform.stationId, own);
  }
  return { trips, platforms };
}

/**
 * The platform label a stop id gives at a route stop's station: undefined when the stop id is
 * not of that station, null when it is the station itself or a platform without a label.
 */
export function platformAt(catalog: RealtimeCatalog, stop: RouteStop, stopId: string): string | null | undefined {
  if (stop.station?.gtfsId === stopId) return null;
  const own = catalog.platforms.get(stop.stationId);
  return own?.has(stopId) ? own.get(stopId)! : undefined;
}
