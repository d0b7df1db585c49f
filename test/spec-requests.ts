import fc from 'fast-check';

export type Schema = Record<string, any>;
export type Caller = 'anonymous' | 'user' | 'admin' | 'forged';

/** One operation of the OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  operation: Schema;
}

/** A generated request: what to send and as whom. */
export interface GeneratedRequest {
  method: string;
  /** The documented path with its parameters filled in and URL-encoded. */
  url: string;
  caller: Caller;
  /** No body, a value sent as JSON, or JSON text sent as it is (nesting deeper than a JSON encoder would build by hand). */
  body?: { json: unknown } | { raw: string };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

export function operationsOf(document: Schema): Operation[] {
  return Object.entries(document.paths as Record<string, Record<string, Schema>>).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ method, path, operation })),
  );
}

/** Objects and arrays nested this deep, far past the 16 levels the server accepts (as JSON text: 2.8 KB at 1,400). */
const deeplyNested = (levels: number) => `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;

/**
 * Values no schema allows, or that sit on an edge: null, wrong types, NUL and other control
 * characters, unpaired surrogates, huge and fractional numbers, long strings, empty containers,
 * operator-looking objects, spellings of integers that Number() would have taken.
 */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, '', ' ', '\u0000', 'a\u0000b', '\u001b[31m', 'tab\there', 'line\nbreak', 'a\ud800', '\u0085', '0x10', ' 5', '1e1', 'null', [], {}, [[[[[]]]]], { $gt: '' }),
  fc.string({ maxLength: 12 }).map((text) => `${text}\u0000`),
  fc.integer(),
  fc.double(),
  fc.string({ minLength: 300, maxLength: 2000 }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
);

/** Opaque tokens a client could forge (a notification cursor is base64url JSON): extreme times and ids inside. */
const forgedTokens = ['-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', 'x'].flatMap((time) =>
  [[time, '00000000-0000-4000-8000-000000000000'], [time], { createdAt: time }].map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);

/** What a query parameter can be sent as (always text): hostile spellings first. */
const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...forgedTokens),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000', '0x10', ' 5', '5 ', '+2', '2.0', '1e1', '-1', '0', '99999999999999999999', 'Infinity', 'NaN', 'abc', '٥', 'true\u0000', '%', 'a\ud800', 'x'.repeat(300)),
  fc.string({ maxLength: 20 }),
);

const todayPlus = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A value the schema allows (as far as a schema can say: a valid code need not exist). */
export function validValue(schema: Schema, schemas: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, schemas);
  const value = validOfType(resolved, schemas, depth);
  const withExample = resolved.example !== undefined ? fc.oneof({ weight: 2, arbitrary: fc.constant(resolved.example) }, { weight: 3, arbitrary: value }) : value;
  return resolved.nullable ? fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: withExample }) : withExample;
}

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  if (schema.$ref) return { ...resolve(schemas[schema.$ref.split('/').pop()!], schemas), ...withoutRef(schema) };
  if (schema.allOf?.length === 1) return { ...resolve(schema.allOf[0], schemas), ...withoutKey(schema, 'allOf') };
  return schema;
}
const withoutRef = ({ $ref: _, ...rest }: Schema) => rest;
const withoutKey = (schema: Schema, key: string) => Object.fromEntries(Object.entries(schema).filter(([name]) => name !== key));

function validOfType(schema: Schema, schemas: Record<string, Schema>, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = validValue(schema.items ?? {}, schemas, depth + 1);
      const constraints = { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) };
      return schema.uniqueItems ? fc.uniqueArray(items, { ...constraints, selector: (item) => JSON.stringify(item) }) : fc.array(items, constraints);
    }
    case 'object':
      return depth > 4 ? fc.constant({}) : validObject(schema, schemas, depth);
    case 'string':
      return validString(schema);
    default:
      return schema.properties ? validObject(schema, schemas, depth) : fc.constant('x');
  }
}

function validObject(schema: Schema, schemas: Record<string, Schema>, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(schema.required ?? []);
  const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property, schemas, depth + 1)]));
  return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  const fits = (text: string) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity);
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  switch (schema.format) {
    case 'date':
      return fc.oneof(fc.integer({ min: -8, max: 8 }).map(todayPlus), fc.constantFrom('9999-12-31', '0100-01-01', '2026-02-28', '1970-01-01'));
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uuid':
      return fc.uuid();
  }
  // A pattern with a look-ahead is the text rule: printable text, filtered through it.
  if (pattern && !schema.pattern.includes('(?=') && !schema.pattern.startsWith('^[^')) return fc.stringMatching(pattern).filter(fits);
  return fc
    .string({ unit: 'grapheme-ascii', minLength, maxLength: Math.max(minLength, maxLength) })
    .map((text) => text.trim())
    .filter((text) => fits(text) && (!pattern || pattern.test(text)));
}

/** A value for one parameter or property: valid most of the time, hostile otherwise. */
const mixed = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostile });

/** A body: the schema's object with some fields hostile, missing or extra, or something else entirely. */
function bodyFor(schema: Schema, schemas: Record<string, Schema>): fc.Arbitrary<GeneratedRequest['body']> {
  const resolved = resolve(schema, schemas);
  const properties = (resolved.properties ?? {}) as Record<string, Schema>;
  const required = new Set<string>(resolved.required ?? []);
  const fields = Object.entries(properties).map(([name, property]) =>
    fc
      .oneof(
        { weight: 6, arbitrary: validValue(property, schemas).map((value) => [value]) },
        { weight: 2, arbitrary: hostileValue.map((value) => [value]) },
        { weight: required.has(name) ? 1 : 3, arbitrary: fc.constant([]) },
      )
      .map((value) => [name, value] as const),
  );
  const object = fc
    .tuple(fc.tuple(...fields), fc.option(fc.tuple(fc.constantFrom('unknown', 'role', '__proto__', 'constructor'), hostileValue), { freq: 6 }))
    .map(([entries, extra]) => {
      const body: Record<string, unknown> = {};
      for (const [name, value] of entries) if (value.length > 0) body[name] = value[0];
      if (extra) Object.defineProperty(body, extra[0], { value: extra[1], enumerable: true, configurable: true, writable: true });
      return body;
    });
  return fc.oneof(
    { weight: 12, arbitrary: object.map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 'text', 42).map((json) => ({ json })) },
    { weight: 1, arbitrary: fc.constantFrom({ raw: deeplyNested(1400) }, { raw: '{"a":' }, { raw: '{"a":1,"a":2}' }, { raw: '"\\u0000"' }) },
    { weight: 1, arbitrary: object.map((json) => ({ raw: JSON.stringify({ ...json, [Object.keys(properties)[0] ?? 'a']: '__NEST__' }).replace('"__NEST__"', deeplyNested(200)) })) },
  );
}

/**
 * Generated requests for one operation of the document: two in five are valid as the schema
 * describes them (by the caller the operation needs, existing resources preferred), so the
 * services are reached, not only validation; the others mix valid and hostile values, callers and
 * extra parameters.
 */
export function requestsFor(operation: Operation, document: Schema): fc.Arbitrary<GeneratedRequest> {
  return fc.oneof({ weight: 2, arbitrary: generate(operation, document, true) }, { weight: 3, arbitrary: generate(operation, document, false) });
}

function generate({ method, path, operation }: Operation, document: Schema, valid: boolean): fc.Arbitrary<GeneratedRequest> {
  const schemas = document.components.schemas as Record<string, Schema>;
  const parameters = (operation.parameters ?? []) as Schema[];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  // The examples name the demo data (NDLS, 12951): valid requests prefer them, so they find
  // something, but a DELETE never takes one, or the first round would delete what later ones read.
  const pathSchema = (parameter: Schema) => (method === 'delete' ? { ...parameter.schema, example: undefined } : parameter.schema);
  const existing = (schema: Schema) => {
    const example = resolve(schema, schemas).example;
    return example === undefined ? validValue(schema, schemas) : fc.oneof({ weight: 4, arbitrary: fc.constant(example) }, { weight: 1, arbitrary: validValue(schema, schemas) });
  };
  const hostilePath = fc.oneof(hostileQuery, fc.constantFrom('..', '%2F', 'NDLS/../x', '\u0000'));

  const pathValues = fc.tuple(
    ...pathParameters.map((parameter) =>
      (valid ? existing(pathSchema(parameter)) : mixed(validValue(pathSchema(parameter), schemas), hostilePath))
        .map(asText)
        // An empty segment addresses another resource (/trains/ is /trains), not this operation.
        .filter((value) => value.length > 0)
        .map((value) => [parameter.name as string, value] as const),
    ),
  );
  const queryValues = fc.tuple(
    ...queryParameters.map((parameter) =>
      (valid
        ? fc.oneof(
            { weight: 3, arbitrary: validValue(parameter.schema, schemas).map((value) => [asText(value)]) },
            { weight: parameter.required ? 0 : 1, arbitrary: fc.constant([] as string[]) },
          )
        : fc.oneof(
            { weight: 3, arbitrary: validValue(parameter.schema, schemas).map((value) => [asText(value)]) },
            { weight: 2, arbitrary: hostileQuery.map((value) => [value]) },
            { weight: parameter.required ? 1 : 3, arbitrary: fc.constant([] as string[]) },
            { weight: 1, arbitrary: fc.tuple(hostileQuery, hostileQuery).map((values) => [...values]) },
          )
      ).map((values) => [parameter.name as string, values] as const),
    ),
  );
  const extraQuery = valid ? fc.constant(null) : fc.option(fc.tuple(fc.constantFrom('sort', 'q2', '__proto__'), hostileQuery), { freq: 8 });
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema as Schema | undefined;
  const body: fc.Arbitrary<GeneratedRequest['body']> = !bodySchema
    ? fc.constant(undefined)
    : valid
      ? validValue(bodySchema, schemas).map((json) => ({ json }))
      : bodyFor(bodySchema, schemas);
  const protectedOperation = (operation.security ?? []).length > 0;
  const caller = valid ? fc.constant<Caller>(protectedOperation ? 'admin' : 'anonymous') : fc.constantFrom<Caller>('anonymous', 'user', 'admin', 'admin', 'forged');

  return fc.record({ pathValues, queryValues, extraQuery, body, caller }).map(({ pathValues: filled, queryValues: query, extraQuery: extra, body: sent, caller: who }) => {
    let url = path;
    for (const [name, value] of filled) url = url.replace(`{${name}}`, encodeSegment(value));
    const search = new URLSearchParams();
    for (const [name, values] of query) for (const value of values) search.append(name, value);
    if (extra) search.append(extra[0], extra[1]);
    const queryString = search.toString();
    return { method, url: queryString ? `${url}?${queryString}` : url, caller: who, body: sent };
  });
}

/**
 * encodeURIComponent, except that an unpaired surrogate (which it refuses) is sent as the bytes a
 * careless encoder would produce (WTF-8, e.g. %ED%A0%80): not UTF-8, so the server must refuse it.
 */
function encodeSegment(value: string): string {
  return [...value]
    .map((char) => {
      const code = char.charCodeAt(0);
      if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(char);
    })
    .join('');
}

