import { ApiProperty } from '@nestjs/swagger';
import { ScheduledTimeDto } from '../../routes/dto/scheduled-time.dto.js';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { RouteStop } from '../../routes/route-stop.entity.js';
import { minutesFromStart } from '../../routes/schedule-time.js';
import type { Train } from '../train.entity.js';

export class RouteStopDto {
  @ApiProperty({ example: 1, description: 'Position along the route, from 1.' })
  sequence: number;

  @ApiProperty({ type: StationRefDto })
  station: StationRefDto;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Null at the origin.' })
  arrival: ScheduledTimeDto | null;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Null at the destination.' })
  departure: ScheduledTimeDto | null;

  @ApiProperty({ type: Number, nullable: true, example: 2, description: 'Scheduled halt; null at the origin and destination.' })
  haltMinutes: number | null;

  @ApiProperty({ example: 0, description: 'Distance from the origin.' })
  distanceKm: number;

  @ApiProperty({ type: String, nullable: true, example: '3' })
  platform: string | null;

  static from(stop: RouteStop): RouteStopDto {
    const arrival = ScheduledTimeDto.of(stop.arrivalMinute, stop.arrivalDay);
    const departure = ScheduledTimeDto.of(stop.departureMinute, stop.departureDay);
    return {
      sequence: stop.sequence,
      station: { code: stop.station!.code, name: stop.station!.name },
      arrival,
      departure,
      haltMinutes:
        arrival && departure
          ? minutesFromStart(departure.minuteOfDay, departure.dayOffset) - minutesFromStart(arrival.minuteOfDay, arrival.dayOffset)
          : null,
      distanceKm: stop.distanceKm,
      platform: stop.platform,
    };
  }
}

export class TrainRouteDto {
  @ApiProperty({ example: '12951' })
  number: string;

  @ApiProperty({ example: 'Mumbai Rajdhani Express' })
  name: string;

  @ApiProperty({ type: [RouteStopDto], description: 'Stops in route order.' })
  stops: RouteStopDto[];

  static from(train: Train, stops: RouteStop[]): TrainRouteDto {
    return { number: train.number, name: train.name, stops: stops.map(RouteStopDto.from) };
  }
}
