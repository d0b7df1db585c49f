import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate, IsStationCode } from '../../common/validation/codes.js';
import { IsOmittable } from '../../common/validation/omittable.js';

export class BetweenQueryDto {
  @IsStationCode('Station the journey starts from (case-insensitive).', 'MMCT')
  from: string;

  @IsStationCode('Station the journey ends at (case-insensitive).', 'NDLS')
  to: string;

  @ApiPropertyOptional({ example: '2026-11-24', format: 'date', description: 'Travel date (YYYY-MM-DD): keep trains that leave `from` on that day.' })
  @IsOmittable()
  @IsCalendarDate()
  date?: string;
}
