import type { Agency, Calendar, CalendarDates, FeedInfo, Route, Stop, StopTime, Trip } from 'gtfs-types';
import { basename } from 'node:path';
import { parseGtfsDate, isoDateOf } from './gtfs-date.js';
import { GtfsFeed } from './gtfs-feed.js';
import { GtfsFeedError, GtfsProblemLog } from './gtfs-feed.error.js';
import type { GtfsAgency, GtfsFeedInfo, GtfsLocationType, GtfsRoute, GtfsStop, GtfsTrip } from './gtfs-feed.model.js';
import { ExpandedService, type CalendarRule } from './gtfs-service.js';
import { openGtfsSource, type GtfsSource } from './gtfs-source.js';
import { StopTimeColumns } from './gtfs-stop-times.js';
import { readGtfsTable, type GtfsTableProgress } from './gtfs-table.js';
import { formatGtfsTime, gtfsTimeSeconds } from './gtfs-time.js';

/** The service_id a publisher uses for trips whose days of operation it does not know. */
export const DAYS_UNKNOWN_SERVICE_ID = 'DAYS_UNKNOWN';

/** Files a feed must have; it also needs calendar.txt or calendar_dates.txt (or both). */
export const REQUIRED_GTFS_FILES = ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt'] as const;

export interface GtfsReadOptions {
  /** Service id meaning "days of operation unknown" (GtfsService.daysKnown false). */
  daysUnknownServiceId?: string;
  /** Non-standard stop_times columns holding a platform or track, first filled one wins. */
  stopTimePlatformColumns?: readonly string[];
  /** Errors (and warnings) listed at most; the rest are counted. */
  maxProblems?: number;
  onProgress?: (progress: GtfsTableProgress) => void;
}

/**
 * Reads and validates a GTFS feed from a .zip or a folder, streaming each file (see README.md).
 * Throws GtfsFeedError listing every problem found, each naming file, line and field.
 */
export async function readGtfsFeed(path: string, options: GtfsReadOptions = {}): Promise<GtfsFeed> {
  let source: GtfsSource;
  try {
    source = await openGtfsSource(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GtfsFeedError([{ file: basename(path), line: null, field: null, message: `cannot be read as a GTFS zip or folder: ${reason}` }]);
  }
  try {
    return await new GtfsFeedReader(source, options).read();
  } finally {
    await source.close();
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface StopDraft extends Mutable<Omit<GtfsStop, 'platforms'>> {
  platforms: GtfsStop[];
}

const WEEKDAY_FIELDS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

class GtfsFeedReader {
  private readonly log: GtfsProblemLog;
  private readonly daysUnknownServiceId: string;
  private readonly platformColumns: readonly string[];
  private readonly zones = new Map<string, boolean>();

  private readonly agencies = new Map<string, GtfsAgency>();
  private feedInfo: GtfsFeedInfo | null = null;
  private readonly stops = new Map<string, StopDraft>();
  private readonly stopIndex = new Map<string, number>();
  private readonly stopIds: string[] = [];
  private readonly routes = new Map<string, GtfsRoute>();
  private readonly services = new Map<string, ExpandedService>();
  private readonly trips = new Map<string, Mutable<GtfsTrip>>();
  private readonly tripIndex = new Map<string, number>();
  private readonly tripList: Mutable<GtfsTrip>[] = [];
  private readonly stopTimes = new StopTimeColumns();

  constructor(
    private readonly source: GtfsSource,
    private readonly options: GtfsReadOptions,
  ) {
    this.log = new GtfsProblemLog(options.maxProblems ?? 500);
    this.daysUnknownServiceId = options.daysUnknownServiceId ?? DAYS_UNKNOWN_SERVICE_ID;
    this.platformColumns = options.stopTimePlatformColumns ?? ['track'];
  }

  async read(): Promise<GtfsFeed> {
    this.requireFiles();
    // Without a required file most references cannot be checked: stop at the list of missing files.
    this.log.throwIfErrors();
    await this.readAgencies();
    await this.readFeedInfo();
    await this.readStops();
    await this.readRoutes();
    await this.readServices();
    await this.readTrips();
    await this.readStopTimes();
    this.checkTrips();
    this.log.throwIfErrors();
    return new GtfsFeed(
      this.source.path,
      this.agencies,
      this.stops as Map<string, GtfsStop>,
      this.routes,
      this.trips,
      this.services,
      this.feedInfo,
      this.log.warnings,
      this.stopTimes,
      this.tripIndex,
      this.stopIds,
    );
  }

  private requireFiles(): void {
    for (const file of REQUIRED_GTFS_FILES) {
      if (!this.source.files.has(file)) this.log.error(file, null, null, 'required file is missing');
    }
    if (!this.source.files.has('calendar.txt') && !this.source.files.has('calendar_dates.txt')) {
      this.log.error('calendar.txt', null, null, 'calendar.txt and calendar_dates.txt are both missing: a feed needs one of them');
    }
    if (this.source.files.has('frequencies.txt')) {
      this.log.warn('frequencies.txt', null, null, 'is not read: frequency-based trips are read as their stop_times only');
    }
  }

  private table<T>(file: string, required: Parameters<typeof readGtfsTable<T>>[3]['required'], onRow: Parameters<typeof readGtfsTable<T>>[4]) {
    return readGtfsTable<T>(this.source, file, this.log, { required, onProgress: this.options.onProgress }, onRow);
  }

  private validZone(zone: string): boolean {
    let valid = this.zones.get(zone);
    if (valid === undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        valid = true;
      } catch {
        valid = false;
      }
      this.zones.set(zone, valid);
    }
    return valid;
  }

  private async readAgencies(): Promise<void> {
    const file = 'agency.txt';
    await this.table<Agency>(file, ['agency_name', 'agency_url', 'agency_timezone'], (row) => {
      const id = row.get('agency_id').trim();
      const name = row.get('agency_name').trim();
      const timezone = row.get('agency_timezone').trim();
      if (!name) this.log.error(file, row.line, 'agency_name', 'is empty');
      if (!timezone) this.log.error(file, row.line, 'agency_timezone', 'is empty');
      else if (!this.validZone(timezone)) this.log.error(file, row.line, 'agency_timezone', `"${timezone}" is not an IANA time zone`);
      if (this.agencies.has(id)) {
        this.log.error(file, row.line, 'agency_id', id ? `"${id}" repeats line ${this.agencies.get(id)!.line}` : 'is required when a feed has several agencies');
        return;
      }
      this.agencies.set(id, { id, line: row.line, name, url: row.get('agency_url').trim(), timezone, lang: row.get('agency_lang').trim() || null });
    });
    if (this.agencies.size === 0) this.log.error(file, null, null, 'has no agency');
    if (this.agencies.size > 1 && this.agencies.has('')) this.log.error(file, this.agencies.get('')!.line, 'agency_id', 'is required when a feed has several agencies');
    const zones = new Set([...this.agencies.values()].map((agency) => agency.timezone));
    if (zones.size > 1) this.log.warn(file, null, 'agency_timezone', `agencies differ in time zone (${[...zones].join(', ')}); GTFS wants one`);
  }

  private async readFeedInfo(): Promise<void> {
    const file = 'feed_info.txt';
    if (!this.source.files.has(file)) return;
    await this.table<FeedInfo & { feed_timezone?: string }>(file, [], (row) => {
      if (this.feedInfo) return;
      // Not a GTFS field; LIRR's holds an invalid zone. Times are read in agency_timezone regardless.
      const zone = row.get('feed_timezone').trim();
      if (zone && !this.validZone(zone)) {
        this.log.warn(file, row.line, 'feed_timezone', `"${zone}" is not an IANA time zone (and not a GTFS field): agency_timezone is used`);
      }
      this.feedInfo = {
        publisherName: row.get('feed_publisher_name').trim(),
        publisherUrl: row.get('feed_publisher_url').trim() || null,
        lang: row.get('feed_lang').trim() || null,
        version: row.get('feed_version').trim() || null,
        startDate: this.optionalDate(file, row.line, 'feed_start_date', row.get('feed_start_date')),
        endDate: this.optionalDate(file, row.line, 'feed_end_date', row.get('feed_end_date')),
      };
    });
  }

  private optionalDate(file: string, line: number, field: string, text: string): string | null {
    if (!text.trim()) return null;
    const day = parseGtfsDate(text);
    if (Number.isNaN(day)) {
      this.log.warn(file, line, field, `"${text}" is not a YYYYMMDD date`);
      return null;
    }
    return isoDateOf(day);
  }

  private async readStops(): Promise<void> {
    const file = 'stops.txt';
    const unplaced: number[] = [];
    await this.table<Stop>(file, ['stop_id'], (row) => {
      const id = row.get('stop_id');
      if (!id) return this.log.error(file, row.line, 'stop_id', 'is empty');
      if (this.stops.has(id)) return this.log.error(file, row.line, 'stop_id', `"${id}" repeats line ${this.stops.get(id)!.line}`);
      const typeText = row.get('location_type').trim();
      const locationType = (typeText === '' ? 0 : Number(typeText)) as GtfsLocationType;
      if (!Number.isInteger(locationType) || locationType < 0 || locationType > 4) {
        return this.log.error(file, row.line, 'location_type', `"${typeText}" is not 0 to 4`);
      }
      const name = row.get('stop_name').trim() || null;
      const needsPlace = locationType <= 2;
      if (needsPlace && !name) this.log.error(file, row.line, 'stop_name', 'is required for a stop, station or entrance');
      const lat = this.coordinate(file, row.line, 'stop_lat', row.get('stop_lat'), 90);
      const lon = this.coordinate(file, row.line, 'stop_lon', row.get('stop_lon'), 180);
      if (needsPlace && (lat === null || lon === null)) unplaced.push(row.line);
      const timezone = row.get('stop_timezone').trim() || null;
      if (timezone && !this.validZone(timezone)) this.log.error(file, row.line, 'stop_timezone', `"${timezone}" is not an IANA time zone`);
      this.stopIndex.set(id, this.stopIds.length);
      this.stopIds.push(id);
      this.stops.set(id, {
        id,
        line: row.line,
        code: row.get('stop_code').trim() || null,
        name,
        description: row.get('stop_desc').trim() || null,
        lat,
        lon,
        locationType,
        parentId: row.get('parent_station').trim() || null,
        stationId: id,
        platformCode: row.get('platform_code').trim() || null,
        platform: null,
        timezone,
        platforms: [],
      });
    });
    // GTFS requires positions for stops, stations and entrances; the Indian feed lacks a few
    // hundred (DataMeet has none for them), and inventing one would be worse than having none.
    if (unplaced.length) {
      const lines = unplaced.slice(0, 10).join(', ') + (unplaced.length > 10 ? ', …' : '');
      this.log.warn(file, unplaced[0], 'stop_lat', `${unplaced.length} stops have no stop_lat/stop_lon (lines ${lines}); their position is unknown`);
    }
    this.resolveStations(file);
  }

  private coordinate(file: string, line: number, field: string, text: string, limit: number): number | null {
    if (!text.trim()) return null;
    const value = Number(text);
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      this.log.error(file, line, field, `"${text}" is not a coordinate between -${limit} and ${limit}`);
      return null;
    }
    return value;
  }

  /** Checks parent_station and derives each stop's station and platform label. */
  private resolveStations(file: string): void {
    const allowedParent: Record<GtfsLocationType, GtfsLocationType | null> = { 0: 1, 1: null, 2: 1, 3: 1, 4: 0 };
    for (const stop of this.stops.values()) {
      const wanted = allowedParent[stop.locationType];
      if (!stop.parentId) {
        if (stop.locationType >= 2) this.log.error(file, stop.line, 'parent_station', `is required for location_type ${stop.locationType}`);
        continue;
      }
      const parent = this.stops.get(stop.parentId);
      if (wanted === null) {
        this.log.error(file, stop.line, 'parent_station', 'must be empty for a station (location_type 1)');
      } else if (!parent) {
        this.log.error(file, stop.line, 'parent_station', `"${stop.parentId}" is not a stop_id in stops.txt`);
      } else if (parent.locationType !== wanted) {
        this.log.error(file, stop.line, 'parent_station', `"${stop.parentId}" has location_type ${parent.locationType}; a location_type ${stop.locationType} needs a parent of type ${wanted}`);
      }
    }
    if (this.log.hasErrors) return;
    for (const stop of this.stops.values()) {
      if (!stop.parentId) {
        stop.platform = stop.platformCode;
        continue;
      }
      const parent = this.stops.get(stop.parentId)!;
      stop.stationId = parent.id;
      if (stop.locationType === 0) {
        parent.platforms.push(stop as GtfsStop);
        stop.platform = stop.platformCode ?? platformFromCode(stop.code, parent.code);
      }
    }
    // A boarding area (4) belongs to its platform's station, known once every platform is resolved.
    for (const stop of this.stops.values()) {
      if (stop.locationType === 4) stop.stationId = this.stops.get(stop.parentId!)!.stationId;
    }
  }

  private async readRoutes(): Promise<void> {
    const file = 'routes.txt';
    const soleAgency = this.agencies.size === 1 ? [...this.agencies.keys()][0] : null;
    await this.table<Route>(file, ['route_id', 'route_type'], (row) => {
      const id = row.get('route_id');
      if (!id) return this.log.error(file, row.line, 'route_id', 'is empty');
      if (this.routes.has(id)) return this.log.error(file, row.line, 'route_id', `"${id}" repeats line ${this.routes.get(id)!.line}`);
      // agency_id may be left out (even as a column, as LIRR does) when there is one agency.
      let agencyId = row.get('agency_id').trim();
      if (!agencyId) {
        if (soleAgency === null) this.log.error(file, row.line, 'agency_id', 'is required when a feed has several agencies');
        agencyId = soleAgency ?? '';
      } else if (!this.agencies.has(agencyId)) {
        this.log.error(file, row.line, 'agency_id', `"${agencyId}" is not an agency_id in agency.txt`);
      }
      const typeText = row.get('route_type').trim();
      const type = Number(typeText);
      if (!typeText || !Number.isInteger(type) || type < 0) this.log.error(file, row.line, 'route_type', `"${typeText}" is not a route type`);
      const shortName = row.get('route_short_name').trim() || null;
      const longName = row.get('route_long_name').trim() || null;
      if (!shortName && !longName) this.log.error(file, row.line, 'route_short_name', 'route_short_name and route_long_name are both empty');
      this.routes.set(id, {
        id,
        line: row.line,
        agencyId,
        shortName,
        longName,
        description: row.get('route_desc').trim() || null,
        type,
        color: row.get('route_color').trim() || null,
        textColor: row.get('route_text_color').trim() || null,
      });
    });
  }

  private async readServices(): Promise<void> {
    const rules = new Map<string, CalendarRule>();
    const added = new Map<string, number[]>();
    const removed = new Map<string, number[]>();
    if (this.source.files.has('calendar.txt')) {
      const file = 'calendar.txt';
      await this.table<Calendar>(file, ['service_id', ...WEEKDAY_FIELDS, 'start_date', 'end_date'], (row) => {
        const id = row.get('service_id');
        if (!id) return this.log.error(file, row.line, 'service_id', 'is empty');
        if (rules.has(id)) return this.log.error(file, row.line, 'service_id', `"${id}" repeats line ${rules.get(id)!.line}`);
        const weekdays = WEEKDAY_FIELDS.map((field) => {
          const flag = row.get(field).trim();
          if (flag !== '0' && flag !== '1') this.log.error(file, row.line, field, `"${flag}" is not 0 or 1`);
          return flag === '1';
        });
        const start = this.requiredDate(file, row.line, 'start_date', row.get('start_date'));
        const end = this.requiredDate(file, row.line, 'end_date', row.get('end_date'));
        if (start > end) this.log.error(file, row.line, 'end_date', `${row.get('end_date')} is before start_date ${row.get('start_date')}`);
        if (Number.isNaN(start) || Number.isNaN(end) || start > end) return;
        rules.set(id, { line: row.line, weekdays, start, end });
      });
    }
    if (this.source.files.has('calendar_dates.txt')) {
      const file = 'calendar_dates.txt';
      await this.table<CalendarDates>(file, ['service_id', 'date', 'exception_type'], (row) => {
        const id = row.get('service_id');
        if (!id) return this.log.error(file, row.line, 'service_id', 'is empty');
        const date = this.requiredDate(file, row.line, 'date', row.get('date'));
        const type = row.get('exception_type').trim();
        if (type !== '1' && type !== '2') return this.log.error(file, row.line, 'exception_type', `"${type}" is not 1 (added) or 2 (removed)`);
        if (Number.isNaN(date)) return;
        const into = type === '1' ? added : removed;
        let list = into.get(id);
        if (!list) into.set(id, (list = []));
        list.push(date);
      });
    }
    for (const id of new Set([...rules.keys(), ...added.keys(), ...removed.keys()])) {
      this.services.set(id, new ExpandedService(id, id !== this.daysUnknownServiceId, rules.get(id) ?? null, added.get(id) ?? [], removed.get(id) ?? []));
    }
  }

  private requiredDate(file: string, line: number, field: string, text: string): number {
    const day = parseGtfsDate(text);
    if (Number.isNaN(day)) this.log.error(file, line, field, `"${text}" is not a YYYYMMDD date`);
    return day;
  }

  private async readTrips(): Promise<void> {
    const file = 'trips.txt';
    const usedServices = new Set<string>();
    await this.table<Trip>(file, ['route_id', 'service_id', 'trip_id'], (row) => {
      const id = row.get('trip_id');
      if (!id) return this.log.error(file, row.line, 'trip_id', 'is empty');
      if (this.trips.has(id)) return this.log.error(file, row.line, 'trip_id', `"${id}" repeats line ${this.trips.get(id)!.line}`);
      const routeId = row.get('route_id');
      const route = this.routes.get(routeId);
      if (!route) this.log.error(file, row.line, 'route_id', `"${routeId}" is not a route_id in routes.txt`);
      const serviceId = row.get('service_id');
      if (!this.services.has(serviceId)) this.log.error(file, row.line, 'service_id', `"${serviceId}" is in neither calendar.txt nor calendar_dates.txt`);
      usedServices.add(serviceId);
      const direction = row.get('direction_id').trim();
      if (direction !== '' && direction !== '0' && direction !== '1') this.log.error(file, row.line, 'direction_id', `"${direction}" is not 0 or 1`);
      const shortName = row.get('trip_short_name').trim() || null;
      const trip: Mutable<GtfsTrip> = {
        id,
        line: row.line,
        routeId,
        agencyId: route?.agencyId ?? '',
        serviceId,
        publicNumber: shortName ?? id,
        shortName,
        headsign: row.get('trip_headsign').trim() || null,
        directionId: direction === '' ? null : (Number(direction) as 0 | 1),
        blockId: row.get('block_id').trim() || null,
        shapeId: row.get('shape_id').trim() || null,
        stopTimeCount: 0,
      };
      this.tripIndex.set(id, this.tripList.length);
      this.tripList.push(trip);
      this.trips.set(id, trip);
    });
    for (const id of usedServices) {
      const service = this.services.get(id);
      if (service && service.dateCount === 0) this.log.warn('trips.txt', null, 'service_id', `service "${id}" has no date of service`);
    }
  }

  private async readStopTimes(): Promise<void> {
    const file = 'stop_times.txt';
    let lastTripId: string | null = null;
    let lastTrip = -1;
    await this.table<StopTime>(file, ['trip_id', 'stop_id', 'stop_sequence'], (row) => {
      const tripId = row.get('trip_id');
      // Rows come grouped by trip in practice: one map lookup per trip rather than per row.
      if (tripId !== lastTripId) {
        lastTripId = tripId;
        lastTrip = this.tripIndex.get(tripId) ?? -1;
      }
      if (lastTrip < 0) this.log.error(file, row.line, 'trip_id', `"${tripId}" is not a trip_id in trips.txt`);
      const stopId = row.get('stop_id');
      const stop = this.stopIndex.get(stopId) ?? -1;
      if (stop < 0) {
        this.log.error(file, row.line, 'stop_id', `"${stopId}" is not a stop_id in stops.txt`);
      } else {
        const type = this.stops.get(stopId)!.locationType;
        if (type !== 0) this.log.error(file, row.line, 'stop_id', `"${stopId}" has location_type ${type}; trips call at stops or platforms (0)`);
      }
      const sequenceText = row.get('stop_sequence');
      const sequence = Number(sequenceText);
      const sequenceOk = sequenceText.trim() !== '' && Number.isInteger(sequence) && sequence >= 0 && sequence <= 0x7fffffff;
      if (!sequenceOk) this.log.error(file, row.line, 'stop_sequence', `"${sequenceText}" is not a non-negative integer`);
      const arrival = this.time(file, row.line, 'arrival_time', row.get('arrival_time'));
      const departure = this.time(file, row.line, 'departure_time', row.get('departure_time'));
      const pickup = this.enumField(file, row.line, 'pickup_type', row.get('pickup_type'), 3);
      const dropOff = this.enumField(file, row.line, 'drop_off_type', row.get('drop_off_type'), 3);
      const distanceText = row.get('shape_dist_traveled');
      let distance = Number.NaN;
      if (distanceText.trim() !== '') {
        distance = Number(distanceText);
        if (!Number.isFinite(distance) || distance < 0) this.log.error(file, row.line, 'shape_dist_traveled', `"${distanceText}" is not a non-negative number`);
      }
      let platform = '';
      for (const column of this.platformColumns) {
        platform = row.extra(column).trim();
        if (platform) break;
      }
      if (lastTrip >= 0 && stop >= 0 && sequenceOk) {
        this.stopTimes.push(lastTrip, stop, sequence, arrival, departure, platform, pickup, dropOff, distance, row.line);
      }
    });
    this.stopTimes.group(this.tripList.length);
  }

  /** Seconds, or -1 when blank (also after reporting a malformed time). */
  private time(file: string, line: number, field: string, text: string): number {
    if (text === '') return -1;
    const seconds = gtfsTimeSeconds(text);
    if (Number.isNaN(seconds)) {
      if (text.trim() === '') return -1;
      this.log.error(file, line, field, `"${text}" is not a time (H:MM:SS or HH:MM:SS)`);
      return -1;
    }
    return seconds;
  }

  private enumField(file: string, line: number, field: string, text: string, max: number): number {
    const value = text.trim();
    if (value === '') return 0;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 0 || number > max) {
      this.log.error(file, line, field, `"${text}" is not 0 to ${max}`);
      return 0;
    }
    return number;
  }

  /** Per trip, in stop_sequence order: no repeated sequence, times at both ends, time never runs backwards. */
  private checkTrips(): void {
    const file = 'stop_times.txt';
    const { order, tripStart, sequence, arrival, departure, line } = this.stopTimes;
    for (let t = 0; t < this.tripList.length; t++) {
      const trip = this.tripList[t];
      const first = tripStart[t];
      const end = tripStart[t + 1];
      trip.stopTimeCount = end - first;
      if (end - first < 2) {
        this.log.warn('trips.txt', trip.line, 'trip_id', `trip "${trip.id}" has ${end - first} stop_times`);
        if (end === first) continue;
      }
      let lastTime = -1;
      let lastTimeLine = 0;
      for (let at = first; at < end; at++) {
        const row = order[at];
        if (at > first && sequence[row] === sequence[order[at - 1]]) {
          this.log.error(file, line[row], 'stop_sequence', `${sequence[row]} repeats line ${line[order[at - 1]]} of trip "${trip.id}": stop_sequence must increase along a trip`);
        }
        if ((at === first || at === end - 1) && arrival[row] < 0 && departure[row] < 0) {
          this.log.error(file, line[row], at === first ? 'departure_time' : 'arrival_time', `the ${at === first ? 'first' : 'last'} stop of trip "${trip.id}" needs a time`);
        }
        if (arrival[row] >= 0) {
          if (arrival[row] < lastTime) this.timeRunsBackwards(trip, line[row], 'arrival_time', arrival[row], lastTime, lastTimeLine);
          lastTime = arrival[row];
          lastTimeLine = line[row];
        }
        if (departure[row] >= 0) {
          if (departure[row] < lastTime) this.timeRunsBackwards(trip, line[row], 'departure_time', departure[row], lastTime, lastTimeLine);
          lastTime = departure[row];
          lastTimeLine = line[row];
        }
      }
    }
  }

  private timeRunsBackwards(trip: GtfsTrip, line: number, field: string, value: number, previous: number, previousLine: number): void {
    const before = previousLine === line ? 'arrival_time on the same line' : `line ${previousLine}`;
    this.log.error('stop_times.txt', line, field, `${formatGtfsTime(value)} is earlier than ${formatGtfsTime(previous)} on ${before}: times must not decrease along trip "${trip.id}"`);
  }
}

/** `T1` from a platform coded `N11-T1` under a station coded `N11` (separator `-`, `_`, `.` or space). */
export function platformFromCode(code: string | null, stationCode: string | null): string | null {
  if (!code || !stationCode || code.length <= stationCode.length + 1 || !code.startsWith(stationCode)) return null;
  return /^[-_. ]$/.test(code[stationCode.length]) ? code.slice(stationCode.length + 1).trim() || null : null;
}
