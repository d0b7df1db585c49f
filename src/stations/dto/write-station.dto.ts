import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsStationCode } from '../../common/validation/codes.js';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class CreateStationDto {
  @IsStationCode()
  code: string;

  @ApiProperty({ example: 'New Delhi', maxLength: 120 })
  @trim
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ example: 'New Delhi', maxLength: 80 })
  @trim
  @IsString()
  @Length(1, 80)
  city: string;

  @ApiProperty({ example: 'Delhi', maxLength: 80 })
  @trim
  @IsString()
  @Length(1, 80)
  state: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -90, maximum: 90, example: 28.643 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -180, maximum: 180, example: 77.2194 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number | null;
}

// skipNullProperties: false — a field sent as null is validated ("name must be a string"), not skipped; see IsOmittable.
export class UpdateStationDto extends PartialType(OmitType(CreateStationDto, ['code'] as const), { skipNullProperties: false }) {}
