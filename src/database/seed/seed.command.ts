import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../../config/env.validation.js';
import { buildDataSourceOptions } from '../database.options.js';
import { DemoDataSeeder } from './demo-data.seeder.js';

/** `npm run seed`: migrates the configured database, then loads or updates the demo catalog. */
async function main() {
  const dataSource = new DataSource({ ...buildDataSourceOptions(validateEnv(process.env)), migrationsRun: true });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const report = await new DemoDataSeeder(dataSource).seed();
    console.log(
      `Demo data: stations +${report.stationsInserted} ~${report.stationsUpdated}, ` +
        `trains +${report.trainsInserted} ~${report.trainsUpdated}, routes replaced ${report.routesReplaced}`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
