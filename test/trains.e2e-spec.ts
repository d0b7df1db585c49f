import { describe, expect, it } from '@jest/globals';
import { weekdayOf } from '../src/trains/run-days.js';
import { useTestApp } from './app.factory.js';
import { at, demo, trainData } from './demo-data.js';

interface Connection {
  number: string;
  departure: { time: string; minuteOfDay: number; dayOffset: number };
  arrival: { time: string; day: number };
  durationMinutes: number;
  distanceKm: number;
  originDate: string | null;
}

describe('trains API', () => {
  const api = useTestApp();

  describe('GET /api/v1/trains', () => {
    it('lists trains by number with their route summary', async () => {
      const { body } = await api.http.get('/api/v1/trains?limit=100').expect(200);
      const numbers = demo.trains.map((t) => t.number).sort();
      expect(body.total).toBe(demo.trains.length);
      expect(body.items.map((t: { number: string }) => t.number)).toEqual(numbers);
      for (const item of body.items) expect(item.origin).not.toBeNull();
    });

    it('finds trains by name, case-insensitively', async () => {
      const { body } = await api.http.get('/api/v1/trains?q=RAJDHANI&limit=100').expect(200);
      const expected = demo.trains.filter((t) => t.name.toLowerCase().includes('rajdhani'));
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(body.items.map((t: { number: string }) => t.number)).toEqual(expected.map((t) => t.number).sort());
    });

    it('finds trains by number prefix', async () => {
      const { body } = await api.http.get('/api/v1/trains?q=1295').expect(200);
      expect(body.items.length).toBeGreaterThan(0);
      for (const item of body.items) expect(item.number.startsWith('1295') || item.name.includes('1295')).toBe(true);
    });

    it('paginates', async () => {
      const all = (await api.http.get('/api/v1/trains?limit=100').expect(200)).body.items.map((t: { number: string }) => t.number);
      const page = await api.http.get('/api/v1/trains?limit=4&page=3').expect(200);
      expect(page.body).toMatchObject({ total: all.length, page: 3, limit: 4 });
      expect(page.body.items.map((t: { number: string }) => t.number)).toEqual(all.slice(8, 12));
    });
  });

  describe('GET /api/v1/trains/:number', () => {
    it('returns the train with origin, destination, days, distance and duration from its route', async () => {
      const train = trainData('12951');
      const first = train.stops[0];
      const last = train.stops.at(-1)!;
      const { body } = await api.http.get('/api/v1/trains/12951').expect(200);
      expect(body).toEqual({
        number: '12951',
        name: train.name,
        type: train.type,
        runsOn: train.runsOn,
        daysKnown: true,
        timeZone: 'Asia/Kolkata',
        origin: { code: first.stationCode, name: demo.stations.find((s) => s.code === first.stationCode)!.name },
        destination: { code: last.stationCode, name: demo.stations.find((s) => s.code === last.stationCode)!.name },
        departure: { time: first.departureTime, day: 1, minuteOfDay: first.departureMinute, dayOffset: 0 },
        arrival: { time: last.arrivalTime, day: last.arrivalDay! + 1, minuteOfDay: last.arrivalMinute, dayOffset: last.arrivalDay },
        distanceKm: last.distanceKm,
        durationMinutes: at(last.arrivalMinute, last.arrivalDay)! - at(first.departureMinute, first.departureDay)!,
        stopCount: train.stops.length,
      });
    });

    it('answers 404 for an unknown number and 400 for a malformed one', async () => {
      const missing = await api.http.get('/api/v1/trains/99999').expect(404);
      expect(missing.body).toMatchObject({ code: 'TRAIN_NOT_FOUND', detail: 'No train with number 99999' });
      const malformed = await api.http.get('/api/v1/trains/12a51').expect(400);
      expect(malformed.body.errors[0].field).toBe('number');
    });
  });

  describe('GET /api/v1/trains/:number/route', () => {
    it('returns the stops in order with times as HH:mm and day, distances and platforms', async () => {
      const multiDay = demo.trains.find((t) => t.stops.at(-1)!.arrivalDay! >= 1)!;
      const { body } = await api.http.get(`/api/v1/trains/${multiDay.number}/route`).expect(200);
      expect(body.number).toBe(multiDay.number);
      expect(body.stops.map((s: { station: { code: string } }) => s.station.code)).toEqual(multiDay.stops.map((s) => s.stationCode));
      body.stops.forEach((stop: Record<string, any>, index: number) => {
        const expected = multiDay.stops[index];
        expect(stop.sequence).toBe(index + 1);
        expect(stop.arrival?.time ?? null).toBe(expected.arrivalTime);
        expect(stop.arrival?.day ?? null).toBe(expected.arrivalDay === null ? null : expected.arrivalDay + 1);
        expect(stop.departure?.time ?? null).toBe(expected.departureTime);
        expect(stop.distanceKm).toBe(expected.distanceKm);
        expect(stop.platform).toBe(expected.platform);
      });
      expect(body.stops[0].arrival).toBeNull();
      expect(body.stops.at(-1).departure).toBeNull();
      expect(body.stops.at(-1).arrival.day).toBeGreaterThanOrEqual(2);
      const middle = body.stops[1];
      expect(middle.haltMinutes).toBe(
        at(middle.departure.minuteOfDay, middle.departure.dayOffset)! - at(middle.arrival.minuteOfDay, middle.arrival.dayOffset)!,
      );
    });

    it('answers 404 for an unknown train', async () => {
      await api.http.get('/api/v1/trains/99999/route').expect(404);
    });
  });

  describe('GET /api/v1/trains/between', () => {
    const expectedBetween = (from: string, to: string) =>
      demo.trains.filter((train) => {
        const a = train.stops.find((s) => s.stationCode === from);
        const b = train.stops.find((s) => s.stationCode === to);
        return a && b && a.sequence < b.sequence;
      });

    it('lists trains calling at from and later at to, ordered by departure, with duration and distance', async () => {
      const expected = expectedBetween('MMCT', 'NDLS');
      expect(expected.map((t) => t.number)).toContain('12951');
      const { body } = await api.http.get('/api/v1/trains/between?from=MMCT&to=NDLS').expect(200);
      expect(body.map((c: Connection) => c.number).sort()).toEqual(expected.map((t) => t.number).sort());
      expect(body.map((c: Connection) => c.number)).not.toContain('12952');
      const departures = body.map((c: Connection) => c.departure.minuteOfDay);
      expect(departures).toEqual([...departures].sort((a, b) => a - b));
      const rajdhani = body.find((c: Connection) => c.number === '12951');
      const train = trainData('12951');
      const from = train.stops.find((s) => s.stationCode === 'MMCT')!;
      const to = train.stops.find((s) => s.stationCode === 'NDLS')!;
      expect(rajdhani).toMatchObject({
        from: { code: 'MMCT' },
        to: { code: 'NDLS' },
        departure: { time: from.departureTime },
        arrival: { time: to.arrivalTime, day: to.arrivalDay! + 1 },
        durationMinutes: at(to.arrivalMinute, to.arrivalDay)! - at(from.departureMinute, from.departureDay)!,
        distanceKm: to.distanceKm - from.distanceKm,
        originDate: null,
      });
    });

    it('works between intermediate stations and not in the opposite direction', async () => {
      const train = trainData('12951');
      const a = train.stops[1].stationCode;
      const b = train.stops.at(-2)!.stationCode;
      const forward = await api.http.get(`/api/v1/trains/between?from=${a}&to=${b}`).expect(200);
      expect(forward.body.map((c: Connection) => c.number)).toContain('12951');
      const backward = await api.http.get(`/api/v1/trains/between?from=${b}&to=${a}`).expect(200);
      expect(backward.body.map((c: Connection) => c.number)).not.toContain('12951');
    });

    it('with a date keeps only trains that leave from on that day, counting days already travelled', async () => {
      const pairs = [
        ['NDLS', 'HWH'],
        ['MMCT', 'NDLS'],
        ['NDLS', 'MAS'],
        ['MAS', 'SBC'],
      ];
      let filtered = 0;
      for (const [fromCode, toCode] of pairs) {
        for (const date of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']) {
          const { body } = await api.http.get(`/api/v1/trains/between?from=${fromCode}&to=${toCode}&date=${date}`).expect(200);
          const expected = expectedBetween(fromCode, toCode).filter((train) => {
            const offset = train.stops.find((s) => s.stationCode === fromCode)!.departureDay!;
            const origin = new Date(Date.parse(`${date}T00:00:00Z`) - offset * 86_400_000);
            return train.runsOn.includes(weekdayOf(origin));
          });
          filtered += expectedBetween(fromCode, toCode).length - expected.length;
          expect(body.map((c: Connection) => c.number).sort()).toEqual(expected.map((t) => t.number).sort());
          for (const connection of body) expect(connection.originDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
      }
      // The demo data has trains that do not run daily, so the filter is exercised.
      expect(filtered).toBeGreaterThan(0);
    });

    it('rejects missing, malformed and identical stations and impossible dates', async () => {
      const missing = await api.http.get('/api/v1/trains/between?from=NDLS').expect(400);
      expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['to']);
      const date = await api.http.get('/api/v1/trains/between?from=NDLS&to=MMCT&date=2026-02-30').expect(400);
      expect(date.body.errors).toEqual([{ field: 'date', messages: ['date must be a calendar date written YYYY-MM-DD'] }]);
      const same = await api.http.get('/api/v1/trains/between?from=NDLS&to=ndls').expect(400);
      expect(same.body).toMatchObject({ code: 'SAME_STATION', errors: [{ field: 'to' }] });
      const unknown = await api.http.get('/api/v1/trains/between?from=NDLS&to=QQQQ').expect(404);
      expect(unknown.body).toMatchObject({ code: 'STATION_NOT_FOUND', detail: 'No station with code QQQQ' });
    });
  });
});
