import { beforeAll, describe, expect, it } from '@jest/globals';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createAdmin } from '../src/users/create-admin.command.js';
import { testEnv, useTestApp } from './app.factory.js';
import { bearer, login, registerUser } from './auth-helpers.js';
import { type Caller, type GeneratedRequest, type Operation, operationsOf, requestsFor, type Schema } from './spec-requests.js';

/**
 * Spec-driven requests (issue #11 D10): for every operation of the served OpenAPI document,
 * requests generated from its own schemas (path and query parameters, bodies; valid values and
 * hostile ones: null, wrong types, NUL and other control characters, huge numbers, deep nesting,
 * unknown fields), sent as anonymous, user, admin and with a forged token, to the real app on
 * real PostgreSQL and Redis. Every answer must be below 500, have a status the operation
 * documents, the documented content type, and a body that validates against the documented
 * schema of that status (problem+json for errors).
 *
 * Seeded and bounded: FUZZ_RUNS requests (default 400) from FUZZ_SEED; `npm run test:fuzz` runs
 * more. A failure lists each offending request, so it can be replayed by hand; FUZZ_REPORT=<file>
 * also writes every operation's statuses there.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 11_2026);

interface Finding {
  request: string;
  status: number;
  problem: string;
}

describe('spec-driven requests', () => {
  // Its own database: the admin requests it generates really write (and delete) catalog rows.
  const api = useTestApp(testEnv('train_tracker_test_fuzz'));
  const tokens: Partial<Record<Caller, string>> = {};
  let document: Schema;
  let ajv: Ajv;
  const validators = new Map<Schema, ValidateFunction>();

  beforeAll(async () => {
    const email = `fuzz-admin-${randomUUID()}@example.com`;
    await createAdmin([email, '--password', 'fuzz-admin-password']);
    tokens.admin = bearer((await login(api, email, 'fuzz-admin-password')).accessToken);
    tokens.user = bearer((await registerUser(api)).body.accessToken);
    tokens.forged = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJub3QtYS11dWlkIn0.forged';
    document = (await api.http.get('/docs-json').expect(200)).body;
    // OpenAPI 3.0 schemas are JSON Schema with `nullable` and a few annotations: Ajv reads
    // `nullable` itself; `example` and friends are ignored (strict: false).
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'openapi.json', $defs: retarget(document.components.schemas) });
  }, 60_000);

  const validatorFor = (schema: Schema) => {
    let validate = validators.get(schema);
    if (!validate) {
      validate = ajv.compile(retarget(schema));
      validators.set(schema, validate);
    }
    return validate;
  };

  /** Everything wrong with one answer, by the operation's documented responses. */
  const check = (operation: Operation, status: number, contentType: string | undefined, body: unknown, text: string): string[] => {
    if (status >= 500) return [`server error: ${text.slice(0, 300)}`];
    const documented = operation.operation.responses?.[String(status)] as Schema | undefined;
    if (!documented) return [`status ${status} is not documented (${Object.keys(operation.operation.responses ?? {}).join(', ')}): ${text.slice(0, 200)}`];
    const content = (documented.content ?? {}) as Record<string, { schema?: Schema }>;
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) return text.length > 0 ? [`status ${status} documents no body, got ${text.slice(0, 100)}`] : [];
    const mediaType = contentType?.split(';')[0].trim();
    if (!mediaType || !mediaTypes.includes(mediaType)) return [`content type ${mediaType} is not documented for ${status} (${mediaTypes.join(', ')})`];
    const schema = content[mediaType].schema;
    if (!schema || !mediaType.includes('json')) return [];
    const validate = validatorFor(schema);
    return validate(body) ? [] : [`body does not match the ${status} schema: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
  };

  const send = (generated: GeneratedRequest) => {
    const request = (api.http as unknown as Record<string, (url: string) => any>)[generated.method](generated.url);
    if (generated.caller !== 'anonymous') request.set('authorization', tokens[generated.caller]!);
    if (generated.body) request.set('content-type', 'application/json').send('raw' in generated.body ? generated.body.raw : JSON.stringify(generated.body.json));
    return request as Promise<{ status: number; headers: Record<string, string>; body: unknown; text: string }>;
  };

  it(
    `answers ${RUNS} generated requests (seed ${SEED}) without a 5xx, an undocumented status or a body off its schema`,
    async () => {
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThanOrEqual(30);
      // Round-robin over the operations, so each gets its share of the requests.
      const perOperation = operations.map((operation, index) => fc.sample(requestsFor(operation, document), { seed: SEED + index, numRuns: Math.ceil(RUNS / operations.length) }));
      const plan = perOperation[0].flatMap((_, round) => perOperation.map((requests, index) => [operations[index], requests[round]] as const)).slice(0, RUNS);

      const findings: Finding[] = [];
      const statuses = new Map<string, Set<number>>();
      for (const [operation, generated] of plan) {
        const response = await send(generated);
        const key = `${operation.method.toUpperCase()} ${operation.path}`;
        statuses.set(key, (statuses.get(key) ?? new Set()).add(response.status));
        for (const problem of check(operation, response.status, response.headers['content-type'], response.body, response.text ?? '')) {
          const body = generated.body ? ('raw' in generated.body ? `${generated.body.raw.slice(0, 80)}…` : JSON.stringify(generated.body.json)?.slice(0, 300)) : '';
          findings.push({ request: `${generated.method.toUpperCase()} ${generated.url} as ${generated.caller} ${body}`, status: response.status, problem });
        }
      }

      if (process.env.FUZZ_REPORT) {
        const byStatus = Object.fromEntries([...statuses].map(([key, seen]) => [key, [...seen].sort()]));
        writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ seed: SEED, requests: plan.length, findings, statuses: byStatus }, null, 2));
      }
      expect(findings).toEqual([]);
      expect(plan.length).toBe(RUNS);
      // Not only refusals: most operations were also answered with success, so the generated
      // requests reached the services, not just validation.
      const succeeded = [...statuses.values()].filter((seen) => [...seen].some((status) => status < 300)).length;
      expect(succeeded).toBeGreaterThanOrEqual(Math.floor(operations.length / 2));
    },
    Math.max(120_000, RUNS * 400),
  );
});

/** The document's `#/components/schemas/X` references, pointed at the schemas registered as openapi.json#/$defs. */
function retarget(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"openapi.json#/$defs/')) as Schema;
}
