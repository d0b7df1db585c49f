// One app instance on the full Indian catalog (bench/catalog-at-size.mjs), booted like
// src/main.ts and driven by the parent over IPC. It measures its own event loop
// (perf_hooks.monitorEventLoopDelay, 10 ms resolution): the longest the loop was held while the
// timetable reloads or a tick runs, as requests would feel it.
//   reload       forces a full timetable reload (as after a catalog change) → { ms, max_block_ms }
//   tick         one TrackerService.tick() with the simulator over every train → { ms, max_block_ms, report }
//   stats {gc}   RSS (after a collection) and CPU time of this process
//   profileStart, profileStop {file}, …   CPU and allocation profiles (bench/children.mjs)
import 'reflect-metadata';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { now, profilerHandlers, serve, usage } from './children.mjs';

const { NestFactory } = await import('@nestjs/core');
const { AppModule } = await import('../dist/src/app.module.js');
const { configureApp } = await import('../dist/src/app.setup.js');
const { TrackerService } = await import('../dist/src/tracking/tracker.service.js');
const { TimetableService } = await import('../dist/src/routes/timetable.service.js');

const app = await NestFactory.create(AppModule, { bodyParser: false, bufferLogs: true, forceCloseConnections: true });
configureApp(app);
await app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
const timetable = app.get(TimetableService);
const tracker = app.get(TrackerService);
await timetable.all();

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
// The longest garbage-collection pause in the window: tells a block of ours from the collector's.
let longestGc = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longestGc = Math.max(longestGc, entry.duration);
}).observe({ entryTypes: ['gc'] });
/** Runs `work` and reports how long it took and the longest event-loop block meanwhile. */
async function measured(work) {
  // Let the loop settle, then watch only this work.
  await new Promise((resolve) => setTimeout(resolve, 50));
  delay.reset();
  longestGc = 0;
  const started = now();
  const result = await work();
  const ms = now() - started;
  await new Promise((resolve) => setTimeout(resolve, 30)); // the probe's timer fires once more after a block
  return { ms: Math.round(ms), max_block_ms: Math.round(delay.max / 1e6), longest_gc_ms: Math.round(longestGc), result };
}

serve(
  {
    ...(await profilerHandlers()),
    async reload() {
      const { ms, max_block_ms, longest_gc_ms } = await measured(async () => {
        timetable.invalidate();
        await timetable.all();
      });
      return { ms, max_block_ms, longest_gc_ms };
    },
    async tick() {
      const { ms, max_block_ms, longest_gc_ms, result } = await measured(() => tracker.tick());
      return { ms, max_block_ms, longest_gc_ms, report: result };
    },
    async stats({ gc }) {
      return { ...usage({ gc }), trains: (await timetable.all()).size };
    },
  },
  { onClose: () => app.close() },
);
process.send({ type: 'ready', port: app.getHttpServer().address().port });
