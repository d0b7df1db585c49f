import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsStationCode } from '../../common/validation/codes.js';

/** What an operator reports about a run; fields left out keep their current value. */
export class ReportStatusDto {
  @ApiPropertyOptional({ example: '2026-11-24', format: 'date', description: 'Service date; default: the run in progress, else the next one.' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ example: 35, minimum: -120, maximum: 1440 })
  @IsOptional()
  @IsInt()
  @Min(-120)
  @Max(1440)
  delayMinutes?: number;

  @ApiPropertyOptional({ example: 'KOTA', description: 'Station on the route the train has reached.' })
  @IsOptional()
  @IsStationCode()
  lastStationCode?: string;

  @ApiPropertyOptional({ description: 'Whether the train has left lastStationCode.' })
  @IsOptional()
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
  @IsOptional()
  @IsBoolean()
  cancelled?: boolean;
}
