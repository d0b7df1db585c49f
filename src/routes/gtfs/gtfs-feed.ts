import type { GtfsProblem } from './gtfs-feed.error.js';
import type {
  GtfsAgency,
  GtfsFeedInfo,
  GtfsFeedSummary,
  GtfsRoute,
  GtfsService,
  GtfsStop,
  GtfsStopTime,
  GtfsTrip,
} from './gtfs-feed.model.js';
import type { StopTimeColumns } from './gtfs-stop-times.js';
import { gtfsTimeOf } from './gtfs-time.js';

/** A read, validated feed (see readGtfsFeed). Maps keep the order of their files. */
export class GtfsFeed {
  constructor(
    /** The zip or folder it was read from. */
    readonly path: string,
    readonly agencies: ReadonlyMap<string, GtfsAgency>,
    /** Every stop: stations, platforms, standalone stops, entrances… */
    readonly stops: ReadonlyMap<string, GtfsStop>,
    readonly routes: ReadonlyMap<string, GtfsRoute>,
    readonly trips: ReadonlyMap<string, GtfsTrip>,
    readonly services: ReadonlyMap<string, GtfsService>,
    readonly feedInfo: GtfsFeedInfo | null,
    /** What the feed does that is tolerated but worth knowing (see the README). */
    readonly warnings: readonly GtfsProblem[],
    private readonly stopTimeColumns: StopTimeColumns,
    private readonly tripIndex: ReadonlyMap<string, number>,
    private readonly stopIds: readonly string[],
  ) {}

  /**
   * What the app calls stations: parent stations (location_type 1) and stops without a parent
   * (LIRR's). Platforms are reached through `platforms`.
   */
  get stations(): GtfsStop[] {
    return [...this.stops.values()].filter((stop) => stop.stationId === stop.id && stop.locationType <= 1);
  }

  get stopTimeCount(): number {
    return this.stopTimeColumns.length;
  }

  /** The trip's calls in stop_sequence order, built on each call (stop_times are stored column-wise). */
  stopTimesOf(trip: GtfsTrip | string): GtfsStopTime[] {
    const tripId = typeof trip === 'string' ? trip : trip.id;
    const index = this.tripIndex.get(tripId);
    if (index === undefined) throw new Error(`No trip ${tripId} in ${this.path}`);
    const columns = this.stopTimeColumns;
    const calls: GtfsStopTime[] = [];
    for (let at = columns.tripStart[index]; at < columns.tripStart[index + 1]; at++) {
      const row = columns.order[at];
      const arrival = columns.arrival[row];
      const departure = columns.departure[row];
      const platform = columns.platform[row];
      const distance = columns.distance[row];
      calls.push({
        line: columns.line[row],
        stopId: this.stopIds[columns.stop[row]],
        sequence: columns.sequence[row],
        arrival: arrival < 0 ? null : gtfsTimeOf(arrival),
        departure: departure < 0 ? null : gtfsTimeOf(departure),
        platform: platform >= 0 ? columns.platforms[platform] : (this.stops.get(this.stopIds[columns.stop[row]])?.platform ?? null),
        pickupType: columns.pickup[row],
        dropOffType: columns.dropOff[row],
        distanceTraveled: Number.isNaN(distance) ? null : distance,
      });
    }
    return calls;
  }

  serviceOf(trip: GtfsTrip): GtfsService {
    return this.services.get(trip.serviceId)!;
  }

  routeOf(trip: GtfsTrip): GtfsRoute {
    return this.routes.get(trip.routeId)!;
  }

  agencyOf(trip: GtfsTrip): GtfsAgency {
    return this.agencies.get(trip.agencyId)!;
  }

  /** The station a stop belongs to (itself for a station or a standalone stop). */
  stationOf(stopId: string): GtfsStop | undefined {
    const stop = this.stops.get(stopId);
    return stop && this.stops.get(stop.stationId);
  }

  summary(): GtfsFeedSummary {
    return {
      agencies: this.agencies.size,
      stops: this.stops.size,
      stations: this.stations.length,
      routes: this.routes.size,
      trips: this.trips.size,
      stopTimes: this.stopTimeCount,
      services: this.services.size,
    };
  }
}
