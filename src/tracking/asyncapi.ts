import type { OpenAPIObject } from '@nestjs/swagger';
import { CLIENT_REQUESTS, type EventAudience, LIVE_NAMESPACE, SERVER_EVENTS } from './live-events.js';

const ref = (path: string) => ({ $ref: path });
const schema = (name: string) => ref(`#/components/schemas/${name}`);
/** 'train.status' → 'trainStatus': AsyncAPI component keys are identifiers. */
const key = (event: string) => event.replace(/[.:-](\w)/g, (_, letter: string) => letter.toUpperCase());
const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The channel each audience's events travel on. */
const CHANNELS: Record<EventAudience, { id: string; channel: Record<string, unknown> }> = {
  namespace: {
    id: 'live',
    channel: {
      address: LIVE_NAMESPACE,
      title: `Namespace ${LIVE_NAMESPACE}`,
      description:
        'Requests from the client, each answered through its acknowledgement, and notices: to every socket of an instance (server.shutdown), or to one socket (server.disconnect).',
    },
  },
  train: {
    id: 'train',
    channel: {
      address: 'train:{trainNumber}',
      title: 'Room of one train',
      description: 'Joined with `subscribe`; every change of any run of the train is emitted here.',
      parameters: { trainNumber: { description: 'Train number, e.g. 12951.' } },
    },
  },
  user: {
    id: 'user',
    channel: {
      address: 'user:{userId}',
      title: 'Room of one user',
      description: 'Joined automatically by sockets that connected with a valid access token.',
      parameters: { userId: { description: 'The user id (the token’s `sub`).' } },
    },
  },
};

/**
 * The AsyncAPI 3 description of the Socket.IO namespace /live, generated from the typed event
 * maps in live-events.ts. Payload schemas are the OpenAPI document's (the same DTOs the REST API
 * returns), so the two never drift apart.
 */
export function buildAsyncApiDocument(openApi: OpenAPIObject): Record<string, unknown> {
  const channels: Record<string, Record<string, unknown> & { messages: Record<string, unknown> }> = {};
  const channelOf = (audience: EventAudience) => {
    const { id, channel } = CHANNELS[audience];
    channels[id] ??= { ...channel, messages: {} };
    return id;
  };
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};

  for (const [request, description] of Object.entries(CLIENT_REQUESTS)) {
    const channel = channelOf('namespace');
    const ack = `${key(request)}Ack`;
    messages[key(request)] = { name: request, title: request, payload: schema(description.payload) };
    messages[ack] = { name: `${request} ack`, title: `Acknowledgement of ${request}`, payload: schema(description.reply) };
    channels[channel].messages[key(request)] = ref(`#/components/messages/${key(request)}`);
    channels[channel].messages[ack] = ref(`#/components/messages/${ack}`);
    operations[key(request)] = {
      action: 'send',
      channel: ref(`#/channels/${channel}`),
      summary: description.summary,
      messages: [ref(`#/channels/${channel}/messages/${key(request)}`)],
      reply: { channel: ref(`#/channels/${channel}`), messages: [ref(`#/channels/${channel}/messages/${ack}`)] },
    };
  }
  for (const [event, description] of Object.entries(SERVER_EVENTS)) {
    const channel = channelOf(description.audience);
    messages[key(event)] = { name: event, title: event, payload: schema(description.payload) };
    channels[channel].messages[key(event)] = ref(`#/components/messages/${key(event)}`);
    operations[`receive${capitalized(key(event))}`] = {
      action: 'receive',
      channel: ref(`#/channels/${channel}`),
      summary: description.summary,
      messages: [ref(`#/channels/${channel}/messages/${key(event)}`)],
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Train Tracker live events',
      version: openApi.info.version,
      description: [
        `Socket.IO 4 namespace \`${LIVE_NAMESPACE}\` on the API server (path \`/socket.io/\`).`,
        '',
        'Connect anonymously to watch trains, or with `auth: { token: "<access JWT>" }` to also receive your notifications;',
        'an invalid or expired token is refused at connect (`connect_error` whose `message` says why and whose `data` is a problem).',
        'Browsers must connect from an allowed Origin (`CORS_ORIGINS`).',
        '',
        'Client → server events carry an acknowledgement callback: `{ ok: true, ... }` or `{ ok: false, error: <problem> }`,',
        'where the problem is the RFC 9457 shape every REST error has (`code` is stable, `detail` is for people).',
        '',
        'Every event counts against a budget per socket and one per client IP (SOCKET_RATE_LIMIT_*, per 10 s window by default).',
        'An event over budget is not handled: its acknowledgement is `{ ok: false, error }` with a 429 `TOO_MANY_REQUESTS` problem.',
        'A socket that keeps sending, refused as many times again as its budget within one window, receives `server.disconnect`',
        'and is disconnected (reason `io server disconnect`).',
        '',
        'A train number can have several runs on the line at once (a long journey leaves every day): every `train.status`,',
        'ack and notification names its run by `serviceDate`, and versions count per run. Keep your copy keyed by',
        'train number and serviceDate, and drop an update whose `version` is not newer than the one you hold for that run.',
        '',
        'Where the changes come from: the status provider (the simulator, or an operator\'s GTFS-Realtime TripUpdates feed with',
        'STATUS_PROVIDER=gtfs-rt) and operator reports. Every expected time says its source (`REALTIME`, `PROPAGATED`, `SCHEDULE`);',
        'a run whose feed data gets older than LIVE_DATA_STALE_AFTER_SECONDS is pushed once with `realtime: false` and its',
        '`dataAgeSeconds`. The same live state is published the other way as GTFS-Realtime at GET /api/v1/gtfs-rt/trip-updates.',
      ].join('\n'),
    },
    servers: {
      api: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: `Socket.IO over WebSocket (long-polling fallback); namespace ${LIVE_NAMESPACE}.`,
      },
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: {
      messages,
      schemas: {
        ...openApi.components?.schemas,
        ServerShutdownNotice: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', example: 'This server is restarting; reconnect to continue.' } },
        },
        DisconnectNotice: {
          type: 'object',
          required: ['reason', 'error', 'retryAfterSeconds'],
          additionalProperties: false,
          properties: {
            reason: { type: 'string', example: 'Too many events from this connection; disconnected.' },
            error: schema('ProblemDetailsDto'),
            retryAfterSeconds: { type: 'integer', minimum: 1, example: 10 },
          },
        },
        TrainSubscription: {
          type: 'object',
          required: ['trainNumber'],
          additionalProperties: false,
          properties: { trainNumber: { type: 'string', pattern: '^[0-9]{4,6}$', example: '12951' } },
        },
        Ack: {
          oneOf: [
            { type: 'object', required: ['ok'], properties: { ok: { const: true } } },
            { type: 'object', required: ['ok', 'error'], properties: { ok: { const: false }, error: schema('ProblemDetailsDto') } },
          ],
        },
        SubscribeAck: {
          oneOf: [
            {
              type: 'object',
              required: ['ok', 'status', 'runs'],
              properties: {
                ok: { const: true },
                status: {
                  oneOf: [schema('LiveStatusDto'), { type: 'null' }],
                  description: 'The run the REST status endpoint serves by default (in progress, else the next); null when the train has no run soon.',
                },
                runs: {
                  type: 'array',
                  items: schema('LiveStatusDto'),
                  description: 'Every active run of the train (on the line, or leaving within two hours), oldest first.',
                },
              },
            },
            {
              type: 'object',
              required: ['ok', 'error'],
              description: 'Codes: VALIDATION_FAILED (400), TRAIN_NOT_FOUND (404), TOO_MANY_SUBSCRIPTIONS (422).',
              properties: { ok: { const: false }, error: schema('ProblemDetailsDto') },
            },
          ],
        },
      },
    },
  };
}
