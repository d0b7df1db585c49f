import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  dataMeetStation,
  indiaFeedPath,
  indianTimetableCsv,
  readFeedFiles,
  removeFeedFolder,
  runningDaysEntry,
  writeFeedFolder,
} from '../../../../test/builders/gtfs-feeds.js';
import type { GtfsFeed } from '../gtfs-feed.js';
import { readGtfsFeed } from '../gtfs-feed.reader.js';
import { writeDeterministicZip } from '../gtfs-zip.writer.js';
import { readIndiaSources } from './india-gtfs.command.js';
import { buildIndiaGtfs, type IndiaSources } from './india-gtfs.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map(removeFeedFolder));
});

/** Three trains: 12951 (days known), 00107 (number known, route changed since), 35015 (not in the running-days file). */
const sources = (): IndiaSources => ({
  timetableCsv: indianTimetableCsv([
    ['107', 'SWV-MAO-VLNK', 1, 'SWV', 'SAWANTWADI R', '00:00:00', '10:25:00', 0, 'SWV', 'SAWANTWADI ROAD', 'MAO', 'MADGOAN JN.'],
    ['107', 'SWV-MAO-VLNK', 2, 'MAO', 'MADGOAN JN.', '12:10:00', '00:00:00', 78, 'SWV', 'SAWANTWADI ROAD', 'MAO', 'MADGOAN JN.'],
    ['12951', 'MUMBAI RAJDH', 1, 'CSMT', 'C SHIVAJI MA', '17:00:00', '17:00:00', 0, 'CSMT', 'CST-MUMBAI', 'NDLS', 'NEW DELHI'],
    ['12951', 'MUMBAI RAJDH', 2, 'BLP', 'BALRAMPUR,', '23:55:00', '00:00:00', 700, 'CSMT', 'CST-MUMBAI', 'NDLS', 'NEW DELHI'],
    ['12951', 'MUMBAI RAJDH', 3, 'NDLS', 'NEW DELHI', '08:35:00', '08:35:00', 1373, 'CSMT', 'CST-MUMBAI', 'NDLS', 'NEW DELHI'],
    ['35015', '`BWN BGNA LO', 1, 'BWN', 'BARDDHAMAN', '00:00:00', '07:25:00', 0, 'BWN', 'BARDDHAMAN', 'BGNA', 'BALGONA'],
    ['35015', '`BWN BGNA LO', 2, 'XYZ', 'SOME  HALT', '07:40:00', '07:41:00', 20, 'BWN', 'BARDDHAMAN', 'BGNA', 'BALGONA'],
    ['35015', '`BWN BGNA LO', 3, 'BGNA', 'BALGONA', '08:00:00', '00:00:00', 35, 'BWN', 'BARDDHAMAN', 'BGNA', 'BALGONA'],
  ]),
  stations: {
    features: [
      dataMeetStation('CSTM', 'MUMBAI CST', [72.8369, 18.9444]),
      dataMeetStation('NDLS', 'NEW DELHI', [77.2200041, 28.642314000000002]),
      dataMeetStation('BLP', 'Balrampur', [82.16067, 27.415821]),
      dataMeetStation('SWV', 'SAWANTWADI ROAD', null),
      dataMeetStation('BGNA', 'BGNA', [88.0, 23.2]),
    ],
  },
  runningDays: {
    '12951': runningDaysEntry('MUMBAI RAJDHANI', ['CSMT', 'BLP', 'NDLS'], ['mon', 'thu']),
    '00107': runningDaysEntry('SWV MAO PASSENGER', ['SWV', 'KRMI'], ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  },
});

describe('buildIndiaGtfs on small inputs', () => {
  let feed: GtfsFeed;
  beforeAll(async () => {
    const folder = await writeFeedFolder(new Map(buildIndiaGtfs(sources(), { startDate: '20260101', endDate: '20261231' }).files));
    folders.push(folder);
    feed = await readGtfsFeed(folder);
  });

  it('makes one agency, Indian Railways in Asia/Kolkata, and a route and trip per train under its 5-digit number', () => {
    expect([...feed.agencies.values()]).toEqual([expect.objectContaining({ id: 'IR', name: 'Indian Railways', timezone: 'Asia/Kolkata' })]);
    expect([...feed.trips.keys()]).toEqual(['00107', '12951', '35015']);
    expect(feed.trips.get('00107')).toMatchObject({ publicNumber: '00107', routeId: '00107', headsign: 'Madgoan Jn.' });
    expect(feed.routes.get('00107')).toMatchObject({ shortName: '00107', type: 2, agencyId: 'IR' });
  });

  it('uses the running days where number and end stations match, with their full train name', () => {
    expect(feed.trips.get('12951')!.serviceId).toBe('RUNS_MON_THU');
    expect(feed.serviceOf(feed.trips.get('12951')!)).toMatchObject({ daysKnown: true, calendar: { runsOn: ['MON', 'THU'], startDate: '2026-01-01', endDate: '2026-12-31' } });
    expect(feed.routes.get('12951')!.longName).toBe('Mumbai Rajdhani');
  });

  it('invents no days where the route changed or the train is unknown: service DAYS_UNKNOWN, every day, daysKnown false', () => {
    for (const number of ['00107', '35015']) {
      const service = feed.serviceOf(feed.trips.get(number)!);
      expect(service).toMatchObject({ id: 'DAYS_UNKNOWN', daysKnown: false, dateCount: 365 });
    }
    expect(feed.routes.get('00107')!.longName).toBe('SWV-MAO-VLNK');
    expect(feed.routes.get('35015')!.longName).toBe('BWN BGNA Lo');
  });

  it('names stations from DataMeet (through the CSMT alias), else the source/destination columns, else the 12-character name', () => {
    const names = Object.fromEntries([...feed.stops.values()].map((stop) => [stop.id, stop.name]));
    expect(names).toEqual({
      BGNA: 'Balgona', // DataMeet only repeats the code: the destination column's name
      BLP: 'Balrampur',
      BWN: 'Barddhaman', // not in DataMeet: the source column's name
      CSMT: 'Mumbai CST', // DataMeet has it as CSTM
      MAO: 'Madgoan Jn.',
      NDLS: 'New Delhi',
      SWV: 'Sawantwadi Road',
      XYZ: 'Some Halt', // nowhere else: the cut name, cleaned
    });
  });

  it('takes coordinates from DataMeet, rounded to 6 decimals, and leaves them empty where DataMeet has none', () => {
    expect(feed.stops.get('CSMT')).toMatchObject({ lat: 18.9444, lon: 72.8369 });
    expect(feed.stops.get('NDLS')).toMatchObject({ lat: 28.642314, lon: 77.220004 });
    expect(feed.stops.get('SWV')).toMatchObject({ lat: null, lon: null });
    expect(feed.warnings).toEqual([expect.objectContaining({ file: 'stops.txt', field: 'stop_lat', message: expect.stringContaining('4 stops have no stop_lat/stop_lon') })]);
  });

  it('writes times with day offsets, both times at both ends, and distances as shape_dist_traveled in km', () => {
    expect(feed.stopTimesOf('12951').map((call) => [call.stopId, call.arrival, call.departure, call.distanceTraveled])).toEqual([
      ['CSMT', { seconds: 61_200, minuteOfDay: 1020, dayOffset: 0 }, { seconds: 61_200, minuteOfDay: 1020, dayOffset: 0 }, 0],
      ['BLP', { seconds: 86_100, minuteOfDay: 1435, dayOffset: 0 }, { seconds: 86_400, minuteOfDay: 0, dayOffset: 1 }, 700],
      ['NDLS', { seconds: 117_300, minuteOfDay: 515, dayOffset: 1 }, { seconds: 117_300, minuteOfDay: 515, dayOffset: 1 }, 1373],
    ]);
    expect(feed.stopTimesOf('00107')[0]).toMatchObject({ arrival: { minuteOfDay: 625 }, departure: { minuteOfDay: 625 } });
  });

  it('gives the same text every time', () => {
    expect(buildIndiaGtfs(sources()).files).toEqual(buildIndiaGtfs(sources()).files);
  });
});

describe('the committed Indian feed (catalog/india/gtfs.zip)', () => {
  let feed: GtfsFeed;
  beforeAll(async () => {
    feed = await readGtfsFeed(indiaFeedPath());
  }, 60_000);

  it('reads cleanly with the counts of the source README', () => {
    expect(feed.summary()).toEqual({ agencies: 1, stops: 8148, stations: 8148, routes: 11_112, trips: 11_112, stopTimes: 186_119, services: 99 });
    expect(feed.warnings).toEqual([expect.objectContaining({ file: 'stops.txt', message: expect.stringContaining('508 stops have no stop_lat/stop_lon') })]);
  });

  it('knows the days of 1,696 trains (number and end stations match) and marks the other 9,416 days-unknown', () => {
    const known = [...feed.trips.values()].filter((trip) => feed.serviceOf(trip).daysKnown).length;
    expect([known, feed.trips.size - known]).toEqual([1696, 9416]);
    expect(feed.services.get('DAYS_UNKNOWN')).toMatchObject({ daysKnown: false, calendar: { runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], startDate: '2025-01-01', endDate: '2030-12-31' } });
  });

  it('has 2,548 trains crossing midnight, and 00290 (Palace on Wheels) running into its eighth day', () => {
    const crossing = [...feed.trips.values()].filter((trip) => feed.stopTimesOf(trip).at(-1)!.arrival!.dayOffset > 0).length;
    expect(crossing).toBe(2548);
    const palace = feed.stopTimesOf('00290');
    expect([palace[0].stopId, palace.at(-1)!.stopId, palace.at(-1)!.arrival!.dayOffset]).toEqual(['DSJ', 'DSJ', 7]);
  });

  it('repairs the one typo that would make a train a day late: 13287 leaves JOC at 22:41, not 23:43, and reaches RJPB the next day', () => {
    const calls = feed.stopTimesOf('13287');
    expect(calls.find((call) => call.stopId === 'JOC')).toMatchObject({ arrival: { minuteOfDay: 22 * 60 + 41 }, departure: { minuteOfDay: 22 * 60 + 41, dayOffset: 0 } });
    expect(calls.find((call) => call.stopId === 'BURN')).toMatchObject({ arrival: { minuteOfDay: 23 * 60 + 17, dayOffset: 0 } });
    expect(calls.at(-1)).toMatchObject({ stopId: 'RJPB', arrival: { dayOffset: 1 } });
  });

  it('has 12951 from Mumbai Central at 17:00 to New Delhi at 08:35 the next day', () => {
    const calls = feed.stopTimesOf('12951');
    expect(calls[0]).toMatchObject({ stopId: 'BCT', departure: { minuteOfDay: 1020, dayOffset: 0 }, distanceTraveled: 0 });
    expect(calls.at(-1)).toMatchObject({ stopId: 'NDLS', arrival: { minuteOfDay: 515, dayOffset: 1 }, distanceTraveled: 1373 });
    expect([feed.stops.get('BCT')!.name, feed.stops.get('NDLS')!.name, feed.stops.get('CSMT')!.lat]).toEqual(['Mumbai Central', 'New Delhi', 18.944481]);
  });

  it('holds exactly what the committed sources convert to', async () => {
    const fresh = new Map(buildIndiaGtfs(await readIndiaSources()).files);
    const committed = await readFeedFiles(indiaFeedPath());
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [file, text] of fresh) expect({ file, same: committed.get(file) === text }).toEqual({ file, same: true });
  }, 60_000);

  it('is written byte for byte the same on every run', async () => {
    const folder = await writeFeedFolder(new Map());
    folders.push(folder);
    const files = buildIndiaGtfs(sources()).files;
    await writeDeterministicZip(join(folder, 'a.zip'), files);
    await writeDeterministicZip(join(folder, 'b.zip'), files);
    expect((await readFile(join(folder, 'a.zip'))).equals(await readFile(join(folder, 'b.zip')))).toBe(true);
    expect(new Map((await readFeedFiles(join(folder, 'a.zip'))).entries())).toEqual(new Map(files));
  });
});
