import { ApiProperty } from '@nestjs/swagger';
import { ScheduledTimeDto } from '../../routes/dto/scheduled-time.dto.js';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { RouteStop } from '../../routes/route-stop.entity.js';
import type { RouteOfTrain } from '../../routes/route.model.js';
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

  @ApiProperty({ example: 'Asia/Kolkata', description: 'IANA time zone of the times below.' })
  timeZone: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date',
    example: '2026-11-24',
    description: 'With `date`: the service date whose stops these are. Null without: the train’s main stop pattern (the one with the most stops).',
  })
  serviceDate: string | null;

  @ApiProperty({ example: 1, description: 'Stop patterns the train runs on different dates (GTFS trips under one number); ask for a `date` to get that day’s.' })
  patternCount: number;

  @ApiProperty({ type: String, nullable: true, example: 'Montauk', description: 'Where the pattern is headed, as the feed says; null for hand-made trains.' })
  headsign: string | null;

  @ApiProperty({ type: [RouteStopDto], description: 'Stops in route order.' })
  stops: RouteStopDto[];

  static from(train: Train, route: RouteOfTrain | null): TrainRouteDto {
    return {
      number: train.number,
      name: train.name,
      timeZone: train.timeZone,
      serviceDate: route?.serviceDate ?? null,
      patternCount: route?.patternCount ?? 0,
      headsign: route?.pattern.headsign ?? null,
      stops: (route?.stops ?? []).map(RouteStopDto.from),
    };
  }

  /** A route just written (admin): the train's one pattern. */
  static ofStops(train: Train, stops: RouteStop[]): TrainRouteDto {
    return { number: train.number, name: train.name, timeZone: train.timeZone, serviceDate: null, patternCount: 1, headsign: null, stops: stops.map(RouteStopDto.from) };
  }
}
