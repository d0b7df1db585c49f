import { ValidationPipe } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { RequestValidationException } from '../errors/request-validation.exception.js';
import { withTextErrors } from './text.js';

/**
 * The global pipe of every controller argument (body, query, path): Nest's ValidationPipe with
 * unknown properties refused and DTOs transformed, plus the checks every DTO gets without a
 * decorator of its own: text is text (no control characters, see text.ts). Errors become one
 * RequestValidationException naming each bad field once.
 */
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => RequestValidationException.fromValidationErrors(errors),
    });
  }

  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return withTextErrors(object, errors);
  }
}
