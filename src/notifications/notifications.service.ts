import { Inject, Injectable } from '@nestjs/common';
import { type Clock, CLOCK } from '../common/clock/clock.js';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors.js';
import { decodeCursor, encodeCursor } from './notification-cursor.js';
import type { Notification } from './notification.entity.js';
import type { NotificationEvent } from './notification-event.js';
import { NotificationsRepository } from './notifications.repository.js';

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Several events, each to its own users, in one insert (the tracker's batch), created at `at`
   * on the app clock (the time of the change). Idempotent on the event key: users already
   * notified of an event are skipped. Returns the notifications created (to push them live).
   */
  createMany(batches: Array<{ userIds: string[]; event: NotificationEvent }>, at: Date, manager?: EntityManager): Promise<Notification[]> {
    return this.notifications.insertMany(
      batches.flatMap(({ userIds, event }) => [...new Set(userIds)].map((userId) => ({ userId, event }))),
      at,
      manager,
    );
  }

  async list(userId: string, options: { unreadOnly: boolean; cursor?: string; limit: number }) {
    const items = await this.notifications.page(userId, {
      unreadOnly: options.unreadOnly,
      after: options.cursor ? decodeCursor(options.cursor) : undefined,
      limit: options.limit + 1,
    });
    const hasMore = items.length > options.limit;
    const page = hasMore ? items.slice(0, options.limit) : items;
    return { items: page, nextCursor: hasMore ? encodeCursor(page[page.length - 1]) : null };
  }

  unreadCount(userId: string): Promise<number> {
    return this.notifications.countUnread(userId);
  }

  /** Another user's notification is reported as missing, never as forbidden. */
  async markRead(userId: string, id: string): Promise<Notification> {
    const notification = await this.notifications.markRead(userId, id, this.clock.now());
    if (!notification) throw new NotFoundError('NOTIFICATION_NOT_FOUND', 'No such notification');
    return notification;
  }

  markAllRead(userId: string): Promise<number> {
    return this.notifications.markAllRead(userId, this.clock.now());
  }
}
