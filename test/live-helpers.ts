import { io, type Socket } from 'socket.io-client';
import type { ObservedRunStatus, TrainStatusProvider } from '../src/tracking/train-status-provider.js';

/** A status feed the test writes: stands in for an external provider. */
export class ScriptedStatusProvider implements TrainStatusProvider {
  observations: ObservedRunStatus[] = [];

  async activeRuns(): Promise<ObservedRunStatus[]> {
    return this.observations;
  }
}

/** A clock the test sets. */
export class TestClock {
  constructor(public at: Date) {}

  now(): Date {
    return new Date(this.at);
  }
}

/** Connects to /live; resolves once connected, rejects with the connect_error. */
export function connectLive(baseUrl: string, options: { token?: string; origin?: string } = {}): Promise<Socket> {
  const socket = io(`${baseUrl}/live`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Every payload of `event` received by the socket, as it arrives. */
export function collect<T = Record<string, unknown>>(socket: Socket, event: string): T[] {
  const received: T[] = [];
  socket.on(event, (payload: T) => received.push(payload));
  return received;
}

/**
 * Waits until everything the server sent this socket before now has arrived: a round trip
 * through an acknowledged event is ordered after earlier emits on the same connection.
 */
export async function drain(socket: Socket): Promise<void> {
  await socket.timeout(5000).emitWithAck('unsubscribe', { trainNumber: '0000' });
}
