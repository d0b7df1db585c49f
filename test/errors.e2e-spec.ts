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

  it('sets security headers', async () => {
    const { headers } = await api.http.get('/api/v1/stations/NDLS').expect(200);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-powered-by']).toBeUndefined();
  });
});
