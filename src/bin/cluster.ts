import 'reflect-metadata';
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env.validation.js';
import { buildDataSourceOptions } from '../database/database.options.js';
import { DemoDataSeeder } from '../database/seed/demo-data.seeder.js';
import { INDIA_CATALOG_PATH } from '../catalog/default-catalog.loader.js';
import { importGtfs } from '../routes/gtfs/import/import-gtfs.command.js';
import { Station } from '../stations/station.entity.js';

/**
 * `npm run start:cluster`: CLUSTER_INSTANCES (default 3) app processes on consecutive ports
 * from PORT (default 3000), sharing DATABASE_URL and REDIS_URL, as several instances behind a
 * load balancer would. Signals are passed on; it exits when every instance has.
 */
async function main() {
  const instances = Number(process.env.CLUSTER_INSTANCES ?? 3);
  const basePort = Number(process.env.PORT ?? 3000);
  if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
    console.error('start:cluster needs DATABASE_URL and REDIS_URL: instances share one PostgreSQL and one Redis.');
    process.exit(1);
  }
  if (!Number.isInteger(instances) || instances < 1 || instances > 32) {
    console.error('CLUSTER_INSTANCES must be a whole number from 1 to 32');
    process.exit(1);
  }
  const env = validateEnv(process.env);
  // Migrations and the catalog (CATALOG_WHEN_EMPTY, default none on a server) once, before the
  // instances start, so they never race each other.
  const dataSource = await new DataSource({ ...buildDataSourceOptions(env), migrationsRun: false }).initialize();
  if (env.DB_MIGRATE_ON_START) await dataSource.runMigrations({ transaction: 'each' });
  const catalog = env.CATALOG_WHEN_EMPTY ?? 'none';
  const empty = catalog !== 'none' && (await dataSource.getRepository(Station).count()) === 0;
  if (empty && catalog === 'demo') await new DemoDataSeeder(dataSource).seed();
  await dataSource.destroy();
  if (empty && catalog === 'india' && (await importGtfs([INDIA_CATALOG_PATH], process.stdout, process.stderr)) !== 0) process.exit(1);
  const entry = fileURLToPath(new URL('../main.js', import.meta.url));
  // One simulated clock for every instance: the same real anchor and the same simulated start
  // (CLOCK_START, validated above), else each would start its clock when it happened to boot.
  const clock = { SIMULATION_EPOCH_MS: String(env.SIMULATION_EPOCH_MS ?? Date.now()), ...(env.CLOCK_START ? { CLOCK_START: env.CLOCK_START } : {}) };
  const children: ChildProcess[] = [];
  for (let i = 0; i < instances; i++) {
    const port = basePort + i;
    const child = fork(entry, { env: { ...process.env, PORT: String(port), DB_MIGRATE_ON_START: 'false', CATALOG_WHEN_EMPTY: 'none', ...clock } });
    children.push(child);
    console.log(`instance ${i + 1} → http://localhost:${port} (pid ${child.pid})`);
  }
  let exitCode = 0;
  let running = children.length;
  for (const child of children) {
    child.once('exit', (code) => {
      exitCode ||= code ?? 1;
      if (--running === 0) process.exit(exitCode);
    });
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => children.forEach((child) => child.exitCode === null && child.kill(signal)));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
