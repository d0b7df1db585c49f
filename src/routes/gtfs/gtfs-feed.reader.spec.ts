import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  brokenCopy,
  csvText,
  deleteLines,
  type FeedFiles,
  fixtureFeedPath,
  lineWhere,
  removeFeedFolder,
  setField,
  smallFeed,
  writeFeedFolder,
} from '../../../test/builders/gtfs-feeds.js';
import { RuleViolationError } from '../../common/errors/domain-errors.js';
import type { GtfsFeed } from './gtfs-feed.js';
import { GtfsFeedError, type GtfsProblem } from './gtfs-feed.error.js';
import { platformFromCode, readGtfsFeed } from './gtfs-feed.reader.js';

const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map(removeFeedFolder));
});

/** Writes files to a temporary folder and reads them as a feed. */
async function readFiles(files: FeedFiles): Promise<GtfsFeed> {
  const folder = await writeFeedFolder(files);
  folders.push(folder);
  return readGtfsFeed(folder);
}

/** The problems a feed is rejected with (fails when it is accepted). */
async function problemsOf(read: Promise<unknown>): Promise<readonly GtfsProblem[]> {
  try {
    await read;
  } catch (error) {
    if (error instanceof GtfsFeedError) return error.problems;
    throw error;
  }
  throw new Error('the feed was accepted');
}

async function problemsOfCopy(name: 'lirr' | 'sound-transit', edit: (files: FeedFiles) => void) {
  const folder = await brokenCopy(name, edit);
  folders.push(folder);
  return problemsOf(readGtfsFeed(folder));
}

describe('readGtfsFeed on the LIRR fixture (calendar_dates only, sparse routes, times to 25:21)', () => {
  let feed: GtfsFeed;
  beforeAll(async () => {
    feed = await readGtfsFeed(fixtureFeedPath('lirr'));
  });

  it('has the counts of the fixture README', () => {
    expect(feed.summary()).toEqual({ agencies: 1, stops: 127, stations: 127, routes: 13, trips: 2081, stopTimes: 22_730, services: 40 });
    expect(new Set([...feed.trips.values()].map((trip) => trip.publicNumber)).size).toBe(1777);
  });

  it('takes the time zone from agency.txt and only warns about the invalid feed_timezone in feed_info.txt', () => {
    expect(feed.agencies.get('LI')).toMatchObject({ name: 'Long Island Rail Road', timezone: 'America/New_York', line: 2 });
    expect(feed.feedInfo).toMatchObject({ publisherName: 'Long Island Rail Road', version: 'GO202_26' });
    expect(feed.warnings).toEqual([{ file: 'feed_info.txt', line: 2, field: 'feed_timezone', message: expect.stringContaining('"America/New York" is not an IANA time zone') }]);
  });

  it('gives every route the single agency although routes.txt has no agency_id and no route_short_name', () => {
    const routes = [...feed.routes.values()];
    expect(routes.every((route) => route.agencyId === 'LI' && route.type === 2 && route.shortName === null)).toBe(true);
    expect(feed.routes.get('1')).toMatchObject({ longName: 'Babylon Branch', color: '00985F', line: 2 });
  });

  it('has only stops without parents, each its own station; Belmont Park (24) is not used', () => {
    expect([...feed.stops.values()].every((stop) => stop.locationType === 0 && stop.parentId === null && stop.stationId === stop.id)).toBe(true);
    const used = new Set([...feed.trips.values()].flatMap((trip) => feed.stopTimesOf(trip).map((call) => call.stopId)));
    expect(used.size).toBe(126);
    expect(used.has('24')).toBe(false);
  });

  it('reads train 21 (GO202_26_21) reaching stop 157 at 24:04, minute 4 of the next day', () => {
    const trip = feed.trips.get('GO202_26_21')!;
    expect(trip).toMatchObject({ publicNumber: '21', routeId: '5', serviceId: 'B4CF057A', headsign: 'Jamaica', directionId: 1, shapeId: '98998912W', stopTimeCount: 18 });
    const calls = feed.stopTimesOf(trip);
    expect(calls.map((call) => call.sequence)).toEqual(Array.from({ length: 18 }, (_, index) => index + 1));
    expect(calls[0]).toMatchObject({ stopId: '141', departure: { minuteOfDay: 22 * 60 + 3, dayOffset: 0 } });
    expect(calls[12]).toMatchObject({ stopId: '157', sequence: 13, arrival: { minuteOfDay: 4, dayOffset: 1 }, departure: { minuteOfDay: 4, dayOffset: 1 }, platform: null });
    expect(calls[17]).toMatchObject({ stopId: '102', arrival: { minuteOfDay: 60, dayOffset: 1 } });
    expect(feed.agencyOf(trip).timezone).toBe('America/New_York');
  });

  it('expands calendar_dates into 49 service dates, 2026-09-21 to 2026-11-08, with 632 to 961 trips a day', () => {
    const tripsByDate = new Map<string, number>();
    for (const trip of feed.trips.values()) {
      for (const date of feed.serviceOf(trip).dates()) tripsByDate.set(date, (tripsByDate.get(date) ?? 0) + 1);
    }
    const dates = [...tripsByDate.keys()].sort();
    expect([dates.length, dates[0], dates[dates.length - 1]]).toEqual([49, '2026-09-21', '2026-11-08']);
    expect([Math.min(...tripsByDate.values()), Math.max(...tripsByDate.values())]).toEqual([632, 961]);
    const service = feed.serviceOf(feed.trips.get('GO202_26_21')!);
    expect(service).toMatchObject({ calendar: null, daysKnown: true, dateCount: 30, firstDate: '2026-09-21', lastDate: '2026-11-06', removed: [] });
    expect(service.runsOnDate('2026-09-24')).toBe(true);
    expect(service.runsOnDate('2026-09-22')).toBe(false);
  });

  it('reads every stop time: 2 to 19 per trip, times from 00:00 to 25:21, 590 at or past 24:00 on 98 trips, 1,303 with dwell, 245 with no pickup or drop-off', () => {
    let late = 0;
    let dwell = 0;
    let restricted = 0;
    let latest = 0;
    const lateTrips = new Set<string>();
    const perTrip: number[] = [];
    for (const trip of feed.trips.values()) {
      const calls = feed.stopTimesOf(trip);
      perTrip.push(calls.length);
      for (const call of calls) {
        if (call.arrival!.dayOffset > 0 || call.departure!.dayOffset > 0) {
          late++;
          lateTrips.add(trip.id);
        }
        if (call.arrival!.seconds !== call.departure!.seconds) dwell++;
        if (call.pickupType === 1 || call.dropOffType === 1) restricted++;
        latest = Math.max(latest, call.departure!.seconds);
      }
    }
    expect([Math.min(...perTrip), Math.max(...perTrip)]).toEqual([2, 19]);
    expect([late, lateTrips.size, dwell, restricted]).toEqual([590, 98, 1303, 245]);
    expect(latest).toBe(25 * 3600 + 21 * 60);
  });
});

describe('readGtfsFeed on the Sound Transit fixture (parent stations and platforms, calendar.txt, times to 26:14)', () => {
  let feed: GtfsFeed;
  beforeAll(async () => {
    feed = await readGtfsFeed(fixtureFeedPath('sound-transit'));
  });

  it('has the counts of the fixture README', () => {
    expect(feed.summary()).toEqual({ agencies: 1, stops: 149, stations: 54, routes: 5, trips: 734, stopTimes: 13_314, services: 3 });
    expect(feed.warnings).toEqual([]);
    expect(feed.agencies.get('40')).toMatchObject({ name: 'Sound Transit', timezone: 'America/Los_Angeles' });
  });

  it('has 51 parent stations with 95 platforms, and 3 stops without a parent', () => {
    const stops = [...feed.stops.values()];
    const parents = stops.filter((stop) => stop.locationType === 1);
    expect(parents).toHaveLength(51);
    expect(parents.reduce((sum, station) => sum + station.platforms.length, 0)).toBe(95);
    expect(stops.filter((stop) => stop.locationType === 0 && stop.parentId === null).map((stop) => stop.id)).toEqual(['TL_TD', 'TL_25', 'TL_CS']);
  });

  it('puts platforms 990005 (N11-T1) and 990006 (N11-T2) under Northgate station N11', () => {
    const northgate = feed.stops.get('N11')!;
    expect(northgate).toMatchObject({ name: 'Northgate Station', locationType: 1, stationId: 'N11', parentId: null, lat: 47.703028, lon: -122.32829 });
    expect(northgate.platforms.map((platform) => [platform.id, platform.code, platform.platform])).toEqual([
      ['990005', 'N11-T1', 'T1'],
      ['990006', 'N11-T2', 'T2'],
    ]);
    expect(feed.stationOf('990006')?.id).toBe('N11');
    expect(feed.stops.get('990006')).toMatchObject({ parentId: 'N11', stationId: 'N11', platformCode: null, timezone: 'America/Los_Angeles' });
  });

  it('calls at 38 platforms, two at each of 19 stations', () => {
    const platforms = new Set([...feed.trips.values()].flatMap((trip) => feed.stopTimesOf(trip).map((call) => call.stopId)));
    expect(platforms.size).toBe(38);
    const perStation = new Map<string, number>();
    for (const id of platforms) perStation.set(feed.stationOf(id)!.id, (perStation.get(feed.stationOf(id)!.id) ?? 0) + 1);
    expect(perStation.size).toBe(19);
    expect([...perStation.values()].every((count) => count === 2)).toBe(true);
  });

  it('runs all 734 trips on route 100479; Weekday 272, Saturday 240, Sunday 222 trips, 2023-03-18 to 2023-07-30', () => {
    const trips = [...feed.trips.values()];
    expect(new Set(trips.map((trip) => trip.routeId))).toEqual(new Set(['100479']));
    const count = (serviceId: string) => trips.filter((trip) => trip.serviceId === serviceId).length;
    expect([count('LLR_2023-03-18_Weekday'), count('LLR_2023-03-18_Saturday'), count('LLR_2023-03-18_Sunday')]).toEqual([272, 240, 222]);
    const weekday = feed.services.get('LLR_2023-03-18_Weekday')!;
    expect(weekday.calendar).toEqual({ line: expect.any(Number), runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startDate: '2023-03-18', endDate: '2023-07-30' });
    expect([weekday.dateCount, weekday.firstDate, weekday.lastDate]).toEqual([95, '2023-03-20', '2023-07-28']);
    expect([feed.services.get('LLR_2023-03-18_Saturday')!.firstDate, feed.services.get('LLR_2023-03-18_Sunday')!.lastDate]).toEqual(['2023-03-18', '2023-07-30']);
    expect(weekday.runsOnDate('2023-05-10')).toBe(true);
    expect(weekday.runsOnDate('2023-07-31')).toBe(false);
  });

  it('reads Weekday 1043 from Angle Lake at 09:56 to Northgate platform T2, every stop 30 s between arrival and departure', () => {
    const trip = feed.trips.get('LLR_2023-03-18_Weekday_100479_1043')!;
    expect(trip).toMatchObject({ headsign: 'Northgate', directionId: 1, blockId: '599-1', shortName: 'Angle Lake to Northgate', stopTimeCount: 19 });
    const calls = feed.stopTimesOf(trip);
    expect(calls[0]).toMatchObject({ stopId: '99914', departure: { seconds: 9 * 3600 + 56 * 60, minuteOfDay: 596, dayOffset: 0 } });
    expect(calls[18]).toMatchObject({ stopId: '990006', sequence: 19, arrival: { seconds: 10 * 3600 + 52 * 60 + 30, minuteOfDay: 652 }, platform: 'T2' });
    expect(calls.every((call) => call.departure!.seconds - call.arrival!.seconds === 30)).toBe(true);
  });

  it('reads times up to 26:14:00: 424 at or past 24:00 on 42 trips', () => {
    let late = 0;
    const lateTrips = new Set<string>();
    for (const trip of feed.trips.values()) {
      for (const call of feed.stopTimesOf(trip)) {
        if (call.arrival!.dayOffset > 0 || call.departure!.dayOffset > 0) {
          late++;
          lateTrips.add(trip.id);
        }
      }
    }
    expect([late, lateTrips.size]).toEqual([424, 42]);
    const call = feed.stopTimesOf('LLR_2023-03-18_Saturday_100479_1122').find((stop) => stop.sequence === 10);
    expect(call?.departure).toEqual({ seconds: 26 * 3600 + 14 * 60, minuteOfDay: 134, dayOffset: 1 });
  });
});

describe('readGtfsFeed on broken copies: every problem names file, line and field', () => {
  it('names a missing required file, and a feed without calendar.txt and calendar_dates.txt', async () => {
    const problems = await problemsOfCopy('sound-transit', (files) => {
      files.delete('stop_times.txt');
      files.delete('calendar.txt');
      files.delete('calendar_dates.txt');
    });
    expect(problems).toEqual([
      { file: 'stop_times.txt', line: null, field: null, message: 'required file is missing' },
      { file: 'calendar.txt', line: null, field: null, message: expect.stringContaining('calendar.txt and calendar_dates.txt are both missing') },
    ]);
  });

  it('accepts a feed with calendar.txt but no calendar_dates.txt', async () => {
    const folder = await brokenCopy('sound-transit', (files) => files.delete('calendar_dates.txt'));
    folders.push(folder);
    expect((await readGtfsFeed(folder)).trips.size).toBe(734);
  });

  it('names a bad time, a bad date, a dangling route_id, trip_id and stop_id, all in one report', async () => {
    let lines: Record<string, number> = {};
    const problems = await problemsOfCopy('lirr', (files) => {
      lines = {
        time: lineWhere(files, 'stop_times.txt', 'trip_id', 'GO202_26_21') + 12,
        date: lineWhere(files, 'calendar_dates.txt', 'service_id', 'B4CF057A'),
        route: lineWhere(files, 'trips.txt', 'trip_id', 'GO202_26_21'),
        trip: lineWhere(files, 'stop_times.txt', 'trip_id', 'GO202_26_2'),
        stop: lineWhere(files, 'stop_times.txt', 'trip_id', 'GO202_26_2') + 1,
      };
      setField(files, 'stop_times.txt', lines.time, 'arrival_time', '24:6O:00');
      setField(files, 'calendar_dates.txt', lines.date, 'date', '20260931');
      setField(files, 'trips.txt', lines.route, 'route_id', '99');
      setField(files, 'stop_times.txt', lines.trip, 'trip_id', 'NO_SUCH_TRIP');
      setField(files, 'stop_times.txt', lines.stop, 'stop_id', '9999');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'stop_times.txt', line: lines.time, field: 'arrival_time', message: '"24:6O:00" is not a time (H:MM:SS or HH:MM:SS)' },
        { file: 'calendar_dates.txt', line: lines.date, field: 'date', message: '"20260931" is not a YYYYMMDD date' },
        { file: 'trips.txt', line: lines.route, field: 'route_id', message: '"99" is not a route_id in routes.txt' },
        { file: 'stop_times.txt', line: lines.trip, field: 'trip_id', message: '"NO_SUCH_TRIP" is not a trip_id in trips.txt' },
        { file: 'stop_times.txt', line: lines.stop, field: 'stop_id', message: '"9999" is not a stop_id in stops.txt' },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('names a repeated stop_sequence and a time running backwards within a trip', async () => {
    let first = 0;
    const problems = await problemsOfCopy('sound-transit', (files) => {
      first = lineWhere(files, 'stop_times.txt', 'trip_id', 'LLR_2023-03-18_Weekday_100479_1043');
      setField(files, 'stop_times.txt', first + 4, 'stop_sequence', '4');
      setField(files, 'stop_times.txt', first + 10, 'arrival_time', '10:20:00');
    });
    expect(problems).toEqual([
      { file: 'stop_times.txt', line: first + 4, field: 'stop_sequence', message: expect.stringMatching(new RegExp(`^4 repeats line ${first + 3} of trip "LLR_2023-03-18_Weekday_100479_1043"`)) },
      { file: 'stop_times.txt', line: first + 10, field: 'arrival_time', message: expect.stringContaining(`10:20:00 is earlier than 10:30:00 on line ${first + 9}`) },
    ]);
  });

  it('names a dangling service_id, parent_station and agency_id, and a bad agency_timezone', async () => {
    const problems = await problemsOfCopy('sound-transit', (files) => {
      setField(files, 'trips.txt', 2, 'service_id', 'Holiday');
      setField(files, 'stops.txt', lineWhere(files, 'stops.txt', 'stop_id', '990005'), 'parent_station', 'N99');
      setField(files, 'routes.txt', 2, 'agency_id', '41');
      setField(files, 'agency.txt', 2, 'agency_timezone', 'America/Seattle');
    });
    expect(problems.map(({ file, field }) => `${file} ${field}`).sort()).toEqual(['agency.txt agency_timezone', 'routes.txt agency_id', 'stops.txt parent_station', 'trips.txt service_id']);
    expect(problems.find((problem) => problem.file === 'agency.txt')).toEqual({ file: 'agency.txt', line: 2, field: 'agency_timezone', message: '"America/Seattle" is not an IANA time zone' });
  });

  it('names a missing required column and a row with the wrong number of fields', async () => {
    const problems = await problemsOfCopy('lirr', (files) => {
      files.set('routes.txt', files.get('routes.txt')!.replace('route_type', 'routetype'));
      files.set('stops.txt', files.get('stops.txt')!.replace('\r\n100,ISP,Islip,', '\r\n100,ISP,Islip,,'));
    });
    expect(problems.slice(0, 2)).toEqual([
      { file: 'stops.txt', line: 3, field: null, message: 'has 8 fields where the header has 7' },
      { file: 'routes.txt', line: 1, field: 'route_type', message: 'required column is missing from the header' },
    ]);
    // routes.txt is skipped, which leaves the trips without their routes.
    expect(problems.slice(2).every((problem) => problem.file === 'trips.txt' && problem.field === 'route_id')).toBe(true);
  });

  it('names bad calendar fields and a stop_time at a station instead of a platform', async () => {
    const problems = await problemsOfCopy('sound-transit', (files) => {
      setField(files, 'calendar.txt', 2, 'saturday', 'yes');
      setField(files, 'calendar.txt', 3, 'end_date', '20230101');
      setField(files, 'stop_times.txt', 2, 'stop_id', 'N11');
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'calendar.txt', line: 2, field: 'saturday', message: '"yes" is not 0 or 1' },
        { file: 'calendar.txt', line: 3, field: 'end_date', message: '20230101 is before start_date 20230318' },
        { file: 'stop_times.txt', line: 2, field: 'stop_id', message: expect.stringContaining('"N11" has location_type 1') },
      ]),
    );
  });

  it('lists at most maxProblems errors and counts the rest', async () => {
    const folder = await brokenCopy('lirr', (files) => files.set('trips.txt', files.get('trips.txt')!.replaceAll('\r\n5,', '\r\n55,')));
    folders.push(folder);
    const error = (await readGtfsFeed(folder, { maxProblems: 10 }).catch((caught: unknown) => caught)) as GtfsFeedError;
    expect(error).toBeInstanceOf(GtfsFeedError);
    expect(error.problems).toHaveLength(10);
    expect(error.omitted).toBeGreaterThan(100);
    expect(error.code).toBe('GTFS_FEED_INVALID');
    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error.message).toMatch(/^The GTFS feed has \d+ errors:\n {2}trips\.txt line \d+, route_id: "55" is not a route_id in routes\.txt/);
  });

  it('rejects a path that is neither a zip nor a folder of a feed', async () => {
    const folder = await writeFeedFolder(new Map([['notes.txt', 'hello']]));
    folders.push(folder);
    const problems = await problemsOf(readGtfsFeed(`${folder}/notes.txt`));
    expect(problems).toEqual([{ file: 'notes.txt', line: null, field: null, message: expect.stringContaining('cannot be read as a GTFS zip or folder') }]);
  });
});

describe('readGtfsFeed on what real feeds do', () => {
  it('reads a folder as well as a zip, with stations, platforms, service dates and times past midnight', async () => {
    const feed = await readFiles(smallFeed());
    expect(feed.stations.map((stop) => stop.id)).toEqual(['S1', 'S2', 'S3']);
    expect(feed.stops.get('S1')!.platforms.map((platform) => [platform.id, platform.platform])).toEqual([
      ['S1-1', '1'],
      ['S1-2', '2'],
    ]);
    expect(feed.trips.get('T1')).toMatchObject({ publicNumber: '101', agencyId: 'A', stopTimeCount: 3 });
    expect(feed.trips.get('T2')).toMatchObject({ publicNumber: 'T2', shortName: null });
    expect(feed.stopTimesOf('T1').map((call) => [call.stopId, call.arrival?.minuteOfDay, call.arrival?.dayOffset, call.departure?.minuteOfDay, call.platform, call.distanceTraveled])).toEqual([
      ['S1-1', 1430, 0, 1430, '1', 0],
      ['S2', 30, 1, 32, null, 12.5],
      ['S3', 70, 1, 70, null, 30],
    ]);
    expect(feed.stopTimesOf('T2')[0].departure).toEqual({ seconds: 21_900, minuteOfDay: 365, dayOffset: 0 });
    expect(feed.services.get('WK')!.dates()).toEqual(['2026-01-05', '2026-01-06', '2026-01-08', '2026-01-09', '2026-01-10', '2026-01-12', '2026-01-13', '2026-01-14', '2026-01-15', '2026-01-16']);
  });

  it('strips a UTF-8 byte order mark and reads CRLF line endings', async () => {
    const files = smallFeed();
    for (const [file, text] of files) files.set(file, `\ufeff${text.replaceAll('\n', '\r\n')}`);
    const feed = await readFiles(files);
    expect(feed.agencies.get('A')?.timezone).toBe('Europe/Berlin');
    expect(feed.stopTimeCount).toBe(5);
  });

  it('counts lines across quoted line breaks and blank lines, so a later error names its real line', async () => {
    const files = smallFeed();
    files.set(
      'stops.txt',
      [
        'stop_id,stop_name,stop_desc,stop_lat,stop_lon,location_type,parent_station,platform_code',
        'S1,Station One,"Two lines,\r\nof description",50.1,8.6,1,,',
        '',
        'S1-1,Station One,,50.1,8.6,0,S1,1',
        'S1-2,Station One,,50.1,8.6,0,S1,2',
        'S2,Stop Two,,north,8.7,,,',
        'S3,Stop Three,,50.3,8.8,0,,',
      ].join('\r\n'),
    );
    const problems = await problemsOf(readFiles(files));
    expect(problems).toEqual([{ file: 'stops.txt', line: 7, field: 'stop_lat', message: '"north" is not a coordinate between -90 and 90' }]);
  });

  it('takes a stop time platform from a track column (MTA) before the stop platform_code, and ignores other extra columns', async () => {
    const files = smallFeed();
    files.set(
      'stop_times.txt',
      csvText(
        ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence', 'track', 'note'],
        [
          ['T1', '23:50:00', '23:50:00', 'S1-1', '1', '4A', 'x'],
          ['T1', '24:30:00', '24:32:00', 'S2', '2', '', 'y'],
          ['T2', '06:05:00', '06:05:00', 'S3', '1', '', ''],
          ['T2', '06:40:00', '06:40:00', 'S1-2', '2', '', ''],
        ],
      ),
    );
    const feed = await readFiles(files);
    expect(feed.stopTimesOf('T1').map((call) => call.platform)).toEqual(['4A', null]);
    expect(feed.stopTimesOf('T2').map((call) => call.platform)).toEqual([null, '2']);
  });

  it('orders stop_times by stop_sequence when the file does not, and allows gaps in the sequence', async () => {
    const files = smallFeed();
    files.set(
      'stop_times.txt',
      csvText(
        ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'],
        [
          ['T2', '06:40:00', '06:40:00', 'S1-2', '20'],
          ['T1', '25:10:00', '25:10:00', 'S3', '30'],
          ['T1', '23:50:00', '23:50:00', 'S1-1', '10'],
          ['T2', '06:05:00', '06:05:00', 'S3', '10'],
          ['T1', '', '', 'S2', '20'],
        ],
      ),
    );
    const feed = await readFiles(files);
    expect(feed.stopTimesOf('T1').map((call) => [call.sequence, call.stopId, call.line, call.arrival?.minuteOfDay ?? null])).toEqual([
      [10, 'S1-1', 4, 1430],
      [20, 'S2', 6, null],
      [30, 'S3', 3, 70],
    ]);
  });

  it('reads a service from calendar_dates alone, and warns about a trip with a single stop time', async () => {
    const files = smallFeed();
    files.delete('calendar.txt');
    deleteLines(files, 'stop_times.txt', 6);
    const feed = await readFiles(files);
    expect(feed.services.get('WK')).toMatchObject({ calendar: null, added: ['2026-01-10'], removed: ['2026-01-07'], dateCount: 1 });
    expect(feed.warnings).toEqual([{ file: 'trips.txt', line: 3, field: 'trip_id', message: 'trip "T2" has 1 stop_times' }]);
  });

  it('marks the DAYS_UNKNOWN service as daysKnown false', async () => {
    const files = smallFeed();
    files.set('calendar.txt', `${files.get('calendar.txt')}DAYS_UNKNOWN,1,1,1,1,1,1,1,20260101,20261231\n`);
    setField(files, 'trips.txt', 3, 'service_id', 'DAYS_UNKNOWN');
    const feed = await readFiles(files);
    expect(feed.serviceOf(feed.trips.get('T2')!)).toMatchObject({ daysKnown: false, dateCount: 365 });
    expect(feed.serviceOf(feed.trips.get('T1')!).daysKnown).toBe(true);
  });

  it('needs agency_id when there are several agencies', async () => {
    const files = smallFeed();
    files.set('agency.txt', csvText(['agency_name', 'agency_url', 'agency_timezone'], [['A', 'https://a.example', 'Europe/Berlin'], ['B', 'https://b.example', 'Europe/Berlin']]));
    const problems = await problemsOf(readFiles(files));
    expect(problems).toContainEqual({ file: 'agency.txt', line: 3, field: 'agency_id', message: 'is required when a feed has several agencies' });
  });
});

describe('platformFromCode', () => {
  it.each([
    ['N11-T1', 'N11', 'T1'],
    ['C03_2', 'C03', '2'],
    ['N11T1', 'N11', null],
    ['990005', 'N11', null],
    [null, 'N11', null],
    ['N11-', 'N11', null],
  ])('%s under %s is %s', (code, station, expected) => {
    expect(platformFromCode(code, station)).toBe(expected);
  });
});
