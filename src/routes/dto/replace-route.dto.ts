import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { IsStationCode } from '../../common/validation/codes.js';
import { IsOmittable } from '../../common/validation/omittable.js';

export class ScheduledTimeInputDto {
  @ApiProperty({ example: '08:32', description: 'Local time, HH:mm (24-hour).' })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: '$property must be a time written HH:mm' })
  time: string;

  @ApiProperty({ example: 2, minimum: 1, maximum: 7, description: 'Day of the journey, 1 = the day the train leaves its origin.' })
  @IsInt()
  @Min(1)
  @Max(7)
  day: number;
}

export class RouteStopInputDto {
  @ApiProperty({ example: 1, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(500)
  sequence: number;

  @IsStationCode()
  stationCode: string;

  @ApiPropertyOptional({ type: ScheduledTimeInputDto, description: 'Omitted at the first stop.' })
  @IsOmittable()
  @ValidateNested()
  @Type(() => ScheduledTimeInputDto)
  arrival?: ScheduledTimeInputDto;

  @ApiPropertyOptional({ type: ScheduledTimeInputDto, description: 'Omitted at the last stop.' })
  @IsOmittable()
  @ValidateNested()
  @Type(() => ScheduledTimeInputDto)
  departure?: ScheduledTimeInputDto;

  @ApiProperty({ example: 0, minimum: 0, description: 'Distance from the origin.' })
  @IsInt()
  @Min(0)
  @Max(20_000)
  distanceKm: number;

  @ApiPropertyOptional({ example: '3', maxLength: 8 })
  @IsOmittable()
  @IsString()
  @Length(1, 8)
  platform?: string;
}

export class ReplaceRouteDto {
  @ApiProperty({ type: [RouteStopInputDto], description: 'Every stop, in order; replaces the whole route.' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(300)
  @ValidateNested({ each: true })
  @Type(() => RouteStopInputDto)
  stops: RouteStopInputDto[];
}
