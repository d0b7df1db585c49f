import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/**
 * The published Socket.IO contract (asyncapi.json, as committed and served) as validators: what
 * the server may emit on /live, and how it must answer each request. Test clients check every
 * event and acknowledgement they receive against it (see live-helpers.ts), so a renamed event,
 * a missing field or a wrong type fails the test that saw it.
 */

type Schema = Record<string, unknown>;
type Ref = { $ref: string };

interface AsyncApiDocument {
  channels: Record<string, { messages: Record<string, Ref> }>;
  operations: Record<string, { action: 'send' | 'receive'; messages: Ref[]; reply?: { messages: Ref[] } }>;
  components: { messages: Record<string, { name: string; payload: Ref }>; schemas: Record<string, Schema> };
}

const DOCUMENT = JSON.parse(readFileSync(new URL('../asyncapi.json', import.meta.url), 'utf8')) as AsyncApiDocument;

/**
 * The payload schemas are OpenAPI 3.0 schemas (the REST DTOs'): `nullable: true` allows null
 * beside whatever else the schema says, including an `allOf` of a `$ref`, which JSON Schema
 * would apply to null as well. Turned into JSON Schema here: `anyOf: [null, the rest]`.
 * Objects that list their properties get `additionalProperties: false`, so a field the document
 * does not describe is a mismatch too.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') schema.$ref = (value as string).replace('#/components/schemas/', '#/$defs/');
    else if (key === 'properties') schema.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, toJsonSchema(property)]));
    else if (key !== 'example') schema[key] = toJsonSchema(value);
  }
  if (schema.type === 'object' && schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  if (schema.nullable === true) {
    const { nullable: _nullable, description, ...rest } = schema;
    return { ...(description === undefined ? {} : { description }), anyOf: [{ type: 'null' }, rest] };
  }
  return schema;
}

const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
// ajv-formats is CommonJS: its plugin is the module's `default` under Node's ESM loader.
ajvFormats.default(ajv);
ajv.addSchema({ $id: 'asyncapi', $defs: toJsonSchema(DOCUMENT.components.schemas) as Schema });

const resolve = (ref: Ref): unknown => ref.$ref.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], DOCUMENT);
const message = (ref: Ref) => {
  const found = resolve(ref) as Ref | { name: string; payload: Ref };
  return ('$ref' in found ? resolve(found) : found) as { name: string; payload: Ref };
};
const validatorOf = (payload: Ref) => ajv.compile({ $ref: `asyncapi${payload.$ref.replace('#/components/schemas/', '#/$defs/')}` });

/** Server → client events by name, and the reply schema of each client request, from the document's operations. */
const EVENTS = new Map<string, ValidateFunction>();
const REPLIES = new Map<string, ValidateFunction>();
for (const operation of Object.values(DOCUMENT.operations)) {
  for (const ref of operation.messages) {
    const { name, payload } = message(ref);
    if (operation.action === 'receive') EVENTS.set(name, validatorOf(payload));
    else for (const reply of operation.reply?.messages ?? []) REPLIES.set(name, validatorOf(message(reply).payload));
  }
}

/** Names of the events the document says the server emits. */
export const documentedEvents = (): string[] => [...EVENTS.keys()];

const describeErrors = (validate: ValidateFunction) =>
  (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`).join('; ');

/** What is wrong with a received event (one payload argument, valid against its schema), or null. */
export function eventViolation(event: string, args: unknown[]): string | null {
  const validate = EVENTS.get(event);
  if (!validate) return `event "${event}" is not in asyncapi.json (documented: ${documentedEvents().join(', ')})`;
  if (args.length !== 1) return `event "${event}" carried ${args.length} arguments; the document describes one payload`;
  return validate(args[0]) ? null : `event "${event}" payload does not match asyncapi.json: ${describeErrors(validate)}`;
}

/** What is wrong with the acknowledgement of a request, or null. */
export function ackViolation(request: string, reply: unknown): string | null {
  const validate = REPLIES.get(request);
  if (!validate) return `request "${request}" has no documented reply in asyncapi.json`;
  return validate(reply) ? null : `ack of "${request}" does not match asyncapi.json: ${describeErrors(validate)}`;
}
