import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination/page.dto.js';
import { ScheduledTimeDto } from '../../routes/dto/scheduled-time.dto.js';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { RouteSummary } from '../../routes/route-summary.js';
import type { Train } from '../train.entity.js';
import { TrainRefDto } from './train-ref.dto.js';

export class TrainDto extends TrainRefDto {
  @ApiProperty({ type: StationRefDto, nullable: true, description: 'First stop of the route; null while the train has no route.' })
  origin: StationRefDto | null;

  @ApiProperty({ type: StationRefDto, nullable: true, description: 'Last stop of the route.' })
  destination: StationRefDto | null;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Departure from the origin.' })
  departure: ScheduledTimeDto | null;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Arrival at the destination.' })
  arrival: ScheduledTimeDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 1386 })
  distanceKm: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 932, description: 'Scheduled journey time, origin to destination.' })
  durationMinutes: number | null;

  @ApiProperty({ example: 11, description: 'Number of stops, origin and destination included.' })
  stopCount: number;

  static from(train: Train, summary: RouteSummary | undefined): TrainDto {
    return {
      ...TrainRefDto.fields(train),
      origin: summary ? { code: summary.origin.station!.code, name: summary.origin.station!.name } : null,
      destination: summary ? { code: summary.destination.station!.code, name: summary.destination.station!.name } : null,
      departure: summary ? ScheduledTimeDto.of(summary.origin.departureMinute, summary.origin.departureDay) : null,
      arrival: summary ? ScheduledTimeDto.of(summary.destination.arrivalMinute, summary.destination.arrivalDay) : null,
      distanceKm: summary?.distanceKm ?? null,
      durationMinutes: summary?.durationMinutes ?? null,
      stopCount: summary?.stopCount ?? 0,
    };
  }
}

export class TrainPageDto extends PageOf(TrainDto) {}
