import { ApiProperty } from '@nestjs/swagger';
import { LiveStatusDto } from '../../live/dto/live-status.dto.js';
import { TrainDto } from '../../trains/dto/train.dto.js';
import type { FavoriteTrain } from '../favorite.model.js';

export class FavoriteDto {
  @ApiProperty({ type: TrainDto })
  train: TrainDto;

  @ApiProperty({ type: String, format: 'date-time' })
  addedAt: string;

  @ApiProperty({ type: LiveStatusDto, nullable: true, description: 'Live state of the current (or next) run; null without a timetable.' })
  status: LiveStatusDto | null;

  static from(favorite: FavoriteTrain): FavoriteDto {
    return {
      train: TrainDto.from(favorite.train, favorite.summary),
      addedAt: new Date(favorite.addedAt).toISOString(),
      status: favorite.live ? LiveStatusDto.from(favorite.live) : null,
    };
  }
}
