import { createHash } from 'node:crypto';
import { applyDecorators, Inject, Injectable } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { CronTime } from 'cron';
import type { Request, Response } from 'express';
import { type Clock, REAL_CLOCK } from '../common/clock/clock.js';
import type { Env } from '../config/env.validation.js';
import { TimetableService } from '../routes/timetable.service.js';
import type { TrainLiveView } from './live.model.js';

/**
 * What a controller returns for a request answered 304: Express's `res.send` sees that the
 * request is fresh against the ETag set here and sends the 304 without a body, so nothing is
 * built or serialized for it.
 */
export const NOT_MODIFIED = Object.freeze({}) as never;

/**
 * HTTP validators for the live responses (status, timeline, board), for pollers and the
 * proxies in front of them. Their content changes at a tick (run versions), when the catalog
 * changes (catalog version), and with time between ticks (position, what a board still shows,
 * `asOf`). So:
 * - the ETag is weak, made of the catalog version, the tick window and the versions of the runs
 *   shown: equal tags mean the same data as of the same tick, not the same bytes;
 * - `Cache-Control: public, max-age` runs to the next firing of TRACKING_CRON, when the data may
 *   change (ticks follow real time, so REAL_CLOCK, not the simulated one).
 */
@Injectable()
export class LiveHttpCache {
  private readonly ticks: CronTime;

  constructor(
    private readonly timetable: TimetableService,
    @Inject(REAL_CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.ticks = new CronTime(config.get('TRACKING_CRON', { infer: true }), 'UTC');
  }

  /**
   * Sets ETag and Cache-Control on `response` for a body made of `views` (and `variant`: what
   * else the URL chose, e.g. a board's hours) and says whether the client's copy is current.
   */
  async notModified(request: Request, response: Response, views: readonly TrainLiveView[], variant = ''): Promise<boolean> {
    const now = this.clock.now().getTime();
    const nextTick = this.ticks.getNextDateFrom(new Date(now), 'UTC').toMillis();
    const runs = createHash('sha1');
    for (const { state } of views) runs.update(`${state.trainId}/${state.serviceDate}/${state.version};`);
    runs.update(variant);
    const tag = `W/"${await this.timetable.version()}.${nextTick.toString(36)}.${runs.digest('base64url').slice(0, 16)}"`;
    response.setHeader('ETag', tag);
    response.setHeader('Cache-Control', `public, max-age=${Math.max(0, Math.floor((nextTick - now) / 1000))}`);
    return request.fresh;
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
