import type { ProblemDetails } from '../common/errors/problem-details.js';
import type { LiveStatusDto } from '../live/dto/live-status.dto.js';
import type { NotificationDto } from '../notifications/dto/notification.dto.js';

/**
 * The Socket.IO contract of namespace /live, typed once. The gateway's Namespace and Socket
 * generics, its one emit method, the AsyncAPI document (from the descriptions below) and the
 * test client all read these maps, so an event cannot be added, renamed or reshaped in one
 * place only.
 */
export const LIVE_NAMESPACE = '/live';

/** Payload of `subscribe` and `unsubscribe`. */
export interface TrainSubscription {
  trainNumber: string;
}

export interface ServerShutdownNotice {
  reason: string;
}

/**
 * Why the server is about to disconnect this socket: it kept sending events after they were
 * refused (`error.code` TOO_MANY_REQUESTS). Reconnecting sooner than `retryAfterSeconds` gets
 * refused again while the client's address is over its budget.
 */
export interface DisconnectNotice {
  reason: string;
  error: ProblemDetails;
  retryAfterSeconds: number;
}

export type Failure = { ok: false; error: ProblemDetails };
export type Ack = { ok: true } | Failure;
/**
 * `runs`: every active run of the train (on the line, or leaving soon), oldest first: one
 * train number can have several runs on the line at once, told apart by `serviceDate`.
 * `status`: the run the REST status endpoint serves by default; null when there is none soon.
 */
export type SubscribeAck = { ok: true; status: LiveStatusDto | null; runs: LiveStatusDto[] } | Failure;

/** Server → client events and their payloads. */
export interface ServerToClientEvents {
  'train.status': (status: LiveStatusDto) => void;
  notification: (notification: NotificationDto) => void;
  'server.shutdown': (notice: ServerShutdownNotice) => void;
  'server.disconnect': (notice: DisconnectNotice) => void;
}

/** Client → server requests, each answered through its acknowledgement. */
export interface ClientToServerEvents {
  subscribe: (request: TrainSubscription, ack: (reply: SubscribeAck) => void) => void;
  unsubscribe: (request: TrainSubscription, ack: (reply: Ack) => void) => void;
}

export type ServerEvent = keyof ServerToClientEvents;
export type ClientRequest = keyof ClientToServerEvents;

/** Rooms a server event is sent to. */
export const trainRoom = (number: string) => `train:${number}`;
export const userRoom = (userId: string) => `user:${userId}`;

/** Where an event goes, as the AsyncAPI document describes it. */
export type EventAudience = 'train' | 'user' | 'namespace';

export interface ServerEventDescription {
  audience: EventAudience;
  /** Schema of the payload in the OpenAPI document's components (or the AsyncAPI document's own). */
  payload: string;
  summary: string;
}

export interface ClientRequestDescription {
  payload: string;
  reply: string;
  summary: string;
}

/** One entry per server event: the mapped type makes a missing or unknown event a type error. */
export const SERVER_EVENTS: { [E in ServerEvent]: ServerEventDescription } = {
  'train.status': {
    audience: 'train',
    payload: 'LiveStatusDto',
    summary:
      'A run of a followed train changed (delay, station, platform, state, expected times), or its feed data went stale (realtime false, once). Runs are told apart by serviceDate; versions are per run.',
  },
  notification: {
    audience: 'user',
    payload: 'NotificationDto',
    summary:
      'A notification for you was created (also readable at GET /api/v1/me/notifications): news of a train you follow, or a rider alert about your station on it (`type` ARRIVING_SOON, DEPARTING_SOON, PLATFORM_AT_STATION, DELAY_AT_STATION, STOP_SKIPPED).',
  },
  'server.shutdown': {
    audience: 'namespace',
    payload: 'ServerShutdownNotice',
    summary: 'The instance is shutting down and disconnects you; reconnect (the load balancer picks another instance).',
  },
  'server.disconnect': {
    audience: 'namespace',
    payload: 'DisconnectNotice',
    summary:
      'Sent to one socket just before the server disconnects it for flooding: it kept sending events after they were refused with TOO_MANY_REQUESTS (SOCKET_RATE_LIMIT_*). The disconnect reason is "io server disconnect".',
  },
};

export const CLIENT_REQUESTS: { [R in ClientRequest]: ClientRequestDescription } = {
  subscribe: {
    payload: 'TrainSubscription',
    reply: 'SubscribeAck',
    summary: 'Follow a train: its room gets every change of any of its runs (at most SOCKET_MAX_SUBSCRIPTIONS trains per socket, default 20).',
  },
  unsubscribe: { payload: 'TrainSubscription', reply: 'Ack', summary: 'Stop following a train.' },
};
