import { ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { IsTrainNumber } from '../../common/validation/codes.js';
import { TRAIN_TYPES, WEEKDAYS, type TrainType, type Weekday } from '../train-type.js';

export class CreateTrainDto {
  @IsTrainNumber()
  number: string;

  @ApiProperty({ example: 'Mumbai Rajdhani Express', maxLength: 120 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ enum: TRAIN_TYPES, enumName: 'TrainType' })
  @IsIn(TRAIN_TYPES)
  type: TrainType;

  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday', isArray: true, example: ['MON', 'THU'], description: 'Days the train leaves its origin.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true })
  runsOn: Weekday[];
}

// skipNullProperties: false — a field sent as null is validated ("name must be a string"), not skipped; see IsOmittable.
export class UpdateTrainDto extends PartialType(OmitType(CreateTrainDto, ['number'] as const), { skipNullProperties: false }) {}
