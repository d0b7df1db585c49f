import 'reflect-metadata';
import { createAdmin } from '../users/create-admin.command.js';

createAdmin(process.argv.slice(2)).then(
  (lines) => console.log(lines.join('\n')),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
