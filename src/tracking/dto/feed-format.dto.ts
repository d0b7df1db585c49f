import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable.js';

export const FEED_FORMATS = ['protobuf', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export class FeedFormatQueryDto {
  @ApiPropertyOptional({
    enum: FEED_FORMATS,
    default: 'protobuf',
    description: 'protobuf: the binary FeedMessage GTFS-Realtime consumers read; json: the same message for people (proto field names, enums by name).',
  })
  @IsOmittable()
  @IsIn(FEED_FORMATS)
  format?: FeedFormat;
}
