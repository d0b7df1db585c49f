import { describe, expect, it } from '@jest/globals';
import { station } from '../../test/builders/route-stops.js';
import { SearchQueryDto } from '../common/pagination/page-query.dto.js';
import { NearbyQueryDto } from './dto/nearby-query.dto.js';
import type { LatLonBox } from './geo.js';
import type { Station } from './station.entity.js';
import type { AliasMatch, StationSearch } from './station-search.js';
import type { StationsRepository } from './stations.repository.js';
import { StationsService } from './stations.service.js';

/** A repository that records what the service asked for and answers from a list. */
class FakeStationsRepository {
  calls: string[] = [];
  searches: StationSearch[] = [];
  boxes: LatLonBox[][] = [];

  constructor(
    private readonly stations: Station[] = [],
    private readonly aliases: AliasMatch[] = [],
  ) {}

  async list(offset: number, limit: number): Promise<[Station[], number]> {
    this.calls.push(`list ${offset} ${limit}`);
    return [this.stations.slice(offset, offset + limit), this.stations.length];
  }

  async aliasesMatching(text: string, fuzzy: boolean): Promise<AliasMatch[]> {
    this.calls.push(`aliases ${text} ${fuzzy}`);
    return this.aliases;
  }

  async search(search: StationSearch, offset: number, limit: number): Promise<[Station[], number]> {
    this.calls.push(`search ${offset} ${limit}`);
    this.searches.push(search);
    return [[], 0];
  }

  async withinBoxes(boxes: LatLonBox[]): Promise<Station[]> {
    this.boxes.push(boxes);
    return this.stations;
  }
}

const serviceWith = (repository: FakeStationsRepository) => new StationsService(repository as unknown as StationsRepository);
const searchQuery = (q: string | undefined, page = 1, limit = 20) => Object.assign(new SearchQueryDto(), { q, page, limit });
const nearbyQuery = (lat: number, lon: number, radiusKm: number, page = 1, limit = 20) =>
  Object.assign(new NearbyQueryDto(), { lat, lon, radiusKm, page, limit });

describe('StationsService.search', () => {
  it('lists every station without search text (blank counts as none)', async () => {
    const repository = new FakeStationsRepository();
    await serviceWith(repository).search(searchQuery('   ', 3, 10));
    expect(repository.calls).toEqual(['list 20 10']);
  });

  it('normalizes the text, matches aliases by similarity from three letters, and searches with them', async () => {
    const repository = new FakeStationsRepository([], [{ term: 'bengaluru', similarity: 1, exact: true }]);
    const page = await serviceWith(repository).search(searchQuery(' Bangalore ', 2, 5));
    expect(repository.calls).toEqual(['aliases bangalore true', 'search 5 5']);
    expect(repository.searches[0].terms.map((term) => term.text)).toEqual(['bangalore', 'bengaluru']);
    expect(page).toEqual({ items: [], total: 0, page: 2, limit: 5 });
  });

  it('matches aliases only exactly for one or two letters', async () => {
    const repository = new FakeStationsRepository();
    await serviceWith(repository).search(searchQuery('VT'));
    expect(repository.calls[0]).toBe('aliases vt false');
    expect(repository.searches[0].code).toBe('VT');
  });
});

describe('StationsService.nearby', () => {
  // Stations due north of (10, 76), every 0.01° of latitude (about 1.1 km), in scrambled order.
  const stations = [4, 1, 3, 0, 2].map((i) => station(`S${i}`, `Station ${i}`, 10 + i * 0.01, 76));
  const twin = station('S1A', 'Twin of 1', 10.01, 76);
  const unplaced = { ...station('NONE', 'Nowhere', 0, 0), latitude: null, longitude: null } as Station;

  it('asks the index for the bounding box of the circle and keeps only what is inside the circle', async () => {
    const repository = new FakeStationsRepository([...stations, unplaced]);
    const page = await serviceWith(repository).nearby(nearbyQuery(10, 76, 2.5));
    expect(repository.boxes).toHaveLength(1);
    expect(repository.boxes[0][0].north).toBeCloseTo(10 + (2.5 / 6371.0088) * (180 / Math.PI), 9);
    expect(page.items.map((hit) => hit.item.code)).toEqual(['S0', 'S1', 'S2']);
    expect(page.total).toBe(3);
    expect(page.items[0].distanceKm).toBe(0);
  });

  it('orders equal distances by code and pages through the answer', async () => {
    const repository = new FakeStationsRepository([...stations, twin]);
    const service = serviceWith(repository);
    const first = await service.nearby(nearbyQuery(10, 76, 50, 1, 2));
    const second = await service.nearby(nearbyQuery(10, 76, 50, 2, 2));
    expect(first).toMatchObject({ total: 6, page: 1, limit: 2 });
    expect([...first.items, ...second.items].map((hit) => hit.item.code)).toEqual(['S0', 'S1', 'S1A', 'S2']);
  });
});
