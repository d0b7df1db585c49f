import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsCalendarDate } from '../../common/validation/codes.js';

export class RouteQueryDto {
  @ApiPropertyOptional({ example: '2026-11-24', format: 'date', description: 'Service date (YYYY-MM-DD, the day the train leaves its origin): the stops of that day’s run.' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}
