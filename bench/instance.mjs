// One app instance for the Socket.IO benchmarks, booted like src/main.ts (NestFactory, the same
// options, configureApp, listen) but driven by the parent over IPC:
//   tick {bump}  bumps the delay of the given trains in the feed, runs TrackerService.tick() and
//                answers with the report and the time of every publishStatus (train, version, at);
//   stats {gc}   RSS and CPU time of this process (gc: false to skip the collection before),
//                PostgreSQL queries (and of them, the catalog version checks) and, with
//                COUNT_REDIS_COMMANDS=true, Redis commands sent so far;
//   feed {numbers}  the trains the feed reports on from now on (all when not given): a section
//                tracks only its own trains, however many the bench database holds;
//   profileStart, profileStop {file}   a CPU profile of a window (bench/cpu-profile.mjs).
// Env as for dist/src/main.js (the parent sets DATABASE_URL, REDIS_URL, …); PORT 0 picks a port.
import 'reflect-metadata';
import dc from 'node:diagnostics_channel';
import pg from 'pg';
import { now, profilerHandlers, serve, usage } from './children.mjs';

// Count what the instance sends to its stores, from before the app opens a connection.
// PostgreSQL: every statement goes through pg.Client#query (TypeORM's pool uses pg.Client).
let pgQueries = 0;
// The timetable's catalog version check (one single-row read every couple of seconds while
// requests come in, whatever their number): counted apart, so a section can tell it from reads
// that requests cause (the fallback to PostgreSQL under overload).
let catalogVersionChecks = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  pgQueries++;
  const text = typeof args[0] === 'string' ? args[0] : args[0]?.text;
  if (typeof text === 'string' && text.includes('FROM catalog_version')) catalogVersionChecks++;
  return query.apply(this, args);
};
// Redis, with COUNT_REDIS_COMMANDS=true: ioredis (sessions, rate limits, tick lock, Socket.IO
// adapter) and node-redis (the cache, through @keyv/redis) both publish every command on
// diagnostics_channel. node-redis reports a MULTI as one batch, so its commands are counted from
// the batch size (plus MULTI and EXEC). Only on request: with a subscriber, both clients build a
// tracing context for every command, which the status endpoint would pay for.
const redisCommands = /** @type {Record<string, number>} */ ({});
const countRedis = (name, n = 1) => (redisCommands[name] = (redisCommands[name] ?? 0) + n);
if (process.env.COUNT_REDIS_COMMANDS === 'true') {
  dc.subscribe('tracing:ioredis:command:start', (context) => countRedis(String(context.command).toUpperCase()));
  dc.subscribe('tracing:node-redis:command:start', (context) => countRedis(context.command));
  dc.subscribe('tracing:node-redis:batch:start', (context) => {
    if (context.batchMode !== 'MULTI') return; // pipelined commands are reported one by one
    countRedis('MULTI');
    countRedis('MULTI_BATCHED', context.batchSize);
    countRedis('EXEC');
  });
}

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import('../dist/src/app.module.js');
const { configureApp } = await import('../dist/src/app.setup.js');
const { TRAIN_STATUS_PROVIDER } = await import('../dist/src/tracking/train-status-provider.js');
const { TrackerService } = await import('../dist/src/tracking/tracker.service.js');
const { LiveGateway } = await import('../dist/src/tracking/live.gateway.js');
const { TimetableService } = await import('../dist/src/routes/timetable.service.js');
const { HttpDrain } = await import('../dist/src/http-drain.js');
const { currentServiceDate } = await import('./clock.mjs');

// Same options and request path as src/main.ts.
const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, forceCloseConnections: true });
configureApp(app);
new HttpDrain(app.getHttpServer(), { ignore: (request) => request.url?.startsWith('/socket.io/') ?? false });

// The feed: every train's current run at the bench's clock (the one the status endpoint shows),
// RUNNING, with a delay that grows by a minute each time the parent bumps the train. The
// simulator's instance is kept, only its activeRuns is replaced, so the tracker holds the object
// it was built with.
const delays = new Map();
/** The trains of the feed (`feed {numbers}`); all by default. */
let fed = null;
const timetable = app.get(TimetableService);
const provider = app.get(TRAIN_STATUS_PROVIDER);
provider.activeRuns = async (at) => {
  const observations = [];
  for (const entry of (await timetable.all()).values()) {
    if (fed && !fed.has(entry.train.number)) continue;
    const serviceDate = currentServiceDate(entry, at);
    if (!serviceDate) continue;
    observations.push({
      trainId: entry.train.id,
      trainNumber: entry.train.number,
      serviceDate,
      phase: 'RUNNING',
      delayMinutes: delays.get(entry.train.number) ?? 0,
      lastStopSequence: 1,
      departedLastStop: true,
      platform: null,
      stopUpdates: [],
      stopTimes: [],
    });
  }
  return observations;
};

// Publish times: taken when the tracker hands a change to the gateway, just before the emit,
// the same point as the bare server's timestamp.
/** @type {Array<[string, number, number]>} train number, version, time */
let published = [];
const gateway = app.get(LiveGateway);
const publishStatus = gateway.publishStatus.bind(gateway);
gateway.publishStatus = (view) => {
  published.push([view.train.number, view.state.version, now()]);
  publishStatus(view);
};

await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const tracker = app.get(TrackerService);

serve(
  {
    feed({ numbers }) {
      fed = numbers ? new Set(numbers) : null;
      return { trains: fed?.size ?? null };
    },
    async tick({ bump = [] }) {
      for (const number of bump) delays.set(number, (delays.get(number) ?? 0) + 1);
      published = [];
      const started = now();
      const report = await tracker.tick();
      return { report, ms: now() - started, published };
    },
    stats: ({ gc }) => ({ ...usage({ gc }), pgQueries, catalogVersionChecks, redisCommands: { ...redisCommands } }),
    ...(await profilerHandlers()),
  },
  { onClose: () => app.close() },
);
process.send({ type: 'ready', port: app.getHttpServer().address().port });
