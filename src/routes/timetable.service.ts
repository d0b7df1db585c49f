import { Inject, Injectable, Logger } from '@nestjs/common';
import { CATALOG_RELOAD, type CatalogReloadPolicy, CatalogSnapshot } from '../catalog/catalog-snapshot.js';
import { CatalogVersionRepository } from '../catalog/catalog-version.repository.js';
import { CatalogWrites } from '../catalog/catalog-writes.js';
import { yieldToEventLoop } from '../common/event-loop/slices.js';
import { BoundedMemo } from '../common/memo/bounded-memo.js';
import { Metrics } from '../common/observability/metrics.js';
import type { Train } from '../trains/train.entity.js';
import type { RouteStop } from './route-stop.entity.js';
import { callsOf, connectionsOf, type PatternTimetable, type TrainCallsAt, type TrainTimetable } from './timetable.model.js';
import type { Connection } from './route.model.js';
import { RoutesRepository } from './routes.repository.js';

export type { PatternTimetable, TrainTimetable } from './timetable.model.js';

/** One load of the catalog: timetables by train id, and every train (with a route or not) by number. */
export interface LoadedCatalog {
  /** The catalog version read before the rows (a write during the load moves it again, so the next check reloads). */
  version: string;
  timetables: Map<string, TrainTimetable>;
  trainsByNumber: Map<string, Train>;
  /** The timetables with a pattern calling at a station, by station id (the board reads only these). */
  callingAt: Map<string, TrainTimetable[]>;
  /** Their calls there, by station id: worked out the first time a station is asked about (boards ask often, about few stations). */
  callsAt: Map<string, TrainCallsAt[]>;
  /** Connections between two stations, by "fromId>toId": worked out the first time a pair is asked about. */
  connections: BoundedMemo<string, Connection[]>;
  /**
   * Every stop pattern with stops, by train id: what a train's route shows, one-stop patterns
   * included (they are in no timetable, as they cannot run).
   */
  routes: Map<string, PatternTimetable[]>;
}

/** Rows handled between two yields to the event loop while a timetable is built. */
const ROWS_PER_SLICE = 2000;

/** Station pairs whose connections a loaded catalog keeps (references to its own stops, a few hundred at most each). */
const CONNECTIONS_MEMO_SIZE = 5000;

/** The calls at a station of a loaded catalog, worked out the first time they are asked for. */
function callsAtIn({ callingAt, callsAt }: LoadedCatalog, stationId: string): TrainCallsAt[] {
  let calls = callsAt.get(stationId);
  if (!calls) callsAt.set(stationId, (calls = callsOf(callingAt.get(stationId) ?? [], stationId)));
  return calls;
}

/**
 * Every train with its stop patterns, in memory: the tracker and the live views read it every few
 * seconds, and the catalog's read endpoints (routes, trains between two stations, route
 * summaries) answer from it. It is kept at the catalog version (CatalogSnapshot): reloaded in
 * the background when the version moved, at once after a catalog write on this instance
 * (CatalogWrites: a station's too, as stops carry their stations). The load is paged and built in
 * slices, yielding to the event loop between them, so a reload of a national network does not
 * stall requests. A failed reload keeps the last good timetable in service (live status of
 * cached runs goes on while PostgreSQL is down). It also knows every train number, routed or
 * not, so a lookup of a number that does not exist is answered from memory: a client asking for
 * thousands of missing trains costs no query.
 */
@Injectable()
export class TimetableService {
  private readonly snapshot: CatalogSnapshot<LoadedCatalog>;

  constructor(
    routes: RoutesRepository,
    versions: CatalogVersionRepository,
    private readonly writes: CatalogWrites,
    metrics: Metrics,
    @Inject(CATALOG_RELOAD) policy: CatalogReloadPolicy,
  ) {
    this.snapshot = new CatalogSnapshot(
      { version: () => versions.current(), build: async (version) => timetablesOf(version, await routes.timetableRows()) },
      policy,
      (outcome) => metrics.timetableReloads.inc({ outcome }),
      'Timetable',
      new Logger(TimetableService.name),
    );
    writes.onWrite(() => this.snapshot.invalidate());
  }

  /**
   * Loads the timetable unless the one in memory is current: the app's start waits for it before
   * it listens, so that no request waits for the first load.
   */
  async load(): Promise<void> {
    await this.catalog();
  }

  /** Timetables of the trains that have a route, by train id. */
  async all(): Promise<Map<string, TrainTimetable>> {
    return (await this.catalog()).timetables;
  }

  private catalog(): Promise<LoadedCatalog> {
    return this.snapshot.get();
  }

  /** The version of the catalog this instance serves (waits for the first load). */
  async version(): Promise<string> {
    return (await this.catalog()).version;
  }

  /** The trains calling at a station (by id), each with its calls there, in timetable order. */
  async callsAt(stationId: string): Promise<TrainCallsAt[]> {
    return callsAtIn(await this.catalog(), stationId);
  }

  /**
   * Patterns calling at one station and later at another (by id), ordered by departure time at
   * the first (then train number, then pattern id). Worked out once per pair and catalog version
   * (up to CONNECTIONS_MEMO_SIZE pairs): journey planners ask about the same busy pairs all day.
   */
  async connections(fromId: string, toId: string): Promise<Connection[]> {
    const catalog = await this.catalog();
    return catalog.connections.get(`${fromId}>${toId}`, () => connectionsOf(callsAtIn(catalog, fromId), callsAtIn(catalog, toId)));
  }

  async of(trainId: string): Promise<TrainTimetable | undefined> {
    return (await this.all()).get(trainId);
  }

  /** A train's stop patterns that have stops (one-stop ones too), in load order; [] when it has none. */
  async routesOf(trainId: string): Promise<PatternTimetable[]> {
    return (await this.catalog()).routes.get(trainId) ?? [];
  }

  /** By public train number, without a database query (the live status hot path). */
  async byNumber(number: string): Promise<TrainTimetable | undefined> {
    const { timetables, trainsByNumber } = await this.catalog();
    const train = trainsByNumber.get(number);
    return train && timetables.get(train.id);
  }

  /**
   * Any train of the catalog by number, with a route or not, without a database query; undefined
   * when no such train exists. A train added on another instance is known here from the next
   * version check (within CatalogReloadPolicy.intervalMs).
   */
  async trainByNumber(number: string): Promise<Train | undefined> {
    return (await this.catalog()).trainsByNumber.get(number);
  }

  /** The catalog changed on this instance: the next read (of it, and of the station index) waits for one loaded after it. */
  invalidate(): void {
    this.writes.written();
  }
}

/**
 * Groups stops (ordered by pattern and sequence) into patterns and trains; patterns of fewer than
 * two stops cannot run and are left out of the timetables (a one-stop pattern is still a route to show). Indexes the timetables by the stations they call at.
 * Yields to the event loop every ROWS_PER_SLICE rows.
 */
export async function timetablesOf(
  version: string,
  { trains, patterns, stops }: { trains: Train[]; patterns: PatternTimetable['pattern'][]; stops: RouteStop[] },
  rowsPerSlice = ROWS_PER_SLICE,
): Promise<LoadedCatalog> {
  const stopsByPattern = new Map<string, RouteStop[]>();
  for (let i = 0; i < stops.length; i++) {
    if (i > 0 && i % rowsPerSlice === 0) await yieldToEventLoop();
    const stop = stops[i];
    const own = stopsByPattern.get(stop.patternId);
    if (own) own.push(stop);
    else stopsByPattern.set(stop.patternId, [stop]);
  }
  const trainsById = new Map(trains.map((train) => [train.id, train]));
  const timetables = new Map<string, TrainTimetable>();
  const routes = new Map<string, PatternTimetable[]>();
  let rows = 0;
  for (const pattern of patterns) {
    const own = stopsByPattern.get(pattern.id);
    const train = trainsById.get(pattern.trainId);
    if (!own || !train) continue;
    const ofTrain = routes.get(train.id);
    if (ofTrain) ofTrain.push({ pattern, stops: own });
    else routes.set(train.id, [{ pattern, stops: own }]);
    if (own.length < 2) continue;
    const entry = timetables.get(train.id) ?? { train, patterns: [] };
    entry.patterns.push({ pattern, stops: own });
    timetables.set(train.id, entry);
    rows += own.length;
    if (rows >= rowsPerSlice) {
      rows = 0;
      await yieldToEventLoop();
    }
  }
  // In timetable order, each timetable once per station, as the board's walk over every train found them.
  const callingAt = new Map<string, TrainTimetable[]>();
  rows = 0;
  for (const timetable of timetables.values()) {
    const stations = new Set<string>();
    for (const { stops: own } of timetable.patterns) for (const stop of own) stations.add(stop.stationId);
    for (const stationId of stations) {
      const at = callingAt.get(stationId);
      if (at) at.push(timetable);
      else callingAt.set(stationId, [timetable]);
    }
    rows += stations.size;
    if (rows >= rowsPerSlice) {
      rows = 0;
      await yieldToEventLoop();
    }
  }
  return { version, timetables, trainsByNumber: new Map(trains.map((train) => [train.number, train])), callingAt, callsAt: new Map(), connections: new BoundedMemo(CONNECTIONS_MEMO_SIZE), routes };
}
