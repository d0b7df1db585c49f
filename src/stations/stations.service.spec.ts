import { describe, expect, it } from '@jest/globals';
import { station } from '../../test/builders/route-stops.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { NearbyQueryDto } from './dto/nearby-query.dto.js';
import type { LatLonBox } from './geo.js';
import type { Station } from './station.entity.js';
import type { AliasMatch, StationSearch } from './station-search.js';
import type { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';

const row = (code: string, name: string): Station =>
  ({ id: `id-${code}`, code, name, city: name, state: 'Delhi', latitude: 28.6, longitude: 77.2, createdAt: new Date(0), updatedAt: new Date(0) }) as Station;

/**
 * The stations table in memory: unique codes, and stations with trains calling cannot be
 * deleted. Searches are recorded, not matched: matching and ranking are SQL, proven end to end.
 */
class FakeStations {
  rows = [row('NDLS', 'New Delhi'), row('NZM', 'Hazrat Nizamuddin'), row('MMCT', 'Mumbai Central')];
  inUse = new Set(['id-NDLS']);
  aliases: AliasMatch[] = [];
  calls: string[] = [];
  searches: StationSearch[] = [];
  boxes: LatLonBox[][] = [];
  lookups: string[][] = [];

  async list(offset: number, limit: number): Promise<[Station[], number]> {
    this.calls.push(`list ${offset} ${limit}`);
    return [this.rows.slice(offset, offset + limit), this.rows.length];
  }
  async aliasesMatching(text: string, fuzzy: boolean): Promise<AliasMatch[]> {
    this.calls.push(`aliases ${text} ${fuzzy}`);
    return this.aliases;
  }
  async search(search: StationSearch, offset: number, limit: number): Promise<[Station[], number]> {
    this.calls.push(`search ${offset} ${limit}`);
    this.searches.push(search);
    return [this.rows.slice(offset, offset + limit), this.rows.length];
  }
  async withinBoxes(boxes: LatLonBox[]): Promise<Station[]> {
    this.boxes.push(boxes);
    return this.rows;
  }
  async findByCode(code: string) {
    return this.rows.find((s) => s.code === code) ?? null;
  }
  async findByCodes(codes: string[]) {
    this.lookups.push(codes);
    return this.rows.filter((s) => codes.includes(s.code));
  }
  async insert(station: Omit<Station, 'id' | 'createdAt' | 'updatedAt'>) {
    if (this.rows.some((s) => s.code === station.code)) return null;
    const created = { ...station, id: `id-${station.code}`, createdAt: new Date(0), updatedAt: new Date(0) } as Station;
    this.rows.push(created);
    return created;
  }
  async update(id: string, changes: Partial<Station>) {
    Object.assign(this.rows.find((s) => s.id === id)!, changes);
  }
  async delete(id: string) {
    if (this.inUse.has(id)) return false;
    this.rows = this.rows.filter((s) => s.id !== id);
    return true;
  }
}

function setUp(rows?: Station[]) {
  const stations = new FakeStations();
  if (rows) stations.rows = rows;
  return { stations, service: new StationsService(stations as unknown as StationsRepository) };
}

const searchQuery = (fields: Partial<SearchQueryDto>) => Object.assign(new SearchQueryDto(), fields);
const nearbyQuery = (lat: number, lon: number, radiusKm: number, page = 1, limit = 20) =>
  Object.assign(new NearbyQueryDto(), { lat, lon, radiusKm, page, limit });

describe('StationsService', () => {
  it('lists every station by name when the search text is empty or blank', async () => {
    const { service, stations } = setUp();
    expect((await service.search(searchQuery({ q: '' }))).total).toBe(3);
    await service.search(searchQuery({ q: '   ', page: 3, limit: 10 }));
    expect(stations.calls).toEqual(['list 0 20', 'list 20 10']);
  });

  it('searches a page: normalized text, aliases by similarity from three letters, the offset from page and limit', async () => {
    const { service, stations } = setUp();
    stations.aliases = [{ term: 'bengaluru', similarity: 1, exact: true }];
    const page = await service.search(searchQuery({ q: ' Bangalore ', page: 2, limit: 1 }));
    expect(stations.calls).toEqual(['aliases bangalore true', 'search 1 1']);
    expect(stations.searches[0].terms.map((term) => term.text)).toEqual(['bangalore', 'bengaluru']);
    expect(page).toMatchObject({ total: 3, page: 2, limit: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('matches aliases only exactly for one or two letters, and reads them as a code', async () => {
    const { service, stations } = setUp();
    await service.search(searchQuery({ q: 'VT' }));
    expect(stations.calls[0]).toBe('aliases vt false');
    expect(stations.searches[0].code).toBe('VT');
  });

  it('finds a station by code, or answers STATION_NOT_FOUND', async () => {
    const { service } = setUp();
    expect(await service.getByCode('MMCT')).toMatchObject({ name: 'Mumbai Central' });
    await expect(service.getByCode('QQQQ')).rejects.toEqual(expect.objectContaining({ constructor: NotFoundError, code: 'STATION_NOT_FOUND', message: 'No station with code QQQQ' }));
  });

  it('resolves codes in the order given, in one lookup, and names the first unknown code', async () => {
    const { service, stations } = setUp();
    const resolved = await service.getByCodes(['MMCT', 'NDLS', 'MMCT']);
    expect(resolved.map((s) => s.code)).toEqual(['MMCT', 'NDLS', 'MMCT']);
    expect(stations.lookups).toEqual([['MMCT', 'NDLS']]);
    await expect(service.getByCodes(['NDLS', 'XXX', 'YYY'])).rejects.toMatchObject({ code: 'STATION_NOT_FOUND', message: 'No station with code XXX' });
    expect((await service.findByCodes(['XXX', 'NZM', 'NZM'])).map((s) => s.code)).toEqual(['NZM']);
  });

  it('creates a station, without coordinates when none are given, and refuses a code that is taken', async () => {
    const { service } = setUp();
    expect(await service.create({ code: 'BCT', name: 'Mumbai Central Local', city: 'Mumbai', state: 'Maharashtra' })).toMatchObject({ code: 'BCT', latitude: null, longitude: null });
    await expect(service.create({ code: 'NDLS', name: 'Again', city: 'Delhi', state: 'Delhi' })).rejects.toEqual(
      expect.objectContaining({ constructor: ConflictError, code: 'STATION_CODE_TAKEN' }),
    );
  });

  it('updates a station and returns it as stored; an unknown code is 404 and changes nothing', async () => {
    const { service, stations } = setUp();
    expect(await service.update('NZM', { name: 'Hazrat Nizamuddin Jn' })).toMatchObject({ code: 'NZM', name: 'Hazrat Nizamuddin Jn' });
    const before = JSON.stringify(stations.rows);
    await expect(service.update('QQQQ', { name: 'x' })).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
    expect(JSON.stringify(stations.rows)).toBe(before);
  });

  it('deletes a station no train calls at, and refuses one still on a route with STATION_IN_USE', async () => {
    const { service, stations } = setUp();
    await service.delete('MMCT');
    expect(stations.rows.map((s) => s.code)).not.toContain('MMCT');
    await expect(service.delete('NDLS')).rejects.toEqual(expect.objectContaining({ constructor: ConflictError, code: 'STATION_IN_USE' }));
    expect(stations.rows.map((s) => s.code)).toContain('NDLS');
    await expect(service.delete('QQQQ')).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
  });

  describe('nearby', () => {
    // Stations due north of (10, 76), every 0.01° of latitude (about 1.1 km), in scrambled order.
    const north = [4, 1, 3, 0, 2].map((i) => station(`S${i}`, `Station ${i}`, 10 + i * 0.01, 76));
    const twin = station('S1A', 'Twin of 1', 10.01, 76);
    const unplaced = { ...station('NONE', 'Nowhere', 0, 0), latitude: null, longitude: null } as Station;

    it('asks the index for the bounding box of the circle and keeps only what is inside the circle', async () => {
      const { service, stations } = setUp([...north, unplaced]);
      const page = await service.nearby(nearbyQuery(10, 76, 2.5));
      expect(stations.boxes).toHaveLength(1);
      expect(stations.boxes[0][0].north).toBeCloseTo(10 + (2.5 / 6371.0088) * (180 / Math.PI), 9);
      expect(page.items.map((hit) => hit.item.code)).toEqual(['S0', 'S1', 'S2']);
      expect(page.total).toBe(3);
      expect(page.items[0].distanceKm).toBe(0);
    });

    it('orders equal distances by code and pages through the answer', async () => {
      const { service } = setUp([...north, twin]);
      const first = await service.nearby(nearbyQuery(10, 76, 50, 1, 2));
      const second = await service.nearby(nearbyQuery(10, 76, 50, 2, 2));
      expect(first).toMatchObject({ total: 6, page: 1, limit: 2 });
      expect([...first.items, ...second.items].map((hit) => hit.item.code)).toEqual(['S0', 'S1', 'S1A', 'S2']);
    });
  });
});
