import { afterAll, afterEach, expect } from '@jest/globals';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerEvent, ServerToClientEvents, SubscribeAck } from '../src/tracking/live-events.js';
import type { ObservedRunStatus, TrainStatusProvider } from '../src/tracking/train-status-provider.js';
import { ackViolation, eventViolation } from './live-contract.js';

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

/** A clock the test sets (shared with the unit tests). */
export { TestClock } from './builders/clock.js';

/**
 * What test clients received that asyncapi.json does not allow: every event and every ack a
 * socket made by connectLive receives is checked as it arrives. Each test must end with none
 * (checked after each test and after each file, for events that arrive late, e.g. on shutdown).
 */
const contractViolations: string[] = [];

/** Takes the violations recorded so far (a test that provokes one on purpose reads it here). */
export const takeContractViolations = (): string[] => contractViolations.splice(0);

afterEach(() => {
  expect(takeContractViolations()).toEqual([]);
});
afterAll(() => {
  expect(takeContractViolations()).toEqual([]);
});

/** Checks every event the socket receives, and the ack of every request it sends with emitWithAck, against asyncapi.json. */
function checkContract(socket: LiveClientSocket): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const violation = eventViolation(event, args);
    if (violation) contractViolations.push(violation);
  });
  // socket.timeout(ms) returns the socket itself, so `socket.timeout(ms).emitWithAck(...)` comes here too.
  const emitWithAck = socket.emitWithAck.bind(socket) as (event: string, ...args: unknown[]) => Promise<unknown>;
  (socket as unknown as { emitWithAck: typeof emitWithAck }).emitWithAck = async (event, ...args) => {
    const reply = await emitWithAck(event, ...args);
    const violation = ackViolation(event, reply);
    if (violation) contractViolations.push(violation);
    return reply;
  };
}

/** Connects to /live; resolves once connected, rejects with the connect_error. Everything received is checked against asyncapi.json. */
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
  checkContract(socket);
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
