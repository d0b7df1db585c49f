// The published GTFS-Realtime feed at the size of the Indian catalog: one simulator tick (every
// run under way written), then GET /api/v1/gtfs-rt/trip-updates built once and served from the
// cache. Usage: npm run build && DATABASE_URL=<a database with catalog/india/gtfs.zip imported>
// node bench/published-feed.mjs   (CLOCK_START defaults to the bench's 2026-11-24T01:00:00+05:30). Prints the
// tick, the build (time, size, longest event-loop block while it ran), a cached request and the JSON form.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const env = {
  NODE_ENV: 'test',
  DB_MIGRATE_ON_START: 'true',
  CATALOG_WHEN_EMPTY: 'none',
  JWT_SECRET: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: `bench-feed-${process.pid}:`,
  TRACKING_ENABLED: 'false',
  CLOCK_START: process.env.CLOCK_START ?? '2026-11-24T01:00:00+05:30',
  SIMULATION_SPEED: '0',
  LOG_LEVEL: 'error',
  LOG_FORMAT: 'json',
  PORT: '0',
};
for (const [key, value] of Object.entries(env)) process.env[key] ??= value;
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a database with the Indian catalog imported');

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import('../dist/src/app.module.js');
const { configureApp } = await import('../dist/src/app.setup.js');
const { TrackerService } = await import('../dist/src/tracking/tracker.service.js');

const app = await NestFactory.create(AppModule, { logger: ['error'], bodyParser: false });
configureApp(app);
await app.listen(0, '127.0.0.1');
const url = `http://127.0.0.1:${app.getHttpServer().address().port}/api/v1/gtfs-rt/trip-updates`;
const tick = await app.get(TrackerService).tick();
const timed = async (query = '') => {
  const started = performance.now();
  const response = await fetch(url + query);
  const body = Buffer.from(await response.arrayBuffer());
  return { ms: Math.round(performance.now() - started), bytes: body.length, status: response.status };
};
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const built = await timed();
loop.disable();
built.longestEventLoopBlockMs = Math.round(loop.max / 1e6);
const cached = [];
for (let i = 0; i < 5; i++) cached.push((await timed()).ms);
const json = await timed('?format=json');
const { default: bindings } = await import('gtfs-realtime-bindings');
const entities = bindings.transit_realtime.FeedMessage.decode(Buffer.from(await (await fetch(url)).arrayBuffer())).entity.length;
console.log(JSON.stringify({ tickWritten: tick.written, tickMs: Math.round(tick.ms), entities, build: built, cachedMs: cached.sort((a, b) => a - b)[2], json }, null, 1));
await app.close();
