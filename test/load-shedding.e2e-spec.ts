import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import { testEnv, useTestApp } from './app.factory.js';
import { waitFor } from './redis-process.js';

/**
 * The shedder's in-flight bound, end to end. A request whose body never finishes arriving is
 * held by the body parser, after the shedder counted it: with a bound of one, it is the one
 * request the instance may have in hand, whatever the machine's speed.
 */
describe('load shedding (issue #16)', () => {
  const api = useTestApp({ ...testEnv(), OVERLOAD_MAX_IN_FLIGHT: '1' }, { listen: true });

  const holdOneRequest = () => {
    const held = http.request(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': '1000' },
    });
    held.on('error', () => undefined);
    held.write('{"email":');
    return held;
  };

  it('refuses work past its bound with 503 OVERLOADED and Retry-After, answers liveness, then serves again', async () => {
    const held = holdOneRequest();
    let refused: Awaited<ReturnType<typeof api.http.get>> | undefined;
    await waitFor(
      async () => {
        refused = await api.http.get('/api/v1/catalog');
        return refused.status === 503;
      },
      10_000,
      'the held request to be counted',
    );
    expect(refused!.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused!.headers['retry-after']).toBe('1');
    expect(refused!.body).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      code: 'OVERLOADED',
      detail: 'This instance is handling 1 requests, its limit; retry after 1 s',
      instance: '/api/v1/catalog',
    });
    // An orchestrator must not restart an instance for being busy.
    await api.http.get('/health/live').expect(200);

    held.destroy();
    await waitFor(async () => (await api.http.get('/api/v1/catalog')).status === 200, 10_000, 'the instance to serve again');
    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^http_requests_shed_total\{reason="in_flight"\} [1-9]\d*$/m);
  });
});
