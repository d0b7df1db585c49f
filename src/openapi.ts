import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsDto } from './common/errors/problem-details.js';
import { applyRequestRules } from './openapi-request-rules.js';
import { buildAsyncApiDocument } from './tracking/asyncapi.js';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Train Tracker API')
    .setDescription(
      'Stations, trains and their routes, with live status. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`) with a stable `code`.\n\n' +
        'Endpoints with a lock need `Authorization: Bearer <accessToken>` (from `POST /api/v1/auth/login` or ' +
        '`/register`): press **Authorize** and paste the access token.\n\n' +
        'Requests are described exactly as they are validated: a body with a field not in its schema, a query ' +
        'parameter not listed, `null` where a field is not `nullable`, or text with a control character is a 400 ' +
        '`VALIDATION_FAILED`; a known path with a method it does not support is a 405 with `Allow`.\n\n' +
        'Live updates over Socket.IO (namespace `/live`) are described in the ' +
        '[AsyncAPI document](/docs/asyncapi.json).\n\n' +
        'The [web client](/) served by this app is built on these two documents only (its code is in `web/`).',
    )
    .setVersion('1.0')
    // The scheme every @Authenticated() / @RequireRoles() operation references through ApiBearerAuth()
    // (default name 'bearer'); without it Swagger UI has no Authorize button.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from login, register or refresh.' }, 'bearer')
    .build();
  // The request side is completed from the validation rules, so it says exactly what is enforced.
  return sortSchemas(documentOverload(allowNullForNullableReferences(applyRequestRules(SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto] }), app))));
}

/**
 * Schemas in name order: Nest lists them in the order their DTOs were first met, which moves
 * with import order, and every such move rewrote the committed documents from top to bottom.
 */
function sortSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas;
  if (schemas) document.components!.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return document;
}

/** Paths the load shedder never refuses (app.setup.ts). */
const NEVER_SHED = new Set(['/health/live']);

/**
 * Any request may be refused by the load shedder (app.setup.ts) before it reaches its route, so
 * every operation but liveness documents that 503, here rather than on each controller.
 */
function documentOverload(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (NEVER_SHED.has(path)) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses['503'] ??= {
        description: 'The instance is overloaded (`OVERLOADED`); retry after the Retry-After header.',
        headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } },
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
      };
    }
  }
  return document;
}

/**
 * `@ApiProperty({ type: LastStationDto, nullable: true })` comes out as
 * `{ nullable: true, type: 'object', allOf: [{ $ref }] }`, which does not let null through: the
 * referenced schema is an object, and OpenAPI 3.0.3 applies `nullable` only to a `type` in the same
 * schema object. A validator (the spec-driven test's Ajv) refused `lastStation: null`. The
 * clarified 3.0.3 way is a null alternative, `{ nullable: true, enum: [null] }` beside the
 * reference, so every nullable reference becomes `anyOf: [{ $ref }, null]`.
 */
function allowNullForNullableReferences(document: OpenAPIObject): OpenAPIObject {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const schema = node as Record<string, unknown>;
    const parts = schema.allOf as Array<Record<string, unknown>> | undefined;
    if (schema.nullable === true && parts?.length === 1 && typeof parts[0].$ref === 'string') {
      delete schema.allOf;
      schema.anyOf = [parts[0], { type: 'object', nullable: true, enum: [null] }];
      // A nullable enum reference comes without a `type`, where `nullable` means nothing (and Ajv refuses it): the null alternative says it.
      if (schema.type === undefined) delete schema.nullable;
    }
    Object.values(schema).forEach(visit);
  };
  visit(document.components?.schemas);
  return document;
}

/** Swagger UI at /docs, the document at /docs-json, the socket events at /docs/asyncapi.json. */
export function setupOpenApi(app: INestApplication): void {
  let document: OpenAPIObject | undefined;
  const openApi = () => (document ??= buildOpenApiDocument(app));
  SwaggerModule.setup('docs', app, openApi, { jsonDocumentUrl: 'docs-json' });
  app.getHttpAdapter().get('/docs/asyncapi.json', (_request: unknown, response: { json(body: unknown): void }) => {
    response.json(buildAsyncApiDocument(openApi()));
  });
}
