import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Every Prometheus metric of the app, in one registry per app instance. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly socketsConnected = new Gauge({ name: 'live_sockets_connected', help: 'Sockets connected to /live on this instance', registers: [this.registry] });

  readonly subscriptions = new Gauge({ name: 'live_subscriptions', help: 'Train subscriptions held by sockets on this instance', registers: [this.registry] });

  readonly liveEventsRefused = new Counter({
    name: 'live_events_refused_total',
    help: 'Socket events refused by the /live rate limits (refused), and sockets disconnected for flooding (disconnected)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tickDuration = new Histogram({
    name: 'tracker_tick_duration_seconds',
    help: 'Duration of tracker ticks that ran on this instance',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });

  readonly runsChanged = new Counter({ name: 'tracker_runs_changed_total', help: 'Runs whose state changed (and were written)', registers: [this.registry] });

  readonly runsChangedPerTick = new Histogram({
    name: 'tracker_runs_changed_per_tick',
    help: 'Runs written by each tick that ran on this instance',
    buckets: [0, 1, 5, 10, 50, 100, 500, 1000, 5000],
    registers: [this.registry],
  });

  readonly notificationsCreated = new Counter({ name: 'notifications_created_total', help: 'Notifications created by the tracker', registers: [this.registry] });

  readonly cacheRequests = new Counter({
    name: 'run_state_cache_requests_total',
    help: 'Run-state cache lookups by result (hit, miss, unavailable)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly requestsShed = new Counter({
    name: 'http_requests_shed_total',
    help: 'HTTP requests refused with 503 OVERLOADED, by reason (in_flight: too many at once; lag: the event loop is behind)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly lockAcquisitions = new Counter({
    name: 'tracker_lock_acquisitions_total',
    help: 'Tick lock attempts by outcome (acquired, busy, error)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly timetableReloads = new Counter({
    name: 'timetable_reloads_total',
    help: 'Reloads of the timetable in memory from PostgreSQL by outcome (ok; unchanged: the catalog version had not moved, nothing rebuilt; failed: the last good timetable is kept)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly stationIndexReloads = new Counter({
    name: 'station_index_reloads_total',
    help: 'Reloads of the station index in memory (search, nearby) from PostgreSQL by outcome (ok; unchanged: the catalog version had not moved; failed: the last good index is kept)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly gtfsRtPolls = new Counter({
    name: 'gtfs_rt_polls_total',
    help: 'Polls of the GTFS-Realtime TripUpdates feed by outcome (ok, not_modified, http_error, timeout, network_error, undecodable, stale)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly gtfsRtTripUpdates = new Counter({
    name: 'gtfs_rt_trip_updates_total',
    help: 'TripUpdate entities read from the feed by outcome (matched, cancelled, no_prediction, duplicated, not_running, unknown_trip, unsupported, added, duplicate_entity, no_trip_id)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly gtfsRtStopUpdatesDropped = new Counter({
    name: 'gtfs_rt_stop_updates_dropped_total',
    help: 'Stop time updates left out of their trip by reason (repeated_sequence, unknown_stop, other_station, implausible_early)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly gtfsRtTripDelaysIgnored = new Counter({
    name: 'gtfs_rt_trip_delays_ignored_total',
    help: 'Trip-level delays that contradicted their own stop times by more than a minute (the stop times were used)',
    registers: [this.registry],
  });

  readonly gtfsRtFeedBuilds = new Counter({
    name: 'gtfs_rt_feed_builds_total',
    help: 'Builds of the published GTFS-Realtime TripUpdates feed (it is cached between ticks, not built per request)',
    registers: [this.registry],
  });

  constructor() {
    // The event-loop-delay monitor samples every 10 ms by default: ~0.3 s of CPU a minute on an
    // idle instance (bench/push-vs-poll.mjs). 100 ms still catches the stalls worth alerting on.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 100 });
  }
}
