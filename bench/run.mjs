// npm run bench: runs the benchmarks, prints a table and writes bench/results.json.
// So far: tick cost (issue #6 item 3) and the status endpoint against bare node:http (item 1).
// Fan-out, push vs poll and scale-out are still to come.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { statusEndpoint } from './status-endpoint.mjs';
import { tickCost } from './tick-cost.mjs';

const quick = process.argv.includes('--quick');
if (quick) process.env.BENCH_RUNS ??= '2000';

const results = /** @type {Record<string, unknown>} */ ({
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, quick },
  tick: await tickCost(),
});
results.status = await statusEndpoint(quick ? { seconds: 4, repetitions: 1 } : {});
console.table({ status: results.status });
console.table({ tick: results.tick });
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('Wrote bench/results.json');
process.exit(0);
