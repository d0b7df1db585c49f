import { describe, expect, it } from '@jest/globals';
import { CatalogWrites } from '../catalog/catalog-writes.js';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { NearbyQueryDto } from './dto/nearby-query.dto.js';
import { StationIndex } from './station-index.js';
import type { StationIndexService } from './station-index.service.js';
import type { Station } from './station.entity.js';
import type { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';

const row = (code: string, name: string, latitude = 28.6, longitude = 77.2): Station =>
  ({ id: `id-${code}`, code, name, city: name, state: 'Delhi', latitude, longitude, createdAt: new Date(0), updatedAt: new Date(0) }) as Station;

/** The stations table in memory: unique codes, and stations with trains calling cannot be deleted. Counts its queries. */
class FakeStations {
  rows = [row('NDLS', 'New Delhi'), row('NZM', 'Hazrat Nizamuddin', 28.5893, 77.2507), row('MMCT', 'Mumbai Central', 18.97, 72.82)];
  inUse = new Set(['id-NDLS']);
  queries = 0;

  async findByCode(code: string) {
    this.queries++;
    return this.rows.find((s) => s.code === code) ?? null;
  }
  async findByCodes(codes: string[]) {
    this.queries++;
    return this.rows.filter((s) => codes.includes(s.code));
  }
  async insert(station: Omit<Station, 'id' | 'createdAt' | 'updatedAt'>) {
    if (this.rows.some((s) => s.code === station.code)) return null;
    const created = { ...station, id: `id-${station.code}`, createdAt: new Date(0), updatedAt: new Date(0) } as Station;
    this.rows.push(created);
    return created;
  }
  async update(id: string, changes: Partial<Station>) {
    const index = this.rows.findIndex((s) => s.id === id);
    this.rows[index] = { ...this.rows[index], ...changes };
  }
  async delete(id: string) {
    if (this.inUse.has(id)) return false;
    this.rows = this.rows.filter((s) => s.id !== id);
    return true;
  }
}

/** The index service: rebuilt from the table after a catalog write, as the real one reloads. */
class FakeIndex {
  private index: StationIndex | null = null;
  invalidations = 0;
  constructor(private readonly stations: FakeStations) {}
  async current() {
    this.index ??= await StationIndex.build('1', [...this.stations.rows], [{ name: 'mumbai', alias: 'bombay' }]);
    return this.index;
  }
  invalidate() {
    this.invalidations++;
    this.index = null;
  }
}

function setUp() {
  const stations = new FakeStations();
  const index = new FakeIndex(stations);
  const writes = new CatalogWrites();
  writes.onWrite(() => index.invalidate());
  return { stations, index, service: new StationsService(stations as unknown as StationsRepository, index as unknown as StationIndexService, writes) };
}

const searchQuery = (fields: Partial<SearchQueryDto>) => Object.assign(new SearchQueryDto(), fields);
const nearbyQuery = (lat: number, lon: number, radiusKm: number, page = 1, limit = 20) => Object.assign(new NearbyQueryDto(), { lat, lon, radiusKm, page, limit });

describe('StationsService', () => {
  it('lists every station by name when the search text is empty or blank, a page at a time', async () => {
    const { service, stations } = setUp();
    expect(await service.search(searchQuery({ q: '' }))).toMatchObject({ total: 3, page: 1, limit: 20 });
    const page = await service.search(searchQuery({ q: '   ', page: 2, limit: 1 }));
    expect(page.items.map((s) => s.code)).toEqual(['MMCT']);
    expect(stations.queries).toBe(0);
  });

  it('searches normalized text and its aliases from the index, without a query', async () => {
    const { service, stations } = setUp();
    const page = await service.search(searchQuery({ q: '  BOMBAY ' }));
    expect(page).toMatchObject({ total: 1, page: 1, limit: 20 });
    expect(page.items.map((s) => s.code)).toEqual(['MMCT']);
    expect(stations.queries).toBe(0);
  });

  it('pages through the stations near a point', async () => {
    const { service } = setUp();
    const first = await service.nearby(nearbyQuery(28.6429, 77.2191, 50, 1, 1));
    const second = await service.nearby(nearbyQuery(28.6429, 77.2191, 50, 2, 1));
    expect(first).toMatchObject({ total: 2, page: 1, limit: 1 });
    expect([...first.items, ...second.items].map((hit) => hit.item.code)).toEqual(['NDLS', 'NZM']);
  });

  it('finds a station by code in the index, or answers STATION_NOT_FOUND', async () => {
    const { service, stations } = setUp();
    expect(await service.getByCode('MMCT')).toMatchObject({ name: 'Mumbai Central' });
    await expect(service.getByCode('QQQQ')).rejects.toEqual(expect.objectContaining({ constructor: NotFoundError, code: 'STATION_NOT_FOUND', message: 'No station with code QQQQ' }));
    expect(stations.queries).toBe(0);
  });

  it('resolves codes in the order given and names the first unknown code', async () => {
    const { service } = setUp();
    const resolved = await service.getByCodes(['MMCT', 'NDLS', 'MMCT']);
    expect(resolved.map((s) => s.code)).toEqual(['MMCT', 'NDLS', 'MMCT']);
    await expect(service.getByCodes(['NDLS', 'XXX', 'YYY'])).rejects.toMatchObject({ code: 'STATION_NOT_FOUND', message: 'No station with code XXX' });
  });

  it('checks the codes a write refers to against the table, not the index', async () => {
    const { service, stations } = setUp();
    stations.rows.push(row('ANVT', 'Anand Vihar Terminal'));
    expect((await service.findByCodes(['XXX', 'ANVT', 'ANVT'])).map((s) => s.code)).toEqual(['ANVT']);
  });

  it('creates a station, without coordinates when none are given, and the next read finds it; a code taken is refused', async () => {
    const { service, index } = setUp();
    await service.search(searchQuery({}));
    expect(await service.create({ code: 'BCT', name: 'Mumbai Central Local', city: 'Mumbai', state: 'Maharashtra' })).toMatchObject({ code: 'BCT', latitude: null, longitude: null });
    expect(index.invalidations).toBe(1);
    expect(await service.getByCode('BCT')).toMatchObject({ name: 'Mumbai Central Local' });
    await expect(service.create({ code: 'NDLS', name: 'Again', city: 'Delhi', state: 'Delhi' })).rejects.toEqual(expect.objectContaining({ constructor: ConflictError, code: 'STATION_CODE_TAKEN' }));
    expect(index.invalidations).toBe(1);
  });

  it('updates a station as stored and returns it; an unknown code is 404 and changes nothing', async () => {
    const { service, stations, index } = setUp();
    expect(await service.update('NZM', { name: 'Hazrat Nizamuddin Jn' })).toMatchObject({ code: 'NZM', name: 'Hazrat Nizamuddin Jn' });
    expect((await service.search(searchQuery({ q: 'nizamuddin jn' }))).items.map((s) => s.code)).toEqual(['NZM']);
    const before = JSON.stringify(stations.rows);
    await expect(service.update('QQQQ', { name: 'x' })).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
    expect(JSON.stringify(stations.rows)).toBe(before);
    expect(index.invalidations).toBe(1);
  });

  it('deletes a station no train calls at, and refuses one still on a route with STATION_IN_USE', async () => {
    const { service, stations, index } = setUp();
    await service.delete('MMCT');
    expect(stations.rows.map((s) => s.code)).not.toContain('MMCT');
    await expect(service.getByCode('MMCT')).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
    await expect(service.delete('NDLS')).rejects.toEqual(expect.objectContaining({ constructor: ConflictError, code: 'STATION_IN_USE' }));
    expect(stations.rows.map((s) => s.code)).toContain('NDLS');
    await expect(service.delete('QQQQ')).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
    expect(index.invalidations).toBe(1);
  });
});
