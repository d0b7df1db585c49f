import type { OpenAPIObject } from '@nestjs/swagger';

const ref = (path: string) => ({ $ref: path });
const schema = (name: string) => ref(`#/components/schemas/${name}`);

/**
 * The AsyncAPI 3 description of the Socket.IO namespace /live. Payload schemas are the
 * OpenAPI document's (the same DTOs the REST API returns), so the two never drift apart.
 */
export function buildAsyncApiDocument(openApi: OpenAPIObject): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Train Tracker live events',
      version: openApi.info.version,
      description: [
        'Socket.IO 4 namespace `/live` on the API server (path `/socket.io/`).',
        '',
        'Connect anonymously to watch trains, or with `auth: { token: "<access JWT>" }` to also receive your notifications;',
        'an invalid or expired token is refused at connect (`connect_error` whose `message` says why and whose `data` is a problem).',
        'Browsers must connect from an allowed Origin (`CORS_ORIGINS`).',
        '',
        'Client → server events carry an acknowledgement callback: `{ ok: true, ... }` or `{ ok: false, error: <problem> }`,',
        'where the problem is the RFC 9457 shape every REST error has (`code` is stable, `detail` is for people).',
        '',
        'Server → client `train.status` is the REST live status; drop an update whose `version` is not newer than the one you hold.',
      ].join('\n'),
    },
    servers: {
      api: {
        host: 'localhost:3000',
        protocol: 'ws',
        pathname: '/socket.io/',
        description: 'Socket.IO over WebSocket (long-polling fallback); namespace /live.',
      },
    },
    defaultContentType: 'application/json',
    channels: {
      live: {
        address: '/live',
        title: 'Namespace /live',
        description: 'Requests from the client, each answered through its acknowledgement.',
        messages: {
          subscribe: ref('#/components/messages/subscribe'),
          subscribeAck: ref('#/components/messages/subscribeAck'),
          unsubscribe: ref('#/components/messages/unsubscribe'),
          unsubscribeAck: ref('#/components/messages/unsubscribeAck'),
        },
      },
      train: {
        address: 'train:{trainNumber}',
        title: 'Room of one train',
        description: 'Joined with `subscribe`; every change of the train’s live status is emitted here.',
        parameters: { trainNumber: { description: 'Train number, e.g. 12951.' } },
        messages: { trainStatus: ref('#/components/messages/trainStatus') },
      },
      server: {
        address: '/live',
        title: 'Server notices',
        description: 'Sent to every socket of an instance just before it disconnects them on shutdown.',
        messages: { shutdown: ref('#/components/messages/shutdown') },
      },
      user: {
        address: 'user:{userId}',
        title: 'Room of one user',
        description: 'Joined automatically by sockets that connected with a valid access token.',
        parameters: { userId: { description: 'The user id (the token’s `sub`).' } },
        messages: { notification: ref('#/components/messages/notification') },
      },
    },
    operations: {
      subscribe: {
        action: 'send',
        channel: ref('#/channels/live'),
        summary: 'Follow a train (at most SOCKET_MAX_SUBSCRIPTIONS per socket, default 20).',
        messages: [ref('#/channels/live/messages/subscribe')],
        reply: { channel: ref('#/channels/live'), messages: [ref('#/channels/live/messages/subscribeAck')] },
      },
      unsubscribe: {
        action: 'send',
        channel: ref('#/channels/live'),
        summary: 'Stop following a train.',
        messages: [ref('#/channels/live/messages/unsubscribe')],
        reply: { channel: ref('#/channels/live'), messages: [ref('#/channels/live/messages/unsubscribeAck')] },
      },
      receiveTrainStatus: {
        action: 'receive',
        channel: ref('#/channels/train'),
        summary: 'A followed train changed (delay, station, platform, state).',
        messages: [ref('#/channels/train/messages/trainStatus')],
      },
      receiveShutdown: {
        action: 'receive',
        channel: ref('#/channels/server'),
        summary: 'The instance is shutting down and disconnects you; reconnect (the load balancer picks another instance).',
        messages: [ref('#/channels/server/messages/shutdown')],
      },
      receiveNotification: {
        action: 'receive',
        channel: ref('#/channels/user'),
        summary: 'A notification for you was created (also readable at GET /api/v1/me/notifications).',
        messages: [ref('#/channels/user/messages/notification')],
      },
    },
    components: {
      messages: {
        subscribe: { name: 'subscribe', title: 'subscribe', payload: schema('TrainSubscription') },
        subscribeAck: { name: 'subscribe ack', title: 'Acknowledgement of subscribe', payload: schema('SubscribeAck') },
        unsubscribe: { name: 'unsubscribe', title: 'unsubscribe', payload: schema('TrainSubscription') },
        unsubscribeAck: { name: 'unsubscribe ack', title: 'Acknowledgement of unsubscribe', payload: schema('Ack') },
        trainStatus: { name: 'train.status', title: 'train.status', payload: schema('LiveStatusDto') },
        notification: { name: 'notification', title: 'notification', payload: schema('NotificationDto') },
        shutdown: { name: 'server.shutdown', title: 'server.shutdown', payload: schema('ServerShutdown') },
      },
      schemas: {
        ...openApi.components?.schemas,
        ServerShutdown: {
          type: 'object',
          required: ['reason'],
          properties: { reason: { type: 'string', example: 'This server is restarting; reconnect to continue.' } },
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
              required: ['ok', 'status'],
              properties: {
                ok: { const: true },
                status: { oneOf: [schema('LiveStatusDto'), { type: 'null' }], description: 'Current snapshot; null when the train has no run soon.' },
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
