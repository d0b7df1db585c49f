import { describe, expect, it } from '@jest/globals';
import { useTestApp } from './app.factory.js';

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric on /metrics, with their labels. */
function samples(text: string, name: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const [, labels, value] = /^[^{]+\{(.*)\} (\S+)$/.exec(line)!;
      return { labels: Object.fromEntries([...labels.matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]])), value: Number(value) };
    });
}

describe('http_request_duration_seconds', () => {
  const api = useTestApp();
  const requests = async () => samples((await api.http.get('/metrics').expect(200)).text, 'http_request_duration_seconds_count');
  const count = (all: Sample[], labels: Record<string, string>) =>
    all.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value)).reduce((sum, sample) => sum + sample.value, 0);

  it('counts requests refused before they reach a route: malformed JSON (400), too large (413), bad URL encoding (400)', async () => {
    const before = await requests();
    const malformed = await api.http.post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email": "a@example.com", ');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    const tooLarge = await api.http.post('/api/v1/auth/login').set('content-type', 'application/json').send(JSON.stringify({ email: 'x'.repeat(200 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const badEncoding = await api.http.get('/api/v1/stations/%E0%A4%A');
    expect(badEncoding.status).toBe(400);
    expect(badEncoding.headers['content-type']).toMatch(/application\/problem\+json/);

    const after = await requests();
    const delta = (labels: Record<string, string>) => count(after, labels) - count(before, labels);
    // Counted once each; no route was reached, so none is named.
    expect(delta({ method: 'POST', route: 'unmatched', status: '400' })).toBe(1);
    expect(delta({ method: 'POST', route: 'unmatched', status: '413' })).toBe(1);
    expect(delta({ method: 'GET', route: 'unmatched', status: '400' })).toBe(1);
    expect(delta({}) - delta({ route: '/metrics' })).toBe(3);
  });

  it('labels a request by its route pattern, and an unknown path as unmatched', async () => {
    const before = await requests();
    await api.http.get('/api/v1/stations/NDLS').expect(200);
    await api.http.get('/api/v1/no-such-thing').expect(404);
    await api.http.get('/no-such-thing').expect(404);
    const after = await requests();
    const delta = (labels: Record<string, string>) => count(after, labels) - count(before, labels);
    expect(delta({ method: 'GET', route: '/api/v1/stations/:code', status: '200' })).toBe(1);
    expect(delta({ method: 'GET', route: 'unmatched', status: '404' })).toBe(2);
  });
});
