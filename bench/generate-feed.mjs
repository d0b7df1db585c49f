// A generated GTFS feed of a given number of stop_times, for the import benchmark (issue #12
// part 6): about the size of a large commuter railway at 600,000. Written as a folder (the
// import reads folders as it reads zips): 1,000 stations on a line, trips of 30 stops each
// running back and forth along it at different hours, every day of 2026. Deterministic: the same
// size gives the same files.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

const STATIONS = 1000;
const STOPS_PER_TRIP = 30;

const hhmmss = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;

/**
 * @param {string} dir folder to write (created)
 * @param {number} stopTimes rows of stop_times.txt (rounded down to whole trips)
 * @returns {Promise<{ trips: number, stopTimes: number }>}
 */
export async function generateFeed(dir, stopTimes) {
  mkdirSync(dir, { recursive: true });
  const trips = Math.floor(stopTimes / STOPS_PER_TRIP);
  writeFileSync(join(dir, 'agency.txt'), 'agency_id,agency_name,agency_url,agency_timezone\nBX,Bench Rail,https://example.com,Europe/Berlin\n');
  const stops = ['stop_id,stop_code,stop_name,stop_lat,stop_lon'];
  for (let s = 0; s < STATIONS; s++) stops.push(`S${s},S${s},Bench Station ${s},${(48 + s / 1000).toFixed(5)},${(11 + s / 1000).toFixed(5)}`);
  writeFileSync(join(dir, 'stops.txt'), `${stops.join('\n')}\n`);
  writeFileSync(join(dir, 'routes.txt'), 'route_id,agency_id,route_short_name,route_long_name,route_type\nL1,BX,L1,Bench Line,2\n');
  writeFileSync(join(dir, 'calendar.txt'), 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nDAILY,1,1,1,1,1,1,1,20260101,20261231\n');
  const tripLines = ['route_id,service_id,trip_id,trip_short_name'];
  for (let t = 0; t < trips; t++) tripLines.push(`L1,DAILY,T${t},${100000 + t}`);
  writeFileSync(join(dir, 'trips.txt'), `${tripLines.join('\n')}\n`);

  const out = createWriteStream(join(dir, 'stop_times.txt'));
  const write = async (text) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('trip_id,arrival_time,departure_time,stop_id,stop_sequence\n');
  for (let t = 0; t < trips; t++) {
    const first = (t * 7) % (STATIONS - STOPS_PER_TRIP);
    const start = 300 + (t % 1080); // 05:00 to 22:59
    let chunk = '';
    for (let i = 0; i < STOPS_PER_TRIP; i++) {
      const station = t % 2 === 0 ? first + i : first + STOPS_PER_TRIP - 1 - i;
      const arrive = start + i * 4;
      chunk += `T${t},${hhmmss(arrive)},${hhmmss(arrive + 1)},S${station},${i + 1}\n`;
    }
    await write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return { trips, stopTimes: trips * STOPS_PER_TRIP };
}

// `node bench/generate-feed.mjs <out-dir> [stop_times]` writes the feed for a measurement by hand
// (`npm run import:gtfs -- <out-dir>`); npm run bench imports it itself (catalog-at-size.mjs).
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [dir, stopTimes = '600000'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: node bench/generate-feed.mjs <out-dir> [stop_times]');
  console.log(await generateFeed(dir, Number(stopTimes)));
}
