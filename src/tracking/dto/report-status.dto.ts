import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsStationCode } from '../../common/validation/codes.js';
import { IsOmittable } from '../../common/validation/omittable.js';

/** What an operator reports about a run; fields left out keep their current value. */
export class ReportStatusDto {
  @ApiPropertyOptional({ example: '2026-11-24', format: 'date', description: 'Service date; default: the run in progress, else the next one.' })
  @IsOmittable()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ example: 35, minimum: -120, maximum: 1440 })
  @IsOmittable()
  @IsInt()
  @Min(-120)
  @Max(1440)
  delayMinutes?: number;

  @ApiPropertyOptional({ example: 'KOTA', description: 'Station on the route the train has reached.' })
  @IsOmittable()
  @IsStationCode()
  lastStationCode?: string;

  @ApiPropertyOptional({ description: 'Whether the train has left lastStationCode.' })
  @IsOmittable()
  @IsBoolean()
  departed?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true, example: '4', description: 'Platform at the station the train is at or heading to; null clears it.' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 8)
  platform?: string | null;

  @ApiPropertyOptional({ description: 'true cancels the run; false restores a cancelled run.' })
  @IsOmittable()
  @IsBoolean()
  cancelled?: boolean;
}
