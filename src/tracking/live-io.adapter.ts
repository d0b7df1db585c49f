import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { ServerOptions } from 'socket.io';

/**
 * Socket.IO server options shared by every gateway: the handshake's Origin must be allowed
 * (OWASP ASVS 5.0 V4.4.2, against cross-site WebSocket hijacking). Requests without Origin
 * (native apps, servers) are not browsers and pass.
 */
export class LiveIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>) {
    return super.createIOServer(port, {
      ...(options as ServerOptions),
      cors: { origin: this.allowedOrigins, credentials: false },
      allowRequest: (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
        const allowed = isAllowedOrigin(request, this.allowedOrigins);
        callback(allowed ? null : 'Origin not allowed', allowed);
      },
    });
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
