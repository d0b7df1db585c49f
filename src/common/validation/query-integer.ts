import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const DECIMAL_DIGITS = /^[0-9]+$/;

/**
 * An integer query parameter (page, limit, hours), written in decimal digits only. `@Type(() => Number)`
 * read it with Number(), which also takes `0x10` (16), `0b11`, `1e1`, `+2`, `2.0`, surrounding
 * spaces (`%205` → 5) and the empty string (0). Anything but digits stays a string and fails
 * IsInt ("page must be an integer number"). Documented as what it is (`type: integer` with its
 * bounds and default), from the same numbers the validation uses.
 */
export const IsQueryInteger = ({ minimum, maximum, default: fallback, description }: { minimum: number; maximum: number; default?: number; description?: string }) =>
  applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum, maximum, default: fallback, description }),
    Transform(({ value }) => (typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value)),
    IsInt(),
    Min(minimum),
    Max(maximum),
  );
