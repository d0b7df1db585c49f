import { describe, expect, it } from '@jest/globals';
import { ConflictError, NotFoundError } from '../common/errors/domain-errors.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import type { Station } from './station.entity.js';
import type { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';

const row = (code: string, name: string): Station =>
  ({ id: `id-${code}`, code, name, city: name, state: 'Delhi', latitude: 28.6, longitude: 77.2, createdAt: new Date(0), updatedAt: new Date(0) }) as Station;

/** The stations table in memory: unique codes, and stations with trains calling cannot be deleted. */
class FakeStations {
  rows = [row('NDLS', 'New Delhi'), row('NZM', 'Hazrat Nizamuddin'), row('MMCT', 'Mumbai Central')];
  inUse = new Set(['id-NDLS']);
  searches: Array<{ q: string | undefined; offset: number; limit: number }> = [];
  lookups: string[][] = [];

  async search(q: string | undefined, offset: number, limit: number): Promise<[Station[], number]> {
    this.searches.push({ q, offset, limit });
    const found = this.rows.filter((s) => !q || s.code.startsWith(q.toUpperCase()) || s.name.toLowerCase().includes(q.toLowerCase()));
    return [found.slice(offset, offset + limit), found.length];
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

function setUp() {
  const stations = new FakeStations();
  return { stations, service: new StationsService(stations as unknown as StationsRepository) };
}

const searchQuery = (fields: Partial<SearchQueryDto>) => Object.assign(new SearchQueryDto(), fields);

describe('StationsService', () => {
  it('searches a page: the offset follows from page and limit, and the page says where it is', async () => {
    const { service, stations } = setUp();
    const page = await service.search(searchQuery({ q: 'n', page: 2, limit: 1 }));
    expect(stations.searches).toEqual([{ q: 'n', offset: 1, limit: 1 }]);
    expect(page).toMatchObject({ total: 3, page: 2, limit: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('lists everything when the search text is empty', async () => {
    const { service, stations } = setUp();
    expect((await service.search(searchQuery({ q: '' }))).total).toBe(3);
    expect(stations.searches[0]).toEqual({ q: undefined, offset: 0, limit: 20 });
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
});
