import { describe, expect, it } from '@jest/globals';
import { indianTimetableCsv } from '../../../../test/builders/gtfs-feeds.js';
import { applyDayOffsets, cleanName, padTrainNumber, parseIndianTimetable, titleCase } from './india-timetable.js';

const DAY = 86_400;
const stop = (arrival: string, departure: string, distanceKm: number) => ({ arrival, departure, distanceKm });
const at = (day: number, clock: string) => {
  const [hours, minutes] = clock.split(':').map(Number);
  return day * DAY + hours * 3600 + minutes * 60;
};

describe('padTrainNumber (leading zeros were lost)', () => {
  it.each([
    ['107', '00107'],
    ['4321', '04321'],
    ['12951', '12951'],
    [' 6919 ', '06919'],
  ])('%j is %s', (raw, number) => {
    expect(padTrainNumber(raw)).toBe(number);
  });
});

describe('applyDayOffsets (clock times without a day)', () => {
  it('adds a day when the clock goes backwards: 12951 leaves Mumbai at 17:00 and reaches New Delhi at 08:35 the next day', () => {
    expect(
      applyDayOffsets([
        stop('17:00:00', '17:00:00', 100),
        stop('17:30:00', '17:32:00', 200),
        stop('08:35:00', '08:35:00', 300),
      ]),
    ).toEqual([
      { arrival: at(0, '17:00'), departure: at(0, '17:00') },
      { arrival: at(0, '17:30'), departure: at(0, '17:32') },
      { arrival: at(1, '08:35'), departure: at(1, '08:35') },
    ]);
  });

  it('reads 00:00:00 as "none" at the first arrival and the last departure only, taking the other time there', () => {
    expect(
      applyDayOffsets([
        stop('00:00:00', '10:25:00', 400),
        stop('11:06:00', '11:08:00', 500),
        stop('12:10:00', '00:00:00', 600),
      ]),
    ).toEqual([
      { arrival: at(0, '10:25'), departure: at(0, '10:25') },
      { arrival: at(0, '11:06'), departure: at(0, '11:08') },
      { arrival: at(0, '12:10'), departure: at(0, '12:10') },
    ]);
  });

  it('reads 00:00:00 elsewhere as midnight: 11079 arrives at 23:55 and leaves at 00:00, the next day', () => {
    expect(
      applyDayOffsets([
        stop('00:00:00', '22:00:00', 700),
        stop('23:55:00', '00:00:00', 800),
        stop('00:00:00', '00:10:00', 900),
        stop('01:30:00', '00:00:00', 1000),
      ]),
    ).toEqual([
      { arrival: at(0, '22:00'), departure: at(0, '22:00') },
      { arrival: at(0, '23:55'), departure: at(1, '00:00') },
      { arrival: at(1, '00:00'), departure: at(1, '00:10') },
      { arrival: at(1, '01:30'), departure: at(1, '01:30') },
    ]);
  });

  it('crosses midnight between arrival and departure at one stop, and several times on a multi-day journey', () => {
    const times = applyDayOffsets([
      stop('00:00:00', '18:30:00', 1100),
      stop('23:50:00', '00:05:00', 1200),
      stop('08:00:00', '18:00:00', 1300),
      stop('06:00:00', '20:00:00', 1400),
      stop('02:30:00', '00:00:00', 1500),
    ]);
    expect(times.map(({ arrival, departure }) => [Math.floor(arrival / DAY), Math.floor(departure / DAY)])).toEqual([
      [0, 0],
      [0, 1],
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  it('reads a short leg whose clock goes back less than a day as a typo (13287 at JOC), not a day, and says so', () => {
    const repairs: string[] = [];
    const times = applyDayOffsets([stop('22:06:00', '22:08:00', 732), stop('22:41:00', '23:43:00', 745), stop('23:17:00', '23:18:00', 777), stop('00:13:00', '00:33:00', 782)], (index, message) => repairs.push(`${index}: ${message}`));
    expect(times).toEqual([
      { arrival: at(0, '22:06'), departure: at(0, '22:08') },
      { arrival: at(0, '22:41'), departure: at(0, '22:41') },
      { arrival: at(0, '23:17'), departure: at(0, '23:18') },
      { arrival: at(1, '00:13'), departure: at(1, '00:33') },
    ]);
    expect(repairs).toEqual(['1: departure 23:43:00 is after the next arrival 23:17:00 only 32 km on: taken as its arrival 22:41:00']);
  });

  it('keeps a day for a long leg whose clock goes back a little (00604: 1,222 km in 23.5 hours)', () => {
    const repairs: string[] = [];
    const times = applyDayOffsets([stop('00:00:00', '16:30:00', 207), stop('16:00:00', '00:00:00', 1429)], () => repairs.push('repaired'));
    expect(times[1].arrival).toBe(at(1, '16:00'));
    expect(repairs).toEqual([]);
  });

  it('rejects a time that is not a clock time', () => {
    expect(() => applyDayOffsets([stop('00:00:00', '25:00:00', 1600), stop('01:00:00', '00:00:00', 1700)])).toThrow('"25:00:00" is not a clock time');
  });
});

describe('cleanName (odd characters)', () => {
  it.each([
    ['`BWN BGNA LO', 'BWN BGNA LO'],
    ['SRC-MAS  SPL', 'SRC-MAS SPL'],
    ['PURNA  JN. ', 'PURNA JN.'],
    ['BALRAMPUR,', 'BALRAMPUR'],
  ])('%j is %j', (raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });
});

describe('titleCase', () => {
  it.each([
    ['BANGALORE CITY JN', 'Bangalore City Jn'],
    ['MUMBAI CST', 'Mumbai CST'],
    ['KALGURKI H', 'Kalgurki H'],
    ['tpty spl', 'TPTY SPL'],
    ['sabarimalai', 'Sabarimalai'],
    ['PALACE ON WH', 'Palace on WH'],
    ['HWH RAJDHANI AC', 'HWH Rajdhani AC'],
    ['MADGOAN JN.', 'Madgoan Jn.'],
    ['Tuiya Pani', 'Tuiya Pani'],
    ['Warud Orange City', 'Warud Orange City'],
  ])('%j is %j', (name, titled) => {
    expect(titleCase(name)).toBe(titled);
  });

  it('keeps the station codes it is given in capitals (train names such as SWV-MAO-VLNK)', () => {
    expect(titleCase('SWV-MAO-VLNK', new Set(['SWV', 'MAO', 'VLNK']))).toBe('SWV-MAO-VLNK');
    expect(titleCase('SWV-MAO-VLNK')).toBe('SWV-Mao-VLNK');
  });
});

describe('parseIndianTimetable', () => {
  it('groups rows by train in SEQ order, pads numbers, keeps loops and reads the quoted "BALRAMPUR," with its comma', () => {
    const { trains, endpointNames } = parseIndianTimetable(
      indianTimetableCsv([
        ['477', 'LOOP EXP', 2, 'BLP', 'BALRAMPUR,', '10:00:00', '10:05:00', 40, 'GD', 'GONDA JN', 'GD', 'GONDA JN'],
        ['477', 'LOOP EXP', 1, 'GD', 'GONDA JN', '00:00:00', '09:00:00', 0, 'GD', 'GONDA JN', 'GD', 'GONDA JN'],
        ['477', 'LOOP EXP', 3, 'GD', 'GONDA JN', '11:00:00', '00:00:00', 80, 'GD', 'GONDA JN', 'GD', 'GONDA JN'],
        ['12951', 'MUMBAI RAJDH', 1, 'BCT', 'MUMBAI CENTR', '17:00:00', '17:00:00', 0, 'BCT', 'MUMBAI CENTRAL', 'NDLS', 'NEW DELHI'],
        ['12951', 'MUMBAI RAJDH', 2, 'NDLS', 'NEW DELHI', '08:35:00', '08:35:00', 1373, 'BCT', 'MUMBAI CENTRAL', 'NDLS', 'NEW DELHI'],
      ]),
    );
    expect(trains.map((train) => train.number)).toEqual(['00477', '12951']);
    expect(trains[0].stops.map((stop) => [stop.sequence, stop.code, stop.shortName, stop.line])).toEqual([
      [1, 'GD', 'GONDA JN', 3],
      [2, 'BLP', 'BALRAMPUR,', 2],
      [3, 'GD', 'GONDA JN', 4],
    ]);
    expect(trains[1].stops[1]).toMatchObject({ code: 'NDLS', arrival: at(1, '08:35'), distanceKm: 1373 });
    expect([trains[1].sourceCode, trains[1].destinationCode]).toEqual(['BCT', 'NDLS']);
    expect(Object.fromEntries(endpointNames)).toEqual({ GD: 'GONDA JN', BCT: 'MUMBAI CENTRAL', NDLS: 'NEW DELHI' });
  });

  it('names the train and lines of a row it cannot repair', () => {
    const csv = indianTimetableCsv([
      ['107', 'SWV-MAO-VLNK', 1, 'SWV', 'SAWANTWADI R', '00:00:00', '10:25:00', 0, 'SWV', 'SAWANTWADI ROAD', 'MAO', 'MADGOAN JN.'],
      ['107', 'SWV-MAO-VLNK', 2, 'MAO', 'MADGOAN JN.', '12:1O:00', '00:00:00', 78, 'SWV', 'SAWANTWADI ROAD', 'MAO', 'MADGOAN JN.'],
    ]);
    expect(() => parseIndianTimetable(csv)).toThrow('train 00107 (lines 2-3): "12:1O:00" is not a clock time HH:MM:SS');
  });
});
