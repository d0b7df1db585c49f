import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable.js';
import { AllowControlCharacters } from '../../common/validation/text.js';

export class UpdateMeDto {
  @ApiPropertyOptional({ example: 'Asha K', minLength: 1, maxLength: 80 })
  @IsOmittable()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 80)
  displayName?: string;

  @ApiPropertyOptional({ description: 'Required to set newPassword.' })
  @AllowControlCharacters()
  @ValidateIf((dto: UpdateMeDto) => dto.newPassword !== undefined || dto.currentPassword !== undefined)
  @IsString({ message: 'currentPassword is required to change the password' })
  @MaxLength(128)
  currentPassword?: string;

  @ApiPropertyOptional({ minLength: 8, maxLength: 128, description: 'Changing it ends every other session.' })
  @IsOmittable()
  @IsString()
  @Length(8, 128)
  newPassword?: string;
}
