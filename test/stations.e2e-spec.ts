import { describe, expect, it } from '@jest/globals';
import { useTestApp } from './app.factory.js';
import { at, demo } from './demo-data.js';

describe('stations API', () => {
  const api = useTestApp();

  describe('GET /api/v1/stations', () => {
    it('lists every station by name, paginated with the total', async () => {
      const byName = [...demo.stations].sort((a, b) => a.name.localeCompare(b.name) || a.code.localeCompare(b.code));
      const first = await api.http.get('/api/v1/stations?limit=5').expect(200);
      expect(first.body).toMatchObject({ total: demo.stations.length, page: 1, limit: 5 });
      expect(first.body.items).toHaveLength(5);
      const second = await api.http.get('/api/v1/stations?limit=5&page=2').expect(200);
      expect(second.body.items.map((s: { code: string }) => s.code)).toEqual(byName.slice(5, 10).map((s) => s.code));
      expect(second.body.items[0]).toEqual({
        code: byName[5].code,
        name: byName[5].name,
        city: byName[5].city,
        state: byName[5].state,
        latitude: byName[5].latitude,
        longitude: byName[5].longitude,
      });
    });

    it('puts an exact code match first, in any case', async () => {
      const { body } = await api.http.get('/api/v1/stations?q=ndls').expect(200);
      expect(body.items[0]).toMatchObject({ code: 'NDLS', name: 'New Delhi' });
    });

    it('finds stations by case-insensitive name substring', async () => {
      const { body } = await api.http.get('/api/v1/stations?q=MUMBAI&limit=100').expect(200);
      const expected = demo.stations.filter((s) => s.name.toLowerCase().includes('mumbai') || s.code.startsWith('MUMBAI'));
      expect(body.total).toBe(expected.length);
      expect(body.items.map((s: { code: string }) => s.code).sort()).toEqual(expected.map((s) => s.code).sort());
      expect(body.items.map((s: { code: string }) => s.code)).toContain('MMCT');
    });

    it('ranks code prefixes before name matches', async () => {
      const { body } = await api.http.get('/api/v1/stations?q=nd&limit=100').expect(200);
      const codes: string[] = body.items.map((s: { code: string }) => s.code);
      const prefixed = codes.filter((code) => code.startsWith('ND'));
      expect(prefixed.length).toBeGreaterThan(0);
      expect(codes.slice(0, prefixed.length)).toEqual(prefixed);
    });

    it('matches LIKE wildcards literally', async () => {
      const { body } = await api.http.get('/api/v1/stations?q=%25').expect(200);
      expect(body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    });

    it('rejects bad paging and unknown parameters, naming each field', async () => {
      const { body, headers } = await api.http.get('/api/v1/stations?limit=101&page=0&sort=name').expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', instance: '/api/v1/stations' });
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'page', 'sort']);
      await api.http.get('/api/v1/stations?limit=abc').expect(400);
    });
  });

  describe('GET /api/v1/stations/:code', () => {
    it('returns one station', async () => {
      const station = demo.stations.find((s) => s.code === 'MMCT')!;
      const { body } = await api.http.get('/api/v1/stations/mmct').expect(200);
      expect(body).toEqual({ ...station });
    });

    it('answers 404 for an unknown code', async () => {
      const { body } = await api.http.get('/api/v1/stations/QQQQ').expect(404);
      expect(body).toMatchObject({ status: 404, code: 'STATION_NOT_FOUND', detail: 'No station with code QQQQ' });
    });

    it('answers 400 for a malformed code', async () => {
      const { body } = await api.http.get('/api/v1/stations/N%24LS').expect(400);
      expect(body.errors).toEqual([{ field: 'code', messages: [expect.stringContaining('station code')] }]);
    });
  });

  describe('GET /api/v1/stations/:code/trains', () => {
    it('lists every train calling there once, ordered by departure (arrival at a terminus)', async () => {
      const expected = demo.trains.filter((train) => train.stops.some((stop) => stop.stationCode === 'NDLS'));
      const { body } = await api.http.get('/api/v1/stations/NDLS/trains').expect(200);
      expect(body.map((t: { number: string }) => t.number).sort()).toEqual(expected.map((t) => t.number).sort());
      const keys = body.map((t: { departure: { minuteOfDay: number } | null; arrival: { minuteOfDay: number } }) =>
        (t.departure ?? t.arrival).minuteOfDay,
      );
      expect(keys).toEqual([...keys].sort((a, b) => a - b));
    });

    it('gives the scheduled times at that station and the train’s ends', async () => {
      const train = demo.trains.find((t) => t.stops.some((s, i) => s.stationCode === 'NDLS' && i > 0 && i < t.stops.length - 1))
        ?? demo.trains.find((t) => t.stops.some((s) => s.stationCode === 'NDLS'))!;
      const stop = train.stops.find((s) => s.stationCode === 'NDLS')!;
      const { body } = await api.http.get('/api/v1/stations/NDLS/trains').expect(200);
      const row = body.find((t: { number: string }) => t.number === train.number);
      expect(row).toMatchObject({
        name: train.name,
        type: train.type,
        runsOn: train.runsOn,
        origin: { code: train.stops[0].stationCode },
        destination: { code: train.stops.at(-1)!.stationCode },
        sequence: stop.sequence,
        platform: stop.platform,
      });
      expect(row.arrival && at(row.arrival.minuteOfDay, row.arrival.dayOffset)).toBe(at(stop.arrivalMinute, stop.arrivalDay) ?? null);
      expect(row.departure && at(row.departure.minuteOfDay, row.departure.dayOffset)).toBe(at(stop.departureMinute, stop.departureDay) ?? null);
    });

    it('answers 404 for an unknown station', async () => {
      await api.http.get('/api/v1/stations/QQQQ/trains').expect(404);
    });
  });
});
