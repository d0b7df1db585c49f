import { type BeforeApplicationShutdown, Inject, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Namespace, Socket } from 'socket.io';
import { AccessTokens } from '../auth/access-tokens.js';
import type { AuthUser } from '../common/auth/auth-user.js';
import { withTimeout } from '../common/cache/timeout.js';
import { AuthenticationError, RuleViolationError, type TooManyRequestsError } from '../common/errors/domain-errors.js';
import type { ProblemDetails } from '../common/errors/problem-details.js';
import { Metrics } from '../common/observability/metrics.js';
import { toProblem } from '../common/errors/problem-details.filter.js';
import { RequestValidationException } from '../common/errors/request-validation.exception.js';
import { assertNestingDepth } from '../common/validation/nesting.js';
import type { Env } from '../config/env.validation.js';
import { NotificationDto } from '../notifications/dto/notification.dto.js';
import type { Notification } from '../notifications/notification.entity.js';
import { LiveStatusDto } from '../live/dto/live-status.dto.js';
import { LiveStatusService } from '../live/live-status.service.js';
import type { TrainLiveView } from '../live/live.model.js';
import { TrainSubscriptionDto } from './dto/subscription.dto.js';
import { LiveRateLimiter } from './live-rate-limiter.js';
import {
  type Ack,
  type ClientRequest,
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type ServerEvent,
  type ServerToClientEvents,
  type SubscribeAck,
  trainRoom,
  userRoom,
} from './live-events.js';

/** How long a tick waits for every instance's rooms before it pushes every change instead. */
const WATCHED_TRAINS_TIMEOUT_MS = 1000;

interface SocketData {
  user?: AuthUser;
  trains: Set<string>;
}

type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Namespace /live. Anyone may watch trains; with `auth: { token }` in the handshake the socket
 * is also the user's and receives their notifications. Events are documented in asyncapi.json.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit<LiveNamespace>, OnGatewayConnection<LiveSocket>, OnGatewayDisconnect<LiveSocket>, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveGateway.name);
  private readonly maxSubscriptions: number;

  @WebSocketServer()
  private readonly namespace: LiveNamespace;

  constructor(
    private readonly accessTokens: AccessTokens,
    private readonly live: LiveStatusService,
    private readonly metrics: Metrics,
    private readonly limiter: LiveRateLimiter,
    @Inject(ConfigService) config: ConfigService<Env, true>,
  ) {
    this.maxSubscriptions = config.get('SOCKET_MAX_SUBSCRIPTIONS', { infer: true });
  }

  /** A handshake token must be valid: an invalid or expired one is refused at connect. */
  afterInit(namespace: LiveNamespace): void {
    namespace.use((socket, next) => {
      const token: unknown = socket.handshake.auth?.token;
      socket.data.trains = new Set();
      if (token === undefined || token === null || token === '') return next();
      if (typeof token !== 'string') return next(refusal('The access token must be a string'));
      this.accessTokens.verify(token).then(
        (user) => {
          socket.data.user = user;
          next();
        },
        () => next(refusal('Invalid or expired access token')),
      );
    });
  }

  /**
   * Every event of the socket, whatever its name, passes its rate limits first: a refused one
   * is answered TOO_MANY_REQUESTS (through its ack) and goes no further; a socket that keeps
   * sending after being refused is told why (`server.disconnect`) and disconnected.
   */
  handleConnection(socket: LiveSocket): void {
    this.metrics.socketsConnected.inc();
    if (socket.data.user) void socket.join(userRoom(socket.data.user.id));
    const limit = this.limiter.forConnection(socket.handshake);
    socket.use(([event, ...args], next) => {
      limit.admit().then(
        (admission) => {
          if (admission.admitted) return next();
          this.metrics.liveEventsRefused.inc({ outcome: admission.disconnect ? 'disconnected' : 'refused' });
          if (admission.disconnect) return this.disconnectFlooding(socket, limit.ip, admission.error);
          const ack: unknown = args.at(-1);
          if (typeof ack === 'function') ack(this.failure(admission.error, event));
        },
        // The limiter fails open (the store does when Redis is away); this is only a guard.
        () => next(),
      );
    });
  }

  handleDisconnect(socket: LiveSocket): void {
    this.metrics.socketsConnected.dec();
    this.metrics.subscriptions.dec(socket.data.trains?.size ?? 0);
  }

  /**
   * On shutdown, this instance's sockets are told why (`server.shutdown`) and disconnected, so
   * clients reconnect through the load balancer to another instance at once.
   */
  beforeApplicationShutdown(): void {
    if (!this.namespace) return;
    this.send('server.shutdown', null, { reason: 'This server is restarting; reconnect to continue.' });
    this.namespace.local.disconnectSockets(true);
  }

  @SubscribeMessage('subscribe' satisfies ClientRequest)
  async subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown): Promise<SubscribeAck> {
    try {
      const { trainNumber } = await parse(payload);
      const train = await this.live.train(trainNumber);
      if (!socket.data.trains.has(train.number) && socket.data.trains.size >= this.maxSubscriptions) {
        throw new RuleViolationError('TOO_MANY_SUBSCRIPTIONS', `A socket can follow at most ${this.maxSubscriptions} trains; unsubscribe first`);
      }
      if (!socket.data.trains.has(train.number)) this.metrics.subscriptions.inc();
      socket.data.trains.add(train.number);
      await socket.join(trainRoom(train.number));
      const { current, runs } = await this.live.activeRunsOf(train.number);
      return { ok: true, status: current && LiveStatusDto.from(current), runs: runs.map((run) => LiveStatusDto.from(run)) };
    } catch (error) {
      return this.failure(error, 'subscribe');
    }
  }

  @SubscribeMessage('unsubscribe' satisfies ClientRequest)
  async unsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() payload: unknown): Promise<Ack> {
    try {
      const { trainNumber } = await parse(payload);
      if (socket.data.trains.delete(trainNumber)) this.metrics.subscriptions.dec();
      await socket.leave(trainRoom(trainNumber));
      return { ok: true };
    } catch (error) {
      return this.failure(error, 'unsubscribe');
    }
  }

  /**
   * The numbers of the trains someone watches on any instance (with the Redis adapter every
   * instance is asked for its rooms: one request per tick, however many runs changed), or null
   * when that cannot be known in time (an instance did not answer, Redis is away): the caller
   * then pushes every change, as it would without this.
   */
  async watchedTrains(): Promise<ReadonlySet<string> | null> {
    const adapter = this.namespace.adapter as typeof this.namespace.adapter & { allRooms?: () => Promise<Set<string>> };
    let rooms: Iterable<string>;
    try {
      rooms = adapter.allRooms ? await withTimeout(adapter.allRooms(), WATCHED_TRAINS_TIMEOUT_MS, 'rooms of every instance') : adapter.rooms.keys();
    } catch (error) {
      this.logger.warn(`Pushing every change: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    const prefix = trainRoom('');
    const numbers = new Set<string>();
    for (const room of rooms) if (room.startsWith(prefix)) numbers.add(room.slice(prefix.length));
    return numbers;
  }

  publishStatus(view: TrainLiveView): void {
    this.send('train.status', trainRoom(view.train.number), LiveStatusDto.from(view));
  }

  publishNotification(notification: Notification, train: { number: string; name: string }): void {
    this.send('notification', userRoom(notification.userId), NotificationDto.from(notification, train));
  }

  /** The one emit of this gateway: to a room (across instances), to one socket, or null for this instance's own sockets. */
  private send<E extends ServerEvent>(event: E, to: string | LiveSocket | null, ...payload: Parameters<ServerToClientEvents[E]>): void {
    (to === null ? this.namespace.local : typeof to === 'string' ? this.namespace.to(to) : to).emit(event, ...payload);
  }

  private disconnectFlooding(socket: LiveSocket, ip: string, error: TooManyRequestsError): void {
    this.logger.warn(`Disconnected a socket from ${ip}: it kept sending events after they were refused`);
    this.send('server.disconnect', socket, {
      reason: 'Too many events from this connection; disconnected.',
      error: toProblem(error, LIVE_NAMESPACE),
      retryAfterSeconds: error.retryAfterSeconds,
    });
    socket.disconnect(true);
  }

  private failure(error: unknown, event: string): Extract<Ack, { ok: false }> {
    const problem = toProblem(error, event);
    if (problem.status >= 500) this.logger.error(`${event} failed`, error instanceof Error ? error.stack : String(error));
    return { ok: false, error: problem };
  }
}

async function parse(payload: unknown): Promise<TrainSubscriptionDto> {
  assertNestingDepth(payload, 'payload');
  const dto = plainToInstance(TrainSubscriptionDto, typeof payload === 'object' && payload !== null ? payload : {});
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw RequestValidationException.fromValidationErrors(errors);
  return dto;
}

/** A connect_error the client can read: message plus the problem in `data`. */
function refusal(message: string): Error & { data: ProblemDetails } {
  return Object.assign(new Error(message), { data: toProblem(new AuthenticationError('INVALID_ACCESS_TOKEN', message), LIVE_NAMESPACE) });
}
