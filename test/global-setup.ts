import { randomUUID } from 'node:crypto';

/**
 * Names this e2e run. Jest loads this file outside its module mapper, so it imports nothing of
 * ours: the first test file to start prepares the database for the run (see test-database.ts).
 */
export default function globalSetup(): void {
  process.env.E2E_RUN_ID = randomUUID();
}
