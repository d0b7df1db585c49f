import { describe, expect, it } from '@jest/globals';
import { routeStop, station, weeklyTimetable } from '../../../test/builders/route-stops.js';
import type { RouteStop } from '../../routes/route-stop.entity.js';
import { transit_realtime } from './gtfs-realtime.js';
import { realtimeCatalog } from './realtime-catalog.js';
import { observeRun, readTripUpdates } from './trip-updates.reader.js';

/**
 * Train 901, trip T901, daily: five stops 10 minutes apart from 10:00 IST (04:30 UTC), GTFS
 * stop_sequence 10, 20, … and stop ids S1…S5; station S3 has platforms S3-A (label A, planned) and S3-B (B).
 */
const stops = [0, 1, 2, 3, 4].map((i) => {
  const stop = routeStop(i + 1, i === 0 ? null : [600 + 10 * i, 0], i === 4 ? null : [601 + 10 * i, 0], i * 10, i === 2 ? 'A' : null, {
    ...station(`S${i + 1}`, `Stop ${i + 1}`, 20, 70 + i),
    gtfsId: `S${i + 1}`,
  } as RouteStop['station'] & object);
  return { ...stop, stationId: `station-${i + 1}`, gtfsStopId: i === 2 ? 'S3-A' : `S${i + 1}`, gtfsStopSequence: (i + 1) * 10 } as RouteStop;
});
const timetable = weeklyTimetable({ id: 't901', number: '901' }, stops);
timetable.patterns[0].pattern = { ...timetable.patterns[0].pattern, gtfsTripId: 'T901', gtfsDayShift: 0 };
const catalog = realtimeCatalog([timetable], [
  { stationId: 'station-3', gtfsId: 'S3-A', name: 'A' },
  { stationId: 'station-3', gtfsId: 'S3-B', name: 'B' },
]);

const NOW = new Date('2026-11-24T04:45:00Z');
const at = (utc: string) => Math.floor(Date.parse(`2026-11-24T${utc}:00Z`) / 1000);
const feedOf = (...entities: object[]) =>
  transit_realtime.FeedMessage.decode(
    transit_realtime.FeedMessage.encode(
      transit_realtime.FeedMessage.fromObject({ header: { gtfsRealtimeVersion: '2.0', timestamp: Math.floor(NOW.getTime() / 1000) }, entity: entities }),
    ).finish(),
  );
const trip = (fields: object, stopTimeUpdate: object[] = [], extra: object = {}) => ({ id: 'e', tripUpdate: { trip: { tripId: 'T901', startDate: '20261124', ...fields }, stopTimeUpdate, ...extra } });
const read = (...entities: object[]) => readTripUpdates(feedOf(...entities), catalog, NOW, NOW);

describe('readTripUpdates', () => {
  it('matches stop updates by the feed’s stop_sequence and takes an unset time as absent (the delay counts)', () => {
    const { reports, trips } = read(trip({}, [{ stopSequence: 30, arrival: { delay: 120 } }, { stopSequence: 40, arrival: { time: at('05:03') } }]));
    expect(trips.matched).toBe(1);
    expect(reports[0]).toMatchObject({ trainNumber: '901', serviceDate: '2026-11-24', observedAt: NOW });
    expect(reports[0].stopUpdates).toEqual([
      { sequence: 3, arrival: '2026-11-24T04:52:00.000Z', departure: null, relationship: 'SCHEDULED', platform: null },
      { sequence: 4, arrival: '2026-11-24T05:03:00.000Z', departure: null, relationship: 'SCHEDULED', platform: null },
    ]);
  });

  it('finds the run without a start_date by the date its times put nearest now', () => {
    expect(read(trip({ startDate: undefined }, [{ stopSequence: 30, arrival: { delay: 0 } }])).reports[0].serviceDate).toBe('2026-11-24');
  });

  it('matches by stop_id alone, and reads another platform of the station as a platform change; another station is dropped', () => {
    const { reports, droppedStops } = read(
      trip({}, [
        { stopId: 'S3', arrival: { delay: 60 }, stopTimeProperties: { assignedStopId: 'S3-B' } },
        { stopSequence: 40, stopId: 'S1', arrival: { delay: 60 } },
      ]),
    );
    expect(reports[0].stopUpdates).toEqual([{ sequence: 3, arrival: '2026-11-24T04:51:00.000Z', departure: null, relationship: 'SCHEDULED', platform: 'B' }]);
    expect(droppedStops).toMatchObject({ other_station: 1 });
  });

  it('drops repeated sequences and implausibly early predictions, and ignores a trip delay that contradicts the stop times', () => {
    const reading = read(
      trip({}, [{ stopSequence: 20, arrival: { delay: 0 } }, { stopSequence: 20, arrival: { delay: 300 } }, { stopSequence: 30, arrival: { delay: -2000 } }], { delay: -900 }),
    );
    expect(reading.droppedStops).toMatchObject({ repeated_sequence: 1, implausible_early: 1 });
    expect(reading.tripDelaysIgnored).toBe(1);
    expect(reading.reports[0].stopUpdates.map((update) => update.sequence)).toEqual([2]);
  });

  it('gives each entity one outcome', () => {
    const { trips, reports } = read(
      trip({ tripId: 'EXTRA', scheduleRelationship: 'ADDED' }),
      trip({ tripId: 'NOPE' }, [{ stopSequence: 10, departure: { delay: 0 } }]),
      trip({ startDate: '2026131' }, [{ stopSequence: 10, departure: { delay: 0 } }]),
      trip({ scheduleRelationship: 'DUPLICATED', startTime: '11:00:00' }),
      trip({ scheduleRelationship: 'CANCELED' }),
      trip({ scheduleRelationship: 'CANCELED' }),
      trip({ startDate: '20261125' }, [{ stopSequence: 10, departure: { delay: -7200 } }]),
    );
    expect(trips).toMatchObject({ added: 1, unknown_trip: 1, not_running: 1, duplicated: 1, cancelled: 1, duplicate_entity: 1, no_prediction: 1, matched: 0 });
    expect(reports.map((report) => report.cancelled)).toEqual([true]);
  });
});

describe('observeRun', () => {
  const report = (stopUpdates: object[], now = NOW) => observeRun(read(trip({}, stopUpdates)).reports[0], now);

  it('places the train by its predicted times: stops before the first update are behind it when its delay says so', () => {
    // Stop 3 predicted 04:52 (2 min late): stops 1-2 (04:30-04:41 + 2 min) are behind at 04:45.
    expect(report([{ stopSequence: 30, arrival: { delay: 120 } }])).toMatchObject({ phase: 'RUNNING', lastStopSequence: 2, departedLastStop: true, delayMinutes: 2, stopTimes: [] });
    // At 04:52:30 it stands at stop 3, leaving 2 min late.
    expect(report([{ stopSequence: 30, arrival: { delay: 120 } }], new Date('2026-11-24T04:52:30Z'))).toMatchObject({ lastStopSequence: 3, departedLastStop: false, delayMinutes: 2 });
  });

  it('records the times a feed gave for stops behind the train, and never stands at a skipped stop', () => {
    const observed = report([
      { stopSequence: 20, arrival: { time: at('04:41') }, departure: { time: at('04:42') } },
      { stopSequence: 30, scheduleRelationship: 'SKIPPED' },
      { stopSequence: 40, arrival: { delay: 60 } },
    ], new Date('2026-11-24T04:55:00Z'));
    expect(observed).toMatchObject({ lastStopSequence: 2, departedLastStop: true, delayMinutes: 1 });
    expect(observed.stopTimes).toEqual([{ sequence: 2, arrivedAt: new Date('2026-11-24T04:41:00Z'), departedAt: new Date('2026-11-24T04:42:00Z') }]);
  });
});
