import { convertIndiaToGtfs } from '../routes/gtfs/india/india-gtfs.command.js';

convertIndiaToGtfs(process.argv.slice(2)).then(
  (lines) => console.log(lines.join('\n')),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
