import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpDrainOptions {
  /**
   * Requests not waited for: Socket.IO's long-polling requests are held open by design and are
   * ended by the gateway's own shutdown (`server.shutdown`, then disconnect), not by this drain.
   */
  ignore?: (request: IncomingMessage) => boolean;
}

export interface DrainResult {
  /** Requests that were still in flight at the deadline; their connections were cut. */
  cut: number;
}

/**
 * Graceful close of an HTTP server, as the first step of shutdown: stop accepting connections,
 * let the requests in flight finish, each answered with `Connection: close` so its client does
 * not send another on it, and close idle keep-alive connections at once. At the deadline the
 * connections of requests still running are cut.
 *
 * Nest's `app.close()` alone does not do this: with `forceCloseConnections` it destroys every
 * connection, busy or not, and without it the server keeps accepting until the shutdown hooks
 * (the tick, the sockets) are done, then waits for idle keep-alive connections to time out.
 */
export class HttpDrain {
  private readonly inFlight = new Map<ServerResponse, Socket>();
  private draining = false;
  private onIdle: (() => void) | null = null;

  /** Call before the server serves requests it should wait for. */
  constructor(
    private readonly server: Server,
    private readonly options: HttpDrainOptions = {},
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.track(request, response));
  }

  /** Requests being served now (those waited for). */
  get size(): number {
    return this.inFlight.size;
  }

  /** Stops accepting and waits for the requests in flight, until `deadline` aborts. */
  async close(deadline: AbortSignal): Promise<DrainResult> {
    this.draining = true;
    // Stops listening; Node (≥ 19) also closes the keep-alive connections that are idle now.
    this.server.close();
    this.server.closeIdleConnections();
    for (const response of this.inFlight.keys()) closeAfter(response);
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          deadline.removeEventListener('abort', done);
          this.onIdle = null;
          resolve();
        };
        this.onIdle = done;
        if (deadline.aborted) done();
        else deadline.addEventListener('abort', done, { once: true });
      });
    }
    const cut = this.inFlight.size;
    for (const socket of new Set(this.inFlight.values())) socket.destroy();
    return { cut };
  }

  private track(request: IncomingMessage, response: ServerResponse): void {
    if (this.options.ignore?.(request)) return;
    this.inFlight.set(response, request.socket);
    // A request that arrives on a kept-alive connection during the drain is still served.
    if (this.draining) closeAfter(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      if (!this.draining) return;
      // A response whose headers promised keep-alive before the drain began leaves its
      // connection idle: close it now.
      this.server.closeIdleConnections();
      if (this.inFlight.size === 0) this.onIdle?.();
    });
  }
}

/** The response tells its client `Connection: close`, and Node ends the connection after it. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.shouldKeepAlive = false;
}
