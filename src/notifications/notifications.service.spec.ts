import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TestClock } from '../../test/builders/clock.js';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors.js';
import { encodeCursor } from './notification-cursor.js';
import type { Notification } from './notification.entity.js';
import type { NotificationEvent } from './notification-event.js';
import type { PageRequest, NotificationsRepository } from './notifications.repository.js';
import { NotificationsService } from './notifications.service.js';

const event = (key: string): NotificationEvent => ({
  type: 'DELAY',
  trainId: 't1',
  runDate: '2026-11-24',
  title: `12951 ${key}`,
  body: 'body',
  data: {},
  eventKey: `12951:2026-11-24:${key}`,
});

/** The notifications table in memory, with its unique (user, event key) and keyset order (created_at, id) descending. */
class FakeNotifications {
  rows: Notification[] = [];
  pages: PageRequest[] = [];

  async insertMany(entries: Array<{ userId: string; event: NotificationEvent }>, createdAt: Date) {
    const created: Notification[] = [];
    for (const { userId, event: e } of entries) {
      if (this.rows.some((row) => row.userId === userId && row.eventKey === e.eventKey)) continue;
      const row = { id: randomUUID(), userId, ...e, createdAt, readAt: null } as Notification;
      this.rows.push(row);
      created.push(row);
    }
    return created;
  }
  async page(userId: string, request: PageRequest) {
    this.pages.push(request);
    const after = request.after;
    return this.rows
      .filter((row) => row.userId === userId && (!request.unreadOnly || row.readAt === null))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .filter((row) => !after || row.createdAt < after.createdAt || (row.createdAt.getTime() === after.createdAt.getTime() && row.id < after.id))
      .slice(0, request.limit);
  }
  async countUnread(userId: string) {
    return this.rows.filter((row) => row.userId === userId && row.readAt === null).length;
  }
  async markRead(userId: string, id: string, now: Date) {
    const row = this.rows.find((candidate) => candidate.id === id && candidate.userId === userId);
    if (row && row.readAt === null) row.readAt = now;
    return row ?? null;
  }
  async markAllRead(userId: string, now: Date) {
    const unread = this.rows.filter((row) => row.userId === userId && row.readAt === null);
    unread.forEach((row) => (row.readAt = now));
    return unread.length;
  }
}

function setUp() {
  const notifications = new FakeNotifications();
  const clock = new TestClock(new Date('2026-11-24T10:00:00Z'));
  const service = new NotificationsService(notifications as unknown as NotificationsRepository, clock);
  return { service, notifications, clock };
}

/** Five notifications for u1, one a minute, two of them at the same instant (told apart by id). */
async function fiveFor(service: NotificationsService, clock: TestClock) {
  for (const key of ['a', 'b', 'c']) {
    await service.createMany([{ userIds: ['u1'], event: event(key) }], clock.now());
    clock.advance(60_000);
  }
  await service.createMany([{ userIds: ['u1'], event: event('d') }, { userIds: ['u1'], event: event('e') }], clock.now());
}

describe('NotificationsService', () => {
  it('creates one notification per user and event, stamped with the time of the change, however often a user or event is repeated', async () => {
    const { service, notifications } = setUp();
    const at = new Date('2026-11-24T09:00:00Z');
    const created = await service.createMany(
      [
        { userIds: ['u1', 'u2', 'u1'], event: event('DELAY:20:v1') },
        { userIds: ['u1'], event: event('DEPARTED') },
      ],
      at,
    );
    expect(created.map((n) => `${n.userId} ${n.eventKey}`).sort()).toEqual([
      'u1 12951:2026-11-24:DELAY:20:v1',
      'u1 12951:2026-11-24:DEPARTED',
      'u2 12951:2026-11-24:DELAY:20:v1',
    ]);
    expect(created.every((n) => n.createdAt === at)).toBe(true);
    // A retried batch creates nothing and returns nothing to push.
    expect(await service.createMany([{ userIds: ['u1', 'u2'], event: event('DELAY:20:v1') }], at)).toEqual([]);
    expect(notifications.rows).toHaveLength(3);
  });

  it('pages newest first with a cursor, each item once, until nextCursor is null', async () => {
    const { service, clock } = setUp();
    await fiveFor(service, clock);
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await service.list('u1', { unreadOnly: false, cursor, limit: 2 });
      sizes.push(page.items.length);
      seen.push(...page.items.map((n) => n.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    // d and e were created at the same instant: either may come first, but both before c.
    expect(new Set(seen.slice(0, 2))).toEqual(new Set(['12951 d', '12951 e']));
    expect(seen.slice(2)).toEqual(['12951 c', '12951 b', '12951 a']);
  });

  it('has no next page when the last page is exactly full', async () => {
    const { service, clock, notifications } = setUp();
    await fiveFor(service, clock);
    const first = await service.list('u1', { unreadOnly: false, limit: 5 });
    expect(first.items).toHaveLength(5);
    expect(first.nextCursor).toBeNull();
    // One more than the page is asked for, to know whether another page follows.
    expect(notifications.pages.at(-1)).toMatchObject({ limit: 6 });
  });

  it('pages only unread ones when asked', async () => {
    const { service, clock } = setUp();
    await fiveFor(service, clock);
    const [newest] = (await service.list('u1', { unreadOnly: false, limit: 1 })).items;
    await service.markRead('u1', newest.id);
    const unread = await service.list('u1', { unreadOnly: true, limit: 10 });
    expect(unread.items.map((n) => n.id)).not.toContain(newest.id);
    expect(unread.items).toHaveLength(4);
  });

  it('refuses a cursor it did not issue with INVALID_CURSOR, naming the field', async () => {
    const { service } = setUp();
    for (const cursor of ['nonsense', Buffer.from('["2026-11-24T10:00:00Z","not-a-uuid"]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
      await expect(service.list('u1', { unreadOnly: false, cursor, limit: 10 })).rejects.toEqual(
        expect.objectContaining({ constructor: InvalidInputError, code: 'INVALID_CURSOR', errors: [{ field: 'cursor', messages: ['cursor is invalid'] }] }),
      );
    }
    // One it issued reads back.
    const issued = encodeCursor({ createdAt: new Date('2026-11-24T10:00:00Z'), id: randomUUID() });
    await expect(service.list('u1', { unreadOnly: false, cursor: issued, limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('marks a notification read at the app clock’s time, and keeps the first read time', async () => {
    const { service, clock } = setUp();
    const [created] = await service.createMany([{ userIds: ['u1'], event: event('a') }], clock.now());
    clock.advance(5 * 60_000);
    expect(await service.markRead('u1', created.id)).toMatchObject({ readAt: new Date('2026-11-24T10:05:00Z') });
    clock.advance(60_000);
    expect(await service.markRead('u1', created.id)).toMatchObject({ readAt: new Date('2026-11-24T10:05:00Z') });
    expect(await service.unreadCount('u1')).toBe(0);
  });

  it('reports another user’s notification as missing, not forbidden, and leaves it unread', async () => {
    const { service, clock } = setUp();
    const [theirs] = await service.createMany([{ userIds: ['u2'], event: event('a') }], clock.now());
    await expect(service.markRead('u1', theirs.id)).rejects.toEqual(expect.objectContaining({ constructor: NotFoundError, code: 'NOTIFICATION_NOT_FOUND' }));
    await expect(service.markRead('u1', randomUUID())).rejects.toMatchObject({ code: 'NOTIFICATION_NOT_FOUND' });
    expect(await service.unreadCount('u2')).toBe(1);
  });

  it('marks all of one user’s notifications read and counts them, leaving other users’ alone', async () => {
    const { service, clock } = setUp();
    await service.createMany([{ userIds: ['u1', 'u2'], event: event('a') }, { userIds: ['u1'], event: event('b') }], clock.now());
    expect(await service.unreadCount('u1')).toBe(2);
    expect(await service.markAllRead('u1')).toBe(2);
    expect(await service.markAllRead('u1')).toBe(0);
    expect(await service.unreadCount('u1')).toBe(0);
    expect(await service.unreadCount('u2')).toBe(1);
  });
});
