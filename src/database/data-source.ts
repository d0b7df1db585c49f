import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env.validation.js';
import { buildDataSourceOptions } from './database.options.js';

/** The DataSource of the TypeORM CLI (`npm run migration:*`); the app builds the same options. */
export default new DataSource({ ...buildDataSourceOptions(validateEnv(process.env)), migrationsRun: false });
