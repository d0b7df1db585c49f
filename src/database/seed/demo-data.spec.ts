import { describe, expect, it } from '@jest/globals';
import { loadDemoData, parseDemoData } from './demo-data.js';

const station = (code: string) => ({ code, name: code, city: 'City', state: 'State', latitude: 20, longitude: 77 });
const stops = () => [
  { station: 'AAA', departure: '23:00', day: 1, km: 0 },
  { station: 'BBB', arrival: '23:55', departure: '00:05', day: 1, km: 60 },
  { station: 'CCC', arrival: '06:10', day: 2, km: 400, platform: '4' },
];
const train = (overrides: Record<string, unknown> = {}) => ({
  number: '12345',
  name: 'Test Express',
  type: 'EXPRESS' as const,
  runsOn: ['WED', 'MON'] as Array<'MON' | 'WED'>,
  stops: stops(),
  ...overrides,
});
const parse = (overrides: Record<string, unknown> = {}) => parseDemoData(['AAA', 'BBB', 'CCC'].map(station), [train(overrides) as never]);

describe('demo data files', () => {
  it('hold at least 40 real stations and 15 trains that pass every check', () => {
    const data = loadDemoData();
    expect(data.stations.length).toBeGreaterThanOrEqual(40);
    expect(data.trains.length).toBeGreaterThanOrEqual(15);
    const types = new Set(data.trains.map((t) => t.type));
    for (const type of ['RAJDHANI', 'SHATABDI', 'DURONTO', 'VANDE_BHARAT']) expect(types).toContain(type);
    expect(data.trains.some((t) => t.stops.at(-1)!.arrivalDay! >= 1)).toBe(true);
  });
});

describe('parseDemoData', () => {
  it('turns clock times and arrival days into minutes and day offsets, rolling a departure past midnight', () => {
    const [parsed] = parse().trains;
    expect(parsed.runsOn).toEqual(['MON', 'WED']);
    expect(parsed.stops).toEqual([
      { stationCode: 'AAA', sequence: 1, arrivalMinute: null, arrivalDay: null, departureMinute: 1380, departureDay: 0, distanceKm: 0, platform: null },
      { stationCode: 'BBB', sequence: 2, arrivalMinute: 1435, arrivalDay: 0, departureMinute: 5, departureDay: 1, distanceKm: 60, platform: null },
      { stationCode: 'CCC', sequence: 3, arrivalMinute: 370, arrivalDay: 1, departureMinute: null, departureDay: null, distanceKm: 400, platform: '4' },
    ]);
  });

  it.each([
    ['an unknown station', { stops: [stops()[0], { ...stops()[1], station: 'ZZZ' }, stops()[2]] }, /ZZZ\): unknown station/],
    ['a station twice', { stops: [stops()[0], stops()[1], { ...stops()[2], station: 'AAA' }] }, /already stop 1/],
    ['time going backwards', { stops: [stops()[0], stops()[1], { ...stops()[2], day: 1 }] }, /arrival is before the departure/],
    ['distance going backwards', { stops: [stops()[0], stops()[1], { ...stops()[2], km: 10 }] }, /distance from the origin cannot decrease/],
    ['an arrival at the origin', { stops: [{ ...stops()[0], arrival: '22:00' }, ...stops().slice(1)] }, /the first stop has no arrival/],
    ['a malformed time', { stops: [stops()[0], { ...stops()[1], arrival: '24:10' }, stops()[2]] }, /arrival must be HH:mm/],
    ['an unknown type', { type: 'HOVERCRAFT' }, /unknown type/],
    ['a bad number', { number: '12A45' }, /bad number/],
  ])('rejects %s', (_, overrides, message) => {
    expect(() => parse(overrides)).toThrow(message);
  });
});
