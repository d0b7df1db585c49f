import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { writeDeterministicZip } from '../gtfs-zip.writer.js';
import { buildIndiaGtfs, type IndiaGtfs, type IndiaSources } from './india-gtfs.js';

/** Where the committed sources and feed live, relative to the repository root. */
export const INDIA_SOURCE_DIR = 'catalog/india/source';
export const INDIA_FEED_PATH = 'catalog/india/gtfs.zip';

/** Reads the three gzipped sources of catalog/india/source. */
export async function readIndiaSources(directory = INDIA_SOURCE_DIR): Promise<IndiaSources> {
  const gunzip = async (file: string) => gunzipSync(await readFile(join(directory, file)));
  const [timetableCsv, stations, runningDays] = await Promise.all([
    gunzip('Train_details_22122017.csv.gz'),
    gunzip('datameet-stations.json.gz'),
    gunzip('running-days-trains_dict.json.gz'),
  ]);
  return { timetableCsv, stations: JSON.parse(stations.toString('utf8')), runningDays: JSON.parse(runningDays.toString('utf8')) };
}

/** `npm run india:gtfs [-- <source dir> <output zip>]`: converts the sources and writes the feed. */
export async function convertIndiaToGtfs(args: readonly string[]): Promise<string[]> {
  const [sourceDir = INDIA_SOURCE_DIR, output = INDIA_FEED_PATH] = args;
  const feed: IndiaGtfs = buildIndiaGtfs(await readIndiaSources(sourceDir));
  await writeDeterministicZip(output, feed.files);
  const s = feed.summary;
  return [
    `Wrote ${output}: ${s.trains} trains, ${s.stopTimes} stop_times, ${s.stations} stations (${s.stationsWithCoordinates} with coordinates).`,
    `Station names from DataMeet ${s.stationNamesFrom.datameet}, source/destination columns ${s.stationNamesFrom.endpointColumns}, the timetable's 12-character names ${s.stationNamesFrom.timetable}.`,
    `Days of operation known for ${s.trainsWithRunningDays} trains; the other ${s.trains - s.trainsWithRunningDays} run under service DAYS_UNKNOWN.`,
    `${s.trainsCrossingMidnight} trains cross midnight; the longest journey spans ${s.longestJourneyDays} days.`,
    ...s.repairs.map((repair) => `Repaired ${repair}`),
  ];
}
