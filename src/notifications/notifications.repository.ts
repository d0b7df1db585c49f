import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, type Repository } from 'typeorm';
import { Notification } from './notification.entity.js';
import type { NotificationEvent } from './notification-event.js';


export interface PageRequest {
  unreadOnly: boolean;
  after?: { createdAt: Date; id: string };
  limit: number;
}

@Injectable()
export class NotificationsRepository {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  /**
   * One INSERT for every (user, event) pair; pairs already notified are skipped. Returns the
   * notifications actually created.
   */
  async insertMany(entries: Array<{ userId: string; event: NotificationEvent }>, createdAt: Date, manager?: EntityManager): Promise<Notification[]> {
    if (entries.length === 0) return [];
    const column = <T>(pick: (entry: { userId: string; event: NotificationEvent }) => T) => entries.map(pick);
    const rows: Array<Record<string, unknown>> = await (manager ?? this.notifications.manager).query(
      `INSERT INTO notifications (user_id, type, train_id, run_date, title, body, data, event_key, created_at)
       SELECT u.*, $9::timestamptz FROM unnest($1::uuid[], $2::text[]::notification_type[], $3::uuid[], $4::date[], $5::varchar[], $6::text[], $7::text[]::jsonb[], $8::varchar[]) AS u
       ON CONFLICT ON CONSTRAINT uq_notifications_user_event DO NOTHING
       RETURNING id, user_id, type, train_id, to_char(run_date, 'YYYY-MM-DD') AS run_date, title, body, data, event_key, created_at, read_at`,
      [
        column((entry) => entry.userId),
        column((entry) => entry.event.type),
        column((entry) => entry.event.trainId),
        column((entry) => entry.event.runDate),
        column((entry) => entry.event.title),
        column((entry) => entry.event.body),
        column((entry) => JSON.stringify(entry.event.data)),
        column((entry) => entry.event.eventKey),
        createdAt,
      ],
    );
    return rows.map((row) =>
      this.notifications.create({
        id: row.id as string,
        userId: row.user_id as string,
        type: row.type as Notification['type'],
        trainId: row.train_id as string,
        runDate: row.run_date as string,
        title: row.title as string,
        body: row.body as string,
        data: row.data as Record<string, unknown>,
        eventKey: row.event_key as string,
        createdAt: new Date(row.created_at as string),
        readAt: null,
      }),
    );
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  page(userId: string, request: PageRequest): Promise<Notification[]> {
    const query = this.notifications
      .createQueryBuilder('n')
      .leftJoinAndSelect('n.train', 'train')
      .where('n.userId = :userId', { userId })
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .limit(request.limit);
    if (request.unreadOnly) query.andWhere('n.readAt IS NULL');
    if (request.after) query.andWhere('(n.createdAt, n.id) < (:createdAt, :id)', request.after);
    return query.getMany();
  }

  countUnread(userId: string): Promise<number> {
    return this.notifications.countBy({ userId, readAt: IsNull() });
  }

  /** Marks one of the user's notifications read (keeping the first read time); null when it is not theirs. */
  async markRead(userId: string, id: string, now: Date): Promise<Notification | null> {
    await this.notifications.update({ id, userId, readAt: IsNull() }, { readAt: now });
    return this.notifications.findOne({ where: { id, userId }, relations: { train: true } });
  }

  async markAllRead(userId: string, now: Date): Promise<number> {
    const result = await this.notifications.update({ userId, readAt: IsNull() }, { readAt: now });
    return result.affected ?? 0;
  }
}
