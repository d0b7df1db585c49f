import type { INestApplication, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
import { allowsControlCharacters, TEXT_PATTERN, VISIBLE_TEXT_PATTERN } from './common/validation/text.js';

type Schema = Record<string, any>;

export type RequestLocation = 'body' | 'query' | 'path';

/** A DTO a controller method takes from the request, with the operation (Swagger's default operationId) it belongs to. */
export interface RequestArgument {
  operationId: string;
  location: RequestLocation;
  dto: Type<object>;
}

const LOCATIONS: Partial<Record<RouteParamtypes, RequestLocation>> = {
  [RouteParamtypes.BODY]: 'body',
  [RouteParamtypes.QUERY]: 'query',
  [RouteParamtypes.PARAM]: 'path',
};

/** Every body, query and path DTO of every controller method, read from Nest's own route metadata. */
export function requestArguments(app: INestApplication): RequestArgument[] {
  const found: RequestArgument[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prototype = metatype.prototype as Record<string, unknown>;
      for (const method of Object.getOwnPropertyNames(prototype)) {
        const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, metatype, method) as Record<string, { index: number; data?: unknown }> | undefined;
        const types = Reflect.getMetadata('design:paramtypes', prototype, method) as Array<Type<object>> | undefined;
        for (const [key, { index, data }] of Object.entries(args ?? {})) {
          const location = LOCATIONS[Number(key.split(':')[0]) as RouteParamtypes];
          const dto = types?.[index];
          if (location && dto && data === undefined && rulesOf(dto).length > 0) found.push({ operationId: `${metatype.name}_${method}`, location, dto });
        }
      }
    }
  }
  return found;
}

/**
 * Makes the request side of the document say what validation enforces, from the validation rules
 * themselves (class-validator metadata), so the two cannot drift: for every body DTO (and the DTOs
 * nested in it) and every query and path parameter, the type (integer, not number), bounds,
 * lengths, item counts, uniqueness, formats, which fields are required and which accept null,
 * the text rule (no control characters, see text.ts) and, for bodies, `additionalProperties:
 * false` (unknown fields are refused). What a decorator already says stays unless the rules say
 * otherwise; patterns and enums written for people (a case-insensitive code) are kept.
 */
export function applyRequestRules(document: OpenAPIObject, app: INestApplication): OpenAPIObject {
  const operations = new Map<string, Schema>();
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods as Record<string, Schema>)) if (operation?.operationId) operations.set(operation.operationId, operation);
  }
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const done = new Set<Type<object>>();
  const describeBody = (dto: Type<object>) => {
    if (done.has(dto) || !schemas[dto.name]) return;
    done.add(dto);
    const schema = schemas[dto.name];
    const required: string[] = [];
    for (const [property, rules] of groupByProperty(dto)) {
      schema.properties ??= {};
      schema.properties[property] = describe(schema.properties[property] ?? {}, rules, allowsControlCharacters(dto, property));
      if (isRequired(rules)) required.push(property);
      for (const nested of nestedTypes(dto, property)) describeBody(nested);
    }
    if (required.length > 0) schema.required = required;
    else delete schema.required;
    schema.additionalProperties = false;
  };
  for (const { operationId, location, dto } of requestArguments(app)) {
    const operation = operations.get(operationId);
    if (!operation) continue;
    if (location === 'body') {
      describeBody(dto);
      continue;
    }
    for (const [property, rules] of groupByProperty(dto)) {
      const parameter = (operation.parameters as Schema[] | undefined)?.find((candidate) => candidate.in === location && candidate.name === property);
      if (!parameter) continue;
      parameter.schema = describe(parameter.schema ?? {}, rules, allowsControlCharacters(dto, property));
      parameter.required = location === 'path' || (isRequired(rules) && parameter.schema.default === undefined);
      delete parameter.schema.nullable; // a query string has no null
    }
  }
  return document;
}

function rulesOf(dto: Type<object>): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
}

function groupByProperty(dto: Type<object>): Map<string, ValidationMetadata[]> {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of rulesOf(dto)) byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  return byProperty;
}

/** A property that no condition (IsOptional, IsOmittable, ValidateIf) can exempt from its rules. */
const isRequired = (rules: ValidationMetadata[]) => !rules.some((rule) => rule.type === 'conditionalValidation');
/** class-validator's IsOptional() is the one condition that lets null through (see omittable.ts). */
const acceptsNull = (rules: ValidationMetadata[]) => rules.some((rule) => rule.type === 'conditionalValidation' && rule.name === 'isOptional');

/** The DTO classes a property nests (from its Swagger type), to describe them as request schemas too. */
function nestedTypes(dto: Type<object>, property: string): Array<Type<object>> {
  const metadata = Reflect.getMetadata('swagger/apiModelProperties', dto.prototype, property) as { type?: unknown } | undefined;
  const type = Array.isArray(metadata?.type) ? metadata.type[0] : metadata?.type;
  return typeof type === 'function' && rulesOf(type as Type<object>).length > 0 ? [type as Type<object>] : [];
}

function describe(existing: Schema, rules: ValidationMetadata[], allowsControl: boolean): Schema {
  const schema: Schema = { ...existing };
  const named = (name: string) => rules.find((rule) => rule.name === name && !rule.each);
  const isArray = Boolean(named('isArray'));
  const target = isArray ? (schema.items ??= {}) : schema;
  const item = (name: string) => rules.find((rule) => rule.name === name && (isArray ? rule.each : !rule.each));

  if (named('isInt')) schema.type = 'integer';
  else if (named('isNumber')) schema.type = 'number';
  else if (named('isBoolean')) schema.type = 'boolean';
  else if (isArray) schema.type = 'array';
  if (named('min')) schema.minimum = named('min')!.constraints[0];
  if (named('max')) schema.maximum = named('max')!.constraints[0];
  if (named('arrayMinSize')) schema.minItems = named('arrayMinSize')!.constraints[0];
  if (named('arrayMaxSize')) schema.maxItems = named('arrayMaxSize')!.constraints[0];
  if (named('arrayUnique')) schema.uniqueItems = true;

  const isString = Boolean(item('isString') || item('isEmail') || item('matches') || item('isUUID') || item('isCalendarDate'));
  if (isString && !target.$ref && !target.allOf) target.type = 'string';
  const length = item('isLength');
  const minLength = length?.constraints[0] ?? item('minLength')?.constraints[0];
  const maxLength = length?.constraints[1] ?? item('maxLength')?.constraints[0];
  if (minLength !== undefined && minLength > 0) target.minLength = minLength;
  if (maxLength !== undefined) target.maxLength = maxLength;
  if (item('isEmail')) target.format = 'email';
  if (item('isUUID')) target.format = 'uuid';
  if (item('isCalendarDate')) target.format = 'date';
  if (item('matches') && !target.pattern) target.pattern = (item('matches')!.constraints[0] as RegExp).source;
  // Free text gets the text rule as a pattern; codes, emails, dates and enums are narrower already.
  if (isString && !allowsControl && !target.pattern && !target.format && !target.enum && !target.$ref) {
    target.pattern = (minLength ?? 0) > 0 ? VISIBLE_TEXT_PATTERN : TEXT_PATTERN;
  }
  if (acceptsNull(rules)) schema.nullable = true;
  else delete schema.nullable;
  return schema;
}
