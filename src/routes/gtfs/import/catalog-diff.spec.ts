import { describe, expect, it } from '@jest/globals';
import { collisions, countChanges, diffCatalog, stopRowsOf } from './catalog-diff.js';
import type { CatalogChanges, CatalogPlan, ExistingCatalog, ExistingStop } from './gtfs-import.model.js';
import { stopsDigest } from './route-stops-digest.js';

const stop = (stationGtfsId: string, sequence: number, departureMinute: number | null, arrivalMinute: number | null) => ({
  stationGtfsId,
  sequence,
  arrivalMinute,
  arrivalDay: arrivalMinute === null ? null : 0,
  departureMinute,
  departureDay: departureMinute === null ? null : 0,
  distanceKm: sequence * 10,
  platform: null,
  gtfsStopId: stationGtfsId,
  gtfsStopSequence: sequence * 10,
});

const calendar = { runsOn: ['MON' as const], validFrom: '2026-01-05', validTo: '2026-03-30', addedDates: [], removedDates: [], daysKnown: true };

const plan = (): CatalogPlan => ({
  feed: { code: 'test-feed', name: 'Test Feed', version: 'v1' },
  agencies: [{ gtfsId: 'A', name: 'Agency A', url: 'https://example.org', timeZone: 'Europe/Berlin' }],
  stations: [
    { gtfsId: 'S1', code: 'S1', name: 'One', latitude: 50, longitude: 8, line: 2 },
    { gtfsId: 'S2', code: 'S2', name: 'Two', latitude: 51, longitude: 9, line: 3 },
  ],
  platforms: [{ stationGtfsId: 'S1', gtfsId: 'S1-1', name: '1', latitude: 50, longitude: 8 }],
  trains: [
    {
      number: '101',
      name: 'One to Two',
      type: 'RAIL',
      timeZone: 'Europe/Berlin',
      agencyGtfsId: 'A',
      runsOn: ['MON'],
      daysKnown: true,
      line: 2,
      numberField: 'trip_short_name',
      patterns: [{ gtfsTripId: 'T1', headsign: 'Two', calendar, gtfsDayShift: 0, stops: [stop('S1', 1, 600, null), stop('S2', 2, null, 660)], line: 2 }],
    },
    {
      number: '102',
      name: 'Two to One',
      type: 'RAIL',
      timeZone: 'Europe/Berlin',
      agencyGtfsId: 'A',
      runsOn: ['MON'],
      daysKnown: true,
      line: 3,
      numberField: 'trip_short_name',
      patterns: [{ gtfsTripId: 'T2', headsign: 'One', calendar, gtfsDayShift: 0, stops: [stop('S2', 1, 700, null), stop('S1', 2, null, 760)], line: 3 }],
    },
  ],
});

let ids = 0;
const newId = () => `id-${++ids}`;

/** The catalog after the changes were written, as the repository would load it back. */
function written(changes: CatalogChanges): ExistingCatalog {
  const byPattern = new Map<string, ExistingStop[]>();
  for (const { trainId: _train, patternId, ...row } of stopRowsOf(changes.stops)) byPattern.set(patternId, [...(byPattern.get(patternId) ?? []), row]);
  const stops = new Map([...byPattern].map(([patternId, rows]) => [patternId, { count: rows.length, digest: stopsDigest(rows) }]));
  return {
    feed: { id: changes.feed.id, name: changes.feed.name, version: changes.feed.version },
    agencies: changes.agencies.insert,
    stations: changes.stations.insert,
    platforms: changes.platforms.insert,
    trains: changes.trains.insert,
    patterns: changes.patterns.insert,
    stops,
  };
}

const EMPTY: ExistingCatalog = { feed: null, agencies: [], stations: [], platforms: [], trains: [], patterns: [], stops: new Map() };

describe('diffCatalog', () => {
  it('inserts everything of a feed new to the catalog, children naming their new parents', () => {
    const changes = diffCatalog(plan(), EMPTY, newId);
    expect(changes.feed).toMatchObject({ insert: true, touch: false, code: 'test-feed' });
    expect(countChanges(changes, EMPTY)).toEqual({
      agencies: { inserted: 1, updated: 0, deleted: 0 },
      stations: { inserted: 2, updated: 0, deleted: 0 },
      platforms: { inserted: 1, updated: 0, deleted: 0 },
      trains: { inserted: 2, updated: 0, deleted: 0 },
      patterns: { inserted: 2, updated: 0, deleted: 0 },
      routeStops: { inserted: 4, updated: 0, deleted: 0 },
    });
    const [s1] = changes.stations.insert;
    const [t1] = changes.trains.insert;
    expect(changes.platforms.insert[0].stationId).toBe(s1.id);
    expect(t1.agencyId).toBe(changes.agencies.insert[0].id);
    expect([...stopRowsOf(changes.stops)][0]).toMatchObject({ stationId: s1.id, trainId: t1.id, patternId: changes.patterns.insert[0].id });
  });

  it('changes nothing when the catalog already holds the feed as it is', () => {
    const existing = written(diffCatalog(plan(), EMPTY, newId));
    const again = diffCatalog(plan(), existing, newId);
    expect(again.feed).toMatchObject({ insert: false, touch: false });
    expect(Object.values(countChanges(again, existing)).every((count) => count.inserted + count.updated + count.deleted === 0)).toBe(true);
  });

  it('changes only what changed: one stop time, one station name, one train gone', () => {
    const existing = written(diffCatalog(plan(), EMPTY, newId));
    const next = plan();
    next.trains[0].patterns[0].stops[1].arrivalMinute = 665;
    next.stations[1].name = 'Two Central';
    next.trains.pop();
    const changes = diffCatalog(next, existing, newId);
    const t1 = existing.patterns.find((pattern) => pattern.gtfsTripId === 'T1')!;
    const t2Train = existing.trains.find((train) => train.number === '102')!;
    expect(changes.feed.touch).toBe(true);
    expect(changes.stations.update).toEqual([expect.objectContaining({ gtfsId: 'S2', name: 'Two Central', id: existing.stations[1].id })]);
    expect(changes.trains.delete).toEqual([t2Train.id]);
    expect(changes.patterns.delete).toEqual([existing.patterns.find((pattern) => pattern.gtfsTripId === 'T2')!.id]);
    expect(changes.stops.replaceOf).toEqual([t1.id]);
    expect([...stopRowsOf(changes.stops)].map((row) => row.arrivalMinute)).toEqual([null, 665]);
    expect(countChanges(changes, existing)).toMatchObject({ trains: { inserted: 0, updated: 0, deleted: 1 }, routeStops: { inserted: 2, updated: 0, deleted: 4 } });
  });

  it('updates a pattern whose dates changed, keeping its stops', () => {
    const existing = written(diffCatalog(plan(), EMPTY, newId));
    const next = plan();
    next.trains[0].patterns[0].calendar = { ...calendar, addedDates: ['2026-01-10'] };
    const changes = diffCatalog(next, existing, newId);
    expect(changes.patterns.update).toEqual([expect.objectContaining({ gtfsTripId: 'T1', addedDates: ['2026-01-10'] })]);
    expect(changes.stops).toMatchObject({ replaceOf: [], write: [], count: 0 });
  });
});

describe('collisions', () => {
  it('names the stations and trains whose codes and numbers other rows hold', () => {
    const problems = collisions(plan(), { stationCodes: new Map([['S2', 'other-feed']]), trainNumbers: new Map([['101', null]]) });
    expect(problems).toEqual([
      { file: 'stops.txt', line: 3, field: 'stop_id', message: "station code S2 is feed other-feed's station already" },
      { file: 'trips.txt', line: 2, field: 'trip_short_name', message: expect.stringContaining('train number 101 is a hand-made train already') },
    ]);
  });
});
