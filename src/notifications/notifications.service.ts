import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../common/errors/domain-errors.js';
import { decodeCursor, encodeCursor } from './notification-cursor.js';
import type { Notification } from './notification.entity.js';
import { type NotificationEvent, NotificationsRepository } from './notifications.repository.js';

export type { NotificationEvent };

@Injectable()
export class NotificationsService {
  constructor(private readonly notifications: NotificationsRepository) {}

  /**
   * Notifies many users of one event with a single insert. Idempotent on the event key: users
   * already notified of it are skipped. Returns the notifications created (to push them live).
   */
  createForUsers(userIds: string[], event: NotificationEvent, manager?: EntityManager): Promise<Notification[]> {
    return this.notifications.insertMany([...new Set(userIds)].map((userId) => ({ userId, event })), manager);
  }

  /** Several events, each to its own users, still in one insert (the tracker's batch). */
  createMany(batches: Array<{ userIds: string[]; event: NotificationEvent }>, manager?: EntityManager): Promise<Notification[]> {
    return this.notifications.insertMany(
      batches.flatMap(({ userIds, event }) => [...new Set(userIds)].map((userId) => ({ userId, event }))),
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
    const notification = await this.notifications.markRead(userId, id, new Date());
    if (!notification) throw new NotFoundError('NOTIFICATION_NOT_FOUND', 'No such notification');
    return notification;
  }

  markAllRead(userId: string): Promise<number> {
    return this.notifications.markAllRead(userId, new Date());
  }
}
