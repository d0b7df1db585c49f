import { describe, expect, it } from '@jest/globals';
import { useTestApp } from './app.factory.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'trace';

/** A known path with a method it does not support is 405 with Allow (RFC 9110 §15.5.6), not 404 (issue #11 D10). */
describe('405 Method Not Allowed', () => {
  const api = useTestApp();

  it.each<[Method, string, string]>([
    ['trace', '/api/v1/stations', 'GET, HEAD, POST'],
    ['trace', '/api/v1/stations/NDLS', 'GET, HEAD, PATCH, DELETE'],
    ['put', '/api/v1/stations', 'GET, HEAD, POST'],
    ['post', '/api/v1/trains/12951', 'GET, HEAD, PATCH, DELETE'],
    ['delete', '/api/v1/trains/12951/status', 'GET, HEAD'],
    ['get', '/api/v1/auth/login', 'POST'],
    ['put', '/api/v1/me/favorites', 'GET, HEAD'],
    ['trace', '/api/v1/me/favorites/12951', 'PUT, DELETE'],
    ['post', '/health/live', 'GET, HEAD'],
    ['delete', '/metrics', 'GET, HEAD'],
    ['post', '/docs-json', 'GET, HEAD'],
  ])('answers %s %s with a problem+json 405 and Allow: %s, before any authentication', async (method, path, allow) => {
    const response = await api.http[method](path);
    expect({ status: response.status, allow: response.headers.allow, type: response.headers['content-type'] }).toEqual({
      status: 405,
      allow,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
    expect(response.body).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: `${method.toUpperCase()} is not allowed on ${path}; allowed: ${allow}`,
      instance: path,
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('still answers an unknown path with 404, whatever the method', async () => {
    for (const method of ['get', 'trace', 'post'] as const) {
      const response = await api.http[method]('/api/v1/nowhere');
      expect([method, response.status, response.body.code]).toEqual([method, 404, 'NOT_FOUND']);
    }
    expect((await api.http.trace('/api/v1/stations/NDLS/nowhere')).status).toBe(404);
  });

  it('leaves HEAD of a GET route and CORS preflights alone', async () => {
    await api.http.head('/api/v1/stations/NDLS').expect(200);
    await api.http.options('/api/v1/stations').expect(204);
  });
});
