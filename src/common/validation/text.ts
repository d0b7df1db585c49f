import { getMetadataStorage, type ValidationError } from 'class-validator';

/**
 * C0 controls (NUL, line feed, escape, …), DEL and C1 controls: no name, search text, code or
 * token of this API has a use for them, and PostgreSQL refuses NUL in text outright (a 500 before
 * this check). Leading and trailing ones are gone already where a DTO trims.
 */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/** Half of a surrogate pair: not text, and stored as U+FFFD (silently changed) if let through. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The text rule as a JSON Schema pattern, for the OpenAPI document (unpaired surrogates cannot be written in one). */
export const TEXT_PATTERN = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$';
/** The same, for text that must not be blank: a trimmed field of at least one character has a non-space one. */
export const VISIBLE_TEXT_PATTERN = '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001F\\u007F-\\u009F]*$';

/** Constraint names, ranked in request-validation.exception.ts (after the type, before formats and bounds). */
export const TEXT_CONSTRAINTS = { controlCharacters: 'noControlCharacters', wellFormed: 'isWellFormedText' } as const;

const ALLOWS_CONTROL_CHARACTERS = Symbol('allowsControlCharacters');

/**
 * Exempts a property from the text check: only for a secret that is compared, never stored or
 * shown (a presented password), so an account whose password predates the check can still log in.
 */
export const AllowControlCharacters = (): PropertyDecorator => (target, property) => Reflect.defineMetadata(ALLOWS_CONTROL_CHARACTERS, true, target, property);

export const allowsControlCharacters = (dto: abstract new (...args: never[]) => object, property: string): boolean =>
  Boolean(Reflect.getMetadata(ALLOWS_CONTROL_CHARACTERS, dto.prototype as object, property));

/** Why a string is not acceptable text, or null when it is. */
export function textProblem(property: string, text: string): [name: string, message: string] | null {
  if (CONTROL_CHARACTER.test(text)) return [TEXT_CONSTRAINTS.controlCharacters, `${property} must not contain control characters`];
  if (UNPAIRED_SURROGATE.test(text)) return [TEXT_CONSTRAINTS.wellFormed, `${property} must be well-formed Unicode text`];
  return null;
}

/**
 * Adds to class-validator's errors of a validated DTO an error for every string it holds that is
 * not acceptable text, at that string's path (`stops.0.platform`); a property that already failed
 * another rule gets the text rule beside it, and the one message logic picks which to show.
 * Called once, by the global validation pipe, for every body, query and path DTO: no string
 * property can forget it. Only properties with validation rules are visited (unknown ones are
 * refused as such), and nested DTOs as deep as they go (nesting is bounded before this runs).
 */
export function withTextErrors(dto: object, errors: ValidationError[]): ValidationError[] {
  const properties = validatedProperties(dto);
  for (const property of properties) {
    if (Reflect.getMetadata(ALLOWS_CONTROL_CHARACTERS, dto, property)) continue;
    visit((dto as Record<string, unknown>)[property], { errors, property, order: properties });
  }
  return errors;
}

/** Where an error about a value goes: its property, among its siblings' errors, in their order. */
interface Place {
  errors: ValidationError[];
  property: string;
  order: string[];
}

function visit(value: unknown, place: Place): void {
  if (typeof value === 'string') {
    const problem = textProblem(place.property, value);
    if (problem) addConstraint(errorAt(place, value), problem);
  } else if (Array.isArray(value)) {
    // Strings in an array (runsOn) are reported on the array, as class-validator's `each` rules are.
    const problem = value.map((item) => (typeof item === 'string' ? textProblem(place.property, item) : null)).find((found) => found !== null);
    if (problem) addConstraint(errorAt(place, value), problem);
    if (value.some(isDto)) {
      const children = errorAt(place, value).children!;
      const indexes = value.map((_, index) => String(index));
      value.forEach((item, index) => visit(item, { errors: children, property: String(index), order: indexes }));
      pruneEmpty(place);
    }
  } else if (isDto(value)) {
    withTextErrors(value, errorAt(place, value).children!);
    pruneEmpty(place);
  }
}

/** Removes the error made for a nested value that turned out to hold no bad text. */
function pruneEmpty({ errors, property }: Place): void {
  const index = errors.findIndex((error) => error.property === property);
  if (index !== -1 && !errors[index].constraints && !errors[index].children?.length) errors.splice(index, 1);
}

/** The error of this property, made (in property order, as class-validator orders them) if it has none. */
function errorAt({ errors, property, order }: Place, value: unknown): ValidationError {
  let error = errors.find((candidate) => candidate.property === property);
  if (!error) {
    error = { property, value, children: [] } as ValidationError;
    const rank = (name: string) => order.indexOf(name);
    const before = errors.findIndex((candidate) => rank(candidate.property) > rank(property));
    errors.splice(before === -1 ? errors.length : before, 0, error);
  }
  error.children ??= [];
  return error;
}

function addConstraint(error: ValidationError, [name, message]: [string, string]): void {
  error.constraints = { ...error.constraints, [name]: message };
}

const isDto = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor !== Object && validatedProperties(value).length > 0;

function validatedProperties(dto: object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(dto.constructor, '', true, false);
  return [...new Set(metadata.map((rule) => rule.propertyName))];
}
