import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import type { Request, Response } from 'express';
import { TestClock } from '../../test/builders/clock.js';
import type { Env } from '../config/env.validation.js';
import type { TimetableService } from '../routes/timetable.service.js';
import { BODY_REUSE_MS, LiveHttpCache, NOT_MODIFIED, type RunVersion } from './live-http-cache.js';

/** Every 10 s (TRACKING_CRON's default); the real clock stands 4.2 s after a firing. */
const REAL_NOW = new Date('2026-11-29T12:00:04.200Z');
const APP_NOW = new Date('2026-11-24T17:00:00Z');

class FakeResponse {
  headers: Record<string, string | number> = {};
  statusCode = 200;
  sent: Buffer | undefined | null = null;
  setHeader(name: string, value: string | number) {
    this.headers[name] = value;
    return this;
  }
  end(body?: Buffer) {
    this.sent = body;
    return this;
  }
}

function setUp() {
  const catalog = { version: '7' };
  const realClock = new TestClock(REAL_NOW);
  const config = { get: () => '*/10 * * * * *' } as unknown as ConfigService<Env, true>;
  const timetable = { version: () => Promise.resolve(catalog.version) } as unknown as TimetableService;
  const cache = new LiveHttpCache(timetable, realClock, config);
  let builds = 0;
  /** One GET of a status showing `run` at `at` (app clock): headers set, and what the handler returns. */
  const get = async (run: RunVersion, at: Date, ifNoneMatch?: string) => {
    const response = new FakeResponse();
    const request = { fresh: ifNoneMatch !== undefined && ifNoneMatch === (await tagOf(run, at)) } as Request;
    const body = await cache.answer(request, response as unknown as Response, [run], () => ({ version: run.version, asOf: at.toISOString(), build: ++builds }), {
      key: `status:${run.trainId}/${run.serviceDate}`,
      at,
    });
    return { body, text: body?.toString() ?? '', headers: response.headers };
  };
  const tagOf = async (run: RunVersion, at: Date) => {
    const response = new FakeResponse();
    await cache.answer({ fresh: false } as Request, response as unknown as Response, [run], () => ({}), { at });
    return response.headers.ETag as string;
  };
  /** The same GET through `send`: what reaches the response. */
  const send = async (run: RunVersion, at: Date, options: { ifNoneMatch?: string; method?: string } = {}) => {
    const response = new FakeResponse();
    const fresh = options.ifNoneMatch !== undefined && options.ifNoneMatch === (await tagOf(run, at));
    await cache.send({ fresh, method: options.method ?? 'GET' } as Request, response as unknown as Response, [run], () => ({ version: run.version }), { key: `status:${run.trainId}/${run.serviceDate}`, at });
    return response;
  };
  return { get, send, catalog, realClock, builds: () => builds };
}

const run = (version: number): RunVersion => ({ trainId: 't-12951', serviceDate: '2026-11-24', version });
const later = (ms: number) => new Date(APP_NOW.getTime() + ms);

describe('LiveHttpCache', () => {
  it('answers the JSON bytes with a weak ETag and a max-age to the next tick', async () => {
    const { get } = setUp();
    const { text, headers } = await get(run(3), APP_NOW);
    expect(JSON.parse(text)).toEqual({ version: 3, asOf: APP_NOW.toISOString(), build: 1 });
    expect(headers.ETag).toMatch(/^W\/"7\.[0-9a-z]+\.[\w-]{16}"$/);
    expect(headers['Cache-Control']).toBe('public, max-age=5');
  });

  it('sends the text built for the same run in the same version again for BODY_REUSE_MS of app time, then builds it anew', async () => {
    const { get, builds } = setUp();
    const first = await get(run(3), APP_NOW);
    const again = await get(run(3), later(BODY_REUSE_MS - 1));
    expect(again.body).toBe(first.body);
    expect(again.text).toBe(first.text);
    expect(again.headers.ETag).toBe(first.headers.ETag);
    expect(builds()).toBe(1);
    const anew = await get(run(3), later(BODY_REUSE_MS));
    expect(JSON.parse(anew.text)).toMatchObject({ asOf: later(BODY_REUSE_MS).toISOString(), build: 2 });
    expect(anew.headers.ETag).toBe(first.headers.ETag);
  });

  it('builds anew at once when the run has a new version, the catalog changed, or the app clock stepped back', async () => {
    const { get, catalog, builds } = setUp();
    await get(run(3), APP_NOW);
    expect(JSON.parse((await get(run(4), later(10))).text)).toMatchObject({ version: 4, build: 2 });
    catalog.version = '8';
    expect(JSON.parse((await get(run(4), later(20))).text)).toMatchObject({ build: 3 });
    expect(JSON.parse((await get(run(4), later(-5000))).text)).toMatchObject({ asOf: later(-5000).toISOString(), build: 4 });
    expect(builds()).toBe(4);
  });

  it('answers NOT_MODIFIED, building nothing, to a client holding the current copy', async () => {
    const { get, builds } = setUp();
    const { headers } = await get(run(3), APP_NOW);
    const again = await get(run(3), later(5000), headers.ETag as string);
    expect(again.body).toBe(NOT_MODIFIED);
    expect(again.headers.ETag).toBe(headers.ETag);
    expect(builds()).toBe(1);
  });

  it('moves the ETag and max-age on at each tick, and back when the real clock steps back', async () => {
    const { get, realClock } = setUp();
    const first = await get(run(3), APP_NOW);
    realClock.at = new Date(REAL_NOW.getTime() + 5000); // 09.2 s: the same tick window
    const sameWindow = await get(run(3), later(10));
    expect(sameWindow.headers.ETag).toBe(first.headers.ETag);
    expect(sameWindow.headers['Cache-Control']).toBe('public, max-age=0');
    realClock.at = new Date(REAL_NOW.getTime() + 6000); // 10.2 s: the next window
    const next = await get(run(3), later(20));
    expect(next.headers.ETag).not.toBe(first.headers.ETag);
    expect(next.headers['Cache-Control']).toBe('public, max-age=9');
    realClock.at = REAL_NOW;
    const back = await get(run(3), later(30));
    expect(back.headers.ETag).toBe(first.headers.ETag);
    expect(back.headers['Cache-Control']).toBe('public, max-age=5');
  });

  it('sends 200 with the JSON bytes, their type and length, or 304 with no body, to Node\'s response', async () => {
    const { send } = setUp();
    const ok = await send(run(3), APP_NOW);
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.sent!.toString())).toEqual({ version: 3 });
    expect(ok.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': ok.sent!.length, ETag: expect.any(String) });
    const head = await send(run(3), later(10), { method: 'HEAD' });
    expect(head.statusCode).toBe(200);
    expect(head.sent).toBeUndefined();
    expect(head.headers['Content-Length']).toBe(ok.sent!.length);
    const notModified = await send(run(3), later(20), { ifNoneMatch: ok.headers.ETag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.sent).toBeUndefined();
    expect(notModified.headers['Content-Type']).toBeUndefined();
    expect(notModified.headers.ETag).toBe(ok.headers.ETag);
  });
});
