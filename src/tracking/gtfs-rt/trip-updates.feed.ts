import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { type Clock, CLOCK } from '../../common/clock/clock.js';
import { EventLoopSlices, mapInSlices } from '../../common/event-loop/slices.js';
import { Metrics } from '../../common/observability/metrics.js';
import { shortestCronIntervalMs } from '../../config/cron-interval.js';
import type { Env } from '../../config/env.validation.js';
import type { ExpectedTime } from '../../live/expected-times.js';
import { LiveStatusService, runOf, type RunOfTimetable } from '../../live/live-status.service.js';
import type { TrainLiveView } from '../../live/live.model.js';
import { activeServiceDates } from '../../live/run-window.js';
import type { RouteStop } from '../../routes/route-stop.entity.js';
import { patternOn } from '../../routes/timetable.model.js';
import { TimetableService } from '../../routes/timetable.service.js';
import { StationsService } from '../../stations/stations.service.js';
import { addDays } from '../../trains/service-time.js';
import { type GtfsRealtime, STOP_RELATIONSHIP, transit_realtime, TRIP_RELATIONSHIP } from './gtfs-realtime.js';

/** Runs whose states are read from the cache at once while the feed is built. */
const RUNS_PER_READ = 100;
/** FeedMessage.entity: field 2, length-delimited (gtfs-realtime.proto), as the generated encoder writes it. */
const ENTITY_FIELD_KEY = (2 << 3) | 2;

/** The published feed as built once: the protobuf, its JSON form, and what HTTP caches need. */
export interface PublishedFeed {
  bytes: Buffer;
  /**
   * The same FeedMessage as JSON text, with the proto's own (snake_case) field names, enums by
   * name (made on first use, in slices, then kept).
   */
  json(): Promise<string>;
  etag: string;
  builtAt: Date;
}

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toSnakeKeys = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(toSnakeKeys) : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [snakeCase(key), toSnakeKeys(inner)])) : value;

/** `2023-05-10` → `20230510`; a GTFS time of day past 24:00 for a day offset. */
const gtfsDate = (date: string) => date.replaceAll('-', '');
const gtfsTime = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/**
 * GET /gtfs-rt/trip-updates: the live state of every active run as a GTFS-Realtime TripUpdates
 * FeedMessage, named by the imported feed's trip ids, so OpenTripPlanner, OneBusAway or another
 * instance of this app can consume it. Built at most once per tick: a tick on this instance (or an
 * operator's report) makes the next request build it again, and a copy older than the tick
 * interval is rebuilt (another instance may hold the tick lock); requests in between get the same
 * bytes, and a request that names its ETag gets 304.
 */
@Injectable()
export class TripUpdatesFeed {
  private cached: { feed: Promise<PublishedFeed>; generation: number; realMs: number } | null = null;
  private generation = 0;
  private readonly maxAgeMs: number;

  constructor(
    private readonly timetable: TimetableService,
    private readonly live: LiveStatusService,
    private readonly stations: StationsService,
    private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.maxAgeMs = shortestCronIntervalMs(config.get('TRACKING_CRON', { infer: true }));
  }

  /** The run states changed here (a tick, a report): the next request builds the feed again. */
  invalidate(): void {
    this.generation++;
  }

  current(): Promise<PublishedFeed> {
    const cached = this.cached;
    if (cached && cached.generation === this.generation && Date.now() - cached.realMs < this.maxAgeMs) return cached.feed;
    const feed = this.build();
    const entry = { feed, generation: this.generation, realMs: Number.POSITIVE_INFINITY };
    this.cached = entry;
    // Its age counts from when it is ready; a failed build is not kept: the next request tries again.
    feed.then(
      () => (entry.realMs = Date.now()),
      () => {
        if (this.cached === entry) this.cached = null;
      },
    );
    return feed;
  }

  private async build(): Promise<PublishedFeed> {
    this.metrics.gtfsRtFeedBuilds.inc();
    const now = this.clock.now();
    const runs: RunOfTimetable[] = [];
    // The Indian catalog's 11k trains and their 5k runs: requests get a turn every slice. Reading
    // the views of 100 runs and encoding them in one go held the event loop 100-300 ms on a loaded machine.
    const slices = new EventLoopSlices();
    for (const timetable of (await this.timetable.all()).values()) {
      if (slices.due()) await slices.next();
      if (!timetable.patterns.some(({ pattern }) => pattern.gtfsTripId !== null)) continue;
      for (const date of activeServiceDates(timetable, now).active) {
        const run = runOf(timetable, date);
        if (run) runs.push(run);
      }
    }
    const platformIds = await this.platformStopIds();
    const header = transit_realtime.FeedHeader.fromObject({ gtfsRealtimeVersion: '2.0', incrementality: 'FULL_DATASET', timestamp: seconds(now) });
    // Written entity by entity into one FeedMessage (header is field 1, each entity field 2), a slice
    // at a time: encoding 2,400 runs of the Indian catalog in one go held the event loop for ~0.5 s.
    const writer = transit_realtime.FeedMessage.encode({ header });
    const entities: GtfsRealtime.FeedEntity[] = [];
    for (let from = 0; from < runs.length; from += RUNS_PER_READ) {
      const batch = runs.slice(from, from + RUNS_PER_READ);
      const states = await this.live.statesOf(batch);
      for (const run of batch) {
        if (slices.due()) await slices.next();
        const [view] = this.live.viewsWith([run], states, now);
        const pattern = patternOn(run.timetable, view.state.serviceDate)?.pattern;
        // Only runs with live data are published: a consumer must never take a timetable for a prediction.
        if (!pattern?.gtfsTripId || !view.realtime) continue;
        const entity = transit_realtime.FeedEntity.fromObject({
          id: `${view.train.number}-${view.state.serviceDate}`,
          tripUpdate: tripUpdateOf(view, pattern.gtfsTripId, pattern.gtfsDayShift, platformIds),
        });
        transit_realtime.FeedEntity.encode(entity, writer.uint32(ENTITY_FIELD_KEY).fork()).ldelim();
        entities.push(entity);
      }
    }
    const bytes = Buffer.from(writer.finish());
    let json: Promise<string> | undefined;
    return {
      bytes,
      json: () => (json ??= jsonOf(header, entities)),
      etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`,
      builtAt: now,
    };
  }

  /** station id → platform label → its stop id (labels that name two stops are left out). */
  private async platformStopIds(): Promise<Map<string, Map<string, string>>> {
    const byStation = new Map<string, Map<string, string | null>>();
    for (const { stationId, gtfsId, name } of await this.stations.platformStops()) {
      if (name === null) continue;
      const own = byStation.get(stationId) ?? new Map<string, string | null>();
      own.set(name, own.has(name) ? null : gtfsId);
      byStation.set(stationId, own);
    }
    return new Map([...byStation].map(([station, labels]) => [station, new Map([...labels].filter((entry): entry is [string, string] => entry[1] !== null))]));
  }
}

/**
 * The JSON text of the FeedMessage of these entities, as JSON.stringify would write
 * FeedMessage.toObject (snake_case keys, enums by name), written entity by entity in slices:
 * the whole Indian feed (2,400 runs, 4.5 MB of JSON) in one go held the event loop ~2 s on a loaded machine.
 */
async function jsonOf(header: GtfsRealtime.FeedHeader, entities: GtfsRealtime.FeedEntity[]): Promise<string> {
  const options = { enums: String, longs: Number };
  const parts = [`{"header":${JSON.stringify(toSnakeKeys(transit_realtime.FeedHeader.toObject(header, options)))}`];
  // toObject leaves an empty repeated field out.
  if (entities.length > 0) {
    const written = await mapInSlices(entities, (entity) => JSON.stringify(toSnakeKeys(transit_realtime.FeedEntity.toObject(entity, options))));
    parts.push(`,"entity":[${written.join(',')}]`);
  }
  parts.push('}');
  return parts.join('');
}

/**
 * One run as a TripUpdate: stops with recorded times (what happened), then the stops not yet
 * left, as a consumer needs them to work out the same expected times by the same rules: each
 * stop's own times (REALTIME), the first stop a propagated delay starts from, a skipped stop as
 * SKIPPED, a stop the live data does not reach as NO_DATA, a platform change as assigned_stop_id.
 * Propagated times are left for the consumer to propagate, so it sees them as propagated too.
 */
function tripUpdateOf(view: TrainLiveView, tripId: string, dayShift: number, platformIds: Map<string, Map<string, string>>): GtfsRealtime.ITripUpdate {
  const { state, route } = view;
  const first = route[0];
  const trip = {
    tripId,
    startDate: gtfsDate(addDays(state.serviceDate, -dayShift)),
    startTime: gtfsTime((first.departureDay! + dayShift) * 1440 + first.departureMinute!),
    scheduleRelationship: state.phase === 'CANCELLED' ? TRIP_RELATIONSHIP.CANCELED : TRIP_RELATIONSHIP.SCHEDULED,
  };
  const timestamp = seconds(view.lastDataAt ?? view.asOf);
  if (state.phase === 'CANCELLED') return { trip, timestamp };
  const stopTimeUpdate: GtfsRealtime.TripUpdate.IStopTimeUpdate[] = [];
  const last = state.lastStopSequence ?? 0;
  // Whether a delay is being carried to the next stops from one already published.
  let carrying = false;
  view.stops.forEach((stop, index) => {
    const routeStop = route[index];
    const left = stop.sequence < last || (stop.sequence === last && state.departedLastStop);
    const base = { stopSequence: routeStop.gtfsStopSequence ?? routeStop.sequence, ...(routeStop.gtfsStopId !== null && { stopId: routeStop.gtfsStopId }) };
    const event = (time: ExpectedTime | null, sources: readonly string[]) =>
      time?.expected && time.source && sources.includes(time.source) ? { time: seconds(time.expected), delay: Math.round((time.expected.getTime() - time.scheduled.getTime()) / 1000) } : undefined;
    if (left) {
      // What happened: recorded times only (the others are unknown).
      const arrival = event(stop.arrival, ['REALTIME']);
      const departure = event(stop.departure, ['REALTIME']);
      if (arrival || departure) stopTimeUpdate.push({ ...base, ...(arrival && { arrival }), ...(departure && { departure }) });
      return;
    }
    if (stop.status === 'SKIPPED') return void stopTimeUpdate.push({ ...base, scheduleRelationship: STOP_RELATIONSHIP.SKIPPED });
    const times = [stop.arrival, stop.departure].filter((time): time is ExpectedTime => time !== null);
    if (times.every((time) => time.source === 'SCHEDULE' || time.expected === null)) {
      carrying = false;
      return void stopTimeUpdate.push({ ...base, scheduleRelationship: STOP_RELATIONSHIP.NO_DATA });
    }
    const sources = times.some((time) => time.source === 'REALTIME') || carrying ? ['REALTIME'] : ['REALTIME', 'PROPAGATED'];
    const arrival = event(stop.arrival, sources);
    const departure = event(stop.departure, sources);
    const assigned = assignedStopOf(routeStop, stop.platforms, platformIds);
    if (arrival || departure || assigned) {
      stopTimeUpdate.push({ ...base, ...(arrival && { arrival }), ...(departure && { departure }), ...(assigned && { stopTimeProperties: { assignedStopId: assigned } }) });
    }
    carrying = true;
  });
  return { trip, stopTimeUpdate, timestamp };
}

/** The stop id of the platform now expected, when it is another than the timetable's and the feed names it. */
function assignedStopOf(stop: RouteStop, platforms: { planned: string | null; current: string | null }, platformIds: Map<string, Map<string, string>>): string | null {
  if (platforms.current === null || platforms.current === platforms.planned) return null;
  const id = platformIds.get(stop.stationId)?.get(platforms.current);
  return id && id !== stop.gtfsStopId ? id : null;
}
