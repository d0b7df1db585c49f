import { afterEach, describe, expect, it } from '@jest/globals';
import { csvText, type FeedFiles, removeFeedFolder, setField, smallFeed, writeFeedFolder } from '../../../../test/builders/gtfs-feeds.js';
import { readGtfsFeed } from '../gtfs-feed.reader.js';
import { applyNumberRules, planCatalog, slugOf, trainTypeOf } from './gtfs-catalog.plan.js';
import { DEFAULT_IMPORT_RULES, type GtfsImportRules } from './gtfs-import.model.js';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map(removeFeedFolder));
});

/** The small feed's T2 has no trip_short_name: its number is read from trip_id `T2`. */
const RULES: GtfsImportRules = { ...DEFAULT_IMPORT_RULES, numberRules: [{ pattern: /^T(\d+)$/, template: '$1' }] };

async function plan(files: FeedFiles = smallFeed(), rules: GtfsImportRules = RULES) {
  const folder = await writeFeedFolder(files);
  folders.push(folder);
  return planCatalog(await readGtfsFeed(folder), rules);
}

describe('planCatalog', () => {
  it('plans stations with their platforms, and trains with one stop pattern per trip', async () => {
    const { plan: catalog, problems } = await plan();
    expect(problems).toEqual([]);
    expect(catalog.feed).toEqual({ code: 'agency-a', name: 'Agency A', version: null });
    expect(catalog.agencies).toEqual([{ gtfsId: 'A', name: 'Agency A', url: 'https://example.org', timeZone: 'Europe/Berlin' }]);
    expect(catalog.stations.map(({ gtfsId, code, name }) => ({ gtfsId, code, name }))).toEqual([
      { gtfsId: 'S1', code: 'S1', name: 'Station One' },
      { gtfsId: 'S2', code: 'S2', name: 'Stop Two' },
      { gtfsId: 'S3', code: 'S3', name: 'Stop Three' },
    ]);
    expect(catalog.platforms).toEqual([
      { stationGtfsId: 'S1', gtfsId: 'S1-1', name: '1', latitude: 50.1, longitude: 8.6 },
      { stationGtfsId: 'S1', gtfsId: 'S1-2', name: '2', latitude: 50.1, longitude: 8.6 },
    ]);
    const [t1, t2] = catalog.trains;
    expect(t1).toMatchObject({ number: '101', name: 'One to Three', type: 'RAIL', timeZone: 'Europe/Berlin', agencyGtfsId: 'A', runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], daysKnown: true });
    expect(t2.number).toBe('2');
    expect(t1.patterns).toHaveLength(1);
  });

  it('stores times as minute of day and day offset, the origin without arrival and the destination without departure', async () => {
    const [t1] = (await plan()).plan.trains;
    // gtfsStopId / gtfsStopSequence: what a realtime feed names each call by (the platform stop S1-1 where the trip calls at one).
    expect(t1.patterns[0].stops).toEqual([
      { stationGtfsId: 'S1', sequence: 1, arrivalMinute: null, arrivalDay: null, departureMinute: 1430, departureDay: 0, distanceKm: 0, platform: '1', gtfsStopId: 'S1-1', gtfsStopSequence: 1 },
      { stationGtfsId: 'S2', sequence: 2, arrivalMinute: 30, arrivalDay: 1, departureMinute: 32, departureDay: 1, distanceKm: 13, platform: null, gtfsStopId: 'S2', gtfsStopSequence: 2 },
      { stationGtfsId: 'S3', sequence: 3, arrivalMinute: 70, arrivalDay: 1, departureMinute: null, departureDay: null, distanceKm: 30, platform: null, gtfsStopId: 'S3', gtfsStopSequence: 3 },
    ]);
    expect(t1.patterns[0].gtfsDayShift).toBe(0);
  });

  it('keeps the service calendar: weekday rule, range, added and removed dates', async () => {
    const [t1] = (await plan()).plan.trains;
    expect(t1.patterns[0].calendar).toEqual({
      runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'],
      validFrom: '2026-01-05',
      validTo: '2026-01-18',
      addedDates: ['2026-01-10'],
      removedDates: ['2026-01-07'],
      daysKnown: true,
    });
  });

  it('counts days from the day a train leaves its origin: a trip leaving after 24:00 moves to the next date', async () => {
    const files = smallFeed();
    // T2 leaves S3 at 24:20 and reaches S1-2 at 25:00 of its service date.
    setField(files, 'stop_times.txt', 5, 'arrival_time', '24:20:00');
    setField(files, 'stop_times.txt', 5, 'departure_time', '24:20:00');
    setField(files, 'stop_times.txt', 6, 'arrival_time', '25:00:00');
    setField(files, 'stop_times.txt', 6, 'departure_time', '25:00:00');
    const t2 = (await plan(files)).plan.trains[1];
    expect(t2.patterns[0].stops.map(({ departureMinute, departureDay, arrivalMinute, arrivalDay }) => [departureMinute, departureDay, arrivalMinute, arrivalDay])).toEqual([
      [20, 0, null, null],
      [null, null, 60, 0],
    ]);
    expect(t2.patterns[0].calendar).toMatchObject({ runsOn: ['TUE', 'WED', 'THU', 'FRI', 'SAT'], validFrom: '2026-01-06', validTo: '2026-01-19', addedDates: ['2026-01-11'], removedDates: ['2026-01-08'] });
  });

  it('fills times left empty between timepoints evenly', async () => {
    const files = smallFeed();
    setField(files, 'stop_times.txt', 3, 'arrival_time', '');
    setField(files, 'stop_times.txt', 3, 'departure_time', '');
    const [t1] = (await plan(files)).plan.trains;
    // Halfway between 23:50 and 25:10.
    expect(t1.patterns[0].stops[1]).toMatchObject({ arrivalMinute: 30, arrivalDay: 1, departureMinute: 30, departureDay: 1 });
  });

  it('measures straight lines between stops when the feed gives no distances', async () => {
    const [, t2] = (await plan()).plan.trains;
    // S3 (50.3, 8.8) to S1-2 (50.1, 8.6): about 26.4 km.
    expect(t2.patterns[0].stops.map((stop) => stop.distanceKm)).toEqual([0, 26]);
  });

  it('names each trip that has no valid train number, with its line and field', async () => {
    const { problems } = await plan(smallFeed(), DEFAULT_IMPORT_RULES);
    expect(problems).toEqual([
      { file: 'trips.txt', line: 3, field: 'trip_id', message: expect.stringContaining('"T2" is not a train number (1-8 digits)') },
    ]);
  });

  it('refuses two trips of one number leaving on the same date: a run is one train on one date', async () => {
    const files = smallFeed();
    setField(files, 'trips.txt', 3, 'trip_short_name', '101');
    const { problems } = await plan(files);
    expect(problems).toEqual([
      { file: 'trips.txt', line: 3, field: 'trip_short_name', message: expect.stringContaining('train 101 would run two trips leaving on 2026-01-05: T1 (line 2) and T2') },
    ]);
  });

  it('gives one train the trips of one number that run on different dates, each its own pattern', async () => {
    const files = smallFeed();
    setField(files, 'trips.txt', 3, 'trip_short_name', '101');
    setField(files, 'trips.txt', 3, 'service_id', 'SUN');
    files.set('calendar_dates.txt', `${files.get('calendar_dates.txt')}SUN,20260111,1\n`);
    const { plan: catalog, problems } = await plan(files);
    expect(problems).toEqual([]);
    expect(catalog.trains).toHaveLength(1);
    expect(catalog.trains[0].patterns.map((pattern) => [pattern.gtfsTripId, pattern.calendar.addedDates])).toEqual([
      ['T1', ['2026-01-10']],
      ['T2', ['2026-01-11']],
    ]);
    expect(catalog.trains[0].runsOn).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
  });

  it('refuses station codes that are not codes, and two stops with one code', async () => {
    const files = smallFeed();
    setField(files, 'stops.txt', 5, 'stop_code', 'S1');
    const { problems } = await plan(files, { ...RULES, stationCode: 'stop_code' });
    expect(problems).toEqual([{ file: 'stops.txt', line: 5, field: 'stop_code', message: expect.stringContaining('station code S1 is already stop S1') }]);
  });

  it('takes platforms from a stop_times column such as MTA\'s track, adding them to their station', async () => {
    const files = smallFeed();
    const lines = files.get('stop_times.txt')!.trimEnd().split('\n');
    files.set('stop_times.txt', [`${lines[0]},track`, ...lines.slice(1).map((line, index) => `${line},${index === 1 ? '4A' : ''}`)].join('\n') + '\n');
    const { plan: catalog } = await plan(files);
    expect(catalog.trains[0].patterns[0].stops[1]).toMatchObject({ stationGtfsId: 'S2', platform: '4A' });
    expect(catalog.platforms).toContainEqual({ stationGtfsId: 'S2', gtfsId: null, name: '4A', latitude: null, longitude: null });
    // Where the column is empty, the stop's own platform stays.
    expect(catalog.trains[0].patterns[0].stops[0].platform).toBe('1');
  });

  it('says when days of operation are unknown instead of inventing them', async () => {
    const files = smallFeed();
    files.set('calendar.txt', csvText(['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'], [['DAYS_UNKNOWN', 1, 1, 1, 1, 1, 1, 1, '20250101', '20301231']]));
    files.delete('calendar_dates.txt');
    setField(files, 'trips.txt', 2, 'service_id', 'DAYS_UNKNOWN');
    setField(files, 'trips.txt', 3, 'service_id', 'DAYS_UNKNOWN');
    const [t1] = (await plan(files)).plan.trains;
    expect(t1).toMatchObject({ runsOn: [], daysKnown: false });
    expect(t1.patterns[0].calendar).toMatchObject({ daysKnown: false, runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] });
  });
});

describe('applyNumberRules', () => {
  it('takes the first rule that matches, filling its template with the groups', () => {
    const rules = [
      { pattern: /_Weekday_\d+_(\d+)$/, template: '5$1' },
      { pattern: /_(\d+)$/, template: '$1' },
    ];
    expect(applyNumberRules('LLR_2023-03-18_Weekday_100479_1115', rules)).toBe('51115');
    expect(applyNumberRules('LLR_2023-03-18_Sunday_100479_1115', rules)).toBe('1115');
    expect(applyNumberRules('21', rules)).toBe('21');
  });
});

describe('slugOf and trainTypeOf', () => {
  it('makes a feed code of a publisher name', () => {
    expect(slugOf('Long Island Rail Road')).toBe('long-island-rail-road');
    expect(slugOf('  Sound Transit / Link  ')).toBe('sound-transit-link');
  });

  it('reads basic and extended route types', () => {
    const route = (type: number) => ({ type }) as Parameters<typeof trainTypeOf>[0];
    expect([2, 109, 0, 900, 1, 401, 3].map((type) => trainTypeOf(route(type)))).toEqual(['RAIL', 'RAIL', 'LIGHT_RAIL', 'LIGHT_RAIL', 'METRO', 'METRO', 'OTHER']);
  });
});
