import { RequestValidationException } from '../errors/request-validation.exception.js';

/**
 * How deep objects and arrays may nest in a request body or socket payload (the value itself is
 * level 1). The deepest input of this API is a route (body → stops → stop → arrival: 4 levels);
 * class-transformer and class-validator recurse once per level and overflowed the stack at about
 * 1,400 levels (a 2.8 KB body: a 500, or INTERNAL_ERROR on the socket).
 */
export const MAX_INPUT_DEPTH = 16;

/**
 * Refuses a value nested deeper than MAX_INPUT_DEPTH with a validation problem naming the
 * top-level field it happens under (or `name`, e.g. `body`, when the value itself is the nest).
 * Runs before any transformation, and walks with its own stack, so it cannot overflow itself.
 */
export function assertNestingDepth(value: unknown, name: string): void {
  const field = fieldNestedTooDeep(value, name);
  if (field !== null) {
    throw new RequestValidationException([{ field, messages: [`${field} must not be nested more than ${MAX_INPUT_DEPTH} levels deep`] }]);
  }
}

function fieldNestedTooDeep(root: unknown, name: string): string | null {
  const pending: Array<{ value: unknown; depth: number; field: string }> = [{ value: root, depth: 1, field: name }];
  while (pending.length > 0) {
    const { value, depth, field } = pending.pop()!;
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) continue;
    if (depth > MAX_INPUT_DEPTH) return field;
    // Object.entries skips the holes of a sparse array, whatever its length claims.
    for (const [key, child] of Object.entries(value)) {
      pending.push({ value: child, depth: depth + 1, field: depth === 1 && !Array.isArray(value) ? key : field });
    }
  }
  return null;
}
