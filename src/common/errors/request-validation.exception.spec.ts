import { describe, expect, it } from '@jest/globals';
import { plainToInstance } from 'class-transformer';
import { IsString, MaxLength, ValidateIf, validate } from 'class-validator';
import { RegisterDto } from '../../auth/dto/auth.dto.js';
import { ReplaceRouteDto } from '../../routes/dto/replace-route.dto.js';
import { PageQueryDto } from '../pagination/page-query.dto.js';
import { RequestValidationException } from './request-validation.exception.js';

/** Validates like the global ValidationPipe and the socket gateway do, then builds the exception. */
async function fieldErrors<T extends object>(type: new () => T, plain: object) {
  const errors = await validate(plainToInstance(type, plain), { whitelist: true, forbidNonWhitelisted: true });
  return RequestValidationException.fromValidationErrors(errors).errors;
}

class PasswordChangeDto {
  @ValidateIf((dto: PasswordChangeDto) => dto.newPassword !== undefined)
  @IsString({ message: 'currentPassword is required to change the password' })
  @MaxLength(128)
  currentPassword?: string;

  @IsString()
  newPassword: string;
}

describe('RequestValidationException.fromValidationErrors', () => {
  it('says a missing field is required, instead of its length or format rules', async () => {
    expect(await fieldErrors(RegisterDto, {})).toEqual([
      { field: 'email', messages: ['email is required'] },
      { field: 'password', messages: ['password is required'] },
      { field: 'displayName', messages: ['displayName is required'] },
    ]);
  });

  it('says a value of the wrong type has the wrong type, instead of its range', async () => {
    expect(await fieldErrors(PageQueryDto, { page: 'abc', limit: 'x' })).toEqual([
      { field: 'page', messages: ['page must be an integer number'] },
      { field: 'limit', messages: ['limit must be an integer number'] },
    ]);
    expect(await fieldErrors(RegisterDto, { email: 42, password: 12345678, displayName: ['Asha'] })).toEqual([
      { field: 'email', messages: ['email must be an email address'] },
      { field: 'password', messages: ['password must be a string'] },
      { field: 'displayName', messages: ['displayName must be a string'] },
    ]);
  });

  it('gives the one rule a value of the right type breaks', async () => {
    expect(await fieldErrors(PageQueryDto, { page: 0, limit: 101 })).toEqual([
      { field: 'page', messages: ['page must not be less than 1'] },
      { field: 'limit', messages: ['limit must not be greater than 100'] },
    ]);
    expect(await fieldErrors(RegisterDto, { email: 'not-an-email', password: 'short', displayName: 'Asha' })).toEqual([
      { field: 'email', messages: ['email must be an email address'] },
      { field: 'password', messages: ['password must be longer than or equal to 8 characters'] },
    ]);
  });

  it('gives a value’s format before its length', async () => {
    const long = `${'x'.repeat(300)}@`;
    expect(await fieldErrors(RegisterDto, { email: long, password: 'long enough', displayName: 'Asha' })).toEqual([
      { field: 'email', messages: ['email must be an email address'] },
    ]);
  });

  it('gives nested fields one message each, with their path', async () => {
    const errors = await fieldErrors(ReplaceRouteDto, {
      stops: [{ sequence: 'one', stationCode: 'MMCT', departure: { time: 2200, day: 0 } }],
    });
    expect(errors).toEqual([
      { field: 'stops', messages: ['stops must contain at least 2 elements'] },
      { field: 'stops.0.sequence', messages: ['sequence must be an integer number'] },
      { field: 'stops.0.departure.time', messages: ['time must be a string'] },
      { field: 'stops.0.departure.day', messages: ['day must not be less than 1'] },
      { field: 'stops.0.distanceKm', messages: ['distanceKm is required'] },
    ]);
  });

  it('says an array or object field is required when it is missing', async () => {
    expect(await fieldErrors(ReplaceRouteDto, {})).toEqual([{ field: 'stops', messages: ['stops is required'] }]);
  });

  it('keeps a DTO’s own message that already says what is required', async () => {
    expect(await fieldErrors(PasswordChangeDto, { newPassword: 'x' })).toEqual([
      { field: 'currentPassword', messages: ['currentPassword is required to change the password'] },
    ]);
  });

  it('names an unknown field once', async () => {
    expect(await fieldErrors(PageQueryDto, { page: 1, extra: true })).toEqual([{ field: 'extra', messages: ['property extra should not exist'] }]);
  });

  it('says a null where a value is needed has the wrong type, not that it is missing', async () => {
    expect(await fieldErrors(RegisterDto, { email: 'a@example.com', password: null, displayName: 'Asha' })).toEqual([
      { field: 'password', messages: ['password must be a string'] },
    ]);
  });
});
