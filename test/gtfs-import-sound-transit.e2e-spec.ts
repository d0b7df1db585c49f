import { beforeAll, describe, expect, it } from '@jest/globals';
import { CLOCK } from '../src/common/clock/clock.js';
import { testEnv, useTestApp } from './app.factory.js';
import { brokenCopy, type FeedFiles, fixtureFeedPath, lineWhere, readFeedFiles, removeFeedFolder, setField, smallFeed, writeFeedFolder } from './builders/gtfs-feeds.js';
import { catalogCaughtUp, catalogCounts, catalogSnapshot, type CsvRecord, minuteAndDay, records, runImport, SOUND_TRANSIT_RULES } from './gtfs-import.js';
import { TestClock } from './live-helpers.js';
import { databaseUrl, prepareDatabase, withClient } from './test-database.js';

/**
 * The Sound Transit fixture: parent stations with platforms, calendar.txt, trips leaving after
 * midnight (times up to 26:14), and a trip_short_name that is a description, so its numbers
 * need a rule (SOUND_TRANSIT_RULES). Imported into a database of its own beside the demo catalog.
 */
const DATABASE = 'train_tracker_test_gtfs_st';
const FEED = 'sound-transit';
const ST = fixtureFeedPath('sound-transit');

/** Wednesday 10 May 2023, 21:00 in Seattle (PDT, UTC-7): weekday train 1115 is under way to Northgate. */
const NOW = new Date('2023-05-11T04:00:00Z');

describe('GTFS import: Sound Transit', () => {
  const url = databaseUrl(DATABASE);
  let files: FeedFiles;
  let trips: CsvRecord[];
  let stopTimes: Map<string, CsvRecord[]>;
  let refused: Array<Awaited<ReturnType<typeof runImport>>>;
  let countsBefore: Record<string, number>;
  let imported: Awaited<ReturnType<typeof runImport>>;

  const callsOf = (tripId: string) => stopTimes.get(tripId)!;

  beforeAll(async () => {
    await prepareDatabase(DATABASE);
    files = await readFeedFiles(ST);
    trips = records(files, 'trips.txt');
    stopTimes = new Map();
    for (const call of records(files, 'stop_times.txt')) stopTimes.set(call.trip_id, [...(stopTimes.get(call.trip_id) ?? []), call]);
    for (const calls of stopTimes.values()) calls.sort((a, b) => Number(a.stop_sequence) - Number(b.stop_sequence));
    countsBefore = await catalogCounts(url, FEED);
    refused = [
      // No rule: trip_short_name ("SODO to Northgate") is read as the number.
      await runImport(url, ST),
      // Trailing digits alone: the Sunday trip 1111 leaves after midnight, on the Monday the weekday trip 1111 runs.
      await runImport(url, ST, ['--number-from', 'trip_id', '--number-rule', '_(\\d+)$=$1']),
      // Weekday numbers 1xxxx: 12001 and 12002 are demo trains.
      await runImport(url, ST, ['--number-from', 'trip_id', '--number-rule', '_Weekday_\\d+_(\\d+)$=1$1', '--number-rule', '_Saturday_\\d+_(\\d+)$=6$1', '--number-rule', '_Sunday_\\d+_(\\d+)$=7$1']),
    ];
    imported = await runImport(url, ST, SOUND_TRANSIT_RULES);
  }, 120_000);

  const clock = new TestClock(NOW);
  const api = useTestApp(testEnv(DATABASE), { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });

  describe('refuses numbers that cannot be train numbers, writing nothing', () => {
    it('a description read as a number: each trip named by line and field', () => {
      const [noRule] = refused;
      expect(noRule.code).toBe(1);
      expect(noRule.stderr).toContain(`trips.txt line 2, trip_short_name: "${trips[0].trip_short_name}" is not a train number (1-8 digits)`);
      expect(noRule.stderr).toContain('nothing was written');
    });

    it('two trips of one number leaving on the same date', () => {
      const [, digitsOnly] = refused;
      expect(digitsOnly.code).toBe(1);
      const sunday = trips.find((trip) => trip.trip_id === 'LLR_2023-03-18_Sunday_100479_1111')!;
      const weekday = trips.find((trip) => trip.trip_id === 'LLR_2023-03-18_Weekday_100479_1111')!;
      expect(digitsOnly.stderr).toContain(
        `trips.txt line ${sunday.line}, trip_id: train 1111 would run two trips leaving on 2023-03-20: ${weekday.trip_id} (line ${weekday.line}) and ${sunday.trip_id}`,
      );
    });

    it('numbers another part of the catalog holds', () => {
      const [, , clash] = refused;
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(/trips\.txt line \d+, trip_id: train number 12001 is a hand-made train already/);
    });

    it('and wrote nothing while refusing', async () => {
      expect(countsBefore).toMatchObject({ feeds: 0, feed_trains: 0 });
      expect(imported.code).toBe(0);
      expect(imported.stdout).toContain(`Imported ${ST}: feed ${FEED} (new)`);
    });
  });

  it('imports parent stations with their platforms, and every trip under its rule’s number', async () => {
    const stops = records(files, 'stops.txt');
    const stations = stops.filter((stop) => stop.location_type === '1' || (stop.location_type !== '1' && !stop.parent_station));
    expect(await catalogCounts(url, FEED)).toMatchObject({
      feeds: 1,
      feed_agencies: 1,
      feed_stations: stations.length,
      feed_platforms: stops.length - stations.length,
      feed_trains: trips.length,
      feed_patterns: trips.length,
      feed_route_stops: records(files, 'stop_times.txt').length,
    });
    expect(stations.length).toBe(54);
    const { body } = await api.http.get('/api/v1/trains/51115').expect(200);
    expect(body).toMatchObject({ number: '51115', name: 'Angle Lake to Northgate', type: 'LIGHT_RAIL', timeZone: 'America/Los_Angeles', daysKnown: true, runsOn: ['MON', 'TUE', 'WED', 'THU', 'FRI'] });
  });

  it('GET /stations/N11/platforms: Northgate’s platforms 990005 (T1) and 990006 (T2), where trains stop', async () => {
    const platform = (id: string) => records(files, 'stops.txt').find((stop) => stop.stop_id === id)!;
    const { body } = await api.http.get('/api/v1/stations/n11/platforms').expect(200);
    expect(body).toEqual(
      ['990005', '990006'].map((id, index) => ({ name: `T${index + 1}`, stopId: id, latitude: Number(platform(id).stop_lat), longitude: Number(platform(id).stop_lon) })),
    );
    expect((await api.http.get('/api/v1/stations/N11').expect(200)).body).toMatchObject({ code: 'N11', name: 'Northgate Station' });
    // Weekday 1115 ends on platform T2 (stop 990006): route stops name the station and the platform.
    const route = await api.http.get('/api/v1/trains/51115/route').expect(200);
    expect(route.body.stops.at(-1)).toMatchObject({ station: { code: 'N11', name: 'Northgate Station' }, platform: 'T2', arrival: { time: '21:42', day: 1 } });
    expect(route.body.stops.map((stop: { station: { code: string } }) => stop.station.code)).toEqual(
      callsOf('LLR_2023-03-18_Weekday_100479_1115').map((call) => records(files, 'stops.txt').find((stop) => stop.stop_id === call.stop_id)!.parent_station),
    );
  });

  it('a trip leaving at 24:00 of Saturday’s service leaves on Sunday: its days and times count from there', async () => {
    const calls = callsOf('LLR_2023-03-18_Saturday_100479_1115');
    const [pattern] = await withClient(url, async (client) =>
      (
        await client.query(
          `SELECT p.runs_on, to_char(p.valid_from, 'YYYY-MM-DD') AS valid_from, to_char(p.valid_to, 'YYYY-MM-DD') AS valid_to, t.runs_on AS train_runs_on
           FROM train_patterns p JOIN trains t ON t.id = p.train_id WHERE p.gtfs_trip_id = 'LLR_2023-03-18_Saturday_100479_1115'`,
        )
      ).rows,
    );
    expect(pattern).toEqual({ runs_on: ['SUN'], valid_from: '2023-03-19', valid_to: '2023-07-31', train_runs_on: ['SUN'] });
    const { body } = await api.http.get('/api/v1/trains/61115/route?date=2023-05-14').expect(200);
    expect(body.stops.map((stop: { departure: { minuteOfDay: number; dayOffset: number } | null; arrival: { minuteOfDay: number; dayOffset: number } }) => {
      const time = stop.departure ?? stop.arrival;
      return [time.minuteOfDay, time.dayOffset];
    })).toEqual(
      calls.map((call, index) => {
        const { minute, day } = minuteAndDay(index === calls.length - 1 ? call.arrival_time : call.departure_time, 1);
        return [minute, day];
      }),
    );
    expect(body.stops[0].departure).toEqual({ time: '00:00', day: 1, minuteOfDay: 0, dayOffset: 0 });
    expect((await api.http.get('/api/v1/trains/61115/route?date=2023-05-13').expect(404)).body.code).toBe('RUN_NOT_FOUND');
  });

  it('the latest trips (up to 26:14 in the file) keep their times, counted from the day they leave', async () => {
    const calls = callsOf('LLR_2023-03-18_Weekday_100479_1137');
    expect(calls.at(-1)!.departure_time).toBe('26:14:00');
    // It leaves at 25:40 of Tuesday's service: Wednesday's run, from 01:40.
    const { body } = await api.http.get('/api/v1/trains/51137/route?date=2023-05-10').expect(200);
    expect(body.serviceDate).toBe('2023-05-10');
    expect(body.stops.map((stop: { departure: { minuteOfDay: number; dayOffset: number } | null; arrival: { minuteOfDay: number; dayOffset: number } }) => {
      const time = stop.departure ?? stop.arrival;
      return [time.minuteOfDay, time.dayOffset];
    })).toEqual(
      calls.map((call, index) => {
        // The destination keeps its arrival (26:13:30 → 02:13); the app has no departure there.
        const { minute, day } = minuteAndDay(index === calls.length - 1 ? call.arrival_time : call.departure_time, 1);
        return [minute, day];
      }),
    );
    expect(body.stops.at(-1).arrival).toEqual({ time: '02:13', day: 1, minuteOfDay: 133, dayOffset: 0 });
    // Its service runs Monday to Friday, so it leaves Tuesday to Saturday: never on a Monday.
    expect((await api.http.get('/api/v1/trains/51137/route?date=2023-05-08').expect(404)).body.code).toBe('RUN_NOT_FOUND');
  });

  it('status, timeline and board of weekday train 1115 in Seattle time (PDT)', async () => {
    const timeline = await api.http.get('/api/v1/trains/51115/timeline').expect(200);
    // 20:46 PDT at Angle Lake; 21:42 at Northgate.
    expect(timeline.body).toMatchObject({ serviceDate: '2023-05-10', realtime: false });
    expect(timeline.body.stops[0]).toMatchObject({ stationCode: 'S01', scheduledDeparture: '2023-05-11T03:46:00.000Z' });
    expect(timeline.body.stops.at(-1)).toMatchObject({ stationCode: 'N11', scheduledArrival: '2023-05-11T04:42:00.000Z', platform: 'T2' });
    const board = await api.http.get('/api/v1/stations/N11/board?hours=1').expect(200);
    expect(board.body.calls).toContainEqual(expect.objectContaining({ train: expect.objectContaining({ number: '51115' }), serviceDate: '2023-05-10', scheduledArrival: '2023-05-11T04:42:00.000Z', platform: 'T2' }));
    // Weekday trains do not run on Saturdays.
    await api.http.get('/api/v1/trains/51115/status?date=2023-05-13').expect(404);
  });

  it('admits what real feeds do: a train calling at a station twice, a journey of 8 days (Indian 00290)', async () => {
    const small = smallFeed();
    setField(small, 'trips.txt', 3, 'trip_short_name', '00290');
    // T2 (now 00290): S3 → S1-2 → back to S3, arriving on its 8th day.
    small.set('stop_times.txt', `${small.get('stop_times.txt')}T2,170:30:00,170:30:00,S3,3,\n`);
    const folder = await writeFeedFolder(small);
    try {
      const run = await runImport(url, folder, ['--feed', 'small-test']);
      expect(run.code).toBe(0);
    } finally {
      await removeFeedFolder(folder);
    }
    await catalogCaughtUp(api, url);
    const { body } = await api.http.get('/api/v1/trains/00290/route').expect(200);
    expect(body.timeZone).toBe('Europe/Berlin');
    expect(body.stops.map((stop: { station: { code: string } }) => stop.station.code)).toEqual(['S3', 'S1', 'S3']);
    expect(body.stops.at(-1).arrival).toEqual({ time: '02:30', day: 8, minuteOfDay: 150, dayOffset: 7 });
  }, 30_000);

  it('a re-import writes nothing; a broken copy writes nothing and names file, line and field', async () => {
    const before = await catalogSnapshot(url);
    const again = await runImport(url, ST, SOUND_TRANSIT_RULES);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
    expect(await catalogSnapshot(url)).toEqual(before);

    const broken = await brokenCopy('sound-transit', (f) => {
      setField(f, 'stops.txt', lineWhere(f, 'stops.txt', 'stop_id', '990005'), 'parent_station', 'NOWHERE');
      setField(f, 'calendar.txt', 2, 'end_date', '20230301');
    });
    try {
      const run = await runImport(url, broken, SOUND_TRANSIT_RULES);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/stops\.txt line \d+, parent_station: /);
      expect(run.stderr).toMatch(/calendar\.txt line 2, end_date: /);
    } finally {
      await removeFeedFolder(broken);
    }
    expect(await catalogSnapshot(url)).toEqual(before);
  });
});
