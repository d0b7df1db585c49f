import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerEvent, ServerToClientEvents, SubscribeAck } from '../src/tracking/live-events.js';
import type { ObservedRunStatus, TrainStatusProvider } from '../src/tracking/train-status-provider.js';

/** A Socket.IO client of /live, typed by the same event maps as the gateway. */
export type LiveClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The payload of a server event. */
export type EventPayload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

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
export function connectLive(
  baseUrl: string,
  options: { token?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<LiveClientSocket> {
  const headers = { ...options.headers, ...(options.origin && { origin: options.origin }) };
  const socket: LiveClientSocket = io(`${baseUrl}/live`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: Object.keys(headers).length > 0 ? headers : undefined,
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
export function collect<E extends ServerEvent>(socket: LiveClientSocket, event: E): Array<EventPayload<E>> {
  const received: Array<EventPayload<E>> = [];
  const listen = socket.on.bind(socket) as (event: E, listener: (payload: EventPayload<E>) => void) => unknown;
  listen(event, (payload) => received.push(payload));
  return received;
}

/**
 * Waits until everything the server sent this socket before now has arrived: a round trip
 * through an acknowledged event is ordered after earlier emits on the same connection.
 */
export async function drain(socket: LiveClientSocket): Promise<void> {
  await socket.timeout(5000).emitWithAck('unsubscribe', { trainNumber: '0000' });
}

/** Subscribes to a train; the payload is unchecked so tests can send malformed ones. */
export const subscribeTo = (socket: LiveClientSocket, payload: unknown): Promise<SubscribeAck> =>
  (socket.timeout(5000) as unknown as { emitWithAck(event: 'subscribe', payload: unknown): Promise<SubscribeAck> }).emitWithAck('subscribe', payload);

export const unsubscribeFrom = (socket: LiveClientSocket, payload: unknown): Promise<Ack> =>
  (socket.timeout(5000) as unknown as { emitWithAck(event: 'unsubscribe', payload: unknown): Promise<Ack> }).emitWithAck('unsubscribe', payload);
