import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata } from '@nestjs/common';
import type { ValidationError, ValidatorOptions } from 'class-validator';
import { RequestValidationException } from '../errors/request-validation.exception.js';
import { assertNestingDepth } from './nesting.js';
import { withTextErrors } from './text.js';

/** Valid path and query arguments remembered per DTO class, past which that class's memo starts over. */
const MEMO_LIMIT = 1000;

/**
 * The global pipe of every controller argument (body, query, path): Nest's ValidationPipe with
 * unknown properties refused and DTOs transformed, plus the checks every DTO gets without a
 * decorator of its own: input nests at most MAX_INPUT_DEPTH levels (checked before
 * class-transformer, which would overflow the stack), and text is text (no control characters,
 * see text.ts). Errors become one RequestValidationException naming each bad field once.
 *
 * Path and query arguments repeat: pollers ask for the same train's status over and over, and
 * class-transformer + class-validator cost ~7% of a live status request (a CPU profile of
 * bench/status-endpoint.mjs). So a valid one is remembered by its text and its DTO copied the
 * next time: the rules of a DTO are pure functions of its input (none reads the clock or
 * config; a rule that did would have to live in a service), so the same input is valid again.
 * Only flat inputs of strings (what Express gives for a path or a query) whose DTO holds
 * primitives only are remembered; invalid ones are not, so the memo holds only what was
 * accepted, and at most MEMO_LIMIT per class.
 */
export class RequestValidationPipe extends ValidationPipe {
  private readonly memo = new WeakMap<object, Map<string, object>>();

  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => RequestValidationException.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const memoKey = this.memoKey(value, metadata);
    const memo = memoKey === null ? undefined : this.memo.get(metadata.metatype!);
    const known = memoKey === null ? undefined : memo?.get(memoKey);
    if (known) return copyOf(known);
    // Only a value about to be transformed into a DTO (class-transformer is what overflows). Global
    // pipes also see gateway arguments, and report a socket payload as 'body': the gateway's
    // handlers take `unknown` and check the depth themselves (live.gateway.ts parse).
    if (this.toValidate(metadata)) assertNestingDepth(value, metadata.type);
    const result = await super.transform(value, metadata);
    if (memoKey !== null && isFlatOfPrimitives(result)) {
      const remembered = memo ?? new Map<string, object>();
      if (!memo) this.memo.set(metadata.metatype!, remembered);
      if (remembered.size >= MEMO_LIMIT) remembered.clear();
      // A copy: the handler may change the one it gets.
      remembered.set(memoKey, copyOf(result));
    }
    return result;
  }

  /** The memo key of a path or query argument bound to a DTO, or null when it is not one to remember. */
  private memoKey(value: unknown, metadata: ArgumentMetadata): string | null {
    if ((metadata.type !== 'param' && metadata.type !== 'query') || !metadata.metatype || !this.toValidate(metadata)) return null;
    if (typeof value !== 'object' || value === null) return null;
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return null;
    for (const entry of Object.values(value)) if (typeof entry !== 'string') return null;
    return `${metadata.type}:${metadata.data ?? ''}:${JSON.stringify(value)}`;
  }

  protected override async validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, validatorOptions);
    return withTextErrors(object, errors);
  }
}

const copyOf = (dto: object): object => Object.assign(Object.create(Object.getPrototypeOf(dto) as object | null) as object, dto);

/** A DTO whose own properties are all primitives: a shallow copy of it is a full copy. */
function isFlatOfPrimitives(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  for (const entry of Object.values(value)) if (typeof entry === 'object' && entry !== null) return false;
  return true;
}
