import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { LoginDto, RegisterDto } from '../../auth/dto/auth.dto.js';
import { ReplaceRouteDto } from '../../routes/dto/replace-route.dto.js';
import { UpdateTrainDto } from '../../trains/dto/write-train.dto.js';
import { RequestValidationException } from '../errors/request-validation.exception.js';
import { SearchQueryDto } from '../pagination/page-query.dto.js';
import { RequestValidationPipe } from './request-validation.pipe.js';
import { textProblem } from './text.js';

const pipe = new RequestValidationPipe();
const body = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

/** The field errors the pipe answers with, or 'valid'. */
async function outcome(metadata: ArgumentMetadata, value: unknown) {
  try {
    await pipe.transform(value, metadata);
    return 'valid';
  } catch (error) {
    if (error instanceof RequestValidationException) return error.errors;
    throw error;
  }
}

describe('textProblem', () => {
  it.each([['\u0000'], ['\u0009'], ['\u000a'], ['\u001b'], ['\u007f'], ['\u0085'], ['\u009f']])('finds the control character U+%s', (char) => {
    expect(textProblem('name', `a${char}b`)).toEqual(['noControlCharacters', 'name must not contain control characters']);
  });

  it('finds an unpaired surrogate, high or low, and accepts a pair', () => {
    expect(textProblem('name', 'a\ud800')?.[0]).toBe('isWellFormedText');
    expect(textProblem('name', '\udc00a')?.[0]).toBe('isWellFormedText');
    expect(textProblem('name', 'train 🚆')).toBeNull();
  });

  it('accepts printable text in any script, and the characters just past the control ranges', () => {
    expect(textProblem('name', ' ~\u00a0é मुंबई 東京 \u2028')).toBeNull();
  });
});

describe('RequestValidationPipe: text', () => {
  it('refuses a control character in any string property of a body, query or nested DTO, naming its path', async () => {
    expect(await outcome(body(RegisterDto), { email: 'a@example.com', password: 'long enough', displayName: 'A\u0000' })).toEqual([
      { field: 'displayName', messages: ['displayName must not contain control characters'] },
    ]);
    expect(await outcome({ type: 'query', metatype: SearchQueryDto }, { q: '\u0000' })).toEqual([{ field: 'q', messages: ['q must not contain control characters'] }]);
    const stops = [
      { sequence: 1, stationCode: 'MMCT', departure: { time: '17:00', day: 1 }, distanceKm: 0 },
      { sequence: 2, stationCode: 'NDLS', arrival: { time: '08:30', day: 2 }, distanceKm: 1384, platform: '\u00857' },
    ];
    expect(await outcome(body(ReplaceRouteDto), { stops })).toEqual([{ field: 'stops.1.platform', messages: ['platform must not contain control characters'] }]);
  });

  it('says the text rule before a format or bound the value also breaks, but after a wrong type', async () => {
    expect(await outcome(body(LoginDto), { email: 'a\u0000@example.com', password: 'x' })).toEqual([{ field: 'email', messages: ['email must not contain control characters'] }]);
    expect(await outcome(body(UpdateTrainDto), { runsOn: ['MON\u0000'] })).toEqual([{ field: 'runsOn', messages: ['runsOn must not contain control characters'] }]);
    expect(await outcome(body(UpdateTrainDto), { name: 42 })).toEqual([{ field: 'name', messages: ['name must be a string'] }]);
  });

  it('lists text errors among the other errors in property order', async () => {
    expect(await outcome(body(RegisterDto), { email: 'a\u0007@example.com', displayName: 'A\u0007' })).toEqual([
      { field: 'email', messages: ['email must not contain control characters'] },
      { field: 'password', messages: ['password is required'] },
      { field: 'displayName', messages: ['displayName must not contain control characters'] },
    ]);
  });

  it('leaves a presented password alone (AllowControlCharacters): it is only compared with a hash', async () => {
    expect(await outcome(body(LoginDto), { email: 'a@example.com', password: 'old\tpassword' })).toBe('valid');
    expect(await outcome(body(RegisterDto), { email: 'a@example.com', password: 'new\tpassword', displayName: 'A' })).toEqual([
      { field: 'password', messages: ['password must not contain control characters'] },
    ]);
  });

  it('reports an unknown property as unknown, whatever it holds', async () => {
    expect(await outcome(body(UpdateTrainDto), { nickname: '\u0000' })).toEqual([{ field: 'nickname', messages: ['property nickname should not exist'] }]);
  });
});

describe('RequestValidationPipe: integer query parameters (IsQueryInteger)', () => {
  const query = { type: 'query', metatype: SearchQueryDto } as const;

  it('reads decimal digits only', async () => {
    expect(await pipe.transform({ page: '007', limit: '5' }, query)).toMatchObject({ page: 7, limit: 5 });
    for (const page of ['0x10', ' 5', '5 ', '1e1', '+2', '-0', '2.0', '', '\u0665', 'Infinity']) {
      expect([page, await outcome(query, { page })]).toEqual([page, [{ field: 'page', messages: ['page must be an integer number'] }]]);
    }
  });
});


describe('RequestValidationPipe: path and query arguments seen before', () => {
  /** A pipe that counts how often class-validator runs. */
  class CountingPipe extends RequestValidationPipe {
    validations = 0;
    protected override validate(...args: Parameters<RequestValidationPipe['validate']>) {
      this.validations++;
      return super.validate(...args);
    }
  }
  const query = { type: 'query', metatype: SearchQueryDto } as const;

  it('validates a repeated query once, and gives each call a DTO of its own', async () => {
    const counting = new CountingPipe();
    const first = (await counting.transform({ page: '2', q: 'kota' }, query)) as SearchQueryDto;
    first.page = 99;
    const second = await counting.transform({ page: '2', q: 'kota' }, query);
    expect(second).toBeInstanceOf(SearchQueryDto);
    expect(second).toMatchObject({ page: 2, q: 'kota' });
    expect(second).not.toBe(first);
    expect(counting.validations).toBe(1);
    await counting.transform({ q: 'kota', page: '2' }, query); // another text: validated
    expect(counting.validations).toBe(2);
  });

  it('refuses an invalid query every time, remembering nothing of it', async () => {
    const counting = new CountingPipe();
    for (let i = 0; i < 2; i++) {
      await expect(counting.transform({ page: '0x10' }, query)).rejects.toBeInstanceOf(RequestValidationException);
      await expect(counting.transform({ page: '2', extra: 'x' }, query)).rejects.toBeInstanceOf(RequestValidationException);
    }
    expect(counting.validations).toBe(4);
  });

  it('remembers neither bodies nor inputs that are not flat strings', async () => {
    const counting = new CountingPipe();
    for (let i = 0; i < 2; i++) {
      await counting.transform({ email: 'a@example.com', password: 'x' }, body(LoginDto));
      await counting.transform({ q: ['kota', 'delhi'] }, query).catch(() => undefined);
    }
    expect(counting.validations).toBe(4);
  });
});
