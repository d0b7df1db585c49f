import { ApiProperty } from '@nestjs/swagger';
import { LiveStatusDto } from '../../live/dto/live-status.dto.js';
import { STATION_CALL_STATUSES, type StationCallStatus } from '../../live/station-call.js';
import { isoOrNull } from '../../trains/service-time.js';
import { TrainDto } from '../../trains/dto/train.dto.js';
import type { AlertSettings } from '../alert-settings.js';
import type { FavoriteTrain } from '../favorite.model.js';

export class FavoriteStationDto {
  @ApiProperty({ example: 'KOTA' })
  code: string;

  @ApiProperty({ example: 'Kota Junction' })
  name: string;
}

export class FavoriteAlertsDto {
  @ApiProperty({ type: Number, nullable: true, example: 10, description: '"Arriving soon", minutes before the expected arrival; null: off.' })
  beforeArrivalMinutes: number | null;

  @ApiProperty({ type: Number, nullable: true, example: null, description: '"Departing soon", minutes before the expected departure; null: off.' })
  beforeDepartureMinutes: number | null;

  @ApiProperty({ example: true })
  platformChange: boolean;

  @ApiProperty({ type: Number, nullable: true, example: 30, description: 'Delay at the station worth an alert, in minutes; null: off.' })
  delayAtStationMinutes: number | null;

  static from(alerts: AlertSettings): FavoriteAlertsDto {
    return { ...alerts };
  }
}

/** The next run's call at the rider's station, as live status has it. */
export class StationCallDto {
  @ApiProperty({ example: '2026-11-24', format: 'date', description: 'The run (the day it leaves its origin).' })
  serviceDate: string;

  @ApiProperty({
    enum: STATION_CALL_STATUSES,
    enumName: 'StationCallStatus',
    description: 'EXPECTED (still to come), AT_STATION, PASSED, CANCELLED (the run is), SKIPPED (the run will not stop there).',
  })
  status: StationCallStatus;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null where the train starts.' })
  scheduledArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Timetable + delay; null where the train starts, or once it has arrived.' })
  expectedArrival: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Null where the train ends.' })
  scheduledDeparture: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Timetable + delay; null where the train ends, or once it has left.' })
  expectedDeparture: string | null;

  @ApiProperty({ example: 25, description: 'Minutes late at the station (negative: early).' })
  delayMinutes: number;

  @ApiProperty({ type: String, nullable: true, example: '3', description: 'Reported when known, else the timetable’s.' })
  platform: string | null;

  @ApiProperty({ description: 'false: nothing is known of this run yet; the times are the timetable’s.' })
  realtime: boolean;
}

export class FavoriteDto {
  @ApiProperty({ type: TrainDto })
  train: TrainDto;

  @ApiProperty({ type: String, format: 'date-time' })
  addedAt: string;

  @ApiProperty({ type: LiveStatusDto, nullable: true, description: 'Live state of the current (or next) run; null without a timetable.' })
  status: LiveStatusDto | null;

  @ApiProperty({ type: FavoriteStationDto, nullable: true, description: 'Your station on this train; null when none is set.' })
  station: FavoriteStationDto | null;

  @ApiProperty({ type: FavoriteAlertsDto, description: 'Alerts about your station (all off without a station).' })
  alerts: FavoriteAlertsDto;

  @ApiProperty({
    type: StationCallDto,
    nullable: true,
    description: 'The next run calling at your station, with its expected times there (the one your alerts are about); null without a station or such a run within a week.',
  })
  atStation: StationCallDto | null;

  static from(favorite: FavoriteTrain): FavoriteDto {
    const next = favorite.nextCall;
    return {
      train: TrainDto.from(favorite.train, favorite.summary),
      addedAt: new Date(favorite.addedAt).toISOString(),
      status: favorite.live ? LiveStatusDto.from(favorite.live) : null,
      station: favorite.station ? { code: favorite.station.code, name: favorite.station.name } : null,
      alerts: FavoriteAlertsDto.from(favorite.alerts),
      atStation: next
        ? {
            serviceDate: next.view.state.serviceDate,
            status: next.call.status,
            scheduledArrival: isoOrNull(next.call.stop.scheduledArrival),
            expectedArrival: isoOrNull(next.call.expectedArrival),
            scheduledDeparture: isoOrNull(next.call.stop.scheduledDeparture),
            expectedDeparture: isoOrNull(next.call.expectedDeparture),
            delayMinutes: next.call.delayMinutes,
            platform: next.call.platform,
            realtime: next.call.realtime,
          }
        : null,
    };
  }
}
