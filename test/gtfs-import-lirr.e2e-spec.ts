import { beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CLOCK } from '../src/common/clock/clock.js';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, registerUser } from './auth-helpers.js';
import { brokenCopy, deleteLines, type FeedFiles, fixtureFeedPath, lineWhere, readFeedFiles, removeFeedFolder, setField, writeFeedFolder } from './builders/gtfs-feeds.js';
import { catalogCaughtUp, catalogCounts, catalogSnapshot, type CsvRecord, isoDate, minuteAndDay, records, ROUTE_STOP_KEY, runImport } from './gtfs-import.js';
import { TestClock } from './live-helpers.js';
import { databaseUrl, prepareDatabase, withClient } from './test-database.js';

/**
 * The Long Island Rail Road fixture (test/fixtures/gtfs/README.md) imported with the real
 * command into a database of its own, beside the demo catalog: counts and chosen trips checked
 * against the feed's files, through the database and the REST endpoints; a re-import, broken
 * copies and an updated copy.
 */
const DATABASE = 'train_tracker_test_gtfs';
const FEED = 'long-island-rail-road';
const LIRR = fixtureFeedPath('lirr');
const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** 19:00 in New York on Friday 30 October 2026, three hours before train 21 leaves Hicksville (stop 141) at 22:03. */
const NOW = new Date('2026-10-30T23:00:00Z');

/** Gives a stop another id, in stops.txt and in every stop_time at it. */
function renameStop(files: FeedFiles, from: string, to: string): void {
  setField(files, 'stops.txt', lineWhere(files, 'stops.txt', 'stop_id', from), 'stop_id', to);
  for (const call of records(files, 'stop_times.txt').filter((row) => row.stop_id === from)) setField(files, 'stop_times.txt', call.line, 'stop_id', to);
}

describe('GTFS import: Long Island Rail Road', () => {
  const url = databaseUrl(DATABASE);
  let files: FeedFiles;
  let trips: CsvRecord[];
  let stopTimes: Map<string, CsvRecord[]>;
  let serviceDates: Map<string, string[]>;
  let firstRun: Awaited<ReturnType<typeof runImport>>;

  const callsOf = (tripId: string) => stopTimes.get(tripId)!;
  const tripsOf = (number: string) => trips.filter((trip) => trip.trip_short_name === number);

  beforeAll(async () => {
    await prepareDatabase(DATABASE);
    files = await readFeedFiles(LIRR);
    trips = records(files, 'trips.txt');
    stopTimes = new Map();
    for (const call of records(files, 'stop_times.txt')) stopTimes.set(call.trip_id, [...(stopTimes.get(call.trip_id) ?? []), call]);
    for (const calls of stopTimes.values()) calls.sort((a, b) => Number(a.stop_sequence) - Number(b.stop_sequence));
    serviceDates = new Map();
    for (const row of records(files, 'calendar_dates.txt')) {
      if (row.exception_type === '1') serviceDates.set(row.service_id, [...(serviceDates.get(row.service_id) ?? []), isoDate(row.date)].sort());
    }
    firstRun = await runImport(url, LIRR);
  }, 120_000);

  const clock = new TestClock(NOW);
  const api = useTestApp(testEnv(DATABASE), { override: (builder) => builder.overrideProvider(CLOCK).useValue(clock) });

  it('imports every stop, trip and stop time of the files, beside the demo catalog', async () => {
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toContain(`Imported ${LIRR}: feed ${FEED} (new)`);
    // Not a terminal: plain progress lines, no redrawn bar.
    expect(firstRun.stdout).toContain('Reading stop_times.txt: 22,730 rows\n');
    expect(firstRun.stdout).not.toContain('\r');
    // LIRR's feed_timezone is not a zone; the agency's is used, and the command says so.
    expect(firstRun.stdout).toContain('feed_info.txt line 2, feed_timezone');
    const counts = await catalogCounts(url, FEED);
    expect(counts).toMatchObject({
      feed_agencies: 1,
      feed_stations: records(files, 'stops.txt').length,
      feed_platforms: 0,
      feed_trains: new Set(trips.map((trip) => trip.trip_short_name)).size,
      feed_patterns: trips.length,
      feed_route_stops: records(files, 'stop_times.txt').length,
    });
    expect([counts.feed_stations, counts.feed_trains, counts.feed_patterns, counts.feed_route_stops]).toEqual([127, 1777, 2081, 22730]);
    // The demo catalog is still there, next to the feed.
    expect(counts.trains - counts.feed_trains).toBe(24);
    const [agency] = await withClient(url, async (client) => (await client.query('SELECT gtfs_id, name, time_zone FROM agencies')).rows);
    expect(agency).toEqual({ gtfs_id: 'LI', name: 'Long Island Rail Road', time_zone: 'America/New_York' });
    // More stops than the catalog held: a bulk load, whose route_stops indexes are dropped and built again after the COPY, as the migrations define them.
    const indexes = await withClient(url, async (client) => (await client.query(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'route_stops' ORDER BY indexname`)).rows);
    expect(indexes).toEqual([
      { indexname: 'ix_route_stops_station_id', indexdef: 'CREATE INDEX ix_route_stops_station_id ON public.route_stops USING btree (station_id)' },
      { indexname: 'pk_route_stops', indexdef: 'CREATE UNIQUE INDEX pk_route_stops ON public.route_stops USING btree (pattern_id, sequence)' },
    ]);
  });

  it('stores trip GO202_26_21 as train 21: its stops in order, times as minute + day (24:04 is day 2), its dates of service', async () => {
    const calls = callsOf('GO202_26_21');
    const trip = trips.find((candidate) => candidate.trip_id === 'GO202_26_21')!;
    const stored = await withClient(url, async (client) => {
      const [pattern] = (
        await client.query(
          `SELECT p.id, p.added_dates, p.runs_on, p.valid_from, p.headsign, t.number, t.time_zone FROM train_patterns p JOIN trains t ON t.id = p.train_id WHERE p.gtfs_trip_id = $1`,
          ['GO202_26_21'],
        )
      ).rows;
      const stops = (
        await client.query(
          `SELECT s.code, rs.sequence, rs.arrival_minute, rs.arrival_day, rs.departure_minute, rs.departure_day, rs.platform
           FROM route_stops rs JOIN stations s ON s.id = rs.station_id WHERE rs.pattern_id = $1 ORDER BY rs.sequence`,
          [pattern.id],
        )
      ).rows;
      return { pattern, stops };
    });
    expect(stored.pattern).toMatchObject({ number: '21', time_zone: 'America/New_York', headsign: 'Jamaica', runs_on: [], valid_from: null });
    expect(stored.pattern.added_dates).toEqual(serviceDates.get(trip.service_id));
    expect(stored.stops).toEqual(
      calls.map((call, index) => {
        const arrival = minuteAndDay(call.arrival_time);
        const departure = minuteAndDay(call.departure_time);
        return {
          code: call.stop_id,
          sequence: index + 1,
          arrival_minute: index === 0 ? null : arrival.minute,
          arrival_day: index === 0 ? null : arrival.day,
          departure_minute: index === calls.length - 1 ? null : departure.minute,
          departure_day: index === calls.length - 1 ? null : departure.day,
          platform: null,
        };
      }),
    );
    const oakdale = stored.stops.find((stop) => stop.code === '157');
    expect(oakdale).toMatchObject({ arrival_minute: 4, arrival_day: 1 });
  });

  describe('through the REST API', () => {
    it('GET /trains/21: its time zone, its days from both its trips, its main pattern’s ends', async () => {
      const { body } = await api.http.get('/api/v1/trains/21').expect(200);
      const days = new Set(tripsOf('21').flatMap((trip) => serviceDates.get(trip.service_id)!.map((date) => WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7])));
      const calls = callsOf('GO202_26_21');
      expect(body).toMatchObject({
        number: '21',
        name: 'Montauk Branch',
        type: 'RAIL',
        timeZone: 'America/New_York',
        daysKnown: true,
        runsOn: WEEKDAYS.filter((day) => days.has(day)),
        origin: { code: calls[0].stop_id },
        destination: { code: calls.at(-1)!.stop_id },
        departure: { time: '22:03', day: 1 },
        arrival: { time: '01:00', day: 2 },
        stopCount: calls.length,
      });
    });

    it('GET /trains/21/route?date=: the stops of the trip that runs that day, each trip on its own dates', async () => {
      for (const trip of tripsOf('21')) {
        const date = serviceDates.get(trip.service_id)![0];
        const { body } = await api.http.get(`/api/v1/trains/21/route?date=${date}`).expect(200);
        const calls = callsOf(trip.trip_id);
        expect(body).toMatchObject({ number: '21', timeZone: 'America/New_York', serviceDate: date, patternCount: 2, headsign: trip.trip_headsign });
        expect(body.stops.map((stop: { station: { code: string } }) => stop.station.code)).toEqual(calls.map((call) => call.stop_id));
        expect(body.stops.map((stop: { departure: { time: string } | null; arrival: { time: string } | null }) => (stop.departure ?? stop.arrival)!.time)).toEqual(
          calls.map((call, index) => (index === calls.length - 1 ? call.arrival_time : call.departure_time).slice(0, 5).replace(/^(\d\d)/, (hours) => String(Number(hours) % 24).padStart(2, '0'))),
        );
      }
      const saturday = '2026-10-31';
      expect(tripsOf('21').some((trip) => serviceDates.get(trip.service_id)!.includes(saturday))).toBe(false);
      const { body } = await api.http.get(`/api/v1/trains/21/route?date=${saturday}`).expect(404);
      expect(body.code).toBe('RUN_NOT_FOUND');
    });

    it('GET /trains/2/route?date=: one number, different stops on different dates', async () => {
      const [montauk, babylon] = tripsOf('2');
      for (const trip of [montauk, babylon]) {
        const { body } = await api.http.get(`/api/v1/trains/2/route?date=${serviceDates.get(trip.service_id)![0]}`).expect(200);
        expect(body.headsign).toBe(trip.trip_headsign);
        expect(body.stops.map((stop: { station: { code: string } }) => stop.station.code)).toEqual(callsOf(trip.trip_id).map((call) => call.stop_id));
      }
      expect(callsOf(montauk.trip_id).map((call) => call.stop_id)).not.toEqual(callsOf(babylon.trip_id).map((call) => call.stop_id));
    });

    it('GET /stations/157 and /stations/157/trains: the stop’s name, position and calls', async () => {
      const stop = records(files, 'stops.txt').find((row) => row.stop_id === '157')!;
      const { body } = await api.http.get('/api/v1/stations/157').expect(200);
      expect(body).toEqual({ code: '157', name: stop.stop_name, city: null, state: null, latitude: Number(stop.stop_lat), longitude: Number(stop.stop_lon) });
      const trains = await api.http.get('/api/v1/stations/157/trains').expect(200);
      const call21 = trains.body.find((call: { number: string; arrival: { time: string } | null }) => call.number === '21' && call.arrival?.time === '00:04');
      expect(call21).toMatchObject({ timeZone: 'America/New_York', arrival: { time: '00:04', day: 2 }, departure: { time: '00:04', day: 2 } });
      expect((await api.http.get('/api/v1/stations/157/platforms').expect(200)).body).toEqual([]);
    });

    it('status and timeline of the run of 30 October: times on New York’s clocks (EDT), and after the clocks change (EST)', async () => {
      const edt = await api.http.get('/api/v1/trains/21/timeline?date=2026-10-30').expect(200);
      expect(edt.body).toMatchObject({ serviceDate: '2026-10-30', state: 'SCHEDULED', realtime: false, version: 0 });
      const oakdale = (body: { stops: Array<{ stationCode: string; scheduledArrival: string }> }) => body.stops.find((stop) => stop.stationCode === '157')!.scheduledArrival;
      // 22:03 EDT (UTC-4) at Hicksville; 24:04 of the service date at Oakdale.
      expect(edt.body.stops[0].scheduledDeparture).toBe('2026-10-31T02:03:00.000Z');
      expect(oakdale(edt.body)).toBe('2026-10-31T04:04:00.000Z');
      // Clocks went back on 1 November: the run of 2 November is an hour later in UTC.
      const est = await api.http.get('/api/v1/trains/21/timeline?date=2026-11-02').expect(200);
      expect(oakdale(est.body)).toBe('2026-11-03T05:04:00.000Z');
      const status = await api.http.get('/api/v1/trains/21/status').expect(200);
      expect(status.body).toMatchObject({ serviceDate: '2026-10-30', nextStation: null, lastStation: null });
      await api.http.get('/api/v1/trains/21/status?date=2026-10-31').expect(404);
    });

    it('the board of Hicksville (141) shows train 21 of the service date leaving at 22:03 New York time', async () => {
      const { body } = await api.http.get('/api/v1/stations/141/board?hours=4').expect(200);
      const call = body.calls.find((candidate: { train: { number: string } }) => candidate.train.number === '21');
      expect(call).toMatchObject({ serviceDate: '2026-10-30', scheduledDeparture: '2026-10-31T02:03:00.000Z', realtime: false, state: 'SCHEDULED' });
      for (const each of body.calls) expect(Date.parse(each.scheduledDeparture ?? each.scheduledArrival)).toBeGreaterThanOrEqual(NOW.getTime());
    });
  });

  it('a re-import of the same feed writes nothing', async () => {
    const before = await catalogSnapshot(url);
    const run = await runImport(url, LIRR);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No changes: the catalog already holds this feed as it is.');
    expect(await catalogSnapshot(url)).toEqual(before);
  });

  describe('a broken feed writes nothing and names file, line and field', () => {
    const cases: Array<[string, (files: FeedFiles) => void, RegExp]> = [
      ['a bad time', (f) => setField(f, 'stop_times.txt', 17, 'arrival_time', '25:61:00'), /stop_times\.txt line 17, arrival_time: /],
      ['a stop_time at an unknown stop', (f) => setField(f, 'stop_times.txt', 40, 'stop_id', 'NOWHERE'), /stop_times\.txt line 40, stop_id: /],
      ['a trip of an unknown route', (f) => setField(f, 'trips.txt', 5, 'route_id', '999'), /trips\.txt line 5, route_id: /],
      ['a missing required file', (f) => f.delete('trips.txt'), /trips\.txt: required file is missing/],
      // A valid feed (its stop_times follow the new id), but `1 00` cannot be a station code.
      ['a stop whose id is not a station code', (f) => renameStop(f, '100', '1 00'), /stops\.txt line 3, stop_id: "1 00" is not a station code/],
    ];

    it.each(cases)('%s: exit code 1, nothing written', async (_, edit, message) => {
      const before = await catalogSnapshot(url);
      const folder = await brokenCopy('lirr', edit);
      try {
        const run = await runImport(url, folder);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('cannot be imported');
        expect(run.stderr).toContain('nothing was written');
        expect(run.stderr).toMatch(message);
      } finally {
        await removeFeedFolder(folder);
      }
      expect(await catalogSnapshot(url)).toEqual(before);
    });
  });

  it('an updated feed changes only what changed, and keeps live runs, favorites and notifications', async () => {
    // A follower of train 21, and an operator's report on its run of 30 October (a live run, and a notification).
    const email = `admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'admin-password-123']);
    const admin = bearer((await login(api, email, 'admin-password-123')).accessToken);
    const follower = await registerUser(api);
    await api.http.put('/api/v1/me/favorites/21').set('authorization', bearer(follower.body.accessToken)).expect(201);
    await api.http.post('/api/v1/admin/trains/21/status').set('authorization', admin).send({ date: '2026-10-30', delayMinutes: 20 }).expect(200);
    const mine = async () =>
      withClient(url, async (client) => ({
        train: (await client.query(`SELECT id FROM trains WHERE number = '21'`)).rows,
        favorites: (await client.query(`SELECT f.user_id FROM favorites f JOIN trains t ON t.id = f.train_id WHERE t.number = '21'`)).rows,
        notifications: (await client.query(`SELECT n.id, n.type FROM notifications n JOIN trains t ON t.id = n.train_id WHERE t.number = '21'`)).rows,
        runs: (await client.query(`SELECT r.id, r.version, r.delay_minutes FROM train_runs r JOIN trains t ON t.id = r.train_id WHERE t.number = '21'`)).rows,
      }));
    const live = await mine();
    expect(live.notifications).toEqual([expect.objectContaining({ type: 'DELAY' })]);
    expect(live.runs).toEqual([expect.objectContaining({ version: 1, delay_minutes: 20 })]);

    // The update: train 21 reaches its third stop two minutes later; Oakdale is renamed; a
    // train is withdrawn; a trip runs on one date fewer.
    const updated = new Map(files);
    const third = callsOf('GO202_26_21')[2];
    setField(updated, 'stop_times.txt', third.line, 'arrival_time', '22:32:00');
    setField(updated, 'stop_times.txt', third.line, 'departure_time', '22:32:00');
    setField(updated, 'stops.txt', lineWhere(updated, 'stops.txt', 'stop_id', '157'), 'stop_name', 'Oakdale (renamed)');
    const tripsPerService = new Map<string, CsvRecord[]>();
    for (const trip of trips) tripsPerService.set(trip.service_id, [...(tripsPerService.get(trip.service_id) ?? []), trip]);
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
    // A trip alone on its service, whose last date's weekday it also runs earlier (so its train's days stay).
    const [shortened] = trips.filter((trip) => {
      const dates = serviceDates.get(trip.service_id)!;
      return trip.trip_short_name !== '21' && tripsPerService.get(trip.service_id)!.length === 1 && dates.slice(0, -1).some((date) => weekday(date) === weekday(dates.at(-1)!));
    });
    const removedDate = serviceDates.get(shortened.service_id)!.at(-1)!;
    deleteLines(updated, 'calendar_dates.txt', records(updated, 'calendar_dates.txt').find((row) => row.service_id === shortened.service_id && isoDate(row.date) === removedDate)!.line);
    const withdrawn = trips.find((trip) => tripsOf(trip.trip_short_name).length === 1 && trip.trip_short_name !== shortened.trip_short_name && trip.trip_short_name !== '21')!;
    deleteLines(updated, 'trips.txt', withdrawn.line);
    deleteLines(updated, 'stop_times.txt', ...callsOf(withdrawn.trip_id).map((call) => call.line));

    const before = await catalogSnapshot(url);
    const ids = async (sql: string, params: unknown[]) => withClient(url, async (client) => (await client.query<{ id: string }>(sql, params)).rows.map((row) => row.id).sort());
    const changedStops = await ids(`SELECT ${ROUTE_STOP_KEY('rs')} AS id FROM route_stops rs JOIN train_patterns p ON p.id = rs.pattern_id WHERE p.gtfs_trip_id = 'GO202_26_21'`, []);
    const withdrawnRows = {
      trains: await ids(`SELECT id FROM trains WHERE number = $1`, [withdrawn.trip_short_name]),
      patterns: await ids(`SELECT id FROM train_patterns WHERE gtfs_trip_id = $1`, [withdrawn.trip_id]),
      stops: await ids(`SELECT ${ROUTE_STOP_KEY('rs')} AS id FROM route_stops rs JOIN train_patterns p ON p.id = rs.pattern_id WHERE p.gtfs_trip_id = $1`, [withdrawn.trip_id]),
    };
    const shortenedPattern = await ids(`SELECT id FROM train_patterns WHERE gtfs_trip_id = $1`, [shortened.trip_id]);
    const oakdale = await ids(`SELECT id FROM stations WHERE code = '157'`, []);

    const folder = await writeFeedFolder(updated);
    let run;
    try {
      run = await runImport(url, folder, ['--feed', FEED]);
    } finally {
      await removeFeedFolder(folder);
    }
    expect(run.code).toBe(0);
    await catalogCaughtUp(api, url);
    const stopCount = callsOf('GO202_26_21').length;
    expect(run.stdout).toContain(
      `Changed: stations +0 ~1 -0, trains +0 ~0 -1, stop patterns +0 ~1 -1, route stops +${stopCount} ~0 -${stopCount + withdrawnRows.stops.length}.`,
    );

    // Row by row: exactly the rows of what changed were written; every other row is untouched.
    const after = await catalogSnapshot(url);
    const changedRows = (table: string) => {
      const old = new Set(before[table]);
      return after[table].filter((row) => !old.has(row)).map((row) => row.split(' ')[0]).sort();
    };
    const goneRows = (table: string) => {
      const now = new Set(after[table].map((row) => row.split(' ')[0]));
      return before[table].map((row) => row.split(' ')[0]).filter((id) => !now.has(id)).sort();
    };
    expect(changedRows('stations')).toEqual(oakdale);
    expect(goneRows('stations')).toEqual([]);
    expect(changedRows('trains')).toEqual([]);
    expect(goneRows('trains')).toEqual(withdrawnRows.trains);
    expect(changedRows('train_patterns')).toEqual(shortenedPattern);
    expect(goneRows('train_patterns')).toEqual(withdrawnRows.patterns);
    // The changed trip's stops were written again under the same keys (its pattern is kept).
    expect(changedRows('route_stops')).toEqual(changedStops);
    expect(changedStops).toHaveLength(stopCount);
    expect(goneRows('route_stops')).toEqual(withdrawnRows.stops);
    expect(changedRows('agencies')).toEqual([]);
    expect(changedRows('feeds')).toHaveLength(1);

    // What changed is what the files say now.
    const route = await api.http.get('/api/v1/trains/21/route?date=2026-10-30').expect(200);
    expect(route.body.stops[2].arrival).toMatchObject({ time: '22:32', day: 1 });
    expect((await api.http.get('/api/v1/stations/157').expect(200)).body.name).toBe('Oakdale (renamed)');
    await api.http.get(`/api/v1/trains/${withdrawn.trip_short_name}`).expect(404);
    const [pattern] = await withClient(url, async (client) => (await client.query(`SELECT added_dates FROM train_patterns WHERE gtfs_trip_id = $1`, [shortened.trip_id])).rows);
    expect(pattern.added_dates).toEqual(serviceDates.get(shortened.service_id)!.slice(0, -1));

    // Train 21 is the same train: its follower, its notification and its live run are all still there.
    expect(await mine()).toEqual(live);

    // Its stops and days come from its feed: an admin cannot replace them by hand.
    const patch = await api.http.patch('/api/v1/trains/21').set('authorization', admin).send({ runsOn: ['MON'] }).expect(409);
    expect(patch.body.code).toBe('TRAIN_HAS_PATTERNS');
    const route21 = { stops: [{ sequence: 1, stationCode: '141', departure: { time: '22:03', day: 1 }, distanceKm: 0 }, { sequence: 2, stationCode: '157', arrival: { time: '23:00', day: 1 }, distanceKm: 40 }] };
    expect((await api.http.put('/api/v1/trains/21/route').set('authorization', admin).send(route21).expect(409)).body.code).toBe('TRAIN_HAS_PATTERNS');
  }, 30_000);
});
