import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsCalendarDate } from '../../common/validation/codes.js';
import { IsOmittable } from '../../common/validation/omittable.js';

export class RouteQueryDto {
  @ApiPropertyOptional({ example: '2026-11-24', format: 'date', description: 'Service date (YYYY-MM-DD, the day the train leaves its origin): the stops of that day’s run.' })
  @IsOmittable()
  @IsCalendarDate()
  date?: string;
}
