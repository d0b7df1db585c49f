import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldError } from './domain-errors.js';

export class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'limit' })
  field: string;

  @ApiProperty({ type: [String], example: ['limit must not be greater than 100'] })
  messages: string[];
}

/** The one error shape of the API: RFC 9457 problem details plus a stable `code`. */
export class ProblemDetailsDto {
  @ApiProperty({ example: 'about:blank', description: 'RFC 9457 problem type; about:blank means the HTTP status says it all.' })
  type: string;

  @ApiProperty({ example: 'Not Found', description: 'Short summary of the HTTP status.' })
  title: string;

  @ApiProperty({ example: 404 })
  status: number;

  @ApiProperty({ example: 'No station with code XYZ' })
  detail: string;

  @ApiProperty({ example: '/api/v1/stations/XYZ', description: 'The request path.' })
  instance: string;

  @ApiProperty({ example: 'STATION_NOT_FOUND', description: 'Stable machine-readable error code.' })
  code: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'For validation errors: each bad field and why.' })
  errors?: FieldErrorDto[];
}

export type ProblemDetails = ProblemDetailsDto;
