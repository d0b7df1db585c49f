import { describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { requestLogging } from './logger.js';

/** A real HTTP server whose only middleware is the request logger, writing log lines to memory. */
async function serve(level: string, status = 200): Promise<{ url: string; lines: Array<Record<string, unknown>>; server: Server }> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  const middleware = requestLogging(pino({ level }, sink));
  const server = createServer((request, response) => middleware(request, response, () => response.writeHead(status).end('{}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines, server };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('requestLogging', () => {
  it('logs one line per request with its id, method, path (no query), status and time', async () => {
    const { url, lines, server } = await serve('info');
    const response = await fetch(`${url}/api/v1/trains/12951/status?date=2026-11-24`);
    await settle();
    server.close();
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'request completed', req: { id, method: 'GET', url: '/api/v1/trains/12951/status' }, res: { statusCode: 200 } });
    expect(typeof lines[0].responseTime).toBe('number');
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const { url, server } = await serve('info');
    const kept = await fetch(url, { headers: { 'x-request-id': 'lb-1234.abc' } });
    const replaced = await fetch(url, { headers: { 'x-request-id': 'bad id with spaces' } });
    server.close();
    expect(kept.headers.get('x-request-id')).toBe('lb-1234.abc');
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs client errors as warn and server errors as error; below the level nothing is written', async () => {
    const notFound = await serve('info', 404);
    await fetch(notFound.url);
    const failed = await serve('info', 503);
    await fetch(failed.url);
    const quiet = await serve('error', 404);
    await fetch(quiet.url);
    await settle();
    for (const { server } of [notFound, failed, quiet]) server.close();
    expect(notFound.lines.map((line) => line.level)).toEqual([40]);
    expect(failed.lines.map((line) => line.level)).toEqual([50]);
    expect(quiet.lines).toEqual([]);
  });

  it('does not log health checks and metrics scrapes', async () => {
    const { url, lines, server } = await serve('info');
    await fetch(`${url}/health/live`);
    await fetch(`${url}/metrics`);
    await settle();
    server.close();
    expect(lines).toEqual([]);
  });
});
