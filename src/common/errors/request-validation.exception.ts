import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import type { FieldError } from './domain-errors.js';

/** A request whose params, query or body failed DTO validation; names every bad field. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(`Invalid request: ${errors.map((error) => error.field).join(', ')}`);
  }

  static fromValidationErrors(validationErrors: ValidationError[]): RequestValidationException {
    return new RequestValidationException(flatten(validationErrors, ''));
  }
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
