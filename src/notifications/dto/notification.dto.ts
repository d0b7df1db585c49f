import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Notification } from '../notification.entity.js';
import { NOTIFICATION_TYPES, type NotificationType } from '../notification-type.js';
import { IsOmittable } from '../../common/validation/omittable.js';
import { IsQueryInteger } from '../../common/validation/query-integer.js';

export class NotificationTrainDto {
  @ApiProperty({ example: '12951' })
  number: string;

  @ApiProperty({ example: 'Mumbai Rajdhani Express' })
  name: string;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: NOTIFICATION_TYPES,
    enumName: 'NotificationType',
    example: 'DELAY',
    description:
      'News of a followed train (DELAY, DEPARTED, ARRIVED, PLATFORM_CHANGE, CANCELLED, RESTORED), or a rider alert about your station on it ' +
      '(ARRIVING_SOON, DEPARTING_SOON, PLATFORM_AT_STATION, DELAY_AT_STATION, STOP_SKIPPED: see PUT /me/favorites/{trainNumber}).',
  })
  type: NotificationType;

  @ApiProperty({ type: NotificationTrainDto })
  train: NotificationTrainDto;

  @ApiProperty({ example: '2026-11-24', format: 'date', description: 'Service date of the train run.' })
  runDate: string;

  @ApiProperty({ example: '12951 is running 35 min late' })
  title: string;

  @ApiProperty({ example: '12951 Mumbai Rajdhani Express is running 35 min late, expected at Kota 02:10.' })
  body: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Machine-readable details of the event: always `trainNumber` and `serviceDate`. Rider alerts (ARRIVING_SOON, DEPARTING_SOON, ' +
      'PLATFORM_AT_STATION, DELAY_AT_STATION, STOP_SKIPPED) add `stationCode`, `platform`, `delayMinutes` (at that station), `realtime` ' +
      '(false: timetable times, nothing reported of the run) and the expected and scheduled times they speak of.',
  })
  data: Record<string, unknown>;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  readAt: string | null;

  static from(notification: Notification, train?: NotificationTrainDto): NotificationDto {
    const source = train ?? notification.train!;
    return {
      id: notification.id,
      type: notification.type,
      train: { number: source.number, name: source.name },
      runDate: notification.runDate,
      title: notification.title,
      body: notification.body,
      data: notification.data,
      createdAt: new Date(notification.createdAt).toISOString(),
      readAt: notification.readAt ? new Date(notification.readAt).toISOString() : null,
    };
  }
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first.' })
  items: NotificationDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor: string | null;
}

export class NotificationQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Only unread notifications.' })
  @IsOmittable()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOmittable()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @IsQueryInteger({ minimum: 1, maximum: 100, default: 20 })
  limit: number = 20;
}

export class NotificationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'id must be a notification id (UUID)' })
  id: string;
}

export class CountDto {
  @ApiProperty({ example: 3 })
  count: number;
}
