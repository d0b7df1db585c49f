import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/tracking/live-events.js';
import type { Schemas } from './api/client';
import { freshAccessToken, onSessionChange, refresh } from './session';

/**
 * The one Socket.IO connection of the page to namespace /live, typed by the event maps the
 * server's gateway uses (src/tracking/live-events.ts). Pages say which trains they watch; this
 * module (re)subscribes after every (re)connect and hands each page the runs from the ack, so a
 * page catches up on what it missed while disconnected.
 */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveStatus = Schemas['LiveStatusDto'];
export type Notification = Schemas['NotificationDto'];

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline';

type StatusListener = (status: LiveStatus) => void;
type NotificationListener = (notification: Notification) => void;

const watchers = new Map<string, Set<StatusListener>>();
const notificationListeners = new Set<NotificationListener>();
const stateListeners = new Set<(state: ConnectionState) => void>();
let state: ConnectionState = 'connecting';

const socket: LiveSocket = io('/live', {
  // The token is read at every (re)connect attempt, so a reconnect carries the current one.
  auth: (send) => {
    void freshAccessToken().then((token) => send(token ? { token } : {}));
  },
});

function setState(next: ConnectionState): void {
  state = next;
  stateListeners.forEach((listener) => listener(next));
}

/** Subscribes to one train and delivers the ack's runs; false when refused (unknown train, too many subscriptions). */
async function subscribe(trainNumber: string): Promise<boolean> {
  const ack = await socket.timeout(10_000).emitWithAck('subscribe', { trainNumber }).catch(() => null);
  if (!ack || !ack.ok) return false;
  for (const run of ack.runs) watchers.get(trainNumber)?.forEach((listener) => listener(run));
  return true;
}

socket.on('connect', () => {
  setState('live');
  for (const trainNumber of watchers.keys()) void subscribe(trainNumber);
});
/** Why the server is about to end this socket: a restart (reconnect at once, to another instance) or flooding (wait). */
let endedBy: 'restart' | 'flooding' | null = null;
socket.on('disconnect', (reason) => {
  setState('reconnecting');
  // The server ended this socket on purpose: socket.io does not reconnect by itself then. Many
  // clients come back at once after a restart, so each waits a random moment first.
  if (reason === 'io server disconnect') {
    const wait = endedBy === 'flooding' ? 10_000 : 500 + Math.random() * 1_500;
    setTimeout(() => socket.connect(), wait);
  }
  endedBy = null;
});
socket.on('connect_error', (error) => {
  setState(socket.active ? 'reconnecting' : 'offline');
  // Refused at the handshake: the access token expired or its session ended. Refresh and retry.
  if (!socket.active) {
    void refresh()
      .catch(() => null)
      .then(() => setTimeout(() => socket.connect(), 5_000));
  }
  console.info('live connection refused:', error.message);
});
socket.on('train.status', (status) => watchers.get(status.train.number)?.forEach((listener) => listener(status)));
socket.on('notification', (notification) => notificationListeners.forEach((listener) => listener(notification)));
socket.on('server.shutdown', () => (endedBy = 'restart'));
socket.on('server.disconnect', () => (endedBy = 'flooding'));

// Signing in or out changes whose notifications this socket gets: connect again as the new rider.
let signedInAs = '';
onSessionChange((session) => {
  const who = session?.user.id ?? '';
  if (who === signedInAs) return;
  signedInAs = who;
  socket.disconnect().connect();
});

export const connectionState = (): ConnectionState => state;

export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => stateListeners.delete(listener);
}

/**
 * Watches a train's runs: `listener` gets every status pushed for it, and the ack's runs after
 * each (re)subscription. Returns whether the server took the subscription, and the stop.
 */
export function watchTrain(trainNumber: string, listener: StatusListener): { accepted: Promise<boolean>; stop(): void } {
  let listeners = watchers.get(trainNumber);
  const first = !listeners;
  if (!listeners) watchers.set(trainNumber, (listeners = new Set()));
  listeners.add(listener);
  const accepted = first && socket.connected ? subscribe(trainNumber) : Promise.resolve(true);
  return {
    accepted,
    stop() {
      listeners.delete(listener);
      if (listeners.size > 0 || watchers.get(trainNumber) !== listeners) return;
      watchers.delete(trainNumber);
      if (socket.connected) socket.emit('unsubscribe', { trainNumber }, () => undefined);
    },
  };
}

export function onNotification(listener: NotificationListener): () => void {
  notificationListeners.add(listener);
  return () => notificationListeners.delete(listener);
}

/** Keeps the newest status of each run (train number + service date): versions are per run, and an event may arrive after a newer fetch. */
export class RunStatuses {
  private readonly runs = new Map<string, LiveStatus>();

  /** True when `status` is newer than what is known of its run (and is now kept). */
  keep(status: LiveStatus): boolean {
    const key = `${status.train.number}:${status.serviceDate}`;
    const known = this.runs.get(key);
    if (known && known.version >= status.version) return false;
    this.runs.set(key, status);
    return true;
  }
}
