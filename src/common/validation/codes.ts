import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, registerDecorator, type ValidationOptions } from 'class-validator';

import { STATION_CODE_PATTERN, TRAIN_NUMBER_PATTERN } from './code-patterns.js';

export { STATION_CODE_PATTERN, TRAIN_NUMBER_PATTERN };
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const upperCase = Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

/** A station code such as NDLS; accepted in any case, normalised to upper case. */
export const IsStationCode = (description = 'Station code, e.g. NDLS (case-insensitive).', example = 'NDLS') =>
  applyDecorators(
    ApiProperty({ example, description, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,15}$' }),
    upperCase,
    IsString(),
    Matches(STATION_CODE_PATTERN, { message: '$property must be a station code of 1-16 letters, digits, _ . or - (starting with a letter or digit), e.g. NDLS' }),
  );

/** A train number such as 12951. */
export const IsTrainNumber = (description = 'Train number, e.g. 12951.') =>
  applyDecorators(
    ApiProperty({ example: '12951', description, pattern: TRAIN_NUMBER_PATTERN.source }),
    Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Matches(TRAIN_NUMBER_PATTERN, { message: '$property must be a train number of 1-8 digits, e.g. 12951' }),
  );

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be a calendar date written YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseCalendarDate(value) !== null },
    });
}

/** Parses YYYY-MM-DD to a UTC midnight Date, or null when it is not a real date. */
export function parseCalendarDate(text: string): Date | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}
