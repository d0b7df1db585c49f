import type { Weekday } from '../../trains/train-type.js';
import type { GtfsProblem } from './gtfs-feed.error.js';
import type { GtfsTime } from './gtfs-time.js';

/**
 * The typed in-memory model of a GTFS feed that readGtfsFeed returns: what a catalog importer
 * needs, resolved and validated. Everything carries the line it came from, for messages.
 * Ids are the feed's own (strings, as GTFS defines them).
 */

export interface GtfsAgency {
  /** agency_id; '' when the feed has a single agency and leaves the id out (allowed). */
  readonly id: string;
  readonly line: number;
  readonly name: string;
  readonly url: string;
  /** IANA zone, checked with Intl. All local times and service dates of its trips are in it. */
  readonly timezone: string;
  readonly lang: string | null;
}

/** GTFS location_type: 0 stop or platform, 1 station, 2 entrance/exit, 3 generic node, 4 boarding area. */
export type GtfsLocationType = 0 | 1 | 2 | 3 | 4;

export interface GtfsStop {
  readonly id: string;
  readonly line: number;
  readonly code: string | null;
  readonly name: string | null;
  readonly description: string | null;
  /** null where the feed gives no position. */
  readonly lat: number | null;
  readonly lon: number | null;
  readonly locationType: GtfsLocationType;
  /** parent_station: for a platform, its station. */
  readonly parentId: string | null;
  /** The station this stop belongs to: its parent for a platform, itself for a station or a standalone stop. */
  readonly stationId: string;
  readonly platformCode: string | null;
  /**
   * Platform label: platform_code, else, for a platform whose stop_code extends its station's
   * (Sound Transit's `N11-T1` under `N11`), the rest of it (`T1`); else null.
   */
  readonly platform: string | null;
  readonly timezone: string | null;
  /** For a station (location_type 1): its platforms (child stops of location_type 0), in file order. */
  readonly platforms: readonly GtfsStop[];
}

export interface GtfsRoute {
  readonly id: string;
  readonly line: number;
  /** Resolved: the route's agency_id, or the single agency's id when routes.txt leaves it out. */
  readonly agencyId: string;
  readonly shortName: string | null;
  readonly longName: string | null;
  readonly description: string | null;
  /** route_type (2 rail, 0 tram/light rail, 1 subway, … and extended types such as 100-117). */
  readonly type: number;
  readonly color: string | null;
  readonly textColor: string | null;
}

export interface GtfsTrip {
  readonly id: string;
  readonly line: number;
  readonly routeId: string;
  /** Resolved through the route. */
  readonly agencyId: string;
  readonly serviceId: string;
  /** The number the public knows it by: trip_short_name, else trip_id. */
  readonly publicNumber: string;
  readonly shortName: string | null;
  readonly headsign: string | null;
  readonly directionId: 0 | 1 | null;
  readonly blockId: string | null;
  /** shape_id as given; shapes.txt is optional and not read, so it is not checked. */
  readonly shapeId: string | null;
  readonly stopTimeCount: number;
}

/** One call of a trip, materialised on demand by GtfsFeed.stopTimesOf (they are stored column-wise). */
export interface GtfsStopTime {
  /** Line in stop_times.txt. */
  readonly line: number;
  readonly stopId: string;
  readonly sequence: number;
  /**
   * Relative to the trip's service date. Null when the feed leaves it empty (allowed between
   * timepoints: GTFS consumers interpolate). A stop with only one of the two gets the other as
   * given, also null.
   */
  readonly arrival: GtfsTime | null;
  readonly departure: GtfsTime | null;
  /** A stop_times platform column (MTA's `track`) when present and filled, else the stop's platform. */
  readonly platform: string | null;
  /** 0 regular, 1 none, 2 phone the agency, 3 ask the driver. */
  readonly pickupType: number;
  readonly dropOffType: number;
  /** shape_dist_traveled, in the feed's unit (kilometres in the Indian feed), or null. */
  readonly distanceTraveled: number | null;
}

/** When a service runs: calendar.txt's rule, calendar_dates.txt's exceptions, and the dates they give. */
export interface GtfsService {
  readonly id: string;
  /**
   * False for the feed's days-unknown service (`DAYS_UNKNOWN` by default): the publisher does not
   * know on which days these trips run, and its calendar row (every day) is a placeholder.
   */
  readonly daysKnown: boolean;
  /** From calendar.txt, or null for a service defined only by calendar_dates.txt. */
  readonly calendar: { readonly line: number; readonly runsOn: readonly Weekday[]; readonly startDate: string; readonly endDate: string } | null;
  /** calendar_dates.txt exception_type 1 and 2, ISO dates, sorted. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Number of service dates, and the first and last (ISO), or null when it never runs. */
  readonly dateCount: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  /** Every service date, ISO `YYYY-MM-DD`, sorted (built on each call). */
  dates(): string[];
  runsOnDate(isoDate: string): boolean;
}

export interface GtfsFeedInfo {
  readonly publisherName: string;
  readonly publisherUrl: string | null;
  readonly lang: string | null;
  readonly version: string | null;
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface GtfsFeedSummary {
  agencies: number;
  stops: number;
  stations: number;
  routes: number;
  trips: number;
  stopTimes: number;
  services: number;
}

export type { GtfsProblem };
