// `node bench/generate-gtfs-feed.mjs <out-dir> [stop_times]`: a GTFS folder of about that many
// stop_times (default 600,000, issue #12 part 6: "a large commuter railway"), made by repeating the
// Indian feed's trips under new numbers (1xxxxxxx, 2xxxxxxx, …) and trip ids. Stops, agency and
// calendar are the Indian feed's. For the import-speed measurement: `npm run import:gtfs -- <out-dir>`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [out, wanted = '600000'] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/generate-gtfs-feed.mjs <out-dir> [stop_times]');
const target = Number(wanted);
const source = mkdtempSync(join(tmpdir(), 'india-gtfs-'));
execFileSync('unzip', ['-q', 'catalog/india/gtfs.zip', '-d', source]);
mkdirSync(out, { recursive: true });
for (const file of ['agency.txt', 'stops.txt', 'routes.txt', 'calendar.txt', 'feed_info.txt']) copyFileSync(join(source, file), join(out, file));
const lines = (file) => readFileSync(join(source, file), 'utf8').trimEnd().split('\n');
const [tripHeader, ...trips] = lines('trips.txt');
const [stopHeader, ...stops] = lines('stop_times.txt');
const stopsByTrip = new Map();
for (const row of stops) {
  const trip = row.slice(0, row.indexOf(','));
  (stopsByTrip.get(trip) ?? stopsByTrip.set(trip, []).get(trip)).push(row.slice(trip.length));
}
const tripRows = [tripHeader];
const stopRows = [stopHeader];
let count = 0;
for (let copy = 1; count < target; copy++) {
  for (const trip of trips) {
    if (count >= target) break;
    // route_id,service_id,trip_id,trip_headsign,trip_short_name
    const [routeId, serviceId, tripId, headsign, number] = trip.split(',');
    const id = `${copy}${number.padStart(7, '0')}`;
    tripRows.push([routeId, serviceId, id, headsign, id].join(','));
    for (const rest of stopsByTrip.get(tripId) ?? []) stopRows.push(id + rest);
    count += stopsByTrip.get(tripId)?.length ?? 0;
  }
}
writeFileSync(join(out, 'trips.txt'), `${tripRows.join('\n')}\n`);
writeFileSync(join(out, 'stop_times.txt'), `${stopRows.join('\n')}\n`);
rmSync(source, { recursive: true, force: true });
console.log(`${out}: ${tripRows.length - 1} trips, ${stopRows.length - 1} stop_times`);
