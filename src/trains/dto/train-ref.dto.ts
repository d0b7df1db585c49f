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

  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday', isArray: true, description: 'Weekdays on which the train leaves its origin (on at least one of its service dates); empty when unknown (`daysKnown: false`).' })
  runsOn: Weekday[];

  @ApiProperty({
    example: true,
    description: 'False when the timetable does not say on which days the train runs (`runsOn` is then empty; live status treats it as running daily).',
  })
  daysKnown: boolean;

  @ApiProperty({ example: 'Asia/Kolkata', description: 'IANA time zone of its timetable times and service dates.' })
  timeZone: string;

  static fields(train: Train): TrainRefDto {
    return { number: train.number, name: train.name, type: train.type, runsOn: train.runsOn, daysKnown: train.daysKnown, timeZone: train.timeZone };
  }
}
