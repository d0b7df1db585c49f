import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsStationCode } from '../../common/validation/codes.js';
import { IsOmittable } from '../../common/validation/omittable.js';
import { ALARM_LEAD_MAX_MINUTES, DELAY_THRESHOLD_MAX_MINUTES } from '../alert-settings.js';
import type { FavoriteSettings } from '../favorite.model.js';

/** Alerts about the rider's station; each one left out is off. */
export class AlertSettingsDto {
  @ApiPropertyOptional({
    example: 10,
    description: '"Arriving soon": minutes before the expected arrival at the station (the delay included). Not at the station where the train starts.',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(ALARM_LEAD_MAX_MINUTES)
  beforeArrivalMinutes?: number;

  @ApiPropertyOptional({
    example: 15,
    description: '"Departing soon": minutes before the expected departure from the station (the delay included). Not at the station where the train ends.',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(ALARM_LEAD_MAX_MINUTES)
  beforeDepartureMinutes?: number;

  @ApiPropertyOptional({ example: true, description: 'Tell when the platform reported at the station is not the timetable’s.' })
  @IsOmittable()
  @IsBoolean()
  platformChange?: boolean;

  @ApiPropertyOptional({ example: 30, description: 'Tell when the train is expected at the station at least this many minutes late.' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(DELAY_THRESHOLD_MAX_MINUTES)
  delayAtStationMinutes?: number;
}

/**
 * The optional body of PUT /me/favorites/:trainNumber. An empty body (or none) follows the train
 * and leaves its settings as they are; a body with either field replaces them.
 */
export class FavoriteSettingsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'KOTA',
    description:
      'Your station on this train (where you board or get off), case-insensitive; it must be a stop of the train (else 400 STATION_NOT_ON_ROUTE). ' +
      'Required with `alerts` (else 400 INVALID_ALERT_SETTINGS); null clears the station and its alerts.',
  })
  @IsOptional()
  @IsStationCode()
  stationCode?: string | null;

  @ApiPropertyOptional({
    type: AlertSettingsDto,
    description:
      'What to be told about that station. 400 INVALID_ALERT_SETTINGS, naming the field, for an alert the station cannot give: ' +
      '`beforeArrivalMinutes` where the train starts, `beforeDepartureMinutes` where it ends. Left out: no alerts.',
  })
  @IsOmittable()
  @ValidateNested()
  @Type(() => AlertSettingsDto)
  alerts?: AlertSettingsDto;
}

/** The settings a body asks for, or undefined when it asks for none (no body, or `{}`). */
export function settingsOf(body: FavoriteSettingsDto): FavoriteSettings | undefined {
  if (body.stationCode === undefined && body.alerts === undefined) return undefined;
  const alerts = body.alerts ?? {};
  return {
    stationCode: body.stationCode ?? null,
    alerts: {
      beforeArrivalMinutes: alerts.beforeArrivalMinutes ?? null,
      beforeDepartureMinutes: alerts.beforeDepartureMinutes ?? null,
      platformChange: alerts.platformChange ?? false,
      delayAtStationMinutes: alerts.delayAtStationMinutes ?? null,
    },
  };
}
