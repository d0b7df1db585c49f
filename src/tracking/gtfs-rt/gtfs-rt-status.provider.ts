import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Metrics } from '../../common/observability/metrics.js';
import type { Env } from '../../config/env.validation.js';
import { type Freshness, LIVE_FRESHNESS } from '../../live/live-view.js';
import { runKey } from '../../live/run-state.js';
import type { TrainTimetable } from '../../routes/timetable.model.js';
import { TimetableService } from '../../routes/timetable.service.js';
import { StationsService } from '../../stations/stations.service.js';
import type { ObservedRunStatus, TrainStatusProvider } from '../train-status-provider.js';
import { type GtfsRealtime, toNumber, transit_realtime } from './gtfs-realtime.js';
import { type RealtimeCatalog, realtimeCatalog } from './realtime-catalog.js';
import { observeRun, readTripUpdates, type RunReport, STOP_DROPS, TRIP_OUTCOMES } from './trip-updates.reader.js';

/** How a poll went (gtfs_rt_polls_total{outcome}). */
export type PollOutcome = 'ok' | 'not_modified' | 'http_error' | 'timeout' | 'network_error' | 'undecodable' | 'stale';

/** Distinct notices remembered so each is logged once; past this many the memory starts again. */
const NOTICES_REMEMBERED = 10_000;

/**
 * Live status from an operator's GTFS-Realtime TripUpdates feed (STATUS_PROVIDER=gtfs-rt). Once
 * per tick it polls GTFS_RT_TRIP_UPDATES_URL (GTFS_RT_HEADERS sent, GTFS_RT_TIMEOUT_MS at most,
 * conditional on the last ETag and Last-Modified), decodes the FeedMessage and reads it against
 * the catalog (trip-updates.reader.ts). What it read of each run is kept, so a run still shows
 * the feed's last word while the feed is slow, and its position moves on with the clock; each
 * report keeps its timestamp, so a run whose data gets older than LIVE_DATA_STALE_AFTER_SECONDS
 * shows "no live data" (the ingest records that once, for followers to hear).
 * Nothing here throws into the tick: HTTP errors, undecodable bodies and stale feeds are logged
 * and counted, and the runs keep aging.
 */
@Injectable()
export class GtfsRtStatusProvider implements TrainStatusProvider {
  private readonly logger = new Logger(GtfsRtStatusProvider.name);
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private catalog: { timetables: Map<string, TrainTimetable>; index: RealtimeCatalog } | null = null;
  /** What the feed last said of each run, by run key. */
  private reports = new Map<string, RunReport>();
  private validators: { etag: string | null; lastModified: string | null } = { etag: null, lastModified: null };
  /** The header timestamp of the last feed read (ms): an older one is a stale copy. */
  private lastFeedAt = 0;
  private lastOutcome: PollOutcome = 'ok';
  private failures = 0;
  private readonly noticed = new Set<string>();

  constructor(
    private readonly timetable: TimetableService,
    private readonly stations: StationsService,
    private readonly metrics: Metrics,
    @Inject(LIVE_FRESHNESS) private readonly freshness: Freshness,
    config: ConfigService<Env, true>,
  ) {
    this.url = config.get('GTFS_RT_TRIP_UPDATES_URL', { infer: true }) ?? '';
    this.headers = config.get('GTFS_RT_HEADERS', { infer: true }) ?? {};
    this.timeoutMs = config.get('GTFS_RT_TIMEOUT_MS', { infer: true });
  }

  async activeRuns(now: Date): Promise<ObservedRunStatus[]> {
    const catalog = await this.catalogIndex();
    const feed = await this.poll(now);
    if (feed) this.read(feed.message, feed.at, catalog, now);
    // Reports are kept well past the freshness limit, so the tick after it sees the run go stale.
    const keepSince = now.getTime() - 2 * this.freshness.staleAfterMs;
    const observations: ObservedRunStatus[] = [];
    for (const [key, report] of this.reports) {
      if (report.observedAt.getTime() < keepSince) this.reports.delete(key);
      else observations.push(observeRun(report, now));
    }
    return observations;
  }

  /** The catalog's trips and platforms, rebuilt when the timetable in memory was reloaded. */
  private async catalogIndex(): Promise<RealtimeCatalog> {
    const timetables = await this.timetable.all();
    if (this.catalog?.timetables !== timetables) {
      this.catalog = { timetables, index: realtimeCatalog(timetables.values(), await this.stations.platformStops()) };
    }
    return this.catalog.index;
  }

  /** One conditional GET; the decoded feed when there is a new, current one to read. */
  private async poll(now: Date): Promise<{ message: GtfsRealtime.FeedMessage; at: Date } | null> {
    const headers: Record<string, string> = { accept: 'application/x-protobuf', ...this.headers };
    if (this.validators.etag) headers['if-none-match'] = this.validators.etag;
    if (this.validators.lastModified) headers['if-modified-since'] = this.validators.lastModified;
    let response: Response;
    let body: Uint8Array;
    try {
      response = await fetch(this.url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
      if (response.status === 304) return this.outcome('not_modified', null);
      if (!response.ok) {
        await response.body?.cancel();
        return this.outcome('http_error', `HTTP ${response.status} from the feed`);
      }
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      // By name: the DOMException may come from another realm (a test's VM context), where instanceof Error fails.
      const name = (error as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return this.outcome(timedOut ? 'timeout' : 'network_error', timedOut ? `no answer within ${this.timeoutMs} ms` : `${(error as Error).message}${causeOf(error)}`);
    }
    let message: GtfsRealtime.FeedMessage;
    try {
      message = transit_realtime.FeedMessage.decode(body);
    } catch (error) {
      return this.outcome('undecodable', `the body (${body.length} bytes) is not a FeedMessage: ${(error as Error).message}`);
    }
    const headerAt = toNumber(message.header?.timestamp) * 1000;
    // A feed without a timestamp is taken as of now.
    const at = new Date(headerAt > 0 ? headerAt : now.getTime());
    if (headerAt > 0 && headerAt < this.lastFeedAt) {
      return this.outcome('stale', `the feed's timestamp ${at.toISOString()} is older than the one read before (${new Date(this.lastFeedAt).toISOString()})`);
    }
    if (now.getTime() - at.getTime() > this.freshness.staleAfterMs) {
      return this.outcome('stale', `the feed's timestamp ${at.toISOString()} is more than ${this.freshness.staleAfterMs / 1000} s old`);
    }
    this.validators = { etag: response.headers.get('etag'), lastModified: response.headers.get('last-modified') };
    this.lastFeedAt = at.getTime();
    this.outcome('ok', null);
    return { message, at };
  }

  /** Counts a poll, and logs the first of a run of failures and the recovery after them. */
  private outcome(outcome: PollOutcome, problem: string | null): null {
    this.metrics.gtfsRtPolls.inc({ outcome });
    const failed = outcome !== 'ok' && outcome !== 'not_modified';
    if (failed) {
      this.failures++;
      if (this.lastOutcome !== outcome) this.logger.warn(`GTFS-Realtime poll of ${this.url} failed (${outcome}): ${problem}; runs keep their last data until it gets stale`);
    } else if (this.failures > 0) {
      this.logger.log(`GTFS-Realtime feed read again after ${this.failures} failed polls`);
      this.failures = 0;
    }
    this.lastOutcome = outcome;
    return null;
  }

  private read(message: GtfsRealtime.FeedMessage, at: Date, catalog: RealtimeCatalog, now: Date): void {
    const reading = readTripUpdates(message, catalog, now, at);
    for (const outcome of TRIP_OUTCOMES) if (reading.trips[outcome] > 0) this.metrics.gtfsRtTripUpdates.inc({ outcome }, reading.trips[outcome]);
    for (const reason of STOP_DROPS) if (reading.droppedStops[reason] > 0) this.metrics.gtfsRtStopUpdatesDropped.inc({ reason }, reading.droppedStops[reason]);
    if (reading.tripDelaysIgnored > 0) this.metrics.gtfsRtTripDelaysIgnored.inc(reading.tripDelaysIgnored);
    for (const { key, message: text } of reading.notices) {
      if (this.noticed.has(key)) continue;
      if (this.noticed.size >= NOTICES_REMEMBERED) this.noticed.clear();
      this.noticed.add(key);
      this.logger.log(`GTFS-Realtime: ${text}`);
    }
    for (const report of reading.reports) {
      const key = runKey(report.trainId, report.serviceDate);
      const before = this.reports.get(key);
      // A report older than the one kept (an entity timestamp going back) does not replace it.
      if (!before || before.observedAt <= report.observedAt) this.reports.set(key, report);
    }
  }
}

const causeOf = (error: unknown) => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
};
