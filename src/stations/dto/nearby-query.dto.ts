import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsPositive, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

/** Largest radius of a nearby search: keeps the index's bounding box (and the answer) small. */
export const NEARBY_MAX_RADIUS_KM = 50;
export const NEARBY_DEFAULT_RADIUS_KM = 10;

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A number written in decimal notation ("28.643", "-0.5"). Anything else ("", "1e2", "0x10",
 * " 5", a repeated parameter) is left as it came, so the number check names the field: Number()
 * alone would read "" as 0 and "0x10" as 16.
 */
const decimal = Transform(({ value }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : value));
const number = (property: string) =>
  IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${property} must be a number in decimal notation, e.g. 28.643` });

export class NearbyQueryDto extends PageQueryDto {
  @ApiProperty({ type: Number, minimum: -90, maximum: 90, example: 28.643, description: 'Latitude of the point, degrees (WGS 84), in decimal notation (no exponent).' })
  @decimal
  @number('lat')
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ type: Number, minimum: -180, maximum: 180, example: 77.2194, description: 'Longitude of the point, degrees (WGS 84), in decimal notation (no exponent).' })
  @decimal
  @number('lon')
  @Min(-180)
  @Max(180)
  lon: number;

  @ApiPropertyOptional({
    type: Number,
    minimum: 0,
    exclusiveMinimum: true,
    maximum: NEARBY_MAX_RADIUS_KM,
    default: NEARBY_DEFAULT_RADIUS_KM,
    example: 10,
    description: `Search radius in km, great-circle distance: more than 0, at most ${NEARBY_MAX_RADIUS_KM}. A station exactly at this distance is included.`,
  })
  @decimal
  @number('radiusKm')
  @IsPositive()
  @Max(NEARBY_MAX_RADIUS_KM)
  radiusKm: number = NEARBY_DEFAULT_RADIUS_KM;
}
