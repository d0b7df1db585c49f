import { ApiProperty } from '@nestjs/swagger';
import type { Train } from '../train.entity.js';
import { TRAIN_TYPES, WEEKDAYS, type TrainType, type Weekday } from '../train-type.js';

/** What identifies a train in any listing. */
export class TrainRefDto {
  @ApiProperty({ example: '12951' })
  number: string;

  @ApiProperty({ example: 'Mumbai Rajdhani Express' })
  name: string;

  @ApiProperty({ enum: TRAIN_TYPES, enumName: 'TrainType', example: 'RAJDHANI' })
  type: TrainType;

  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday', isArray: true, description: 'Days the train leaves its origin.' })
  runsOn: Weekday[];

  static fields(train: Train): TrainRefDto {
    return { number: train.number, name: train.name, type: train.type, runsOn: train.runsOn };
  }
}
