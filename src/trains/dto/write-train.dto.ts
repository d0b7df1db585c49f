import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length, registerDecorator, type ValidationOptions } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable.js';
import { isTimeZone } from '../service-time.js';
import { IsTrainNumber } from '../../common/validation/codes.js';
import { TRAIN_TYPES, WEEKDAYS, type TrainType, type Weekday } from '../train-type.js';

/** An IANA time zone Intl knows, e.g. Asia/Kolkata. */
function IsTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: '$property must be an IANA time zone, e.g. Asia/Kolkata', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 64 && isTimeZone(value) },
    });
}

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

  @ApiPropertyOptional({ example: 'Asia/Kolkata', default: 'Asia/Kolkata', description: 'IANA time zone of its timetable times and service dates.' })
  @IsOmittable()
  @IsTimeZone()
  timeZone?: string;
}

// skipNullProperties: false — a field sent as null is validated ("name must be a string"), not skipped; see IsOmittable.
export class UpdateTrainDto extends PartialType(OmitType(CreateTrainDto, ['number'] as const), { skipNullProperties: false }) {}
