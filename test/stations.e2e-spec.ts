import { describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { useTestApp } from './app.factory.js';
import type { StationRecord } from '../src/database/seed/demo-data.js';
import { similarity, strictWordSimilarity } from '../src/stations/trigrams.js';
import { at, demo } from './demo-data.js';

type Station = StationRecord;
const codesOf = (body: { items: Array<{ code: string }> }) => body.items.map((s) => s.code);
const union = (...lists: Station[][]) => [...new Map(lists.flat().map((s) => [s.code, s])).values()];
const without = (list: Station[], remove: Station[]) => list.filter((s) => !remove.some((r) => r.code === s.code));

/** Haversine on a sphere of the mean Earth radius (IUGG), written here so expected distances do not come from the code under test. */
const distanceKm = (lat1: number, lon1: number, lat2: number, lon2: number) => {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
};
const stationsAround = (lat: number, lon: number, radiusKm: number) =>
  demo.stations
    .filter((s) => s.latitude !== null && s.longitude !== null)
    .map((s) => ({ code: s.code, km: distanceKm(lat, lon, s.latitude!, s.longitude!) }))
    .filter((s) => s.km <= radiusKm)
    .sort((a, b) => a.km - b.km || a.code.localeCompare(b.code));

describe('stations API', () => {
  const api = useTestApp();
  const search = (q: string) => api.http.get(`/api/v1/stations?q=${encodeURIComponent(q)}&limit=100`).expect(200);

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
      const { body } = await api.http.get('/api/v1/stations?q=MUMBAI%20centr&limit=100').expect(200);
      const expected = demo.stations.filter((s) => s.name.toLowerCase().includes('mumbai centr'));
      expect(codesOf(body)).toEqual(expected.map((s) => s.code));
      expect(body.total).toBe(1);
    });

    it('ranks code prefixes before name matches', async () => {
      const { body } = await api.http.get('/api/v1/stations?q=nd&limit=100').expect(200);
      const codes: string[] = body.items.map((s: { code: string }) => s.code);
      const prefixed = codes.filter((code) => code.startsWith('ND'));
      expect(prefixed.length).toBeGreaterThan(0);
      expect(codes.slice(0, prefixed.length)).toEqual(prefixed);
    });

    describe('as users search', () => {
      // Expected stations come from the demo data: what a person means by "Mumbai" is every
      // station in that city, whatever it is named.
      const inCity = (city: string) => demo.stations.filter((s) => s.city === city);
      const named = (text: string) => demo.stations.filter((s) => s.name.toLowerCase().includes(text));
      const byName = (stations: Station[]) => [...stations].sort((a, b) => a.name.localeCompare(b.name)).map((s) => s.code);

      it('q=mumbai finds every station in Mumbai: the one named after it first, then the others by name', async () => {
        const { body } = await search('mumbai');
        const expected = union(named('mumbai'), inCity('Mumbai'));
        expect(expected.length).toBeGreaterThan(1);
        expect(body.total).toBe(expected.length);
        expect(codesOf(body)).toEqual([...byName(named('mumbai')), ...byName(without(inCity('Mumbai'), named('mumbai')))]);
        expect(codesOf(body)).toEqual(['MMCT', 'BDTS', 'BVI', 'CSMT', 'DR', 'LTT']);
      });

      it('q=delhi finds the stations named after Delhi and those in Delhi and New Delhi, NZM and ANVT included', async () => {
        const { body } = await search('delhi');
        const expected = union(named('delhi'), demo.stations.filter((s) => s.city.toLowerCase().includes('delhi')));
        expect(body.total).toBe(expected.length);
        expect(codesOf(body).sort()).toEqual(expected.map((s) => s.code).sort());
        expect(codesOf(body)).toEqual(expect.arrayContaining(['NDLS', 'DLI', 'NZM', 'ANVT']));
        // Named after Delhi first, the closer whole name first ("New Delhi" shares more with
        // "delhi" than "Delhi Junction" does); then the stations only in Delhi, by name.
        expect(codesOf(body)).toEqual(['NDLS', 'DLI', ...byName(without(expected, named('delhi')))]);
      });

      it('q=bangalore finds Bengaluru through its alias, KSR Bengaluru (SBC) first', async () => {
        const { body } = await search('bangalore');
        const expected = union(named('bengaluru'), inCity('Bengaluru'));
        expect(codesOf(body).sort()).toEqual(expected.map((s) => s.code).sort());
        expect(codesOf(body)).toEqual(['SBC', 'BNC', ...byName(without(inCity('Bengaluru'), named('bengaluru')))]);
      });

      it.each([
        ['hydrabad', 'HYB'],
        ['chenai', 'MAS'],
        ['nizamudin', 'NZM'],
        ['secunderbad', 'SC'],
        ['visakapatnam', 'VSKP'],
        ['banglore', 'SBC'],
        ['tiruvananthapuram', 'TVC'],
      ])('forgives a typo: q=%s finds %s first', async (q, code) => {
        const { body } = await search(q);
        expect(codesOf(body)[0]).toBe(code);
      });

      it('q=hydrabad also finds the other stations of Hyderabad, and Secunderabad (its twin city) after them', async () => {
        const { body } = await search('hydrabad');
        expect(codesOf(body)).toEqual(['HYB', ...inCity('Hyderabad').filter((s) => s.code !== 'HYB').map((s) => s.code), 'SC']);
      });

      it.each([
        ['bombay', 'Mumbai'],
        ['calcutta', 'Kolkata'],
        ['madras', 'Chennai'],
        ['bengaluru', 'Bengaluru'],
        ['trivandrum', 'Thiruvananthapuram'],
        ['allahabad', 'Prayagraj'],
        ['baroda', 'Vadodara'],
      ])('q=%s finds the stations of %s through its alias', async (q, city) => {
        const { body } = await search(q);
        expect(codesOf(body).sort()).toEqual(inCity(city).map((s) => s.code).sort());
      });

      it.each([
        ['cstm', 'CSMT'],
        ['vt', 'CSMT'],
        ['victoria terminus', 'CSMT'],
        ['bombay central', 'MMCT'],
        ['madras central', 'MAS'],
        ['habibganj', 'RKMP'],
        ['mughal sarai', 'DDU'],
        ['old delhi', 'DLI'],
      ])('q=%s finds the station now called %s', async (q, code) => {
        const { body } = await search(q);
        expect(codesOf(body)).toEqual([code]);
      });

      it('matches every word typed, so a word two names share does not bring the other', async () => {
        expect(codesOf((await search('mumbai central')).body)).toEqual(['MMCT']);
        expect(codesOf((await search('new delhi')).body)).toEqual(['NDLS', 'NZM']);
        const { body } = await search('howrah junction');
        expect(codesOf(body)).toEqual(['HWH']);
      });

      it('does not take one place for another one letter away: bangalore is not Mangaluru', async () => {
        const { body } = await search('bangalore');
        expect(codesOf(body)).not.toContain('MAJN');
      });

      it('ranks the exact code first, then codes starting with the text, then names and cities', async () => {
        const { body } = await search('bd');
        const codes = codesOf(body);
        const prefixed = demo.stations.filter((s) => s.code.startsWith('BD') && s.code !== 'BD').map((s) => s.code).sort();
        expect(codes.slice(0, 1 + prefixed.length)).toEqual(['BD', ...prefixed]);
        const rest = demo.stations.filter((s) => !s.code.startsWith('BD') && (s.name.toLowerCase().includes('bd') || s.city.toLowerCase().includes('bd')));
        expect(codes.slice(1 + prefixed.length).sort()).toEqual(rest.map((s) => s.code).sort());
      });

      it('puts a station whose code is typed before stations named like it', async () => {
        // PUNE is a code and a name: the code match leads; SC, typed, beats Secunderabad's city.
        expect(codesOf((await search('pune')).body)[0]).toBe('PUNE');
        expect(codesOf((await search('sc')).body)[0]).toBe('SC');
      });

      it('answers the same order every time, and pages through it without gaps or repeats', async () => {
        // "ra": a short text with many substring matches of equal, low similarity.
        const all = codesOf((await search('ra')).body);
        expect(all.length).toBeGreaterThan(20);
        expect(all.length).toBeLessThan(100);
        expect(codesOf((await search('ra')).body)).toEqual(all);
        const pages: string[] = [];
        for (let page = 1; page <= Math.ceil(all.length / 7); page++) {
          const { body } = await api.http.get(`/api/v1/stations?q=ra&limit=7&page=${page}`).expect(200);
          expect(body).toMatchObject({ total: all.length, page, limit: 7 });
          pages.push(...codesOf(body));
        }
        expect(pages).toEqual(all);
      });

      it('ignores case and extra spaces', async () => {
        expect(codesOf((await search('  NEW   Delhi ')).body)).toEqual(codesOf((await search('new delhi')).body));
      });

      it('finds nothing for text no station is like', async () => {
        const { body } = await search('zzqxv');
        expect(body).toEqual({ items: [], total: 0, page: 1, limit: 100 });
      });
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

  describe('GET /api/v1/stations/nearby', () => {
    const NDLS = demo.stations.find((s) => s.code === 'NDLS')!;
    const nearby = (query: string) => api.http.get(`/api/v1/stations/nearby?${query}`);

    it('lists the stations within the radius of New Delhi, nearest first, with their distance', async () => {
      const expected = stationsAround(NDLS.latitude!, NDLS.longitude!, 10);
      expect(expected.map((s) => s.code)).toEqual(['NDLS', 'DLI', 'NZM', 'ANVT']);
      const { body } = await nearby(`lat=${NDLS.latitude}&lon=${NDLS.longitude}&radiusKm=10`).expect(200);
      expect(body).toMatchObject({ total: expected.length, page: 1, limit: 20 });
      expect(codesOf(body)).toEqual(expected.map((s) => s.code));
      body.items.forEach((item: { distanceKm: number }, i: number) => expect(item.distanceKm).toBeCloseTo(expected[i].km, 3));
      const dli = demo.stations.find((s) => s.code === 'DLI')!;
      expect(body.items[1]).toEqual({ ...dli, distanceKm: expect.any(Number) });
    });

    it('includes a station exactly at the radius and leaves it out just inside', async () => {
      const nzm = demo.stations.find((s) => s.code === 'NZM')!;
      const km = distanceKm(NDLS.latitude!, NDLS.longitude!, nzm.latitude!, nzm.longitude!);
      const at = await nearby(`lat=${NDLS.latitude}&lon=${NDLS.longitude}&radiusKm=${(km + 0.0005).toFixed(4)}`).expect(200);
      expect(codesOf(at.body).at(-1)).toBe('NZM');
      const short = await nearby(`lat=${NDLS.latitude}&lon=${NDLS.longitude}&radiusKm=${(km - 0.0005).toFixed(4)}`).expect(200);
      expect(codesOf(short.body)).not.toContain('NZM');
      expect(codesOf(short.body)).toEqual(stationsAround(NDLS.latitude!, NDLS.longitude!, km - 0.0005).map((s) => s.code));
    });

    it('finds stations in every direction up to the largest radius (Mumbai, 50 km)', async () => {
      const [lat, lon] = [19.076, 72.8777];
      const expected = stationsAround(lat, lon, 50);
      expect(expected.length).toBeGreaterThan(8);
      const { body } = await nearby(`lat=${lat}&lon=${lon}&radiusKm=50&limit=100`).expect(200);
      expect(codesOf(body)).toEqual(expected.map((s) => s.code));
      expect(body.total).toBe(expected.length);
    });

    it('searches 10 km when no radius is given, and pages through the answer', async () => {
      const expected = stationsAround(NDLS.latitude!, NDLS.longitude!, 10).map((s) => s.code);
      const first = await nearby(`lat=${NDLS.latitude}&lon=${NDLS.longitude}&limit=2`).expect(200);
      expect(first.body).toMatchObject({ total: expected.length, page: 1, limit: 2 });
      const second = await nearby(`lat=${NDLS.latitude}&lon=${NDLS.longitude}&limit=2&page=2`).expect(200);
      expect([...codesOf(first.body), ...codesOf(second.body)]).toEqual(expected);
    });

    it('answers an empty page far from any station', async () => {
      const { body } = await nearby('lat=0&lon=0&radiusKm=50').expect(200);
      expect(body).toEqual({ items: [], total: 0, page: 1, limit: 20 });
    });

    it.each([
      ['lat=90.5&lon=77', ['lat']],
      ['lat=-91&lon=77', ['lat']],
      ['lat=28&lon=180.01', ['lon']],
      ['lat=28&lon=-181', ['lon']],
      ['lat=28&lon=77&radiusKm=0', ['radiusKm']],
      ['lat=28&lon=77&radiusKm=-1', ['radiusKm']],
      ['lat=28&lon=77&radiusKm=50.001', ['radiusKm']],
      ['lat=abc&lon=77', ['lat']],
      ['lat=&lon=77', ['lat']],
      ['lat=1e1&lon=0x10', ['lat', 'lon']],
      ['lat=28&lat=29&lon=77', ['lat']],
      ['lon=77', ['lat']],
      ['', ['lat', 'lon']],
      ['lat=28&lon=77&limit=101&page=0', ['limit', 'page']],
      ['lat=28&lon=77&q=delhi', ['q']],
    ])('rejects %p with a 400 problem naming %p', async (query, fields) => {
      const { body, headers } = await nearby(query).expect(400);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(fields);
    });

    it('is not taken for a station code', async () => {
      const { body } = await api.http.get('/api/v1/stations/nearby').expect(400);
      expect(body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('search in memory', () => {
    it('scores every station as pg_trgm does, so search matches and orders as its SQL did', async () => {
      // The station index reimplements pg_trgm (src/stations/trigrams.ts): PostgreSQL is the reference.
      const words = ['mumbai', 'hydrabad', 'new delhi', 'chenai', 'secunderbad', 'goa', 'junction', 'jn', 'cantt', 'mumbai central', 'nizamudin', 'a b'];
      const texts = demo.stations.flatMap((s) => [s.name, `${s.name} ${s.city}`]);
      const rows: Array<{ word: string; text: string; strict: number; plain: number }> = await api.app.get(DataSource).query(
        `SELECT w AS word, t AS text, strict_word_similarity(w, t) AS strict, similarity(w, t) AS plain FROM unnest($1::text[]) AS w, unnest($2::text[]) AS t`,
        [words, texts],
      );
      expect(rows).toHaveLength(words.length * texts.length);
      const differing = rows.filter(
        (row) => strictWordSimilarity(row.word, row.text) !== Math.fround(row.strict) || similarity(row.word, row.text) !== Math.fround(row.plain),
      );
      expect(differing).toEqual([]);
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
