import { createHash } from 'node:crypto';
import { applyDecorators, Inject, Injectable } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { CronTime } from 'cron';
import type { Request, Response } from 'express';
import { type Clock, REAL_CLOCK } from '../common/clock/clock.js';
import { shortestCronIntervalMs } from '../config/cron-interval.js';
import type { Env } from '../config/env.validation.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { RunState } from './run-state.js';

/** `answer`'s result for a request answered 304: the client's copy is current, nothing is built. */
export const NOT_MODIFIED = null;

const JSON_TYPE = 'application/json; charset=utf-8';

/** What a live answer is made of: the version of each run it shows. */
export type RunVersion = Pick<RunState, 'trainId' | 'serviceDate' | 'version'>;

/**
 * How long the text of a live answer is served again to the next request for the same runs in
 * the same versions: its position and `asOf` are then at most this old (on the app clock; `asOf`
 * says when). The nginx in docker-compose micro-caches these routes for as long.
 */
export const BODY_REUSE_MS = 1000;
/** Answers kept for reuse; past it the oldest goes (an answer is stale after BODY_REUSE_MS anyway). */
const BODY_LIMIT = 2000;

interface Answer {
  catalog: string;
  /** The runs and their versions, and the variant. */
  runs: string;
  nextTick: number;
  tag: string;
  /** App-clock instant the body was computed for (its `asOf`). */
  at: number;
  /** The JSON text, encoded once: reusing it costs no conversion per request. */
  body: Buffer;
}

/**
 * HTTP validators for the live responses (status, timeline, board), for pollers and the
 * proxies in front of them, and the reuse of their text. Their content changes at a tick (run
 * versions), when the catalog changes (catalog version), and with time between ticks (position,
 * what a board still shows, `asOf`). So:
 * - the ETag is weak, made of the catalog version, the tick window and the versions of the runs
 *   shown: equal tags mean the same data as of the same tick, not the same bytes;
 * - `Cache-Control: public, max-age` runs to the next firing of TRACKING_CRON, when the data may
 *   change (ticks follow real time, so REAL_CLOCK, not the simulated one);
 * - the text of an answer is sent again for up to BODY_REUSE_MS while the catalog and the
 *   versions are the same: the live status path spent most of its own time building and
 *   serializing the same view again (README, Performance).
 */
@Injectable()
export class LiveHttpCache {
  private readonly ticks: CronTime;
  /** The shortest time between two ticks: the app-clock window an answer's time-dependent parts hold for. */
  private readonly tickIntervalMs: number;
  /** The next firing of TRACKING_CRON after `from`: computing it (cron → luxon) cost ~15% of a status request. */
  private nextTick = { from: Number.POSITIVE_INFINITY, at: 0 };
  private readonly answers = new Map<string, Answer>();

  constructor(
    private readonly timetable: TimetableService,
    @Inject(REAL_CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.ticks = new CronTime(config.get('TRACKING_CRON', { infer: true }), 'UTC');
    this.tickIntervalMs = shortestCronIntervalMs(config.get('TRACKING_CRON', { infer: true }));
  }

  /**
   * Answers a live GET showing `runs` and sends the answer (see `answer`) straight to Node's
   * response, whose headers the middlewares (security, CORS, request id) have set already:
   * 304 with no body, or 200 with the JSON bytes. Express's `res.send` did the same at a cost per
   * request (the text converted and its length computed again, the Content-Type parsed and
   * formatted, freshness checked a second time), and a controller that sends this way returns
   * nothing for Nest to reply with (`@Res()` without passthrough).
   */
  async send<T>(request: Request, response: Response, runs: readonly RunVersion[], build: () => T, options: { key?: string; at?: Date; variant?: string } = {}): Promise<void> {
    const body = await this.answer(request, response, runs, build, options);
    if (body === NOT_MODIFIED) {
      response.statusCode = 304;
      response.end();
      return;
    }
    response.setHeader('Content-Type', JSON_TYPE);
    response.setHeader('Content-Length', body.length);
    response.statusCode = 200;
    // A HEAD answer has the headers of the GET and no body, as Express's `res.send` gives it.
    if (request.method === 'HEAD') response.end();
    else response.end(body);
  }

  /**
   * The answer to a live GET showing `runs`: sets ETag and Cache-Control, and gives
   * NOT_MODIFIED when the client's copy is current, else the JSON bytes of `build()`. With a
   * `key` (what the URL asked for, e.g. `status:<run>`), the bytes built for the same runs in the
   * same versions less than BODY_REUSE_MS before `at` (app clock, the instant `build` computes
   * for) are given instead; `variant` is what else the URL chose (a board's hours).
   */
  async answer<T>(request: Request, response: Response, runs: readonly RunVersion[], build: () => T, options: { key?: string; at?: Date; variant?: string } = {}): Promise<Buffer | typeof NOT_MODIFIED> {
    const { key, at, variant = '' } = options;
    const now = this.clock.now().getTime();
    const nextTick = this.nextTickAfter(now);
    const catalog = await this.timetable.version();
    // The app clock's window too: what depends on time (position, staleness, what a board still
    // lists) follows the app clock, which a demo runs faster and a replay or test moves by hand.
    let versions = `${variant}@${at === undefined ? '' : Math.floor(at.getTime() / this.tickIntervalMs)}`;
    for (const { trainId, serviceDate, version } of runs) versions += `;${trainId}/${serviceDate}/${version}`;
    const known = key === undefined ? undefined : this.answers.get(key);
    const same = known !== undefined && known.catalog === catalog && known.runs === versions;
    const tag = same && known.nextTick === nextTick ? known.tag : `W/"${catalog}.${nextTick.toString(36)}.${createHash('sha1').update(versions).digest('base64url').slice(0, 16)}"`;
    response.setHeader('ETag', tag);
    response.setHeader('Cache-Control', `public, max-age=${Math.max(0, Math.floor((nextTick - now) / 1000))}`);
    // Express's check against the ETag just set (If-None-Match, weak comparison, no-cache).
    if (request.fresh) return NOT_MODIFIED;
    const built = at?.getTime() ?? Number.NaN;
    // Not when the app clock stepped back (tests move it), nor past the reuse window.
    if (same && built - known.at >= 0 && built - known.at < BODY_REUSE_MS) {
      if (known.nextTick !== nextTick) Object.assign(known, { nextTick, tag });
      return known.body;
    }
    const body = Buffer.from(JSON.stringify(build()));
    if (key !== undefined && !Number.isNaN(built)) {
      this.answers.delete(key);
      if (this.answers.size >= BODY_LIMIT) this.answers.delete(this.answers.keys().next().value!);
      this.answers.set(key, { catalog, runs: versions, nextTick, tag, at: built, body });
    }
    return body;
  }

  /** The next firing after `now`: the one computed before, while `now` has not reached it (and the clock did not step back). */
  private nextTickAfter(now: number): number {
    if (now < this.nextTick.from || now >= this.nextTick.at) this.nextTick = { from: now, at: this.ticks.getNextDateFrom(new Date(now), 'UTC').toMillis() };
    return this.nextTick.at;
  }
}

const VALIDATOR_HEADERS = {
  ETag: { description: 'Weak validator of this answer (catalog version, tick, run versions): send it back in If-None-Match.', schema: { type: 'string' } },
  'Cache-Control': { description: '`public, max-age=<seconds until the next tick>`: the data cannot change before.', schema: { type: 'string' } },
};

/** Documents the conditional GET of a live response: If-None-Match, and the 304. */
export const ApiLiveCaching = Object.assign(
  () =>
    applyDecorators(
      ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy you hold: 304 with no body when it is still current.' }),
      ApiResponse({ status: 304, description: 'Your copy (If-None-Match) is still current; no body.', headers: VALIDATOR_HEADERS }),
    ),
  { headers: VALIDATOR_HEADERS },
);
