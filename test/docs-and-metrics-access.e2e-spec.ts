import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testEnv } from './app.factory.js';
import { freePort, InstanceProcess } from './instance-process.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/**
 * /docs and /metrics by configuration, on real instances (each its own environment, read once
 * at start as in production): open in development, off in production unless asked for, and
 * /metrics behind a bearer token when METRICS_TOKEN is set.
 */
describe('/docs and /metrics access', () => {
  const instances: Record<'development' | 'production' | 'productionWithToken', InstanceProcess> = {} as never;

  beforeAll(async () => {
    // Info: the startup line says what is served.
    const base = { ...testEnv(), LOG_LEVEL: 'info' };
    instances.development = new InstanceProcess(await freePort(), { ...base, NODE_ENV: 'development' });
    instances.production = new InstanceProcess(await freePort(), { ...base, NODE_ENV: 'production' });
    instances.productionWithToken = new InstanceProcess(await freePort(), { ...base, NODE_ENV: 'production', METRICS_TOKEN, DOCS_ENABLED: 'true' });
    await Promise.all(Object.values(instances).map((instance) => instance.start()));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(Object.values(instances).map((instance) => instance.stop()));
  });

  const get = (instance: InstanceProcess, path: string, headers: Record<string, string> = {}) => fetch(`${instance.url}${path}`, { headers });
  const DOCS = ['/docs', '/docs-json', '/docs/asyncapi.json'];

  it('serves both, openly, in development', async () => {
    const metrics = await get(instances.development, '/metrics');
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_request_duration_seconds');
    for (const path of DOCS) expect([path, (await get(instances.development, path)).status]).toEqual([path, 200]);
  });

  it('serves neither in production by default: a 404 problem, as for any unknown path', async () => {
    for (const path of ['/metrics', ...DOCS]) {
      const response = await get(instances.production, path);
      expect([path, response.status, response.headers.get('content-type')]).toEqual([path, 404, expect.stringContaining('application/problem+json')]);
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    }
    // The probes stay.
    expect((await get(instances.production, '/health/live')).status).toBe(200);
    expect(instances.production.output).toMatch(/docs off: DOCS_ENABLED.*probes at \/health\/live, \/health\/ready \(metrics off: METRICS_ENABLED\)/);
  });

  it('serves /metrics in production with METRICS_TOKEN only to requests bearing it, and /docs with DOCS_ENABLED', async () => {
    const instance = instances.productionWithToken;
    const wrong: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token-0123456789abcdef' }, { authorization: METRICS_TOKEN }, { authorization: `Basic ${METRICS_TOKEN}` }];
    for (const headers of wrong) {
      const refused = await get(instance, '/metrics', headers);
      expect([headers, refused.status]).toEqual([headers, 401]);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.json()).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    }
    const scraped = await get(instance, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('http_request_duration_seconds');
    for (const path of DOCS) expect([path, (await get(instance, path)).status]).toEqual([path, 200]);
  });
});
