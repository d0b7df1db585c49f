import { BadRequestException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { TEXT_CONSTRAINTS } from '../validation/text.js';
import type { FieldError } from './domain-errors.js';

/** A request whose params, query or body failed DTO validation; names every bad field. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly errors: FieldError[]) {
    super(`Invalid request: ${errors.map((error) => error.field).join(', ')}`);
  }

  /** One message per bad field (see `mostRelevantMessage`), for every DTO of HTTP and socket. */
  static fromValidationErrors(validationErrors: ValidationError[]): RequestValidationException {
    return new RequestValidationException(flatten(validationErrors, ''));
  }
}

function flatten(errors: ValidationError[], prefix: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message = error.constraints ? mostRelevantMessage(error, error.constraints) : undefined;
    const own = message ? [{ field, messages: [message] }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator runs every rule of a property and reports each failure, so a missing email got
 * "must be shorter than or equal to 254 characters" and `hours=abc` got its range twice plus its
 * type. The client needs the first thing to fix: that the field is missing, else that its type is
 * wrong, else that its text holds control characters, else which format, else which bound. (`stopAtFirstError` cannot choose: it keeps
 * whichever rule ran first, and rules run in reverse order of their decorators.)
 */
function mostRelevantMessage(error: ValidationError, constraints: Record<string, string>): string | undefined {
  const failed = Object.entries(constraints);
  // Nest's ValidationPipe deletes the value of an error that has children (it is their container),
  // so only a childless error without a value is a missing one.
  const missing = error.value === undefined && !error.children?.length && !('whitelistValidation' in constraints);
  if (missing) {
    // A DTO may say more than "required" (e.g. "currentPassword is required to change the password").
    return failed.find(([, message]) => /\brequired\b/.test(message))?.[1] ?? `${error.property} is required`;
  }
  // Decorators register bottom-up, so the reversed list is in source order: on a tie, the rule
  // written first wins.
  const inSourceOrder = failed.reverse();
  const rank = ([name]: [string, string]) => {
    const tier = TIERS.findIndex((names) => names.has(name));
    return tier === -1 ? FORMAT_TIER : tier;
  };
  return inSourceOrder.reduce<[string, string] | undefined>((best, candidate) => (!best || rank(candidate) < rank(best) ? candidate : best), undefined)?.[1];
}

/** Constraint names of class-validator, most fundamental first; any other rule is a format rule. */
const TIERS: Array<Set<string>> = [
  new Set(['whitelistValidation', 'isDefined', 'isNotEmpty', 'arrayNotEmpty']),
  new Set(['isString', 'isInt', 'isNumber', 'isNumberString', 'isBoolean', 'isArray', 'isObject', 'isDate', 'isEnum', 'nestedValidation']),
  // Text that is not text (a NUL, an escape): said before any format or bound, which it also breaks.
  new Set<string>(Object.values(TEXT_CONSTRAINTS)),
  new Set(), // format: isEmail, matches, isIn, isUUID, isCalendarDate and every custom rule
  new Set(['min', 'max', 'isLength', 'minLength', 'maxLength', 'arrayMinSize', 'arrayMaxSize', 'arrayUnique', 'isPositive', 'isNegative']),
];
const FORMAT_TIER = 3;
