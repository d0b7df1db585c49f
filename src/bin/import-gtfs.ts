import 'reflect-metadata';
import { importGtfs } from '../routes/gtfs/import/import-gtfs.command.js';

importGtfs(process.argv.slice(2), process.stdout, process.stderr).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
