import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CLIENT_REQUESTS, SERVER_EVENTS } from '../src/tracking/live-events.js';
import { LiveGateway } from '../src/tracking/live.gateway.js';
import { useTestApp } from './app.factory.js';

type Operation = { path: string; method: string; operation: { security?: Array<Record<string, string[]>> } & Record<string, any> };

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, operation]) => ({ path, method, operation })),
  );
}

describe('OpenAPI', () => {
  const api = useTestApp();

  it('serves the same document as the committed openapi.json (run `npm run openapi` after API changes)', async () => {
    const committed = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'));
    const { body } = await api.http.get('/docs-json').expect(200);
    expect(body).toEqual(committed);
  });

  it('documents a typed success response (or 204) and problem+json errors for every operation', async () => {
    const { body } = await api.http.get('/docs-json').expect(200);
    const operations = Object.entries(body.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(30);
    for (const { path, method, operation } of operations) {
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      expect([path, method, Boolean(success)]).toEqual([path, method, true]);
      const [status, response] = success as [string, any];
      const schema = Object.values((response.content ?? {}) as Record<string, { schema?: unknown }>)[0]?.schema;
      if (status !== '204') expect([path, method, schema]).toEqual([path, method, expect.anything()]);
      const errors = Object.entries(operation.responses).filter(([status]) => /^[45]/.test(status));
      // Only the liveness and metrics probes cannot fail.
      if (!['/health/live', '/metrics'].includes(path)) expect([path, method, errors.length > 0]).toEqual([path, method, true]);
      for (const [, response] of errors) {
        expect((response as any).content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/ProblemDetailsDto' });
      }
    }
  });

  it('declares the bearer (JWT) scheme that protected operations reference, and only that', async () => {
    const { body } = await api.http.get('/docs-json').expect(200);
    expect(body.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    const defined = Object.keys(body.components.securitySchemes);
    const requirements = [...(body.security ?? []), ...operationsOf(body).flatMap(({ operation }) => operation.security ?? [])];
    expect(requirements.length).toBeGreaterThan(0);
    for (const requirement of requirements) expect(defined).toEqual(expect.arrayContaining(Object.keys(requirement)));
    // Public operations carry no security requirement, so Swagger UI shows them without a lock.
    expect(body.paths['/api/v1/stations'].get.security ?? []).toEqual([]);
    expect(body.paths['/api/v1/auth/login'].post.security ?? []).toEqual([]);
    expect(body.paths['/api/v1/users/me'].get.security).toEqual([{ bearer: [] }]);
  });

  it('marks exactly the operations that refuse a request without a token as bearer-protected', async () => {
    const { body } = await api.http.get('/docs-json').expect(200);
    const operations = operationsOf(body);
    expect(operations.length).toBeGreaterThanOrEqual(30);
    for (const { path, method, operation } of operations) {
      const url = path
        .replace('{code}', 'NDLS')
        .replace('{number}', '12951')
        .replace('{trainNumber}', '12951')
        .replace('{id}', '00000000-0000-4000-8000-000000000000');
      // No Authorization header and an empty body: the global guard answers before validation.
      const response = await (api.http as any)[method](url).send({});
      const documented = [...(body.security ?? []), ...(operation.security ?? [])].some((requirement: object) => 'bearer' in requirement);
      const refused = response.status === 401 && response.body.detail === 'A valid access token is required';
      expect({ method, path, documented, refused }).toEqual({ method, path, documented, refused: documented });
    }
  });

  it('links the AsyncAPI document from the Swagger UI description, and the link works', async () => {
    const { body } = await api.http.get('/docs-json').expect(200);
    const links = [...(body.info.description as string).matchAll(/\]\((\/[^)\s]+)\)/g)].map((match) => match[1]);
    expect(links).toContain('/docs/asyncapi.json');
    const { body: asyncApi } = await api.http.get('/docs/asyncapi.json').expect(200).expect('content-type', /json/);
    expect(asyncApi.asyncapi).toBe('3.0.0');
  });

  it('serves the AsyncAPI document of the socket events, the same as the committed asyncapi.json', async () => {
    const committed = JSON.parse(readFileSync(new URL('../asyncapi.json', import.meta.url), 'utf8'));
    const { body } = await api.http.get('/docs/asyncapi.json').expect(200);
    expect(body).toEqual(committed);
    expect(body.asyncapi).toBe('3.0.0');
    // Every event the gateway handles or emits is documented, with a payload schema that exists.
    const names = Object.values(body.components.messages as Record<string, { name: string; payload: { $ref: string } }>);
    // The messages are exactly the typed contract's events (live-events.ts), each sent and acknowledged request with its ack.
    expect(names.map((message) => message.name).sort()).toEqual(
      [...Object.keys(SERVER_EVENTS), ...Object.keys(CLIENT_REQUESTS), ...Object.keys(CLIENT_REQUESTS).map((request) => `${request} ack`)].sort(),
    );
    for (const message of names) {
      expect(body.components.schemas[message.payload.$ref.replace('#/components/schemas/', '')]).toBeDefined();
    }
    const prototype = LiveGateway.prototype as unknown as Record<string, unknown>;
    const handled = Object.getOwnPropertyNames(prototype)
      .map((method) => prototype[method])
      .filter((member): member is object => typeof member === 'function')
      .map((handler) => Reflect.getMetadata('message', handler))
      .filter(Boolean);
    expect(handled.sort()).toEqual(Object.keys(CLIENT_REQUESTS).sort());
    for (const event of handled) expect(Object.keys(body.operations)).toContain(event);
  });

  it('renders Swagger UI at /docs', async () => {
    const { text } = await api.http.get('/docs').expect(200).expect('content-type', /html/);
    expect(text).toContain('swagger-ui');
  });

  it('serves every script and stylesheet the Swagger UI page loads (the root 404 handler does not shadow them)', async () => {
    const { text } = await api.http.get('/docs').expect(200);
    const assets = [...text.matchAll(/(?:src|href)="\.\/(docs\/[^"]+\.(?:js|css))"/g)].map((match) => `/${match[1]}`);
    expect(assets).toEqual(expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-init.js']));
    for (const asset of assets) {
      const { status, headers } = await api.http.get(asset);
      expect([asset, status, headers['content-type']]).toEqual([asset, 200, expect.stringMatching(/javascript|css/)]);
    }
  });
});
