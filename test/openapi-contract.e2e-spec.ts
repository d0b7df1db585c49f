import { describe, expect, it } from '@jest/globals';
import { getMetadataStorage } from 'class-validator';
import { requestArguments } from '../src/openapi-request-rules.js';
import { useTestApp } from './app.factory.js';

type Schema = Record<string, any>;

/**
 * The OpenAPI document says what the server enforces (issue #11 D10): the request side is checked
 * here against the validation rules of every body, query and path DTO the controllers take.
 */
describe('OpenAPI contract: requests', () => {
  const api = useTestApp();
  let document: Schema;
  const schemas = () => document.components.schemas as Record<string, Schema>;
  const resolve = (schema: Schema): Schema => (schema.$ref ? schemas()[schema.$ref.split('/').pop()] : schema);
  const operations = () =>
    Object.entries(document.paths as Record<string, Record<string, Schema>>).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
  const parameter = (path: string, name: string) => (document.paths[path].get.parameters as Schema[]).find((candidate) => candidate.name === name)!;

  it('serves the document', async () => {
    document = (await api.http.get('/docs-json').expect(200)).body;
  });

  it('documents page, limit and hours as integers, with every bound (page ≤ 100,000)', () => {
    for (const path of ['/api/v1/stations', '/api/v1/trains']) {
      expect(parameter(path, 'page').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100_000, default: 1 });
      expect(parameter(path, 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
    }
    expect(parameter('/api/v1/stations/{code}/board', 'hours').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 24 });
    expect(parameter('/api/v1/me/notifications', 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('documents the limits the issue found missing', () => {
    expect(schemas().RefreshTokenDto.properties.refreshToken).toMatchObject({ minLength: 20, maxLength: 200 });
    expect(schemas().CreateTrainDto.properties.runsOn).toMatchObject({ minItems: 1, maxItems: 7, uniqueItems: true });
    expect(schemas().ReplaceRouteDto.properties.stops).toMatchObject({ minItems: 2, maxItems: 300 });
    expect(schemas().RouteStopInputDto.properties.sequence).toMatchObject({ type: 'integer', minimum: 1, maximum: 500 });
    expect(schemas().LoginDto.properties.email).toMatchObject({ minLength: 3, maxLength: 254 });
    expect(schemas().UpdateMeDto.properties.currentPassword).toMatchObject({ maxLength: 128 });
  });

  it('says every request body refuses unknown fields (additionalProperties: false), nested ones included', () => {
    const bodies = operations().flatMap(({ operation }) => Object.values((operation.requestBody?.content ?? {}) as Record<string, { schema: Schema }>).map(({ schema }) => schema));
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    const seen = new Set<Schema>();
    const check = (schema: Schema | undefined): void => {
      if (!schema) return;
      const target = resolve(schema);
      if (seen.has(target)) return;
      seen.add(target);
      if (target.type === 'object' || target.properties) expect([target, target.additionalProperties]).toEqual([target, false]);
      for (const property of Object.values((target.properties ?? {}) as Record<string, Schema>)) {
        check(property);
        check(property.items);
        for (const part of property.allOf ?? []) check(part);
      }
    };
    bodies.forEach(check);
    expect([...seen].filter((schema) => schema.properties).length).toBeGreaterThanOrEqual(12);
  });

  it('gives every validated request property the type, bounds, lengths, item counts and requiredness of its rules', () => {
    const mismatches: string[] = [];
    const byOperation = new Map(operations().map(({ operation }) => [operation.operationId, operation]));
    for (const { operationId, location, dto } of requestArguments(api.app)) {
      const operation = byOperation.get(operationId);
      expect([operationId, Boolean(operation)]).toEqual([operationId, true]);
      const bodySchema = location === 'body' ? resolve(Object.values(operation!.requestBody.content as Record<string, { schema: Schema }>)[0].schema) : undefined;
      const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
      for (const property of new Set(rules.map((rule) => rule.propertyName))) {
        const own = rules.filter((rule) => rule.propertyName === property);
        const documented =
          location === 'body'
            ? { schema: bodySchema!.properties?.[property] as Schema | undefined, required: (bodySchema!.required ?? []).includes(property) }
            : (() => {
                const found = (operation!.parameters as Schema[]).find((candidate) => candidate.in === location && candidate.name === property);
                return { schema: found?.schema as Schema | undefined, required: Boolean(found?.required) };
              })();
        const where = `${operationId} ${location} ${property}`;
        if (!documented.schema) {
          mismatches.push(`${where}: not documented`);
          continue;
        }
        const schema = documented.schema;
        const rule = (name: string) => own.find((candidate) => candidate.name === name && !candidate.each);
        const expectKeyword = (keyword: string, value: unknown, target: Schema = schema) => {
          if (target[keyword] !== value) mismatches.push(`${where}: ${keyword} is ${JSON.stringify(target[keyword])}, validation says ${JSON.stringify(value)}`);
        };
        if (rule('isInt')) expectKeyword('type', 'integer');
        if (rule('isBoolean')) expectKeyword('type', 'boolean');
        if (rule('isArray')) expectKeyword('type', 'array');
        if (rule('min')) expectKeyword('minimum', rule('min')!.constraints[0]);
        if (rule('max')) expectKeyword('maximum', rule('max')!.constraints[0]);
        if (rule('isLength')) expectKeyword('maxLength', rule('isLength')!.constraints[1]);
        if (rule('maxLength')) expectKeyword('maxLength', rule('maxLength')!.constraints[0]);
        if (rule('arrayMinSize')) expectKeyword('minItems', rule('arrayMinSize')!.constraints[0]);
        if (rule('arrayMaxSize')) expectKeyword('maxItems', rule('arrayMaxSize')!.constraints[0]);
        if (rule('arrayUnique')) expectKeyword('uniqueItems', true);
        const conditional = own.some((candidate) => candidate.type === 'conditionalValidation');
        const hasDefault = schema.default !== undefined;
        if (location !== 'path' && documented.required !== (!conditional && !hasDefault)) mismatches.push(`${where}: required is ${documented.required}`);
        const nullable = own.some((candidate) => candidate.type === 'conditionalValidation' && candidate.name === 'isOptional');
        if (Boolean(schema.nullable) !== (nullable && location === 'body')) mismatches.push(`${where}: nullable is ${Boolean(schema.nullable)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('says which fields accept null: only those where null clears a value', () => {
    const nullable = Object.entries(schemas())
      .filter(([name]) => /^(Create|Update|Replace|Register|Login|Refresh|Report|ScheduledTimeInput|RouteStopInput)/.test(name))
      .flatMap(([name, schema]) => Object.entries((schema.properties ?? {}) as Record<string, Schema>).filter(([, property]) => property.nullable).map(([property]) => `${name}.${property}`));
    expect(nullable.sort()).toEqual(['CreateStationDto.latitude', 'CreateStationDto.longitude', 'ReportStatusDto.platform', 'UpdateStationDto.latitude', 'UpdateStationDto.longitude']);
  });

  it('documents the text rule on free text (no control characters), but not on a presented password', () => {
    expect(new RegExp(schemas().RegisterDto.properties.displayName.pattern, 'u').test('Asha\u0000')).toBe(false);
    expect(new RegExp(schemas().RegisterDto.properties.displayName.pattern, 'u').test('आशा K')).toBe(true);
    expect(new RegExp(parameter('/api/v1/stations', 'q').schema.pattern, 'u').test('\u0007')).toBe(false);
    expect(schemas().LoginDto.properties.password.pattern).toBeUndefined();
  });

  it('never answers a date-time that is not RFC 3339: a service date outside the served window is 404', async () => {
    for (const date of ['9999-12-31', '0100-01-01', '2999-01-01']) {
      const { body } = await api.http.get(`/api/v1/trains/12951/timeline?date=${date}`).expect(404);
      expect(body.code).toBe('RUN_NOT_FOUND');
    }
    const { body } = await api.http.get('/api/v1/trains/12951/timeline').expect(200);
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
    const times = [body.asOf, body.updatedAt, ...body.stops.flatMap((stop: Schema) => [stop.scheduledArrival, stop.scheduledDeparture, stop.expectedArrival, stop.expectedDeparture, stop.actualArrival, stop.actualDeparture])];
    for (const time of times.filter((value) => value !== null)) expect(time).toMatch(rfc3339);
  });
});
