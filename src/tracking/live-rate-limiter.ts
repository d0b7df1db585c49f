import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Clock, REAL_CLOCK } from '../common/clock/clock.js';
import { TooManyRequestsError } from '../common/errors/domain-errors.js';
import { RATE_LIMIT_STORE, type RateLimitStore } from '../common/rate-limit/rate-limit.store.js';
import type { Env } from '../config/env.validation.js';

/** What to do with one event of a socket. */
export type Admission = { admitted: true } | { admitted: false; error: TooManyRequestsError; disconnect: boolean };

/**
 * The events of one connection in fixed windows, in memory (a socket lives on one instance).
 * Past `limit` events in a window they are refused; a socket that sends as many refused events
 * again in the same window is ignoring the refusals and is to be disconnected.
 */
export class ConnectionBudget {
  private windowEndsAt = 0;
  private events = 0;
  private refused = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an event at `now` (ms); true when it is within the budget. */
  take(now: number): boolean {
    if (now >= this.windowEndsAt) {
      this.windowEndsAt = now + this.windowMs;
      this.events = 0;
      this.refused = 0;
    }
    this.events++;
    return this.events <= this.limit;
  }

  /** Records a refused event; true when the socket has now been refused more than `limit` times in this window. */
  refuse(): boolean {
    this.refused++;
    return this.refused > this.limit;
  }

  secondsLeft(now: number): number {
    return Math.max(1, Math.ceil((this.windowEndsAt - now) / 1000));
  }
}

/** The events of one socket: its own budget, and its client address's budget shared with its other sockets. */
export interface ConnectionLimit {
  readonly ip: string;
  admit(): Promise<Admission>;
}

/**
 * The client address of a handshake, as Express's `trust proxy` with `hops` reads it: the
 * address `hops` entries back along X-Forwarded-For from the peer, or the left-most one when the
 * header names fewer. With 0 hops, the peer itself.
 */
export function clientIp(peer: string, forwardedFor: string | string[] | undefined, hops: number): string {
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const chain = [peer, ...forwarded.reverse()];
  return chain[Math.min(hops, chain.length - 1)];
}

/**
 * Rate limits of the /live socket events (issue #11, D11): a budget per connection, in memory,
 * and one per client IP in the shared RateLimitStore (Redis with REDIS_URL, so it holds across
 * instances). A refused event is answered TOO_MANY_REQUESTS without any work done; a socket
 * that keeps sending after being refused is to be disconnected. An event over the connection's
 * budget never reaches Redis, so a flood costs this instance little and the store nothing.
 */
@Injectable()
export class LiveRateLimiter {
  private readonly perConnection: number;
  private readonly perIp: number;
  private readonly windowMs: number;
  private readonly proxyHops: number;

  constructor(
    @Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore,
    @Inject(REAL_CLOCK) private readonly clock: Clock,
    config: ConfigService<Env, true>,
  ) {
    this.perConnection = config.get('SOCKET_RATE_LIMIT_PER_CONNECTION', { infer: true });
    this.perIp = config.get('SOCKET_RATE_LIMIT_PER_IP', { infer: true });
    this.windowMs = config.get('SOCKET_RATE_LIMIT_WINDOW_SECONDS', { infer: true }) * 1000;
    this.proxyHops = config.get('TRUST_PROXY_HOPS', { infer: true });
  }

  /** The limit of a new connection, from its handshake (peer address and X-Forwarded-For). */
  forConnection(handshake: { address: string; headers: Record<string, string | string[] | undefined> }): ConnectionLimit {
    const ip = clientIp(handshake.address, handshake.headers['x-forwarded-for'], this.proxyHops);
    const budget = new ConnectionBudget(this.perConnection, this.windowMs);
    return { ip, admit: () => this.admit(budget, ip) };
  }

  async admit(budget: ConnectionBudget, ip: string): Promise<Admission> {
    const now = this.clock.now().getTime();
    if (!budget.take(now)) return this.refusal(budget, 'connection', budget.secondsLeft(now));
    const shared = await this.store.hit(`socket:ip:${ip}`, this.perIp, this.windowMs);
    if (shared.blocked) return this.refusal(budget, 'address', shared.retryAfterSeconds);
    return { admitted: true };
  }

  private refusal(budget: ConnectionBudget, what: 'connection' | 'address', retryAfterSeconds: number): Admission {
    const error = new TooManyRequestsError('TOO_MANY_REQUESTS', `Too many events from this ${what}; retry in ${retryAfterSeconds} s`, retryAfterSeconds);
    return { admitted: false, error, disconnect: budget.refuse() };
  }
}
