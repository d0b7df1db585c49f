import { ApiProperty } from '@nestjs/swagger';
import { TrainDto } from '../../trains/dto/train.dto.js';
import type { FavoriteTrain } from '../favorites.service.js';

export class FavoriteDto {
  @ApiProperty({ type: TrainDto })
  train: TrainDto;

  @ApiProperty({ type: String, format: 'date-time' })
  addedAt: string;

  static from(favorite: FavoriteTrain): FavoriteDto {
    return { train: TrainDto.from(favorite.train, favorite.summary), addedAt: new Date(favorite.addedAt).toISOString() };
  }
}
