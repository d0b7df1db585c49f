import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { closeRedis } from '../common/redis/redis.module.js';

export interface LiveIoOptions {
  allowedOrigins: string[];
  /** With Redis, events emitted on any instance reach sockets on every instance. */
  redisUrl?: string;
  keyPrefix: string;
}

/**
 * Socket.IO server options shared by every gateway:
 * - the handshake's Origin must be allowed (OWASP ASVS 5.0 V4.4.2, against cross-site
 *   WebSocket hijacking); requests without Origin (native apps, servers) are not browsers;
 * - with REDIS_URL, the Redis adapter over two ioredis connections (pub and sub): node-redis has
 *   lost subscriptions after reconnects (socket.io #4845). The classic adapter is used rather than
 *   the sharded one, which needs Redis 7 sharded pub/sub through node-redis.
 */
export class LiveIoAdapter extends IoAdapter {
  private readonly clients: Redis[] = [];

  constructor(
    app: INestApplicationContext,
    private readonly options: LiveIoOptions,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const server: Server = super.createIOServer(port, {
      ...(options as ServerOptions),
      cors: { origin: this.options.allowedOrigins, credentials: false },
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const allowed = isAllowedOrigin(request, this.options.allowedOrigins);
        callback(allowed ? null : 'Origin not allowed', allowed);
      },
    });
    if (this.options.redisUrl) {
      const pub = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, retryStrategy: (attempt) => Math.min(attempt * 200, 2000) });
      const sub = pub.duplicate();
      // Without listeners an 'error' event would crash the process while Redis is away.
      for (const client of [pub, sub]) {
        client.on('error', () => undefined);
        tolerateFailures(client);
      }
      this.clients.push(pub, sub);
      server.adapter(createAdapter(pub, sub, { key: `${this.options.keyPrefix}socket.io` }));
    }
    return server;
  }

  /**
   * Nest's IoAdapter wires the handlers of each socket through RxJS: per socket and handler a
   * fromEvent → mergeMap → takeUntil(disconnect) pipeline, which kept ~60 closures and 8
   * subscribers alive per connection (a heap snapshot with 1,000 sockets: 23.7 KiB of heap per
   * connection against 10.8 for a bare Socket.IO server; bench/fanout.mjs). One listener per
   * handler does the same: the handler's result (what its promise or observable gives) goes to
   * the ack, or is emitted when it is a `{ event, data }` response; nothing is sent once the
   * socket is gone; a handler that throws is logged and the socket keeps its other events.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[], transform: (data: unknown) => Observable<unknown>): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { data, ack } = this.mapPayload(args.length === 1 ? args[0] : args);
        let results: Observable<unknown>;
        try {
          results = transform(callback(data, ack));
        } catch (error) {
          this.logger.error(error);
          return;
        }
        results.subscribe({
          next: (response) => {
            if (response === null || response === undefined || !socket.connected) return;
            if (isEventResponse(response)) socket.emit(response.event, response.data);
            else if (!isAckHandledManually && typeof ack === 'function') ack(response);
          },
          error: (error: unknown) => this.logger.error(error),
        });
      });
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await Promise.all(this.clients.splice(0).map(closeRedis));
  }
}

/** A handler's `{ event, data }` (Nest's WsResponse): sent as that event rather than as the ack. */
const isEventResponse = (response: unknown): response is { event: string; data: unknown } =>
  typeof response === 'object' && response !== null && typeof (response as { event?: unknown }).event === 'string';

/**
 * The adapter fires (p)subscribe and publish without handling their failure; a connection closed
 * meanwhile (shutdown, Redis away) would then be an unhandled rejection. A lost publish is a
 * lost broadcast to other instances, which Redis pub/sub never guaranteed anyway.
 */
function tolerateFailures(client: Redis): void {
  for (const method of ['publish', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
    const original = client[method].bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const result = original(...args);
      result?.catch?.(() => undefined);
      return result;
    };
  }
}

export function isAllowedOrigin(request: Pick<IncomingMessage, 'headers'>, allowedOrigins: string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
