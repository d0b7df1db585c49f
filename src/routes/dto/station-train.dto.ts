import { ApiProperty } from '@nestjs/swagger';
import { TrainRefDto } from '../../trains/dto/train-ref.dto.js';
import type { StationCall } from '../route.model.js';
import { ScheduledTimeDto } from './scheduled-time.dto.js';
import { StationRefDto } from './station-ref.dto.js';

/** A train calling at a station, as on a timetable board. */
export class StationTrainDto extends TrainRefDto {
  @ApiProperty({ type: StationRefDto })
  origin: StationRefDto;

  @ApiProperty({ type: StationRefDto })
  destination: StationRefDto;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Null at the train’s origin.' })
  arrival: ScheduledTimeDto | null;

  @ApiProperty({ type: ScheduledTimeDto, nullable: true, description: 'Null at the train’s destination.' })
  departure: ScheduledTimeDto | null;

  @ApiProperty({ example: 9, description: 'Position of this station on the train’s route, from 1.' })
  sequence: number;

  @ApiProperty({ type: String, nullable: true, example: '5' })
  platform: string | null;

  static from({ stop, summary }: StationCall): StationTrainDto {
    const train = stop.train!;
    return {
      ...TrainRefDto.fields(train),
      origin: { code: summary.origin.station!.code, name: summary.origin.station!.name },
      destination: { code: summary.destination.station!.code, name: summary.destination.station!.name },
      arrival: ScheduledTimeDto.of(stop.arrivalMinute, stop.arrivalDay),
      departure: ScheduledTimeDto.of(stop.departureMinute, stop.departureDay),
      sequence: stop.sequence,
      platform: stop.platform,
    };
  }
}
