import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { PinoNestLogger } from '../src/common/logging/logger.js';
import { useTestApp } from './app.factory.js';

/** The app's own logger class, writing to memory at info level. */
const lines: Array<{ context?: string; msg: string }> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    lines.push(JSON.parse(chunk.toString()) as { context?: string; msg: string });
    callback();
  },
});

describe('startup log', () => {
  const api = useTestApp(undefined, { logger: new PinoNestLogger(pino({ level: 'info' }, sink)) });

  /** Every `{/path}` or `{/path, METHOD}` the startup lines name. */
  const loggedRoutes = () =>
    lines.flatMap(({ msg }) => [...msg.matchAll(/\{(\/[^,}]*)(?:, (\w+))?\}/g)].map((match) => ({ path: match[1], method: match[2] ?? 'GET' })));

  it('names the health and metrics routes where they are served, outside /api/v1', () => {
    const paths = loggedRoutes().map((route) => route.path);
    expect(paths).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics', '/api/v1/stations']));
    expect(paths.filter((path) => /^\/api\/v1\/(health|metrics)/.test(path))).toEqual([]);
  });

  it('names only routes the app serves', async () => {
    const routes = loggedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(30);
    for (const { path, method } of routes) {
      const url = path.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? '00000000-0000-4000-8000-000000000000' : name === 'code' ? 'NDLS' : '12951'));
      const { status, body } = await (api.http as any)[method.toLowerCase()](url).send({});
      // Unknown routes answer 404 "Cannot <METHOD> <path>"; a served one answers anything else.
      expect({ method, path, unknown: status === 404 && String(body.detail).startsWith('Cannot ') }).toEqual({ method, path, unknown: false });
    }
  });
});
