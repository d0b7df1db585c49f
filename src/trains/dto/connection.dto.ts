import { ApiProperty } from '@nestjs/swagger';
import { ScheduledTimeDto } from '../../routes/dto/scheduled-time.dto.js';
import { StationRefDto } from '../../routes/dto/station-ref.dto.js';
import type { TrainConnection } from '../train.model.js';
import { TrainRefDto } from './train-ref.dto.js';

/** A train between two stations: leaves `from`, later reaches `to`. */
export class ConnectionDto extends TrainRefDto {
  @ApiProperty({ type: StationRefDto })
  from: StationRefDto;

  @ApiProperty({ type: StationRefDto })
  to: StationRefDto;

  @ApiProperty({ type: ScheduledTimeDto, description: 'Departure from `from`.' })
  departure: ScheduledTimeDto;

  @ApiProperty({ type: ScheduledTimeDto, description: 'Arrival at `to`.' })
  arrival: ScheduledTimeDto;

  @ApiProperty({ example: 932 })
  durationMinutes: number;

  @ApiProperty({ example: 1386 })
  distanceKm: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-11-23',
    description: 'With `date`: the date the train leaves its origin for this journey (earlier than `date` for trains already a day out).',
  })
  originDate: string | null;

  /** The same connection (between() keeps its answers) gets the same DTO: only serialized, never changed. */
  private static readonly made = new WeakMap<TrainConnection, ConnectionDto>();

  static from(connection: TrainConnection): ConnectionDto {
    let dto = ConnectionDto.made.get(connection);
    if (!dto) ConnectionDto.made.set(connection, (dto = ConnectionDto.build(connection)));
    return dto;
  }

  private static build(connection: TrainConnection): ConnectionDto {
    const { train, from, to } = connection;
    return {
      ...TrainRefDto.fields(train),
      from: { code: from.station!.code, name: from.station!.name },
      to: { code: to.station!.code, name: to.station!.name },
      departure: ScheduledTimeDto.of(from.departureMinute, from.departureDay)!,
      arrival: ScheduledTimeDto.of(to.arrivalMinute, to.arrivalDay)!,
      durationMinutes: connection.durationMinutes,
      distanceKm: connection.distanceKm,
      originDate: connection.originDate,
    };
  }
}
