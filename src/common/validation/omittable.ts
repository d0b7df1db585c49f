import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The property may be left out; when it is sent, it is validated, and `null` is a value like any
 * other (so `"name": null` is "name must be a string"). class-validator's `IsOptional()` skips
 * `null` as well as `undefined`, which let `{"state": null}` through to a NOT NULL column (a 500)
 * and `{"displayName": null}` into `.trim()`. Keep `IsOptional()` for the properties documented
 * `nullable`, where null means "clear it" (a station's coordinates, a report's platform).
 * Mapped PATCH types get the same rule from `PartialType(Dto, { skipNullProperties: false })`.
 */
export const IsOmittable = (options?: ValidationOptions): PropertyDecorator => ValidateIf((_object, value) => value !== undefined, options);
