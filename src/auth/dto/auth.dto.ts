import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength, MinLength } from 'class-validator';
import { AllowControlCharacters } from '../../common/validation/text.js';
import { UserDto } from '../../users/dto/user.dto.js';

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class RegisterDto {
  @ApiProperty({ example: 'asha@example.com', description: 'Trimmed and compared case-insensitively.' })
  @trim
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128, example: 'correct horse battery staple', description: '8-128 characters (NIST SP 800-63B).' })
  @IsString()
  @Length(8, 128)
  password: string;

  @ApiProperty({ example: 'Asha', minLength: 1, maxLength: 80 })
  @trim
  @IsString()
  @Length(1, 80)
  displayName: string;
}

export class LoginDto {
  @ApiProperty({ example: 'asha@example.com' })
  @trim
  @IsString()
  @MinLength(3)
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @AllowControlCharacters()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token from the last login or refresh.' })
  @IsString()
  @Length(20, 200)
  refreshToken: string;
}

export class SessionDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ description: 'JWT for the Authorization: Bearer header.' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque; exchange it at /auth/refresh. Each one works once.' })
  refreshToken: string;

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires.' })
  expiresIn: number;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  tokenType: 'Bearer';
}
