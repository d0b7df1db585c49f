import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { RequestValidationException } from '../errors/request-validation.exception.js';
import { assertNestingDepth } from './nesting.js';
import { withTextErrors } from './text.js';

/**
 * The global pipe of every controller argument (body, query, path): Nest's ValidationPipe with
 * unknown properties refused and DTOs transformed, plus the checks every DTO gets without a
 * decorator of its own: input nests at most MAX_INPUT_DEPTH levels (checked before
 * class-transformer, which would overflow the stack), and text is text (no control characters,
 * see text.ts). Errors become one RequestValidationException naming each bad field once.
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

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Only a value about to be transformed into a DTO (class-transformer is what overflows). Global
    // pipes also see gateway arguments, and report a socket payload as 'body': the gateway's
    // handlers take `unknown` and check the depth themselves (live.gateway.ts parse).
    if (this.toValidate(metadata)) assertNestingDepth(value, metadata.type);
    return super.transform(value, metadata);
  }

  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return withTextErrors(object, errors);
  }
}
