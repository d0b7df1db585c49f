import { describe, expect, it } from '@jest/globals';
import { useTestApp } from './app.factory.js';

describe('error responses', () => {
  const api = useTestApp();

  it('answers an unknown route with a problem+json 404', async () => {
    const { body, headers } = await api.http.get('/api/v1/nowhere').expect(404);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Cannot GET /api/v1/nowhere',
      instance: '/api/v1/nowhere',
      code: 'NOT_FOUND',
    });
  });

  it.each([
    // `/` is the web client's page (web-client.e2e-spec.ts); no other path outside the API is served.
    ['GET', '/index.html'],
    ['GET', '/favicon.ico'],
    ['GET', '/docs/nope'],
    ['GET', '/health/nope'],
    ['POST', '/somewhere/else'],
  ])('answers %s %s, outside the API prefix, with the same problem+json 404 as an unknown API route', async (method, path) => {
    const { body, headers } = await api.http[method.toLowerCase() as 'get' | 'post' | 'delete'](path).expect(404);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `Cannot ${method} ${path}`,
      instance: path,
      code: 'NOT_FOUND',
    });
  });

  it('answers malformed JSON outside the API prefix with a problem+json 400', async () => {
    const { body, headers } = await api.http.post('/health/live').set('content-type', 'application/json').send('{"a": ').expect(400);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 400, code: 'BAD_REQUEST', instance: '/health/live' });
  });

  it('answers malformed JSON with a problem+json 400, not an HTML page', async () => {
    const { body, headers } = await api.http.post('/api/v1/stations').set('content-type', 'application/json').send('{"code": ').expect(400);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const { body } = await api.http
      .post('/api/v1/stations')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200 * 1024) }))
      .expect(413);
    expect(body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('refuses a body over the size limit outside the API prefix with a problem+json 413', async () => {
    const { body, headers } = await api.http
      .post('/')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(200 * 1024) }))
      .expect(413);
    expect(headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', instance: '/' });
  });

  it('sets security headers', async () => {
    const { headers } = await api.http.get('/api/v1/stations/NDLS').expect(200);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-powered-by']).toBeUndefined();
  });
});
