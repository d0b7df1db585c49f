import { ServiceUnavailableException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { toProblem } from '../errors/problem-details.filter.js';

/** How this process is coping, as the shedder reads it. */
export interface LoadGauge {
  /** Recent event-loop lag (ms): how late the loop runs what is due. */
  lagMs(): number;
}

/**
 * Event-loop lag from a timer's drift: a timer due every `sampleMs` that fires late by d ms saw
 * the loop held d ms. The figure is the latest sample, or the previous one halved when higher,
 * so one long block is remembered for a couple of samples and an idle loop reads ~0 within
 * a few hundred milliseconds. The timer is unref'd: it never keeps the process alive.
 */
export class EventLoopLagGauge implements LoadGauge {
  private lag = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(sampleMs = 50, now: () => number = () => performance.now()) {
    let expected = now() + sampleMs;
    this.timer = setInterval(() => {
      const at = now();
      this.lag = Math.max(at - expected, this.lag / 2);
      expected = at + sampleMs;
    }, sampleMs).unref();
  }

  lagMs(): number {
    return this.lag;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface LoadSheddingOptions {
  /** Requests being handled at once, past which new ones are refused. */
  maxInFlight: number;
  /** Event-loop lag (ms) past which new requests are refused, while others are in hand. */
  maxLagMs: number;
  /** Paths always served (liveness: an orchestrator must not restart an instance for being busy). */
  exempt: readonly string[];
  gauge: LoadGauge;
  /** Called once per refused request (metrics). */
  onShed: (reason: 'in_flight' | 'lag') => void;
}

/** Seconds a refused client is told to wait: about how long a lag takes to drain. */
export const SHED_RETRY_AFTER_SECONDS = 1;

/**
 * Refuses work past a bound, explicitly: 503 problem+json (`OVERLOADED`) with Retry-After,
 * before any other middleware spends CPU on the request. Without it an overloaded instance
 * still accepts everything, every request gets slower, clients time out and retry, and the
 * requests it does finish arrive too late to matter; a cheap refusal keeps the latency of the
 * requests it serves near normal and lets clients back off.
 * Lag counts only while other requests are in hand: a loop held by something else with none
 * waiting (startup's migrations and seeding, a query of the embedded database, a tick) is not
 * overload, and the request that comes after it is served.
 */
export function loadShedding({ maxInFlight, maxLagMs, exempt, gauge, onShed }: LoadSheddingOptions) {
  let inFlight = 0;
  return (request: Request, response: Response, next: NextFunction): void => {
    if (exempt.includes(request.path)) return next();
    const reason = inFlight >= maxInFlight ? 'in_flight' : inFlight > 0 && gauge.lagMs() > maxLagMs ? 'lag' : null;
    if (reason) {
      onShed(reason);
      const instance = request.originalUrl.split('?')[0];
      const detail =
        reason === 'in_flight'
          ? `This instance is handling ${inFlight} requests, its limit; retry after ${SHED_RETRY_AFTER_SECONDS} s`
          : `This instance is overloaded (event loop ${Math.round(gauge.lagMs())} ms behind); retry after ${SHED_RETRY_AFTER_SECONDS} s`;
      response
        .status(503)
        .set('Retry-After', String(SHED_RETRY_AFTER_SECONDS))
        .type('application/problem+json')
        .json({ ...toProblem(new ServiceUnavailableException(detail), instance), code: 'OVERLOADED' });
      return;
    }
    inFlight += 1;
    // Node emits 'close' on every response once, after 'finish' or when the connection is gone.
    response.once('close', () => {
      inFlight -= 1;
    });
    next();
  };
}
